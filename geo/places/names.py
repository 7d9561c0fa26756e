"""Place-name keys: the transliteration-proof :func:`normalize` used by the gazetteer.

Afghan place names reach English in many spellings (Panjshir, Panjsher, Panj Shir;
Mazar-i-Sharif, Mazar-e Sharif, Mazari Sharif). :func:`normalize` maps them to one key
by a fixed sequence of documented rules; :func:`parse_name` also returns the kind
named by a kind word ("Kabul city" -> populated_place). Imports nothing from the
project.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ہ": "ه",
     "ھ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}
)  # fmt: skip
_ARABIC_DROP = re.compile(r"[\u064b-\u065f\u0670\u0640\u200b-\u200f]")
_ARABIC_KIND_WORDS = {"ولایت": "province", "ولسوالی": "district"}
_QUOTES = re.compile(r"['`\"^]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_KIND_WORDS = (
    ("province", re.compile(r"provinces?|provincial|[wv][eiu]layat|wilayah|vilayet")),
    ("district", re.compile(r"districts?|[wv]?[aeiou]l[aeiou]?s[wv]al[iy]|a?la[qk]a?h?dar[iy]")),
    ("populated_place", re.compile(r"city|town|village")),
    (None, re.compile(r"the|of|markaz|h[ou]kumat[iy]?")),
)
_CONNECTORS = {"e", "i", "y", "ye", "yi", "ul", "ol", "al", "us", "os"}
#: Per-word rewrites, in order (rules 7-12 of :func:`normalize`).
_WORD_RULES = (
    (re.compile(r"^valleys$"), "valley"),
    (re.compile(r"(?<=\w{3})(ah|eh)$"), "a"),
    (re.compile(r"v"), "w"),
    (re.compile(r"q"), "k"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"[ao]w(?![aeiouy])|[ao]u"), "u"),
    (re.compile(r"o"), "u"),
    (re.compile(r"e"), "i"),
    (re.compile(r"(?<=.)y"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
)


def _kind_word(token: str) -> tuple[bool, str | None]:
    for kind, pattern in _KIND_WORDS:
        if pattern.fullmatch(token):
            return True, kind
    return False, None


def _strip_kind_words(tokens: list[str]) -> tuple[list[str], str | None]:
    """Drop kind words (and "the", "of") at the start and kind words at the end."""
    hint: str | None = None
    start, end = 0, len(tokens)
    while start < end:
        found, kind = _kind_word(tokens[start])
        if not found:
            break
        hint = hint or kind
        start += 1
    while end > start:
        found, kind = _kind_word(tokens[end - 1])
        if not found or tokens[end - 1] in ("the", "of"):
            break
        hint = hint or kind
        end -= 1
    if start == end:  # nothing but kind words ("District"): keep them as the name
        return tokens, None
    return tokens[start:end], hint


def _parse_arabic(text: str) -> tuple[str, str | None]:
    text = _ARABIC_DROP.sub("", unicodedata.normalize("NFKC", text).translate(_ARABIC_FOLD))
    tokens = [t for t in re.split(r"[\W_]+", text) if t]
    hint = None
    while len(tokens) > 1 and tokens[0] in _ARABIC_KIND_WORDS:
        hint = hint or _ARABIC_KIND_WORDS[tokens.pop(0)]
    return "".join(tokens), hint


@lru_cache(maxsize=65536)
def parse_name(name: str) -> tuple[str, str | None]:
    """Return the key of a name and the kind its kind word names, if any.

    Parameters
    ----------
    name : str
        A place name in any spelling.

    Returns
    -------
    tuple of (str, str or None)
        The :func:`normalize` key, and ``"province"``, ``"district"`` or
        ``"populated_place"`` when a kind word was stripped, else None.

    Examples
    --------
    >>> parse_name("Nahrin district")
    ('nahrin', 'district')
    """
    if _ARABIC_SCRIPT.search(name):
        return _parse_arabic(name)
    text = _QUOTES.sub("", unidecode(name).casefold())
    tokens = [t for t in _NON_ALNUM.split(text) if t]
    if len(tokens) > 2:
        tokens = [tokens[0], *(t for t in tokens[1:-1] if t not in _CONNECTORS), tokens[-1]]
    tokens, hint = _strip_kind_words(tokens)
    words = []
    for position, token in enumerate(tokens):
        if position < len(tokens) - 1 and len(token) >= 4 and token[-1] in "ie":
            token = token[:-1]  # glued connector: Mazari Sharif, Sari Pul, Pule Khumri
        for pattern, repl in _WORD_RULES:
            token = pattern.sub(repl, token)
        words.append(token)
    return "".join(words), hint


def normalize(name: str) -> str:
    """Return the transliteration-proof key of a place name.

    Rules, applied in order (Latin script):

    1. unidecode (ā -> a, ḩ -> h, ‘ -> '), then casefold.
    2. remove apostrophes, backticks and quotes (Qal'ah, Qal`ah -> qalah).
    3. every other non-alphanumeric character separates words (hyphens, spaces, dots).
    4. drop connector words between words: e, i, y, ye, yi and ul, ol, al, us, os
       (Mazar-e-Sharif, Mazar-i-Sharif, Sar-e Pol, Qal'ah-ye Farsi, Jabal os Saraj).
    5. drop kind words at either end: province, wilayat, district, woleswali,
       uluswali, alaqadari, city, town, village; and leading "the", "of", markaz,
       hukumat ("Province of Kunduz" -> kunduz). "valley" is kept: "Panjshir Valley"
       is a place of its own.
    6. a glued connector: a word of 4+ letters ending in i or e, followed by another
       word, loses that letter (Mazari Sharif, Sari Pul, Pule Khumri).
    7. valleys -> valley.
    8. a final -ah or -eh of a word of 5+ letters -> a (Qal'ah, Qal'eh, Qala).
    9. consonants: v -> w, q -> k, gh -> g (Verdak, Qunduz, Gazni).
    10. aw, ow before a consonant or at a word's end, au, ou -> u (Jawzjan, Jowzjan,
        Jozjan; Khowst; Daulatabad, Dowlatabad).
    11. vowels: o -> u, e -> i, and y -> i except word-initially (Panjsher, Herat,
        Helmand, Nimroz, Urozgan, Sar-e Pol, Paktya, Daykundi).
    12. doubled letters collapse (oo, ee, aa, Panjsheer, Sarraj).
    13. words are joined without spaces (Panj Shir = Panjshir).

    Text in Arabic script (Dari, Pashto) keeps its script: Arabic and Persian letter
    variants are unified (ي/ی, ك/ک), diacritics, tatweel and ZWNJ removed, a leading
    ولایت (province) or ولسوالی (district) dropped, spaces removed.

    Parameters
    ----------
    name : str
        A place name in any spelling.

    Returns
    -------
    str
        The key; equal keys are treated as the same name.

    Examples
    --------
    >>> normalize("Mazar-i-Sharif") == normalize("Mazār-e Sharīf") == normalize("Mazari Sharif")
    True
    >>> normalize("Jowzjan Province") == normalize("Jawzjan")
    True
    >>> normalize("Panjshir Valley") == normalize("Panjshir")
    False
    """
    return parse_name(name)[0]
