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
        r"\bexecutions?\b|\babduct\w*|\batrocities\b|\bmassacre\w*"
        r"|\b(?:kill|shot|beat)\w*\b[^.]{0,60}\b(?:civilians|residents|unarmed)\b"
        r"|\b(?:civilians|residents|unarmed|local men|villagers)\b[^.]{0,80}"
        r"\b(?:killed|shot|executed)\b",
    ),
    ("clash", r"\bclash(?:ed|es)?\b|\bfirefight\b|\bfighting\b|\bbattl(?:ed|es)\b|\bfought\b"),
    ("attack", r"\battack(?:s|ed)?\b|\boffensives?\b|\braids?\b"),
    (
        "reinforcement",
        r"\breinforcements?\b|\b(?:deploy|send|sent|sending)\w*\b[^.]{0,40}"
        r"\b(?:fighters|forces|troops)\b|\b(?:fighters|forces|troops)\W*\s+(?:have been|"
        r"were|are being|had been)\s+deployed\b",
    ),
    ("casualty_claim", r"\bkilled\b|\bwounded\b|\bcasualties\b"),
    ("strategic_development", r"\bappointed\b|\barrived\b|\bliberat\w+|\bcaptured\b"),
)
_BACKGROUND = re.compile(
    r"\b(?:1[89]\d\d|20[01]\d|2020)s?\b|\b9/11\b|\bSeptember 11\b|\b\d+ years of\b"
    r"|\bdecades? of\b|\beyes? on\b|\b(?:could|would|will|can|might|may)\s+(?:\w+\s+){0,2}?"
    r"(?:attack|fight|clash|send|deploy|spread|soon)|\A[“\"]?If\b|\bunlikely\b|\beye\b"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")"
_ABOUT = r"(?P<about>(?:around|about|nearly|almost|at least|more than|over|some|up to)\s+)?"
_VERB = r"(?P<verb>killed|dead|died|wounded|injured)"
_CASUALTIES = (
    re.compile(
        rf"\b{_ABOUT}{_NUM}\s+(?:[A-Za-z’'-]+\s+){{0,3}}?(?:(?:were|was|had been|have been|"
        rf"are|been|being)\s+)?{_VERB}\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{_VERB}\s+{_ABOUT}{_NUM}\b", re.IGNORECASE),
)


@dataclass(frozen=True)
class Casualties:
    """Numbers of killed and wounded written in a sentence, with the phrases stating them."""

    killed: int | None
    killed_text: str
    wounded: int | None
    wounded_text: str


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


def actors(sentence: str, kind: str) -> tuple[str, str]:
    """Return (actor1, actor2) with the project's fixed labels.

    The named group (NRF, AFF, Noor's or Andarabi's supporters) when the sentence names
    one, else the unspecified resistance. Violence against civilians and reinforcements
    are the Taliban's; a Taliban offensive or attack ("Taliban offensives") too.

    Examples
    --------
    >>> actors("the NRF attacked the Taliban", "attack")
    ('National Resistance Front (NRF)', 'Taliban')
    """
    group = next((label for label, p in _GROUPS if p.search(sentence)), RESISTANCE)
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

    Examples
    --------
    >>> claimant("Another resistance figure said around 200 Taliban had been killed.")
    'Another resistance figure'
    """
    patterns = (
        r"\baccording to (?P<who>[^,.;]{3,80})",
        r"(?P<who>\b(?:[A-Z][\w/’'-]*\s){0,3}[A-Z][\w/’'-]*)\s+(?:reported|said|claimed|says"
        r"|claims|told|accused|denied|confirmed|acknowledged)\b",
        r"\b(?:said|says|claimed)\s+(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)+|an? [^,.;]{3,60}?)"
        r"(?=[,.;]| who\b)",
        r"(?P<who>\b(?:[Oo]ne|[Aa]nother|[Aa]n?|[Tt]he|[Oo]ther)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:source|sources|figure|official|spokes\w+|commander|leader|general|observers?"
        r"|resident)s?)\s+(?:\w+\s+){0,2}?(?:said|says|claimed|told|reported|have made)\b",
        r"(?P<who>\b(?:[A-Z][\w’'-]*\s+)?spokes(?:man|woman|men|people|person))\b",
        r"(?P<who>\b(?:[Tt]he resistance|[Mm]edia reports|[Rr]eports|[Ss]ocial media))\s+"
        r"(?:\w+\s+){0,2}?(?:claims?|said|has|have|surfaced|erupted)\b",
        r"(?P<who>\bhas been reported|\bhave been reported|\bwere reported|\breported)\b",
    )
    for pattern in patterns:
        m = re.search(pattern, sentence)
        if m is None:
            continue
        who = m.group("who").strip()
        if re.fullmatch(r"(?:He|She|They|It|We|I|Another|One)", who):
            return f"an unnamed speaker (the text: '{m.group(0).strip()}')"
        if who.endswith("reported") or who.lower() in ("reports", "media reports"):
            return f"unattributed reports (the text: '{m.group(0).strip()}')"
        return who
    return None


def status(sentence: str) -> str:
    """Return ``denied``, ``acknowledged``, ``corroborated`` or ``claimed`` for a sentence.

    Examples
    --------
    >>> status("an intense firefight that was acknowledged by the Taliban")
    'acknowledged'
    """
    if re.search(r"\bindependently (?:confirmed|verified)\b", sentence, re.IGNORECASE):
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
    return bool(re.search(r"\bden(?:y|ied|ies|ial)\b|\buntrue\b|\brejected\b", sentence, re.I))


def fatalities(sentence: str) -> Casualties:
    """Return the killed and wounded numbers written in the sentence.

    Examples
    --------
    >>> fatalities("Another said around 40 Taliban fighters were killed.").killed
    40
    """
    killed = wounded = None
    killed_text = wounded_text = ""
    found = [m for pattern in _CASUALTIES for m in pattern.finditer(sentence)]
    for m in sorted(found, key=lambda m: m.start()):
        verb = m.group("verb").lower()
        word = m.group("num").lower().replace(",", "")
        number = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        if verb in ("killed", "dead", "died") and killed is None:
            killed, killed_text = number, m.group(0)
        elif verb in ("wounded", "injured") and wounded is None:
            wounded, wounded_text = number, m.group(0)
    return Casualties(killed, killed_text, wounded, wounded_text)
