"""UCDP GED export rows -> the normalized columns an import continues with.

The tables map UCDP GED's codes to the project's vocabularies (``settings.EVENT_TYPES``,
``LOCATION_PRECISIONS``, ``DATE_PRECISIONS``) and say what each code means, for the
``date_basis`` and ``location_basis`` texts; the README's "Export and import" section
documents them. :func:`convert_rows` converts whole columns at once;
:func:`geo.io.importers.convert_file` resolves the places and checks the result.
"""

from __future__ import annotations

import functools

import pandas as pd

from geo.io._columns import (
    coded,
    excerpt,
    flag,
    join,
    labelled,
    optional_column,
    sources,
    text,
    when,
    whole_number,
)

#: UCDP GED (candidate and yearly) CSV columns, in UCDP's order.
UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low",
)  # fmt: skip
#: The columns the converter reads; a file lacking one of them cannot be imported.
UCDP_NEEDED = (
    "id", "type_of_violence", "side_a", "side_b", "number_of_sources", "source_article",
    "source_headline", "source_original", "where_prec", "where_coordinates", "adm_1",
    "adm_2", "latitude", "longitude", "country", "date_prec", "date_start", "date_end",
    "best",
)  # fmt: skip

# --- mapping tables (documented in the README) -------------------------------------
#: UCDP type_of_violence -> settings.EVENT_TYPES.
UCDP_VIOLENCE_TYPES = {"1": "clash", "2": "clash", "3": "violence_against_civilians"}
#: UCDP where_prec -> settings.LOCATION_PRECISIONS.
UCDP_WHERE_PREC = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 4, "7": 4}
#: UCDP date_prec -> settings.DATE_PRECISIONS (the dates themselves: see README).
UCDP_DATE_PREC = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "range"}
#: What each code means, for date_basis and location_basis.
UCDP_WHERE_MEANING = {
    "1": "the exact location",
    "2": "within about 25 km of the named place",
    "3": "a district centroid",
    "4": "a province centroid",
    "5": "an area larger than a province, or between places",
    "6": "the country centroid",
    "7": "water or airspace",
}
UCDP_DATE_MEANING = {
    "1": "the day is reported",
    "2": "a span of 2-6 days",
    "3": "only the week is known",
    "4": "only the month is known",
    "5": "only the year is known",
}
#: Suffixes UCDP appends to names ("Panjsher province", "Dara district", "Kabul town").
UCDP_SUFFIXES = r"\s+(province|district|town|city|village|area|region)$"


def _strip_suffix(values: pd.Series) -> pd.Series:
    """Drop UCDP's " province" / " district" / " town" suffixes."""
    return values.str.replace(UCDP_SUFFIXES, "", regex=True, case=False).str.strip()


def _ucdp_date(values: pd.Series) -> pd.Series:
    shaped = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?")
    return pd.to_datetime(values.str.slice(0, 10).where(shaped), format="%Y-%m-%d", errors="coerce")


