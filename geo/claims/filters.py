"""Filtering claims: one :class:`Filters` value, checked once, applied to events and presence.

An event is in a window when its span overlaps it: ``date_start <= end`` and
(``date_end >= start`` or ``date_end`` is NaT, an open range); a presence row likewise
with ``period_start``/``period_end``. Every selection left empty selects everything.
:class:`Filters` checks its values when it is made (a date that cannot be read, an
unknown event type, a precision outside 1-4 raise ``ValueError`` naming the allowed
values), so the functions that apply it do no checking of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import settings

__all__ = ["Filters", "filter_events", "filter_presence"]


def _day(value: Any, what: str) -> date | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{what} must be a date such as '2022-04-29', not {value!r}") from exc
    if stamp is pd.NaT:
        raise ValueError(f"{what} must be a date such as '2022-04-29', not {value!r}")
    return stamp.date()


def _texts(
    values: Iterable[str] | str | None, what: str, allowed: Iterable[str] = ()
) -> tuple[str, ...]:
    chosen = (values,) if isinstance(values, str) else tuple(values or ())
    allowed = tuple(allowed)
    unknown = sorted(set(chosen) - set(allowed)) if allowed else []
    if unknown:
        raise ValueError(f"unknown {what} {unknown}; expected some of {list(allowed)}")
    return tuple(dict.fromkeys(chosen))


@dataclass(frozen=True)
class Filters:
    """What a user selected; an empty selection or None selects everything.

    The values are checked when a ``Filters`` is made.

    Attributes
    ----------
    start, end : datetime.date, optional
        The window (anything ``pandas.Timestamp`` reads is accepted and kept as a
        date); an event is in it when its span overlaps it.
    actors : tuple of str
        Groups or actors (``actor1``/``actor2``; presence ``group``), case-insensitive.
    event_types, statuses : tuple of str
        Values of ``settings.EVENT_TYPES`` and ``settings.CLAIM_STATUSES``.
    coarsest_precision : int, optional
        The coarsest location precision kept (1 exact place ... 4 region/country):
        2 keeps exact places and districts.
    sources : tuple of str
        Source outlets or files.
    contested : bool
        Only contested claims: a claim and a denial on record (the ``contested``
        column loading gives each row from its stances).
    known_on : datetime.date, optional
        The map as known on that day: only the claims reported by then, with their
        status as it stood then (from their stances). Independent of the window (when
        it happened); applied to loaded data by ``geo.views`` (:func:`known_on`),
        which has the stances.

    Raises
    ------
    ValueError
        If a date cannot be read, ``start`` is after ``end``, a type or status is not
        in its vocabulary, or ``coarsest_precision`` is not 1-4.

    Examples
    --------
    >>> Filters(start="2022-04-01", event_types=["clash"]).start
    datetime.date(2022, 4, 1)
    >>> Filters(coarsest_precision=5)
    Traceback (most recent call last):
    ...
    ValueError: coarsest_precision must be one of [1, 2, 3, 4], not 5
    """

    start: date | None = None
    end: date | None = None
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    coarsest_precision: int | None = None
    sources: tuple[str, ...] = ()
    contested: bool = False
    known_on: date | None = None

    def __post_init__(self) -> None:
        start, end = _day(self.start, "start"), _day(self.end, "end")
        object.__setattr__(self, "known_on", _day(self.known_on, "known_on"))
        if start is not None and end is not None and start > end:
            raise ValueError(f"start ({start}) is after end ({end})")
        precision = self.coarsest_precision
        if precision is not None and precision not in settings.LOCATION_PRECISIONS:
            raise ValueError(
                f"coarsest_precision must be one of {list(settings.LOCATION_PRECISIONS)}, "
                f"not {precision!r}"
            )
        checked = {
            "start": start,
            "end": end,
            "actors": _texts(self.actors, "actors"),
            "event_types": _texts(self.event_types, "event_types", settings.EVENT_TYPES),
            "statuses": _texts(self.statuses, "statuses", settings.CLAIM_STATUSES),
            "sources": _texts(self.sources, "sources"),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def without_window(self) -> Filters:
        """Return the same selections over the whole time span."""
        return replace(self, start=None, end=None)


def _overlaps(first: pd.Series, last: pd.Series, lo: date | None, hi: date | None) -> pd.Series:
    keep = pd.Series(True, index=first.index)
    if hi is not None:
        keep &= first <= pd.Timestamp(hi)
    if lo is not None:
        keep &= (last >= pd.Timestamp(lo)) | last.isna()
    return keep


def _folded(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip().str.casefold()


def filter_events(events: gpd.GeoDataFrame, filters: Filters | None = None) -> gpd.GeoDataFrame:
    """Return the events that match ``filters`` (all of them for None).

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Loaded events (:func:`geo.claims.read_claims`).
    filters : Filters, optional
        The window and selections. Events with imprecise dates are kept when their
        span overlaps the window.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows (a copy), same columns.

    Examples
    --------
    >>> filter_events(events, Filters(start="2022-04-01", event_types=["clash"]))
    ... # doctest: +SKIP
    """
    f = Filters() if filters is None else filters
    keep = _overlaps(events["date_start"], events["date_end"], f.start, f.end)
    if f.actors:
        wanted = {a.strip().casefold() for a in f.actors}
        keep &= _folded(events["actor1"]).isin(wanted) | _folded(events["actor2"]).isin(wanted)
    if f.event_types:
        keep &= events["event_type"].isin(f.event_types)
    if f.statuses:
        keep &= events["claim_status"].isin(f.statuses)
    if f.coarsest_precision is not None:
        keep &= (events["location_precision"] <= f.coarsest_precision).fillna(False)
    if f.contested:
        keep &= _contested(events)
    if f.sources:
        wanted_sources = set(f.sources)
        keep &= (
            events["sources"]
            .map(
                lambda items: any(
                    s.get("file") in wanted_sources or s.get("outlet") in wanted_sources
                    for s in items or ()
                )
            )
            .astype(bool)
        )
    return events[keep.to_numpy(dtype=bool)].copy()


def filter_presence(
    presence: gpd.GeoDataFrame, filters: Filters | None = None, *, as_of: Any = None
) -> gpd.GeoDataFrame:
    """Return the presence rows that match ``filters``, or that hold on one day.

    Parameters
    ----------
    presence : geopandas.GeoDataFrame
        Loaded presence rows (:func:`geo.claims.read_claims`).
    filters : Filters, optional
        The window (same overlap rule as :func:`filter_events`; an empty
        ``period_end`` is open) and ``actors``, which select groups.
    as_of : date-like, optional
        Instead of the window: the rows whose period contains this day (an open
        end is still active).

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    ValueError
        If ``as_of`` is not a date.

    Examples
    --------
    >>> filter_presence(presence, Filters(actors=["NRF"]), as_of="2022-05-01")
    ... # doctest: +SKIP
    """
    f = Filters() if filters is None else filters
    lo, hi = (f.start, f.end) if as_of is None else (_day(as_of, "as_of"),) * 2
    keep = _overlaps(presence["period_start"], presence["period_end"], lo, hi)
    if f.actors:
        keep &= _folded(presence["group"]).isin({g.strip().casefold() for g in f.actors})
    if f.contested:
        keep &= _contested(presence)
    return presence[keep.to_numpy(dtype=bool)].copy()


def _contested(claims: pd.DataFrame) -> pd.Series:
    """Whether each row is contested (False where loading gave no ``contested`` column)."""
    if "contested" not in claims:
        return pd.Series(False, index=claims.index)
    return claims["contested"].fillna(False).astype(bool)
