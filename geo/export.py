"""Write layers out of the program: RFC 7946 GeoJSON, GeoPackage, CSV (atomic writes).

Everything leaving the program is EPSG:4326 longitude/latitude with outer rings
counter-clockwise and holes clockwise, coordinates rounded to 6 decimals, a ``bbox``
and no ``crs`` member (RFC 7946 sections 3.1.6, 4, 5 and 11.2). GeoPackage and CSV
carry the same features and properties, with list-valued properties (``sources``,
``actors``) as JSON strings and dates as ISO ``YYYY-MM-DD`` strings.

:func:`write_layer` picks the format from the file's extension (``-`` is GeoJSON on
standard output). Every file write goes to a temporary file in the destination's
folder and is moved into place with ``os.replace`` only when it is complete, so a
failed or interrupted export never leaves a truncated file and never damages the
file it would have replaced.

This module holds the other formats and the dispatcher; RFC 7946 GeoJSON itself and
:func:`atomic_write` live in :mod:`geo.geojson` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import ExportError
from geo.geojson import COORD_DECIMALS as COORD_DECIMALS
from geo.geojson import _file_mode, _json_value
from geo.geojson import atomic_write as atomic_write
from geo.geojson import export_geometries as export_geometries
from geo.geojson import to_rfc7946 as to_rfc7946
from geo.geojson import write_geojson as write_geojson

#: Output formats by file extension; ``-`` means GeoJSON on standard output.
FORMATS: dict[str, str] = {".geojson": "geojson", ".gpkg": "gpkg", ".csv": "csv"}
STDOUT = "-"
#: Rows per ``to_csv`` chunk (tests lower it to exercise a failure mid-write).
CSV_CHUNKSIZE = 10_000
#: Geometry columns of a CSV export: points as lon/lat, other geometries as WKT.
CSV_POINT_COLUMNS = ("lon", "lat")
CSV_WKT_COLUMN = "wkt"


def output_format(path_or_dash: str | Path) -> str:
    """Return the format an output path asks for: geojson, gpkg, csv or stdout.

    Parameters
    ----------
    path_or_dash : str or Path
        A file name (its extension picks the format, case-insensitive) or ``-``.

    Returns
    -------
    str
        ``"stdout"`` for ``-``, otherwise a value of :data:`FORMATS`.

    Raises
    ------
    ExportError
        For an extension that is not in :data:`FORMATS`; the message lists them.

    Examples
    --------
    >>> output_format("out/provinces.GPKG"), output_format("-")
    ('gpkg', 'stdout')
    """
    if str(path_or_dash) == STDOUT:
        return "stdout"
    suffix = Path(path_or_dash).suffix.lower()
    if suffix not in FORMATS:
        allowed = ", ".join(FORMATS)
        found = f"'{suffix}'" if suffix else "no extension"
        raise ExportError(
            f"cannot tell the output format of {path_or_dash}: {found}; "
            f"use one of {allowed}, or - for GeoJSON on standard output"
        )
    return FORMATS[suffix]


def check_target(path_or_dash: str | Path, *, force: bool = False) -> str:
    """Check an output target before any work: known format, folder exists, no clobbering.

    Parameters
    ----------
    path_or_dash : str or Path
        Destination file, or ``-`` for standard output.
    force : bool, default False
        Whether an existing file may be replaced.

    Returns
    -------
    str
        The format, as :func:`output_format`.

    Raises
    ------
    ExportError
        Unknown extension, missing folder, or an existing file without ``force``.

    Examples
    --------
    >>> check_target("-")
    'stdout'
    """
    fmt = output_format(path_or_dash)
    if fmt == "stdout":
        return fmt
    path = Path(path_or_dash)
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; pass force=True (CLI: --force) to replace it")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    return fmt


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


def write_csv(gdf: gpd.GeoDataFrame, path: Path, *, force: bool = False) -> Path:
    """Write ``gdf`` as CSV, atomically: properties, then ``lon``/``lat`` or ``wkt``.

    A layer whose geometries are all points gets ``lon`` and ``lat`` columns; any
    other layer gets a ``wkt`` column (WGS84, 6 decimals). List values are JSON
    strings, dates ``YYYY-MM-DD``; a feature without geometry has empty cells.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS).
    path : Path
        Destination file.
    force : bool, default False
        Replace an existing file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ExportError
        See :func:`to_table` and :func:`atomic_write`; also when a property is
        already named ``lon``, ``lat`` or ``wkt``.

    Examples
    --------
    >>> write_csv(events, Path("events.csv"), force=True)  # doctest: +SKIP
    PosixPath('events.csv')
    """
    table = to_table(gdf)
    frame = pd.concat(
        [pd.DataFrame(table.drop(columns="geometry")), _geometry_columns(table)], axis=1
    )
    with atomic_write(path, force=force) as fh:
        frame.to_csv(fh, index=False, lineterminator="\n", chunksize=CSV_CHUNKSIZE)
    return path


def write_gpkg(gdf: gpd.GeoDataFrame, path: Path, *, layer_name: str, force: bool = False) -> Path:
    """Write ``gdf`` as a one-layer GeoPackage, atomically.

    pyogrio writes to a path, so the file is built in a temporary folder beside
    ``path`` (same file system) and moved into place with ``os.replace``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS); written as :func:`to_table` returns it.
    path : Path
        Destination ``.gpkg`` file.
    layer_name : str
        Name of the layer inside the GeoPackage.
    force : bool, default False
        Replace an existing file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ExportError
        See :func:`check_target`; also when pyogrio cannot write the layer.

    Examples
    --------
    >>> write_gpkg(provinces, Path("provinces.gpkg"), layer_name="provinces")  # doctest: +SKIP
    PosixPath('provinces.gpkg')
    """
    import pyogrio  # geopandas' own I/O engine; imported here to keep start-up light

    path = Path(path)
    check_target(path, force=force)
    table = to_table(gdf)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        tmp = tmp_dir / path.name
        try:
            pyogrio.write_dataframe(table, tmp, layer=layer_name, driver="GPKG")
        except pyogrio.errors.DataSourceError as exc:
            raise ExportError(f"cannot write GeoPackage {path}: {exc}") from exc
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def dump_geojson(gdf: gpd.GeoDataFrame, stream: IO[str]) -> None:
    """Write ``gdf`` as RFC 7946 GeoJSON to an open text stream (e.g. ``sys.stdout``).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS).
    stream : text stream
        Where to write; it is flushed, not closed.

    Raises
    ------
    ExportError
        See :func:`to_rfc7946`.

    Examples
    --------
    >>> dump_geojson(provinces, sys.stdout)  # doctest: +SKIP
    """
    json.dump(to_rfc7946(gdf), stream, ensure_ascii=False, separators=(",", ":"))
    stream.write("\n")
    stream.flush()


def write_layer(
    gdf: gpd.GeoDataFrame,
    path_or_dash: str | Path,
    *,
    layer_name: str,
    force: bool = False,
    stdout: IO[str] | None = None,
) -> Path | None:
    """Write a layer in the format its destination's extension names.

    ``.geojson`` is RFC 7946 GeoJSON, ``.gpkg`` a GeoPackage with one layer named
    ``layer_name``, ``.csv`` a table with ``lon``/``lat`` (points) or ``wkt``
    (areas); ``-`` writes GeoJSON to standard output. File writes are atomic.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS), e.g. from ``geo.views.layer_frame``.
    path_or_dash : str or Path
        Destination file or ``-``.
    layer_name : str
        The layer's name (the GeoPackage layer name).
    force : bool, default False
        Replace an existing file.
    stdout : text stream, optional
        Stream for ``-`` (default ``sys.stdout``).

    Returns
    -------
    Path or None
        The file written, or None for standard output.

    Raises
    ------
    ExportError
        Unknown extension, existing file without ``force``, missing folder, no CRS.

    Examples
    --------
    >>> write_layer(provinces, "provinces.gpkg", layer_name="provinces")  # doctest: +SKIP
    PosixPath('provinces.gpkg')
    """
    fmt = check_target(path_or_dash, force=force)
    if fmt == "stdout":
        dump_geojson(gdf, stdout if stdout is not None else sys.stdout)
        return None
    path = Path(path_or_dash)
    if fmt == "gpkg":
        return write_gpkg(gdf, path, layer_name=layer_name, force=force)
    if fmt == "csv":
        return write_csv(gdf, path, force=force)
    return write_geojson(gdf, path, force=force)


def layer_bytes(gdf: gpd.GeoDataFrame, fmt: str, *, layer_name: str) -> bytes:
    """Return a layer in one of the file formats as bytes (for the app's download buttons).

    The bytes are exactly what :func:`write_layer` writes to a file of that format.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS), e.g. from ``geo.views.layer_frame``.
    fmt : {"geojson", "gpkg", "csv"}
        The format.
    layer_name : str
        The layer's name (also the GeoPackage layer name).

    Returns
    -------
    bytes

    Raises
    ------
    ExportError
        For an unknown format, or as :func:`write_layer`.

    Examples
    --------
    >>> layer_bytes(provinces, "geojson", layer_name="provinces")[:30]  # doctest: +SKIP
    b'{"type":"FeatureCollection","b'
    """
    suffix = {name: ext for ext, name in FORMATS.items()}.get(fmt)
    if suffix is None:
        raise ExportError(f"unknown format {fmt!r}; expected one of {sorted(FORMATS.values())}")
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / f"{layer_name}{suffix}"
        write_layer(gdf, path, layer_name=layer_name)
        return path.read_bytes()
