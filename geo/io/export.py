"""Write layers out of the program: RFC 7946 GeoJSON, GeoPackage, CSV (atomic writes).

Everything leaving the program is EPSG:4326 longitude/latitude with outer rings
counter-clockwise and holes clockwise, coordinates rounded to 6 decimals, a ``bbox``
and no ``crs`` member (RFC 7946 sections 3.1.6, 4, 5 and 11.2). GeoPackage and CSV
carry the same features and properties, with list-valued properties (``sources``,
``actors``) as JSON strings and dates as ISO ``YYYY-MM-DD`` strings; except that the
``events`` layer as CSV is an events file in the claims format (exactly
``settings.EVENT_COLUMNS``, one coordinate pair ``longitude``/``latitude``), which
``armap validate`` accepts and the app loads back unchanged.

:func:`write_layer` picks the format from the file's extension (``-`` is GeoJSON on
standard output). Every file write goes to a temporary file in the destination's
folder and is moved into place with ``os.replace`` only when it is complete, so a
failed or interrupted export never leaves a truncated file and never damages the
file it would have replaced.

This module holds the other formats and the dispatcher; RFC 7946 GeoJSON itself lives
in :mod:`geo.io.geojson`, atomic writes in :mod:`geo._files` and the CSV rules
(formula escaping, quoting) in :mod:`geo._csv`.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import pandas as pd

from geo import _csv, _files, settings
from geo._files import atomic_write
from geo.claims import events_to_csv_frame
from geo.errors import ExportError
from geo.io.geojson import geojson_bytes, write_geojson
from geo.io.metadata import layer_metadata, metadata_bytes, sidecar_path
from geo.io.table import csv_frame, to_table

#: Output formats by file extension; ``-`` means GeoJSON on standard output.
OUTPUT_FORMATS: dict[str, str] = {".geojson": "geojson", ".gpkg": "gpkg", ".csv": "csv"}
STDOUT = "-"
#: The layer whose CSV is a claims file (the columns of ``settings.EVENT_COLUMNS``).
CLAIMS_CSV_LAYER = "events"


def output_format(path_or_dash: str | Path) -> str:
    """Return the format an output path asks for: geojson, gpkg, csv or stdout.

    Parameters
    ----------
    path_or_dash : str or Path
        A file name (its extension picks the format, case-insensitive) or ``-``.

    Returns
    -------
    str
        ``"stdout"`` for ``-``, otherwise a value of :data:`OUTPUT_FORMATS`.

    Raises
    ------
    ExportError
        For an extension that is not in :data:`OUTPUT_FORMATS`; the message lists them.

    Examples
    --------
    >>> output_format("out/provinces.GPKG"), output_format("-")
    ('gpkg', 'stdout')
    """
    if str(path_or_dash) == STDOUT:
        return "stdout"
    suffix = Path(path_or_dash).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        allowed = ", ".join(OUTPUT_FORMATS)
        found = f"'{suffix}'" if suffix else "no extension"
        raise ExportError(
            f"cannot tell the output format of {path_or_dash}: {found}; "
            f"use one of {allowed}, or - for GeoJSON on standard output"
        )
    return OUTPUT_FORMATS[suffix]


def check_target(path_or_dash: str | Path, *, force: bool = False, sidecar: bool = False) -> str:
    """Check an output target before any work: known format, folder exists, no clobbering.

    Parameters
    ----------
    path_or_dash : str or Path
        Destination file, or ``-`` for standard output.
    force : bool, default False
        Whether an existing file may be replaced.
    sidecar : bool, default False
        Whether a CSV's metadata file (``geo.io.sidecar_path``) is written too; it is
        checked the same way.

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
    if str(path_or_dash) != STDOUT and Path(path_or_dash).is_dir():
        raise ExportError(f"cannot write {path_or_dash}: it is a folder")
    fmt = output_format(path_or_dash)
    if fmt == "stdout":
        return fmt
    _files.check_destination(Path(path_or_dash), force=force)
    if sidecar and fmt == "csv":
        _files.check_destination(sidecar_path(path_or_dash), force=force)
    return fmt


def csv_table(gdf: gpd.GeoDataFrame, *, layer_name: str = "") -> pd.DataFrame:
    """Return the table a CSV export of a layer writes.

    The ``events`` layer (:data:`CLAIMS_CSV_LAYER`) is written as an events file in
    the claims format (:func:`geo.claims.events_to_csv_frame`: exactly
    ``settings.EVENT_COLUMNS``, coordinates as ``longitude``/``latitude``), so it
    validates and loads back unchanged; any other layer as :func:`csv_frame`.

    Raises
    ------
    ExportError
        If an ``events`` layer lacks a claims column, or as :func:`csv_frame`.

    Examples
    --------
    >>> list(csv_table(events, layer_name="events").columns[:2])  # doctest: +SKIP
    ['event_id', 'date_start']
    """
    if layer_name != CLAIMS_CSV_LAYER:
        return csv_frame(gdf)
    missing = [c for c in settings.EVENT_COLUMNS if c not in gdf.columns]
    if missing:
        raise ExportError(
            f"the events layer is written as a claims CSV, but it lacks the columns {missing}; "
            "give the frame of geo.views.layer_frame('events', ...)"
        )
    return events_to_csv_frame(gdf)


