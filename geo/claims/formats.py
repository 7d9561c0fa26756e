"""What a claims file is: the events and presence formats, and how their dates read.

:class:`ClaimsFormat` describes one kind of claims file (its columns, id column, date
columns, allowed location precisions and required values); :data:`EVENTS` and
:data:`PRESENCE` are the two. :func:`parse_dates` is the one date parser every check
shares, and :func:`implied_end` the end a date precision implies.
"""

from __future__ import annotations

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


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse ``YYYY-MM-DD`` text; anything else (or an impossible date) becomes NaT."""
    well_formed = s.where(s.str.fullmatch(DATE_PATTERN), None)
    dates = pd.to_datetime(well_formed, format="%Y-%m-%d", errors="coerce")
    return dates.astype("datetime64[us]")  # microseconds: years 1-9999 fit


def implied_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Return the end a precision implies for an empty date_end (NaT for a range).

    A day ends the same day, a week six days later, a month on its last day.
    """
    implied = pd.Series(pd.NaT, index=start.index, dtype="datetime64[us]")
    implied[precision == "day"] = start
    implied[precision == "week"] = start + pd.Timedelta(days=6)
    implied[precision == "month"] = start + pd.offsets.MonthEnd(0)
    return implied
