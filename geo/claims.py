"""Claims files (events and presence): loading, filtering, writing back.

A claims file is checked once, at the edge, before any work (see
:mod:`geo.validation` for every check and problem code). Nothing is dropped
silently: with ``on_invalid="raise"`` (the default) a
:class:`~geo.errors.SchemaError` lists every problem; with ``on_invalid="report"``
the good rows come back with the problems and the rejected rows.

Dates: ``date_end`` is filled per precision on loading (day: the same day; week:
six days later; month: the month's last day; range: NaT when open). Filtering keeps
an event when its span overlaps the window (``date_start <= end`` and ``date_end >=
start`` or open); it lives in :mod:`geo.filters` and is re-exported here.
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import boundaries, settings
from geo.errors import ClaimsFileError, SchemaError
from geo.filters import filter_events as filter_events
from geo.filters import filter_presence as filter_presence
from geo.filters import presence_as_of as presence_as_of
from geo.gazetteer import Gazetteer
from geo.validation import (
    EVENTS,
    FILE_CODES,
    PRESENCE,
    ClaimsFormat,
    Kind,
    PlaceResolver,
    Problem,
    check_header,
    check_rows,
    decode,
    parse_csv,
    parse_dates,
)

__all__ = [
    "LoadResult",
    "Problem",
    "detect_kind",
    "events_to_csv_frame",
    "filter_events",
    "filter_presence",
    "presence_as_of",
    "read_events",
    "read_events_bytes",
    "read_presence",
    "read_presence_bytes",
]

OnInvalid = Literal["raise", "report"]
GazetteerOption = PlaceResolver | None | Literal["auto"]


@dataclass
class LoadResult:
    """Result of loading a claims file: good rows, problems, rejected rows."""

    data: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        """Whether the file had no problems."""
        return not self.problems


def detect_kind(data: bytes, *, name: str = "<upload>") -> Kind:
    """Tell an events file from a presence file by its header.

    Parameters
    ----------
    data : bytes
        The file's content (only the first line matters).
    name : str
        Shown in messages.

    Returns
    -------
    {"events", "presence"}

    Raises
    ------
    ClaimsFileError
        If the file is empty, has a BOM, is not UTF-8, or its header has neither
        ``event_id`` nor ``presence_id``.

    Examples
    --------
    >>> detect_kind(b"presence_id,group")
    'presence'
    """
    head = data.split(b"\n", 1)[0]
    decode(head if head.strip() else data, name)
    columns = next(csv.reader([head.decode("utf-8")]), [])
    if EVENTS.id_column in columns:
        return "events"
    if PRESENCE.id_column in columns:
        return "presence"
    raise ClaimsFileError(
        f"{name}: cannot tell an events file from a presence file: the header has neither "
        f"'event_id' nor 'presence_id' (found {', '.join(columns[:5]) or 'nothing'}); "
        "see data/README.md for both formats"
    )


# --- conversion to the loaded frame ------------------------------------------------
def _implied_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Return the end a precision implies for an empty date_end (NaT for a range)."""
    implied = pd.Series(pd.NaT, index=start.index, dtype="datetime64[us]")
    implied[precision == "day"] = start
    implied[precision == "week"] = start + pd.Timedelta(days=6)
    implied[precision == "month"] = start + pd.offsets.MonthEnd(0)
    return implied


def _convert(good: pd.DataFrame, fmt: ClaimsFormat, sources: pd.Series) -> gpd.GeoDataFrame:
    out = good.copy()
    start, end = parse_dates(good[fmt.start]), parse_dates(good[fmt.end])
    out["sources"] = sources.reindex(good.index)
    out["location_precision"] = pd.to_numeric(good["location_precision"]).astype("Int64")
    geometry: np.ndarray = np.full(len(good), None, dtype=object)
    if fmt is EVENTS:
        end = end.fillna(_implied_end(start, good["date_precision"]))
        lon = pd.to_numeric(good["longitude"].replace("", None), errors="coerce").astype(float)
        lat = pd.to_numeric(good["latitude"].replace("", None), errors="coerce").astype(float)
        out["longitude"], out["latitude"] = lon, lat
        out["fatalities"] = pd.to_numeric(good["fatalities"].replace("", None)).astype("Int64")
        has = (lon.notna() & lat.notna()).to_numpy()
        geometry[has] = shapely.points(lon.to_numpy()[has], lat.to_numpy()[has])
        actors = good[["actor1", "actor2"]].to_numpy(dtype=object)
        out["actors"] = [[a for a in pair if a.strip()] for pair in actors]
    else:
        out["level_value"] = good["level"].map(settings.PRESENCE_LEVELS).astype(int)
    out[fmt.start], out[fmt.end] = start, end
    out = out.rename_axis("line").reset_index()
    return gpd.GeoDataFrame(out, geometry=list(geometry), crs=settings.WGS84)


