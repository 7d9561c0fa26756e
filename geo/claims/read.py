"""Reading claims files (events and presence): one reader for paths, bytes and file objects.

:func:`read_claims` is the project's ``read_file``: it takes a path, the bytes of an
upload or an open file, tells an events file from a presence file by its header
(or is told with ``kind``), and checks the file once, at the edge, before any work
(see :mod:`geo.claims.validation` for every check and problem code). Nothing is
dropped silently: with ``on_invalid="raise"`` (the default) a
:class:`~geo.errors.SchemaError` lists every problem; with ``on_invalid="report"`` the
good rows come back with the problems and the rejected rows.

Dates: ``date_end`` is filled per precision on loading (day: the same day; week: six
days later; month: the month's last day; range: NaT when open).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo import _csv, _fastcsv, _files, boundaries, settings
from geo.claims.formats import (
    CLAIM_FORMATS,
    EVENTS,
    ClaimsFormat,
    Kind,
    Parsed,
    PlaceResolver,
    implied_end,
)
from geo.claims.rules import collector_paused
from geo.claims.stances import read_stances
from geo.claims.validation import check_header, check_rows, field_count_problems, plain_text
from geo.errors import FILE_CODES, ClaimsFileError, Problem, SchemaError
from geo.places import Gazetteer

__all__ = ["LoadResult", "detect_kind", "read_claims", "read_stances_for"]

OnInvalid = Literal["raise", "report"]
GazetteerOption = PlaceResolver | None | Literal["auto"]
Source = str | os.PathLike[str] | bytes | IO[bytes]


@dataclass
class LoadResult:
    """Result of loading a claims file: good rows, problems, rejected rows.

    Attributes
    ----------
    data : geopandas.GeoDataFrame
        The good rows (see :func:`read_claims`).
    problems : list of Problem
        Every problem, sorted by line and column.
    rejected : pandas.DataFrame
        The rejected rows as text with their ``line``, one column per header column
        and, when a row has more fields than the header, ``extra_fields`` (those
        fields as one CSV text).
    kind : {"events", "presence"}
        Which kind of claims file it was.
    """

    data: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    kind: Kind = "events"

    @property
    def ok(self) -> bool:
        """Whether the file had no problems."""
        return not self.problems

    @property
    def rows_read(self) -> int:
        """How many rows the file has: good plus rejected."""
        return len(self.data) + len(self.rejected)


def detect_kind(header: list[str], *, name: str = "<upload>") -> Kind:
    """Tell an events file from a presence file by its header.

    Parameters
    ----------
    header : list of str
        The file's column names.
    name : str
        Shown in messages.

    Returns
    -------
    {"events", "presence"}

    Raises
    ------
    ClaimsFileError
        If the header has neither ``event_id`` nor ``presence_id``. The message lists
        the columns only when they look like column names (the file may be anything,
        e.g. ``/etc/passwd``).

    Examples
    --------
    >>> detect_kind(["presence_id", "group"])
    'presence'
    """
    columns = {c.strip() for c in header}
    for fmt in CLAIM_FORMATS.values():
        if fmt.id_column in columns:
            return fmt.name
    raise ClaimsFileError(
        f"{name} is not a claims file: its first line ({_csv.describe_header(header)}) has "
        "neither 'event_id' (events) nor 'presence_id' (presence); see data/README.md for "
        "both formats"
    )


_ARTICLE = {"events": "an events", "presence": "a presence"}


def _kind_of(header: list[str], kind: Kind | None, name: str) -> Kind:
    """Return the file's kind; refuse a file that is no claims file even when told one."""
    if kind is not None and CLAIM_FORMATS[kind].id_column in {c.strip() for c in header}:
        return kind
    found = detect_kind(header, name=name)  # raises for anything else (/etc/passwd, ACLED...)
    if kind is not None and found != kind:
        raise ClaimsFileError(
            f"{name} is not {_ARTICLE[kind]} file: its header has "
            f"'{CLAIM_FORMATS[found].id_column}' ({_ARTICLE[found]} file), not "
            f"'{CLAIM_FORMATS[kind].id_column}'"
        )
    return found


