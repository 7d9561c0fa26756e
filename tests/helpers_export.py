"""Export test data: the RFC 7946 checker and tiny `areas` and `points` layers.

:func:`check_rfc7946` fails unless a FeatureCollection follows the rules the project
promises (no ``crs``, a correct ``bbox``, outer rings counter-clockwise and holes
clockwise, at most 6 decimals, longitudes and latitudes in range). Shared by
test_export and test_geojson; the fixtures are registered through ``pytest_plugins``
in tests/conftest.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import settings
from geo.claims import Filters
from geo.io import export_metadata

XSS = '<img src=x onerror="window.__xss=1">'


def _positions(coords: Any) -> list[list[float]]:
    if coords and isinstance(coords[0], int | float):
        return [coords]
    return [p for part in coords for p in _positions(part)]


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in _polygons(g)]
    return []


def _all_coordinates(geometry: dict[str, Any]) -> list[list[float]]:
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in _all_coordinates(g)]
    return _positions(geometry["coordinates"])


def check_rfc7946(collection: dict[str, Any]) -> None:
    """Fail unless ``collection`` follows the RFC 7946 rules the project promises."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection, "RFC 7946 section 4: no crs member"
    positions = []
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and "crs" not in feature
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert "crs" not in geometry
        for polygon in _polygons(geometry):
            exterior, *holes = polygon
            assert shapely.is_ccw(shapely.LinearRing(exterior)), "outer ring not counter-clockwise"
            for hole in holes:
                assert not shapely.is_ccw(shapely.LinearRing(hole)), "hole not clockwise"
        positions += _all_coordinates(geometry)
    for lon, lat, *_ in positions:
        assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)
        for value in (lon, lat):
            assert round(value, 6) == value, f"{value!r} has more than 6 decimals"
    if positions:
        xs, ys = [p[0] for p in positions], [p[1] for p in positions]
        assert collection["bbox"] == [min(xs), min(ys), max(xs), max(ys)]
    else:
        assert "bbox" not in collection


# --- tiny layers built in code ------------------------------------------------------
def without_metadata(
    collection: dict[str, Any],
    layer: str,
    filters: Filters | None = None,
    *,
    source: str = "events.csv",
) -> dict[str, Any]:
    """Check a GeoJSON's ``metadata`` member (any generation time) and return the rest."""
    rest = dict(collection)
    meta = rest.pop("metadata")
    generated = datetime.fromisoformat(meta["generated"].replace("Z", "+00:00"))
    assert generated.tzinfo is not None and generated.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - generated).total_seconds()) < 600
    stances = meta.pop("stances", None)  # the stances on the claims, when it has any
    if stances is not None:
        assert layer in ("events", "presence"), layer
        assert all(
            set(s)
            == {
                "stance_id",
                "addresses",
                "party",
                "stance",
                "reported",
                "quote",
                "fatalities",
            }  # fatalities: the figure the stance states, or None
            for s in stances
        ), stances
    expected = export_metadata(layer, filters or Filters(), source=source, generated=generated)
    assert meta == expected
    return rest


def _cw(box: shapely.Polygon) -> list[tuple[float, float]]:
    return list(shapely.orient_polygons(box, exterior_cw=True).exterior.coords)


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    """Polygons wound the wrong way (clockwise shell, counter-clockwise hole), too many
    decimals, a MultiPolygon, lists, dates and missing values."""
    shell = _cw(shapely.box(69.1234567891, 35.0, 70.0, 36.0))
    hole = list(shapely.box(69.4, 35.4, 69.6, 35.6).exterior.coords)  # counter-clockwise
    holed = shapely.Polygon(shell, [hole])
    multi = shapely.MultiPolygon([shapely.box(70, 35, 70.5, 36), shapely.box(70.6, 35, 71, 36)])
    return gpd.GeoDataFrame(
        {
            "area_code": ["AF-PAR", "AF-PAN", "AF-BGL"],
            "name": ["Parwan", f"Panjshir {XSS}", "Baghlan"],
            "claims": [3, 0, 1],
            "fatalities": pd.array([4, None, 0], dtype="Int64"),
            "share": [0.5, float("nan"), 1.25],
            "last_reported": pd.to_datetime(["2022-05-01", None, "2022-06-30"]),
            "groups": [["NRF", "AFF"], [], ["NRF"]],
        },
        geometry=[holed, multi, shapely.box(71, 35, 72, 36)],
        crs=settings.WGS84,
    )


@pytest.fixture
def points() -> gpd.GeoDataFrame:
    sources = [{"file": "a.txt", "outlet": "X", "title": "T", "quote": XSS}]
    return gpd.GeoDataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "date_start": pd.to_datetime(["2022-05-12", "2022-05-01", "2022-01-01"]),
            "location_precision": pd.array([1, 3, 4], dtype="Int64"),
            "sources": [sources, sources * 2, sources],
            "notes": [XSS, 'a, "quoted"\nline', ""],
        },
        geometry=[shapely.Point(69.123456789, 35.1), shapely.Point(70.5, 35.5), None],
        crs=settings.WGS84,
    )
