"""ACLED and UCDP GED exports -> the project's events CSV (``settings.EVENT_COLUMNS``).

An import reads the file once, checks its structure (header, field counts, a file cut
off in the middle of a row), converts every row with whole-column pandas operations
(gazetteer look-ups once per distinct name), checks the coordinates against the
province named (a vectorized ``sjoin``), and runs the result through
``geo.claims.read_events_bytes`` so the output always passes the project's own
validation. Every row that cannot be converted is reported with its line number and
the reason; none is dropped silently.

Precision codes are mapped to the project's scales (``LOCATION_PRECISIONS`` 1 exact,
2 district, 3 province, 4 region/country; ``DATE_PRECISIONS``): see the tables below
and the README's "Export and import" section. Coordinates are kept only for an exact
place; for anything vaguer the source's point is written into ``location_basis``,
never into ``longitude``/``latitude``.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import boundaries, claims, settings
from geo.errors import AmbiguousPlaceError, GeoError, ImportFormatError, PlaceNotFoundError
from geo.export import atomic_write
from geo.validation import BORDER_TOLERANCE_M

FORMATS = ("acled", "ucdp")

#: ACLED export columns, in the order ACLED writes them.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
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
#: The columns each converter reads; a file lacking one of them cannot be imported.
ACLED_NEEDED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip
UCDP_NEEDED = (
    "id", "type_of_violence", "side_a", "side_b", "number_of_sources", "source_article",
    "source_headline", "source_original", "where_prec", "where_coordinates", "adm_1",
    "adm_2", "latitude", "longitude", "country", "date_prec", "date_start", "date_end",
    "best",
)  # fmt: skip
#: Columns that only one format has: ``--format auto`` looks for these.
SIGNATURES = {
    "acled": ("event_id_cnty", "event_date", "time_precision", "geo_precision", "admin1"),
    "ucdp": ("type_of_violence", "side_a", "where_prec", "date_prec", "adm_1"),
}
LABELS = {"acled": "ACLED", "ucdp": "UCDP GED"}

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
#: UCDP type_of_violence -> settings.EVENT_TYPES.
UCDP_VIOLENCE_TYPES = {"1": "clash", "2": "clash", "3": "violence_against_civilians"}
#: Source location precision -> settings.LOCATION_PRECISIONS.
ACLED_GEO_PRECISION = {"1": 1, "2": 2, "3": 3}
UCDP_WHERE_PREC = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 4, "7": 4}
#: Source date precision -> settings.DATE_PRECISIONS (the dates themselves: see README).
ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
UCDP_DATE_PREC = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "range"}
ACLED_GEO_MEANING = {
    "1": "the named place",
    "2": "near the named place, or a part of a region",
    "3": "only a larger region: the point is a provincial capital or a natural location",
}
UCDP_WHERE_MEANING = {
    "1": "the exact location",
    "2": "within about 25 km of the named place",
    "3": "a district centroid",
    "4": "a province centroid",
    "5": "an area larger than a province, or between places",
    "6": "the country centroid",
    "7": "water or airspace",
}
ACLED_TIME_MEANING = {
    "1": "the day is reported",
    "2": "only the week is known: a 7-day window centred on event_date",
    "3": "only the month is known: event_date is a coded mid-month day, not a real day",
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
QUOTE_MAX = settings.SOURCE_QUOTE_MAX
ELLIPSIS = "…"
IMPORT_STAGES = ("read", "convert", "check", "write")
REPORT_FIXED = ("line", "source_id", "reason")


class Resolver(Protocol):
    """What an import needs of a gazetteer (``geo.gazetteer.Gazetteer`` has it)."""

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Any:
        """Return the place; raise PlaceNotFoundError or AmbiguousPlaceError."""
        ...

    def province_code(self, name_or_code: str) -> str:
        """Return the ISO code of a province named in any spelling."""
        ...


@dataclass(frozen=True)
class Conversion:
    """Converted rows and rejections of one input file (index = input line number)."""

    fmt: str
    events: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int


@dataclass(frozen=True)
class ImportSummary:
    """What an import did; ``str()`` is the summary the CLI prints."""

    fmt: str
    source: Path
    output: Path
    report: Path
    rows_read: int
    converted: int
    rejected: int
    added: int
    updated: int
    unchanged: int
    total: int

    def __str__(self) -> str:
        return (
            f"{LABELS[self.fmt]} {self.source.name}: {self.rows_read} rows read, "
            f"{self.converted} converted, {self.rejected} rejected\n"
            f"{self.output}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged ({self.total} events in the file)\n"
            f"rejection report: {self.report} ({self.rejected} rows)"
        )


# --- reading -----------------------------------------------------------------------
def report_path(output: Path) -> Path:
    """Return where the rejection report of an import into ``output`` goes.

    Examples
    --------
    >>> report_path(Path("data/acled.csv")).name
    'acled.rejected.csv'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}.rejected.csv")