# --- conversion to the loaded frame ------------------------------------------------
def _numbers(values: pd.Series, kind: pa.DataType) -> pd.Series:
    """Return checked number text as numbers ("" is missing): float64, or Int64 for ints.

    pyarrow's cast reads what the schema lets through (``+1.5``, ``.5``, ``007``) as
    Python does, 15x faster than :func:`pandas.to_numeric`, which stays the answer for
    anything the cast refuses.
    """
    text = pa.array(values)
    try:
        numbers = pc.cast(pc.if_else(pc.equal(text, ""), None, text), kind)
    except pa.ArrowInvalid:
        parsed = pd.to_numeric(values.replace("", None), errors="coerce")
        return parsed.astype(float) if kind == pa.float64() else parsed.astype("Int64")
    if kind == pa.float64():
        return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index)
    missing = numbers.is_null().to_numpy(zero_copy_only=False)
    whole = pc.fill_null(numbers, 0).to_numpy(zero_copy_only=False)
    return pd.Series(pd.arrays.IntegerArray(whole, missing), index=values.index)


def _convert(good: pd.DataFrame, fmt: ClaimsFormat, parsed: Parsed) -> gpd.GeoDataFrame:
    """Return the good rows as the loaded frame; ``parsed`` holds every row's parsed columns."""
    out = good.copy()
    keep = parsed.raw.index.isin(good.index) if len(good) < len(parsed.raw) else slice(None)
    start, end = parsed.dates(fmt.start)[keep], parsed.dates(fmt.end)[keep]
    sources = parsed.sources if parsed.sources is not None else pd.Series([], dtype=object)
    out["sources"] = sources[keep]
    out["location_precision"] = _numbers(good["location_precision"], pa.int64())
    geometry: np.ndarray = np.full(len(good), None, dtype=object)
    if fmt is EVENTS:
        end = end.fillna(implied_end(start, good["date_precision"]))
        lon, lat = (
            _numbers(good["longitude"], pa.float64()),
            _numbers(good["latitude"], pa.float64()),
        )
        out["longitude"], out["latitude"] = lon, lat
        out["fatalities"] = _numbers(good["fatalities"], pa.int64())
        has = (lon.notna() & lat.notna()).to_numpy()
        geometry[has] = shapely.points(lon.to_numpy()[has], lat.to_numpy()[has])
    else:
        out["level_value"] = good["level"].map(settings.PRESENCE_LEVELS).astype(int)
    out[fmt.start], out[fmt.end] = start, end
    out = out.rename_axis("line").reset_index()
    points = gpd.GeoSeries(geometry, index=out.index, crs=settings.WGS84)
    return gpd.GeoDataFrame(out, geometry=points)


def _empty_frame(fmt: ClaimsFormat) -> gpd.GeoDataFrame:
    raw = pd.DataFrame({c: pd.Series([], dtype=str) for c in fmt.columns})
    raw.index.name = "line"
    parsed = Parsed(raw)
    parsed.sources = pd.Series([], dtype=object)
    return _convert(raw, fmt, parsed)


@functools.lru_cache(maxsize=1)
def _default_provinces() -> gpd.GeoDataFrame:
    return boundaries.load_provinces()


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    """Load the project gazetteer once per process (on first use, not on import)."""
    return Gazetteer.load()


