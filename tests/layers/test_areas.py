"""layers/areas.py: areas as compact GeoJSON for the browser."""

from __future__ import annotations

import json

import shapely

from layers import areas


def test_display_features_round_and_keep_shared_borders(tiny_provinces):
    frame = tiny_provinces.copy()
    frame["geometry"] = frame.geometry.translate(0.000041, 0.000049)
    props = [{"code": c} for c in frame["province_code"]]
    collection = areas.display_features(frame, props)
    assert [f["properties"] for f in collection["features"]] == props
    first = collection["features"][0]["geometry"]["coordinates"][0]
    assert all(round(x, 4) == x and round(y, 4) == y for x, y in first)
    shapes = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    assert shapes[0].intersection(shapes[1]).length > 0.99  # the shared border stays shared


def test_display_features_leave_out_rows_without_geometry(tiny_provinces):
    frame = tiny_provinces.copy()
    frame.loc[1, "geometry"] = None
    collection = areas.display_features(frame, [{"i": i} for i in range(3)])
    assert [f["properties"]["i"] for f in collection["features"]] == [0, 2]
    assert json.loads(json.dumps(collection)) == collection
