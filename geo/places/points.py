"""The one rule for "this point lies in that province", on whole columns.

Validation (:mod:`geo.claims.place_rules`) and both importers (ACLED, UCDP GED) ask
the same questions of a column of points, and get the same answers from
:func:`locate_points`:

- which province holds the point (a point on a border is held by both provinces
  that touch it: ``intersects``, not ``within``; the stated one wins, else the first by
  province code), answered by the provinces' :class:`~geo.places.area_index.AreaIndex`;
- whether it lies in the province the row states, or within
  :data:`BORDER_TOLERANCE_M` of it (Natural Earth's 1:10m borders are generalised by
  a few hundred metres to a few kilometres), measured in the UTM zone pyproj picks;
- when no province holds it, whether it would with longitude and latitude swapped,
  and whether each coordinate is outside Afghanistan's bounding box.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from geo import boundaries, settings
from geo.places.area_index import area_index

__all__ = ["BORDER_TOLERANCE_M", "PointCheck", "locate_points"]

#: Points this close (metres) to their stated province are accepted as inside it.
BORDER_TOLERANCE_M = 3000.0


@dataclass(frozen=True)
class PointCheck:
    """Where each point of a column lies; every array has one entry per point.

    Attributes
    ----------
    valid : numpy.ndarray of bool
        Both coordinates are finite numbers (the other fields say nothing otherwise).
    found : numpy.ndarray of str
        The code of the province holding the point ("" for none).
    inside : numpy.ndarray of bool
        The point lies in the stated province or within the tolerance of it; for a
        row without a stated province: in some province.
    swapped : numpy.ndarray of str
        For a point in no province: the code of the province that holds it with
        longitude and latitude exchanged ("" otherwise).
    lon_out, lat_out : numpy.ndarray of bool
        The coordinate lies outside Afghanistan's bounding box
        (``settings.AFG_BOUNDS``).
    """

    valid: np.ndarray
    found: np.ndarray
    inside: np.ndarray
    swapped: np.ndarray
    lon_out: np.ndarray
    lat_out: np.ndarray


@functools.lru_cache(maxsize=4)
def _projected(geoms: tuple[shapely.Geometry, ...]) -> np.ndarray:
    series = gpd.GeoSeries(list(geoms), crs=settings.WGS84)
    return np.asarray(series.to_crs(boundaries.utm_crs()).values)


def _floats(values: ArrayLike) -> np.ndarray:
    """Return values as floats (NaN for anything not a number); numbers pass as they are."""
    array = np.asarray(values)
    if array.dtype.kind in "fiu":  # already numbers: no round trip through objects
        return array.astype(float)
    return pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(
        float
    )


def locate_points(
    lon: ArrayLike,
    lat: ArrayLike,
    provinces: gpd.GeoDataFrame,
    *,
    stated: ArrayLike | None = None,
    tolerance_m: float = BORDER_TOLERANCE_M,
) -> PointCheck:
    """Check a column of points against the provinces and the province each row states.

    Parameters
    ----------
    lon, lat : array-like of float
        Coordinates in EPSG:4326; NaN (or anything not finite) marks a row without
        a point.
    provinces : geopandas.GeoDataFrame
        Province polygons (EPSG:4326) with ``province_code``, sorted by code.
    stated : array-like of str, optional
        The province code each row states ("" or an unknown code: none).
    tolerance_m : float
        How far outside its stated province a point may lie, in metres.

    Returns
    -------
    PointCheck

    Examples
    --------
    >>> p = boundaries.load_provinces()
    >>> check = locate_points([69.51], [35.43], p, stated=["AF-PAN"])
    >>> check.found.tolist(), check.inside.tolist()
    (['AF-PAN'], [True])
    >>> locate_points([35.43], [69.51], p).swapped.tolist()
    ['AF-PAN']
    """
    x, y = _floats(lon), _floats(lat)
    n = len(x)
    codes = provinces[settings.PROVINCE_CODE].to_numpy(dtype=object)
    said = np.full(n, "", dtype=object) if stated is None else np.asarray(stated, dtype=object)
    said_idx = pd.Index(codes).get_indexer(said)
    valid = np.isfinite(x) & np.isfinite(y)
    west, south, east, north = settings.AFG_BOUNDS
    lon_out = valid & ((x < west) | (x > east))
    lat_out = valid & ((y < south) | (y > north))
    found = np.full(n, "", dtype=object)
    swapped = np.full(n, "", dtype=object)
    inside = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(valid)
    if len(rows):
        geoms = np.asarray(provinces.geometry.values)
        index = area_index(geoms)
        first, _ = index.holders(x[rows], y[rows], prefer=said_idx[rows])
        found[rows[first >= 0]] = codes[first[first >= 0]]
        named = said_idx[rows] >= 0
        in_said = named & (first == said_idx[rows])
        near = np.flatnonzero(~in_said & named & ~lon_out[rows] & ~lat_out[rows])
        if len(near):
            points = shapely.points(x[rows][near], y[rows][near])
            utm = gpd.GeoSeries(points, crs=settings.WGS84).to_crs(boundaries.utm_crs())
            stated_poly = _projected(tuple(geoms))[said_idx[rows][near]]
            close = shapely.distance(np.asarray(utm.values), stated_poly) <= tolerance_m
            in_said[near[close]] = True
        inside[rows] = np.where(named, in_said, first >= 0)
        lost = np.flatnonzero(first < 0)
        if len(lost):
            other, _ = index.holders(y[rows][lost], x[rows][lost])
            swapped[rows[lost[other >= 0]]] = codes[other[other >= 0]]
    return PointCheck(valid, found, inside, swapped, lon_out, lat_out)