def _rejected_frame(table: _fastcsv.Table, bad: set[int]) -> pd.DataFrame:
    """Return the rejected rows as written, with their line: header-wide, extra fields as text.

    A row wider than the header keeps its extra fields as one CSV text in
    ``extra_fields`` (so a row of 20,000 fields costs one cell, not 20,000 columns).
    """
    header, width = table.header, len(table.header)
    names = ["line"]
    for i, h in enumerate(header):
        names.append(h if h not in names else f"{h}_{i + 1}")  # at most 500 columns
    if not bad:
        return pd.DataFrame({n: pd.Series([], dtype=int if n == "line" else object) for n in names})
    fits = table.frame[table.frame.index.isin(list(bad))]
    frame = pd.DataFrame(fits.to_numpy(dtype=object), columns=names[1:], dtype=object)
    frame.insert(0, "line", fits.index.to_numpy(dtype=int))
    misfits = [(line, f) for line, f in table.misfits if line in bad]
    if misfits:
        rows = [[line, *f[:width], *[""] * (width - len(f))] for line, f in misfits]
        wide = pd.DataFrame(rows, columns=names, dtype=object)
        wide["line"] = wide["line"].astype(int)
        extra = [_csv.line_text(f[width:]) for _, f in misfits]
        if any(extra):
            wide["extra_fields"] = extra
        frame = pd.concat([frame, wide], ignore_index=True)
    return frame.sort_values("line", kind="stable").reset_index(drop=True)


def _read_source(source: Source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), name or "<bytes>"
    if hasattr(source, "read"):
        data = source.read()
        if not isinstance(data, bytes):
            raise TypeError("read_claims needs a file opened in binary mode ('rb')")
        return data, name or Path(str(getattr(source, "name", "<upload>"))).name
    path = Path(source)
    data = _files.read_bytes(path, what="claims file", error=ClaimsFileError)
    return data, name or path.name


def read_claims(
    source: Source = settings.EVENTS_PATH,
    *,
    kind: Kind | None = None,
    name: str | None = None,
    on_invalid: OnInvalid = "raise",
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: GazetteerOption = "auto",
) -> LoadResult:
    """Read and validate a claims file (events or presence).

    Parameters
    ----------
    source : path, bytes or binary file object
        The CSV file (default ``data/events.csv``): a path, the bytes of an upload,
        or a file opened with ``"rb"`` (a Streamlit upload works as it is).
    kind : {"events", "presence"}, optional
        Which format to expect; by default it is told from the header
        (``event_id`` or ``presence_id``).
    name : str, optional
        The file name shown in messages (default: the path's name, the file
        object's ``name``, or ``<bytes>``).
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
        ``data``: the good rows in EPSG:4326 with a ``line`` column. Events: dates as
        datetime64 with ``date_end`` filled per precision (NaT only for an open
        range), coordinates float, ``location_precision`` and ``fatalities`` Int64,
        ``sources`` as lists of dicts, a Point only for rows with
        coordinates. Presence: ``period_start``/``period_end`` (NaT = open-ended),
        ``level_value`` (1-3) and an empty geometry (presence is drawn on its area).

    Raises
    ------
    ClaimsFileError
        If the file is missing, not a regular file, too large, empty, has a BOM, is
        not UTF-8, cannot be parsed as CSV, or is not a claims file.
    SchemaError
        With ``on_invalid="raise"``, if any row or the header has a problem.
    GazetteerError
        With ``gazetteer="auto"``, if ``data/gazetteer.csv`` is missing or invalid.
    ValueError
        For an ``on_invalid`` or ``kind`` that is not one of the allowed values.

    Examples
    --------
    >>> events = read_claims().data  # doctest: +SKIP
    >>> read_claims(upload, on_invalid="report").kind  # doctest: +SKIP
    'events'
    """
    if on_invalid not in ("raise", "report"):
        raise ValueError(f"on_invalid must be 'raise' or 'report', not {on_invalid!r}")
    if kind is not None and kind not in CLAIM_FORMATS:
        raise ValueError(f"kind must be one of {list(CLAIM_FORMATS)} or None, not {kind!r}")
    data, name = _read_source(source, name)
    # millions of parsed values are made: the collector would walk them again and again
    with collector_paused():
        table = _fastcsv.read_table(data, name, error=ClaimsFileError)
        fmt = CLAIM_FORMATS[_kind_of(table.header, kind, name)]
        header = table.header
        problems = check_header(header, fmt, name, line=table.header_line)
        problems += field_count_problems(table.misfits, len(header), name)
        raw = table.frame
        usable = not any(p.code in FILE_CODES and p.code != "extra_columns" for p in problems)
        if usable:
            raw = raw[list(fmt.columns)]
            area = (_default_provinces() if provinces is None else provinces).to_crs(settings.WGS84)
            resolver = _default_gazetteer() if gazetteer == "auto" else gazetteer
            parsed, row_problems = check_rows(
                raw, fmt, name=name, provinces=area, gazetteer=resolver, plain=plain_text(data)
            )
            raw = parsed.raw
            problems += row_problems
            bad = {p.line for p in problems if p.code not in FILE_CODES}
        else:  # no row can be read without its columns: reject all, loudly
            bad = {*raw.index.tolist(), *(line for line, _ in table.misfits)}
        order = {c: i for i, c in enumerate(fmt.columns)}
        problems.sort(key=lambda p: (p.line, order.get(p.column.split(",")[0], -1), p.code))
        good = raw[~raw.index.isin(list(bad))] if bad else raw
        frame = _convert(good, fmt, parsed) if usable else _empty_frame(fmt)
    if problems and on_invalid == "raise":
        lines = len({p.line for p in problems})
        listing = "\n".join(str(p) for p in problems)
        raise SchemaError(
            f"{name}: {len(problems)} problem(s) on {lines} line(s); fix every one and load "
            f"again (or load with on_invalid='report' to keep the good rows):\n{listing}",
            [*problems],
        )
    rejected = _rejected_frame(table, bad)
    return LoadResult(frame, problems, rejected, fmt.name)


