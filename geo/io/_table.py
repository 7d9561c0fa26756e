r"""Reading an ACLED or UCDP GED export in chunks: its header, its rows as text, its format.

:class:`ExportReader` opens an export, reads its header at once and then hands its
records on in chunks (:meth:`ExportReader.chunks`), so a file of any size is read in
bounded memory. It reads with the project's CSV rules (:mod:`geo._csv`): one csv
reader (the lenient reading of other programs' exports) runs over the whole file,
decoded in blocks of whole lines, so a record is numbered by the line it starts on
exactly as :func:`geo._csv.read_records` numbers it (quoted line breaks counted;
``\r``, ``\n`` and ``\r\n`` all end a line), whatever the block and chunk boundaries: a
quoted value with line breaks may straddle both. Records with the wrong number of
fields (including a last row cut off by a truncated file) and records with a value
over ``MAX_FIELD_CHARS`` are set aside with the reason; rows of another country can be
counted instead of kept. :func:`read_table` reads a whole file this way;
:func:`detect_format` recognises the source from the header's signature columns.
Line breaks inside values become ``\n``.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
import pandas as pd

from geo import _csv, _files
from geo.errors import ImportFormatError

#: Columns that only one format has: ``--format auto`` looks for these.
SIGNATURES = {
    "acled": ("event_id_cnty", "event_date", "time_precision", "geo_precision", "admin1"),
    "ucdp": ("type_of_violence", "side_a", "where_prec", "date_prec", "adm_1"),
}
#: Bytes read and decoded at a time (cut after the last line break).
BLOCK_BYTES = 1 << 22
#: Records handed on at a time.
CHUNK_ROWS = 20_000
#: The longest line read: a file with no line break in this many bytes is no export.
MAX_LINE_BYTES = 1 << 28
#: The largest export read: memory stays bounded at any size; this only names an absurd input.
MAX_IMPORT_BYTES = 1 << 40
#: The one country an import keeps (compared stripped and case-folded).
COUNTRY = "afghanistan"
#: A country value longer than this is no country name: the row is kept and checked.
_COUNTRY_CHARS = 100
_BOM = b"\xef\xbb\xbf"
_CUT = "it was cut off (an interrupted download or copy?); get the complete file"


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
        the columns looked for and those found (only their number when they do not look
        like column names: the file may be anything).

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
    raise ImportFormatError(
        f"cannot recognise the format of {name} from its header: looked for the ACLED "
        f"columns {', '.join(SIGNATURES['acled'])} or the UCDP GED columns "
        f"{', '.join(SIGNATURES['ucdp'])}; found {_csv.describe_header(columns)}. Give the "
        "format with --format acled or --format ucdp if the file is one of them"
    )


@dataclass(frozen=True)
class Chunk:
    r"""The next records of an export.

    Attributes
    ----------
    rows : pandas.DataFrame
        The well-formed records kept, every value a stripped string (line breaks as
        ``\n``), indexed by the line the record starts on (the header is line 1).
    broken : pandas.DataFrame
        The records set aside: ``line``, ``reason``, the header's columns (as many
        fields as the record has) and, when a record has more, ``extra_fields`` (one
        CSV text).
    others : collections.Counter
        Well-formed records of another country, counted by country (as written,
        stripped) instead of kept.
    records : int
        How many records the chunk read: ``len(rows) + len(broken) + others.total()``.
    bytes_read : int
        The bytes of the file read so far.
    """

    rows: pd.DataFrame
    broken: pd.DataFrame
    others: Counter[str]
    records: int
    bytes_read: int


class ExportReader:
    """An ACLED or UCDP GED export opened for reading in chunks (a context manager).

    Parameters
    ----------
    path : Path
        A UTF-8 CSV file (a byte-order mark is accepted).
    block_bytes : int
        Bytes read and decoded at a time.

    Attributes
    ----------
    header : list of str
        The column names, stripped.
    size : int
        The file's size in bytes.

    Raises
    ------
    ImportFormatError
        If the path is not a readable regular file, the file is empty, has no header,
        repeats a column or has more than 500 columns. Reading the chunks raises it
        for text that is not UTF-8 (with the byte offset and line) and for a CSV the
        csv module cannot parse.

    Examples
    --------
    >>> with ExportReader(Path("acled.csv")) as reader:  # doctest: +SKIP
    ...     for chunk in reader.chunks(country="country"):
    ...         print(len(chunk.rows), chunk.others.total())
    """

    def __init__(self, path: Path, *, block_bytes: int = BLOCK_BYTES) -> None:
        self.path, self.name = Path(path), str(path)
        _files.check_file(
            self.path, what="import file", error=ImportFormatError, limit=MAX_IMPORT_BYTES
        )
        try:
            self._fh = self.path.open("rb")
        except OSError as exc:
            raise ImportFormatError(f"cannot read import file {path}: {exc.strerror}") from exc
        self.size = os.fstat(self._fh.fileno()).st_size
        self.bytes_read = 0
        self._block_bytes = max(1, block_bytes)
        self._quotes, self._last, self._nonspace = 0, "", False
        self._previous = 0  # the lines read before the current record
        lines = itertools.chain.from_iterable(io.StringIO(t, newline="") for t in self._text())
        self._reader = csv.reader(lines, strict=False)
        self._records = self._read()
        try:
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._fh.close()

    def _text(self) -> Iterator[str]:
        """Yield the file's text in blocks that end with a line break (but the last)."""
        head = self._fh.read(3)
        self.bytes_read, self._nonspace = len(head), bool(head.strip())
        carry = b"" if head == _BOM else head
        offset, line = 0, 1  # the bytes (after a BOM) and the line before `carry`
        while True:
            data = self._fh.read(self._block_bytes)
            self.bytes_read += len(data)
            self._nonspace = self._nonspace or bool(data.strip())
            buffer = carry + data
            cut = len(buffer)
            if data:  # a lone \r at the end may be the first half of \r\n: kept back
                cut = buffer.rfind(b"\n") + 1 or buffer.rfind(b"\r", 0, len(buffer) - 1) + 1
                if not cut and len(buffer) > MAX_LINE_BYTES:
                    raise ImportFormatError(
                        f"{self.name}, line {line}: no line break in {len(buffer):,} bytes; "
                        "is this a CSV export?"
                    )
            block, carry = buffer[:cut], buffer[cut:]
            if block:
                try:
                    text = block.decode("utf-8")
                except UnicodeDecodeError as exc:
                    at = line + _csv.line_breaks(block[: exc.start])
                    byte = block[exc.start : exc.start + 1]
                    raise _csv.not_utf8(
                        byte, offset + exc.start, at, self.name, ImportFormatError
                    ) from exc
                self._quotes += text.count('"')
                self._last = text[-1]
                offset, line = offset + len(block), line + _csv.line_breaks(block)
                yield text
            if not data:
                return

    def _read(self) -> Iterator[tuple[int, list[str]]]:
        """Yield each record that holds a value, with the line it starts on."""
        reader = self._reader
        try:
            for fields in reader:
                start, self._previous = self._previous + 1, reader.line_num
                if fields and (fields[0].strip() or any(f.strip() for f in fields)):
                    yield start, fields
        except csv.Error as exc:
            what = (
                "it contains a NUL byte (is it a text CSV file?)"
                if "NUL" in str(exc)
                else f"the CSV cannot be parsed ({exc}); check the quotes: a value with a "
                'comma, a quote or a line break is written "like ""this"""'
            )
            raise ImportFormatError(f"{self.name}, line {self._previous + 1}: {what}") from exc

    def _read_header(self) -> list[str]:
        first = next(self._records, None)
        if first is None:
            if not self._nonspace:
                raise ImportFormatError(
                    f"{self.name} is empty; expected a header row (the column names, "
                    "comma-separated) and one row per record"
                )
            raise ImportFormatError(f"{self.name} has no header row")
        line, fields = first
        if len(fields) > _csv.MAX_COLUMNS:
            raise ImportFormatError(
                f"{self.name}, line {line}: the header has {len(fields):,} columns; at most "
                f"{_csv.MAX_COLUMNS} are read. Is this the right file, with commas between "
                "columns?"
            )
        header = [h.strip() for h in fields]
        if not any(header):
            raise ImportFormatError(f"{self.path} has no header row on line {line}")
        repeated = sorted(h for h, n in Counter(header).items() if n > 1)
        if repeated:
            raise ImportFormatError(f"{self.path}: the header repeats the column(s) {repeated}")
        return header

    def chunks(self, rows: int = CHUNK_ROWS, *, country: str | None = None) -> Iterator[Chunk]:
        """Yield the records in chunks of ``rows`` (the last may be shorter, even empty).

        Parameters
        ----------
        rows : int
            Records per chunk.
        country : str, optional
            The column that names the country: well-formed rows with a country other
            than Afghanistan are counted in :attr:`Chunk.others` instead of kept (an
            empty country is kept, for the caller to reject).
        """
        pending: list[tuple[int, list[str]]] = []
        for record in self._records:
            pending.append(record)
            if len(pending) > rows:  # the last record is held back: it may be cut off
                yield self._chunk(pending[:-1], country, final=False)
                pending = pending[-1:]
        yield self._chunk(pending, country, final=True)

    def _chunk(
        self, records: list[tuple[int, list[str]]], country: str | None, *, final: bool
    ) -> Chunk:
        header, width = self.header, len(self.header)
        widths = np.fromiter(map(len, (f for _, f in records)), dtype=np.int64, count=len(records))
        reasons = {
            records[i][0]: f"the row has {widths[i]} fields; expected {width}, one per header "
            "column"
            for i in np.flatnonzero(widths != width).tolist()
        }
        if final and records:
            line, fields = records[-1]
            where = f"({len(fields)} of {width} fields): {_CUT}"
            if self._quotes % 2 == 1:
                reasons[line] = f"the file ends inside a quoted value of this row {where}"
            elif len(fields) < width and self._last not in ("\n", "\r"):
                reasons[line] = f"the file ends in the middle of this row {where}"
        fit = [r for r in records if r[0] not in reasons] if reasons else records
        others: Counter[str] = Counter()
        if country is not None and fit:
            fit, others = _other_countries(fit, header.index(country))
        raw = pd.DataFrame(
            [fields for _, fields in fit],
            columns=header,
            index=pd.Index([line for line, _ in fit], name="line", dtype="int64"),
            dtype=object,
        )
        long = _long_values(raw)
        for line, column, length in long:
            reasons.setdefault(
                line,
                f"{column}: a value of {length:,} characters; at most "
                f"{_csv.MAX_FIELD_CHARS:,} are read (is this the right file?)",
            )
        kept = raw.drop(index=[line for line, _, _ in long])
        kept = kept.apply(
            lambda col: (
                col.astype(str)
                .str.replace("\r\n", "\n", regex=False)
                .str.replace("\r", "\n", regex=False)
                .str.strip()
            )
        ).astype(object)
        bad = [r for r in records if r[0] in reasons] if reasons else []
        return Chunk(
            rows=kept,
            broken=_broken_frame(bad, header, reasons),
            others=others,
            records=len(records),
            bytes_read=self.bytes_read,
        )


