r"""Reading an ACLED or UCDP GED export: its header, its rows as text, its format.

:func:`read_table` reads the CSV once with the project's line-numbered reader
(:mod:`geo._csv`: quoted line breaks counted, ``\r``, ``\n`` and ``\r\n`` all end a
line), setting aside records with the wrong number of fields, including a last row cut
off by a truncated file; :func:`detect_format` recognises the source from the header's
signature columns. Line breaks inside values become ``\n``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo import _csv, _files
from geo.errors import ImportFormatError

#: Columns that only one format has: ``--format auto`` looks for these.
SIGNATURES = {
    "acled": ("event_id_cnty", "event_date", "time_precision", "geo_precision", "admin1"),
    "ucdp": ("type_of_violence", "side_a", "where_prec", "date_prec", "adm_1"),
}


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


def read_table(path: Path) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    r"""Read a CSV export as text, keeping each row's line number.

    Linear in the file's size, whatever the rows' widths: a row with more fields than
    the header keeps the extra ones as one CSV text in ``extra_fields``.

    Parameters
    ----------
    path : Path
        A UTF-8 CSV file (a byte-order mark is accepted).

    Returns
    -------
    header : list of str
    rows : pandas.DataFrame
        One row per well-formed record, every value a stripped string (line breaks
        as ``\n``), indexed by the line the record starts on (the header is line 1;
        quoted newlines count).
    broken : pandas.DataFrame
        The records set aside: ``line``, ``reason``, the header's columns (as many
        fields as the record has) and, when a record has more, ``extra_fields``. They
        are records with the wrong number of fields (including a last row cut off by
        a truncated file) and records with a value over ``MAX_FIELD_CHARS``.

    Raises
    ------
    ImportFormatError
        If the path is not a readable regular file, the file is empty, not UTF-8,
        has no header, repeats a column or has more than 500 columns.

    Examples
    --------
    >>> header, rows, broken = read_table(Path("acled.csv"))  # doctest: +SKIP
    """
    path = Path(path)
    name = str(path)
    data = _files.read_bytes(path, what="import file", error=ImportFormatError)
    text = _csv.decode(data, name, error=ImportFormatError, bom=True)
    records = _csv.read_records(text, name, error=ImportFormatError, strict=False)
    header = [h.strip() for h in records.header]
    if not any(header):
        raise ImportFormatError(f"{path} has no header row on line {records.header_line}")
    repeated = sorted(h for h, n in Counter(header).items() if n > 1)
    if repeated:
        raise ImportFormatError(f"{path}: the header repeats the column(s) {repeated}")
    width = len(header)
    reasons = {
        line: f"the row has {len(fields)} fields; expected {width}, one per header column"
        for line, fields in records.rows
        if len(fields) != width
    }
    if records.rows:
        line, fields = records.rows[-1]
        where = f"({len(fields)} of {width} fields): {_CUT}"
        if text.count('"') % 2 == 1:
            reasons[line] = f"the file ends inside a quoted value of this row {where}"
        elif len(fields) < width and not text.endswith(("\n", "\r")):
            reasons[line] = f"the file ends in the middle of this row {where}"
    for line, i, length in _csv.long_fields(records):
        column = header[i] if i < width else f"field {i + 1}"
        reasons.setdefault(
            line,
            f"{column}: a value of {length:,} characters; at most {_csv.MAX_FIELD_CHARS:,} "
            "are read (is this the right file?)",
        )
    good = [(line, fields) for line, fields in records.rows if line not in reasons]
    rows = pd.DataFrame(
        [fields for _, fields in good],
        columns=header,
        index=pd.Index([line for line, _ in good], name="line"),
        dtype=object,
    )
    rows = rows.apply(
        lambda col: (
            col.astype(str)
            .str.replace("\r\n", "\n", regex=False)
            .str.replace("\r", "\n", regex=False)
            .str.strip()
        )
    ).astype(object)
    bad = [(line, fields) for line, fields in records.rows if line in reasons]
    return header, rows, _broken_frame(bad, header, reasons)


_CUT = "it was cut off (an interrupted download or copy?); get the complete file"


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
