"""Merging an import into an existing events CSV: read it as text, merge by ``event_id``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo import _csv, _files, settings
from geo.errors import ImportFormatError


def read_existing(path: Path) -> pd.DataFrame:
    """Read an events CSV as text for merging (columns checked, values as written).

    Raises
    ------
    ImportFormatError
        If the file cannot be read as CSV, its header is not ``settings.EVENT_COLUMNS``
        or a row has the wrong number of fields (nothing is overwritten then).

    Examples
    --------
    >>> read_existing(Path("data/events.csv")).shape[1]  # doctest: +SKIP
    21
    """
    data = _files.read_bytes(path, what="events file", error=ImportFormatError)
    records = _csv.read_records(
        _csv.decode(data, str(path), error=ImportFormatError), str(path), error=ImportFormatError
    )
    if tuple(records.header) != settings.EVENT_COLUMNS:
        raise ImportFormatError(
            f"{path} exists but is not an events CSV (its header has {len(records.header)} "
            "columns, not the events columns); choose another output file, or pass --replace "
            "to overwrite it"
        )
    width = len(settings.EVENT_COLUMNS)
    for line, fields in records.rows:
        if len(fields) != width:
            raise ImportFormatError(
                f"{path}, line {line}: {len(fields)} fields, expected {width}; fix the file "
                "(`armap validate` lists every problem) or pass --replace to overwrite it"
            )
    frame = pd.DataFrame([f for _, f in records.rows], columns=list(settings.EVENT_COLUMNS))
    return frame.astype(str).apply(_csv.unescape_column)


def merge_events(existing: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Merge imported rows into existing ones by ``event_id``.

    Rows with an id already present replace the old row in place; new ids are
    appended in input order.

    Parameters
    ----------
    existing, new : pandas.DataFrame
        Events as text with ``settings.EVENT_COLUMNS``.

    Returns
    -------
    merged : pandas.DataFrame
    counts : dict
        ``added``, ``updated`` and ``unchanged``.

    Examples
    --------
    >>> merged, counts = merge_events(old, new)  # doctest: +SKIP
    >>> counts  # doctest: +SKIP
    {'added': 3, 'updated': 1, 'unchanged': 10}
    """
    columns = list(settings.EVENT_COLUMNS)
    old = existing[columns].reset_index(drop=True)
    incoming = new[columns].drop_duplicates("event_id", keep="last").set_index("event_id")
    present = old["event_id"].isin(incoming.index)
    replaced = incoming.reindex(old.loc[present, "event_id"]).reset_index()
    replaced.index = old.index[present]
    same = (replaced[columns] == old.loc[present, columns]).all(axis=1)
    merged = old.copy()
    merged.loc[present, columns] = replaced[columns]
    added = incoming[~incoming.index.isin(old["event_id"])].reset_index()[columns]
    merged = pd.concat([merged, added], ignore_index=True)
    counts = {"added": len(added), "updated": int((~same).sum()), "unchanged": int(same.sum())}
    return merged, counts