def detect_format(columns: Sequence[str], *, name: str = "the file") -> str:
    """Recognise ACLED or UCDP GED from a header.

    Parameters
    ----------
    columns : sequence of str
        The header's column names.
    name : str
        Shown in the message.

    Returns
    -------
    {"acled", "ucdp"}

    Raises
    ------
    ImportFormatError
        If the header has the signature columns of neither format; the message names
        the columns looked for and those found.

    Examples
    --------
    >>> detect_format(["event_id_cnty", "event_date", "time_precision", "geo_precision",
    ...                "admin1"])
    'acled'
    """
    have = set(columns)
    for fmt, signature in SIGNATURES.items():
        if set(signature) <= have:
            return fmt
    found = ", ".join(list(columns)[:12]) + (", ..." if len(columns) > 12 else "")
    raise ImportFormatError(
        f"cannot recognise the format of {name} from its header: looked for the ACLED "
        f"columns {', '.join(SIGNATURES['acled'])} or the UCDP GED columns "
        f"{', '.join(SIGNATURES['ucdp'])}; found {found or 'no columns'}. Give the format "
        "with --format acled or --format ucdp if the file is one of them"
    )


def read_table(path: Path) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """Read a CSV export as text, keeping each row's line number.

    Parameters
    ----------
    path : Path
        A UTF-8 CSV file (a byte-order mark is accepted).

    Returns
    -------
    header : list of str
    rows : pandas.DataFrame
        One row per well-formed record, every value a stripped string, indexed by
        the line the record starts on (the header is line 1; quoted newlines count).
    broken : pandas.DataFrame
        Records with the wrong number of fields (``line``, ``reason`` and the
        fields), including a last row cut off by a truncated file.

    Raises
    ------
    ImportFormatError
        If the file is missing, empty, not UTF-8, or has no header.

    Examples
    --------
    >>> header, rows, broken = read_table(Path("acled.csv"))  # doctest: +SKIP
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "ACLED and UCDP exports are UTF-8: download the file again or re-save it as UTF-8"
        ) from exc
    if not text.strip():
        raise ImportFormatError(f"{path} is empty; expected a CSV with a header row")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in records[0]]
    if not any(header):
        raise ImportFormatError(f"{path} has no header row on line 1")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ImportFormatError(f"{path}: the header repeats the column(s) {repeated}")
    body = records[1:]
    width = len(header)
    columns = itertools.zip_longest(*body)  # transposed and padded with None, in C
    raw = pd.DataFrame(dict(enumerate(columns)), index=range(len(body)), dtype=object)
    raw = raw.reindex(columns=range(max(width, raw.shape[1])))
    n_fields = raw.notna().sum(axis=1).to_numpy()
    newlines = sum(raw[c].fillna("").astype(str).str.count("\n") for c in raw.columns)
    spans = 1 + np.asarray(newlines, dtype=int)
    first_line = 2 + sum(h.count("\n") for h in records[0])
    starts = first_line + np.cumsum(spans) - spans
    raw.index = pd.Index(starts, name="line")
    blank = pd.Series((n_fields == 0), index=raw.index) | (
        (n_fields == 1) & (raw[0].fillna("").astype(str).str.strip() == "")
    )
    wrong = ~blank & (n_fields != width)
    reason = (
        "the row has "
        + pd.Series(n_fields, index=raw.index).astype(str)
        + f" fields; expected {width}, one per header column"
    ).astype(object)
    cut = "it was cut off (an interrupted download or copy?); get the complete file"
    if body and text.count('"') % 2 == 1:
        wrong.iloc[-1] = True
        reason.iloc[-1] = (
            f"the file ends inside a quoted value of this row ({n_fields[-1]} of {width} "
            f"fields): {cut}"
        )
    elif body and n_fields[-1] < width and not text.endswith(("\n", "\r")):
        reason.iloc[-1] = (
            f"the file ends in the middle of this row ({n_fields[-1]} of {width} fields): {cut}"
        )
    names = [*header, *(f"extra_{i + 1}" for i in range(width, raw.shape[1]))]
    raw.columns = pd.Index(names)
    broken = raw[wrong].fillna("").astype(str)
    broken.insert(0, "reason", reason[wrong])
    rows = raw[~blank & ~wrong].iloc[:, :width].fillna("")
    rows = rows.apply(lambda col: col.astype(str).str.strip())
    return header, rows, broken.reset_index()


# --- vectorized string helpers ------------------------------------------------------
_FIELD = re.compile(r"\{(\w+)\}")


def _text(template: str, index: pd.Index, **values: Any) -> pd.Series:
    """Fill ``{name}`` fields of ``template`` from columns (or constants), row by row."""
    parts = _FIELD.split(template)
    out = pd.Series(parts[0], index=index, dtype=object)
    for i in range(1, len(parts), 2):
        value = values[parts[i]]
        out = out + (value.astype(object) if isinstance(value, pd.Series) else str(value))
        out = out + parts[i + 1]
    return out


def _when(mask: Any, yes: Any, no: Any, index: pd.Index) -> pd.Series:
    return pd.Series(np.where(np.asarray(mask, dtype=bool), yes, no), index=index, dtype=object)


def _join(parts: Sequence[pd.Series], sep: str) -> pd.Series:
    """Join the non-empty parts of each row with ``sep``."""
    out = parts[0].astype(object)
    for part in parts[1:]:
        out = out + _when((out != "") & (part != ""), sep, "", out.index) + part.astype(object)
    return out


def _labelled(label: str, values: pd.Series) -> pd.Series:
    return _when(values != "", label + values.astype(object), "", values.index)


def _flag(reasons: pd.Series, mask: Any, message: pd.Series | str) -> pd.Series:
    """Append ``message`` to the reasons of the rows in ``mask``."""
    mask = np.asarray(mask, dtype=bool)
    glue = _when(reasons != "", "; ", "", reasons.index)
    return reasons + _when(mask, glue + message, "", reasons.index)


def _coded(
    rows: pd.DataFrame, column: str, table: dict[str, Any], expected: str, reasons: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Map a code column through ``table``; an unknown code is a reason to reject."""
    mapped = rows[column].map(table)
    message = _text(f"{column}: found '{{v}}'; expected {expected}", rows.index, v=rows[column])
    return mapped, _flag(reasons, mapped.isna(), message)


