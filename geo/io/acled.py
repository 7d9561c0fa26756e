"""ACLED export rows -> the normalized columns an import continues with.

The tables map ACLED's codes to the project's vocabularies (``settings.EVENT_TYPES``,
``LOCATION_PRECISIONS``, ``DATE_PRECISIONS``) and say what each code means, for the
``date_basis`` and ``location_basis`` texts; the README's "Export and import" section
documents them. :func:`convert_rows` converts whole columns at once;
:func:`geo.io.importers.convert_file` resolves the places and checks the result.
"""

from __future__ import annotations

import pandas as pd

from geo.io._columns import (
    coded,
    excerpt,
    flag,
    iso,
    join,
    labelled,
    optional_column,
    sources,
    text,
    when,
    whole_number,
)

#: ACLED export columns, in the order ACLED writes them.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
#: The columns the converter reads; a file lacking one of them cannot be imported.
ACLED_NEEDED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip

# --- mapping tables (documented in the README) -------------------------------------
#: ACLED event_type -> settings.EVENT_TYPES.
ACLED_EVENT_TYPES = {
    "Battles": "clash",
    "Explosions/Remote violence": "attack",
    "Violence against civilians": "violence_against_civilians",
    "Protests": "protest",
    "Riots": "riot",
    "Strategic developments": "strategic_development",
}
#: ACLED sub_event_type values that override the event_type's mapping.
ACLED_SUB_EVENT_TYPES = {"Excessive force against protesters": "violence_against_civilians"}
#: ACLED geo_precision -> settings.LOCATION_PRECISIONS.
ACLED_GEO_PRECISION = {"1": 1, "2": 2, "3": 3}
#: ACLED time_precision -> settings.DATE_PRECISIONS (the dates themselves: see README).
ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
#: What each code means, for date_basis and location_basis.
ACLED_GEO_MEANING = {
    "1": "the named place",
    "2": "near the named place, or a part of a region",
    "3": "only a larger region: the point is a provincial capital or a natural location",
}
ACLED_TIME_MEANING = {
    "1": "the day is reported",
    "2": "only the week is known: a 7-day window centred on event_date",
    "3": "only the month is known: event_date is a coded mid-month day, not a real day",
}


