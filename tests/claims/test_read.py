"""Tests for geo/claims.py: loading claims files, reporting, writing back, `cli.py validate`.

The checks a file goes through have their own test modules: test_validation (bytes,
CSV, header), test_column_schema, test_rules and test_place_rules; filtering is in
test_filters.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from armap import cli
from geo import claims, settings
from geo.errors import ClaimsFileError, SchemaError
from tests.helpers_claims import (
    PANJSHIR,
    SOURCE,
    FakeGazetteer,
    csv_text,
    event,
    only,
    point,
    presence_csv,
)

ROOT = Path(__file__).resolve().parents[2]


# --- a good file --------------------------------------------------------------------
def test_good_file_loads_with_types_and_filled_end_dates(load):
    result = load(
        event(1, date_precision="day", date_start="2022-04-20"),
        event(2),
        event(3, date_precision="month", date_start="2022-02-01"),
        event(4, date_precision="range", date_start="2021-09-01"),
        event(5, date_precision="range", date_start="2021-09-01", date_end="2021-10-15"),
        event(6, **point(PANJSHIR), fatalities="12", fatalities_claimed_by="NRF"),
    )
    assert result.problems == [] and result.rejected.empty
    data = result.data
    assert data.crs.to_epsg() == 4326
    ends = data["date_end"].dt.strftime("%Y-%m-%d").fillna("NaT").tolist()
    assert ends == ["2022-04-20", "2022-04-24", "2022-02-28", "NaT", "2021-10-15", "2022-04-24"]
    assert str(data["date_start"].dtype).startswith("datetime64")
    assert str(data["location_precision"].dtype) == "Int64"
    assert str(data["fatalities"].dtype) == "Int64"
    assert data["fatalities"].iloc[5] == 12 and data["fatalities"].isna().sum() == 5
    assert data["longitude"].dtype == float and np.isnan(data["longitude"].iloc[0])
    assert data.geometry.iloc[:5].isna().all()
    assert data.geometry.iloc[5].x == pytest.approx(69.9)
    assert data["sources"].iloc[0] == [SOURCE]
    assert (data["actor1"].iloc[0], data["actor2"].iloc[0]) == (
        "National Resistance Front (NRF)",
        "Taliban",
    )
    assert data["line"].tolist() == [2, 3, 4, 5, 6, 7]


def test_header_only_file_gives_an_empty_frame(write_text):
    path = write_text("events.csv", ",".join(settings.EVENT_COLUMNS) + "\n")
    result = claims.read_claims(kind="events", source=path, gazetteer=None)
    assert len(result.data) == 0 and result.ok
    assert {"date_start", "actor1", "geometry", "line"} <= set(result.data.columns)


# --- files that cannot be read ------------------------------------------------------
def test_missing_file_is_a_claims_file_error(tmp_path):
    with pytest.raises(ClaimsFileError, match="claims file not found"):
        claims.read_claims(kind="events", source=tmp_path / "nope.csv", gazetteer=None)


# --- rows ---------------------------------------------------------------------------
def test_row_with_too_many_fields_is_rejected_with_its_line(write_text, provinces):
    text = csv_text([event(1), event(2)]).replace("t-02,", "t-02,extra,", 1)
    path = write_text("events.csv", text)
    result = claims.read_claims(
        kind="events", source=path, on_invalid="report", provinces=provinces, gazetteer=None
    )
    problem = only(result, "field_count")
    assert str(problem).startswith("events.csv, line 3, column '(row)': found '22 fields'")
    assert "expected 21 fields" in str(problem)
    assert result.rejected["line"].tolist() == [3] and len(result.data) == 1


# --- reporting ----------------------------------------------------------------------
def test_report_mode_returns_good_rows_problems_and_rejected_rows(load):
    result = load(event(1), event(2, date_start="x"), event(3), event(4, event_type="y"))
    assert [p.line for p in result.problems] == [3, 5]
    assert result.data["event_id"].tolist() == ["t-01", "t-03"]
    assert result.rejected["line"].tolist() == [3, 5]
    assert result.rejected["event_id"].tolist() == ["t-02", "t-04"]
    assert len(result.data) + len(result.rejected) == 4


def test_raise_mode_lists_every_problem(write_text, provinces):
    rows = [event(1, date_start="x"), event(2, event_type="y", fatalities="-1")]
    path = write_text("events.csv", csv_text(rows))
    with pytest.raises(SchemaError, match=r"events\.csv: 4 problem\(s\) on 2 line\(s\)") as info:
        claims.read_claims(kind="events", source=path, provinces=provinces, gazetteer=None)
    message = str(info.value)
    assert len(info.value.problems) == 4
    for problem in info.value.problems:
        assert str(problem) in message
    assert [p.code for p in info.value.problems] == [
        "bad_date",
        "bad_vocabulary",
        "negative_fatalities",
        "missing_fatalities_source",
    ]


def test_on_invalid_is_checked():
    with pytest.raises(ValueError, match="on_invalid must be 'raise' or 'report', not 'warn'"):
        claims.read_claims(kind="events", source=b"x", name="e.csv", on_invalid="warn")  # type: ignore[arg-type]


def test_read_events_bytes_runs_the_same_checks(provinces):
    data = csv_text([event(date_start="2022-02-30")]).encode()
    with pytest.raises(SchemaError, match=r"upload\.csv, line 2, column 'date_start'"):
        claims.read_claims(
            kind="events", source=data, name="upload.csv", provinces=provinces, gazetteer=None
        )
    with pytest.raises(ClaimsFileError, match=r"upload\.csv starts with a UTF-8 byte-order"):
        claims.read_claims(
            kind="events", source=b"\xef\xbb\xbf" + data, name="upload.csv", gazetteer=None
        )


# --- presence -----------------------------------------------------------------------
def test_presence_loads_with_open_ends_and_levels(provinces):
    data = presence_csv({}, {"presence_id": "p-02", "period_end": "2022-04-29", "level": "x"})
    result = claims.read_claims(
        kind="presence",
        source=data,
        name="presence.csv",
        on_invalid="report",
        provinces=provinces,
        gazetteer=None,
    )
    assert "did you mean" not in str(only(result, "bad_vocabulary"))
    assert "reported_activity, sustained_fighting, stronghold" in str(result.problems[0])
    row = result.data.iloc[0]
    assert pd.isna(row["period_end"]) and row["level_value"] == 3
    assert result.data.geometry.isna().all() and result.data.crs.to_epsg() == 4326


def test_detect_kind():
    assert claims.detect_kind(list(settings.EVENT_COLUMNS)) == "events"
    assert claims.detect_kind(["presence_id", "group"]) == "presence"
    with pytest.raises(
        ClaimsFileError,
        match=r"x.csv is not a claims file: its first line \(2 columns: a, b\) has neither "
        r"'event_id'",
    ):
        claims.detect_kind(["a", "b"], name="x.csv")


def test_read_claims_tells_the_kind_and_refuses_what_is_not_claims(provinces, tmp_path):
    result = claims.read_claims(presence_csv({}), name="p.csv", provinces=provinces, gazetteer=None)
    assert result.kind == "presence" and list(result.data["presence_id"]) == ["p-01"]
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/sh\n")
    with pytest.raises(
        ClaimsFileError,
        match=r"passwd is not a claims file: its first line \(1 column, not column names\)",
    ) as err:
        claims.read_claims(passwd)
    assert "root" not in str(err.value)
    with pytest.raises(ClaimsFileError, match="is empty"):
        claims.read_claims(b"", name="x.csv")


@pytest.mark.parametrize("kind", ["events", "presence", None])
def test_a_non_claims_file_is_refused_without_echoing_it_even_when_told_the_kind(tmp_path, kind):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n" + "daemon:x:1:1:d:/u:/b,c,d\n" * 3)
    with pytest.raises(ClaimsFileError, match=r"^passwd is not a claims file") as err:
        claims.read_claims(passwd, kind=kind, on_invalid="report", gazetteer=None)
    assert "root" not in str(err.value) and "daemon" not in str(err.value)


def test_a_presence_file_is_not_loaded_as_events(provinces):
    with pytest.raises(ClaimsFileError, match=r"^p\.csv is not an events file: its header has "
                       r"'presence_id' \(a presence file\), not 'event_id'$"):  # fmt: skip
        claims.read_claims(presence_csv({}), kind="events", name="p.csv", gazetteer=None)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: (p.mkdir(), p)[1], r"it is a folder, not a regular file"),
        (lambda p: (os.mkfifo(p), p)[1], r"it is a FIFO \(named pipe\), not a regular file"),
        (lambda p: (os.symlink(p, p), p)[1], r"a symbolic link that points back to itself"),
        (lambda p: Path("/dev/zero"), r"/dev/zero: it is a device, not a regular file"),
    ],
    ids=["folder", "fifo", "symlink-loop", "dev-zero"],
)
def test_what_is_not_a_file_is_refused_without_reading_it(tmp_path, make, message):
    path = make(tmp_path / "events.csv")
    with pytest.raises(ClaimsFileError, match=rf"^cannot read claims file .*{message}$"):
        claims.read_claims(path, on_invalid="report", gazetteer=None)


# --- writing back -------------------------------------------------------------------
def test_events_to_csv_frame_round_trips(write_text, provinces, load):
    rows = [
        event(1, date_precision="day", date_start="2022-04-20"),
        event(2, date_precision="range", date_start="2021-09-01", date_end="2021-10-15"),
        event(3, **point(PANJSHIR), fatalities="12", fatalities_claimed_by="NRF", notes="a\nb"),
    ]
    original = csv_text(rows)
    loaded = load(*rows).data
    frame = claims.events_to_csv_frame(loaded)
    assert list(frame.columns) == list(settings.EVENT_COLUMNS)
    assert frame.to_csv(index=False, lineterminator="\n") == pd.read_csv(
        io.StringIO(original), dtype=str, keep_default_na=False
    ).to_csv(index=False, lineterminator="\n")


# --- performance --------------------------------------------------------------------
def test_ten_thousand_rows_load_whole(provinces):
    """Scale check (timings live in bench/bench_core.py): no row lost or mangled."""
    rng = np.random.default_rng(0)
    rows = []
    for i in range(10_000):
        exact = i % 3 == 0
        lon, lat = (69.6 + rng.random() * 0.3, 35.2 + rng.random() * 0.2) if exact else ("", "")
        rows.append(
            event(
                i,
                event_id=f"synth-{i:06d}",
                longitude=str(lon),
                latitude=str(lat),
                location_precision="1" if exact else "3",
            )
        )
    data = csv_text(rows).encode()
    result = claims.read_claims(
        kind="events", source=data, name="synth.csv", provinces=provinces, gazetteer=FakeGazetteer()
    )
    assert len(result.data) == 10_000
    assert result.data["event_id"].tolist() == [f"synth-{i:06d}" for i in range(10_000)]
    assert int(result.data.geometry.notna().sum()) == len(range(0, 10_000, 3))


# --- real data ----------------------------------------------------------------------
@pytest.mark.realdata
def test_real_events_load_without_problems():
    result = claims.read_claims(kind="events", source=settings.EVENTS_PATH)
    assert result.ok and len(result.data) > 0
    assert result.data["event_id"].is_unique
    exact = result.data[result.data["location_precision"] == 1]
    assert exact.geometry.notna().all()
    assert result.data.loc[result.data["location_precision"] > 1].geometry.isna().all()


@pytest.mark.realdata
def test_real_presence_loads_without_problems():
    result = claims.read_claims(kind="presence", source=settings.PRESENCE_PATH)
    assert result.ok and len(result.data) > 0
    assert result.data["presence_id"].is_unique


# --- CLI ----------------------------------------------------------------------------
def test_cli_validate_prints_every_problem_and_exits_1(write_text, capsys):
    path = write_text("events.csv", csv_text([event(1), event(2, date_start="x", fatalities="-1")]))
    assert cli.main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(
        "line 3, column 'date_start': found 'x'; expected a date as YYYY-MM-DD "
        "(e.g. 2022-04-29) in date_start"
    )
    assert "column 'fatalities': found '-1'" in out[1]
    assert "column 'fatalities_claimed_by'" in out[2]
    assert out[3].endswith("events.csv: 2 rows, 3 problem(s) on 1 line(s); 1 rows ok")


def test_cli_validate_detects_presence_and_says_no_problems(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(presence_csv({}, {"presence_id": "p-02"}))
    assert cli.main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("people.csv: 2 rows, no problems")


def test_cli_validate_reports_unreadable_files_and_goes_on(write_text, tmp_path, capsys):
    good = write_text("events.csv", csv_text([event(1)]))
    bom = write_text("bom.csv", "\ufeff" + csv_text([event(1)]))
    assert cli.main(["validate", str(bom), str(tmp_path / "missing.csv"), str(good)]) == 1
    captured = capsys.readouterr()
    assert "byte-order mark" in captured.err and "missing.csv" in captured.err
    assert captured.out.strip().endswith("events.csv: 1 rows, no problems")


@pytest.mark.realdata
def test_cli_validate_defaults_to_the_real_files():
    done = subprocess.run(
        [sys.executable, "cli.py", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("data/events.csv: ") and lines[0].endswith(" rows, no problems")
    assert lines[1].startswith("data/presence.csv: ")


@pytest.mark.timeout(60)
def test_cli_validate_never_shows_a_traceback(tmp_path):
    """Every unreadable path and malformed file: one clear line each, exit 1, no traceback."""
    folder, fifo, loop = tmp_path / "folder", tmp_path / "fifo.csv", tmp_path / "loop.csv"
    folder.mkdir()
    os.mkfifo(fifo)
    os.symlink(loop, loop)
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n")
    old_mac = tmp_path / "old_mac.csv"
    old_mac.write_bytes(csv_text([event(1), event(2)]).replace("\n", "\r").encode())
    paths = [folder, fifo, loop, Path("/dev/zero"), Path("/etc/passwd"), wide, old_mac]
    done = subprocess.run(
        [sys.executable, "cli.py", "validate", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=50,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    errors = done.stderr.splitlines()
    assert [e.split(": ", 1)[0] for e in errors] == ["error"] * 6
    assert "folder: it is a folder" in errors[0] and "FIFO" in errors[1]
    assert "points back to itself" in errors[2] and "/dev/zero: it is a device" in errors[3]
    assert "passwd is not a claims file" in errors[4] and "root" not in errors[4]
    assert "wide.csv, line 1: the header has 20,000 columns" in errors[5]
    assert done.stdout.strip().endswith("old_mac.csv: 2 rows, no problems")
