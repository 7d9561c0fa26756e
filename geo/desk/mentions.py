"""Where a sentence says something happened: place names found through the gazetteer.

:func:`find_places` looks at every run of capitalised words (with a following kind word:
"Andarab district", "Panjshir valleys"; and "north of Kabul") and asks the gazetteer
for the longest run that is a place, by exact key only (no fuzzy guesses), so every
spelling the gazetteer knows is found (Panjsher, Andrab, Mazar-i-Sharif, districts,
villages). A name that matches several places keeps all its candidates; it is never
resolved by picking one. :func:`unknown_places` lists names the text introduces as
places ("in Shutul", "Foo district") that the gazetteer does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import AmbiguousPlaceError, PlaceNotFoundError
from geo.places import Gazetteer, Place

__all__ = [
    "Mention",
    "find_places",
    "in_time_clause",
    "most_precise",
    "unknown_places",
    "vague_area",
]

#: A capitalised word; a possessive "’s" ends it ("Kabul’s Khair Khana": Kabul, then Khair Khana).
_WORD = r"[A-Z](?:[\w-]|[’'](?!s\b))*"
#: Capitalised words that may open a place's name ("Northern Takhar"); others before a
#: place are taken for a person's name ("Khalid Zadran" is no district).
_MAY_PRECEDE = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western",
                "Central", "Upper", "Lower", "Greater", "Remote", "Old", "New"}  # fmt: skip
_KIND = r"(?:districts?|provinces?|valleys?|city|town|village)"
_RUN = re.compile(rf"{_WORD}(?:(?:\s+|-)(?:(?:of|e|i|the)\s+)?{_WORD})*(?:\s+{_KIND}\b)?")
_LEAD = {"The", "A", "An", "Of", "In", "On", "At"}
#: Capitalised words that are gazetteer spellings but, in running text, rarely places.
_NOT_PLACES = {"said"}
#: Words a preposition may introduce that are not places.
_NOT_NAMES = re.compile(
    r"(?:Taliban|Islamic|National|Afghan|Northern|Resistance|NRF|AFF|IEA|IS|ISIS|ISKP|US|U\.S"
    r"|NATO|UN|January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Sept|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|God|Islam|Soviet|Russia|China|Pakistan|Iran|Washington|Paris)\b"
)
_INTRODUCED = re.compile(
    rf"\b(?:in|near|at|outside)\s+(?:the\s+)?(?:{_WORD}[’']s\s+)?(?P<name>{_WORD}(?:[ -]{_WORD})*)"
    rf"(?:\s+(?P<kind>{_KIND}))?"
)


#: A clause that dates something else ("after the takeover of Kabul", "when the Taliban took
#: X") or describes a person ("who commanded a battalion in Kabul"): its place is not the event's.
_TIME_CLAUSE = re.compile(
    r"\b(?:after|before|since|until|when|following|who|whose)\b[^,;:—–()]*$", re.I
)
_VAGUE = re.compile(
    r"\b(?:several|many|some|various|other|a number of|northern|southern|eastern|western"
    r"|central)\s+(?:\w+\s+){0,2}?(?:provinces|districts|regions|areas|hotspots|places|parts|villages)\b"
    r"|\bacross (?:the )?(?:north|south|east|west|country|Afghanistan)\b"
    r"|\bin the (?:north|south|east|west)\b(?! of [A-Z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """A place name in a sentence: as written, where, and what the gazetteer says.

    ``place`` is the place when the name resolves to one; otherwise ``candidates``
    lists every place it may be (the name is ambiguous).
    """

    text: str
    start: int
    place: Place | None
    candidates: tuple[Place, ...] = ()


def find_places(sentence: str, gazetteer: Gazetteer) -> list[Mention]:
    """Return the place names in ``sentence``, in order, without overlaps.

    Parameters
    ----------
    sentence : str
        One sentence of an article.
    gazetteer : Gazetteer
        The project's gazetteer (:meth:`Gazetteer.load`).

    Returns
    -------
    list of Mention

    Examples
    --------
    >>> [m.place.province_code for m in find_places("Fighting in Panjsher.", Gazetteer.load())]
    ['AF-PAN']
    """
    found: list[Mention] = []
    for run in _RUN.finditer(sentence):
        words = [(w.group(0), run.start() + w.start()) for w in re.finditer(r"\S+", run.group(0))]
        i, person = 0, False
        while i < len(words):
            if words[i][0] in _LEAD:
                i += 1
                continue
            for size in range(len(words) - i, 0, -1):
                first = words[i][1]
                last = words[i + size - 1]
                name = sentence[first : last[1] + len(last[0])]
                mention = _lookup(name, first, sentence, gazetteer)
                if mention is not None:
                    after_name = person and sentence[words[i - 1][1] + len(words[i - 1][0])] == " "
                    if not after_name:
                        found.append(mention)
                    i += size
                    break
            else:
                person = _looks_like_name(words[i][0])
                i += 1
                continue
            person = False
    return _without_appositions(sentence, found)


def _looks_like_name(word: str) -> bool:
    """Whether a capitalised word that is no place may be part of a person's name."""
    return (
        word.isalpha()
        and word[1:].islower()
        and word not in _MAY_PRECEDE
        and not _NOT_NAMES.fullmatch(word)
    )