def convert_rows(rows: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, pd.Series]:
    """Convert UCDP GED columns to normalized columns (dates as timestamps) and reasons.

    Parameters
    ----------
    rows : pandas.DataFrame
        The export's values as stripped text (at least :data:`UCDP_NEEDED`), indexed
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
    >>> norm, reasons = convert_rows(rows, file="ged.csv")  # doctest: +SKIP
    """
    idx = rows.index
    reasons = pd.Series("", index=idx, dtype=object)
    src_id, dp, wp = (rows[c] for c in ("id", "date_prec", "where_prec"))
    reasons = flag(reasons, src_id == "", "id is empty; every UCDP GED row has one")
    first, last = _ucdp_date(rows["date_start"]), _ucdp_date(rows["date_end"])
    reasons = flag(
        reasons,
        first.isna(),
        text("date_start: found '{v}'; expected YYYY-MM-DD", idx, v=rows["date_start"]),
    )
    reasons = flag(
        reasons,
        last.isna() & (rows["date_end"] != ""),
        text("date_end: found '{v}'; expected YYYY-MM-DD or empty", idx, v=rows["date_end"]),
    )
    reasons = flag(
        reasons,
        last < first,
        text(
            "date_end {e} is before date_start {s}", idx, e=rows["date_end"], s=rows["date_start"]
        ),
    )
    precision, reasons = coded(rows, "date_prec", UCDP_DATE_PREC, "1, 2, 3, 4 or 5", reasons)
    last = last.fillna(first)
    span = (last - first).dt.days
    month_start = first.dt.to_period("M").dt.start_time
    same_month = last.dt.to_period("M") == first.dt.to_period("M")
    misfit = (
        ((precision == "day") & (span > 0))
        | ((precision == "week") & (span > 6))
        | ((precision == "month") & ~same_month)
    )
    precision = precision.where(~misfit, "range")
    start = first.where(precision != "month", month_start)
    end = last.where(precision.isin(["week", "range"]), pd.NaT)
    end = end.where(precision != "month", month_start + pd.offsets.MonthEnd(0))

    event_type, reasons = coded(
        rows,
        "type_of_violence",
        UCDP_VIOLENCE_TYPES,
        "1 (state-based), 2 (non-state) or 3 (one-sided)",
        reasons,
    )
    fatalities, ok = whole_number(rows["best"])
    reasons = flag(
        reasons,
        ~ok,
        text("best: found '{v}'; expected a whole number or empty", idx, v=rows["best"]),
    )
    location_precision, reasons = coded(rows, "where_prec", UCDP_WHERE_PREC, "1 to 7", reasons)
    col = functools.partial(optional_column, rows)
    deaths = text(
        "deaths: side A {a}, side B {b}, civilians {c}, unknown {u}; best {best} (low {low}, "
        "high {high})",
        idx, a=col("deaths_a"), b=col("deaths_b"), c=col("deaths_civilians"),
        u=col("deaths_unknown"), best=rows["best"], low=col("low"), high=col("high"),
    )  # fmt: skip
    notes = join(
        [
            labelled("UCDP GED conflict: ", col("conflict_name")),
            labelled("dyad: ", col("dyad_name")),
            deaths,
            labelled("where: ", col("where_description")),
            labelled("event_clarity ", col("event_clarity")),
            labelled("number_of_sources ", rows["number_of_sources"]),
        ],
        "; ",
    )
    original, headline = rows["source_original"], rows["source_headline"]
    quote = when(original != "", original, headline, idx)
    quote = when(quote != "", quote, "(the UCDP GED row has no source text)", idx)
    n_sources = pd.to_numeric(rows["number_of_sources"], errors="coerce")
    norm = pd.DataFrame(
        {
            "source_id": src_id,
            "event_id": "ucdp:" + src_id,
            "date_start": start,
            "date_end": end,
            "date_precision": precision.fillna(""),
            "date_basis": text(
                "UCDP GED date_start {s}, date_end {e}, date_prec {dp} ({meaning}){misfit}",
                idx,
                s=rows["date_start"].str.slice(0, 10),
                e=rows["date_end"].str.slice(0, 10),
                dp=dp,
                meaning=dp.map(UCDP_DATE_MEANING).fillna("unknown code"),
                misfit=when(misfit, "; the dates do not fit that precision: a range", "", idx),
            ),
            "event_type": event_type.fillna(""),
            "actor1": rows["side_a"],
            "actor2": rows["side_b"],
            "claimed_by": "UCDP GED",
            "claim_status": when(n_sources >= 2, "corroborated", "claimed", idx),
            "country": rows["country"],
            "admin1": _strip_suffix(rows["adm_1"]),
            "admin2": _strip_suffix(rows["adm_2"]),
            "place": _strip_suffix(rows["where_coordinates"]),
            "lon_text": rows["longitude"],
            "lat_text": rows["latitude"],
            "precision": location_precision,
            "precision_basis": text(
                "UCDP where_prec {wp} ({meaning})",
                idx,
                wp=wp,
                meaning=wp.map(UCDP_WHERE_MEANING).fillna("unknown code"),
            ),
            "fatalities": fatalities,
            "fatalities_claimed_by": when(fatalities != "", "UCDP GED best estimate", "", idx),
            "notes": notes,
            "sources": sources(
                file,
                outlet=rows["source_article"],
                title=when(headline != "", headline, "UCDP GED " + src_id, idx),
                quote=excerpt(quote),
                original_id=src_id,
                cites=original,
                published=col("source_date"),
            ),
        },
        index=idx,
    )
    return norm, reasons
