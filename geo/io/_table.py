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
    """Read a CSV export as text, keeping each row's line number.

    Parameters
    ----------
    path : Path
        A UTF-8 CSV file (a byte-order mark is accepted).

    Returns
    -------
    header : list of str
    rows : pandas.DataFrame
        One row per well-formed record, every value a stripped string, indexed by
        the line the record starts on (the header is line 1; quoted newlines count).
    broken : pandas.DataFrame
        Records with the wrong number of fields (``line``, ``reason`` and the
        fields), including a last row cut off by a truncated file.

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
    widest = max([width, *(len(f) for _, f in records.rows)])
    names = [*header, *(f"extra_{i + 1}" for i in range(width, widest))]
    lines = [line for line, _ in records.rows]
    padded = [f + [None] * (widest - len(f)) for _, f in records.rows]
    raw = pd.DataFrame(padded, columns=names, index=pd.Index(lines, name="line"), dtype=object)
    n_fields = pd.Series([len(f) for _, f in records.rows], index=raw.index, dtype=int)
    wrong = n_fields != width
    reason = (
        "the row has " + n_fields.astype(str) + f" fields; expected {width}, one per header column"
    ).astype(object)
    cut = "it was cut off (an interrupted download or copy?); get the complete file"
    if len(raw) and text.count('"') % 2 == 1:
        wrong.iloc[-1] = True
        reason.iloc[-1] = (
            f"the file ends inside a quoted value of this row ({n_fields.iloc[-1]} of {width} "
            f"fields): {cut}"
        )
    elif len(raw) and n_fields.iloc[-1] < width and not text.endswith(("\n", "\r")):
        reason.iloc[-1] = (
            f"the file ends in the middle of this row ({n_fields.iloc[-1]} of {width} "
            f"fields): {cut}"
        )
    too_long = [line for line, _i, _n in _csv.long_fields(records)]
    broken = raw[wrong.to_numpy()].fillna("").astype(str)
    broken.insert(0, "reason", reason[wrong])
    rows = raw[~wrong.to_numpy()].iloc[:, :width].fillna("")
    rows = rows.apply(
        lambda col: (
            col.astype(str)
            .str.replace("\r\n", "\n", regex=False)
            .str.replace("\r", "\n", regex=False)
            .str.strip()
        )
    )
    if too_long:
        long = rows.index.isin(too_long)
        moved = rows[long].assign(
            reason=f"a value longer than {_csv.MAX_FIELD_CHARS:,} characters; is this the "
            "right file?"
        )
        broken = pd.concat([broken, moved.reset_index().set_index("line")])
        rows = rows[~long]
    return header, rows, broken.reset_index()
