"""Tests for geo/batch/cluster.py and `armap import --engine dask`: same results, clear errors.

A local cluster of threads (``processes=False``: quick to start) runs the batches; the
command line is tested with the same, through ``geo.batch.dask_client``.
"""

from __future__ import annotations

import functools
import socket
import subprocess
import sys

import pytest

from armap import cli
from geo import batch
from geo.errors import BatchEngineError, GeoError, ImportFormatError
from geo.io import importers
from tests.helpers_importers import ACLED, UCDP

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with batch.dask_client(workers=2, processes=False) as client:
        yield client


@pytest.fixture
def threads(monkeypatch):
    """Make the command line's local cluster one of threads (quick to start)."""
    real = batch.dask_client
    monkeypatch.setattr(batch, "dask_client", functools.partial(real, processes=False))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the cluster ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("address", "normal"),
    [("127.0.0.1:8786", "tcp://127.0.0.1:8786"), (" tcp://host:1 ", "tcp://host:1")],
)
def test_scheduler_addresses_are_normalised(address, normal):
    assert batch.check_address(address) == normal


@pytest.mark.parametrize("address", ["tcp://", "tcp://host:0", "tcp://host:99999", "a b:c"])
def test_what_is_no_address_is_refused_with_the_form_expected(address):
    with pytest.raises(ValueError, match=r"is not a scheduler address; expected tcp://HOST:PORT"):
        batch.check_address(address)


def test_an_unreachable_scheduler_is_a_clear_error():
    address = f"tcp://127.0.0.1:{_free_port()}"
    with (
        pytest.raises(
            BatchEngineError,
            match=rf"cannot reach the dask scheduler at {address} within 0.5 s .*start one "
            r"with `dask scheduler`.*or leave out --scheduler to run a local cluster",
        ),
        batch.dask_client(address, timeout=0.5),
    ):
        pass


def test_the_mapper_keeps_the_order_with_few_items_in_flight(client):
    mapper = batch.dask_mapper(client, in_flight=2)
    assert list(mapper(abs, range(-20, 0))) == list(range(20, 0, -1))


def _refuse(item: int) -> int:
    raise ImportFormatError(f"item {item} is not in the format asked for")


def test_a_task_error_is_raised_as_it_is(client):
    with pytest.raises(ImportFormatError, match=r"^item 1 is not in the format asked for$"):
        list(batch.dask_mapper(client)(_refuse, [1, 2]))


def test_dask_is_imported_only_by_the_dask_engine():
    code = (
        "import sys, armap.cli, geo.io, geo.views, geo.batch; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'dask_geopandas')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, "[]\n"), proc.stderr


# --- imports: the in-memory engine's result, byte for byte ----------------------------------
def _import(path, out, gaz, provinces, **options) -> tuple[bytes, bytes, str]:
    summary = importers.import_file(
        path, out, replace=True, provinces=provinces, gazetteer=gaz, **options
    )
    return out.read_bytes(), importers.report_path(out).read_bytes(), str(summary)


@pytest.mark.realdata
@pytest.mark.parametrize("source", ["acled", "ucdp", "global"])
def test_the_dask_engine_imports_what_the_memory_engine_imports(
    tmp_path, client, gaz, provinces, global_acled, source
):
    path = {"acled": ACLED, "ucdp": UCDP, "global": global_acled}[source]
    sizes = {"chunk_rows": 500, "batch_rows": 2 if source != "global" else 150}
    memory = _import(path, tmp_path / "memory.csv", gaz, provinces, **sizes)
    on_dask = _import(
        path, tmp_path / "dask.csv", gaz, provinces, map_batches=batch.dask_mapper(client), **sizes
    )
    assert on_dask[:2] == memory[:2]
    assert on_dask[2].splitlines()[0] == memory[2].splitlines()[0]  # read, converted...


@pytest.mark.realdata
def test_an_error_in_a_batch_is_as_clear_on_dask_as_in_memory(
    tmp_path, client, gaz, provinces, monkeypatch
):
    def broken(batch_, context):
        raise GeoError(f"the converted rows fail validation as a whole: {context.file}")

    monkeypatch.setattr(importers, "convert_batch", broken)
    message = r"^the converted rows fail validation as a whole: acled_afghanistan.csv$"
    for options in ({}, {"map_batches": batch.dask_mapper(client)}):
        with pytest.raises(GeoError, match=message):
            _import(ACLED, tmp_path / "e.csv", gaz, provinces, **options)
    assert not (tmp_path / "e.csv").exists()


# --- the command line ---------------------------------------------------------------------
@pytest.mark.realdata
def test_cli_import_engine_dask_writes_what_the_memory_engine_writes(tmp_path, capsys, threads):
    outputs = {}
    for engine in ("memory", "dask"):
        out = tmp_path / f"{engine}.csv"
        args = ["import", str(UCDP), "-o", str(out), "--quiet", "--engine", engine]
        assert cli.main([*args, *(["--workers", "1"] if engine == "dask" else [])]) == 0
        outputs[engine] = (out.read_bytes(), importers.report_path(out).read_bytes())
    assert outputs["dask"] == outputs["memory"]
    assert "6 converted, 5 rejected, 1 row of other countries" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "dask", "--scheduler", "tcp://"], "'tcp://' is not a scheduler address"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler applies to --engine dask only"),
        (["--workers", "2"], "--workers applies to --engine dask only"),
        (["--engine", "dask", "--workers", "0"], "--workers must be at least 1, not 0"),
        (
            ["--engine", "dask", "--workers", "1", "--scheduler", "tcp://127.0.0.1:8786"],
            "--workers applies to the local cluster; leave it out with --scheduler",
        ),
    ],
)
def test_cli_engine_options_it_cannot_use_are_usage_errors(tmp_path, capsys, options, message):
    out = tmp_path / "e.csv"
    assert cli.main(["import", str(ACLED), "-o", str(out), "--quiet", *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap import") and f"armap import: error: {message}" in err
    assert not out.exists()


def test_cli_unreachable_scheduler_exits_1_with_the_reason(tmp_path, capsys, monkeypatch):
    from geo.batch import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 0.5)
    address = f"tcp://127.0.0.1:{_free_port()}"
    commands = [
        ["import", str(ACLED), "-o", str(tmp_path / "e.csv")],
        ["export", "--layer", "provinces", "-o", str(tmp_path / "p.geojson")],
    ]
    for command in commands:
        assert cli.main([*command, "--quiet", "--engine", "dask", "--scheduler", address]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: cannot reach the dask scheduler at {address} within 0.5 s")
        assert "Traceback" not in err
    assert not list(tmp_path.iterdir())
