"""Rules about where a claim is: its point and its place name.

:func:`point_rules` checks coordinates on whole columns (an STRtree over the provinces):
in range, not swapped, inside Afghanistan, inside the stated province (within
:data:`BORDER_TOLERANCE_M`). :func:`place_rules` resolves each distinct
(``location_name``, province) pair once through the gazetteer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import boundaries, settings
from geo import gazetteer as gz
from geo.claim_formats import PlaceResolver, Problem
from geo.errors import AmbiguousPlaceError, PlaceNotFoundError

#: Points this close (metres) to their stated province are accepted as inside it:
#: Natural Earth's 1:10m borders are generalised by a few hundred metres to a few km.
BORDER_TOLERANCE_M = 3000.0


@functools.lru_cache(maxsize=4)
def _projected(geoms: tuple[shapely.Geometry, ...]) -> np.ndarray:
    series = gpd.GeoSeries(list(geoms), crs=settings.WGS84)
    return np.asarray(series.to_crs(boundaries.utm_crs()).values)


def _to_utm(points: np.ndarray) -> np.ndarray:
    return np.asarray(gpd.GeoSeries(points, crs=settings.WGS84).to_crs(boundaries.utm_crs()).values)


def _points(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(shapely.points(x, y))


def _first_hit(tree: shapely.STRtree, points: np.ndarray) -> np.ndarray:
    """Return, per point, the index of the first polygon that holds it (-1: none)."""
    which, hit = tree.query(points, predicate="intersects")
    first = np.full(len(points), -1)
    first[which[::-1]] = hit[::-1]
    return first


def point_rules(raw: pd.DataFrame, name: str, provinces: gpd.GeoDataFrame) -> list[Problem]:
    """Range, swap, outside-Afghanistan and province checks, on whole columns.

    Parameters
    ----------
    raw : pandas.DataFrame
        The events file's values as text ("" when empty), indexed by line number.
    name : str
        The file name shown in messages.
    provinces : geopandas.GeoDataFrame
        Province polygons (EPSG:4326) with ``iso_code`` and ``name``.

    Returns
    -------
    list of Problem
        ``swapped_coordinates``, ``out_of_range``, ``outside_afghanistan`` or
        ``province_mismatch``, one per failing row (two for a row with both values
        out of range). Rows without two numbers are left to the other checks.

    Examples
    --------
    >>> point_rules(raw, "events.csv", provinces)  # doctest: +SKIP
    []
    """
    lon = pd.to_numeric(raw["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(raw["latitude"], errors="coerce").to_numpy(dtype=float)
    rows = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if not len(rows):
        return []
    lon, lat = lon[rows], lat[rows]
    codes = provinces[settings.PROVINCE_CODE].to_numpy(dtype=object)
    names = dict(zip(codes, provinces[settings.PROVINCE_NAME], strict=True))
    geoms = np.asarray(provinces.geometry.values)
    tree = shapely.STRtree(geoms)
    stated = raw["province_code"].to_numpy(dtype=object)[rows]
    stated_idx = pd.Index(codes).get_indexer(stated)

    points = _points(lon, lat)
    which, hit = tree.query(points, predicate="intersects")
    first = np.full(len(rows), -1)
    first[which[::-1]] = hit[::-1]
    ok = np.zeros(len(rows), dtype=bool)
    ok[which[codes[hit] == stated[which]]] = True
    # Within the tolerance of the stated province counts as inside it (generalised borders).
    west, south, east, north = settings.AFG_BOUNDS
    lon_bad = (lon < west) | (lon > east)
    lat_bad = (lat < south) | (lat > north)
    near = np.flatnonzero(~ok & (stated_idx >= 0) & ~lon_bad & ~lat_bad)
    if len(near):
        projected = _projected(tuple(geoms))[stated_idx[near]]
        dist = shapely.distance(_to_utm(points[near]), projected)
        ok[near[dist <= BORDER_TOLERANCE_M]] = True
    swapped = _first_hit(tree, _points(lat, lon))
    lines = raw.index.to_numpy()[rows].tolist()
    lon_text = raw["longitude"].to_numpy(dtype=object)[rows].tolist()
    lat_text = raw["latitude"].to_numpy(dtype=object)[rows].tolist()
    problems: list[Problem] = []
    for i in np.flatnonzero(~ok & (first < 0)).tolist():
        pair, point = f"{lon_text[i]}, {lat_text[i]}", f"({lon[i]}, {lat[i]})"
        if swapped[i] >= 0:
            expected = (
                f"a longitude ({west} to {east}) then a latitude ({south} to {north}); "
                f"longitude and latitude look swapped: ({lat[i]}, {lon[i]}) lies in "
                f"{names[codes[swapped[i]]]}: exchange the two values"
            )
            problems.append(
                Problem(
                    name, lines[i], "longitude, latitude", pair, expected, "swapped_coordinates"
                )
            )
        elif lon_bad[i] or lat_bad[i]:
            for axis, bad, text, lo, hi in (
                ("longitude", lon_bad[i], lon_text[i], west, east),
                ("latitude", lat_bad[i], lat_text[i], south, north),
            ):
                if bad:
                    expected = (
                        f"a {axis} between {lo} and {hi} (Afghanistan); check the sign, the "
                        "decimal point and the order (longitude first)"
                    )
                    problems.append(Problem(name, lines[i], axis, text, expected, "out_of_range"))
        else:
            expected = (
                f"a point inside Afghanistan; {point} lies in no province: check the "
                "coordinates, or leave them empty and lower location_precision"
            )
            problems.append(
                Problem(
                    name, lines[i], "longitude, latitude", pair, expected, "outside_afghanistan"
                )
            )
    for i in np.flatnonzero(~ok & (first >= 0) & (stated_idx >= 0)).tolist():
        found, said = codes[first[i]], stated[i]
        expected = (
            f"{found} ({names[found]}), the province holding the point ({lon[i]}, {lat[i]}), "
            f"not {names[said]} ({said}): fix province_code or the coordinates"
        )
        problems.append(
            Problem(name, lines[i], "province_code", str(said), expected, "province_mismatch")
        )
    return problems


@functools.lru_cache(maxsize=4)
def _exact_names(gazetteer: gz.Gazetteer) -> frozenset[tuple[str, str]]:
    """Return (normalized spelling, province code or "") for every name and alt name."""
    places = gazetteer.places
    spellings = (places["name"].fillna("") + "|" + places["alt_names"].fillna("")).str.split("|")
    table = pd.DataFrame({"spelling": spellings, "code": places["province_code"].fillna("")})
    table = table.explode("spelling")
    table = table[table["spelling"].astype(str).str.strip() != ""]
    keys = table["spelling"].astype(str).map(gz.normalize)
    return frozenset(zip(keys, table["code"].astype(str), strict=True))


def place_rules(
    raw: pd.DataFrame, name: str, gazetteer: PlaceResolver, names: Mapping[str, str]
) -> list[Problem]:
    """Resolve each distinct (location_name, province) once; report the failures.

    Rows at precision 1-3 must name a place inside their province; precision 4
    (region or country) is resolved without a province. A name that matches several
    places in the province is accepted: the coordinates or the precision place it.
    With the project gazetteer, names that are exactly a place's name or alternative
    name (after :func:`geo.gazetteer.normalize`) in the province, or in no single
    province, pass without a full :meth:`~geo.gazetteer.Gazetteer.resolve`.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), indexed by line number.
    name : str
        The file name shown in messages.
    gazetteer : PlaceResolver
        Resolves ``location_name`` within the row's province.
    names : mapping of str to str
        Province code -> province name, for messages; rows whose code is not in it
        are left to the schema's ``unknown_province``.

    Returns
    -------
    list of Problem
        ``unknown_place`` or ``place_not_in_province``, one per failing row.

    Examples
    --------
    >>> place_rules(raw, "events.csv", Gazetteer.load(), {"AF-PAN": "Panjshir"})
    ... # doctest: +SKIP
    []
    """
    precision = pd.to_numeric(raw["location_precision"], errors="coerce")
    code = raw["province_code"].where(precision < 4, "")
    usable = (raw["location_name"].str.strip() != "") & ((code == "") | code.isin(list(names)))
    keys = pd.DataFrame({"place": raw["location_name"], "code": code})[usable]
    exact = _exact_names(gazetteer) if isinstance(gazetteer, gz.Gazetteer) else None
    anywhere = {key for key, _ in exact} if exact is not None else set()
    failures: dict[tuple[str, str], tuple[str, str]] = {}
    for place, province in keys.drop_duplicates().itertuples(index=False):
        key = gz.normalize(place) if exact is not None else ""
        if exact is not None and (
            (key, province) in exact or (key, "") in exact or (not province and key in anywhere)
        ):
            continue
        try:
            gazetteer.resolve(place, province=province or None)
        except AmbiguousPlaceError:
            continue
        except PlaceNotFoundError as exc:
            elsewhere = key in anywhere if exact is not None else None
            failures[(place, province)] = _place_failure(
                gazetteer, place, province, names, exc, elsewhere
            )
    problems = []
    for line, place, province in keys.itertuples():
        if (place, province) in failures:
            code_, expected = failures[(place, province)]
            problems.append(Problem(name, int(line), "location_name", place, expected, code_))
    return problems


def _known_elsewhere(gazetteer: PlaceResolver, place: str) -> bool:
    try:
        gazetteer.resolve(place, province=None)
    except AmbiguousPlaceError:
        return True
    except PlaceNotFoundError:
        return False
    return True


def _place_failure(
    gazetteer: PlaceResolver,
    place: str,
    province: str,
    names: Mapping[str, str],
    error: PlaceNotFoundError,
    elsewhere: bool | None,
) -> tuple[str, str]:
    fix = (
        "fix the spelling, add the spelling to data/aliases.csv, or name the district or "
        "province and lower location_precision"
    )
    if not province:
        return "unknown_place", f"a place name the gazetteer knows ({error}); {fix}"
    if not (_known_elsewhere(gazetteer, place) if elsewhere is None else elsewhere):
        where = f"{names[province]} ({province})"
        return "unknown_place", f"a place the gazetteer knows in {where} ({error}); {fix}"
    return "place_not_in_province", (
        f"a place in {names[province]} ({province}), the row's province ({error}); fix "
        "province_code or location_name"
    )
