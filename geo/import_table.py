"""Reading an ACLED or UCDP GED export: its header, its rows as text, its format.

:func:`read_table` reads the CSV once, keeping each record's line number (quoted
newlines counted) and setting aside records with the wrong number of fields,
including a last row cut off by a truncated file; :func:`detect_format` recognises
the source from the header's signature columns.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

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
        the columns looked for and those found.

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
    found = ", ".join(list(columns)[:12]) + (", ..." if len(columns) > 12 else "")
    raise ImportFormatError(
        f"cannot recognise the format of {name} from its header: looked for the ACLED "
        f"columns {', '.join(SIGNATURES['acled'])} or the UCDP GED columns "
        f"{', '.join(SIGNATURES['ucdp'])}; found {found or 'no columns'}. Give the format "
        "with --format acled or --format ucdp if the file is one of them"
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
        If the file is missing, empty, not UTF-8, or has no header.

    Examples
    --------
    >>> header, rows, broken = read_table(Path("acled.csv"))  # doctest: +SKIP
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "ACLED and UCDP exports are UTF-8: download the file again or re-save it as UTF-8"
        ) from exc
    if not text.strip():
        raise ImportFormatError(f"{path} is empty; expected a CSV with a header row")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in records[0]]
    if not any(header):
        raise ImportFormatError(f"{path} has no header row on line 1")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ImportFormatError(f"{path}: the header repeats the column(s) {repeated}")
    body = records[1:]
    width = len(header)
    columns = itertools.zip_longest(*body)  # transposed and padded with None, in C
    raw = pd.DataFrame(dict(enumerate(columns)), index=range(len(body)), dtype=object)
    raw = raw.reindex(columns=range(max(width, raw.shape[1])))
    n_fields = raw.notna().sum(axis=1).to_numpy()
    newlines = sum(raw[c].fillna("").astype(str).str.count("\n") for c in raw.columns)
    spans = 1 + np.asarray(newlines, dtype=int)
    first_line = 2 + sum(h.count("\n") for h in records[0])
    starts = first_line + np.cumsum(spans) - spans
    raw.index = pd.Index(starts, name="line")
    blank = pd.Series((n_fields == 0), index=raw.index) | (
        (n_fields == 1) & (raw[0].fillna("").astype(str).str.strip() == "")
    )
    wrong = ~blank & (n_fields != width)
    reason = (
        "the row has "
        + pd.Series(n_fields, index=raw.index).astype(str)
        + f" fields; expected {width}, one per header column"
    ).astype(object)
    cut = "it was cut off (an interrupted download or copy?); get the complete file"
    if body and text.count('"') % 2 == 1:
        wrong.iloc[-1] = True
        reason.iloc[-1] = (
            f"the file ends inside a quoted value of this row ({n_fields[-1]} of {width} "
            f"fields): {cut}"
        )
    elif body and n_fields[-1] < width and not text.endswith(("\n", "\r")):
        reason.iloc[-1] = (
            f"the file ends in the middle of this row ({n_fields[-1]} of {width} fields): {cut}"
        )
    names = [*header, *(f"extra_{i + 1}" for i in range(width, raw.shape[1]))]
    raw.columns = pd.Index(names)
    broken = raw[wrong].fillna("").astype(str)
    broken.insert(0, "reason", reason[wrong])
    rows = raw[~blank & ~wrong].iloc[:, :width].fillna("")
    rows = rows.apply(lambda col: col.astype(str).str.strip())
    return header, rows, broken.reset_index()
