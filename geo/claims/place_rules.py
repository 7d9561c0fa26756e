"""Rules about where a claim is: its point and its place name.

:func:`point_rules` turns :func:`geo.places.locate_points` (the project's one rule for
"this point lies in that province", shared with the importers) into problems: out of
range, swapped, outside Afghanistan, outside the stated province. :func:`place_rules`
resolves each distinct (``location_name``, province) pair once through the gazetteer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.claims.formats import DECIMAL_PATTERN as DECIMAL
from geo.claims.formats import Parsed, PlaceResolver, blank
from geo.errors import AmbiguousPlaceError, PlaceNotFoundError, Problem
from geo.places import Gazetteer, locate_points, normalize


def point_rules(
    raw: pd.DataFrame, name: str, provinces: gpd.GeoDataFrame, *, parsed: Parsed | None = None
) -> list[Problem]:
    """Range, swap, outside-Afghanistan and province checks, on whole columns.

    Parameters
    ----------
    raw : pandas.DataFrame
        The events file's values as text ("" when empty), indexed by line number.
    name : str
        The file name shown in messages.
    provinces : geopandas.GeoDataFrame
        Province polygons (EPSG:4326) with ``province_code`` and ``name``.
    parsed : Parsed, optional
        ``raw``'s columns parsed once, shared with the other checks.

    Returns
    -------
    list of Problem
        ``swapped_coordinates``, ``out_of_range``, ``outside_afghanistan`` or
        ``province_mismatch``, one per failing row (two for a row with both values
        out of range). Rows without two numbers are left to the other checks, and
        rows whose province code is unknown to the schema's ``unknown_province``.

    Examples
    --------
    >>> point_rules(raw, "events.csv", provinces)  # doctest: +SKIP
    []
    """
    parsed = Parsed(raw) if parsed is None else parsed
    numeric = parsed.matches("longitude", DECIMAL) & parsed.matches("latitude", DECIMAL)
    lon = parsed.numbers("longitude").where(numeric)
    lat = parsed.numbers("latitude").where(numeric)
    check = locate_points(lon, lat, provinces, stated=raw["province_code"].to_numpy(dtype=object))
    codes = provinces[settings.PROVINCE_CODE].to_numpy(dtype=object)
    names = dict(zip(codes, provinces[settings.PROVINCE_NAME], strict=True))
    known = raw["province_code"].isin(list(codes)).to_numpy()
    west, south, east, north = settings.AFG_BOUNDS
    lines = raw.index.to_numpy()
    lon_text, lat_text = raw["longitude"].to_numpy(), raw["latitude"].to_numpy()
    x, y = lon.to_numpy(), lat.to_numpy()
    problems: list[Problem] = []
    for i in np.flatnonzero(check.valid & ~check.inside & (check.found == "")).tolist():
        line, pair = int(lines[i]), f"{lon_text[i]}, {lat_text[i]}"
        if check.swapped[i]:
            expected = (
                f"a longitude ({west} to {east}) then a latitude ({south} to {north}); "
                f"longitude and latitude look swapped: ({y[i]}, {x[i]}) lies in "
                f"{names[check.swapped[i]]}: exchange the two values"
            )
            problems.append(
                Problem(name, line, "longitude, latitude", pair, expected, "swapped_coordinates")
            )
        elif check.lon_out[i] or check.lat_out[i]:
            for axis, bad, text, lo, hi in (
                ("longitude", check.lon_out[i], lon_text[i], west, east),
                ("latitude", check.lat_out[i], lat_text[i], south, north),
            ):
                if bad:
                    expected = (
                        f"a {axis} between {lo} and {hi} (Afghanistan); check the sign, the "
                        "decimal point and the order (longitude first)"
                    )
                    problems.append(Problem(name, line, axis, text, expected, "out_of_range"))
        else:
            expected = (
                f"a point inside Afghanistan; ({x[i]}, {y[i]}) lies in no province: check the "
                "coordinates, or leave them empty and lower location_precision"
            )
            problems.append(
                Problem(name, line, "longitude, latitude", pair, expected, "outside_afghanistan")
            )
    for i in np.flatnonzero(check.valid & ~check.inside & (check.found != "") & known).tolist():
        found, said = check.found[i], raw["province_code"].iloc[i]
        expected = (
            f"{found} ({names[found]}), the province holding the point ({x[i]}, {y[i]}), "
            f"not {names[said]} ({said}): fix province_code or the coordinates"
        )
        problems.append(
            Problem(name, int(lines[i]), "province_code", str(said), expected, "province_mismatch")
        )
    return problems


@functools.lru_cache(maxsize=4)
def _exact_names(gazetteer: Gazetteer) -> frozenset[tuple[str, str]]:
    """Return (normalized spelling, province code or "") for every name and alt name."""
    places = gazetteer.places
    spellings = (places["name"].fillna("") + "|" + places["alt_names"].fillna("")).str.split("|")
    table = pd.DataFrame({"spelling": spellings, "code": places["province_code"].fillna("")})
    table = table.explode("spelling")
    table = table[table["spelling"].astype(str).str.strip() != ""]
    keys = table["spelling"].astype(str).map(normalize)
    return frozenset(zip(keys, table["code"].astype(str), strict=True))


def place_rules(
    raw: pd.DataFrame,
    name: str,
    gazetteer: PlaceResolver,
    names: Mapping[str, str],
    *,
    parsed: Parsed | None = None,
) -> list[Problem]:
    """Resolve each distinct (location_name, province) once; report the failures.

    Rows at precision 1-3 must name a place inside their province; precision 4
    (region or country) is resolved without a province. A name that matches several
    places in the province is accepted: the coordinates or the precision place it.
    With the project gazetteer, names that are exactly a place's name or alternative
    name (after :func:`geo.places.normalize`) in the province, or in no single
    province, pass without a full :meth:`~geo.places.Gazetteer.resolve`.

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
    parsed : Parsed, optional
        ``raw``'s columns parsed once, shared with the other checks.

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
    precision = (Parsed(raw) if parsed is None else parsed).numbers("location_precision")
    code = raw["province_code"].where(precision < 4, "")
    usable = ~blank(raw["location_name"]) & ((code == "") | code.isin(list(names)))
    keys = pd.DataFrame({"place": raw["location_name"], "code": code})[usable]
    exact = _exact_names(gazetteer) if isinstance(gazetteer, Gazetteer) else None
    anywhere = {key for key, _ in exact} if exact is not None else set()
    failures: dict[tuple[str, str], tuple[str, str]] = {}
    for place, province in keys.drop_duplicates().itertuples(index=False):
        key = normalize(place) if exact is not None else ""
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
    if not failures:
        return []
    failed = pd.MultiIndex.from_tuples(list(failures), names=["place", "code"])
    hit = keys[pd.MultiIndex.from_frame(keys).isin(failed)]
    problems = []
    for line, place, province in hit.itertuples():
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
