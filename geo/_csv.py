r"""The one CSV reader and writer of the project: line-numbered records, safe cells.

Every CSV the project reads (claims files, the gazetteer's files, ACLED and UCDP
exports, merged import outputs) goes through :func:`read_records`, so a record is
reported at the line it starts on everywhere: the header is line 1, and a value with
line breaks inside quotes moves the next record down by as many lines. Line breaks
are ``\n``, ``\r\n`` or a lone ``\r`` (old Mac files), as a text editor counts them.

Bad input is refused before any work with the caller's own error class, naming the
file and line: text that is not UTF-8 (with the byte offset), broken quoting, no
header, a header wider than :data:`MAX_COLUMNS`. What a single cell holds does not
stop the reading: a value longer than :data:`MAX_FIELD_CHARS` is listed by
:func:`long_fields`, and a NUL byte or another control character is text (Python
3.11's csv module reads it), so the caller can reject those rows with their column
and keep the rest. The reading is linear in the file's size.

Spreadsheet formula injection (OWASP "CSV injection"): :func:`write_records` prefixes
a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(after any number of ``'``) with one ``'``, so that a spreadsheet shows it as text
instead of running it; a cell that is a plain number (``-3.5``) is left alone.
:func:`unescape_cell` undoes exactly that, so the project's own CSV files read back
unchanged: ``'=1+2`` is read as ``=1+2`` and ``''=x`` as ``'=x``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import pandas as pd

from geo.errors import GeoError

#: The most columns a header may have (the project's widest format has a few dozen;
#: UCDP GED has 49): wider files are refused before any row is read.
MAX_COLUMNS = 500
#: The longest value kept, in characters (the csv module's default limit).
MAX_FIELD_CHARS = 131_072
# The parser itself accepts longer values so that they can be reported, not crash it.
csv.field_size_limit(max(csv.field_size_limit(), 64 * MAX_FIELD_CHARS))

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


@dataclass(frozen=True)
class Records:
    """A CSV file read as text: its header and its records with their first line.

    Attributes
    ----------
    name : str
        The file name shown in messages.
    header : list of str
        The column names, as written.
    header_line : int
        The line the header starts on (1 unless blank lines come first).
    rows : list of (int, list of str)
        Per record, the line it starts on and its fields. A record with no value at
        all (a blank line, or ``,,,`` as spreadsheets write empty rows) is no row.
    """

    name: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]


def decode(data: bytes, name: str, *, error: type[GeoError], bom: bool = False) -> str:
    """Return ``data`` as text; refuse an empty file and anything not UTF-8.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name shown in messages.
    error : type of GeoError
        The exception class raised.
    bom : bool, default False
        Accept (and drop) a UTF-8 byte-order mark; without it a BOM is refused.

    Raises
    ------
    GeoError
        (``error``) Naming the file, and for bad UTF-8 the byte offset and line.

    Examples
    --------
    >>> decode("é,x".encode("cp1252"), "f.csv", error=GeoError)
    Traceback (most recent call last):
    ...
    geo.errors.GeoError: f.csv is not valid UTF-8: byte 0xe9 at byte offset 0 (line 1); re-save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`)
    """  # noqa: E501
    if not data.strip():
        raise error(
            f"{name} is empty; expected a header row (the column names, comma-separated) "
            "and one row per record"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        if not bom:
            raise error(
                f"{name} starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without "
                "a BOM (in an editor: encoding 'UTF-8', not 'UTF-8 with BOM'), or remove the "
                f"first three bytes: `sed -i '1s/^\\xEF\\xBB\\xBF//' {name}`"
            )
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = line_breaks(data[: exc.start]) + 1
        raise not_utf8(data[exc.start : exc.start + 1], exc.start, line, name, error) from exc


def line_breaks(data: bytes) -> int:
    r"""Return how many lines ``data`` ends (``\n``, ``\r\n`` or a lone ``\r`` each).

    Examples
    --------
    >>> line_breaks(b"a\r\nb\rc\nd")
    3
    """
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def not_utf8(byte: bytes, offset: int, line: int, name: str, error: type[GeoError]) -> GeoError:
    """Return the error for a file that is not UTF-8: ``byte`` at ``offset``, on ``line``."""
    return error(
        f"{name} is not valid UTF-8: byte 0x{byte.hex()} at byte offset {offset} "
        f"(line {line}); re-save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`)"
    )


def read_records(
    text: str,
    name: str,
    *,
    error: type[GeoError],
    max_columns: int = MAX_COLUMNS,
    strict: bool = True,
) -> Records:
    r"""Parse CSV text into a header and line-numbered records.

    Parameters
    ----------
    text : str
        The file's text (see :func:`decode`).
    name : str
        The file name shown in messages.
    error : type of GeoError
        The exception class raised.
    max_columns : int
        The widest header accepted.
    strict : bool, default True
        Refuse broken quoting (a quote inside an unquoted value, text after a
        closing quote). With False the csv module's lenient reading is kept (for
        exports of other programs: the caller checks each record's width) and a
        file that ends inside a quoted value yields its last record as it stands.

    Returns
    -------
    Records

    Raises
    ------
    GeoError
        (``error``) If the quoting is broken, there is no header, or the header
        is wider than ``max_columns``.

    Examples
    --------
    >>> r = read_records('a,b\n"x\ny",1\n2,3\n', "f.csv", error=GeoError)
    >>> r.header, r.rows
    (['a', 'b'], [(2, ['x\ny', '1']), (4, ['2', '3'])])
    """
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, strict=strict)
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            start, previous = previous + 1, reader.line_num
            if not fields or not any(f.strip() for f in fields):
                continue
            if header is None:
                if len(fields) > max_columns:
                    raise error(
                        f"{name}, line {start}: the header has {len(fields):,} columns; at "
                        f"most {max_columns} are read. Is this the right file, with commas "
                        "between columns?"
                    )
                header, header_line = fields, start
            else:
                rows.append((start, fields))
    except csv.Error as exc:
        what = (
            "it contains a NUL byte (is it a text CSV file?)"
            if "NUL" in str(exc)
            else f"the CSV cannot be parsed ({exc}); check the quotes: a value with a comma, "
            'a quote or a line break is written "like ""this"""'
        )
        raise error(f"{name}, line {previous + 1}: {what}") from exc
    if header is None:
        raise error(f"{name} has no header row")
    return Records(name, header, header_line, rows)


