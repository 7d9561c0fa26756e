"""Who claims what: event types, the parties, the claimant, the claim's status, numbers.

Rule-based readings of one sentence, each a plain function of its text:
:func:`event_type` (``settings.EVENT_TYPES``, or None when the sentence reports no
event), :func:`is_background` (history, forecasts, conditionals), :func:`actors`,
:func:`claimant`, :func:`status` (``settings.CLAIM_STATUSES``) and :func:`fatalities`
(only numbers written in the text, in digits or words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NRF",
    "RESISTANCE",
    "TALIBAN",
    "Casualties",
    "actors",
    "claimant",
    "event_type",
    "fatalities",
    "is_background",
    "is_denial",
    "mentions_party",
    "named_group",
    "status",
]

TALIBAN = "Taliban"
NRF = "National Resistance Front (NRF)"
AFF = "Afghanistan Freedom Front (AFF)"
RESISTANCE = "Anti-Taliban resistance (unspecified)"
CIVILIANS = "Civilians"
_GROUPS = (
    (NRF, re.compile(r"\bNational Resistance Front\b|\bNRF\b")),
    (AFF, re.compile(r"\bAfghanistan Freedom Front\b|\bAFF\b")),
    ("Supporters of Atta Mohammad Noor", re.compile(r"\bAtta (?:Mohammad |Muhammad )?Noor\b")),
    ("Supporters of Masoud Andarabi", re.compile(r"\bMas(?:ou|u)d Andara?bi\b")),
)
_TALIBAN = re.compile(r"\bTaliban\b|\bIslamic Emirate\b|\bIEA\b")
_RESISTANCE = re.compile(
    r"\bresistance\b|\brebels?\b|\banti-Taliban\b|\buprisings?\b|\binsurgen\w*|\bmilitia\w*",
    re.IGNORECASE,
)
#: Event types and their trigger words, tried in this order.
_TYPES = (
    ("ambush", r"\bambush(?:ed|es)?\b"),
    (
        "violence_against_civilians",
        r"\bexecutions?\b|\babduct\w*|\bkidnap\w*|\batrocities\b|\bmassacre\w*"
        r"|\b(?:kill|shot|beat)\w*\b[^.]{0,60}\b(?:civilians|residents|unarmed)\b"
        r"|\b(?:civilians|residents|unarmed|local men|villagers)\b[^.]{0,80}"
        r"\b(?:killed|shot|executed)\b|\bkilled arbitrarily\b|\barbitrary (?:killing|execution)s?\b"
        r"|\b(?:detain|arrest)\w*\s+(?:\w+\s+){0,3}?"
        r"(?:men|women|civilians|residents|villagers|people|youths?|elders)\b",
    ),
    (
        "clash",
        r"\bclash(?:ed|es)?\b|\bfirefight\b|\bfighting\b|\bbattl(?:ed|es)\b|\bfought\b(?! for\b)",
    ),
    (
        "attack",
        r"\battack(?:s|ed)?\b|\boffensives?\b|\braids?\b|\bstorm(?:ed|ing)\b"
        r"|\b(?:roadside |car )?bomb(?:s|ed|ing|ings)?\b|\bexplosions?\b|\bblasts?\b|\bIEDs?\b",
    ),
    (
        "reinforcement",
        r"\breinforcements?\b|\b(?:deploy|send|sent|sending|moved|moving)\w*\b[^.]{0,40}"
        r"\b(?:fighters|forces|troops)\b|\b(?:fighters|forces|troops)\W*\s+(?:have been|"
        r"were|are being|had been)\s+deployed\b",
    ),
    ("casualty_claim", r"\bkilled\b|\bwounded\b|\bcasualties\b"),
    (
        "strategic_development",
        r"\bappointed\b|\barrived\b|\bliberat(?:ed|ing|es)\b|\bcaptured\b|\bre(?:took|taken|captured)\b"
        r"|\b(?:left|fled|withdrew|retreated|entered)\s+(?:the\s+)?[A-Z]",  # movement: a place
    ),
)
_BACKGROUND = re.compile(
    r"\b(?:1[89]\d\d|20[01]\d|2020)s?\b|\b9/11\b|\bSeptember 11\b|\b\d+ years of\b"
    r"|\bdecades? of\b|\beyes? on\b|\b(?:could|would|will|can|might|may)\s+(?:\w+\s+){0,2}?"
    r"(?:attack|fight|clash|send|sent|deploy|spread|soon|launch|strike|be killed|retake)"
    r"|\b(?:plan(?:s|ned|ning)?|threaten(?:s|ed|ing)?|vow(?:s|ed)?|intend(?:s|ed)?|expected"
    r"|prepar(?:e|es|ed|ing))\s+to\b|\A[“\"]?If\b|\bunlikely\b|\beye\b"
    r"|\bsince\s+(?:the\s+|its\s+)?(?:\w+\s+){0,3}?(?:takeover|fall|seized|took (?:over|power)"
    r"|came to power|collapse)"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a dozen": 12, "dozen": 12,
}  # fmt: skip
_TENS = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"-(?:one|two|three|four|five|six|seven|eight|nine)"
)
_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
#: digits (not a year: "in 2022 left hundreds dead" states no 2022 deaths) or words
_NUM = rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|(?!(?:19|20)\d\d\b)\d+|{_TENS}|{_WORDS})"
_ABOUT = r"(?P<about>(?:around|about|nearly|almost|at least|more than|over|some|up to)\s+)?"
_VERB = r"(?P<verb>killed|dead|died|wounded|injured)"
_VERB_BEFORE = r"(?P<verb>killed|killing|wounded|wounding|injured|injuring)"
_CASUALTIES = (
    re.compile(
        rf"(?<!\bno )(?<!\bNo )\b{_ABOUT}{_NUM}\s+(?:[A-Za-z’'-]+\s+){{0,4}}?"
        rf"(?:(?:were|was|had been|have been|are|been|being)\s+)?{_VERB}\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{_VERB_BEFORE}\s+{_ABOUT}{_NUM}\b", re.IGNORECASE),
)


@dataclass(frozen=True)
class Casualties:
    """Numbers of killed and wounded written in a sentence, with the phrases stating them."""

    killed: int | None
    killed_text: str
    wounded: int | None
    wounded_text: str
    approximate: bool = False


def event_type(sentence: str, *, skip: tuple[str, ...] = ()) -> str | None:
    """Return the event type a sentence reports, or None; types in ``skip`` are not tried.

    Examples
    --------
    >>> event_type("The Taliban clashed with resistance fighters.")
    'clash'
    """
    for name, pattern in _TYPES:
        if name not in skip and re.search(pattern, sentence, re.IGNORECASE):
            return name
    return None


def is_background(sentence: str) -> bool:
    """Whether the sentence is history (a year before 2021), a forecast or a condition.

    Examples
    --------
    >>> is_background("He was killed two days before the 9/11 attacks.")
    True
    """
    return _BACKGROUND.search(sentence) is not None


def mentions_party(sentence: str) -> bool:
    """Whether the text names the Taliban or any resistance group."""
    return bool(_TALIBAN.search(sentence) or _RESISTANCE.search(sentence)) or any(
        p.search(sentence) for _, p in _GROUPS
    )


def named_group(text: str) -> str | None:
    """Return the label of the first resistance group the text names, or None.

    Examples
    --------
    >>> named_group("fighters of the AFF and the NRF")
    'National Resistance Front (NRF)'
    """
    return next((label for label, p in _GROUPS if p.search(text)), None)


def actors(sentence: str, kind: str, *, group: str | None = None) -> tuple[str, str]:
    """Return (actor1, actor2) with the project's fixed labels.

    The named group (NRF, AFF, Noor's or Andarabi's supporters) when the sentence names
    one, else ``group`` (one named nearby), else the unspecified resistance. Violence
    against civilians and reinforcements
    are the Taliban's; a Taliban offensive or attack ("Taliban offensives") too.

    Examples
    --------
    >>> actors("the NRF attacked the Taliban", "attack")
    ('National Resistance Front (NRF)', 'Taliban')
    """
    group = named_group(sentence) or group or RESISTANCE
    if kind == "violence_against_civilians":
        return TALIBAN, CIVILIANS
    taliban_acts = re.search(
        r"(?<!-)\b(?:Taliban|Islamic Emirate|IEA)(?:’s|'s)?\s+[^.;]{0,80}?\b(?:offensives?|attack"
        r"(?:s|ed)?|launched|sent|sending|deploy\w*|appointed|has begun|arrived)",
        sentence,
    )
    if kind == "reinforcement" or (kind != "clash" and taliban_acts):
        return TALIBAN, group if kind != "strategic_development" else ""
    if kind == "strategic_development":
        return group, TALIBAN
    return group, TALIBAN


def claimant(sentence: str) -> str | None:
    """Return who makes the claim, as the sentence names them, or None.

    First "according to X"; then the subject of the first verb of speech ("X said",
    "X, who ..., said", "A spokesman for the group, Name, said", "X (ABBR) said");
    then the inverted "said X" and the unattributed "reports have surfaced".

    Examples
    --------
    >>> claimant("Another resistance figure said around 200 Taliban had been killed.")
    'Another resistance figure'
    >>> claimant("Fighting broke out, a local commander of the resistance said on Friday.")
    'a local commander of the resistance'
    """
    m = re.search(_ACCORDING, sentence)
    if m is not None:
        return _speaker(m.group("who").strip(), m.group(0))
    for verb in re.finditer(_SPEECH, sentence):
        if re.search(_NOT_SPEECH, sentence[: verb.start()]):  # "including reported executions"
            continue
        who = _subject(sentence[: verb.start()])
        if who is not None:
            return _speaker(who, f"{who} {verb.group(0).strip()}")
    for pattern in _CLAIMANT_FALLBACKS:
        m = re.search(pattern, sentence)
        if m is not None:
            return _speaker(m.group("who").strip(), m.group(0))
    return None


_ACCORDING = r"\b[Aa]ccording to (?P<who>[^,.;]{3,80})"
_SPEECH = re.compile(
    r"(?:\s+(?:has|have|had|also|later|earlier|again))*\s+(?:reported|said|say|says|claimed"
    r"|claims|claim|told|accused|denied|denies|deny|rejected|dismissed|confirmed|acknowledged"
    r"|admitted)\b"
)
_ROLE = (
    r"(?:source|figure|official|spokes\w+|commander|leader|general|observer|resident|chief"
    r"|head|governor|minister|member|officer|witness|elder|analyst)"
)
_CLAIMANT_FALLBACKS = (
    r"\b(?:said|says)\s+(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)+|an? [^,.;]{3,60}?)"
    r"(?=[,.;]| who\b)",
    r"(?P<who>\b(?:[A-Z][\w’'-]*\s+)?spokes(?:man|woman|men|people|person))\b",
    r"(?P<who>\b(?:[Tt]he resistance|[Mm]edia reports|[Rr]eports|[Ss]ocial media))\s+"
    r"(?:\w+\s+){0,2}?(?:claims?|said|has|have|surfaced|erupted)\b",
    r"(?P<who>\bhas been reported|\bhave been reported|\bwere reported|\breported)\b",
)


_NOT_SPEECH = r"\b(?:including|of|the|a|an|with|by|for|to|as|is|are|was|were|be|been)$"
_CONJUNCTION = r"^(?:and|but|as|while|after|when|because|since|although|though|so)\s+"
_LOWER_CLAUSE = r"(?!(?:a|an|the|one|another|other|he|she|they|we|it)\b)[a-z]"


def _subject(before: str) -> str | None:
    """Return the noun phrase that ends ``before`` (the text up to a verb of speech), or None.

    The phrase is the last clause (after a comma, dash, quotation mark or "that");
    a clause that starts in lower case ("who asked not to be named", "formed in 2022")
    is skipped for the one before it, and a bare name after a role ("A spokesman for
    the group, Name") is joined to it.
    """
    parts = [p.strip() for p in re.split(r"[,;:—–“”\"]|\s-\s|\bthat\b", before)]
    parts = [re.sub(_CONJUNCTION, "", p) for p in parts]
    while parts and not parts[-1]:
        parts.pop()
    while len(parts) > 1 and re.match(_LOWER_CLAUSE, parts[-1]):
        parts.pop()
    if not parts:
        return None
    who = parts[-1]
    if len(parts) > 1 and re.fullmatch(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", who):
        if re.search(rf"\b{_ROLE}s?\b", parts[-2]) and len(parts[-2].split()) <= 8:
            who = f"{parts[-2]}, {who}"
    words = who.split()
    if not 1 <= len(words) <= 10 or not re.match(
        r"[A-Z]|(?:a|an|the|one|another|he|she|they|we)\b", who
    ):
        return None
    if re.search(r"\b(?:is|are|was|were|be|been|seems?|has|have|had|will|would)\b", who):
        return None
    return who


def _speaker(who: str, text: str) -> str:
    if re.fullmatch(r"(?:He|She|They|It|We|I|Another|One|he|she|they|it|we)", who):
        return f"an unnamed speaker (the text: '{text.strip()}')"
    if who.endswith("reported") or who.lower() in ("reports", "media reports"):
        return f"unattributed reports (the text: '{text.strip()}')"
    return who


def status(sentence: str) -> str:
    """Return ``denied``, ``acknowledged``, ``corroborated`` or ``claimed`` for a sentence.

    Examples
    --------
    >>> status("an intense firefight that was acknowledged by the Taliban")
    'acknowledged'
    """
    if re.search(
        r"(?<!not be )(?<!not been )\bindependently (?:confirmed|verified)\b", sentence, re.I
    ):
        return "corroborated"
    if is_denial(sentence):
        return "denied"
    negated = re.search(r"\bnot\s+(?:been\s+|yet\s+)?(?:confirmed|acknowledged)", sentence)
    if (
        re.search(r"\b(?:acknowledged|confirmed|admitted)\b", sentence)
        and _TALIBAN.search(sentence)
        and not negated
    ):
        return "acknowledged"
    return "claimed"


def is_denial(sentence: str) -> bool:
    """Whether the sentence reports a denial (denied, "untrue", rejected)."""
    return bool(
        re.search(
            r"\bden(?:y|ied|ies|ial)\b|\buntrue\b|\b(?:rejected|dismissed|refuted)\b",
            sentence,
            re.I,
        )
    )


def fatalities(sentence: str) -> Casualties:
    """Return the killed and wounded numbers written in the sentence.

    Examples
    --------
    >>> fatalities("Another said around 40 Taliban fighters were killed.").killed
    40
    """
    killed = wounded = None
    killed_text = wounded_text = ""
    approximate = False
    found = [m for pattern in _CASUALTIES for m in pattern.finditer(sentence)]
    for m in sorted(found, key=lambda m: m.start()):
        verb = m.group("verb").lower()
        number = _number(m.group("num"))
        if verb.startswith("kill") or verb in ("dead", "died"):
            if killed is None:
                killed, killed_text = number, m.group(0)
                approximate = bool(m.group("about")) or "dozen" in m.group("num").lower()
        elif wounded is None:
            wounded, wounded_text = number, m.group(0)
    return Casualties(killed, killed_text, wounded, wounded_text, approximate)


def _number(word: str) -> int:
    """Return the value of a number written in digits or words ("twenty-five", "a dozen")."""
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    tens, _, units = word.partition("-")
    return _NUMBER_WORDS[tens] + (_NUMBER_WORDS[units] if units else 0)
