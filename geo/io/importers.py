"""ACLED and UCDP GED exports -> the project's events CSV (``settings.EVENT_COLUMNS``).

An import reads the export in chunks (:mod:`geo.io._table`), so a file of any size is
read in bounded memory: only the rows it keeps are held, and they are converted in
batches. It checks the file's structure (header, field counts, a file cut off in the
middle of a row), counts the rows of other countries instead of keeping them (a
global export is mostly other countries), finds repeated ids across the whole file,
converts every batch with whole-column pandas operations (gazetteer look-ups once per
distinct name), checks the coordinates against the province named, and runs the
result through ``geo.claims.read_claims`` so the output always passes the project's
own validation (:mod:`geo.io._convert`). Every row that cannot be converted is
reported with its line number and the reason; none is dropped silently: rows read =
converted + rejected + rows of other countries.

Precision codes are mapped to the project's scales (``LOCATION_PRECISIONS`` 1 exact,
2 district, 3 province, 4 region/country; ``DATE_PRECISIONS``): see the tables in
``geo/acled.py`` and ``geo/ucdp.py`` and the README's "Export and import" section.
Coordinates are kept only for an exact place; for anything vaguer the source's point
is written into ``location_basis``, never into ``longitude``/``latitude``.

The batches convert one after the other here, or on a dask cluster when the caller
passes ``map_batches`` (:mod:`geo.batch`): the results are the same, byte for byte.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import _csv, _files
from geo._files import atomic_write
from geo.errors import ImportFormatError
from geo.io._convert import (
    ID_COLUMNS,
    LABELS,
    Batch,
    BatchResult,
    Context,
    DuplicateIds,
    convert_batch,
)
from geo.io._merge import merge_events, read_existing
from geo.io._places import Resolver
from geo.io._stances import stances_update
from geo.io._table import CHUNK_ROWS, ExportReader, detect_format
from geo.io.acled import ACLED_NEEDED
from geo.io.ucdp import UCDP_NEEDED

IMPORT_FORMATS = ("acled", "ucdp")
#: The stages ``progress`` is told about, in order, with the bytes of the input done.
IMPORT_STAGES = ("read", "convert", "write")
REPORT_FIXED = ("line", "source_id", "reason")
#: Rows kept (of the one country) converted together.
BATCH_ROWS = 25_000

Progress = Callable[[str, int, int], None]
#: How batches are converted: ``map`` here, or a dask cluster's (:mod:`geo.batch`).
BatchMapper = Callable[[Callable[[Batch], BatchResult], Iterable[Batch]], Iterable[BatchResult]]


@dataclass(frozen=True)
class Conversion:
    """Converted rows and rejections of one input file (index = input line number)."""

    fmt: str
    events: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    others: Counter[str] = field(default_factory=Counter)


def others_text(others: Counter[str], *, limit: int = 5) -> str:
    """Say how many rows of other countries were skipped, the largest countries first.

    Examples
    --------
    >>> others_text(Counter({"Pakistan": 400_000, "India": 2}), limit=1)
    '400,002 rows of other countries skipped (by country: Pakistan 400,000 and 1 more)'
    """
    total = others.total()
    ranked = sorted(others.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{name} {n:,}" for name, n in ranked[:limit])
    more = f" and {len(ranked) - limit} more" if len(ranked) > limit else ""
    rows = "row" if total == 1 else "rows"
    return f"{total:,} {rows} of other countries skipped (by country: {listed}{more})"


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
    others: Counter[str] = field(default_factory=Counter)
    stances: Path | None = None  # the stances.csv beside the output, when it has one
    stance_rows: int = 0

    def __str__(self) -> str:
        skipped = f", {others_text(self.others)}" if self.others else ""
        return (
            f"{LABELS[self.fmt]} {self.source.name}: {self.rows_read} rows read, "
            f"{self.converted} converted, {self.rejected} rejected{skipped}\n"
            f"{self.output}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged ({self.total} events in the file)\n"
            f"rejection report: {self.report} ({self.rejected} rows)"
            + (f"\n{self.stances}: {self.stance_rows} stances from the dataset written"
               if self.stances else "")
        )  # fmt: skip


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
    progress: Progress | None = None,
    map_batches: BatchMapper = map,
    chunk_rows: int = CHUNK_ROWS,
    batch_rows: int = BATCH_ROWS,
) -> Conversion:
    """Convert an ACLED or UCDP GED CSV export to rows of the events CSV.

    The file is read in chunks of ``chunk_rows`` records and its rows are converted in
    batches of ``batch_rows``; neither changes the result.

    Parameters
    ----------
    path : Path
        The export (UTF-8 CSV with its original header), of any size.
    fmt : {"auto", "acled", "ucdp"}, default "auto"
        The input format; ``"auto"`` recognises it from the header.
    provinces : geopandas.GeoDataFrame, optional
        Province polygons (default: the shipped 34).
    gazetteer : Gazetteer, optional
        Resolves province, district and place names (default: the project's).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` with the stage ("read" as chunks
        are read, "convert" as batches are converted) and the input's bytes done
        and in all.
    map_batches : callable, default map
        ``map_batches(function, batches)`` returns the function's results, in order
        (``geo.batch.dask_mapper`` runs them on a dask cluster).
    chunk_rows, batch_rows : int
        Records read at a time, and rows kept converted at a time.

    Returns
    -------
    Conversion
        ``events``: the converted rows, exactly ``settings.EVENT_COLUMNS`` as text,
        indexed by input line; ``rejected``: ``line``, ``source_id``, ``reason`` and
        the row's original fields, one row per input row that was not converted;
        ``others``: the rows of other countries, counted by country.

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
    with ExportReader(path) as reader:
        header = reader.header
        fmt = detect_format(header, name=str(path)) if fmt == "auto" else fmt
        needed = ACLED_NEEDED if fmt == "acled" else UCDP_NEEDED
        missing = [c for c in needed if c not in header]
        if missing:
            raise ImportFormatError(
                f"{path} is not in {LABELS[fmt]} format: its header lacks {', '.join(missing)} "
                f"(the {LABELS[fmt]} import reads the columns {', '.join(needed)})"
            )
        tally = _Tally()
        batches = _batches(reader, tally, ID_COLUMNS[fmt], chunk_rows, batch_rows, progress)
        convert = functools.partial(
            convert_batch, context=Context(fmt, path.name, provinces, gazetteer)
        )
        results = []
        for result in map_batches(convert, batches):
            results.append(result)
            _tick(progress, "convert", result.bytes_read, reader.size)
    events = pd.concat([r.events for r in results])
    broken = [b.assign(source_id=b[ID_COLUMNS[fmt]]) for b in tally.broken]
    rejected = pd.concat([r.rejected for r in results] + broken, ignore_index=True)
    rejected = rejected.sort_values("line", kind="stable").fillna("").reset_index(drop=True)
    extra = ["extra_fields"] if "extra_fields" in rejected else []
    rejected = rejected[[*REPORT_FIXED, *header, *extra]]
    return Conversion(fmt, events, rejected, tally.records, tally.others)