_COLUMN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_ .()-]{0,40}")


def describe_header(header: Sequence[str], *, limit: int = 12) -> str:
    """Say what a header holds without repeating text that is not column names.

    Names are listed only when every one looks like a column name (letters, digits,
    ``_``, short): a file that is not a CSV at all (``/etc/passwd``, a key file) is
    described by its width alone, so an error message never echoes its content.

    Examples
    --------
    >>> describe_header(["date", "place"])
    '2 columns: date, place'
    >>> describe_header(["root:x:0:0:root:/root:/bin/bash"])
    '1 column, not column names'
    """
    count = f"{len(header)} column" + ("" if len(header) == 1 else "s")
    if not all(_COLUMN_NAME.fullmatch(h.strip()) for h in header):
        return f"{count}, not column names"
    shown = ", ".join(h.strip() for h in header[:limit])
    return f"{count}: {shown}" + (", ..." if len(header) > limit else "")


def long_fields(records: Records) -> list[tuple[int, int, int]]:
    """Return ``(line, column index, length)`` of every value over :data:`MAX_FIELD_CHARS`."""
    return [
        (line, i, len(value))
        for line, fields in records.rows
        for i, value in enumerate(fields)
        if len(value) > MAX_FIELD_CHARS
    ]


def line_text(fields: Sequence[str]) -> str:
    """Return ``fields`` as the text of one CSV record (no line ending; "" for none).

    Examples
    --------
    >>> line_text(["a", "b,c"]), line_text([])
    ('a,"b,c"', '')
    """
    if not fields:
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(fields)  # quotes any \r or \n
    return buffer.getvalue().removesuffix("\r\n")


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell`: drop the one ``'`` put before a formula character.

    Examples
    --------
    >>> unescape_cell("'=SUM(A1)"), unescape_cell("''+x"), unescape_cell("it's")
    ('=SUM(A1)', "'+x", "it's")
    """
    return value[1:] if _ESCAPED.match(value) else value


def escape_cell(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (numbers excepted).

    Examples
    --------
    >>> escape_cell("=HYPERLINK(x)"), escape_cell("-3.5"), escape_cell("'-x")
    ("'=HYPERLINK(x)", '-3.5', "''-x")
    """
    if _FORMULA.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def unescape_column(values: pd.Series) -> pd.Series:
    """Apply :func:`unescape_cell` to a column of text, whole column at a time."""
    hit = values.str.match(_ESCAPED.pattern)
    if not hit.any():
        return values
    return values.where(~hit, values.str.slice(1))


def _escape_column(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").astype(str)
    hit = text.str.match(_FORMULA.pattern) & ~text.str.match(_NUMBER.pattern)
    return text.where(~hit, "'" + text)


def write_records(fh: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    r"""Write CSV (RFC 4180: CRLF between records), escaping formula cells.

    Every value with a comma, a quote, ``\r`` or ``\n`` is quoted, so any text
    (lone carriage returns included) reads back as it was.

    Examples
    --------
    >>> out = io.StringIO(); write_records(out, ["a"], [["=1+1"], ["x\ry"]])
    >>> out.getvalue().splitlines(keepends=True)
    ['a\r\n', "'=1+1\r\n", '"x\r', 'y"\r\n']
    """
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow([escape_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([escape_cell("" if v is None else str(v)) for v in row])


#: Rows escaped and written at a time by :func:`write_frame` (bounds its memory).
WRITE_ROWS = 50_000


def write_frame(fh: IO[str], frame: pd.DataFrame) -> None:
    """Write a table as CSV with :func:`write_records`' rules, a column at a time.

    Missing values are written as empty cells; everything else as ``str(value)``.
    Rows are written :data:`WRITE_ROWS` at a time, so a large table needs little
    more memory than it holds.
    """
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow([escape_cell(str(h)) for h in frame.columns])
    if not len(frame.columns):
        return
    for start in range(0, len(frame), WRITE_ROWS):
        part = frame.iloc[start : start + WRITE_ROWS]
        columns = [_escape_column(part[c]).to_numpy(dtype=object) for c in part.columns]
        writer.writerows(zip(*columns, strict=True))


def frame_bytes(frame: pd.DataFrame) -> bytes:
    """Return :func:`write_frame`'s CSV as UTF-8 bytes (for downloads)."""
    buffer = io.StringIO(newline="")
    write_frame(buffer, frame)
    return buffer.getvalue().encode("utf-8")


__all__ = [
    "MAX_COLUMNS",
    "MAX_FIELD_CHARS",
    "Records",
    "decode",
    "describe_header",
    "escape_cell",
    "frame_bytes",
    "line_breaks",
    "line_text",
    "long_fields",
    "not_utf8",
    "read_records",
    "unescape_cell",
    "unescape_column",
    "write_frame",
    "write_records",
]
