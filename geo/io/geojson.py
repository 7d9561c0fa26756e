"""RFC 7946 GeoJSON, and the atomic file writes every export goes through.

Everything leaving the program is EPSG:4326 longitude/latitude with outer rings
counter-clockwise and holes clockwise, coordinates rounded to 6 decimals, a ``bbox``
and no ``crs`` member (RFC 7946 sections 3.1.6, 4, 5 and 11.2).

Files are written with :func:`geo._files.atomic_write`: a failed or interrupted write
never leaves a truncated file and never damages the file it would have replaced. The
other formats and the format dispatcher are in :mod:`geo.io.export`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo._files import atomic_write
from geo.errors import ExportError

__all__ = ["COORD_DECIMALS", "export_geometries", "geojson_bytes", "to_rfc7946", "write_geojson"]

COORD_DECIMALS = 6


def _round_coords(obj: Any) -> Any:
    """Round a GeoJSON ``coordinates`` member (nested lists) to 6 decimals."""
    arr = np.asarray(obj, dtype=float) if _is_position_array(obj) else None
    if arr is not None:
        return np.round(arr, COORD_DECIMALS).tolist()
    return [_round_coords(part) for part in obj]


def _is_position_array(obj: Any) -> bool:
    """Return True for a list of positions (a ring or a line) or a single position."""
    if not len(obj):
        return True
    first = obj[0]
    return isinstance(first, int | float) or bool(len(first) and isinstance(first[0], int | float))


def _geometry_dict(geom: BaseGeometry | None) -> dict[str, Any] | None:
    if geom is None or geom.is_empty:
        return None
    mapping = shapely.geometry.mapping(geom)
    if mapping["type"] == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [_geometry_dict(g) for g in mapping["geometries"]],
        }
    return {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"])}


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _json_value(value.item())
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _json_column(col: pd.Series) -> list[Any]:
    """Return a column's values as JSON-ready Python values, whole column at a time.

    Dates become ``YYYY-MM-DD``, numbers Python ints and floats, missing values
    ``None``. Columns of text take a fast path; anything else (lists of sources,
    mixed objects) goes value by value through :func:`_json_value`.
    """
    missing = col.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(col):
        text = col.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, copy=True)
        text[missing] = None
        return list(text)
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
        out = col.astype(object).to_numpy(copy=True)
        out[missing] = None
        return [v.item() if isinstance(v, np.generic) else v for v in out]
    if pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
        out = col.astype(object).to_numpy(copy=True)
        out[missing] = None
        return list(out)
    return [_json_value(v) for v in col]


def export_geometries(geoms: Any) -> np.ndarray:
    """Snap geometries to the 6-decimal grid and orient them per RFC 7946.

    ``shapely.set_precision`` rounds every vertex to 1e-6 degrees (about 0.1 m) and
    keeps the result valid: a ring that collapses on the grid (a sliver left by
    display simplification) is dropped instead of being written with fewer than four
    positions. Outer rings then run counter-clockwise and holes clockwise.

    Parameters
    ----------
    geoms : array-like of shapely geometries
        In EPSG:4326; None stays None.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> export_geometries([shapely.box(0, 0, 1.00000049, 1)])[0].bounds
    (0.0, 0.0, 1.0, 1.0)
    """
    snapped = shapely.set_precision(np.asarray(geoms, dtype=object), 10.0**-COORD_DECIMALS)
    return np.asarray(shapely.orient_polygons(snapped, exterior_cw=False), dtype=object)


def to_rfc7946(gdf: gpd.GeoDataFrame, *, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``gdf`` as an RFC 7946 FeatureCollection dict.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any CRS; it is transformed to EPSG:4326. Non-geometry columns become
        properties (timestamps as ISO dates, missing values as ``null``).
    metadata : dict, optional
        What the file says about itself (``geo.io.export_metadata``), written as a
        top-level ``metadata`` member (a foreign member, RFC 7946 section 6.1, which
        GDAL and geopandas ignore when reading the features).

    Returns
    -------
    dict
        A FeatureCollection with ``bbox``, polygons oriented per RFC 7946 and
        coordinates rounded to 6 decimals; no ``crs`` member.

    Raises
    ------
    ExportError
        If ``gdf`` has no CRS.

    Examples
    --------
    >>> fc = to_rfc7946(provinces)  # doctest: +SKIP
    >>> fc["type"], len(fc["features"])  # doctest: +SKIP
    ('FeatureCollection', 34)
    """
    if gdf.crs is None:
        raise ExportError("cannot export a layer without a CRS; set one with .set_crs()")
    out = gdf.to_crs(settings.WGS84) if not gdf.crs.equals(settings.WGS84) else gdf
    geoms = export_geometries(out.geometry.values)
    props = out.drop(columns=out.geometry.name)
    names = [str(c) for c in props.columns]
    values = [_json_column(props[c]) for c in props.columns]
    rows = zip(*values, strict=True) if values else ([] for _ in range(len(props)))
    features = [
        {
            "type": "Feature",
            "properties": dict(zip(names, row, strict=True)),
            "geometry": _geometry_dict(geom),
        }
        for row, geom in zip(rows, geoms, strict=True)
    ]
    present = geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)]
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if metadata is not None:
        collection["metadata"] = metadata
    if len(present):
        bounds = shapely.total_bounds(present)
        collection["bbox"] = [round(float(b), COORD_DECIMALS) for b in bounds]
    collection["features"] = features
    return collection


def write_geojson(
    gdf: gpd.GeoDataFrame,
    path: Path,
    *,
    force: bool = False,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Write ``gdf`` as RFC 7946 GeoJSON, atomically.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS).
    path : Path
        Destination file.
    force : bool, default False
        Replace an existing file.
    metadata : dict, optional
        The top-level ``metadata`` member (:func:`to_rfc7946`).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ExportError
        See :func:`to_rfc7946` and :func:`atomic_write`.
    """
    text = geojson_bytes(gdf, metadata=metadata)
    with atomic_write(path, force=force, mode="wb") as fh:
        fh.write(text)
    return path


def geojson_bytes(gdf: gpd.GeoDataFrame, *, metadata: dict[str, Any] | None = None) -> bytes:
    """Return ``gdf`` as RFC 7946 GeoJSON bytes (UTF-8, compact, one trailing newline).

    The bytes :func:`write_geojson` writes, built in memory (the app's downloads).

    Raises
    ------
    ExportError
        See :func:`to_rfc7946`.

    Examples
    --------
    >>> geojson_bytes(provinces)[:28]  # doctest: +SKIP
    b'{"type":"FeatureCollection",'
    """
    collection = to_rfc7946(gdf, metadata=metadata)
    try:
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:  # JSON has no Infinity or NaN (RFC 8259 section 6)
        raise ExportError(
            "cannot write GeoJSON: a value or coordinate is infinite or not a number, which "
            "JSON cannot hold; check the layer's numbers"
        ) from exc
    return (text + "\n").encode("utf-8")
