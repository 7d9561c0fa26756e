"""Whole-column string helpers shared by the ACLED and UCDP GED converters.

Each function works on a pandas Series (or a frame's columns) at once, never row by
row: filling message templates, choosing per row, joining non-empty parts, collecting
rejection reasons, and writing the ``sources`` JSON. Private to ``geo``: used by
:mod:`geo.io.acled`, :mod:`geo.io.ucdp`, :mod:`geo.io._places` and :mod:`geo.io.importers`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo import settings

QUOTE_MAX = settings.SOURCE_QUOTE_MAX
ELLIPSIS = "…"

_FIELD = re.compile(r"\{(\w+)\}")


def text(template: str, index: pd.Index, **values: Any) -> pd.Series:
    """Fill ``{name}`` fields of ``template`` from columns (or constants), row by row."""
    parts = _FIELD.split(template)
    out = pd.Series(parts[0], index=index, dtype=object)
    for i in range(1, len(parts), 2):
        value = values[parts[i]]
        out = out + (value.astype(object) if isinstance(value, pd.Series) else str(value))
        out = out + parts[i + 1]
    return out


def when(mask: Any, yes: Any, no: Any, index: pd.Index) -> pd.Series:
    """Per row, ``yes`` where ``mask`` holds and ``no`` elsewhere (an object Series)."""
    return pd.Series(np.where(np.asarray(mask, dtype=bool), yes, no), index=index, dtype=object)


def join(parts: Sequence[pd.Series], sep: str) -> pd.Series:
    """Join the non-empty parts of each row with ``sep``."""
    out = parts[0].astype(object)
    for part in parts[1:]:
        out = out + when((out != "") & (part != ""), sep, "", out.index) + part.astype(object)
    return out


def labelled(label: str, values: pd.Series) -> pd.Series:
    """Prefix the non-empty values with ``label``; empty values stay empty."""
    return when(values != "", label + values.astype(object), "", values.index)


def flag(reasons: pd.Series, mask: Any, message: pd.Series | str) -> pd.Series:
    """Append ``message`` to the reasons of the rows in ``mask``."""
    mask = np.asarray(mask, dtype=bool)
    glue = when(reasons != "", "; ", "", reasons.index)
    return reasons + when(mask, glue + message, "", reasons.index)


def coded(
    rows: pd.DataFrame, column: str, table: dict[str, Any], expected: str, reasons: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Map a code column through ``table``; an unknown code is a reason to reject."""
    mapped = rows[column].map(table)
    message = text(f"{column}: found '{{v}}'; expected {expected}", rows.index, v=rows[column])
    return mapped, flag(reasons, mapped.isna(), message)


def as_json(values: pd.Series) -> pd.Series:
    """Each value as a JSON string literal (non-ASCII kept)."""
    return values.astype(object).map(functools.partial(json.dumps, ensure_ascii=False))


def excerpt(values: pd.Series) -> pd.Series:
    """At most ``QUOTE_MAX`` characters, an ellipsis marking a cut."""
    long = values.str.len() > QUOTE_MAX
    cut = values.str.slice(0, QUOTE_MAX - 1).str.rstrip() + ELLIPSIS
    return when(long, cut, values, values.index)


def sources(file: str, **fields: pd.Series) -> pd.Series:
    """One ``sources`` JSON array (one object) per row; empty optional keys left out."""
    index = fields["outlet"].index
    body = pd.Series('[{"file": ' + json.dumps(file, ensure_ascii=False), index=index)
    for key, values in fields.items():
        pair = f', "{key}": ' + as_json(values)
        body = body + (pair if key in settings.SOURCE_KEYS else when(values != "", pair, "", index))
    return body + "}]"


def whole_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (the number as text, ok mask); empty is allowed, "12.0" reads as 12."""
    text = values.str.replace(r"\.0+$", "", regex=True)
    ok = (text == "") | text.str.fullmatch(r"\d+")
    return text.where(ok, ""), ok


def optional_column(rows: pd.DataFrame, name: str) -> pd.Series:
    """Return an optional column, or empty strings when the export lacks it."""
    return rows[name] if name in rows else pd.Series("", index=rows.index, dtype=object)


def iso(values: pd.Series) -> pd.Series:
    """Timestamps as ``YYYY-MM-DD`` text, "" for NaT."""
    return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")