# --- the stances beside claims files ------------------------------------------------
def _ids(loaded: LoadResult, column: str) -> set[str]:
    """Return the ids of a claims file's rows, good or rejected."""
    frames = (loaded.data, loaded.rejected)
    return {i for frame in frames if column in frame for i in frame[column].astype(str)}


def read_stances_for(
    events_path: Path | str | None,
    presence_path: Path | str,
    events: LoadResult,
    presence: LoadResult,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[Problem], tuple[str, ...]]:
    """Read the stances of loaded claims files: the ``stances.csv`` beside each file.

    A claims file's stances are those in the ``stances.csv`` of its folder (so
    ``data/stances.csv`` for the shipped events and presence). When both claims files
    come from that folder, every address must be the id of one of their rows (good or
    rejected); when only one does, the stances addressing its rows are used. Without
    one (or for an uploaded events file: ``events_path`` None), each row's
    ``claim_status`` stands as one stance (:func:`geo.claims.apply_stances` with None),
    and a note says so.

    Returns
    -------
    (events' stances or None, presence's stances or None, problems, notes)
    """
    files = {"event_id": (events_path, events), "presence_id": (presence_path, presence)}
    folders: dict[Path, dict[str, LoadResult]] = {}
    for column, (path, loaded) in files.items():
        if path is not None:
            folders.setdefault(Path(path).resolve().parent, {})[column] = loaded
    found: dict[str, pd.DataFrame | None] = {"event_id": None, "presence_id": None}
    problems: list[Problem] = []
    for folder, claims in folders.items():
        stances_file = folder / "stances.csv"
        if not stances_file.is_file():
            continue
        ids = set().union(*(_ids(loaded, column) for column, loaded in claims.items()))
        data = _files.read_bytes(stances_file, what="stances file", error=ClaimsFileError)
        if len(claims) == len(files):  # the folder's claims are all read: check every id
            result = read_stances(data, stances_file.name, known_ids=ids)
            problems += result.problems
            stances = result.stances
        else:  # its other claims file was not read: what addresses it is not ours to check
            result = read_stances(data, stances_file.name)
            problems += [p for p in result.problems if p.code != "unknown_id"]
            stances = result.stances[result.stances["claim_id"].isin(ids)]
        for column in claims:
            found[column] = stances
    notes = []
    if events_path is None:
        notes.append(
            "The uploaded claims come without stances: each row's claim_status stands as "
            "one stance, by its claimed_by, reported on its latest report date."
        )
    elif found["event_id"] is None:
        notes.append(
            f"No stances.csv beside {Path(events_path).name}: each row's claim_status "
            "stands as one stance, by its claimed_by."
        )
    return found["event_id"], found["presence_id"], problems, tuple(notes)