def _json(values: pd.Series) -> pd.Series:
    return values.astype(object).map(functools.partial(json.dumps, ensure_ascii=False))


def _excerpt(values: pd.Series) -> pd.Series:
    """At most ``QUOTE_MAX`` characters, an ellipsis marking a cut."""
    long = values.str.len() > QUOTE_MAX
    cut = values.str.slice(0, QUOTE_MAX - 1).str.rstrip() + ELLIPSIS
    return _when(long, cut, values, values.index)


def _sources(file: str, **fields: pd.Series) -> pd.Series:
    """One ``sources`` JSON array (one object) per row; empty optional keys left out."""
    index = fields["outlet"].index
    body = pd.Series('[{"file": ' + json.dumps(file, ensure_ascii=False), index=index)
    for key, values in fields.items():
        pair = f', "{key}": ' + _json(values)
        body = body + (
            pair if key in settings.SOURCE_KEYS else _when(values != "", pair, "", index)
        )
    return body + "}]"


def _whole_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (the number as text, ok mask); empty is allowed, "12.0" reads as 12."""
    text = values.str.replace(r"\.0+$", "", regex=True)
    ok = (text == "") | text.str.fullmatch(r"\d+")
    return text.where(ok, ""), ok


def _column(rows: pd.DataFrame, name: str) -> pd.Series:
    """Return an optional column, or empty strings when the export lacks it."""
    return rows[name] if name in rows else pd.Series("", index=rows.index, dtype=object)


def _strip_suffix(values: pd.Series) -> pd.Series:
    """Drop UCDP's " province" / " district" / " town" suffixes."""
    return values.str.replace(UCDP_SUFFIXES, "", regex=True, case=False).str.strip()


