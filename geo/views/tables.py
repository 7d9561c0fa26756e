"""Events as tables for people: one area's events, and a plain-text table of claims.

Input is ``layer_frame("events", ...)`` (:mod:`geo.views`); every value of
:func:`event_table` is plain text, so a table widget never interprets HTML.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from geo import settings

__all__ = ["area_events", "area_figures", "count_summary", "event_table"]


def area_events(events_frame: pd.DataFrame, *, area_code: str, kind: str) -> pd.DataFrame:
    """Return the events of one province or district.

    Parameters
    ----------
    events_frame : pandas.DataFrame
        Rows of ``layer_frame("events", ...)``.
    area_code : str
        An ISO code (``AF-PAN``) or a ``district_id``.
    kind : {"province", "district"}

    Returns
    -------
    pandas.DataFrame
        The rows placed in that area (by point or by code or district name).

    Raises
    ------
    ValueError
        If ``kind`` is neither "province" nor "district".

    Examples
    --------
    >>> area_events(frame, area_code="AF-PAN", kind="province")  # doctest: +SKIP
    """
    if kind not in ("province", "district"):
        raise ValueError(f"kind must be 'province' or 'district', not {kind!r}")
    column = "province_code" if kind == "province" else "district_id"
    if column not in events_frame:
        return events_frame.iloc[0:0]
    return events_frame[(events_frame[column].astype(object) == area_code).to_numpy(bool)]


def area_figures(area_frame: pd.DataFrame, *, area_code: str) -> dict[str, Any] | None:
    """Return one area's figures for the window as labelled text (None: not in the layer).

    Parameters
    ----------
    area_frame : pandas.DataFrame
        Rows of ``layer_frame("provinces" or "districts", ...)``.
    area_code : str
        The area's ``area_code``.

    Returns
    -------
    dict or None
        ``name``, ``as_of`` (the window's last day, ``YYYY-MM-DD``: a heading says
        "as of <date>") and ``figures``: label -> value (a number or text), in the
        order a page shows them. The third figure is the latest report date
        (``last_reported``), labelled for what it is: "Last reported" when every
        claim in the area has a source with a ``published`` date (or there are no
        claims); "Latest claim date (no report date)" when none has, so the date is
        the claims' own latest date; "Last reported or claim date (some claims have
        no report date)" in between.

    Examples
    --------
    >>> area_figures(frame, area_code="AF-PAN")["figures"]["Claims in window"]  # doctest: +SKIP
    17
    """
    rows = area_frame[area_frame["area_code"] == area_code]
    if rows.empty:
        return None
    r = rows.iloc[0]
    fatal, last = r["fatalities"], r["last_reported"]
    return {
        "name": str(r["name"]),
        "as_of": str(r["as_of"]),
        "figures": {
            "Claims in window": int(r["claims"]),
            "Claimed fatalities": "none" if pd.isna(fatal) else int(fatal),
            _last_label(int(r["claims"]), r.get("claims_without_report_date", 0)): (
                "–" if pd.isna(last) else str(last)[:10]
            ),
            "Presence level (0-3)": int(r["presence_level"]),
        },
    }


#: The label of ``last_reported`` by how many of the area's claims have a report date.
LAST_REPORTED: Final = "Last reported"
LATEST_CLAIM_DATE: Final = "Latest claim date (no report date)"
LAST_REPORTED_OR_CLAIM_DATE: Final = "Last reported or claim date (some claims have no report date)"


def _last_label(claims: int, undated: Any) -> str:
    undated = 0 if pd.isna(undated) else int(undated)
    if undated == 0:
        return LAST_REPORTED
    return LATEST_CLAIM_DATE if undated >= claims else LAST_REPORTED_OR_CLAIM_DATE


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def count_summary(events: int, unplaced: int) -> str:
    """Say how many events match and how many the map cannot draw, from the counts.

    Examples
    --------
    >>> count_summary(1, 0)
    '1 event matches the window and filters: 1 on the map, 0 claims cannot be placed on the map.'
    """
    verb = "matches" if events == 1 else "match"
    return (
        f"{_plural(events, 'event')} {verb} the window and filters: "
        f"{events - unplaced:,} on the map, {_plural(unplaced, 'claim')} cannot be "
        "placed on the map."
    )


def _source_text(sources: Any) -> str:
    items = sources if isinstance(sources, list | tuple) else []
    parts = []
    for item in items:
        if not isinstance(item, dict):
            continue
        quote = str(item.get("quote", ""))
        parts.append(f"{item.get('outlet', '')} — {item.get('title', '')} — “{quote}”")
    return "\n".join(parts)


def event_table(events_frame: pd.DataFrame) -> pd.DataFrame:
    """Return events as a plain-text table for people: dates, who claims what, sources.

    Every value is plain text (the app shows it with ``st.dataframe``, which never
    interprets HTML).

    Parameters
    ----------
    events_frame : pandas.DataFrame
        Rows of ``layer_frame("events", ...)``.

    Returns
    -------
    pandas.DataFrame
        Columns Date, Type, Place, Precision, Actors, Claimed by, Status, Fatalities
        (claimed), Notes, Sources, ID; sorted by date.

    Examples
    --------
    >>> event_table(frame).columns[0]  # doctest: +SKIP
    'Date'
    """
    if events_frame.empty:
        return pd.DataFrame(columns=_TABLE_COLUMNS)
    f = events_frame.sort_values("date_start")
    start = f["date_start"].dt.strftime("%Y-%m-%d")
    end = f["date_end"].dt.strftime("%Y-%m-%d").fillna("open")
    precision_words = f["date_precision"].map(lambda p: settings.DATE_PRECISION_LABELS.get(p, p))
    dates = np.where(start == end, start, start + " – " + end + " (" + precision_words + ")")
    precision = f["location_precision"].map(lambda p: settings.LOCATION_PRECISIONS.get(p, "?"))
    place = f["location_name"].astype(str)
    province = f.get("province_name", f["province_code"]).fillna("").astype(str)
    actors: pd.Series = f["actor1"].astype(str) + np.where(
        f["actor2"].fillna("").astype(str) != "", " vs " + f["actor2"].fillna("").astype(str), ""
    )
    fatal = f["fatalities"].astype("Int64").astype("string").fillna("")
    by = f["fatalities_claimed_by"].fillna("").astype(str)
    fatal = fatal.where(fatal == "", fatal + " (per " + by + ")")
    table = pd.DataFrame(
        {
            "Date": dates,
            "Type": f["event_type"].astype(str).map(lambda t: settings.EVENT_TYPE_LABELS.get(t, t)),
            "Place": np.where(province != "", place + ", " + province, place),
            "Precision": precision.astype(str),
            "Actors": actors,
            "Claimed by": f["claimed_by"].astype(str),
            "Status": f["claim_status"]
            .astype(str)
            .map(lambda c: settings.CLAIM_STATUS_LABELS.get(c, c)),
            "Fatalities (claimed)": fatal.astype(str),
            "Notes": f["notes"].fillna("").astype(str),
            "Sources": f["sources"].map(_source_text),
            "ID": f["event_id"].astype(str),
        }
    )
    return table.reset_index(drop=True)


_TABLE_COLUMNS: Final = [
    "Date",
    "Type",
    "Place",
    "Precision",
    "Actors",
    "Claimed by",
    "Status",
    "Fatalities (claimed)",
    "Notes",
    "Sources",
    "ID",
]
