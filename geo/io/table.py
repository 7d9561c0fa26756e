"""Layers as flat tables: what GeoPackage and CSV exports write.

:func:`to_table` gives the same rows, properties and order as RFC 7946 GeoJSON
(:func:`geo.io.geojson.to_rfc7946`) as a flat table: list and dict values as JSON
text, dates as ``YYYY-MM-DD``; :func:`csv_frame` adds the geometry as ``lon``/``lat``
(points) or ``wkt`` (anything else).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import ExportError
from geo.io.geojson import COORD_DECIMALS, _json_value, export_geometries

__all__ = ["CSV_POINT_COLUMNS", "CSV_WKT_COLUMN", "csv_frame", "to_table"]

#: Geometry columns of a CSV export: points as lon/lat, other geometries as WKT.
CSV_POINT_COLUMNS = ("lon", "lat")
CSV_WKT_COLUMN = "wkt"


def _cell_text(value: Any) -> Any:
    """One property value as GeoPackage/CSV carry it: lists and dicts as JSON text."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(_json_value(value), ensure_ascii=False)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_table(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` as the flat table GeoPackage and CSV exports write.

    The same rows, properties and order as :func:`to_rfc7946`, in EPSG:4326 with
    polygons oriented per RFC 7946 and coordinates rounded to 6 decimals; list and
    dict values become JSON strings, dates become ``YYYY-MM-DD`` strings.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with a ``geometry`` column.

    Raises
    ------
    ExportError
        If ``gdf`` has no CRS.

    Examples
    --------
    >>> to_table(events)["sources"].iloc[0][:1]  # doctest: +SKIP
    '['
    """
    if gdf.crs is None:
        raise ExportError("cannot export a layer without a CRS; set one with .set_crs()")
    out = gdf.to_crs(settings.WGS84) if not gdf.crs.equals(settings.WGS84) else gdf
    props = pd.DataFrame(out.drop(columns=out.geometry.name)).copy()
    for col in props.columns:
        series = props[col]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            props[col] = series.dt.strftime("%Y-%m-%d").astype(object).where(series.notna(), None)
        elif series.dtype == object:
            props[col] = series.map(_cell_text)
    geoms = export_geometries(out.geometry.values)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))
    return gpd.GeoDataFrame(props, geometry=geoms, crs=settings.WGS84)


def _geometry_columns(table: gpd.GeoDataFrame) -> pd.DataFrame:
    """lon/lat for a layer of points, WKT otherwise (empty cells for no geometry)."""
    geoms = table.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = set(shapely.get_type_id(geoms[present]).tolist())
    clash = {*CSV_POINT_COLUMNS, CSV_WKT_COLUMN} & set(table.columns)
    if clash:
        raise ExportError(f"cannot write CSV: the layer already has columns {sorted(clash)}")
    if kinds and kinds <= {int(shapely.GeometryType.POINT)}:
        x = np.where(present, np.round(shapely.get_x(geoms), COORD_DECIMALS), np.nan)
        y = np.where(present, np.round(shapely.get_y(geoms), COORD_DECIMALS), np.nan)
        lon, lat = CSV_POINT_COLUMNS
        return pd.DataFrame({lon: x, lat: y}, index=table.index)
    wkt = shapely.to_wkt(geoms, rounding_precision=COORD_DECIMALS, trim=True)
    return pd.DataFrame({CSV_WKT_COLUMN: wkt}, index=table.index)


def csv_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the table a CSV export writes: the properties, then lon/lat or wkt.

    Raises
    ------
    ExportError
        See :func:`to_table`; also when a property is already named ``lon``, ``lat``
        or ``wkt``.
    """
    table = to_table(gdf)
    return pd.concat(
        [pd.DataFrame(table.drop(columns="geometry")), _geometry_columns(table)], axis=1
    )