def _empty_frame(fmt: ClaimsFormat) -> gpd.GeoDataFrame:
    raw = pd.DataFrame({c: pd.Series([], dtype=str) for c in fmt.columns})
    raw.index.name = "line"
    return _convert(raw, fmt, pd.Series([], dtype=object))


# --- loading -----------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _default_provinces() -> gpd.GeoDataFrame:
    return boundaries.load_provinces()


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    """Load the project gazetteer once per process (on first use, not on import)."""
    return Gazetteer.load()


def _field_count_problems(
    records: list[tuple[int, list[str]]], width: int, name: str
) -> list[Problem]:
    return [
        Problem(
            name,
            line,
            "(row)",
            f"{len(fields)} fields",
            f"{width} fields, one per header column; quote values that contain commas "
            '("a, b") and check for missing or extra commas',
            "field_count",
        )
        for line, fields in records
        if len(fields) != width
    ]


def _rejected_frame(
    records: list[tuple[int, list[str]]], header: list[str], bad: set[int]
) -> pd.DataFrame:
    """Return the rejected rows as text, padded to the widest row, with line numbers."""
    rows = [(line, fields) for line, fields in records if line in bad]
    width = max([len(header), *(len(f) for _, f in rows)])
    names: list[str] = ["line"]
    for i in range(width):
        base = header[i] if i < len(header) else f"extra_{i + 1}"
        names.append(base if base not in names else f"{base}_{i + 1}")
    padded = [[line, *fields, *[""] * (width - len(fields))] for line, fields in rows]
    return pd.DataFrame(padded, columns=names)


def _load(
    data: bytes,
    *,
    name: str,
    fmt: ClaimsFormat,
    on_invalid: OnInvalid,
    provinces: gpd.GeoDataFrame | None,
    gazetteer: GazetteerOption,
) -> LoadResult:
    if on_invalid not in ("raise", "report"):
        raise ValueError(f"on_invalid must be 'raise' or 'report', not {on_invalid!r}")
    header, records = parse_csv(decode(data, name), name)
    problems = check_header(header, fmt, name)
    problems += _field_count_problems(records, len(header), name)
    fits = [(line, f) for line, f in records if len(f) == len(header)]
    raw = pd.DataFrame(
        [f for _, f in fits], columns=header, index=pd.Index([x for x, _ in fits], name="line")
    )
    usable = not any(p.code in ("missing_columns", "duplicate_columns") for p in problems)
    if usable:
        raw = raw[list(fmt.columns)].astype(str)
        area = (_default_provinces() if provinces is None else provinces).to_crs(settings.WGS84)
        resolver = _default_gazetteer() if gazetteer == "auto" else gazetteer
        row_problems, sources = check_rows(raw, fmt, name=name, provinces=area, gazetteer=resolver)
        problems += row_problems
        bad = {p.row for p in problems if p.code not in FILE_CODES}
    else:  # no row can be read without its columns: reject all, loudly
        bad = {line for line, _ in records}
    order = {c: i for i, c in enumerate(fmt.columns)}
    problems.sort(key=lambda p: (p.row, order.get(p.column.split(",")[0], -1), p.code))
    if usable:
        good = raw[~raw.index.isin(list(bad))]
        frame = _convert(good, fmt, sources)
    else:
        frame = _empty_frame(fmt)
    if problems and on_invalid == "raise":
        lines = len({p.row for p in problems})
        listing = "\n".join(str(p) for p in problems)
        raise SchemaError(
            f"{name}: {len(problems)} problem(s) on {lines} line(s); fix every one and load "
            f"again (or load with on_invalid='report' to keep the good rows):\n{listing}",
            [*problems],
        )
    return LoadResult(frame, problems, _rejected_frame(records, header, bad))


