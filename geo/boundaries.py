"""Province and district boundaries: loading, installing districts, display simplification.

Provinces ship with the repository (``data/provinces.geojson``, built by
``scripts/build_provinces.py``). Districts are geoBoundaries' ADM2 release, which the
project may not commit: :func:`install_districts` copies it from a local mirror or
downloads it, verifies it, cleans the names, gives each district a stable id and its
province, and writes it to an ignored folder (``data/districts/`` in a writable
checkout, else the per-user folder; see :mod:`geo.settings`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo import _files, settings
from geo._files import atomic_write
from geo.errors import BoundaryError, ChecksumMismatchError, DistrictsNotInstalledError

#: Districts whose largest overlap with the Natural Earth provinces is not their
#: province (keyed on geoBoundaries ``shapeID``; the name is checked too).
PROVINCE_OVERRIDES: dict[str, tuple[str, str]] = {
    "17698898B88117199286775": ("Jaghatu", "AF-WAR"),  # 51 % in Ghazni by overlap
    "17698898B48544319080592": ("Mosa Khail", "AF-KHO"),  # 52 % in Paktia by overlap
}
#: Below this share of its area inside one province a district is "borderline" and
#: reported by the install; each one must be an override or checked by hand.
BORDERLINE_SHARE = 0.6
#: Borderline districts whose largest overlap was checked and is right.
CHECKED_BORDERLINE: dict[str, tuple[str, str]] = {
    "17698898B2431624392014": ("Chimtal", "AF-BAL"),
}


def equal_area_crs() -> pyproj.CRS:
    """Return the equal-area CRS used for areas and overlaps in Afghanistan."""
    return pyproj.CRS.from_proj4(settings.EQUAL_AREA_PROJ)


@functools.cache
def utm_crs() -> pyproj.CRS:
    """Return the UTM zone pyproj picks for Afghanistan, for distances and buffers.

    Asked of pyproj's database once per process (about 40 ms a query).

    Examples
    --------
    >>> utm_crs().to_epsg()
    32642
    """
    west, south, east, north = settings.AFG_BOUNDS
    infos = pyproj.database.query_utm_crs_info(
        datum_name="WGS 84",
        area_of_interest=pyproj.aoi.AreaOfInterest(west, south, east, north),
    )
    centre = (west + east) / 2
    # The zone whose central meridian lies nearest the country's centre.
    zones = [(i.code, i.area_of_use) for i in infos if i.area_of_use is not None]
    code, _ = min(zones, key=lambda z: abs((z[1].west + z[1].east) / 2 - centre))
    return pyproj.CRS.from_epsg(int(code))


def _read_layer(path: Path, what: str) -> gpd.GeoDataFrame:
    if not path.exists():
        raise BoundaryError(f"{what} file not found: {path}")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types; name the file either way
        raise BoundaryError(f"cannot read {what} file {path}: {exc}") from exc
    if gdf.crs is None:
        raise BoundaryError(f"{what} file {path} has no CRS; expected {settings.WGS84}")
    return gdf.to_crs(settings.WGS84)


def load_provinces(path: Path = settings.PROVINCES_PATH) -> gpd.GeoDataFrame:
    """Read the 34 provinces.

    Parameters
    ----------
    path : Path
        A GeoJSON file with ``province_code``, ``name``, ``name_alt`` and ``name_fa``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per province in EPSG:4326, sorted by ISO code.

    Raises
    ------
    BoundaryError
        If the file is missing, unreadable, has no CRS or lacks a property.

    Examples
    --------
    >>> load_provinces().set_index("province_code").loc["AF-PAN", "name"]
    'Panjshir'
    """
    gdf = _read_layer(path, "provinces")
    needed = [settings.PROVINCE_CODE, settings.PROVINCE_NAME, settings.PROVINCE_ALT]
    missing = [c for c in needed if c not in gdf.columns]
    if missing:
        raise BoundaryError(f"provinces file {path} lacks properties {missing}")
    return gdf.sort_values(settings.PROVINCE_CODE).reset_index(drop=True)


def load_neighbours(path: Path = settings.NEIGHBOURS_PATH) -> gpd.GeoDataFrame:
    """Read the outlines of neighbouring countries (offline basemap)."""
    return _read_layer(path, "neighbours")


def districts_installed(path: Path = settings.DISTRICTS_PATH) -> bool:
    """Return whether the optional district layer is installed at ``path``."""
    return path.exists()


def installed_districts(path: Path | str = settings.DISTRICTS_PATH) -> gpd.GeoDataFrame | None:
    """Return the installed districts, or None when they are not (they are optional)."""
    return load_districts(Path(path)) if districts_installed(Path(path)) else None


def load_districts(path: Path = settings.DISTRICTS_PATH) -> gpd.GeoDataFrame:
    """Read the installed districts.

    Returns
    -------
    geopandas.GeoDataFrame
        ``district_id``, ``name``, ``province_code``, ``shape_id``, ``province_share``.

    Raises
    ------
    DistrictsNotInstalledError
        If the layer is not installed; the message says how to install it.
    """
    if not path.exists():
        raise DistrictsNotInstalledError(
            f"the district layer is not installed ({path} is missing); "
            "run `armap districts install` (or `make districts`)"
        )
    return _read_layer(path, "districts")


def clean_name(name: str) -> str:
    r"""Normalise a district name: Unicode NFC, no newlines, single spaces.

    Examples
    --------
    >>> clean_name(" Zanda  Jan\n")
    'Zanda Jan'
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def assign_provinces(districts: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each district the province holding the largest share of its area.

    Areas are computed in an equal-area CRS. Known exceptions
    (:data:`PROVINCE_OVERRIDES`) replace the overlap result.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        With ``shape_id`` and geometry.
    provinces : geopandas.GeoDataFrame
        With ``province_code`` and geometry.

    Returns
    -------
    geopandas.GeoDataFrame
        ``districts`` with ``province_code`` and ``province_share`` (0-1) added.
    """
    crs = equal_area_crs()
    d = districts.to_crs(crs)
    p = provinces.to_crs(crs)
    pairs = gpd.sjoin(d[["geometry"]], p[[settings.PROVINCE_CODE, "geometry"]], "inner")
    right = p.geometry.values[pairs["index_right"].to_numpy()]
    overlap = shapely.area(shapely.intersection(pairs.geometry.values, right))
    pairs = pairs.assign(share=overlap / shapely.area(pairs.geometry.values))
    best = pairs.sort_values("share", ascending=False).groupby(level=0).head(1)
    out = districts.copy()
    out["province_code"] = best[settings.PROVINCE_CODE].reindex(out.index)
    out["province_share"] = best["share"].reindex(out.index).round(4)
    for shape_id, (name, code) in PROVINCE_OVERRIDES.items():
        hit = out["shape_id"] == shape_id
        if hit.any() and (out.loc[hit, "name"] == name).all():
            out.loc[hit, "province_code"] = code
    return out


def prepare_districts(raw: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Turn a geoBoundaries ADM2 layer into the project's district layer.

    Parameters
    ----------
    raw : geopandas.GeoDataFrame
        geoBoundaries features with ``shapeName`` and ``shapeID``.
    provinces : geopandas.GeoDataFrame
        The province polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        ``district_id`` (``AF-PAN-bazarak``: province code and name slug, stable for
        a release), ``name`` (cleaned), ``name_raw``, ``shape_id``, ``province_code``,
        ``province_share`` and geometry, in EPSG:4326.

    Raises
    ------
    BoundaryError
        If a column is missing or a geometry is invalid.
    """
    missing = {"shapeName", "shapeID"} - set(raw.columns)
    if missing:
        raise BoundaryError(f"district layer lacks properties {sorted(missing)}")
    invalid = ~raw.geometry.is_valid
    if invalid.any():
        names = raw.loc[invalid, "shapeName"].tolist()[:5]
        raise BoundaryError(f"{int(invalid.sum())} invalid district geometries, e.g. {names}")
    gdf = gpd.GeoDataFrame(
        {
            "name": raw["shapeName"].map(clean_name),
            "name_raw": raw["shapeName"],
            "shape_id": raw["shapeID"],
        },
        geometry=raw.geometry.values,
        crs=raw.crs,
    ).to_crs(settings.WGS84)
    gdf = assign_provinces(gdf, provinces)
    base = gdf["province_code"] + "-" + gdf["name"].map(_slug)
    rank = base.groupby(base).cumcount()
    gdf[settings.DISTRICT_ID] = np.where(rank == 0, base, base + "-" + (rank + 1).astype(str))
    cols = [settings.DISTRICT_ID, "name", "name_raw", "shape_id", "province_code"]
    return gdf[[*cols, "province_share", "geometry"]].sort_values(settings.DISTRICT_ID)


def borderline_districts(districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """List districts with less than 60 % of their area in their assigned province."""
    low = districts[districts["province_share"] < BORDERLINE_SHARE]
    return pd.DataFrame(low.drop(columns="geometry")).reset_index(drop=True)


def _download(api_url: str, dest: Path) -> Path:
    try:
        with urllib.request.urlopen(api_url, timeout=30) as resp:
            meta = json.load(resp)
        file_url = meta["simplifiedGeometryGeoJSON"]
        with urllib.request.urlopen(file_url, timeout=120) as resp, dest.open("wb") as fh:
            fh.write(resp.read())
    except (OSError, KeyError, ValueError) as exc:
        raise BoundaryError(
            f"could not download the district layer via {api_url}: {exc}; on a machine "
            "without internet use `districts install --from PATH`"
        ) from exc
    return dest


def _write_geojson(gdf: gpd.GeoDataFrame, dest: Path) -> None:
    """Write a layer as RFC 7946 GeoJSON with GDAL's driver (pyogrio), atomically."""
    import io

    import pyogrio

    buffer = io.BytesIO()
    pyogrio.write_dataframe(
        gdf, buffer, driver="GeoJSON", layer_options={"RFC7946": "YES", "WRITE_BBOX": "YES"}
    )
    with atomic_write(dest, force=True, mode="wb") as fh:
        fh.write(buffer.getvalue())


def install_districts(
    source: Path | None = None,
    *,
    download: bool = False,
    api_url: str = settings.GEOBOUNDARIES_API,
    dest: Path = settings.DISTRICTS_PATH,
    provinces_path: Path = settings.PROVINCES_PATH,
    verify: bool = True,
) -> dict[str, Any]:
    """Install geoBoundaries' districts where the readers look for them.

    The default destination, ``settings.DISTRICTS_PATH``, is ``data/districts/`` (never
    committed) in a writable checkout, else ``districts/`` in the per-user folder
    (``$ARMAP_HOME`` or platformdirs' ``user_data_dir("armap")``); see
    :mod:`geo.settings`.

    Parameters
    ----------
    source : Path, optional
        The geoBoundaries GeoJSON, or a folder holding it. Defaults to
        ``settings.SHARED_BOUNDARIES_DIR``: the local mirror ``../shared/boundaries``
        beside a checkout, ``boundaries/`` in the per-user folder for a wheel.
    download : bool, default False
        Fetch the release named by ``api_url`` instead of reading ``source``.
    api_url : str
        geoBoundaries API entry (any URL urllib opens, ``file://`` included).
    dest : Path
        Where the prepared layer goes (a ``manifest.json`` is written beside it).
    provinces_path : Path
        Province polygons used to assign districts to provinces.
    verify : bool, default True
        Check the file's sha256 and feature count against the expected release.

    Returns
    -------
    dict
        The manifest: source, sha256, feature count, borderline districts.

    Raises
    ------
    BoundaryError
        If no source is found, the download fails or the layer is malformed.
    ChecksumMismatchError
        If ``verify`` and the file is not the expected release.

    Examples
    --------
    >>> install_districts(Path("../shared/boundaries"))["features"]  # doctest: +SKIP
    398
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if download:
        path = _download(api_url, dest.parent / settings.GEOBOUNDARIES_FILE)
    else:
        path = Path(source) if source is not None else settings.SHARED_BOUNDARIES_DIR
        if path.is_dir():
            path = path / settings.GEOBOUNDARIES_FILE
        if not path.exists():
            raise BoundaryError(
                f"no district file at {path}; give the geoBoundaries AFG ADM2 GeoJSON "
                "with --from PATH, or use --download on a machine with internet"
            )
        _files.check_file(path, what="district file", error=BoundaryError)  # no FIFO, device
    digest = sha256_of(path)
    if verify and digest != settings.GEOBOUNDARIES_SHA256:
        raise ChecksumMismatchError(
            f"{path} has sha256 {digest}, expected {settings.GEOBOUNDARIES_SHA256} "
            f"(geoBoundaries {settings.GEOBOUNDARIES_BOUNDARY_ID}); "
            "pass --no-verify to install another release anyway"
        )
    raw = _read_layer(path, "districts")
    if verify and len(raw) != settings.GEOBOUNDARIES_FEATURES:
        raise ChecksumMismatchError(
            f"{path} has {len(raw)} districts, expected {settings.GEOBOUNDARIES_FEATURES}"
        )
    districts = prepare_districts(raw, load_provinces(provinces_path))
    _write_geojson(districts, dest)
    manifest = {
        "source": str(path),
        "sha256": digest,
        "release": settings.GEOBOUNDARIES_BOUNDARY_ID,
        "features": len(districts),
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "borderline": borderline_districts(districts).to_dict(orient="records"),
        "overrides": {k: v[1] for k, v in PROVINCE_OVERRIDES.items()},
        "attribution": "Administrative boundaries courtesy of geoBoundaries.org",
    }
    with atomic_write(dest.parent / "manifest.json", force=True) as fh:
        json.dump(manifest, fh, indent=2)
    return manifest


def simplify_for_display(gdf: gpd.GeoDataFrame, tolerance: float = 0.005) -> gpd.GeoDataFrame:
    """Simplify polygons for the map, keeping shared borders shared.

    Uses ``shapely.coverage_simplify``, which simplifies each shared edge once, so
    neighbouring polygons neither overlap nor open gaps.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A polygon coverage in EPSG:4326.
    tolerance : float, default 0.005
        In degrees (about 500 m).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with simplified geometry.
    """
    out = gdf.copy()
    out["geometry"] = shapely.coverage_simplify(gdf.geometry.values, tolerance)
    return out
