"""ACLED and UCDP GED exports -> the project's events CSV (``settings.EVENT_COLUMNS``).

An import reads the file once, checks its structure (header, field counts, a file cut
off in the middle of a row), converts every row with whole-column pandas operations
(gazetteer look-ups once per distinct name), checks the coordinates against the
province named (a vectorized ``sjoin``), and runs the result through
``geo.claims.read_claims`` so the output always passes the project's own
validation. Every row that cannot be converted is reported with its line number and
the reason; none is dropped silently.

Precision codes are mapped to the project's scales (``LOCATION_PRECISIONS`` 1 exact,
2 district, 3 province, 4 region/country; ``DATE_PRECISIONS``): see the tables in
``geo/acled.py`` and ``geo/ucdp.py`` and the README's "Export and import" section.
Coordinates are kept only for an exact place; for anything vaguer the source's point
is written into ``location_basis``, never into ``longitude``/``latitude``.

The work is split by job: :mod:`geo.io._table` reads the file and recognises the
format, :mod:`geo.io.acled` and :mod:`geo.io.ucdp` convert the source's columns,
:mod:`geo.io._places` resolves the places and checks the points; this module runs
them, checks the result, merges it into the output and writes the rejection report.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import _csv, _files, boundaries, settings
from geo._files import atomic_write
from geo.claims import read_claims
from geo.errors import GeoError, ImportFormatError
from geo.io import acled, ucdp
from geo.io._columns import flag, iso, text
from geo.io._places import Resolver, locate
from geo.io._table import detect_format, read_table
from geo.io.acled import ACLED_NEEDED
from geo.io.ucdp import UCDP_NEEDED

IMPORT_FORMATS = ("acled", "ucdp")
LABELS = {"acled": "ACLED", "ucdp": "UCDP GED"}
IMPORT_STAGES = ("read", "convert", "check", "write")
REPORT_FIXED = ("line", "source_id", "reason")


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


# --- the rejection report -----------------------------------------------------------
def report_path(output: Path) -> Path:
    """Return where the rejection report of an import into ``output`` goes.

    Examples
    --------
    >>> report_path(Path("data/acled.csv")).name
    'acled.rejected.csv'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}.rejected.csv")


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
    if fmt not in ("auto", *IMPORT_FORMATS):
        raise ValueError(f"fmt must be one of auto, {', '.join(IMPORT_FORMATS)}; not {fmt!r}")
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
    convert_rows = acled.convert_rows if fmt == "acled" else ucdp.convert_rows
    norm, reasons = convert_rows(rows, file=path.name)
    lines = pd.Series(norm.index, index=norm.index)
    first = lines.groupby(norm["source_id"]).transform("min")
    reasons = flag(
        reasons,
        norm["source_id"].duplicated() & (norm["source_id"] != ""),
        text("duplicate {col} '{id}' (first on line {first})", norm.index, col=id_column,
              id=norm["source_id"], first=first.astype(str)),
    )  # fmt: skip
    located, reasons = locate(
        norm,
        reasons,
        label=LABELS[fmt].split()[0],
        admin2_column="admin2" if fmt == "acled" else "adm_2",
        provinces=provinces,
        gazetteer=gazetteer,
    )
    events = pd.concat([norm.drop(columns=list(located.columns), errors="ignore"), located], axis=1)
    events["date_start"], events["date_end"] = iso(norm["date_start"]), iso(norm["date_end"])
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
    result = read_claims(
        _csv.frame_bytes(events),
        kind="events",
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
        if p.line not in event_of_line:
            raise GeoError(f"the converted rows fail validation as a whole: {p}")
        line = int(input_line[event_of_line[p.line]])
        found.setdefault(line, []).append(f"{p.column}: found '{p.value}'; expected {p.expected}")
    text = pd.Series({k: "; ".join(v) for k, v in found.items()}, dtype=object)
    text = "the converted row fails the events checks: " + text.reindex(reasons.index).fillna("")
    return flag(reasons, reasons.index.isin(list(found)), text)


# --- merging and writing ------------------------------------------------------------------
def read_existing(path: Path) -> pd.DataFrame:
    """Read an events CSV as text for merging (columns checked, values as written).

    Raises
    ------
    ImportFormatError
        If the file cannot be read as CSV, its header is not ``settings.EVENT_COLUMNS``
        or a row has the wrong number of fields (nothing is overwritten then).

    Examples
    --------
    >>> read_existing(Path("data/events.csv")).shape[1]  # doctest: +SKIP
    21
    """
    data = _files.read_bytes(path, what="events file", error=ImportFormatError)
    records = _csv.read_records(
        _csv.decode(data, str(path), error=ImportFormatError), str(path), error=ImportFormatError
    )
    if tuple(records.header) != settings.EVENT_COLUMNS:
        raise ImportFormatError(
            f"{path} exists but is not an events CSV (its header has {len(records.header)} "
            "columns, not the events columns); choose another output file, or pass --replace "
            "to overwrite it"
        )
    width = len(settings.EVENT_COLUMNS)
    for line, fields in records.rows:
        if len(fields) != width:
            raise ImportFormatError(
                f"{path}, line {line}: {len(fields)} fields, expected {width}; fix the file "
                "(`armap validate` lists every problem) or pass --replace to overwrite it"
            )
    frame = pd.DataFrame([f for _, f in records.rows], columns=list(settings.EVENT_COLUMNS))
    return frame.astype(str).apply(_csv.unescape_column)


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
    if os.path.realpath(output) == os.path.realpath(path):  # never raises on a symlink loop
        raise ImportFormatError(f"the output {output} is the input file; choose another name")
    _files.check_destination(output, force=True)  # before any work: a folder, no folder...
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
        _csv.write_frame(fh, conv.rejected)
    if conv.events.empty:
        why = (
            "it has a header but no rows"
            if conv.rows_read == 0
            else f"none of its {conv.rows_read} row(s) could be converted; each is listed "
            f"with its line and the reason in {report}"
        )
        raise ImportFormatError(f"{path}: nothing to import: {why}. {output} was not changed")
    with atomic_write(output, force=True) as fh:
        _csv.write_frame(fh, merged)
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
    from geo.places import Gazetteer

    return Gazetteer.load()
