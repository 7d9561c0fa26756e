"""Tests for geo/places/area_index.py: the grid answers exactly what a spatial join answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import boundaries, join, settings
from geo.places import AreaIndex, area_index


def _sjoin_pairs(x: np.ndarray, y: np.ndarray, areas: gpd.GeoDataFrame) -> np.ndarray:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=settings.WGS84)
    hits = gpd.sjoin(points, areas[["geometry"]].reset_index(drop=True), predicate="intersects")
    hits = hits.reset_index().sort_values(["index", "index_right"])
    return np.vstack([hits["index"].to_numpy(), hits["index_right"].to_numpy()])


def _border_points(areas: gpd.GeoDataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of the areas' outlines: many lie on shared borders (held by two areas)."""
    xy = shapely.get_coordinates(shapely.boundary(areas.geometry.values))
    pick = np.random.default_rng(1).choice(len(xy), size=n, replace=False)
    return xy[pick, 0], xy[pick, 1]


def _mixed_points(areas: gpd.GeoDataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    west, south, east, north = areas.total_bounds
    x = np.concatenate([rng.uniform(west - 1, east + 1, n), _border_points(areas, n // 10)[0]])
    y = np.concatenate([rng.uniform(south - 1, north + 1, n), _border_points(areas, n // 10)[1]])
    return np.append(x, [np.nan, np.inf]), np.append(y, [35.0, 35.0])


@pytest.mark.realdata
def test_provinces_give_the_pairs_of_a_spatial_join(provinces):
    x, y = _mixed_points(provinces, 20_000)
    first, pairs = area_index(provinces.geometry.values).holders(x, y, pairs=True)
    assert np.array_equal(pairs, _sjoin_pairs(x, y, provinces))
    # The first holder is the lowest-numbered area of each point's pairs; none for NaN/inf.
    lowest = pd.Series(pairs[1]).groupby(pairs[0]).min()
    expected = np.full(len(x), -1)
    expected[lowest.index.to_numpy()] = lowest.to_numpy()
    assert np.array_equal(first, expected)
    assert (first[-2:] == -1).all()
    on_two = np.bincount(pairs[0], minlength=len(x)) == 2
    assert on_two.sum() > 100, "the border vertices exercise points held by two provinces"


def test_districts_give_the_pairs_of_a_spatial_join(districts):
    x, y = _mixed_points(districts, 20_000)
    _, pairs = area_index(districts.geometry.values).holders(x, y, pairs=True)
    assert np.array_equal(pairs, _sjoin_pairs(x, y, districts))


def test_a_point_on_a_border_goes_to_the_preferred_area():
    left, right = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    index = AreaIndex.build([left, right])
    x, y = [1.0, 1.0, 1.0, 0.5], [0.5, 0.5, 0.5, 0.5]
    first, _ = index.holders(x, y, prefer=[1, 0, -1, 1])
    assert first.tolist() == [1, 0, 0, 0]  # preferred when it holds the point, else the first


def test_points_on_grid_lines_and_outside_the_grid():
    square = shapely.box(0, 0, 10, 10)
    index = AreaIndex.build([square], n_cells=100)
    xs = index.origin[0] + np.arange(12) * index.cell  # exactly on cell edges
    first, _ = index.holders(xs, np.full(12, 5.0))
    inside = (xs >= 0) & (xs <= 10)
    assert np.array_equal(first >= 0, inside)
    assert index.holders([-50.0, 50.0], [5.0, 5.0])[0].tolist() == [-1, -1]


def test_points_repeated_on_a_few_spots_give_the_pairs_of_a_spatial_join(tiny_provinces):
    """Each distinct spot is tested once; every point on it gets its pairs and its choice."""
    spots = np.array([[69.5, 35.5], [70.0, 35.5], [71.0, 35.25], [70.25, 36.0], [80.0, 35.5]])
    rng = np.random.default_rng(3)
    at = rng.integers(0, len(spots), 3_000)
    x, y = spots[at, 0], spots[at, 1]
    prefer = rng.integers(-1, 3, len(x))
    index = AreaIndex.build(tiny_provinces.geometry.values, n_cells=100)
    first, pairs = index.holders(x, y, prefer=prefer, pairs=True)
    assert np.array_equal(pairs, _sjoin_pairs(x, y, tiny_provinces))
    held = pd.DataFrame({"point": pairs[0], "area": pairs[1]})
    held["preferred"] = held["area"].to_numpy() == prefer[held["point"].to_numpy()]
    chosen = held.sort_values(["point", "preferred", "area"], ascending=[True, False, True])
    expected = np.full(len(x), -1)
    expected[chosen["point"].drop_duplicates().to_numpy()] = chosen.drop_duplicates("point")["area"]
    assert np.array_equal(first, expected)
    assert (np.bincount(pairs[0], minlength=len(x)) == 2).sum() > 1_000  # shared borders


def test_the_index_is_built_once_per_boundary_set(tiny_provinces):
    one = area_index(tiny_provinces.geometry.values)
    assert area_index(tiny_provinces.copy().geometry.values) is one
    moved = tiny_provinces.geometry.translate(0.5)
    assert area_index(moved.values) is not one
    # Equal polygons that are other objects: found by their digest, not rebuilt.
    equal = shapely.from_wkb(shapely.to_wkb(tiny_provinces.geometry.values))
    assert equal[0] is not tiny_provinces.geometry.values[0]
    assert area_index(equal) is one


@pytest.mark.realdata
def test_join_events_assigns_what_two_spatial_joins_assign(provinces, districts):
    """The join equals two plain sjoins with the documented rule for border points."""
    x, y = _mixed_points(provinces, 5_000)
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    stated = np.random.default_rng(2).choice(provinces[settings.PROVINCE_CODE], size=len(x))
    events = gpd.GeoDataFrame(
        {"province_code": stated, "district": ""},
        geometry=gpd.points_from_xy(x, y),
        crs=settings.WGS84,
    )
    joined = join.join_events(events, provinces, districts, on_unmatched="ignore")

    codes = provinces[settings.PROVINCE_CODE].to_numpy()
    pairs = _sjoin_pairs(x, y, provinces)
    hit = pd.DataFrame({"point": pairs[0], "code": codes[pairs[1]]})
    hit["other"] = hit["code"].to_numpy() != stated[hit["point"]]
    hit = hit.sort_values(["point", "other"], kind="stable").drop_duplicates("point")
    expected = pd.Series(stated, dtype=object)
    expected[hit["point"].to_numpy()] = hit["code"].to_numpy()
    assert joined["province_code"].tolist() == expected.tolist()
    assert set(joined.loc[hit["point"].to_numpy(), "joined_by"]) == {"point"}

    dpairs = _sjoin_pairs(x, y, districts)
    first = pd.Series(dpairs[1]).groupby(dpairs[0]).min()
    ids = pd.Series(None, index=range(len(x)), dtype=object)
    ids[first.index.to_numpy()] = districts[settings.DISTRICT_ID].to_numpy()[first.to_numpy()]
    assert joined["district_id"].tolist() == ids.tolist()


def test_real_provinces_index_has_few_border_cells():
    index = area_index(boundaries.load_provinces().geometry.values)
    assert (index.cells == -2).mean() < 0.1
