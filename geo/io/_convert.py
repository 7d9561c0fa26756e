"""One batch of an export's rows -> events and rejections: the unit of work of an import.

An import reads its export in chunks (:mod:`geo.io._table`) and gathers the rows it
keeps into :class:`Batch` es; :func:`convert_batch` converts one batch with whole-column
operations (the source's converter, the places, the project's own validation) and
returns its events and its rejected rows. A batch carries everything it needs but the
shared :class:`Context` (the format, the file name, the provinces and the gazetteer),
so batches convert in any order, in this process or on a dask worker
(:mod:`geo.batch`), with the same result. Duplicate ids are found before, in reading
order, by :class:`DuplicateIds`, since a duplicate may lie in another batch.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import _csv, boundaries, settings
from geo.claims import read_claims
from geo.errors import GeoError
from geo.io import acled, ucdp
from geo.io._columns import flag, iso, text
from geo.io._places import Resolver, locate

LABELS = {"acled": "ACLED", "ucdp": "UCDP GED"}
ID_COLUMNS = {"acled": "event_id_cnty", "ucdp": "id"}


@dataclass(frozen=True)
class Context:
    """What every batch of one import shares (picklable: sent once to each dask worker).

    ``provinces`` and ``gazetteer`` are None for the project's own, which each process
    then loads once.
    """

    fmt: str
    file: str
    provinces: gpd.GeoDataFrame | None = None
    gazetteer: Resolver | None = None


@dataclass(frozen=True)
class Batch:
    """Rows of an export to convert together.

    Attributes
    ----------
    rows : pandas.DataFrame
        The export's values as stripped text, indexed by input line.
    first : pandas.Series
        For each row whose id was seen before (index: its line), the line the id was
        first seen on.
    bytes_read : int
        How far into the file the reading was when the batch was complete.
    """

    rows: pd.DataFrame
    first: pd.Series
    bytes_read: int


@dataclass(frozen=True)
class BatchResult:
    """What a batch gave: its events, its rejected rows, and how far the reading was."""

    events: pd.DataFrame
    rejected: pd.DataFrame
    bytes_read: int


class DuplicateIds:
    """Find repeated ids in reading order, across batches (the first one seen is kept).

    Examples
    --------
    >>> ids = DuplicateIds("id")
    >>> rows = pd.DataFrame({"id": ["a", "b", "a", ""]}, index=[2, 3, 5, 6])
    >>> ids.first_lines(rows).to_dict()
    {5: 2}
    >>> ids.first_lines(pd.DataFrame({"id": ["b"]}, index=[9])).to_dict()
    {9: 3}
    """

    def __init__(self, column: str) -> None:
        self.column = column
        self._seen: dict[str, int] = {}

    def first_lines(self, rows: pd.DataFrame) -> pd.Series:
        """Return, for each row of ``rows`` whose id was seen before, that first line."""
        ids = rows[self.column].astype(str)
        lines = pd.Series(rows.index, index=rows.index)
        prior = ids.map(self._seen)
        first = prior.fillna(lines.groupby(ids).transform("min"))
        repeated = (ids != "") & (prior.notna() | ids.duplicated())
        new = (ids != "") & prior.isna() & ~ids.duplicated()
        self._seen.update(zip(ids[new], lines[new].astype(int), strict=True))
        return first[repeated].astype("int64")


def convert_batch(batch: Batch, context: Context) -> BatchResult:
    """Convert a batch of ACLED or UCDP GED rows to events, and list those rejected.

    Parameters
    ----------
    batch : Batch
        The rows, and the first line of each repeated id.
    context : Context
        The format, the file name (written into ``sources``), the provinces and the
        gazetteer.

    Returns
    -------
    BatchResult
        ``events``: the rows converted, exactly ``settings.EVENT_COLUMNS`` as text,
        indexed by input line; ``rejected``: ``line``, ``source_id``, ``reason`` and
        the row's fields, one row per row of the batch that was not converted;
        ``bytes_read`` as the batch's.

    Raises
    ------
    GeoError
        If the converted rows fail validation as a whole (a bug, not a data problem).

    Examples
    --------
    >>> result = convert_batch(batch, Context("acled", "acled.csv"))  # doctest: +SKIP
    """
    fmt, rows = context.fmt, batch.rows
    provinces = _provinces() if context.provinces is None else context.provinces
    gazetteer = _gazetteer() if context.gazetteer is None else context.gazetteer
    convert_rows = acled.convert_rows if fmt == "acled" else ucdp.convert_rows
    norm, reasons = convert_rows(rows, file=context.file)
    first = batch.first.reindex(norm.index)
    reasons = flag(
        reasons,
        first.notna(),
        text("duplicate {col} '{id}' (first on line {first})", norm.index, col=ID_COLUMNS[fmt],
              id=norm["source_id"], first=first.astype("Int64").astype(str)),
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
    reasons = _validation_reasons(
        events[reasons == ""], reasons, provinces, gazetteer, context.file
    )
    bad = reasons != ""
    rejected = rows[bad].assign(source_id=norm["source_id"][bad], reason=reasons[bad])
    return BatchResult(events[~bad], rejected.reset_index(), batch.bytes_read)


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


@functools.lru_cache(maxsize=1)
def _provinces() -> gpd.GeoDataFrame:
    return boundaries.load_provinces()


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Resolver:
    from geo.places import Gazetteer

    return Gazetteer.load()