def _other_countries(
    fit: list[tuple[int, list[str]]], column: int
) -> tuple[list[tuple[int, list[str]]], Counter[str]]:
    """Split off the records of another country (each distinct value judged once)."""
    values = [fields[column] for _, fields in fit]
    named = {v: v.strip() for v in set(values)}
    other = {
        v: bool(name) and len(name) <= _COUNTRY_CHARS and name.casefold() != COUNTRY
        for v, name in named.items()
    }
    mask = np.fromiter((other[v] for v in values), dtype=bool, count=len(values))
    counts = Counter(v for v, o in zip(values, mask, strict=True) if o)
    others: Counter[str] = Counter()
    for value, n in counts.items():
        others[named[value]] += n
    return [r for r, o in zip(fit, mask, strict=True) if not o], others


def _long_values(raw: pd.DataFrame) -> list[tuple[int, str, int]]:
    """Return ``(line, column, length)`` of the first value over ``MAX_FIELD_CHARS`` per row."""
    if raw.empty:
        return []
    lengths = raw.apply(lambda col: col.str.len())
    over = lengths > _csv.MAX_FIELD_CHARS
    first = over[over.any(axis=1)].idxmax(axis=1)
    return [
        (int(line), str(column), int(lengths.at[line, column]))
        for line, column in zip(first.index.tolist(), first.tolist(), strict=True)
    ]


