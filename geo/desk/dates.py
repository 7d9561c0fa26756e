"""When a claim happened, from the article's own clues only.

A relative clue ("on Monday night", "last week", "this week", "last August", "past three
days") is resolved against a **reference day**: the dateline's day ("Kabul, April 29")
with its year taken from the publication date, or the publication date itself
(:func:`reference_day`). Without one, the clue cannot be resolved and the claim gets an
open range from :data:`EARLIEST` (a documented bound, never a guessed day). Every reading
carries its precision (day, week, month, range) and a ``basis`` that quotes the clue.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "DATELINE_PARAGRAPHS",
    "EARLIEST",
    "EARLIEST_BASIS",
    "DateReading",
    "Reference",
    "find_dateline",
    "read_date",
    "reference_day",
]

#: How many paragraphs from the top a dateline may open (after a headline, a standfirst).
DATELINE_PARAGRAPHS = 3
#: The earliest date an undated claim can refer to: the Taliban's takeover of Kabul.
EARLIEST = date(2021, 8, 15)
EARLIEST_BASIS = "2021-08-15, the Taliban's takeover of Kabul, the earliest date the desk assumes"

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"\b(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY = r"(?P<weekday>" + "|".join(_DAYS) + r")"
_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "couple of": 2, "a couple of": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_DATELINE = re.compile(
    r"[ \t]*(?P<place>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?),\s+" + _MONTH + r"\s+(?P<day>\d{1,2})\b"
    r"(?:,\s*(?P<year>\d{4}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reference:
    """The day relative clues count from (None when the text and options give none)."""

    day: date | None
    basis: str


@dataclass(frozen=True)
class DateReading:
    """A claim's dates: start, end (None: open range), precision and how they were read."""

    start: date
    end: date | None
    precision: str
    basis: str
    clue: bool = True


def find_dateline(text: str) -> re.Match[str] | None:
    r"""Return the dateline ("Kabul, April 29") that opens one of the first paragraphs, or None.

    A headline and a standfirst may come before it: the first :data:`DATELINE_PARAGRAPHS`
    paragraphs are tried.

    Examples
    --------
    >>> find_dateline("Kabul, April 29  Factions ...").group("place")
    'Kabul'
    >>> find_dateline("Rebels strike\n\nTALOQAN, Oct. 3  The NRF said ...").start()
    15
    """
    for line in list(re.finditer(r"[^\n]*\S[^\n]*", text))[:DATELINE_PARAGRAPHS]:
        match = _DATELINE.match(text, line.start())
        if match is not None and match.group("place").lower() not in _MONTHS:
            return match
    return None


def reference_day(text: str, published: date | None) -> Reference:
    """Return the day relative clues count from, and how it was found.

    Parameters
    ----------
    text : str
        The article (its dateline, if any, is at its very start).
    published : date, optional
        The publication date given by the reviewer (``--published``).

    Returns
    -------
    Reference

    Examples
    --------
    >>> reference_day("Kabul, April 29  ...", date(2022, 4, 29)).day
    datetime.date(2022, 4, 29)
    >>> reference_day("Kabul, April 29  ...", None).day is None
    True
    """
    line = find_dateline(text)
    if line is not None:
        shown = line.group(0).strip()
        month, day = _MONTHS[line.group("month").lower()], int(line.group("day"))
        if line.group("year"):
            found = _safe_date(int(line.group("year")), month, day)
            if found is not None:
                return Reference(found, f"the dateline '{shown}'")
        elif published is not None:
            found = _latest(month, day, published)
            if found is not None:
                return Reference(
                    found,
                    f"the dateline '{shown}', in the year of the publication date "
                    f"{published.isoformat()} (--published)",
                )
        else:
            return Reference(
                None, f"the dateline '{shown}' gives no year and no publication date was given"
            )
    if published is not None:
        return Reference(published, f"the publication date {published.isoformat()} (--published)")
    return Reference(None, "no publication date was given (--published) and the text has none")


def read_date(sentence: str, ref: Reference) -> DateReading:
    """Read the date a sentence gives, from its first clue (see the module docstring).

    Parameters
    ----------
    sentence : str
        The sentence that states the claim.
    ref : Reference
        From :func:`reference_day`.

    Returns
    -------
    DateReading

    Examples
    --------
    >>> ref = Reference(date(2021, 8, 31), "published")
    >>> read_date("They clashed on Monday night.", ref).start
    datetime.date(2021, 8, 30)
    """
    sentence = _STATEMENT_DAY.sub(lambda m: " " * len(m.group(0)), sentence)
    since = re.search(_SINCE, sentence, re.IGNORECASE)
    if since is not None:
        reading = _first(since.group("clue").rstrip("."), ref)
        if reading is not None and ref.day is not None and reading.start <= ref.day:
            return DateReading(
                reading.start,
                ref.day,
                "range",
                f"'{since.group(0).rstrip('.')}': from the start of {reading.basis}, "
                f"to {ref.day.isoformat()}, {ref.basis}",
            )
    reading = _first(sentence, ref)
    if reading is not None:
        return reading
    if ref.day is None:
        return _open(f"the sentence gives no date and {ref.basis}", clue=False)
    return DateReading(
        EARLIEST,
        ref.day,
        "range",
        f"the sentence gives no date: from {EARLIEST_BASIS}, to {ref.day.isoformat()}, {ref.basis}",
        clue=False,
    )