def convert_rows(rows: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, pd.Series]:
    """Convert ACLED columns to normalized columns (dates as timestamps) and reasons.

    Parameters
    ----------
    rows : pandas.DataFrame
        The export's values as stripped text (at least :data:`ACLED_NEEDED`), indexed
        by input line.
    file : str
        The export's file name, written into each row's ``sources``.

    Returns
    -------
    norm : pandas.DataFrame
        The events columns that need no place look-up, plus ``source_id``,
        ``country``, ``admin1``, ``admin2``, ``place``, ``lon_text``, ``lat_text``,
        ``precision`` and ``precision_basis`` for :func:`geo.io._places.locate`.
    reasons : pandas.Series
        Per row, why it cannot be imported ("" when nothing is wrong yet).

    Examples
    --------
    >>> norm, reasons = convert_rows(rows, file="acled.csv")  # doctest: +SKIP
    """
    idx = rows.index
    reasons = pd.Series("", index=idx, dtype=object)
    src_id, raw_date, tp, gp = (
        rows[c] for c in ("event_id_cnty", "event_date", "time_precision", "geo_precision")
    )
    reasons = flag(reasons, src_id == "", "event_id_cnty is empty; every ACLED row has one")
    date = pd.to_datetime(raw_date, format="%Y-%m-%d", errors="coerce")
    date = date.fillna(pd.to_datetime(raw_date, format="%d %B %Y", errors="coerce"))
    reasons = flag(
        reasons,
        date.isna(),
        text("event_date: found '{d}'; expected YYYY-MM-DD or '12 May 2022'", idx, d=raw_date),
    )
    precision, reasons = coded(
        rows, "time_precision", ACLED_TIME_PRECISION, "1 (day), 2 (week) or 3 (month)", reasons
    )
    week, month = precision == "week", precision == "month"
    start = date.where(~week, date - pd.Timedelta(days=3))
    start = start.where(~month, date.dt.to_period("M").dt.start_time)
    end = pd.Series(pd.NaT, index=idx, dtype=start.dtype)
    end = end.where(~week, date + pd.Timedelta(days=3))
    end = end.where(~month, start + pd.offsets.MonthEnd(0))

    event_type = rows["sub_event_type"].map(ACLED_SUB_EVENT_TYPES)
    event_type = event_type.fillna(rows["event_type"].map(ACLED_EVENT_TYPES))
    reasons = flag(
        reasons,
        event_type.isna(),
        text("event_type: found '{v}'; expected one of {all}", idx, v=rows["event_type"],
              all=", ".join(ACLED_EVENT_TYPES)),
    )  # fmt: skip
    fatalities, ok = whole_number(rows["fatalities"])
    reasons = flag(
        reasons,
        ~ok,
        text(
            "fatalities: found '{v}'; expected a whole number or empty", idx, v=rows["fatalities"]
        ),
    )
    location_precision, reasons = coded(
        rows, "geo_precision", ACLED_GEO_PRECISION, "1, 2 or 3", reasons
    )
    extra = join(
        [
            labelled("interaction ", optional_column(rows, "interaction")),
            labelled("tags: ", optional_column(rows, "tags")),
            labelled("source scale: ", optional_column(rows, "source_scale")),
        ],
        "; ",
    )
    about = text(
        "[ACLED: {t} / {s}{extra}]",
        idx,
        t=rows["event_type"],
        s=rows["sub_event_type"],
        extra=labelled("; ", extra),
    )
    norm = pd.DataFrame(
        {
            "source_id": src_id,
            "event_id": "acled:" + src_id,
            "date_start": start,
            "date_end": end,
            "date_precision": precision.fillna(""),
            "date_basis": text(
                "ACLED event_date {d}, time_precision {tp} ({meaning})",
                idx,
                d=raw_date,
                tp=tp,
                meaning=tp.map(ACLED_TIME_MEANING).fillna("unknown code"),
            ),
            "event_type": event_type.fillna(""),
            "actor1": rows["actor1"],
            "actor2": rows["actor2"],
            "claimed_by": "ACLED",
            "claim_status": "claimed",
            "country": rows["country"],
            "admin1": rows["admin1"],
            "admin2": rows["admin2"],
            "place": rows["location"],
            "lon_text": rows["longitude"],
            "lat_text": rows["latitude"],
            "precision": location_precision,
            "precision_basis": text(
                "ACLED geo_precision {gp} ({meaning})",
                idx,
                gp=gp,
                meaning=gp.map(ACLED_GEO_MEANING).fillna("unknown code"),
            ),
            "fatalities": fatalities,
            "fatalities_claimed_by": when(fatalities != "", "ACLED (reported figure)", "", idx),
            "notes": join([rows["notes"], about], " "),
            "sources": sources(
                file,
                outlet=rows["source"],
                title=text("ACLED {id}: {sub}", idx, id=src_id, sub=rows["sub_event_type"]),
                quote=excerpt(
                    when(rows["notes"] != "", rows["notes"], "(the ACLED row has no notes)", idx)
                ),
                original_id=src_id,
                # ACLED's timestamp: when the dataset published (or last updated) the row,
                # the day its stance was reported (geo.claims.report_dates)
                published=_published(rows),
            ),
        },
        index=idx,
    )
    return norm, reasons


def _published(rows: pd.DataFrame) -> pd.Series:
    """Return ACLED's ``timestamp`` (Unix seconds) as an ISO day, "" when missing or bad."""
    seconds = pd.to_numeric(optional_column(rows, "timestamp"), errors="coerce")
    seconds = seconds.where((seconds > 0) & (seconds < 4_102_444_800))  # before 2100
    return iso(pd.to_datetime(seconds, unit="s", errors="coerce"))
