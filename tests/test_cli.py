"""armap/cli.py: the version, and which problems are usage errors (2) or data problems (1).

Usage errors are reported as argparse reports its own: the command's usage line, then
``armap CMD: error: ...``; data problems as ``error: ...`` naming the file. The export
cases over the shipped data (bad extension, existing output, start after end) are in
tests/io/test_export.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import armap
from armap import cli

ROOT = Path(__file__).resolve().parent.parent


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"armap {armap.__version__}\n"


def test_python_dash_m_armap_prints_the_version():
    proc = subprocess.run(
        [sys.executable, "-m", "armap", "--version"],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("armap ")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nowhere/out.geojson", "cannot write {tmp}/nowhere/out.geojson: folder {tmp}/nowhere "
         "does not exist"),
        ("folder.geojson", "cannot write {tmp}/folder.geojson: it is a folder"),
    ],
)  # fmt: skip
def test_export_target_problems_are_usage_errors(tmp_path, capsys, target, message):
    (tmp_path / "folder.geojson").mkdir()
    argv = ["export", "--layer", "provinces", "-o", str(tmp_path / target), "--quiet"]
    assert cli.main(argv) == cli.EXIT_USAGE == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap export [-h] --layer")
    assert err.endswith(f"armap export: error: {message.format(tmp=tmp_path)}\n")


def test_export_unknown_extension_is_rejected_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--layer", "provinces", "-o", str(tmp_path / "out.shp")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap export")
    assert (
        f"armap export: error: argument -o/--output: cannot tell the output format of "
        f"{tmp_path / 'out.shp'}: '.shp'; use one of .geojson, .gpkg, .csv, or - for GeoJSON "
        "on standard output\n"
    ) in err
    assert not list(tmp_path.iterdir())


def test_a_missing_input_file_is_a_data_problem(tmp_path, capsys):
    missing = tmp_path / "events.csv"
    argv = ["export", "--layer", "events", "-o", str(tmp_path / "e.geojson"), "--quiet"]
    assert cli.main([*argv, "--events", str(missing)]) == cli.EXIT_DATA == 1
    err = capsys.readouterr().err
    assert err == f"error: claims file not found: {missing}\n"
    assert not (tmp_path / "e.geojson").exists()


def test_validate_reports_a_bad_file_as_a_data_problem(tmp_path, capsys):
    bad = tmp_path / "events.csv"
    bad.write_text("event_id,date_start\nE1,2022-01-01\n", encoding="utf-8")
    assert cli.main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "line 1 (header): missing column(s) 'date_end'" in out
    assert "usage:" not in out


def test_validate_checks_the_stances_beside_the_claims(tmp_path, capsys):
    import shutil

    fixtures = ROOT / "tests" / "fixtures" / "map"
    for name in ("events.csv", "presence.csv"):
        shutil.copy(fixtures / name, tmp_path / name)
    source = '"[{""file"": ""a.txt"", ""outlet"": ""X"", ""title"": ""T"", ""quote"": ""q""}]"'
    (tmp_path / "stances.csv").write_text(
        "stance_id,addresses,party,stance,reported,reported_basis,sources\n"
        f"s1,fx-01,Taliban,denies,2022-01-12,,{source}\n"
        f"s2,fx-77,Taliban,denies,2022-01-12,,{source}\n",
        encoding="utf-8",
    )
    paths = [str(tmp_path / "events.csv"), str(tmp_path / "presence.csv")]
    assert cli.main(["validate", *paths]) == 1
    out = capsys.readouterr().out
    assert "stances.csv, line 3, column 'addresses': found 'fx-77'" in out
    assert "line 2, column 'claim_status': found 'claimed'; expected 'denied'" in out
    assert "expected a stance addressing fx-02 in the stances file" in out


def test_validate_the_shipped_data_with_its_stances(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "data/stances.csv: 67 stances, no problems" in out.replace("\\", "/")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("{tmp}", "cannot write {tmp}: it is a folder"),
        ("{tmp}/missing/out.csv", "folder {tmp}/missing does not exist"),
        ("{tmp}/out.geojson", "the output of an import is an events CSV"),
        ("-", "the output of an import is an events CSV"),
    ],
)
def test_import_output_problems_are_usage_errors(tmp_path, capsys, output, message):
    acled = ROOT / "tests" / "fixtures" / "acled" / "acled_afghanistan.csv"
    out = output.format(tmp=tmp_path)
    assert cli.main(["import", str(acled), "-o", out, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap import")
    assert message.format(tmp=tmp_path) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_export_the_map_as_known_on_a_day(tmp_path, capsys):
    import json

    every, known = tmp_path / "all.geojson", tmp_path / "known.geojson"
    assert cli.main(["export", "--layer", "events", "-o", str(every), "--quiet"]) == 0
    argv = ["export", "--layer", "events", "--known-on", "2022-05-01", "-o", str(known)]
    assert cli.main([*argv, "--quiet"]) == 0
    everything = json.loads(every.read_text(encoding="utf-8"))
    then = json.loads(known.read_text(encoding="utf-8"))
    assert then["metadata"]["known_on"] == "2022-05-01"
    assert everything["metadata"]["known_on"] is None
    ids = {f["properties"]["event_id"] for f in then["features"]}
    assert 0 < len(ids) < len(everything["features"])
    assert "seed-004-06" not in ids  # article 004 was reported later (by 2022-06-21)
    with pytest.raises(SystemExit) as exit_:
        cli.main([*argv[:4], "2022-13-01", "-o", str(tmp_path / "x.geojson")])
    assert exit_.value.code == 2
    assert "argument --known-on: expected a date as YYYY-MM-DD, not '2022-13-01'" in (
        capsys.readouterr().err
    )


def test_exports_record_the_stances_on_their_claims(tmp_path):
    import json

    geojson, csv_file = tmp_path / "events.geojson", tmp_path / "events.csv"
    for out in (geojson, csv_file):
        assert cli.main(["export", "--layer", "events", "-o", str(out), "--quiet"]) == 0
    collection = json.loads(geojson.read_text(encoding="utf-8"))
    sidecar = json.loads((tmp_path / "events.csv.json").read_text(encoding="utf-8"))
    assert collection["metadata"]["stances"] == sidecar["stances"]
    by_id = {s["stance_id"]: s for s in sidecar["stances"]}
    untrue = by_id["st-004-taliban-untrue"]
    assert (untrue["party"], untrue["stance"], untrue["reported"]) == (
        "Taliban spokespeople", "denies", "2022-06-21",
    )  # fmt: skip
    assert "seed-004-06" in untrue["addresses"]
    assert not [a for a in untrue["addresses"] if a.startswith("pres-")]  # events only
    ids = {f["properties"]["event_id"] for f in collection["features"]}
    claimed = {a for s in sidecar["stances"] for a in s["addresses"]}
    assert claimed == ids  # every exported claim rests on its stances, and only those
    presence = tmp_path / "presence.geojson"
    argv = ["export", "--layer", "presence", "--end", "2022-05-01", "-o", str(presence)]
    assert cli.main([*argv, "--quiet"]) == 0
    areas = json.loads(presence.read_text(encoding="utf-8"))["metadata"]["stances"]
    assert any(s["stance_id"] == "st-004-taliban-untrue" for s in areas)
