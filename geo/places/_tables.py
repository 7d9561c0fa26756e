"""Building the gazetteer's tables: every place, and every spelling with its key.

Private to :mod:`geo.places.gazetteer`. :func:`build` turns the rows of ``data/gazetteer.csv``,
``data/aliases.csv`` and the installed district layer into one places table (districts
joined to populated places by one ``sjoin``; districts and aliases added as places) and
one spellings table (name, alternative names, alias spellings, province codes) with the
:func:`~geo.places.names.parse_name` key and kind hint of each spelling.
:func:`province_keys` maps every province spelling key to its ISO code.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from unidecode import unidecode

from geo import settings
from geo.errors import GazetteerError
from geo.places.names import normalize, parse_name


def build(
    places: pd.DataFrame,
    *,
    aliases: pd.DataFrame | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[Any, str]]:
    """Return the places table, the spellings table and province code -> name.

    Parameters
    ----------
    places : pandas.DataFrame
        The rows of ``data/gazetteer.csv`` (:func:`geo.places.files.read_gazetteer`).
    aliases : pandas.DataFrame, optional
        The rows of ``data/aliases.csv`` (:func:`geo.places.files.read_aliases`).
    districts : geopandas.GeoDataFrame, optional
        The installed district layer.

    Returns
    -------
    table : pandas.DataFrame
        Every place: the gazetteer.csv columns plus ``district``, ``district_id`` and
        ``province_name``, one row per place (row number = place number).
    names : pandas.DataFrame
        One row per (place, spelling): ``place_id``, ``spelling``, ``via`` ("name",
        "alt" or "alias"), ``place`` (row of ``table``), ``key`` and ``hint``.
    province_names : dict of str to str
        ISO code -> province name.

    Raises
    ------
    GazetteerError
        If an alias targets a place that does not exist or one place is described
        inconsistently.
    """
    base = places.assign(district=None, district_id=None)
    if districts is not None:
        base = _add_districts_of(base, districts)
    provinces = base[base["kind"] == "province"]
    province_names = dict(zip(provinces["province_code"], provinces["name"], strict=True))
    frames, spellings = [base], [_spellings(base)]
    if districts is not None:
        district_places = _district_places(districts)
        frames.append(district_places)
        spellings.append(_spellings(district_places))
    if aliases is not None and len(aliases):
        alias_places, alias_spellings = _alias_places(aliases, base)
        frames.append(alias_places)
        spellings.append(alias_spellings)
    table = pd.concat(frames, ignore_index=True)
    names = pd.concat(spellings, ignore_index=True)
    names["place"] = (
        table.reset_index().set_index("place_id")["index"].reindex(names["place_id"]).to_numpy()
    )
    table["province_name"] = table["province_code"].map(province_names)
    names = _attach_keys(names)
    if districts is not None:
        names = _merge_district_stand_ins(table, names)
    return table, names.reset_index(drop=True), province_names


def province_keys(places: pd.DataFrame, names: pd.DataFrame) -> dict[str, str]:
    """Return every spelling key of a province -> its ISO code.

    Parameters
    ----------
    places, names : pandas.DataFrame
        The tables from :func:`build`.

    Returns
    -------
    dict of str to str

    Raises
    ------
    GazetteerError
        If one key names several provinces.
    """
    rows = names[places["kind"].to_numpy()[names["place"].to_numpy()] == "province"]
    codes = places["province_code"].to_numpy()[rows["place"].to_numpy()]
    pairs = pd.DataFrame({"key": rows["key"].to_numpy(), "code": codes}).drop_duplicates()
    clash = pairs[pairs["key"].duplicated(keep=False)]
    if len(clash):
        raise GazetteerError(
            f"the spelling key {clash['key'].iloc[0]!r} names several provinces: "
            f"{sorted(clash['code'])}; fix the alternative names"
        )
    return dict(zip(pairs["key"], pairs["code"], strict=True))


def _add_districts_of(base: pd.DataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Give every place with a point the district it lies in (one sjoin)."""
    has_point = base["longitude"].notna() & (base["kind"] == "populated_place")
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(
            base.loc[has_point, "longitude"], base.loc[has_point, "latitude"]
        ),
        index=base.index[has_point],
        crs=settings.WGS84,
    )
    layer = districts[[settings.DISTRICT_ID, settings.DISTRICT_NAME, "geometry"]]
    joined = gpd.sjoin(points, layer.to_crs(settings.WGS84), predicate="intersects")
    joined = joined.sort_values(settings.DISTRICT_ID)
    joined = joined[~joined.index.duplicated(keep="first")]
    out = base.copy()
    out["district"] = joined[settings.DISTRICT_NAME].reindex(out.index).astype(object)
    out["district_id"] = joined[settings.DISTRICT_ID].reindex(out.index).astype(object)
    return out


