"""Files in and out: bounded reads that refuse what is not a file, and atomic writes.

:func:`read_bytes` reads a whole file after checking that it is one (not a folder, a
FIFO, a device such as ``/dev/zero``, a symlink loop) and no larger than a limit, so
no input can hang the program or fill its memory. :func:`atomic_write` writes to a
temporary file beside the destination and moves it into place with ``os.replace``
only when it is complete, so an interrupted write never leaves a truncated file and
never damages the file it would have replaced. Temporary files carry the writer's
process id (``.NAME.PID.RANDOM.part``); those of processes that no longer run are
removed by the next write to the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from geo.errors import ExportError, GeoError

#: The largest input file read whole (1 GiB).
MAX_INPUT_BYTES = 1 << 30
_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.part$")


def read_bytes(
    path: Path | str,
    *,
    what: str = "file",
    error: type[GeoError] = GeoError,
    limit: int = MAX_INPUT_BYTES,
) -> bytes:
    """Return a regular file's content; refuse anything else with a clear error.

    Parameters
    ----------
    path : Path or str
        The file.
    what : str
        What the file is, for messages ("claims file", "ACLED export").
    error : type of GeoError
        The exception class raised (the caller's own).
    limit : int
        The largest size accepted, in bytes.

    Returns
    -------
    bytes

    Raises
    ------
    GeoError
        (``error``) If the path does not exist, is a folder, a FIFO, a device or a
        socket, is a symlink loop, cannot be read, or is larger than ``limit``.

    Examples
    --------
    >>> read_bytes("/dev/zero", what="claims file")
    Traceback (most recent call last):
    ...
    geo.errors.GeoError: cannot read claims file /dev/zero: it is a device, not a regular file
    """
    path = Path(path)
    check_file(path, what=what, error=error, limit=limit)
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    if len(data) > limit:  # the file grew while it was read
        raise error(f"{what} {path} is larger than {limit:,} bytes; at most that is read")
    return data


def check_file(
    path: Path | str,
    *,
    what: str = "file",
    error: type[GeoError] = GeoError,
    limit: int = MAX_INPUT_BYTES,
) -> None:
    """Check, without reading it, that ``path`` is a regular file of at most ``limit`` bytes.

    For readers that open the file themselves (GDAL, a checksum); :func:`read_bytes`
    runs it first. Parameters and errors as :func:`read_bytes`.

    Examples
    --------
    >>> check_file("/etc", what="district file")
    Traceback (most recent call last):
    ...
    geo.errors.GeoError: cannot read district file /etc: it is a folder, not a regular file
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise error(f"{what} not found: {path}") from exc
    except OSError as exc:
        why = "a symbolic link that points back to itself" if exc.errno == errno.ELOOP else None
        raise error(f"cannot read {what} {path}: {why or exc.strerror or exc}") from exc
    kind = _kind(info.st_mode)
    if kind != "file":
        raise error(f"cannot read {what} {path}: it is {kind}, not a regular file")
    if info.st_size > limit:
        raise error(
            f"{what} {path} is {info.st_size:,} bytes; at most {limit:,} are read "
            "(split the file, or filter it first)"
        )


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_stale_parts(folder: Path) -> list[Path]:
    """Remove the temporary files and folders left by writers that no longer run.

    Parameters
    ----------
    folder : Path
        Where to look (not recursively).

    Returns
    -------
    list of Path
        What was removed.

    Examples
    --------
    >>> clean_stale_parts(Path("/nonexistent"))
    []
    """
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _PART.match(entry.name)
            if match is None or _alive(int(match["pid"])):
                continue
            path = Path(entry.path)
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
    return removed


def part_path(path: Path) -> Path:
    """Return a new temporary name beside ``path`` (``.NAME.PID.RANDOM.part``)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")


def check_destination(path: Path, *, force: bool) -> None:
    """Refuse a destination that exists (without ``force``), is no file or has no folder.

    A FIFO, a device (``/dev/null``) or a socket is never replaced: the atomic move
    would put a file in its place.

    Raises
    ------
    ExportError
        Naming the path and what to do.
    """
    path = Path(path)
    try:
        kind = _kind(path.stat().st_mode)
    except OSError:  # nothing there (a dangling or looping link is replaced, not followed)
        kind = None
    if kind == "a folder":
        raise ExportError(f"cannot write {path}: it is a folder")
    if kind not in (None, "file"):
        raise ExportError(f"cannot write {path}: it is {kind}, not a regular file")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; pass force=True (CLI: --force) to replace it")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: folder {path.parent} is not writable")


def file_mode(path: Path) -> int | None:
    """Return an existing file's permission bits (None when there is no file)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


@contextmanager
def atomic_write(path: Path, *, force: bool = False, mode: str = "w") -> Iterator[IO[Any]]:
    r"""Open a temporary file beside ``path`` and move it into place only on success.

    A new file gets the permissions of any new file (0o666 less the umask, applied
    by the system: the umask is never changed); a replaced file keeps its own.

    Parameters
    ----------
    path : Path
        Final destination.
    force : bool, default False
        Replace an existing ``path``; without it an existing file is an error.
    mode : {"w", "wb"}
        Text (UTF-8, ``\n`` line endings untranslated) or binary.

    Raises
    ------
    ExportError
        If ``path`` exists and ``force`` is false, is a folder, its folder does not
        exist or is not writable, or the write fails (disk full, ...).

    Examples
    --------
    >>> with atomic_write(Path("out.geojson"), force=True) as fh:  # doctest: +SKIP
    ...     fh.write("{}")
    """
    path = Path(path)
    check_destination(path, force=force)
    clean_stale_parts(path.parent)
    tmp = part_path(path)
    keep = file_mode(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        text = "b" not in mode
        with os.fdopen(
            fd, mode, encoding="utf-8" if text else None, newline="" if text else None
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if keep is not None:
            os.chmod(tmp, keep)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