def _read_path(path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ClaimsFileError(f"claims file not found: {path}") from exc
    except OSError as exc:
        raise ClaimsFileError(f"cannot read claims file {path}: {exc}") from exc


def read_events(
    path: Path | str = settings.EVENTS_PATH,
    *,
    on_invalid: OnInvalid = "raise",
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: GazetteerOption = "auto",
) -> LoadResult:
    """Read and validate an events file.

    Parameters
    ----------
    path : Path or str
        The CSV file (default ``data/events.csv``).
    on_invalid : {"raise", "report"}, default "raise"
        ``"raise"``: any problem raises :class:`~geo.errors.SchemaError` listing every
        one. ``"report"``: return the good rows with ``problems`` and ``rejected``.
    provinces : geopandas.GeoDataFrame, optional
        Province polygons for the coordinate checks (default: the shipped 34).
    gazetteer : Gazetteer, None or "auto", default "auto"
        Resolves ``location_name`` within the row's province. ``"auto"`` loads the
        project gazetteer once; ``None`` skips the place-name check.

    Returns
    -------
    LoadResult
        ``data``: the good rows (EPSG:4326; dates as datetime64 with ``date_end``
        filled per precision, NaT only for an open range; coordinates float;
        ``location_precision`` and ``fatalities`` Int64; ``sources`` as lists of
        dicts; ``actors``; ``line``; Point geometry only for rows with coordinates).

    Raises
    ------
    ClaimsFileError
        If the file is missing, empty, has a BOM, is not UTF-8 or cannot be parsed.
    SchemaError
        With ``on_invalid="raise"``, if any row or the header has a problem.
    GazetteerError
        With ``gazetteer="auto"``, if ``data/gazetteer.csv`` is missing or invalid.

    Examples
    --------
    >>> events = read_events().data  # doctest: +SKIP
    >>> events.crs.to_epsg()  # doctest: +SKIP
    4326
    """
    return _load(
        _read_path(path),
        name=Path(path).name,
        fmt=EVENTS,
        on_invalid=on_invalid,
        provinces=provinces,
        gazetteer=gazetteer,
    )


def read_events_bytes(
    data: bytes,
    *,
    name: str,
    on_invalid: OnInvalid = "raise",
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: GazetteerOption = "auto",
) -> LoadResult:
    """Read and validate an uploaded events file (same checks as :func:`read_events`).

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name shown in messages.
    on_invalid, provinces, gazetteer
        As for :func:`read_events`.

    Returns
    -------
    LoadResult

    Raises
    ------
    ClaimsFileError, SchemaError
        As for :func:`read_events`.

    Examples
    --------
    >>> read_events_bytes(upload.getvalue(), name=upload.name)  # doctest: +SKIP
    """
    return _load(
        data,
        name=name,
        fmt=EVENTS,
        on_invalid=on_invalid,
        provinces=provinces,
        gazetteer=gazetteer,
    )


def read_presence(
    path: Path | str = settings.PRESENCE_PATH,
    *,
    on_invalid: OnInvalid = "raise",
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: GazetteerOption = "auto",
) -> LoadResult:
    """Read and validate a presence file (groups reported active in an area).

    Parameters
    ----------
    path : Path or str
        The CSV file (default ``data/presence.csv``).
    on_invalid, provinces, gazetteer
        As for :func:`read_events`.

    Returns
    -------
    LoadResult
        ``data``: the good rows with ``period_start``/``period_end`` as datetime64
        (NaT = open-ended), ``location_precision`` Int64, ``sources`` lists,
        ``level_value`` (1-3, see ``settings.PRESENCE_LEVELS``), ``line`` and an
        empty geometry (presence is drawn on its area), EPSG:4326.

    Raises
    ------
    ClaimsFileError, SchemaError
        As for :func:`read_events`.

    Examples
    --------
    >>> read_presence().data["level"].unique()  # doctest: +SKIP
    """
    return _load(
        _read_path(path),
        name=Path(path).name,
        fmt=PRESENCE,
        on_invalid=on_invalid,
        provinces=provinces,
        gazetteer=gazetteer,
    )


def read_presence_bytes(
    data: bytes,
    *,
    name: str,
    on_invalid: OnInvalid = "raise",
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: GazetteerOption = "auto",
) -> LoadResult:
    """Read and validate an uploaded presence file (same checks as :func:`read_presence`).

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name shown in messages.
    on_invalid, provinces, gazetteer
        As for :func:`read_events`.

    Returns
    -------
    LoadResult

    Raises
    ------
    ClaimsFileError, SchemaError
        As for :func:`read_events`.

    Examples
    --------
    >>> read_presence_bytes(upload.getvalue(), name=upload.name)  # doctest: +SKIP
    """
    return _load(
        data,
        name=name,
        fmt=PRESENCE,
        on_invalid=on_invalid,
        provinces=provinces,
        gazetteer=gazetteer,
    )


def events_to_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Turn loaded events back into the CSV columns (all text, sources as JSON).

    ``date_end`` is written empty when it equals the end implied by the precision
    (so a loaded file writes back as it was read).

    Parameters
    ----------
    events : pandas.DataFrame
        Loaded (or filtered, joined) events.

    Returns
    -------
    pandas.DataFrame
        Exactly ``settings.EVENT_COLUMNS``, every value a string ("" when empty).

    Examples
    --------
    >>> events_to_csv_frame(events).to_csv("out.csv", index=False)  # doctest: +SKIP
    """
    out = pd.DataFrame(index=events.index)
    start, end = events["date_start"], events["date_end"]
    implied = _implied_end(start, events["date_precision"])
    for column in settings.EVENT_COLUMNS:
        values = events[column]
        if column == "date_end":
            text = end.dt.strftime("%Y-%m-%d").where(end.notna() & (end != implied), "")
        elif column == "date_start":
            text = start.dt.strftime("%Y-%m-%d")
        elif column == "sources":
            text = values.map(lambda s: json.dumps(s, ensure_ascii=False) if s else "")
        elif column in ("longitude", "latitude"):
            text = values.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        else:
            text = values.astype("string").fillna("").astype(str)
        out[column] = text.fillna("").astype(str)
    return out.reset_index(drop=True)