def _first(sentence: str, ref: Reference) -> DateReading | None:
    for reader in _READERS:
        reading = reader(sentence, ref)
        if reading is not None:
            return reading
    return None


#: "said on Thursday", "told AFP on Monday": the day of the statement, not of the event.
_STATEMENT_DAY = re.compile(
    r"\b(?:said|says|told(?:\s+[A-Z][\w/-]*)*|announced|reported|added|stated|claimed"
    r"|confirmed|denied)\s+(?:late\s+|early\s+)?(?:on\s+)?(?:late\s+|early\s+)?"
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:night|morning"
    r"|evening))?|yesterday|today)\b",
    re.IGNORECASE,
)
#: "since last August", "since March 2022", "since Monday": from that clue to the reference day.
_SINCE = (
    r"\bsince\s+(?P<clue>(?:last\s+)?"
    + _MONTH
    + r"(?:\s+\d{1,2}\b)?(?:,?\s+\d{4})?|"
    + _WEEKDAY
    + r")"
)


# --- the clues, in the order they are tried ------------------------------------------
def _full_date(s: str, ref: Reference) -> DateReading | None:
    m = re.search(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b", s, re.IGNORECASE)
    if m is None:
        m = re.search(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", s, re.I)
    if m is None:
        return None
    found = _safe_date(int(m.group("year")), _MONTHS[m.group("month").lower()], int(m["day"]))
    if found is None:
        return None
    return DateReading(found, found, "day", f"the text gives the date '{m.group(0)}'")


def _month_year(s: str, ref: Reference) -> DateReading | None:
    m = re.search(r"\b" + _MONTH + r"\s+(?P<year>\d{4})\b", s, re.IGNORECASE)
    if m is None:
        return None
    start = date(int(m.group("year")), _MONTHS[m.group("month").lower()], 1)
    return DateReading(start, _month_end(start), "month", f"the text gives '{m.group(0)}'")


def _year(s: str, ref: Reference) -> DateReading | None:
    m = re.search(r"\b(?:in|during|throughout)\s+(?P<year>20[2-9]\d)\b", s)
    if m is None:
        return None
    year = int(m.group("year"))
    return DateReading(
        date(year, 1, 1), date(year, 12, 31), "range", f"the text gives the year: '{m.group(0)}'"
    )


def _weekday(s: str, ref: Reference) -> DateReading | None:
    m = re.search(r"\b(?:on\s+)?" + _WEEKDAY + r"(?:\s+(?:night|morning|evening))?\b", s, re.I)
    if m is None:
        return None
    clue = m.group(0)
    if ref.day is None:
        return _open(f"'{clue}' cannot be placed: {ref.basis}")
    back = (ref.day.weekday() - _DAYS[m.group("weekday").lower()]) % 7
    day = ref.day - timedelta(days=back)
    return DateReading(
        day,
        day,
        "day",
        f"'{clue}': the {m.group('weekday').capitalize()} on or before {ref.day.isoformat()}, "
        f"{ref.basis}" + ("; a night may run past midnight" if "night" in clue.lower() else ""),
    )


def _yesterday(s: str, ref: Reference) -> DateReading | None:
    m = re.search(r"\b(yesterday|today|tonight)\b", s, re.IGNORECASE)
    if m is None:
        return None
    if ref.day is None:
        return _open(f"'{m.group(0)}' cannot be placed: {ref.basis}")
    day = ref.day - timedelta(days=1 if m.group(1).lower() == "yesterday" else 0)
    return DateReading(day, day, "day", f"'{m.group(0)}' counted from {ref.basis}")


def _this_last(s: str, ref: Reference) -> DateReading | None:
    # "the previous month" counts from another time the text names, not the reference day
    m = re.search(r"(?<!the )\b(this|last|past|previous)\s+(week|month)\b", s, re.IGNORECASE)
    if m is None:
        return None
    clue, which, unit = m.group(0), m.group(1).lower(), m.group(2).lower()
    if ref.day is None:
        return _open(f"'{clue}' cannot be placed: {ref.basis}")
    if unit == "week":
        monday = ref.day - timedelta(days=ref.day.weekday())
        if which == "this":
            return DateReading(
                monday,
                ref.day,
                "range",
                f"'{clue}': Monday of the week of {ref.basis}, to that day",
            )
        start = monday - timedelta(days=7)
        return DateReading(
            start, start + timedelta(days=6), "week",
            f"'{clue}': the calendar week (Monday to Sunday) before the week of {ref.basis}",
        )  # fmt: skip
    first = ref.day.replace(day=1)
    if which == "this":
        return DateReading(first, ref.day, "range", f"'{clue}': the month of {ref.basis}, to it")
    start = (first - timedelta(days=1)).replace(day=1)
    return DateReading(
        start, _month_end(start), "month", f"'{clue}': the month before that of {ref.basis}"
    )


def _named_month(s: str, ref: Reference) -> DateReading | None:
    m = re.search(r"\blast\s+" + _MONTH + r"(?!\s*\d)", s, re.IGNORECASE)
    m = m or re.search(r"\b(?:in\s+)?" + _MONTH + r"\s+(?:of\s+)?last\s+year\b", s, re.I)
    if m is None:
        return None
    clue, month = m.group(0).rstrip("."), _MONTHS[m.group("month").lower()]
    if ref.day is None:
        return _open(f"'{clue}' cannot be placed: {ref.basis}")
    if "year" in clue.lower():
        year, how = ref.day.year - 1, f"the year before that of {ref.basis}"
    else:
        year = ref.day.year if month < ref.day.month else ref.day.year - 1
        how = f"the last {calendar.month_name[month]} before the month of {ref.basis}"
    start = date(year, month, 1)
    return DateReading(start, _month_end(start), "month", f"'{clue}': {how}")


def _span(s: str, ref: Reference) -> DateReading | None:
    m = re.search(
        r"\b(?:past|last|previous)\s+" + _COUNT + r"\s+(?P<unit>day|week|month)s?\b", s, re.I
    )
    if m is None:
        return None
    clue, unit = m.group(0), m.group("unit").lower()
    if ref.day is None:
        return _open(f"'{clue}' cannot be placed: {ref.basis}")
    count = m.group("count").lower()
    n = int(count) if count.isdigit() else _NUMBERS[count]
    days = {"day": 1, "week": 7, "month": 31}[unit] * n
    start = ref.day - timedelta(days=days)
    return DateReading(
        start, ref.day, "range", f"'{clue}': the {days} days up to {ref.basis}"
        + (" (a month counted as 31 days)" if unit == "month" else ""),
    )  # fmt: skip


def _month_day(s: str, ref: Reference) -> DateReading | None:
    m = re.search(r"\b(?:on\s+)?" + _MONTH + r"\s+(?P<day>\d{1,2})\b(?!,?\s*\d{4})", s, re.I)
    if m is None:
        return None
    clue, month, day = m.group(0), _MONTHS[m.group("month").lower()], int(m.group("day"))
    if ref.day is None:
        return _open(f"'{clue}' gives no year: {ref.basis}")
    found = _latest(month, day, ref.day)
    if found is None:
        return None
    return DateReading(found, found, "day", f"'{clue}': the latest such day up to {ref.basis}")


def _recent(s: str, ref: Reference) -> DateReading | None:
    m = re.search(
        r"\b(?:in\s+)?(?:recent|past|last)\s+(?:few\s+|several\s+)?(?:days|weeks|months)\b",
        s,
        re.IGNORECASE,
    )
    if m is None:
        return None
    if ref.day is None:
        return _open(f"'{m.group(0)}' cannot be placed: {ref.basis}")
    return DateReading(
        EARLIEST, ref.day, "range",
        f"'{m.group(0)}' gives no length: from {EARLIEST_BASIS}, to {ref.day.isoformat()}, "
        f"{ref.basis}",
    )  # fmt: skip


_READERS = (
    _full_date,
    _month_year,
    _year,
    _weekday,
    _yesterday,
    _named_month,
    _this_last,
    _span,
    _month_day,
    _recent,
)


# --- helpers -------------------------------------------------------------------------
def _open(why: str, *, clue: bool = True) -> DateReading:
    return DateReading(
        EARLIEST, None, "range", f"{why}; open range from {EARLIEST_BASIS}", clue=clue
    )


def _month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _latest(month: int, day: int, upto: date) -> date | None:
    """Return the latest date with this month and day on or before ``upto`` (this year or last)."""
    for year in (upto.year, upto.year - 1):
        found = _safe_date(year, month, day)
        if found is not None and found <= upto:
            return found
    return None
