"""Tests for geo/geojson.py: RFC 7946 GeoJSON and the atomic GeoJSON write.

Every collection is checked by tests.helpers_export.check_rfc7946; the checker's own
tests are here too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import _files, settings
from geo import io as gio
from geo.io import export
from tests.helpers_export import _polygons, check_rfc7946


def test_geojson_is_rfc7946(areas, tmp_path):
    path = gio.write_geojson(areas, tmp_path / "a.geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    check_rfc7946(collection)
    first = collection["features"][0]
    assert [69.123457, 35.0] in first["geometry"]["coordinates"][0]
    assert first["properties"]["groups"] == ["NRF", "AFF"]  # a JSON array, not a string
    assert first["properties"]["last_reported"] == "2022-05-01"
    assert collection["features"][1]["properties"]["fatalities"] is None


def _mutated(collection: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return json.loads(json.dumps(collection).replace(old, new))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda fc: {**fc, "crs": {"type": "name"}}, "no crs member"),
        (lambda fc: {**fc, "bbox": [0, 0, 1, 1]}, "assert"),
        (lambda fc: _mutated(fc, "69.123457", "69.1234567"), "more than 6 decimals"),
        (lambda fc: _mutated(fc, "[72.0,", "[272.0,"), "272.0"),
    ],
)
def test_the_checker_catches_each_rule(areas, mutate, message):
    good = gio.to_rfc7946(areas)
    check_rfc7946(good)
    with pytest.raises(AssertionError, match=message):
        check_rfc7946(mutate(good))


def test_the_checker_catches_wrong_winding(areas):
    wound = gio.to_rfc7946(areas)
    ring = wound["features"][2]["geometry"]["coordinates"][0]
    wound["features"][2]["geometry"]["coordinates"][0] = ring[::-1]
    with pytest.raises(AssertionError, match="outer ring not counter-clockwise"):
        check_rfc7946(wound)


def test_slivers_collapsed_by_rounding_are_dropped():
    sliver = shapely.Polygon([(62.0075971, 35.4460461), (62.0075781, 35.4460501),
                              (62.0075972, 35.4460462)])  # fmt: skip
    multi = shapely.MultiPolygon([shapely.box(62.0, 35.0, 62.5, 35.4), sliver])
    collection = gio.to_rfc7946(gpd.GeoDataFrame(geometry=[multi], crs=settings.WGS84))
    check_rfc7946(collection)
    assert len(_polygons(collection["features"][0]["geometry"])) == 1


def test_a_projected_layer_is_written_in_wgs84(areas, tmp_path):
    projected = areas.to_crs(32642)
    path = export.write_layer(projected, tmp_path / "p.geojson", layer_name="p", force=False)
    collection = json.loads(path.read_text(encoding="utf-8"))
    check_rfc7946(collection)
    assert collection["bbox"] == pytest.approx([69.123457, 35.0, 72.0, 36.0], abs=1e-5)


# --- an interrupted write keeps the old file ----------------------------------------
def test_an_interrupted_geojson_write_keeps_the_old_file(points, tmp_path, monkeypatch):
    target = tmp_path / "events.geojson"
    export.write_layer(points, target, layer_name="events")
    before = target.read_bytes()

    def interrupted(fd):  # the bytes are in the temporary file; then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(_files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_layer(points, target, layer_name="events", force=True)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["events.geojson"]


def _typed(value: Any) -> Any:
    """``value`` with the exact type of every leaf (so 1 != True != 1.0 != np.int64(1))."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def test_properties_are_json_values_of_every_dtype():
    """Each dtype becomes plain JSON: ISO dates, Python numbers, None for every missing value."""
    frame = gpd.GeoDataFrame(
        {
            "when": pd.to_datetime(["2022-04-29", None]),
            "day": [dt.date(2021, 8, 15), None],
            "count": pd.array([3, None], dtype="Int64"),
            "n": np.array([4, 5], dtype="int32"),
            "share": [0.25, np.nan],
            "f32": np.array([0.5, np.nan], dtype="float32"),
            "flag": [True, False],
            "maybe": pd.array([True, None], dtype="boolean"),
            "text": ["Panjshir", None],
            "string": pd.array(["Nili", None], dtype="string"),
            "category": pd.Categorical(["clash", None]),
            "sources": [[{"quote": "a <b>", "n": np.int64(2)}], []],
            "mixed": [dt.date(2021, 8, 30), np.int64(7)],
        },
        geometry=[shapely.Point(69.5, 35.3), None],
        crs=settings.WGS84,
    )
    got = [f["properties"] for f in gio.to_rfc7946(frame)["features"]]
    expected = [
        {"when": "2022-04-29", "day": "2021-08-15", "count": 3, "n": 4, "share": 0.25,
         "f32": 0.5, "flag": True, "maybe": True, "text": "Panjshir", "string": "Nili",
         "category": "clash", "sources": [{"quote": "a <b>", "n": 2}], "mixed": "2021-08-30"},
        {"when": None, "day": None, "count": None, "n": 5, "share": None, "f32": None,
         "flag": False, "maybe": None, "text": None, "string": None, "category": None,
         "sources": [], "mixed": 7},
    ]  # fmt: skip
    assert _typed(got) == _typed(expected)
    assert json.loads(json.dumps(got, allow_nan=False)) == expected