def _without_appositions(sentence: str, found: list[Mention]) -> list[Mention]:
    """Drop "north of Kabul" where it only says where the place before it lies.

    "the Panjshir Valley, north of Kabul, ..." names one place, the valley.
    """
    out: list[Mention] = []
    for m in found:
        if out and re.match(r"(?:north|south|east|west)\w* of\b", m.text, re.IGNORECASE):
            gap = sentence[out[-1].start + len(out[-1].text) : m.start]
            if re.fullmatch(r",\s*", gap):
                continue
        out.append(m)
    return out


def unknown_places(sentence: str, found: list[Mention], gazetteer: Gazetteer) -> list[str]:
    """Return names the sentence introduces as places that the gazetteer does not know.

    A name counts when a preposition (in, near, at, outside) or a kind word (district,
    province, valley, village...) marks it as a place, it is not a known place, a month,
    a weekday or a party, and it overlaps no name in ``found``.

    Examples
    --------
    >>> unknown_places("Fighting in Qwertabad.", [], Gazetteer.load())
    ['Qwertabad']
    """
    taken = [(m.start, m.start + len(m.text)) for m in found]
    out: list[str] = []
    for m in _INTRODUCED.finditer(sentence):
        name = re.sub(r"[’']s$", "", m.group("name"))
        a, b = m.start("name"), m.start("name") + len(name)
        if _NOT_NAMES.match(name) or any(a < y and x < b for x, y in taken):
            continue
        if _lookup(name, a, sentence, gazetteer) is None and name not in out:
            out.append(name + (f" {m.group('kind')}" if m.group("kind") else ""))
    return out


def most_precise(mentions: list[Mention]) -> list[Mention]:
    """Drop what a more precise mention makes redundant; one mention per place.

    The country goes when anything else is named; a province goes when a district,
    valley or town in it is named. Ambiguous mentions are kept.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> [m.text for m in most_precise(find_places("In Andrab, Baghlan province.", gaz))]
    ['Andrab']
    """
    known = [m for m in mentions if m.place is not None]
    keep: list[Mention] = []
    seen: set[str] = set()
    for m in mentions:
        place = m.place
        if place is None:
            keep.append(m)
            continue
        if place.place_id in seen:
            continue
        if place.kind == "country" and len(mentions) > 1:
            continue
        if place.kind == "province" and any(
            o.place is not None
            and o.place.kind != "province"
            and o.place.province_code == place.province_code
            for o in known
        ):
            continue
        seen.add(place.place_id)
        keep.append(m)
    return keep


def _lookup(name: str, start: int, sentence: str, gazetteer: Gazetteer) -> Mention | None:
    if name.lower() in _NOT_PLACES or _NOT_NAMES.fullmatch(name):
        return None
    before = sentence[:start]
    if re.search(r"\bnorth of\s+$", before):  # "north of Kabul" is a place of its own
        wider = before[re.search(r"\bnorth of\s+$", before).start() :] + name  # type: ignore[union-attr]
        found = _resolve(wider, start - (len(wider) - len(name)), gazetteer)
        if found is not None:
            return found
    return _resolve(name, start, gazetteer)


def _resolve(name: str, start: int, gazetteer: Gazetteer) -> Mention | None:
    try:
        return Mention(name, start, gazetteer.resolve(name, fuzzy=False))
    except AmbiguousPlaceError as exc:
        places = tuple(p for p in exc.candidates if isinstance(p, Place))
        return Mention(name, start, None, places)
    except PlaceNotFoundError:
        return None


def in_time_clause(sentence: str, mention: Mention) -> bool:
    """Whether the name stands in a clause that dates the event or describes a person.

    "weeks after the Taliban takeover of Kabul", "when the Taliban took Mazar-i-Sharif",
    "who commanded a battalion in Kabul": the clause runs from its first word to the
    name without a comma, dash or colon.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> [in_time_clause(t, find_places(t, gaz)[0]) for t in
    ...  ("They left weeks after the fall of Kabul.", "They fought in Kabul.")]
    [True, False]
    """
    return _TIME_CLAUSE.search(sentence[: mention.start]) is not None


def vague_area(sentence: str) -> str | None:
    """Return the vague area a sentence names ("several northern provinces"), or None.

    Examples
    --------
    >>> vague_area("It claimed attacks in several northern provinces.")
    'several northern provinces'
    """
    m = _VAGUE.search(sentence)
    return None if m is None else m.group(0)