def _iso(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")


# --- ACLED ---------------------------------------------------------------------------
def _acled(rows: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, pd.Series]:
    """ACLED columns -> normalized columns (dates as timestamps) and reasons."""
    idx = rows.index
    reasons = pd.Series("", index=idx, dtype=object)
    src_id, raw_date, tp, gp = (
        rows[c] for c in ("event_id_cnty", "event_date", "time_precision", "geo_precision")
    )
    reasons = _flag(reasons, src_id == "", "event_id_cnty is empty; every ACLED row has one")
    date = pd.to_datetime(raw_date, format="%Y-%m-%d", errors="coerce")
    date = date.fillna(pd.to_datetime(raw_date, format="%d %B %Y", errors="coerce"))
    reasons = _flag(
        reasons,
        date.isna(),
        _text("event_date: found '{d}'; expected YYYY-MM-DD or '12 May 2022'", idx, d=raw_date),
    )
    precision, reasons = _coded(
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
    reasons = _flag(
        reasons,
        event_type.isna(),
        _text("event_type: found '{v}'; expected one of {all}", idx, v=rows["event_type"],
              all=", ".join(ACLED_EVENT_TYPES)),
    )  # fmt: skip
    fatalities, ok = _whole_number(rows["fatalities"])
    reasons = _flag(
        reasons,
        ~ok,
        _text(
            "fatalities: found '{v}'; expected a whole number or empty", idx, v=rows["fatalities"]
        ),
    )
    location_precision, reasons = _coded(
        rows, "geo_precision", ACLED_GEO_PRECISION, "1, 2 or 3", reasons
    )
    extra = _join(
        [
            _labelled("interaction ", _column(rows, "interaction")),
            _labelled("tags: ", _column(rows, "tags")),
            _labelled("source scale: ", _column(rows, "source_scale")),
        ],
        "; ",
    )
    about = _text(
        "[ACLED: {t} / {s}{extra}]",
        idx,
        t=rows["event_type"],
        s=rows["sub_event_type"],
        extra=_labelled("; ", extra),
    )
    norm = pd.DataFrame(
        {
            "source_id": src_id,
            "event_id": "acled:" + src_id,
            "date_start": start,
            "date_end": end,
            "date_precision": precision.fillna(""),
            "date_basis": _text(
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
            "precision_basis": _text(
                "ACLED geo_precision {gp} ({meaning})",
                idx,
                gp=gp,
                meaning=gp.map(ACLED_GEO_MEANING).fillna("unknown code"),
            ),
            "fatalities": fatalities,
            "fatalities_claimed_by": _when(fatalities != "", "ACLED (reported figure)", "", idx),
            "notes": _join([rows["notes"], about], " "),
            "sources": _sources(
                file,
                outlet=rows["source"],
                title=_text("ACLED {id}: {sub}", idx, id=src_id, sub=rows["sub_event_type"]),
                quote=_excerpt(
                    _when(rows["notes"] != "", rows["notes"], "(the ACLED row has no notes)", idx)
                ),
                original_id=src_id,
            ),
        },
        index=idx,
    )
    return norm, reasons


# --- UCDP GED --------------------------------------------------------------------------
def _ucdp_date(values: pd.Series) -> pd.Series:
    shaped = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?")
    return pd.to_datetime(values.str.slice(0, 10).where(shaped), format="%Y-%m-%d", errors="coerce")


def _ucdp(rows: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, pd.Series]:
    """UCDP GED columns -> normalized columns (dates as timestamps) and reasons."""
    idx = rows.index
    reasons = pd.Series("", index=idx, dtype=object)
    src_id, dp, wp = (rows[c] for c in ("id", "date_prec", "where_prec"))
    reasons = _flag(reasons, src_id == "", "id is empty; every UCDP GED row has one")
    first, last = _ucdp_date(rows["date_start"]), _ucdp_date(rows["date_end"])
    reasons = _flag(
        reasons,
        first.isna(),
        _text("date_start: found '{v}'; expected YYYY-MM-DD", idx, v=rows["date_start"]),
    )
    reasons = _flag(
        reasons,
        last.isna() & (rows["date_end"] != ""),
        _text("date_end: found '{v}'; expected YYYY-MM-DD or empty", idx, v=rows["date_end"]),
    )
    reasons = _flag(
        reasons,
        last < first,
        _text(
            "date_end {e} is before date_start {s}", idx, e=rows["date_end"], s=rows["date_start"]
        ),
    )
    precision, reasons = _coded(rows, "date_prec", UCDP_DATE_PREC, "1, 2, 3, 4 or 5", reasons)
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

    event_type, reasons = _coded(
        rows,
        "type_of_violence",
        UCDP_VIOLENCE_TYPES,
        "1 (state-based), 2 (non-state) or 3 (one-sided)",
        reasons,
    )
    fatalities, ok = _whole_number(rows["best"])
    reasons = _flag(
        reasons,
        ~ok,
        _text("best: found '{v}'; expected a whole number or empty", idx, v=rows["best"]),
    )
    location_precision, reasons = _coded(rows, "where_prec", UCDP_WHERE_PREC, "1 to 7", reasons)
    col = functools.partial(_column, rows)
    deaths = _text(
        "deaths: side A {a}, side B {b}, civilians {c}, unknown {u}; best {best} (low {low}, "
        "high {high})",
        idx, a=col("deaths_a"), b=col("deaths_b"), c=col("deaths_civilians"),
        u=col("deaths_unknown"), best=rows["best"], low=col("low"), high=col("high"),
    )  # fmt: skip
    notes = _join(
        [
            _labelled("UCDP GED conflict: ", col("conflict_name")),
            _labelled("dyad: ", col("dyad_name")),
            deaths,
            _labelled("where: ", col("where_description")),
            _labelled("event_clarity ", col("event_clarity")),
            _labelled("number_of_sources ", rows["number_of_sources"]),
        ],
        "; ",
    )
    original, headline = rows["source_original"], rows["source_headline"]
    quote = _when(original != "", original, headline, idx)
    quote = _when(quote != "", quote, "(the UCDP GED row has no source text)", idx)
    n_sources = pd.to_numeric(rows["number_of_sources"], errors="coerce")
    norm = pd.DataFrame(
        {
            "source_id": src_id,
            "event_id": "ucdp:" + src_id,
            "date_start": start,
            "date_end": end,
            "date_precision": precision.fillna(""),
            "date_basis": _text(
                "UCDP GED date_start {s}, date_end {e}, date_prec {dp} ({meaning}){misfit}",
                idx,
                s=rows["date_start"].str.slice(0, 10),
                e=rows["date_end"].str.slice(0, 10),
                dp=dp,
                meaning=dp.map(UCDP_DATE_MEANING).fillna("unknown code"),
                misfit=_when(misfit, "; the dates do not fit that precision: a range", "", idx),
            ),
            "event_type": event_type.fillna(""),
            "actor1": rows["side_a"],
            "actor2": rows["side_b"],
            "claimed_by": "UCDP GED",
            "claim_status": _when(n_sources >= 2, "corroborated", "claimed", idx),
            "country": rows["country"],
            "admin1": _strip_suffix(rows["adm_1"]),
            "admin2": _strip_suffix(rows["adm_2"]),
            "place": _strip_suffix(rows["where_coordinates"]),
            "lon_text": rows["longitude"],
            "lat_text": rows["latitude"],
            "precision": location_precision,
            "precision_basis": _text(
                "UCDP where_prec {wp} ({meaning})",
                idx,
                wp=wp,
                meaning=wp.map(UCDP_WHERE_MEANING).fillna("unknown code"),
            ),
            "fatalities": fatalities,
            "fatalities_claimed_by": _when(fatalities != "", "UCDP GED best estimate", "", idx),
            "notes": notes,
            "sources": _sources(
                file,
                outlet=rows["source_article"],
                title=_when(headline != "", headline, "UCDP GED " + src_id, idx),
                quote=_excerpt(quote),
                original_id=src_id,
                cites=original,
                published=col("source_date"),
            ),
        },
        index=idx,
    )
    return norm, reasons


# --- places ---------------------------------------------------------------------------
def _per_unique(keys: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """Apply ``fn`` once per distinct key (gazetteer look-ups) and map back."""
    results = {key: fn(key) for key in keys.drop_duplicates()}
    return keys.map(results)


def _province_of(gazetteer: Resolver, name: str) -> str:
    if not name:
        return ""
    try:
        return gazetteer.province_code(name)
    except (PlaceNotFoundError, AmbiguousPlaceError):
        return ""


def _district_of(gazetteer: Resolver, key: str) -> str:
    """Return the district a name refers to in a province ("" when none)."""
    name, _, code = key.partition("\x1f")
    if not name or not code:
        return ""
    try:
        place = gazetteer.resolve(f"{name} district", province=code)
    except (PlaceNotFoundError, AmbiguousPlaceError):
        return ""
    if place.kind != "district" or place.province_code != code:
        return ""
    return str(place.district or place.name)


def _known_in(gazetteer: Resolver, key: str) -> bool:
    """Whether validation accepts ``name`` as a location_name in that province."""
    name, _, code = key.partition("\x1f")
    if not name:
        return False
    try:
        gazetteer.resolve(name, province=code or None)
    except AmbiguousPlaceError:
        return True
    except PlaceNotFoundError:
        return False
    return True


def _holder(
    x: pd.Series, y: pd.Series, usable: pd.Series, provinces: gpd.GeoDataFrame
) -> pd.Series:
    """Return the code of the province holding each point ("" for none), by one sjoin."""
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(x.fillna(0), y.fillna(0)), index=x.index, crs=settings.WGS84
    )
    area = provinces[[settings.PROVINCE_CODE, "geometry"]]
    hit = gpd.sjoin(points[usable.to_numpy()], area, how="inner", predicate="within")
    hit = hit[~hit.index.duplicated()]
    return hit[settings.PROVINCE_CODE].reindex(x.index).fillna("").astype(object)


def _check_points(
    norm: pd.DataFrame, codes: pd.Series, provinces: gpd.GeoDataFrame, reasons: pd.Series
) -> pd.Series:
    """Check each point against its named province (or Afghanistan); return reasons."""
    idx = norm.index
    lon = pd.to_numeric(norm["lon_text"], errors="coerce")
    lat = pd.to_numeric(norm["lat_text"], errors="coerce")
    given = (norm["lon_text"] != "") | (norm["lat_text"] != "")
    number = lon.notna() & lat.notna()
    pair = _text("(lat {y}, lon {x})", idx, y=norm["lat_text"], x=norm["lon_text"])
    reasons = _flag(reasons, given & ~number, "latitude/longitude " + pair + " are not two numbers")
    names = provinces.set_index(settings.PROVINCE_CODE)[settings.PROVINCE_NAME]
    found = _holder(lon, lat, number, provinces)
    found_swapped = _holder(lat, lon, number, provinces)
    named = codes != ""
    inside = found == codes
    near = number & named & ~inside
    if near.any():  # within the validation's border tolerance of the named province
        utm = boundaries.utm_crs()
        polygons = provinces.set_index(settings.PROVINCE_CODE).geometry.to_crs(utm)
        sel = idx[near.to_numpy()]
        points = gpd.GeoSeries(
            gpd.points_from_xy(lon[sel], lat[sel]), index=sel, crs=settings.WGS84
        )
        stated = gpd.GeoSeries(polygons.reindex(codes[sel]).to_numpy(), index=sel, crs=utm)
        close = points.to_crs(utm).distance(stated) <= BORDER_TOLERANCE_M
        inside = inside | close.reindex(idx, fill_value=False)
    ok = number & ((named & inside) | (~named & (found != "")))
    swapped = number & ~ok & (found == "") & (found_swapped != "")
    outside = number & ~ok & (found == "") & ~swapped
    elsewhere = number & ~ok & (found != "")
    reasons = _flag(
        reasons,
        swapped,
        _text(
            "latitude and longitude look swapped: {pair} lies outside Afghanistan, but "
            "exchanged it falls in {name} ({code}); correct the file and import it again",
            idx,
            pair=pair,
            name=found_swapped.map(names).fillna(""),
            code=found_swapped,
        ),
    )
    reasons = _flag(reasons, outside, "coordinates " + pair + " are outside Afghanistan")
    return _flag(
        reasons,
        elsewhere,
        _text(
            "coordinates {pair} fall in {name} ({found}), not in the province named, "
            "'{admin1}' ({code})",
            idx,
            pair=pair,
            name=found.map(names).fillna(""),
            found=found,
            admin1=norm["admin1"],
            code=codes,
        ),
    )


def _locate(
    norm: pd.DataFrame,
    reasons: pd.Series,
    *,
    label: str,
    admin2_column: str,
    provinces: gpd.GeoDataFrame,
    gazetteer: Resolver,
) -> tuple[pd.DataFrame, pd.Series]:
    """Resolve province, district and place names; keep coordinates only when exact."""
    idx = norm.index
    precision = norm["precision"]
    reasons = _flag(
        reasons,
        norm["country"].str.casefold() != "afghanistan",
        _text("country is '{c}', not Afghanistan: this project maps Afghanistan only", idx,
              c=norm["country"]),
    )  # fmt: skip
    codes = _per_unique(norm["admin1"], functools.partial(_province_of, gazetteer))
    reasons = _flag(
        reasons,
        (codes == "") & (norm["admin1"] != ""),
        _text("province '{p}' is not one of the 34 provinces (in any spelling the gazetteer "
              "knows)", idx, p=norm["admin1"]),
    )  # fmt: skip
    reasons = _flag(
        reasons,
        (norm["admin1"] == "") & (precision < 4),
        "the province is empty, but the place is below country level",
    )
    reasons = _flag(
        reasons,
        (precision == 1) & (norm["lon_text"] == "") & (norm["lat_text"] == ""),
        "no coordinates for an exact place",
    )
    reasons = _check_points(norm, codes, provinces, reasons)

    province = codes.map(provinces.set_index(settings.PROVINCE_CODE)[settings.PROVINCE_NAME])
    province = province.fillna("").astype(object)
    district = _per_unique(
        norm["admin2"] + "\x1f" + codes, functools.partial(_district_of, gazetteer)
    ).astype(object)
    known = _per_unique(norm["place"] + "\x1f" + codes, functools.partial(_known_in, gazetteer))
    known_anywhere = _per_unique(norm["place"] + "\x1f", functools.partial(_known_in, gazetteer))
    # Precision 2 needs a district; without one the province is all that is known.
    demoted = (precision == 2) & (district == "")
    level = precision.where(~demoted, 3)
    exact, in_district, in_province, vague = (level == n for n in (1, 2, 3, 4))

    name = _when(
        known.astype(bool), norm["place"], _when(district != "", district, province, idx), idx
    )
    name = _when(in_province, province, name, idx)
    name = _when(
        vague, _when(known_anywhere.astype(bool), norm["place"], "Afghanistan", idx), name, idx
    )
    renamed = _when(
        (exact | in_district) & ~known.astype(bool) & (norm["place"] != ""),
        _text("; the gazetteer does not know '{p}', so the row is named by its {unit}", idx,
              p=norm["place"], unit=_when(district != "", "district", "province", idx)),
        "",
        idx,
    )  # fmt: skip
    point = _when(
        (norm["lat_text"] != "") | (norm["lon_text"] != ""),
        _text("{src}'s point (lat {y}, lon {x}) is kept here only, not as an exact place", idx,
              src=label, y=norm["lat_text"], x=norm["lon_text"]),
        f"{label} gives no point",
        idx,
    )  # fmt: skip
    detail = np.select(
        [exact, demoted, in_district, in_province],
        [
            f"; coordinates as given by {label}",
            _text("; {col} '{a2}' is not a district the gazetteer knows in {prov}, so only the "
                  "province is used; {point}", idx, col=admin2_column, a2=norm["admin2"],
                  prov=province, point=point),
            _text("; district {d} from {col}; {point}", idx, d=district, col=admin2_column,
                  point=point),
            "; only the province is known; " + point,
        ],
        "; not placed in one province; " + point,
    )  # fmt: skip
    basis = _text("{why}: '{place}'{renamed}", idx, why=norm["precision_basis"],
                  place=norm["place"], renamed=renamed) + detail  # fmt: skip
    located = pd.DataFrame(
        {
            "location_name": name,
            "province_code": _when(vague, "", codes, idx),
            "district": _when(exact | in_district, district, "", idx),
            "longitude": _when(exact, norm["lon_text"], "", idx),
            "latitude": _when(exact, norm["lat_text"], "", idx),
            "location_precision": level.astype("Int64").astype(str).replace("<NA>", ""),
            "location_basis": basis,
        },
        index=idx,
    )
    return located, reasons


# --- conversion -------------------------------------------------------------------------
def convert_file(
    path: Path,
    *,
    fmt: str = "auto",
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: Resolver | None = None,
    progress: Callable[[str], None] | None = None,
) -> Conversion:
    """Convert an ACLED or UCDP GED CSV export to rows of the events CSV.

    Parameters
    ----------
    path : Path
        The export (UTF-8 CSV with its original header).
    fmt : {"auto", "acled", "ucdp"}, default "auto"
        The input format; ``"auto"`` recognises it from the header.
    provinces : geopandas.GeoDataFrame, optional
        Province polygons (default: the shipped 34).
    gazetteer : Gazetteer, optional
        Resolves province, district and place names (default: the project's).
    progress : callable, optional
        Called with each finished stage name ("read", "convert", "check").

    Returns
    -------
    Conversion
        ``events``: the converted rows, exactly ``settings.EVENT_COLUMNS`` as text,
        indexed by input line; ``rejected``: ``line``, ``source_id``, ``reason`` and
        the row's original fields, one row per input row that was not converted.

    Raises
    ------
    ImportFormatError
        Unreadable file, unknown format, or columns the converter needs are missing.
    ValueError
        For a ``fmt`` other than auto, acled or ucdp.

    Examples
    --------
    >>> conv = convert_file(Path("acled.csv"))  # doctest: +SKIP
    >>> conv.events.columns.tolist() == list(settings.EVENT_COLUMNS)  # doctest: +SKIP
    True
    """
    if fmt not in ("auto", *FORMATS):
        raise ValueError(f"fmt must be one of auto, {', '.join(FORMATS)}; not {fmt!r}")
    path = Path(path)
    header, rows, broken = read_table(path)
    fmt = detect_format(header, name=str(path)) if fmt == "auto" else fmt
    needed = ACLED_NEEDED if fmt == "acled" else UCDP_NEEDED
    missing = [c for c in needed if c not in header]
    if missing:
        raise ImportFormatError(
            f"{path} is not in {LABELS[fmt]} format: its header lacks {', '.join(missing)} "
            f"(the {LABELS[fmt]} import reads the columns {', '.join(needed)})"
        )
    _tick(progress, "read")
    provinces = boundaries.load_provinces() if provinces is None else provinces
    gazetteer = _default_gazetteer() if gazetteer is None else gazetteer
    id_column = "event_id_cnty" if fmt == "acled" else "id"
    norm, reasons = (_acled if fmt == "acled" else _ucdp)(rows, file=path.name)
    lines = pd.Series(norm.index, index=norm.index)
    first = lines.groupby(norm["source_id"]).transform("min")
    reasons = _flag(
        reasons,
        norm["source_id"].duplicated() & (norm["source_id"] != ""),
        _text("duplicate {col} '{id}' (first on line {first})", norm.index, col=id_column,
              id=norm["source_id"], first=first.astype(str)),
    )  # fmt: skip
    located, reasons = _locate(
        norm,
        reasons,
        label=LABELS[fmt].split()[0],
        admin2_column="admin2" if fmt == "acled" else "adm_2",
        provinces=provinces,
        gazetteer=gazetteer,
    )
    events = pd.concat([norm.drop(columns=list(located.columns), errors="ignore"), located], axis=1)
    events["date_start"], events["date_end"] = _iso(norm["date_start"]), _iso(norm["date_end"])
    events = events[list(settings.EVENT_COLUMNS)].astype(str)
    _tick(progress, "convert")
    reasons = _validation_reasons(events[reasons == ""], reasons, provinces, gazetteer, path.name)
    _tick(progress, "check")
    bad = reasons != ""
    converted_rejects = (
        rows[bad].assign(source_id=norm["source_id"][bad], reason=reasons[bad]).reset_index()
    )
    broken = broken.assign(source_id=broken[id_column] if id_column in broken else "")
    rejected = pd.concat([converted_rejects, broken], ignore_index=True)
    rejected = rejected.sort_values("line", kind="stable").fillna("").reset_index(drop=True)
    rejected = rejected[[*REPORT_FIXED, *[c for c in rejected if c not in REPORT_FIXED]]]
    return Conversion(fmt, events[~bad], rejected, len(rows) + len(broken))


def _validation_reasons(
    events: pd.DataFrame,
    reasons: pd.Series,
    provinces: gpd.GeoDataFrame,
    gazetteer: Resolver,
    name: str,
) -> pd.Series:
    """Run the project's own checks on the converted rows; their problems become reasons."""
    if events.empty:
        return reasons
    buffer = io.StringIO()
    events.to_csv(buffer, index=False, lineterminator="\n")
    result = claims.read_events_bytes(
        buffer.getvalue().encode("utf-8"),
        name=name,
        on_invalid="report",
        provinces=provinces,
        gazetteer=gazetteer,
    )
    if not result.problems:
        return reasons
    event_of_line = dict(zip(result.rejected["line"], result.rejected["event_id"], strict=True))
    input_line = pd.Series(events.index, index=events["event_id"].to_numpy())
    found: dict[int, list[str]] = {}
    for p in result.problems:
        if p.row not in event_of_line:
            raise GeoError(f"the converted rows fail validation as a whole: {p}")
        line = int(input_line[event_of_line[p.row]])
        found.setdefault(line, []).append(f"{p.column}: found '{p.value}'; expected {p.expected}")
    text = pd.Series({k: "; ".join(v) for k, v in found.items()}, dtype=object)
    text = "the converted row fails the events checks: " + text.reindex(reasons.index).fillna("")
    return _flag(reasons, reasons.index.isin(list(found)), text)


# --- merging and writing ------------------------------------------------------------------
def read_existing(path: Path) -> pd.DataFrame:
    """Read an events CSV as text for merging (columns checked, values untouched).

    Raises
    ------
    ImportFormatError
        If the header is not ``settings.EVENT_COLUMNS``.

    Examples
    --------
    >>> read_existing(Path("data/events.csv")).shape[1]  # doctest: +SKIP
    21
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(frame.columns) != settings.EVENT_COLUMNS:
        raise ImportFormatError(
            f"{path} exists but is not an events CSV (its header is "
            f"{', '.join(list(frame.columns)[:6])}...); choose another output file, or pass "
            "--replace to overwrite it"
        )
    return frame.astype(str)


def merge_events(existing: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Merge imported rows into existing ones by ``event_id``.

    Rows with an id already present replace the old row in place; new ids are
    appended in input order.

    Parameters
    ----------
    existing, new : pandas.DataFrame
        Events as text with ``settings.EVENT_COLUMNS``.

    Returns
    -------
    merged : pandas.DataFrame
    counts : dict
        ``added``, ``updated`` and ``unchanged``.

    Examples
    --------
    >>> merged, counts = merge_events(old, new)  # doctest: +SKIP
    >>> counts  # doctest: +SKIP
    {'added': 3, 'updated': 1, 'unchanged': 10}
    """
    columns = list(settings.EVENT_COLUMNS)
    old = existing[columns].reset_index(drop=True)
    incoming = new[columns].drop_duplicates("event_id", keep="last").set_index("event_id")
    present = old["event_id"].isin(incoming.index)
    replaced = incoming.reindex(old.loc[present, "event_id"]).reset_index()
    replaced.index = old.index[present]
    same = (replaced[columns] == old.loc[present, columns]).all(axis=1)
    merged = old.copy()
    merged.loc[present, columns] = replaced[columns]
    added = incoming[~incoming.index.isin(old["event_id"])].reset_index()[columns]
    merged = pd.concat([merged, added], ignore_index=True)
    counts = {"added": len(added), "updated": int((~same).sum()), "unchanged": int(same.sum())}
    return merged, counts


def import_file(
    path: Path,
    output: Path,
    *,
    fmt: str = "auto",
    replace: bool = False,
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: Resolver | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import an ACLED or UCDP GED export into an events CSV, with a rejection report.

    Parameters
    ----------
    path : Path
        The export.
    output : Path
        The events CSV to write. When it exists it is merged by ``event_id``
        (same ids replaced, new ids appended) unless ``replace``.
    fmt : {"auto", "acled", "ucdp"}, default "auto"
        The input format.
    replace : bool, default False
        Overwrite ``output`` with this import's rows only.
    provinces, gazetteer, progress
        As for :func:`convert_file`; ``progress`` also gets "write".

    Returns
    -------
    ImportSummary
        Counts and paths; the rejection report (``report_path(output)``) is always
        written, with a header only when nothing was rejected.

    Raises
    ------
    ImportFormatError
        See :func:`convert_file`; also when ``output`` exists but is not an events CSV.
    ExportError
        If the output folder does not exist.

    Examples
    --------
    >>> print(import_file(Path("acled.csv"), Path("data/acled-events.csv")))  # doctest: +SKIP
    """
    path, output = Path(path), Path(output)
    if output.resolve() == path.resolve():
        raise ImportFormatError(f"the output {output} is the input file; choose another name")
    existing = read_existing(output) if output.exists() and not replace else None
    conv = convert_file(path, fmt=fmt, provinces=provinces, gazetteer=gazetteer, progress=progress)
    if existing is None:
        merged, counts = (
            conv.events.reset_index(drop=True),
            {"added": len(conv.events), "updated": 0, "unchanged": 0},
        )
    else:
        merged, counts = merge_events(existing, conv.events)
    report = report_path(output)
    with atomic_write(report, force=True) as fh:
        conv.rejected.to_csv(fh, index=False, lineterminator="\n")
    with atomic_write(output, force=True) as fh:
        merged.to_csv(fh, index=False, lineterminator="\n")
    _tick(progress, "write")
    return ImportSummary(
        fmt=conv.fmt,
        source=path,
        output=output,
        report=report,
        rows_read=conv.rows_read,
        converted=len(conv.events),
        rejected=len(conv.rejected),
        total=len(merged),
        **counts,
    )


def _tick(progress: Callable[[str], None] | None, stage: str) -> None:
    if progress is not None:
        progress(stage)


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Resolver:
    from geo.gazetteer import Gazetteer

    return Gazetteer.load()
