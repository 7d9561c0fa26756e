"""Claims: reading and validating events and presence files, and filtering them.

The public face of the sub-package; everything outside it imports from here.

- :func:`read_claims` reads a path, bytes or a file object and returns a
  :class:`LoadResult` (good rows, problems, rejected rows);
- :class:`Filters`, :func:`filter_events` and :func:`filter_presence` select rows;
- :func:`events_to_csv_frame` turns loaded events back into CSV rows;
- :func:`spread_over_periods` and :func:`report_dates` say what a claim's dates mean
  for counting per period and for "last reported";
- :data:`EVENTS` and :data:`PRESENCE` describe the two formats;
- :func:`read_stances` (who claims, denies, acknowledges or corroborates each claim,
  when, and the figure each side gives: ``stances``), :func:`derive_status` and
  :func:`apply_stances` (the status that derives from them: ``status``).

Inside: ``formats`` (the formats), ``validation`` with ``schema``, ``rules`` and
``place_rules`` (the checks), ``stances`` then ``status``, ``read``, ``write``,
``filters`` and ``dates``. They import one another in that order and never this module.
"""

from __future__ import annotations

from geo.claims.dates import report_dates, spread_over_periods
from geo.claims.filters import Filters, filter_events, filter_presence
from geo.claims.formats import CLAIM_FORMATS, EVENTS, PRESENCE, ClaimsFormat, Kind
from geo.claims.read import LoadResult, detect_kind, read_claims, read_stances_for
from geo.claims.stances import (
    STANCE_COLUMNS,
    STANCES,
    StanceResult,
    read_stances,
    report_day,
    row_stances,
)
from geo.claims.status import (
    apply_stances,
    contested,
    derive_status,
    implied_stances,
    known_as_of,
)
from geo.claims.write import events_to_csv_frame

__all__ = [
    "CLAIM_FORMATS",
    "EVENTS",
    "PRESENCE",
    "STANCES",
    "STANCE_COLUMNS",
    "ClaimsFormat",
    "Filters",
    "Kind",
    "LoadResult",
    "StanceResult",
    "apply_stances",
    "contested",
    "derive_status",
    "detect_kind",
    "events_to_csv_frame",
    "filter_events",
    "filter_presence",
    "implied_stances",
    "known_as_of",
    "read_claims",
    "read_stances",
    "read_stances_for",
    "report_dates",
    "report_day",
    "row_stances",
    "spread_over_periods",
]
