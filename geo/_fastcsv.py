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
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo import _csv
from geo.errors import GeoError

__all__ = ["Table", "positions", "read_table"]

#: Below this size the strict reader is fast enough; pyarrow's set-up is not free.
FAST_FROM_BYTES = 1 << 20
#: The bytes a quoted value may stand between.
_EDGE = np.zeros(256, dtype=bool)
_EDGE[list(b",\r\n")] = True
#: The bytes a quote may stand beside: an edge, or a quote (two pairs in one value).
_EDGE_OR_QUOTE = _EDGE.copy()
_EDGE_OR_QUOTE[ord('"')] = True


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


def _quoting(data: bytes, step: int = 1 << 22) -> tuple[bool, bool, int | None]:
    r"""Check the quoting; say whether any quoted value holds a line break.

    Returns whether every quote opens or closes a quoted value at a field's edges
    (a comma, a line break, the start or the end of the file) or is half of a ``""``
    inside one, whether a ``\r`` or ``\n`` stands inside a quoted value, and how many
    ``\n`` the file holds when they were counted on the way (None otherwise).

    Read left to right, as :mod:`csv` does, the quotes pair up in order: the first
    opens a value and the second closes it, unless the byte after the second is a
    quote too (a ``""`` inside the value: the value goes on to the next pair). So
    the quoting is strict when there is an even number of quotes and every pair
    starts after an edge or right after the previous pair (the byte before it is
    then a quote: the previous pair's closing one), and ends before an edge or
    right before the next pair. A quoted value runs from a pair that starts after
    an edge to the next pair that ends before one; a line break is inside one when
    it lies between the two. All of it is computed on whole chunks of the buffer.
    """
    if b'"' not in data:
        return True, False, None
    codes = np.frombuffer(data, dtype=np.uint8)
    last, cr = len(codes) - 1, b"\r" in data
    found = np.empty(min(step, len(codes)), dtype=bool)
    starts, ends, breaks = [], [], []
    odd = False  # an odd number of quotes before the chunk: its first quote closes a pair
    for first in range(0, len(codes), step):  # a few MB at a time: in cache, 2x faster
        chunk = codes[first : first + step]
        quotes = _where(chunk, ord('"'), found) + first
        opens, closes = (quotes[1::2], quotes[0::2]) if odd else (quotes[0::2], quotes[1::2])
        odd ^= bool(len(quotes) % 2)
        # at the file's edges the quote itself is read: a quote, so the check passes
        before = codes[np.maximum(opens - 1, 0)]
        after = codes[np.minimum(closes + 1, last)]
        if not (_EDGE_OR_QUOTE[before].all() and _EDGE_OR_QUOTE[after].all()):
            return False, False, None
        starts.append(opens[_EDGE[before] | (opens == 0)])
        ends.append(closes[_EDGE[after] | (closes == last)])
        for byte in b"\n\r" if cr else b"\n":
            breaks.append(_where(chunk, byte, found) + first)
    if odd:
        return False, False, None
    at = np.sort(np.concatenate(breaks)) if cr else np.concatenate(breaks)
    begin, end = np.concatenate(starts), np.concatenate(ends)
    after_begin = np.searchsorted(at, begin)  # the first line break after each value's start
    within = after_begin < len(at)
    inside = bool((at[after_begin[within]] < end[within]).any())
    return True, inside, None if cr else len(at)


def _where(chunk: np.ndarray, byte: int, found: np.ndarray) -> np.ndarray:
    """Return where ``byte`` stands in ``chunk``, using ``found`` as scratch space."""
    mask = found[: len(chunk)]
    np.equal(chunk, byte, out=mask)
    return np.flatnonzero(mask)


def positions(codes: np.ndarray, byte: int, step: int = 1 << 22) -> np.ndarray:
    """Return where ``byte`` stands in ``codes``, a few MB at a time (2x faster)."""
    found = np.empty(min(step, len(codes)), dtype=bool)
    parts = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(codes), step):
        chunk = codes[start : start + step]
        np.equal(chunk, byte, out=found[: len(chunk)])
        parts.append(np.flatnonzero(found[: len(chunk)]) + start)
    return np.concatenate(parts)


def _header(data: bytes, name: str, error: type[GeoError]) -> tuple[list[str], int] | None:
    """Return the header and the bytes it takes when it is the first line alone."""
    end = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=len(data))
    try:
        text = data[:end].decode("utf-8")
        fields = next(csv.reader([text], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if not any(f.strip() for f in fields):
        return None  # the strict reader skips blank lines before the header
    if len(fields) > _csv.MAX_COLUMNS:
        raise error(
            f"{name}, line 1: the header has {len(fields):,} columns; at most "
            f"{_csv.MAX_COLUMNS} are read. Is this the right file, with commas between columns?"
        )
    return fields, end


def _fast(data: bytes, name: str, error: type[GeoError]) -> Table | None:
    """Parse with pyarrow; None when its records might differ from the strict reader's.

    pyarrow checks that every value is UTF-8; when it is not, or anything else is
    unusual, the strict reader reads the file and says what is wrong.
    """
    if data.startswith(b"\xef\xbb\xbf") or b"\x00" in data:
        return None
    strict, inside, newlines = _quoting(data)
    found = _header(data, name, error) if strict else None
    if found is None:
        return None
    header, _ = found
    if len(set(header)) != len(header):
        return None
    misfits: list[int] = []

    def count_misfit(row: pacsv.InvalidRow) -> str:
        misfits.append(row.actual_columns)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(
                # pyarrow reads in parallel only when no value holds a line break
                newlines_in_values=inside,
                invalid_row_handler=count_misfit,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.large_string() for c in header},  # as pandas keeps text
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if misfits:
        return None
    if b"\r" in data:
        total = _csv.line_breaks(data)
    else:
        total = data.count(b"\n") if newlines is None else newlines
    ends_open = not data.endswith((b"\n", b"\r"))
    spans = np.ones(table.num_rows, dtype=np.int64)
    if inside:  # some values hold line breaks
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
    frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    frame.index = pd.Index(starts, name="line", dtype="int64")
    if blank.any():
        frame = frame[~blank]
    return Table(name, header, 1, frame.astype(str), [])


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
    if len(data) >= FAST_FROM_BYTES:
        table = _fast(data, name, error)
        if table is not None:
            return table
    return _from_records(_csv.read_records(_csv.decode(data, name, error=error), name, error=error))