@dataclass
class _Tally:
    """What the reading sets aside: broken records, rows of other countries, the count."""

    records: int = 0
    others: Counter[str] = field(default_factory=Counter)
    broken: list[pd.DataFrame] = field(default_factory=list)


def _batches(
    reader: ExportReader,
    tally: _Tally,
    id_column: str,
    chunk_rows: int,
    batch_rows: int,
    progress: Progress | None,
) -> Iterator[Batch]:
    """Read the export and yield the rows kept in batches, with their repeated ids."""
    ids = DuplicateIds(id_column)
    pending: list[pd.DataFrame] = []
    held, yielded = 0, False
    for chunk in reader.chunks(chunk_rows, country="country"):
        tally.records += chunk.records
        tally.others.update(chunk.others)
        if len(chunk.broken):
            tally.broken.append(chunk.broken)
        pending.append(chunk.rows)
        held += len(chunk.rows)
        _tick(progress, "read", chunk.bytes_read, reader.size)
        if held >= batch_rows:
            rows = pd.concat(pending)
            yield Batch(rows, ids.first_lines(rows), chunk.bytes_read)
            pending, held = [], 0
            yielded = True
    if held or not yielded:  # one batch at least, even empty: it gives the columns
        rows = pd.concat(pending)
        yield Batch(rows, ids.first_lines(rows), reader.size)


# --- merging and writing ------------------------------------------------------------------
def import_file(
    path: Path,
    output: Path,
    *,
    fmt: str = "auto",
    replace: bool = False,
    provinces: gpd.GeoDataFrame | None = None,
    gazetteer: Resolver | None = None,
    progress: Progress | None = None,
    map_batches: BatchMapper = map,
    chunk_rows: int = CHUNK_ROWS,
    batch_rows: int = BATCH_ROWS,
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
    provinces, gazetteer, progress, map_batches, chunk_rows, batch_rows
        As for :func:`convert_file`; ``progress`` also gets "write" when the output
        is written.

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
    old_ids = _ids_of(output) if output.exists() and replace else set()
    conv = convert_file(
        path,
        fmt=fmt,
        provinces=provinces,
        gazetteer=gazetteer,
        progress=progress,
        map_batches=map_batches,
        chunk_rows=chunk_rows,
        batch_rows=batch_rows,
    )
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
        listed = f"with its line and the reason in {report}"
        why = f"none of its {conv.rows_read} row(s) could be converted; each is listed {listed}"
        if conv.rows_read == 0:
            why = "it has a header but no rows"
        elif conv.others.total() == conv.rows_read:
            why = f"all its rows are of other countries: {others_text(conv.others)}"
        elif conv.others:
            why = (
                f"none of its {conv.rows_read} row(s) could be converted: "
                f"{others_text(conv.others)}, and each other row is listed {listed}"
            )
        raise ImportFormatError(f"{path}: nothing to import: {why}. {output} was not changed")
    stances = stances_update(output, conv.events, gone=old_ids - set(merged["event_id"]))
    with atomic_write(output, force=True) as fh:
        _csv.write_frame(fh, merged)
    if stances is not None:
        stances.write()
    size = os.stat(path).st_size
    _tick(progress, "write", size, size)
    return ImportSummary(
        fmt=conv.fmt,
        source=path,
        output=output,
        report=report,
        rows_read=conv.rows_read,
        converted=len(conv.events),
        rejected=len(conv.rejected),
        total=len(merged),
        others=conv.others,
        stances=None if stances is None else stances.path,
        stance_rows=0 if stances is None else stances.written,
        **counts,
    )


def _ids_of(output: Path) -> set[str]:
    """Return the event ids of a file ``--replace`` overwrites (none if not an events CSV)."""
    try:
        return set(read_existing(output)["event_id"])
    except ImportFormatError:
        return set()


def _tick(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)
