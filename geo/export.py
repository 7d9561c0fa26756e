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
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.errors import ExportError

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


def to_rfc7946(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return ``gdf`` as an RFC 7946 FeatureCollection dict.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any CRS; it is transformed to EPSG:4326. Non-geometry columns become
        properties (timestamps as ISO dates, missing values as ``null``).

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
    records = props.to_dict(orient="records")
    features = [
        {
            "type": "Feature",
            "properties": {k: _json_value(v) for k, v in rec.items()},
            "geometry": _geometry_dict(geom),
        }
        for rec, geom in zip(records, geoms, strict=True)
    ]
    present = geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)]
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if len(present):
        bounds = shapely.total_bounds(present)
        collection["bbox"] = [round(float(b), COORD_DECIMALS) for b in bounds]
    collection["features"] = features
    return collection


@contextmanager
def atomic_write(path: Path, *, force: bool = False, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it into place only on success.

    Parameters
    ----------
    path : Path
        Final destination.
    force : bool, default False
        Replace an existing ``path``; without it an existing file is an error.
    mode : {"w", "wb"}
        Text (UTF-8) or binary.

    Raises
    ------
    ExportError
        If ``path`` exists and ``force`` is false, or its folder does not exist.

    Examples
    --------
    >>> with atomic_write(Path("out.geojson"), force=True) as fh:  # doctest: +SKIP
    ...     fh.write("{}")
    """
    path = Path(path)
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; pass force=True (CLI: --force) to replace it")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """Keep an existing file's mode; a new file gets 0o666 less the umask."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, *, force: bool = False) -> Path:
    """Write ``gdf`` as RFC 7946 GeoJSON, atomically.

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
        See :func:`to_rfc7946` and :func:`atomic_write`.
    """
    collection = to_rfc7946(gdf)
    with atomic_write(path, force=force) as fh:
        json.dump(collection, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    return path


# --- other formats and the dispatcher ---------------------------------------------
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
