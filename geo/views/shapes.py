"""Which polygons a layer is drawn or written with.

Every figure of an area layer (``area_km2`` among them) is computed on the
full-resolution polygons (:func:`geo.views.frames.layer_frame`); lighter shapes of
the same areas are swapped in afterwards with :func:`with_area_shapes`: the
display-simplified ones the map draws, or those of ``armap export --simplify``
(:func:`simplified_frame`: no outline moves more than the given metres,
:func:`simplify_coverage`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import boundaries, settings

__all__ = ["simplified_frame", "simplify_coverage", "with_area_shapes"]

#: Bisection steps when the tolerance must be lowered (the last step is 1/64 of it).
_BISECTIONS = 6


def _moved(before: np.ndarray, after: np.ndarray) -> float:
    """Return how far any outline moved, in the CRS's units (discrete Hausdorff distance)."""
    return float(shapely.hausdorff_distance(before, after).max(initial=0.0))


def simplify_coverage(gdf: gpd.GeoDataFrame, *, metres: float) -> gpd.GeoDataFrame:
    """Simplify a polygon coverage so no outline moves more than ``metres``; borders stay shared.

    In the UTM zone of :func:`geo.boundaries.utm_crs`, with ``shapely.coverage_simplify``
    (Visvalingam-Whyatt on each shared edge once, so neighbours neither overlap nor
    open gaps). Its tolerance is the square root of the triangle areas it removes, not
    a distance: where ``metres`` as that tolerance would move an outline further than
    ``metres`` (Hausdorff distance over the vertices), the tolerance is lowered by
    bisection until none does. A vertex two polygons share projects to the same point
    both ways, so the result, back in ``gdf``'s CRS, is still a coverage.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A polygon coverage (provinces or districts) with a CRS.
    metres : float
        The largest distance any outline may move.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in ``gdf``'s CRS with simplified geometry.

    Raises
    ------
    ValueError
        If ``metres`` is not a positive number, or ``gdf`` has no CRS.

    Examples
    --------
    >>> coarse = simplify_coverage(load_provinces(), metres=500)  # doctest: +SKIP
    >>> bool(shapely.coverage_is_valid(coarse.geometry.values))  # doctest: +SKIP
    True
    """
    if not isinstance(metres, int | float) or not 0 < metres < float("inf"):
        raise ValueError(
            f"the simplification tolerance must be a positive number of metres, not {metres!r}"
        )
    if gdf.crs is None:
        raise ValueError(f"cannot simplify a layer without a CRS; set one ({settings.WGS84})")
    projected = gdf.geometry.to_crs(boundaries.utm_crs())
    geoms = projected.to_numpy()
    best = shapely.coverage_simplify(geoms, float(metres))
    if _moved(geoms, best) > metres:
        best, low, high = geoms, 0.0, float(metres)
        for _ in range(_BISECTIONS):
            middle = (low + high) / 2
            candidate = shapely.coverage_simplify(geoms, middle)
            if _moved(geoms, candidate) <= metres:
                best, low = candidate, middle
            else:
                high = middle
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(best, index=gdf.index, crs=projected.crs).to_crs(gdf.crs)
    return out


def _shapes(areas: gpd.GeoDataFrame | None, kind: str, key: str, crs: object) -> pd.Series:
    """Return the polygons of ``areas`` indexed by "kind:code" (empty without areas)."""
    if areas is None:
        return pd.Series([], dtype=object)
    geoms = areas.geometry.to_crs(crs).to_numpy()
    return pd.Series(geoms, index=kind + ":" + areas[key].astype(str).to_numpy())


def with_area_shapes(
    frame: gpd.GeoDataFrame,
    *,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return a layer frame whose areas are drawn with other polygons of the same areas.

    :func:`geo.views.frames.layer_frame` computes every figure (``area_km2`` among them) on the
    full-resolution polygons it is given; this swaps in other shapes of the same
    areas afterwards, matched on ``area_kind`` and ``area_code``: the display-
    simplified ones for the map, or those of ``armap export --simplify``. The figures
    do not change. A frame without areas (the events layer) is returned as it is.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A ``provinces``, ``districts`` or ``presence`` layer frame.
    provinces : geopandas.GeoDataFrame
        The provinces' new polygons (``province_code``).
    districts : geopandas.GeoDataFrame, optional
        The districts' new polygons (``district_id``); needed when ``frame`` has
        districts.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``frame`` with the new polygons, in ``frame``'s CRS.

    Raises
    ------
    ValueError
        If an area of ``frame`` has no polygon among the new ones.

    Examples
    --------
    >>> full = layer_frame("provinces", events=ev, presence=pr, provinces=prov)  # doctest: +SKIP
    >>> drawn = with_area_shapes(full, provinces=simplify_for_display(prov))  # doctest: +SKIP
    """
    if not {"area_code", "area_kind"} <= set(frame.columns):
        return frame
    lookup = pd.concat(
        [
            _shapes(provinces, "province", settings.PROVINCE_CODE, frame.crs),
            _shapes(districts, "district", settings.DISTRICT_ID, frame.crs),
        ]
    )
    keys = (frame["area_kind"].astype(str) + ":" + frame["area_code"].astype(str)).to_numpy()
    found = pd.Index(keys).isin(lookup.index)
    if not found.all():
        missing = sorted(set(keys[~found]))
        raise ValueError(
            f"no polygon for {len(missing)} area(s) of the layer: {missing[:5]}; give the "
            "provinces (and districts) the layer was built from"
        )
    out = frame.copy()
    out[frame.geometry.name] = gpd.GeoSeries(
        lookup.loc[keys].to_numpy(), index=frame.index, crs=frame.crs
    )
    return out


def simplified_frame(
    frame: gpd.GeoDataFrame,
    *,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    metres: float,
) -> gpd.GeoDataFrame:
    """Return a layer frame with its areas simplified by ``metres`` (figures unchanged).

    For ``armap export --simplify``: the provinces (and, when ``frame`` has
    districts, the districts) are simplified as coverages (:func:`simplify_coverage`)
    and swapped into ``frame`` (:func:`with_area_shapes`); its figures, ``area_km2``
    among them, stay those of the full-resolution polygons.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A frame of :func:`geo.views.frames.layer_frame` (events come back unchanged).
    provinces, districts : geopandas.GeoDataFrame
        The full-resolution polygons ``frame`` was built from.
    metres : float
        The tolerance in metres.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    ValueError
        As :func:`simplify_coverage` and :func:`with_area_shapes`.

    Examples
    --------
    >>> frame = layer_frame("provinces", events=ev, presence=pr, provinces=prov)  # doctest: +SKIP
    >>> coarse = simplified_frame(frame, provinces=prov, metres=500)  # doctest: +SKIP
    """
    if not {"area_code", "area_kind"} <= set(frame.columns):
        return frame
    has_districts = bool((frame["area_kind"] == "district").any()) and districts is not None
    return with_area_shapes(
        frame,
        provinces=simplify_coverage(provinces, metres=metres),
        districts=simplify_coverage(districts, metres=metres) if has_districts else None,
    )
