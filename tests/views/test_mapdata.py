"""Tests for geo/mapdata.py: what the app loads once and computes per rerun.

The tiny `events` and `presence` fixtures and `_frame`: tests/helpers_views.py.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
import pytest
import shapely

from geo import boundaries, claims, settings, views
from geo.io import to_rfc7946
from tests.helpers_views import _frame


def test_step_window_moving_cumulative_and_end():
    span = (date(2022, 1, 1), date(2022, 2, 28))
    assert views.step_window(span, span, days=7) == ((date(2022, 1, 1), date(2022, 1, 8)), False)
    moved, done = views.step_window((date(2022, 1, 1), date(2022, 1, 8)), span, days=7)
    assert moved == (date(2022, 1, 8), date(2022, 1, 15)) and not done
    grown, _ = views.step_window(
        (date(2022, 1, 1), date(2022, 1, 8)), span, days=7, cumulative=True
    )
    assert grown == (date(2022, 1, 1), date(2022, 1, 15))
    last, done = views.step_window((date(2022, 2, 20), date(2022, 2, 25)), span, days=7)
    assert last == (date(2022, 2, 27), date(2022, 2, 28)) and done


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
    filters = claims.Filters(event_types=("clash",))
    frames = {
        "events": _frame("events", events, presence, tiny_provinces, filters=filters),
        "provinces": _frame("provinces", events, presence, tiny_provinces, filters=filters),
    }
    files = views.download_files(frames)
    assert sorted(files) == ["events.csv", "events.geojson", "provinces.geojson"]
    make, mime = files["events.geojson"]
    collection = json.loads(make())
    assert mime == "application/geo+json"
    assert (
        collection["features"] == json.loads(json.dumps(to_rfc7946(frames["events"])))["features"]
    )
    assert sorted(f["properties"]["event_id"] for f in collection["features"]) == [
        "e1",
        "e3",
        "e4",
        "e5",
        "e6",
    ]
    csv_make, csv_mime = files["events.csv"]
    table = pd.read_csv(io.BytesIO(csv_make()), dtype=str, keep_default_na=False)
    assert csv_mime == "text/csv"
    assert list(table.columns) == list(settings.EVENT_COLUMNS)
    assert sorted(table["event_id"]) == ["e1", "e3", "e4", "e5", "e6"]


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
    drawn = views.display_frames(map_data, frames)
    assert sorted(drawn) == sorted(frames)
    assert drawn["events"] is frames["events"]
    for layer in ("provinces", "presence"):
        codes = frames[layer]["area_code"]
        by_code = provinces.set_index(settings.PROVINCE_CODE).geometry
        simple = map_data.display_provinces.set_index(settings.PROVINCE_CODE).geometry
        on_province = (frames[layer]["area_kind"] == "province").to_numpy()
        assert shapely.equals_exact(
            frames[layer].geometry.values[on_province], by_code.loc[codes[on_province]].values, 0
        ).all()
        assert shapely.equals_exact(
            drawn[layer].geometry.values[on_province], simple.loc[codes[on_province]].values, 0
        ).all()
        pd.testing.assert_frame_equal(
            pd.DataFrame(drawn[layer].drop(columns="geometry")),
            pd.DataFrame(frames[layer].drop(columns="geometry")),
        )
    area = provinces.to_crs(boundaries.equal_area_crs()).area / 1e6
    assert frames["provinces"]["area_km2"].tolist() == area.round(1).tolist()