def _district_places(districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """One place per district, at its representative point."""
    layer = districts.to_crs(settings.WGS84)
    points = shapely.point_on_surface(layer.geometry.values)
    names = layer[settings.DISTRICT_NAME].astype(str)
    # "Khost(Matun)", "Khwaja Hijran (Jilga Nahrin)": both parts are spellings.
    parts = names.str.extract(r"^(?P<outer>[^(]+?)\s*\((?P<inner>[^)]+)\)\s*$")
    alt = (parts["outer"].fillna("") + "|" + parts["inner"].fillna("")).str.strip("|")
    return pd.DataFrame(
        {
            "place_id": "district:" + layer[settings.DISTRICT_ID].astype(str),
            "name": names,
            "kind": "district",
            "province_code": layer["province_code"].astype(str),
            "longitude": np.round(shapely.get_x(points), 5),
            "latitude": np.round(shapely.get_y(points), 5),
            "location_precision": 2,
            "alt_names": alt,
            "source": "geoboundaries",
            "district": names,
            "district_id": layer[settings.DISTRICT_ID].astype(str),
        }
    ).reset_index(drop=True)


def _spellings(places: pd.DataFrame) -> pd.DataFrame:
    """One row per (place, spelling): the name, then each alternative name."""
    own = pd.DataFrame({"place_id": places["place_id"], "spelling": places["name"]})
    is_province = places["kind"] == "province"
    codes = pd.DataFrame(
        {
            "place_id": places.loc[is_province, "place_id"],
            "spelling": places.loc[is_province, "province_code"],
        }
    )
    alts = places[["place_id", "alt_names"]].assign(
        spelling=places["alt_names"].fillna("").str.split("|")
    )
    alts = alts.explode("spelling")[["place_id", "spelling"]]
    return pd.concat(
        [own.assign(via="name"), alts.assign(via="alt"), codes.assign(via="alt")],
        ignore_index=True,
    ).astype({"spelling": str})


def _alias_places(aliases: pd.DataFrame, base: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Places defined by aliases.csv, and every alias spelling (via "alias")."""
    targeted = aliases["target"] != ""
    problems = [
        f"aliases.csv, line {row['line']}, column 'target': found {row['target']!r}; expected "
        "a place_id of gazetteer.csv (e.g. 'geonames:1133616', 'province:AF-PAN')"
        for row in aliases[targeted & ~aliases["target"].isin(base["place_id"])].to_dict("records")
    ]
    known = set(base.loc[base["kind"] == "province", "province_code"])
    stranger = ~targeted & (aliases["province_code"] != "")
    stranger &= ~aliases["province_code"].isin(known)
    problems += [
        f"aliases.csv, line {row['line']}, column 'province_code': found "
        f"{row['province_code']!r}; expected one of the {len(known)} province codes of "
        "gazetteer.csv"
        for row in aliases[stranger].to_dict("records")
    ]
    defined = aliases[~targeted].copy()
    keys = ["name", "kind", "province_code"]
    described = ["longitude", "latitude", "location_precision"]
    spread = defined.groupby(keys)[described].nunique()
    problems += [
        f"aliases.csv describes {name!r} ({kind}, {code or 'no province'}) with different "
        "coordinates or precision on different rows"
        for name, kind, code in spread[(spread > 1).any(axis=1)].index
    ]
    slug = defined["name"].map(unidecode).str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True)
    prefix = np.where(defined["province_code"] != "", defined["province_code"] + ":", "")
    defined["place_id"] = "alias:" + prefix + slug.str.strip("-")
    places = defined.drop_duplicates(keys)
    clash = places["place_id"].duplicated(keep=False)
    problems += [
        f"aliases.csv, line {row['line']}: {row['name']!r} is described as two kinds in the "
        "same province; give each place its own name"
        for row in places[clash].to_dict("records")
    ]
    if problems:
        listing = "\n".join(problems)
        raise GazetteerError(f"aliases.csv: {len(problems)} problem(s); fix every one:\n{listing}")
    places = pd.DataFrame(
        {
            "place_id": places["place_id"],
            "name": places["name"],
            "kind": places["kind"],
            "province_code": places["province_code"].replace("", None),
            "longitude": pd.to_numeric(places["longitude"].replace("", np.nan)),
            "latitude": pd.to_numeric(places["latitude"].replace("", np.nan)),
            "location_precision": places["location_precision"].astype(int),
            "alt_names": "",
            "source": "alias",
            "district": None,
            "district_id": None,
        }
    ).reset_index(drop=True)
    target = aliases["target"].where(targeted, "")
    place_of = target.mask(~targeted, defined["place_id"].reindex(aliases.index))
    spellings = pd.concat(
        [
            pd.DataFrame({"place_id": place_of, "spelling": aliases["alias"]}),
            pd.DataFrame({"place_id": places["place_id"], "spelling": places["name"]}),
        ],
        ignore_index=True,
    ).assign(via="alias")
    return places, spellings


def _attach_keys(names: pd.DataFrame) -> pd.DataFrame:
    names = names[names["spelling"].str.strip() != ""]
    unique = pd.unique(names["spelling"])
    parsed = {spelling: parse_name(spelling) for spelling in unique}
    names = names.assign(
        key=names["spelling"].map(lambda s: parsed[s][0]),
        hint=names["spelling"].map(lambda s: parsed[s][1] or ""),
    )
    names = names[names["key"] != ""]
    return names.drop_duplicates(["key", "place", "via", "spelling"])


def _merge_district_stand_ins(places: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """Point the spellings of an alias of kind district at the installed district."""
    stand_in = (places["source"] == "alias") & (places["kind"] == "district")
    if not stand_in.any():
        return names
    real = places.index[places["source"] == "geoboundaries"]
    real_keys = names[names["place"].isin(real) & (names["via"] == "name")]
    real_keys = real_keys.assign(code=places.loc[real_keys["place"], "province_code"].values)
    own = places.loc[stand_in, ["name", "province_code"]]
    own = own.assign(key=own["name"].map(normalize), stand_in=own.index)
    pairs = own.merge(
        real_keys[["key", "code", "place"]],
        left_on=["key", "province_code"],
        right_on=["key", "code"],
    ).drop_duplicates("stand_in")
    mapping = dict(zip(pairs["stand_in"], pairs["place"], strict=True))
    names = names.assign(place=names["place"].replace(mapping))
    return names.drop_duplicates(["key", "place", "via", "spelling"])
