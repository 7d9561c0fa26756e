"""Tests for geo/mapdata.py: what the app loads once and computes per rerun.

The tiny `events` and `presence` fixtures and `_frame`: tests/helpers_views.py.
"""

from __future__ import annotations

import io
import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
import shapely

from geo import claims, settings, views
from geo.errors import ClaimsFileError, GeoError
from geo.io import to_rfc7946
from tests.helpers_export import without_metadata
from tests.helpers_views import _frame


def test_load_map_data_reports_bad_rows_and_missing_districts(tmp_path):
    fixtures = settings.ROOT / "tests" / "fixtures" / "map"
    text = (fixtures / "events.csv").read_text(encoding="utf-8")
    bad = text + text.splitlines()[1].replace("fx-01", "fx-99").replace("2022-01-10", "2022-13-40")
    path = tmp_path / "events.csv"
    path.write_text(bad + "\n", encoding="utf-8")
    data = views.load_map_data(
        path, presence_path=fixtures / "presence.csv", districts_path=tmp_path / "none.geojson"
    )
    assert data.districts is None
    assert len(data.events) == 6
    assert any("line 8" in p and "date_start" in p for p in data.problems)
    assert data.span == (date(2021, 9, 1), date(2022, 9, 30))
    frames = views.map_frames(data, filters=claims.Filters(), province="AF-PAN")
    assert sorted(frames) == ["events", "presence", "provinces"]
    options = views.filter_options(data)
    assert "Test Wire" in options["sources"] and "Taliban" in options["actors"]
    timeline = views.claims_timeline(data, filters=claims.Filters(start=date(2022, 9, 1)))
    assert int(timeline["claims"].sum()) == 6  # the timeline ignores the window
    assert isinstance(timeline, pd.DataFrame)


def test_downloads_are_the_layer_frames(events, presence, tiny_provinces):
    filters = claims.Filters(event_types=("clash",), end=date(2022, 12, 31))
    frames = {
        "events": _frame("events", events, presence, tiny_provinces, filters=filters),
        "provinces": _frame("provinces", events, presence, tiny_provinces, filters=filters),
    }
    files = views.download_files(frames, filters=filters, source="mine.csv")
    assert sorted(files) == [
        "events_clash_any_2022-12-31.csv",
        "events_clash_any_2022-12-31.csv.json",
        "events_clash_any_2022-12-31.geojson",
        "provinces_clash_any_2022-12-31.geojson",
    ]
    make, mime = files["events_clash_any_2022-12-31.geojson"]
    collection = json.loads(make())
    assert mime == "application/geo+json"
    assert without_metadata(collection, "events", filters, source="mine.csv") == json.loads(
        json.dumps(to_rfc7946(frames["events"]))
    )
    assert sorted(f["properties"]["event_id"] for f in collection["features"]) == [
        "e1",
        "e3",
        "e4",
        "e5",
        "e6",
    ]
    csv_make, csv_mime = files["events_clash_any_2022-12-31.csv"]
    table = pd.read_csv(io.BytesIO(csv_make()), dtype=str, keep_default_na=False)
    assert csv_mime == "text/csv"
    assert list(table.columns) == list(settings.EVENT_COLUMNS)
    assert sorted(table["event_id"]) == ["e1", "e3", "e4", "e5", "e6"]
    side_make, side_mime = files["events_clash_any_2022-12-31.csv.json"]
    assert side_mime == "application/json"
    side = json.loads(side_make())
    assert without_metadata({"metadata": side}, "events", filters, source="mine.csv") == {}
    assert side["window"] == {"start": None, "end": "2022-12-31"}
    assert side["filters"]["event_types"] == ["clash"] and side["source"] == "mine.csv"


def test_downloads_record_the_time_given_in_utc(events, presence, tiny_provinces):
    frames = {"provinces": _frame("provinces", events, presence, tiny_provinces)}
    kabul = timezone(timedelta(hours=4, minutes=30))
    when = datetime(2024, 5, 1, 16, 30, tzinfo=kabul)
    files = views.download_files(frames, filters=claims.Filters(), source="e.csv", generated=when)
    make, _ = files["provinces_any_any.geojson"]
    assert json.loads(make())["metadata"]["generated"] == "2024-05-01T12:00:00Z"


def test_file_version_changes_when_the_file_is_edited(tmp_path):
    path = tmp_path / "events.csv"
    assert views.file_version(path) == (str(path), -1, -1)
    path.write_text("a\n", encoding="utf-8")
    first = views.file_version(path)
    path.write_text("a,b\n", encoding="utf-8")
    assert views.file_version(path) != first
    assert views.file_version(path)[2] == 4


def test_map_data_key_follows_the_presence_file(tmp_path):
    fixtures = settings.ROOT / "tests" / "fixtures" / "map"
    presence = tmp_path / "presence.csv"
    presence.write_bytes((fixtures / "presence.csv").read_bytes())
    kw = {"presence_path": presence, "districts_path": tmp_path / "none.geojson"}
    before = views.load_map_data(fixtures / "events.csv", **kw)
    lines = presence.read_text(encoding="utf-8").splitlines(keepends=True)
    presence.write_text("".join(lines[:-1]), encoding="utf-8")
    after = views.load_map_data(fixtures / "events.csv", **kw)
    assert len(after.presence) == len(before.presence) - 1
    assert after.key != before.key


