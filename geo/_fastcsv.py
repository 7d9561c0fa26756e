r"""Large CSV files read fast with pyarrow, to exactly the records :mod:`geo._csv` reads.

:func:`read_table` returns a file's rows as a table of text indexed by the line each
record starts on, plus the records whose width is not the header's. It parses with
pyarrow's multi-threaded CSV reader when that gives the same records as the
project's strict line-numbered reader (:func:`geo._csv.read_records`), and falls back
to that reader otherwise, so the answer, and every error message, is the same either
way; only the time differs. pyarrow is used when:

- the quoting is well formed: every ``"`` belongs to a quoted value that starts a
  field and ends before a comma, a line break or the end of the file (pyarrow reads
  ``"x"y`` as ``xy`` and accepts a file that ends inside quotes; the strict reader
  refuses both, and so does the fallback);
- there is no NUL byte, no record of the wrong width and no blank line: then the
  line a record starts on is the header's line plus the records and the line breaks
  inside the values before it, and the count of line breaks in the file proves it.

Like the strict reader, a record whose values are all blank (``,,,`` as spreadsheets
write below a table) is skipped.

Line breaks are ``\n``, ``\r\n`` or a lone ``\r``, as in :mod:`geo._csv`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo import _csv
from geo.errors import GeoError

__all__ = ["Table", "read_table"]

#: Below this size the strict reader is fast enough; pyarrow's set-up is not free.
FAST_FROM_BYTES = 1 << 20
#: A quoted value (``""`` is a quote inside it).
_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')


@dataclass(frozen=True)
class Table:
    """A CSV file read as text.

    Attributes
    ----------
    name : str
        The file name shown in messages.
    header : list of str
        The column names, as written.
    header_line : int
        The line the header starts on.
    frame : pandas.DataFrame
        The records with as many fields as the header, every value text, columns
        named by the header, indexed by the line each record starts on (``line``).
    misfits : list of (int, list of str)
        The records with more or fewer fields, with their first line.
    """

    name: str
    header: list[str]
    header_line: int
    frame: pd.DataFrame
    misfits: list[tuple[int, list[str]]]


def _from_records(records: _csv.Records) -> Table:
    width = len(records.header)
    fits = [(line, f) for line, f in records.rows if len(f) == width]
    frame = pd.DataFrame(
        [f for _, f in fits],
        columns=records.header,
        index=pd.Index([line for line, _ in fits], name="line", dtype="int64"),
        dtype=object,
    )
    misfits = [(line, f) for line, f in records.rows if len(f) != width]
    return Table(records.name, records.header, records.header_line, frame.astype(str), misfits)


def _quoting_is_strict(data: bytes) -> bool:
    """Whether every quote opens or closes a quoted value at a field's edges.

    Every quoted value is replaced by a byte that UTF-8 text never holds (``0xff``);
    the quoting is strict when no quote is left and every replacement stands between
    field edges (a comma, a line break, the start or the end of the file), checked on
    the whole buffer at once.
    """
    if b'"' not in data:
        return True
    marked = _QUOTED.sub(b"\xff", data)
    if b'"' in marked:
        return False
    codes = np.frombuffer(marked, dtype=np.uint8)
    at = np.flatnonzero(codes == 0xFF)
    edge = np.zeros(256, dtype=bool)
    edge[list(b",\r\n")] = True
    before = codes[np.maximum(at - 1, 0)]
    after = codes[np.minimum(at + 1, len(codes) - 1)]
    ok_before = (at == 0) | edge[before]
    ok_after = (at == len(codes) - 1) | edge[after]
    return bool(ok_before.all() and ok_after.all())


def _header(text: str, name: str, error: type[GeoError]) -> tuple[list[str], int, int]:
    """Return the header, its first line and the last line it takes."""
    reader = csv.reader(io.StringIO(text[: 1 << 16], newline=""), strict=True)
    previous = 0
    for fields in reader:
        start, previous = previous + 1, reader.line_num
        if fields and any(f.strip() for f in fields):
            if len(fields) > _csv.MAX_COLUMNS:
                raise error(
                    f"{name}, line {start}: the header has {len(fields):,} columns; at most "
                    f"{_csv.MAX_COLUMNS} are read. Is this the right file, with commas between "
                    "columns?"
                )
            return fields, start, previous
    raise error(f"{name} has no header row")


def _fast(data: bytes, text: str, name: str, error: type[GeoError]) -> Table | None:
    """Parse with pyarrow; None when its records might differ from the strict reader's."""
    if b"\x00" in data or not _quoting_is_strict(data):
        return None
    try:
        header, header_line, header_end = _header(text, name, error)
    except csv.Error:
        return None
    if header_end != 1 or len(set(header)) != len(header):
        return None  # a header that is not the first line alone: the strict reader numbers it
    misfits: list[int] = []

    def count_misfit(row: pacsv.InvalidRow) -> str:
        misfits.append(row.actual_columns)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=count_misfit
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if misfits:
        return None
    total = text.count("\n") + text.count("\r") - text.count("\r\n")
    ends_open = not text.endswith(("\n", "\r"))
    spans = np.ones(table.num_rows, dtype=np.int64)
    if total != 1 + table.num_rows - int(ends_open):  # some values hold line breaks
        for column in table.columns:
            if pc.any(pc.match_substring_regex(column, r"[\r\n]")).as_py():
                counts = pc.count_substring_regex(column, r"\r\n|\r|\n")
                spans += counts.to_numpy(zero_copy_only=False)
    starts = 2 + np.cumsum(spans) - spans
    if total != 1 + int(spans.sum()) - int(ends_open):
        return None  # blank lines or whitespace-only lines: the strict reader numbers them
    blank = _blank(table.columns[0]) if table.num_rows else np.zeros(0, dtype=bool)
    for column in table.columns[1:] if blank.any() else ():  # records of blanks are skipped
        blank &= _blank(column)
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame.index = pd.Index(starts, name="line", dtype="int64")
    if blank.any():
        frame = frame[~blank]
    return Table(name, header, header_line, frame.astype(str), [])


def _blank(column: pa.ChunkedArray) -> np.ndarray:
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(column))
    return np.asarray(pc.equal(trimmed, 0).to_numpy(zero_copy_only=False), dtype=bool)


def read_table(data: bytes, name: str, *, error: type[GeoError]) -> Table:
    r"""Read a CSV file's records as a line-numbered table of text.

    Parameters
    ----------
    data : bytes
        The file's content (UTF-8; see :func:`geo._csv.decode` for what is refused).
    name : str
        The file name shown in messages.
    error : type of GeoError
        The exception class raised.

    Returns
    -------
    Table

    Raises
    ------
    GeoError
        (``error``) As :func:`geo._csv.decode` and :func:`geo._csv.read_records`.

    Examples
    --------
    >>> t = read_table(b'a,b\n"x\ny",1\n2,3,4\n', "f.csv", error=GeoError)
    >>> t.frame.index.tolist(), t.misfits
    ([2], [(4, ['2', '3', '4'])])
    """
    text = _csv.decode(data, name, error=error)
    if len(data) >= FAST_FROM_BYTES:
        table = _fast(data, text, name, error)
        if table is not None:
            return table
    return _from_records(_csv.read_records(text, name, error=error))
