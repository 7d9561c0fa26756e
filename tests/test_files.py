"""geo/_files.py: bounded reads that refuse what is not a file, atomic writes, stale parts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from geo import _files, boundaries
from geo.errors import BoundaryError, ClaimsFileError, ExportError

ROOT = Path(__file__).resolve().parent.parent


def _dead_pid() -> int:
    """A process id that no process has any more."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def _read(path: Path | str, **options) -> bytes:
    return _files.read_bytes(path, what="claims file", error=ClaimsFileError, **options)


# --- read_bytes -----------------------------------------------------------------------
def test_read_bytes_returns_a_regular_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\n")
    assert _read(path) == b"a,b\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, r"^claims file not found: .*nope\.csv$"),
        (
            lambda p: (p.mkdir(), p)[1],
            r"cannot read claims file .*nope\.csv: it is a folder, not a ",
        ),
        (lambda p: (os.mkfifo(p), p)[1], r": it is a FIFO \(named pipe\), not a regular file$"),
        (
            lambda p: (os.symlink(p, p), p)[1],
            r"cannot read claims file .*nope\.csv: a symbolic link that points back to itself$",
        ),
        (lambda p: Path("/dev/zero"), r"^cannot read claims file /dev/zero: it is a device"),
    ],
    ids=["missing", "folder", "fifo", "symlink-loop", "device"],
)
@pytest.mark.timeout(10)  # a FIFO or /dev/zero must never be read
def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path, make, message):
    path = make(tmp_path / "nope.csv")
    with pytest.raises(ClaimsFileError, match=message):
        _read(path)


def test_read_bytes_refuses_a_file_over_the_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 101)
    with pytest.raises(ClaimsFileError, match=r"big\.csv is 101 bytes; at most 100 are read"):
        _read(path, limit=100)
    assert _read(path, limit=101) == b"x" * 101


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_read_bytes_reports_a_file_it_may_not_read(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(ClaimsFileError, match=r"cannot read claims file .*: Permission denied"):
        _read(path)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_check_file_refuses_without_opening_and_guards_the_district_install(tmp_path, kind):
    path = {"device": Path("/dev/zero"), "fifo": tmp_path / "d.geojson"}.get(kind, tmp_path)
    if kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(BoundaryError, match=r"^cannot read district file .*not a regular file$"):
        _files.check_file(path, what="district file", error=BoundaryError)
    if kind != "folder":  # a folder means "the file inside it" to the installer
        dest = tmp_path / "installed" / "districts.geojson"
        with pytest.raises(BoundaryError, match=r"cannot read district file .*not a regular"):
            boundaries.install_districts(path, dest=dest)
        assert not dest.exists()


# --- atomic_write ---------------------------------------------------------------------
def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_atomic_write_moves_a_complete_file_into_place(tmp_path):
    target = tmp_path / "out.csv"
    with _files.atomic_write(target) as fh:
        fh.write("a\r\nb\r\n")
        assert _parts(tmp_path) and not target.exists()
    assert target.read_bytes() == b"a\r\nb\r\n" and not _parts(tmp_path)


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="disk on fire"):
        with _files.atomic_write(target, force=True) as fh:
            fh.write("half")
            raise RuntimeError("disk on fire")
    assert target.read_text() == "old" and not _parts(tmp_path)


@pytest.mark.parametrize(
    ("setup", "force", "message"),
    [
        (lambda p: (p.write_text("x"), p)[1], False, r"out\.csv already exists; pass force=True"),
        (lambda p: (p.mkdir(), p)[1], True, r"cannot write .*out\.csv: it is a folder"),
        (lambda p: p.parent / "missing" / p.name, True, r"folder .*missing does not exist"),
    ],
    ids=["exists", "folder", "no-folder"],
)
def test_atomic_write_refuses_bad_destinations(tmp_path, setup, force, message):
    target = setup(tmp_path / "out.csv")
    with pytest.raises(ExportError, match=message):
        with _files.atomic_write(target, force=force) as fh:
            fh.write("x")


@pytest.mark.timeout(10)
def test_a_fifo_or_device_is_never_replaced(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    for target, kind in ((fifo, r"a FIFO \(named pipe\)"), (Path("/dev/null"), "a device")):
        with pytest.raises(ExportError, match=rf"^cannot write {target}: it is {kind}, not a "):
            with _files.atomic_write(target, force=True) as fh:
                fh.write("x")
    assert fifo.is_fifo() and Path("/dev/null").is_char_device()


def test_a_read_only_folder_is_an_export_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    target = folder / "out.csv"
    if os.access(folder, os.W_OK):  # root: use a folder no one may write into
        target = Path("/sys/out.csv")
    with pytest.raises(ExportError, match=r"cannot write .*out\.csv: .*(not writable|denied)"):
        with _files.atomic_write(target) as fh:
            fh.write("x")
    assert not target.exists()


def test_a_replaced_file_keeps_its_mode_and_the_umask_is_untouched(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    before = os.umask(0o022)
    os.umask(before)
    with _files.atomic_write(target, force=True) as fh:
        fh.write("new")
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.umask(before) == before
    with _files.atomic_write(tmp_path / "fresh.csv") as fh:
        fh.write("x")
    assert (tmp_path / "fresh.csv").stat().st_mode & 0o777 == 0o666 & ~before


# --- stale parts --------------------------------------------------------------------------
def test_clean_stale_parts_removes_only_those_of_dead_writers(tmp_path):
    dead, alive = _dead_pid(), os.getpid()
    stale_file = tmp_path / f".out.csv.{dead}.0a1b2c3d.part"
    stale_dir = tmp_path / f".out.gpkg.{dead}.deadbeef.part"
    live = tmp_path / f".out.csv.{alive}.0a1b2c3d.part"
    other = tmp_path / "notes.part"
    stale_file.write_text("half")
    stale_dir.mkdir()
    (stale_dir / "out.gpkg").write_text("half")
    live.write_text("writing")
    other.write_text("mine")
    assert sorted(_files.clean_stale_parts(tmp_path)) == sorted([stale_file, stale_dir])
    assert _parts(tmp_path) == sorted([live.name, other.name])


def test_a_killed_writer_leaves_a_part_that_the_next_write_removes(tmp_path):
    target = tmp_path / "out.csv"
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from geo import _files
        with _files.atomic_write(Path({str(target)!r})) as fh:
            fh.write("half a file")
            fh.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode == -signal.SIGKILL
    assert len(_parts(tmp_path)) == 1 and not target.exists()
    with _files.atomic_write(target) as fh:
        fh.write("whole")
    assert target.read_text() == "whole" and _parts(tmp_path) == []