@pytest.mark.realdata
def test_map_data_keeps_full_resolution_and_draws_simplified(map_data, provinces):
    assert map_data.provinces.geometry.geom_equals_exact(provinces.geometry, 0).all()
    full = shapely.get_num_coordinates(map_data.provinces.geometry.values).sum()
    shown = shapely.get_num_coordinates(map_data.display_provinces.geometry.values).sum()
    assert (full, shown) == (11_179, 7_056)
    frames = views.map_frames(map_data, filters=claims.Filters())
    by_code = provinces.set_index(settings.PROVINCE_CODE).geometry
    for layer in ("provinces", "presence"):
        codes = frames[layer]["area_code"]
        on_province = (frames[layer]["area_kind"] == "province").to_numpy()
        assert shapely.equals_exact(
            frames[layer].geometry.values[on_province], by_code.loc[codes[on_province]].values, 0
        ).all()
    assert list(map_data.display_provinces[settings.PROVINCE_CODE]) == list(by_code.index)


# --- the upload path: malformed files give problems or a clear error, never a crash ------
FIXTURE = settings.ROOT / "tests" / "fixtures" / "map" / "events.csv"
NOTE = "an attack in the capital"  # fx-02, line 3


def _upload(data: bytes) -> views.MapData:
    return views.load_map_data(events_bytes=data, events_name="upload.csv")


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (NOTE, '"an attack\rin the capital"', r"line 3, column 'notes': found 'an attack\\rin"),
        (NOTE, "x" * 131_073, r"line 3, column 'notes': found 'x+\.\.\. \(131,073 characters\)'"),
        (",2,AFF,", ",99999999999999999999999,AFF,", r"line 3, column 'fatalities': found "
         r"'99999999999999999999999'; expected at most 1,000,000"),
        (",2,AFF,", ",٥,AFF,", r"line 3, column 'fatalities': found '٥'; expected a whole"),
        ("69.17233", "inf", r"line 3, column 'longitude': found 'inf'; expected a longitude"),
        ("2022-01-15", "1700-01-15", r"line 3, column 'date_start': found '1700-01-15'; "
         r"expected a date on or after 1900-01-01"),
    ],
    ids=["lone-cr", "huge-field", "huge-number", "arabic-digit", "inf", "before-1900"],
)  # fmt: skip
def test_an_upload_with_a_bad_value_maps_the_other_rows(old, new, problem):
    data = FIXTURE.read_bytes().decode("utf-8")
    assert old in data
    loaded = _upload(data.replace(old, new, 1).encode("utf-8"))
    assert len(loaded.events) == 5 and "fx-02" not in set(loaded.events["event_id"])
    (listed,) = [p for p in loaded.problems if p.startswith("upload.csv")]
    assert re.match(r"upload\.csv, " + problem, listed), listed
    assert loaded.span[0] >= date(1900, 1, 1)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"^upload\.csv is empty"),
        (Path("/etc/passwd").read_bytes(), r"^upload\.csv is not a claims file: its first line "
         r"\(1 column, not column names\)"),
        (b"event_id," + b",".join(b"c%d" % i for i in range(20_000)), r"^upload\.csv, line 1: "
         r"the header has 20,001 columns; at most 500 are read"),
        (b"event_id\n\xff\n", r"^upload\.csv is not valid UTF-8: byte 0xff at byte offset 9"),
    ],
    ids=["empty", "passwd", "wide-header", "not-utf8"],
)  # fmt: skip
def test_an_upload_that_is_no_events_file_is_a_clear_error(data, message):
    with pytest.raises(GeoError, match=message) as err:
        _upload(data)
    assert "root:" not in str(err.value)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "make",
    [lambda p: (p.mkdir(), p)[1], lambda p: (os.mkfifo(p), p)[1], lambda p: Path("/dev/zero")],
    ids=["folder", "fifo", "dev-zero"],
)
def test_an_events_path_that_is_no_file_is_refused_without_reading_it(tmp_path, make):
    path = make(tmp_path / "events.csv")
    with pytest.raises(ClaimsFileError, match=r"^cannot read claims file .*not a regular file$"):
        views.load_map_data(path)


@pytest.mark.realdata
def test_the_events_download_escapes_formulas_and_reads_back_the_same(tmp_path):
    data = FIXTURE.read_text(encoding="utf-8").replace(NOTE, '"=HYPERLINK(""http://x"")"', 1)
    data = data.replace(",AFF,acknowledged", ",@SUM(A1),acknowledged", 1)
    loaded = _upload(data.encode("utf-8"))
    assert not loaded.problems
    frames = views.map_frames(loaded, filters=claims.Filters())
    files = views.download_files(frames, filters=claims.Filters(), source=loaded.source)
    make, _mime = files["events_any_any.csv"]
    download = make()
    assert b"'=HYPERLINK" in download and b"'@SUM(A1)" in download
    assert b",=" not in download and b",@" not in download
    back = claims.read_claims(download, kind="events", name="events.csv")  # raises on a problem
    assert back.data["notes"].tolist() == loaded.events.sort_index()["notes"].tolist()
    assert '=HYPERLINK("http://x")' in set(back.data["notes"])
