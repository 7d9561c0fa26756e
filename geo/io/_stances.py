"""The stances beside an imported events file: each imported row's one stance.

An events file with a ``stances.csv`` beside it derives every row's status from its
stances (``data/README.md``), so an import into it adds the dataset's stance for each
row it brings (:func:`geo.claims.row_stances`: ``st-<event_id>``, the row's status by its
``claimed_by``, reported on the dataset's publication date of the row) and replaces that
stance when a re-import updates the row. Without a ``stances.csv`` nothing is written:
each row's status then stands as one stance, as for any claims file without stances.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo import _csv, _files
from geo.claims import STANCE_COLUMNS, row_stances
from geo.errors import ImportFormatError

__all__ = ["StancesUpdate", "stances_update"]

STANCES_FILE = "stances.csv"


@dataclass(frozen=True)
class StancesUpdate:
    """The new content of the stances file beside an import's output, ready to write.

    ``written`` counts the imported rows' stances (added or replaced).
    """

    path: Path
    frame: pd.DataFrame
    written: int

    def write(self) -> None:
        """Replace the file in one move (never half-written)."""
        with _files.atomic_write(self.path, force=True) as fh:
            _csv.write_frame(fh, self.frame)


def stances_update(
    output: Path, imported: pd.DataFrame, *, gone: set[str] | None = None
) -> StancesUpdate | None:
    """Return the stances file beside ``output`` with the imported rows' stances, or None.

    Parameters
    ----------
    output : Path
        The events file the import writes.
    imported : pandas.DataFrame
        The imported rows as text (``settings.EVENT_COLUMNS``).
    gone : set of str, optional
        Event ids the import removes from the file (``--replace``): a stance that
        addresses only such ids goes too.

    Returns
    -------
    StancesUpdate or None
        None when there is no ``stances.csv`` beside ``output``.

    Raises
    ------
    ImportFormatError
        If the stances file cannot be read as CSV or lacks a stances column (nothing
        is written then).
    """
    path = Path(output).parent / STANCES_FILE
    if not path.exists():
        return None
    data = _files.read_bytes(path, what="stances file", error=ImportFormatError)
    records = _csv.read_records(
        _csv.decode(data, str(path), error=ImportFormatError), str(path), error=ImportFormatError
    )
    header = list(records.header)
    if missing := [c for c in STANCE_COLUMNS if c not in header]:
        raise ImportFormatError(
            f"{path}: the stances file beside the output lacks the column(s) "
            f"{', '.join(missing)}; fix it (`armap validate` checks it) before importing"
        )
    for line, fields in records.rows:
        if len(fields) != len(header):
            raise ImportFormatError(
                f"{path}, line {line}: {len(fields)} fields, expected {len(header)}; fix the "
                "stances file (`armap validate` lists every problem) before importing"
            )
    old = pd.DataFrame([f for _, f in records.rows], columns=header, dtype=object)
    old = old.astype(str).apply(_csv.unescape_column) if len(old) else old
    new = row_stances(imported).reindex(columns=header, fill_value="")
    old = old[~old["stance_id"].isin(set(new["stance_id"]))]
    if gone:  # the removed rows leave every stance's addresses; a stance left with none goes
        left = old["addresses"].map(
            lambda cell: ";".join(i for i in cell.split(";") if i.strip() not in gone)
        )
        old = old.assign(addresses=left)[left != ""]
    frame = pd.concat([old, new], ignore_index=True)
    return StancesUpdate(path, frame, len(new))
