"""Appending accepted candidates to an events file, and their stances to its stances.csv.

:func:`append_events` refuses before any write: no path, a relative one, one in the
app's own ``data/`` folder (unless asked for), a missing file, a file that is not an
events file, rows that fail the project's validation or quote what the article does not
say, ids already in the file (named),
stance ids already in the ``stances.csv`` beside it. Then it writes the whole new file
(the old bytes, untouched, then the new rows in the file's own column order and line
endings) to a temporary file in the same folder and moves it into place
(:func:`geo._files.atomic_write`), so the file is never half-written; the stances the
rows' statuses need (:func:`geo.desk.stances_for`) go the same way to the ``stances.csv``
beside it, when there is one. If that second write fails, the events file is put back
as it was.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo import settings
from geo._csv import escape_cell, frame_bytes
from geo._fastcsv import read_table
from geo._files import atomic_write, read_bytes
from geo.claims import read_claims, read_stances
from geo.desk.review import row_problems, unquoted
from geo.desk.stances import stances_for
from geo.errors import AppendError, ClaimsFileError, GeoError

__all__ = ["Appended", "append_events"]


@dataclass(frozen=True)
class Appended:
    """What :func:`append_events` wrote: the files and how many rows each got."""

    events: Path
    rows: int
    stances: Path | None
    stance_rows: int


def append_events(
    rows: pd.DataFrame, target: Path | str, *, text: str, allow_data_dir: bool = False
) -> Appended:
    """Append events rows to an events file, atomically, with their stances when it has any.

    Parameters
    ----------
    rows : pandas.DataFrame
        The accepted rows (``settings.EVENT_COLUMNS``, text).
    target : Path or str
        The events file, as the user typed it: an absolute path to an existing file.
    text : str
        The article the rows quote (for the other parties' stances).
    allow_data_dir : bool, default False
        Write into the app's own data folder (``settings.DATA_DIR``), which is refused
        otherwise.

    Returns
    -------
    Appended

    Raises
    ------
    AppendError
        For every refusal listed in the module's docstring, before anything is written;
        and if a write fails (the files are then as they were).

    Examples
    --------
    >>> append_events(rows, "/srv/claims/events.csv", text=text).rows  # doctest: +SKIP
    3
    """
    path = _target(target, allow_data_dir=allow_data_dir)
    if rows.empty:
        raise AppendError("no candidate is accepted: nothing to append")
    old = read_bytes(path, what="events file", error=AppendError)
    try:
        existing = read_claims(old, name=path.name, on_invalid="report")
    except ClaimsFileError as exc:
        raise AppendError(f"cannot append to {path}: {exc}") from exc
    if existing.kind != "events":
        raise AppendError(f"cannot append to {path}: it is a presence file, not an events file")
    header = _header(old, path)
    problems = row_problems(rows)
    if len(problems):
        first = "; ".join(
            f"row {p.row} ({p.event_id}), column '{p.column}': found '{p.value}', expected "
            f"{p.expected}"
            for p in problems.head(5).itertuples()
        )
        raise AppendError(f"{len(problems)} problem(s) in the accepted rows: {first}")
    if bad := unquoted(text, rows):
        named = ", ".join(rows["event_id"].iloc[bad])
        raise AppendError(
            f"a quote of {named} is not in the article: every quote is a verbatim slice of it"
        )
    ids = {str(i) for f in (existing.data, existing.rejected) if "event_id" in f
           for i in f["event_id"]}  # fmt: skip
    taken = sorted(set(rows["event_id"]) & ids)
    if taken:
        raise AppendError(
            f"{path.name} already has the event id(s) {', '.join(taken)}; give the rows new "
            "ids (or reject them: they are in the file already)"
        )
    new_events = old + _lines(rows, header, old)
    stances_path = path.parent / "stances.csv"
    stance_files: tuple[bytes, bytes] | None = None
    stance_rows = 0
    if stances_path.is_file():
        stances = stances_for(rows, text)
        stance_files = _stances_bytes(stances, stances_path, set(rows["event_id"]))
        stance_rows = len(stances)
    _write(path, new_events, old)
    if stance_files is not None:
        try:
            _write(stances_path, stance_files[1], stance_files[0])
        except AppendError:
            _write(path, old, new_events)  # put the events file back as it was
            raise
    return Appended(path, len(rows), stances_path if stance_files else None, stance_rows)


def _target(target: Path | str, *, allow_data_dir: bool) -> Path:
    typed = str(target).strip()
    if not typed:
        raise AppendError("no events file given: type the absolute path of an events CSV")
    path = Path(typed)
    if not path.is_absolute():
        raise AppendError(
            f"{typed} is a relative path; type the absolute path of the events file "
            "(a relative one depends on where the app was started)"
        )
    resolved = path.resolve()
    data_dir = settings.DATA_DIR.resolve()
    if resolved.is_relative_to(data_dir) and not allow_data_dir:
        raise AppendError(
            f"{path} is in the app's own data folder ({data_dir}); append to a copy, or "
            "confirm that you mean to change the data this deployment serves"
        )
    return resolved


def _first_line(data: bytes) -> list[str]:
    return [h.strip() for h in next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))]


def _header(data: bytes, path: Path) -> list[str]:
    header = _first_line(data)
    missing = [c for c in settings.EVENT_COLUMNS if c not in header]
    if missing:
        raise AppendError(f"cannot append to {path}: its header lacks {', '.join(missing)}")
    return header


def _lines(frame: pd.DataFrame, header: list[str], old: bytes) -> bytes:
    """Return the rows as CSV lines in ``header``'s order, with the file's line endings."""
    eol = "\r\n" if old.split(b"\n", 1)[0].endswith(b"\r") else "\n"
    buffer = io.StringIO(newline="")
    if old and not old.endswith((b"\n", b"\r")):
        buffer.write(eol)
    writer = csv.writer(buffer, lineterminator=eol)
    for row in frame.to_dict("records"):
        writer.writerow([escape_cell(str(row.get(c, ""))) for c in header])
    return buffer.getvalue().encode("utf-8")


def _stances_bytes(stances: pd.DataFrame, path: Path, ids: set[str]) -> tuple[bytes, bytes]:
    """Return the stances file's bytes as read, and with the new stances appended."""
    old = read_bytes(path, what="stances file", error=AppendError)
    table = read_table(old, path.name, error=AppendError)  # every row, good or bad
    if "stance_id" not in table.header:
        raise AppendError(f"cannot append to {path}: its header has no stance_id column")
    written = set(table.frame["stance_id"].str.strip()) | {
        f[table.header.index("stance_id")].strip() for _, f in table.misfits
        if len(f) > table.header.index("stance_id")
    }  # fmt: skip
    taken = sorted(set(stances["stance_id"]) & written)
    if taken:
        raise AppendError(f"{path.name} already has the stance id(s) {', '.join(taken)}")
    header = _first_line(old)
    lines = _lines(stances, header, old)
    alone = read_stances(frame_bytes(stances), path.name, known_ids=ids)
    if alone.problems:
        listed = "; ".join(map(str, alone.problems[:5]))
        raise AppendError(f"the new stances would not be valid: {listed}")
    return old, old + lines


def _write(path: Path, data: bytes, expected: bytes | None) -> None:
    """Replace ``path`` with ``data`` atomically; refuse if it changed since it was read."""
    try:
        if expected is not None and path.read_bytes() != expected:
            raise AppendError(f"{path} changed while the rows were prepared; try again")
        with atomic_write(path, force=True, mode="wb") as fh:
            fh.write(data)
    except (GeoError, OSError) as exc:
        if isinstance(exc, AppendError):
            raise
        raise AppendError(f"cannot append to {path}: {exc}") from exc
