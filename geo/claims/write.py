"""Writing claims back out: loaded events as the rows of an events CSV.

What :func:`events_to_csv_frame` returns reads back through
:func:`geo.claims.read_claims` unchanged; write it with :mod:`geo._csv`
(``write_frame``/``frame_bytes``), which escapes spreadsheet formulas in a way the
reader undoes.
"""

from __future__ import annotations

import json

import pandas as pd

from geo import settings
from geo.claims.formats import implied_end

__all__ = ["events_to_csv_frame"]


def events_to_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Turn loaded events back into the CSV columns (all text, sources as JSON).

    ``date_end`` is written empty when it equals the end implied by the precision
    (so a loaded file writes back as it was read).

    Parameters
    ----------
    events : pandas.DataFrame
        Loaded (or filtered, joined) events.

    Returns
    -------
    pandas.DataFrame
        Exactly ``settings.EVENT_COLUMNS``, every value a string ("" when empty).

    Examples
    --------
    >>> events_to_csv_frame(read_claims().data).columns[0]  # doctest: +SKIP
    'event_id'
    """
    out = pd.DataFrame(index=events.index)
    start, end = events["date_start"], events["date_end"]
    implied = implied_end(start, events["date_precision"])
    for column in settings.EVENT_COLUMNS:
        values = events[column]
        if column == "date_end":
            text = end.dt.strftime("%Y-%m-%d").where(end.notna() & (end != implied), "")
        elif column == "date_start":
            text = start.dt.strftime("%Y-%m-%d")
        elif column == "sources":
            text = values.map(lambda s: json.dumps(s, ensure_ascii=False) if s else "")
        elif column in ("longitude", "latitude"):
            text = values.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        else:
            text = values.astype("string").fillna("").astype(str)
        out[column] = text.fillna("").astype(str)
    return out.reset_index(drop=True)
