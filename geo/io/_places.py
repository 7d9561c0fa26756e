"""Place resolution for imports: province, district and place names, and point checks.

An import names places the way its source does (ACLED ``admin1``/``admin2``/
``location``, UCDP GED ``adm_1``/``adm_2``/``where_coordinates``). :func:`locate`
resolves each distinct name once through the gazetteer, checks every point against
the province named (:func:`geo.places.locate_points`, the rule validation uses), and
keeps coordinates only for an exact place; for anything vaguer the
source's point goes into ``location_basis``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.errors import AmbiguousPlaceError, PlaceNotFoundError
from geo.io._columns import flag, text, when
from geo.places import locate_points


class Resolver(Protocol):
    """What an import needs of a gazetteer (``geo.places.Gazetteer`` has it)."""

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Any:
        """Return the place; raise PlaceNotFoundError or AmbiguousPlaceError."""
        ...

    def province_code(self, name_or_code: str) -> str:
        """Return the ISO code of a province named in any spelling."""
        ...


def _per_unique(keys: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """Apply ``fn`` once per distinct key (gazetteer look-ups) and map back."""
    results = {key: fn(key) for key in keys.drop_duplicates()}
    return keys.map(results)


def _province_of(gazetteer: Resolver, name: str) -> str:
    if not name:
        return ""
    try:
        return gazetteer.province_code(name)
    except (PlaceNotFoundError, AmbiguousPlaceError):
        return ""


def _district_of(gazetteer: Resolver, key: str) -> str:
    """Return the district a name refers to in a province ("" when none)."""
    name, _, code = key.partition("\x1f")
    if not name or not code:
        return ""
    try:
        place = gazetteer.resolve(f"{name} district", province=code)
    except (PlaceNotFoundError, AmbiguousPlaceError):
        return ""
    if place.kind != "district" or place.province_code != code:
        return ""
    return str(place.district or place.name)


def _known_in(gazetteer: Resolver, key: str) -> bool:
    """Whether validation accepts ``name`` as a location_name in that province."""
    name, _, code = key.partition("\x1f")
    if not name:
        return False
    try:
        gazetteer.resolve(name, province=code or None)
    except AmbiguousPlaceError:
        return True
    except PlaceNotFoundError:
        return False
    return True


def _check_points(
    norm: pd.DataFrame, codes: pd.Series, provinces: gpd.GeoDataFrame, reasons: pd.Series
) -> pd.Series:
    """Check each point against its named province (or Afghanistan); return reasons.

    The rule is validation's own (:func:`geo.places.locate_points`): a point on a border
    lies in both provinces, and within the border tolerance of the named one counts.
    """
    idx = norm.index
    decimal = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
    given = (norm["lon_text"] != "") | (norm["lat_text"] != "")
    number = norm["lon_text"].str.fullmatch(decimal) & norm["lat_text"].str.fullmatch(decimal)
    pair = text("(lat {y}, lon {x})", idx, y=norm["lat_text"], x=norm["lon_text"])
    reasons = flag(reasons, given & ~number, "latitude/longitude " + pair + " are not two numbers")
    names = provinces.set_index(settings.PROVINCE_CODE)[settings.PROVINCE_NAME]
    lon = pd.to_numeric(norm["lon_text"].where(number), errors="coerce")
    lat = pd.to_numeric(norm["lat_text"].where(number), errors="coerce")
    check = locate_points(lon, lat, provinces, stated=codes.to_numpy(dtype=object))
    found = pd.Series(check.found, index=idx)
    found_swapped = pd.Series(check.swapped, index=idx)
    ok = number & pd.Series(check.inside, index=idx)
    swapped = number & ~ok & (found == "") & (found_swapped != "")
    outside = number & ~ok & (found == "") & ~swapped
    elsewhere = number & ~ok & (found != "")
    reasons = flag(
        reasons,
        swapped,
        text(
            "latitude and longitude look swapped: {pair} lies outside Afghanistan, but "
            "exchanged it falls in {name} ({code}); correct the file and import it again",
            idx,
            pair=pair,
            name=found_swapped.map(names).fillna(""),
            code=found_swapped,
        ),
    )
    reasons = flag(reasons, outside, "coordinates " + pair + " are outside Afghanistan")
    return flag(
        reasons,
        elsewhere,
        text(
            "coordinates {pair} fall in {name} ({found}), not in the province named, "
            "'{admin1}' ({code})",
            idx,
            pair=pair,
            name=found.map(names).fillna(""),
            found=found,
            admin1=norm["admin1"],
            code=codes,
        ),
    )


def locate(
    norm: pd.DataFrame,
    reasons: pd.Series,
    *,
    label: str,
    admin2_column: str,
    provinces: gpd.GeoDataFrame,
    gazetteer: Resolver,
) -> tuple[pd.DataFrame, pd.Series]:
    """Resolve province, district and place names; keep coordinates only when exact.

    Parameters
    ----------
    norm : pandas.DataFrame
        Normalized rows (``acled.convert_rows`` / ``ucdp.convert_rows``), indexed by
        input line.
    reasons : pandas.Series
        The rejection reasons so far, one per row.
    label : str
        The source's short name in texts ("ACLED", "UCDP").
    admin2_column : str
        The source's district column, named in ``location_basis``.
    provinces : geopandas.GeoDataFrame
        Province polygons (EPSG:4326).
    gazetteer : Resolver
        Resolves province, district and place names.

    Returns
    -------
    located : pandas.DataFrame
        ``location_name``, ``province_code``, ``district``, ``longitude``,
        ``latitude``, ``location_precision`` and ``location_basis`` as text.
    reasons : pandas.Series
        ``reasons`` with the place and point problems added.

    Examples
    --------
    >>> located, reasons = locate(norm, reasons, label="ACLED", admin2_column="admin2",
    ...                           provinces=p, gazetteer=g)  # doctest: +SKIP
    """
    idx = norm.index
    precision = norm["precision"]
    reasons = flag(
        reasons,
        norm["country"].str.casefold() != "afghanistan",
        text("country is '{c}', not Afghanistan: this project maps Afghanistan only", idx,
              c=norm["country"]),
    )  # fmt: skip
    codes = _per_unique(norm["admin1"], functools.partial(_province_of, gazetteer))
    reasons = flag(
        reasons,
        (codes == "") & (norm["admin1"] != ""),
        text("province '{p}' is not one of the 34 provinces (in any spelling the gazetteer "
              "knows)", idx, p=norm["admin1"]),
    )  # fmt: skip
    reasons = flag(
        reasons,
        (norm["admin1"] == "") & (precision < 4),
        "the province is empty, but the place is below country level",
    )
    reasons = flag(
        reasons,
        (precision == 1) & (norm["lon_text"] == "") & (norm["lat_text"] == ""),
        "no coordinates for an exact place",
    )
    reasons = _check_points(norm, codes, provinces, reasons)

    province = codes.map(provinces.set_index(settings.PROVINCE_CODE)[settings.PROVINCE_NAME])
    province = province.fillna("").astype(object)
    district = _per_unique(
        norm["admin2"] + "\x1f" + codes, functools.partial(_district_of, gazetteer)
    ).astype(object)
    known = _per_unique(norm["place"] + "\x1f" + codes, functools.partial(_known_in, gazetteer))
    known_anywhere = _per_unique(norm["place"] + "\x1f", functools.partial(_known_in, gazetteer))
    # Precision 2 needs a district; without one the province is all that is known.
    demoted = (precision == 2) & (district == "")
    level = precision.where(~demoted, 3)
    exact, in_district, in_province, vague = (level == n for n in (1, 2, 3, 4))

    name = when(
        known.astype(bool), norm["place"], when(district != "", district, province, idx), idx
    )
    name = when(in_province, province, name, idx)
    name = when(
        vague, when(known_anywhere.astype(bool), norm["place"], "Afghanistan", idx), name, idx
    )
    renamed = when(
        (exact | in_district) & ~known.astype(bool) & (norm["place"] != ""),
        text("; the gazetteer does not know '{p}', so the row is named by its {unit}", idx,
              p=norm["place"], unit=when(district != "", "district", "province", idx)),
        "",
        idx,
    )  # fmt: skip
    point = when(
        (norm["lat_text"] != "") | (norm["lon_text"] != ""),
        text("{src}'s point (lat {y}, lon {x}) is kept here only, not as an exact place", idx,
              src=label, y=norm["lat_text"], x=norm["lon_text"]),
        f"{label} gives no point",
        idx,
    )  # fmt: skip
    detail = np.select(
        [exact, demoted, in_district, in_province],
        [
            f"; coordinates as given by {label}",
            text("; {col} '{a2}' is not a district the gazetteer knows in {prov}, so only the "
                  "province is used; {point}", idx, col=admin2_column, a2=norm["admin2"],
                  prov=province, point=point),
            text("; district {d} from {col}; {point}", idx, d=district, col=admin2_column,
                  point=point),
            "; only the province is known; " + point,
        ],
        "; not placed in one province; " + point,
    )  # fmt: skip
    basis = text("{why}: '{place}'{renamed}", idx, why=norm["precision_basis"],
                  place=norm["place"], renamed=renamed) + detail  # fmt: skip
    located = pd.DataFrame(
        {
            "location_name": name,
            "province_code": when(vague, "", codes, idx),
            "district": when(exact | in_district, district, "", idx),
            "longitude": when(exact, norm["lon_text"], "", idx),
            "latitude": when(exact, norm["lat_text"], "", idx),
            "location_precision": level.astype("Int64").astype(str).replace("<NA>", ""),
            "location_basis": basis,
        },
        index=idx,
    )
    return located, reasons
