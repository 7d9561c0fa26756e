"""Filtering loaded claims: a time window and selections over events and presence.

An event is in a window when its span overlaps it: ``date_start <= end`` and
(``date_end >= start`` or ``date_end`` is NaT, an open range); a presence row likewise
with ``period_start``/``period_end``. Every option left as None selects everything;
a bad value (an unreadable date, an unknown event type) raises ValueError naming the
allowed values. Input is what :mod:`geo.claims` loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import settings

__all__ = ["filter_events", "filter_presence", "presence_as_of"]


def _timestamp(value: Any, what: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be a date such as '2022-04-29', not {value!r}") from exc
    if stamp is pd.NaT:
        raise ValueError(f"{what} must be a date such as '2022-04-29', not {value!r}")
    return stamp.normalize()


def _window(start: Any, end: Any) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    lo, hi = _timestamp(start, "start"), _timestamp(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start ({lo.date()}) is after end ({hi.date()})")
    return lo, hi


def _overlaps(
    first: pd.Series, last: pd.Series, lo: pd.Timestamp | None, hi: pd.Timestamp | None
) -> pd.Series:
    keep = pd.Series(True, index=first.index)
    if hi is not None:
        keep &= first <= hi
    if lo is not None:
        keep &= (last >= lo) | last.isna()
    return keep


def _as_set(values: Iterable[str] | str | None, what: str, allowed: Iterable[str] = ()) -> set[str]:
    chosen = {values} if isinstance(values, str) else set(values or ())
    allowed = set(allowed)
    unknown = sorted(chosen - allowed) if allowed else []
    if unknown:
        raise ValueError(f"unknown {what} {unknown}; expected some of {sorted(allowed)}")
    return chosen


def filter_events(
    events: gpd.GeoDataFrame,
    *,
    start: Any = None,
    end: Any = None,
    actors: Iterable[str] | None = None,
    event_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    min_precision: int | None = None,
    sources: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Select events; every option left as None selects everything.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Loaded events (:func:`geo.claims.read_events`).
    start, end : date-like, optional
        A window; an event is in it when ``date_start <= end`` and
        (``date_end >= start`` or ``date_end`` is NaT, an open range). Events with
        imprecise dates are kept when their span overlaps the window.
    actors : iterable of str, optional
        Keep events whose ``actor1`` or ``actor2`` is one of these (case-insensitive).
    event_types, statuses : iterable of str, optional
        Values of ``settings.EVENT_TYPES`` and ``settings.CLAIM_STATUSES``.
    min_precision : int, optional
        The least precise location kept: 2 keeps precision 1 and 2.
    sources : iterable of str, optional
        Keep events with a source whose ``file`` or ``outlet`` is one of these.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows (a copy), same columns.

    Raises
    ------
    ValueError
        If a date cannot be read, ``start`` is after ``end``, a type or status is not
        in the vocabulary, or ``min_precision`` is not 1-4.

    Examples
    --------
    >>> filter_events(events, start="2022-04-01", event_types=["clash"])  # doctest: +SKIP
    """
    lo, hi = _window(start, end)
    types = _as_set(event_types, "event_types", settings.EVENT_TYPES)
    status = _as_set(statuses, "statuses", settings.CLAIM_STATUSES)
    if min_precision is not None and min_precision not in settings.LOCATION_PRECISIONS:
        raise ValueError(
            f"min_precision must be one of {list(settings.LOCATION_PRECISIONS)}, "
            f"not {min_precision!r}"
        )
    keep = _overlaps(events["date_start"], events["date_end"], lo, hi)
    if actors is not None:
        wanted = {a.strip().casefold() for a in _as_set(actors, "actors")}
        keep &= events["actor1"].str.strip().str.casefold().isin(wanted) | events[
            "actor2"
        ].str.strip().str.casefold().isin(wanted)
    if event_types is not None:
        keep &= events["event_type"].isin(types)
    if statuses is not None:
        keep &= events["claim_status"].isin(status)
    if min_precision is not None:
        keep &= (events["location_precision"] <= min_precision).fillna(False)
    if sources is not None:
        wanted_sources = _as_set(sources, "sources")
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
    presence: gpd.GeoDataFrame,
    *,
    start: Any = None,
    end: Any = None,
    groups: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Select presence rows whose period overlaps a window, optionally by group.

    Parameters
    ----------
    presence : geopandas.GeoDataFrame
        Loaded presence (:func:`geo.claims.read_presence`).
    start, end : date-like, optional
        Same overlap rule as :func:`filter_events`; an empty ``period_end`` is open.
    groups : iterable of str, optional
        Keep these groups (case-insensitive).

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    ValueError
        If a date cannot be read or ``start`` is after ``end``.

    Examples
    --------
    >>> filter_presence(presence, start="2022-01-01", groups=["NRF"])  # doctest: +SKIP
    """
    lo, hi = _window(start, end)
    keep = _overlaps(presence["period_start"], presence["period_end"], lo, hi)
    if groups is not None:
        wanted = {g.strip().casefold() for g in _as_set(groups, "groups")}
        keep &= presence["group"].str.strip().str.casefold().isin(wanted)
    return presence[keep.to_numpy(dtype=bool)].copy()


def presence_as_of(presence: gpd.GeoDataFrame, as_of: Any) -> gpd.GeoDataFrame:
    """Return the presence rows whose period contains ``as_of`` (open end = still active).

    Examples
    --------
    >>> presence_as_of(presence, "2022-05-01")  # doctest: +SKIP
    """
    return filter_presence(presence, start=as_of, end=as_of)
