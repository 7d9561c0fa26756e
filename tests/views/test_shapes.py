"""Tests for geo/views/shapes.py: lighter polygons swapped in, figures kept.

The coverage here is the tiny provinces of conftest with every edge cut into 400 m
pieces and wiggled by up to about 5 m; a vertex two provinces share moves the same
way in both, so the wiggled provinces are still a coverage.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import boundaries, settings, views
from tests.helpers_views import _frame


def _wiggle(xy: np.ndarray) -> np.ndarray:
    """Move each vertex by a function of where it is (shared vertices move alike)."""
    x, y = xy[:, 0], xy[:, 1]
    on_corner = (np.isclose(x, np.round(x)) & np.isclose(y, np.round(y)))[:, None]
    shift = 0.00005 * np.sin(np.column_stack([y, x]) * 7919.0)
    return np.where(on_corner, xy, xy + shift)


@pytest.fixture
def wiggly(tiny_provinces) -> gpd.GeoDataFrame:
    cut = shapely.segmentize(tiny_provinces.geometry.values, 0.004)
    cut = shapely.set_precision(cut, 1e-7)  # shared edges cut at the very same points
    out = tiny_provinces.copy()
    out["geometry"] = shapely.transform(cut, _wiggle)
    assert shapely.coverage_is_valid(out.geometry.values)
    assert shapely.is_valid(out.geometry.values).all()
    return out


def _vertices(gdf: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(gdf.geometry.values).sum())


def _metres_moved(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> float:
    utm = boundaries.utm_crs()
    a, b = before.geometry.to_crs(utm).values, after.geometry.to_crs(utm).values
    return float(shapely.hausdorff_distance(a, b, densify=0.25).max())


@pytest.mark.parametrize("metres", [2, 10, 100, 1000])
def test_simplify_coverage_moves_no_outline_further_and_keeps_a_coverage(wiggly, metres):
    simple = views.simplify_coverage(wiggly, metres=metres)
    assert simple.crs == wiggly.crs
    assert list(simple[settings.PROVINCE_CODE]) == list(wiggly[settings.PROVINCE_CODE])
    assert shapely.coverage_is_valid(simple.geometry.values)
    assert shapely.is_valid(simple.geometry.values).all()
    assert _vertices(simple) < _vertices(wiggly)
    assert _metres_moved(wiggly, simple) <= metres * 1.01


def test_the_tolerance_is_in_metres(wiggly):
    counts = [_vertices(views.simplify_coverage(wiggly, metres=m)) for m in (2, 100)]
    # The wiggle is about 5 m: 2 m keeps most of it, 100 m straightens the edges.
    assert counts[0] > 0.5 * _vertices(wiggly) and counts[1] < 0.1 * _vertices(wiggly)


def test_shared_borders_stay_shared(wiggly):
    simple = views.simplify_coverage(wiggly, metres=100)
    par, pan, bgl = simple.geometry.values
    for left, right in ((par, pan), (pan, bgl)):
        border = shapely.intersection(left.boundary, right.boundary)
        assert border.geom_type in ("LineString", "MultiLineString")
        assert border.length >= 1.0  # the whole 1-degree edge, wiggles left included
    union = shapely.union_all(simple.geometry.values)
    assert union.geom_type == "Polygon" and not list(union.interiors)  # no gaps
    assert union.area == pytest.approx(shapely.area(simple.geometry.values).sum())  # no overlaps


@pytest.mark.parametrize("metres", [0, -5, float("nan"), float("inf"), "500"])
def test_simplify_coverage_refuses_a_bad_tolerance(wiggly, metres):
    with pytest.raises(ValueError, match=r"must be a positive number of metres, not"):
        views.simplify_coverage(wiggly, metres=metres)


def test_simplify_coverage_needs_a_crs(wiggly):
    with pytest.raises(ValueError, match="cannot simplify a layer without a CRS"):
        views.simplify_coverage(wiggly.set_crs(None, allow_override=True), metres=100)


def test_with_area_shapes_swaps_polygons_and_keeps_the_figures(
    events, presence, tiny_provinces, tiny_districts
):
    shrunk = tiny_provinces.assign(geometry=shapely.buffer(tiny_provinces.geometry.values, -0.1))
    halves = tiny_districts.assign(geometry=shapely.buffer(tiny_districts.geometry.values, -0.05))
    for layer in ("provinces", "presence"):
        full = _frame(layer, events, presence, tiny_provinces, tiny_districts)
        drawn = views.with_area_shapes(full, provinces=shrunk, districts=halves)
        new = pd.concat(
            [
                shrunk.set_index(settings.PROVINCE_CODE).geometry,
                halves.set_index(settings.DISTRICT_ID).geometry,
            ]
        )
        assert len(drawn) == len(full) > 0
        assert shapely.equals(drawn.geometry.values, new.loc[full["area_code"]].values).all()
        pd.testing.assert_frame_equal(
            pd.DataFrame(drawn.drop(columns="geometry")),
            pd.DataFrame(full.drop(columns="geometry")),
        )
    ev = _frame("events", events, presence, tiny_provinces)
    assert views.with_area_shapes(ev, provinces=shrunk) is ev


def test_with_area_shapes_names_the_areas_it_lacks(events, presence, tiny_provinces):
    full = _frame("provinces", events, presence, tiny_provinces)
    with pytest.raises(
        ValueError, match=r"no polygon for 1 area\(s\) of the layer: \['province:AF-BGL'\]"
    ):
        views.with_area_shapes(full, provinces=tiny_provinces.iloc[:2])


def test_simplified_frame_keeps_area_km2(events, presence, wiggly):
    full = _frame("provinces", events, presence, wiggly)
    simple = views.simplified_frame(full, provinces=wiggly, metres=100)
    assert _vertices(simple) < _vertices(full) / 10
    assert _metres_moved(full, simple) <= 100
    assert simple["area_km2"].tolist() == full["area_km2"].tolist()
    assert full["area_km2"].tolist() == pytest.approx([10_060] * 3, rel=0.01)
    ev = _frame("events", events, presence, wiggly)
    assert views.simplified_frame(ev, provinces=wiggly, metres=100) is ev