def read_table(path: Path) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    r"""Read a whole CSV export as text, keeping each row's line number.

    The chunks of :class:`ExportReader` in one: linear in the file's size, whatever
    the rows' widths (a row with more fields than the header keeps the extra ones as
    one CSV text in ``extra_fields``).

    Returns
    -------
    header : list of str
    rows : pandas.DataFrame
        One row per well-formed record (see :attr:`Chunk.rows`).
    broken : pandas.DataFrame
        The records set aside (see :attr:`Chunk.broken`): records with the wrong
        number of fields (including a last row cut off by a truncated file) and
        records with a value over ``MAX_FIELD_CHARS``.

    Raises
    ------
    ImportFormatError
        As :class:`ExportReader`.

    Examples
    --------
    >>> header, rows, broken = read_table(Path("acled.csv"))  # doctest: +SKIP
    """
    with ExportReader(path) as reader:
        (chunk,) = reader.chunks(rows=1 << 62)
    return reader.header, chunk.rows, chunk.broken


def _broken_frame(
    bad: list[tuple[int, list[str]]], header: list[str], reasons: dict[int, str]
) -> pd.DataFrame:
    """Return the set-aside records with their reasons (extra fields as one CSV text)."""
    width = len(header)
    table = [
        [line, reasons[line], *fields[:width], *[""] * (width - len(fields))]
        for line, fields in bad
    ]
    frame = pd.DataFrame(table, columns=["line", "reason", *header], dtype=object)
    frame["line"] = frame["line"].astype(int)
    extra = [_csv.line_text(fields[width:]) for _, fields in bad]
    if any(extra):
        frame["extra_fields"] = extra
    return frame
