"""What a claims file is: the events and presence formats, and the Problem record.

:class:`ClaimsFormat` describes one kind of claims file (its columns, id column, date
columns, allowed location precisions and required values); :data:`EVENTS` and
:data:`PRESENCE` are the two. Every check in :mod:`geo.validation`,
:mod:`geo.column_schema`, :mod:`geo.rules` and :mod:`geo.place_rules` reports a
:class:`Problem`; :func:`parse_dates` is the one date parser they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

import pandas as pd

from geo import settings

Kind = Literal["events", "presence"]

DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
#: Problems about the header rather than one row.
FILE_CODES = ("missing_columns", "extra_columns", "duplicate_columns")


class PlaceResolver(Protocol):
    """What validation needs of a gazetteer (``geo.gazetteer.Gazetteer`` has it)."""

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Any:
        """Return the place named ``name``; raise PlaceNotFoundError when none."""
        ...


@dataclass(frozen=True)
class Problem:
    """One problem in a claims file.

    ``row`` is the line number in the file (the header is line 1). ``str()`` gives
    the message, e.g. ``events.csv, line 7, column 'latitude': found '95.2';
    expected a latitude between 29.3 and 38.6``.
    """

    file: str
    row: int
    column: str
    value: str
    expected: str
    code: str

    def __str__(self) -> str:
        if self.code in FILE_CODES:
            return f"{self.file}, line {self.row} (header): {self.value}; expected {self.expected}"
        found = f"'{self.value}'" if self.value != "" else "an empty value"
        where = f"{self.file}, line {self.row}, column '{self.column}'"
        return f"{where}: found {found}; expected {self.expected}"


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
FORMATS: dict[str, ClaimsFormat] = {"events": EVENTS, "presence": PRESENCE}


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse ``YYYY-MM-DD`` text; anything else (or an impossible date) becomes NaT."""
    well_formed = s.where(s.str.fullmatch(DATE_PATTERN), None)
    dates = pd.to_datetime(well_formed, format="%Y-%m-%d", errors="coerce")
    return dates.astype("datetime64[us]")  # microseconds: years 1-9999 fit
