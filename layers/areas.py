"""Areas for the browser: provinces and districts as compact GeoJSON.

The choropleth itself (each area's figures and colour for the window) is computed in
the browser by the claims layer (``layers/claims_layer.py``); this module gives it the
shapes, rounded so that the page stays small and shared borders stay shared.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import shapely

#: Coordinates sent to the browser are rounded to this many decimals (about 10 m).
DISPLAY_DECIMALS = 4


def display_features(
    frame: gpd.GeoDataFrame, properties: list[dict[str, Any]], *, decimals: int = DISPLAY_DECIMALS
) -> dict[str, Any]:
    """Return a FeatureCollection for the browser: rounded geometry, given properties.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        EPSG:4326 geometries (one feature per row).
    properties : list of dict
        One dict per row (already safe for HTML where it holds HTML).
    decimals : int
        Coordinate decimals; shared borders stay shared (every vertex snaps alike).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection (rows without geometry are left out).

    Examples
    --------
    >>> display_features(provinces, [{}] * len(provinces))["type"]  # doctest: +SKIP
    'FeatureCollection'
    """
    geoms = shapely.set_precision(frame.geometry.values, 10.0**-decimals, mode="pointwise")
    texts = shapely.to_geojson(geoms)
    features = [
        {"type": "Feature", "properties": props, "geometry": json.loads(text)}
        for props, text, geom in zip(properties, texts, geoms, strict=True)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}
