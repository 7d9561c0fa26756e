"""What a claims file is: the events and presence formats, and how their dates read.

:class:`ClaimsFormat` describes one kind of claims file (its columns, id column, date
columns, allowed location precisions and required values); :data:`EVENTS` and
:data:`PRESENCE` are the two. :func:`parse_dates` is the one date parser every check
shares, and :func:`implied_end` the end a date precision implies. Loading parses each
column once: :class:`Parsed` keeps a checked table's dates and numbers for every check
and for the loaded frame, and :func:`on_distinct` parses a column's distinct values
only (a million rows hold a few thousand dates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import pandas as pd

from geo import settings

Kind = Literal["events", "presence"]

#: ``YYYY-MM-DD`` in ASCII digits (``\d`` would also take Arabic-Indic digits).
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
#: A decimal number in ASCII digits: no exponent, no ``inf``/``nan``.
DECIMAL_PATTERN = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"


class PlaceResolver(Protocol):
    """What validation needs of a gazetteer (``geo.places.gazetteer.Gazetteer`` has it)."""

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Any:
        """Return the place named ``name``; raise PlaceNotFoundError when none."""
        ...


@dataclass(frozen=True)
class ClaimsFormat:
    """The columns and rules of one kind of claims file (events or presence)."""

    name: Kind
    columns: tuple[str, ...]
    id_column: str
    start: str
    end: str
    precisions: tuple[int, ...]
    required: tuple[str, ...]


EVENTS = ClaimsFormat(
    "events",
    settings.EVENT_COLUMNS,
    "event_id",
    "date_start",
    "date_end",
    (1, 2, 3, 4),
    (
        "event_id",
        "date_start",
        "date_precision",
        "date_basis",
        "event_type",
        "actor1",
        "claimed_by",
        "claim_status",
        "location_name",
        "location_precision",
        "location_basis",
        "sources",
    ),
)
PRESENCE = ClaimsFormat(
    "presence",
    settings.PRESENCE_COLUMNS,
    "presence_id",
    "period_start",
    "period_end",
    (2, 3, 4),
    (
        "presence_id",
        "group",
        "location_name",
        "location_precision",
        "period_start",
        "date_precision",
        "date_basis",
        "level",
        "claimed_by",
        "claim_status",
        "sources",
    ),
)
#: The claims formats by kind.
CLAIM_FORMATS: dict[str, ClaimsFormat] = {"events": EVENTS, "presence": PRESENCE}


def _parse_dates(s: pd.Series) -> pd.Series:
    well_formed = s.where(s.str.fullmatch(DATE_PATTERN), None)
    dates = pd.to_datetime(well_formed, format="%Y-%m-%d", errors="coerce")
    return dates.astype("datetime64[us]")  # microseconds: years 1-9999 fit


def blank(s: pd.Series) -> pd.Series:
    r"""Return whether each value is empty or only whitespace, as ``s.str.strip() == ""``.

    The same answer without making a stripped copy of every value.

    >>> blank(pd.Series(["", " \t", " a "])).tolist()
    [True, True, False]
    """
    return (s == "") | s.str.isspace()


def on_distinct(s: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply ``parse`` to each distinct value of ``s`` once; return its answer for every row.

    Dates, codes and numbers repeat: a million rows hold a few thousand distinct
    values, so parsing those and spreading the answers is many times faster than
    parsing every row, with the same answer (``parse`` must work value by value).
    A missing value (NA) is parsed as itself.
    """
    codes, distinct = pd.factorize(s, use_na_sentinel=False)
    parsed = parse(pd.Series(distinct, dtype=s.dtype))
    return pd.Series(parsed.to_numpy()[codes], index=s.index, name=s.name, dtype=parsed.dtype)


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse ``YYYY-MM-DD`` text; anything else (or an impossible date) becomes NaT."""
    return on_distinct(s, _parse_dates)


class Parsed:
    """A checked table's columns, each parsed once and shared by every check and the loader.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), indexed by line number.

    Examples
    --------
    >>> parsed = Parsed(pd.DataFrame({"d": ["2022-01-31", "2022-02-30"]}))
    >>> parsed.dates("d").isna().tolist()
    [False, True]
    """

    def __init__(self, raw: pd.DataFrame) -> None:
        self.raw = raw
        #: The ``sources`` cells as lists of dicts (None where bad), once parsed.
        self.sources: pd.Series | None = None
        self._done: dict[tuple[str, str], pd.Series] = {}

    def _memo(self, what: str, column: str, parse: Callable[[], pd.Series]) -> pd.Series:
        key = (what, column)
        if key not in self._done:
            self._done[key] = parse()
        return self._done[key]

    def matches(self, column: str, pattern: str) -> pd.Series:
        """Return whether each value is the whole of ``pattern`` (a regular expression)."""
        return self._memo(pattern, column, lambda: self.raw[column].str.fullmatch(pattern))

    def dates(self, column: str) -> pd.Series:
        """Return the column as :func:`parse_dates` reads it."""
        return self._memo("dates", column, lambda: parse_dates(self.raw[column]))

    def numbers(self, column: str) -> pd.Series:
        """Return the column as :func:`pandas.to_numeric` reads it (NaN where it cannot)."""

        def parse() -> pd.Series:
            numbers = on_distinct(self.raw[column], lambda d: pd.to_numeric(d, errors="coerce"))
            return numbers.astype(float)

        return self._memo("numbers", column, parse)


def implied_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Return the end a precision implies for an empty date_end (NaT for a range).

    A day ends the same day, a week six days later, a month on its last day.
    """
    implied = pd.Series(pd.NaT, index=start.index, dtype="datetime64[us]")
    implied[precision == "day"] = start
    implied[precision == "week"] = start + pd.Timedelta(days=6)
    implied[precision == "month"] = start + pd.offsets.MonthEnd(0)
    return implied