def write_csv(
    gdf: gpd.GeoDataFrame, path: Path, *, force: bool = False, layer_name: str = ""
) -> Path:
    """Write ``gdf`` as CSV, atomically: the table of :func:`csv_table`.

    The ``events`` layer is a claims file. Any other layer: its properties, then
    ``lon`` and ``lat`` columns when its geometries are all points, a ``wkt`` column
    otherwise (WGS84, 6 decimals); list values are JSON strings, dates
    ``YYYY-MM-DD``; a feature without geometry has empty cells.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS).
    path : Path
        Destination file.
    force : bool, default False
        Replace an existing file.
    layer_name : str, optional
        The layer's name; ``"events"`` writes the claims format.

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
    frame = csv_table(gdf, layer_name=layer_name)
    with atomic_write(path, force=force) as fh:
        _csv.write_frame(fh, frame)
    return path


def write_gpkg(
    gdf: gpd.GeoDataFrame,
    path: Path,
    *,
    layer_name: str,
    force: bool = False,
    metadata: dict[str, Any] | None = None,
) -> Path:
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
    metadata : dict, optional
        Written as the layer's metadata (``gpkg_metadata``; ``pyogrio.read_info``
        returns it as ``layer_metadata``): text values, objects as JSON.

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
    _files.clean_stale_parts(path.parent)
    tmp_dir = _files.part_path(path)
    keep = _files.file_mode(path)
    try:
        tmp_dir.mkdir()
        tmp = tmp_dir / path.name
        try:
            pyogrio.write_dataframe(
                table, tmp, layer=layer_name, driver="GPKG", layer_metadata=_gpkg(metadata)
            )
        except pyogrio.errors.DataSourceError as exc:
            raise ExportError(f"cannot write GeoPackage {path}: {exc}") from exc
        if keep is not None:
            os.chmod(tmp, keep)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write GeoPackage {path}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def _gpkg(metadata: dict[str, Any] | None) -> dict[str, str] | None:
    return None if metadata is None else layer_metadata(metadata)


def dump_geojson(
    gdf: gpd.GeoDataFrame, stream: IO[str], *, metadata: dict[str, Any] | None = None
) -> None:
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
    stream.write(geojson_bytes(gdf, metadata=metadata).decode("utf-8"))
    stream.flush()


def write_layer(
    gdf: gpd.GeoDataFrame,
    path_or_dash: str | Path,
    *,
    layer_name: str,
    force: bool = False,
    stdout: IO[str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Path | None:
    """Write a layer in the format its destination's extension names.

    ``.geojson`` is RFC 7946 GeoJSON, ``.gpkg`` a GeoPackage with one layer named
    ``layer_name``, ``.csv`` the table of :func:`csv_table` (the ``events`` layer as
    a claims file; others with ``lon``/``lat`` for points or ``wkt`` for areas);
    ``-`` writes GeoJSON to standard output. File writes are atomic. ``metadata``
    (``geo.io.export_metadata``) goes where each format keeps it: GeoJSON's top-level
    ``metadata`` member, the GeoPackage layer's metadata, a CSV's sidecar
    ``<file>.json`` (written after the CSV; both are checked before).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS), e.g. from ``geo.views.layer_frame``.
    path_or_dash : str or Path
        Destination file or ``-``.
    layer_name : str
        The layer's name (the GeoPackage layer name; ``"events"`` as CSV is a
        claims file).
    force : bool, default False
        Replace an existing file.
    stdout : text stream, optional
        Stream for ``-`` (default ``sys.stdout``).
    metadata : dict, optional
        What the file says about itself.

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
    fmt = check_target(path_or_dash, force=force, sidecar=metadata is not None)
    if fmt == "stdout":
        dump_geojson(gdf, stdout if stdout is not None else sys.stdout, metadata=metadata)
        return None
    path = Path(path_or_dash)
    if fmt == "gpkg":
        return write_gpkg(gdf, path, layer_name=layer_name, force=force, metadata=metadata)
    if fmt == "csv":
        write_csv(gdf, path, force=force, layer_name=layer_name)
        if metadata is not None:
            with atomic_write(sidecar_path(path), force=force, mode="wb") as fh:
                fh.write(metadata_bytes(metadata))
        return path
    return write_geojson(gdf, path, force=force, metadata=metadata)


def layer_bytes(
    gdf: gpd.GeoDataFrame, fmt: str, *, layer_name: str, metadata: dict[str, Any] | None = None
) -> bytes:
    """Return a layer in one of the file formats as bytes (for the app's download buttons).

    Built in memory. GeoJSON and CSV are exactly what :func:`write_layer` writes to a
    file of that format; a GeoPackage has the same layer, features and properties.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer (any CRS), e.g. from ``geo.views.layer_frame``.
    fmt : {"geojson", "gpkg", "csv"}
        The format.
    layer_name : str
        The layer's name (also the GeoPackage layer name; ``"events"`` as CSV is a
        claims file).
    metadata : dict, optional
        GeoJSON's ``metadata`` member or the GeoPackage layer's metadata; ignored for
        CSV (its sidecar is ``geo.io.metadata_bytes``).

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
    suffix = {name: ext for ext, name in OUTPUT_FORMATS.items()}.get(fmt)
    if suffix is None:
        allowed = sorted(OUTPUT_FORMATS.values())
        raise ExportError(f"unknown format {fmt!r}; expected one of {allowed}")
    if fmt == "geojson":
        return geojson_bytes(gdf, metadata=metadata)
    if fmt == "csv":
        return _csv.frame_bytes(csv_table(gdf, layer_name=layer_name))
    import pyogrio

    buffer = io.BytesIO()
    pyogrio.write_dataframe(
        to_table(gdf), buffer, layer=layer_name, driver="GPKG", layer_metadata=_gpkg(metadata)
    )
    return buffer.getvalue()
