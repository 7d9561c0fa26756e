"""Tests for geo/gazetteer.py: tie rules, fuzzy matching, aliases, districts, `cli.py geocode`.

The private helpers geo/_matching.py and geo/_gazetteer_tables.py are covered here;
normalize is in test_placenames, the file checks in test_gazetteer_files.
"""

from __future__ import annotations

import importlib.util
import json

import geopandas as gpd
import pandas as pd
import pytest

from armap import cli
from geo import settings
from geo.errors import AmbiguousPlaceError, GazetteerError, PlaceNotFoundError
from geo.places.gazetteer import (
    FUZZY_CUTOFF,
    Gazetteer,
    read_aliases,
    read_gazetteer,
)
from tests.helpers_gazetteer import ALIAS_HEADER, HEADER, TINY_ROWS

NO_DISTRICTS = settings.DATA_DIR / "no-such-dir" / "districts.geojson"
MAZAR = "geonames:1133616"


@pytest.fixture
def tiny(tiny_paths, tmp_path) -> Gazetteer:
    gaz, aliases = tiny_paths
    return Gazetteer.load(gaz, aliases_path=aliases, districts_path=tmp_path / "none.geojson")


@pytest.fixture
def tiny_with_districts(tiny_paths, tiny_districts) -> Gazetteer:
    gaz, aliases = tiny_paths
    layer = tiny_districts.copy()
    layer.loc[layer[settings.DISTRICT_ID] == "AF-BGL-west", "name"] = "Andarab"
    return Gazetteer(read_gazetteer(gaz), aliases=read_aliases(aliases), districts=layer)


# --- tie rules (tiny data) ----------------------------------------------------------
def test_same_name_in_two_provinces_is_ambiguous(tiny):
    with pytest.raises(AmbiguousPlaceError, match=r"'Fayzabad' matches 2 places") as info:
        tiny.resolve("Fayzabad")
    found = [(p.kind, p.province_code) for p in info.value.candidates]
    assert found == [("populated_place", "AF-BGL"), ("populated_place", "AF-PAN")]


@pytest.mark.parametrize(
    ("province", "code"), [("AF-PAN", "AF-PAN"), ("Baglan", "AF-BGL"), ("bgl", "AF-BGL")]
)
def test_province_context_picks_one(tiny, province, code):
    place = tiny.resolve("Faizabad", province=province)
    assert (place.kind, place.province_code, place.score) == ("populated_place", code, 100.0)


def test_province_beats_its_town_of_the_same_name(tiny):
    match = tiny.match("Panjsher")
    assert (match.place.kind, match.place.province_code) == ("province", "AF-PAN")
    assert match.rule.startswith("larger unit in one province")
    assert [(p.kind, p.name) for p in match.others] == [("populated_place", "Panjshir")]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Panjshir town", "populated_place"), ("Panjshir city", "populated_place")],
)
def test_kind_word_picks_the_kind(tiny, name, kind):
    match = tiny.match(name)
    assert match.place.kind == kind
    assert "kind word" in match.rule


def test_kind_word_without_such_a_place_is_ignored_and_said(tiny):
    match = tiny.match("Khanabad district")
    assert match.place.kind == "populated_place"
    assert "no district of that name" in match.rule


def test_own_name_beats_another_places_alternative_name(tiny):
    match = tiny.match("Khanabad")
    assert (match.place.name, match.place.province_code) == ("Khanabad", "AF-PAR")
    assert "own name" in match.rule
    assert [p.name for p in match.others] == ["Taloqan"]


def test_alias_beats_an_alternative_name(tiny):
    match = tiny.match("Andarab")
    assert (match.place.kind, match.place.source, match.place.province_code) == (
        "district",
        "alias",
        "AF-BGL",
    )
    assert match.place.longitude is None and match.place.latitude is None
    assert match.place.location_precision == 2
    assert [p.name for p in match.others] == ["Banū"]


def test_alias_with_target_adds_a_spelling(tiny):
    place = tiny.resolve("Fayzabad town")
    assert (place.place_id, place.matched, place.source) == (
        "geonames:2",
        "Fayzabad town",
        "geonames",
    )


def test_region_passes_any_province_context(tiny):
    place = tiny.resolve("the north", province="AF-PAN")
    assert (place.kind, place.province_code, place.location_precision) == ("region", None, 4)


def test_place_outside_the_given_province(tiny):
    with pytest.raises(
        PlaceNotFoundError,
        match=r"'Khanabad' is not in AF-PAN \(Panjshir\); places of that name are in "
        r"AF-BGL, AF-PAR",
    ):
        tiny.resolve("Khanabad", province="AF-PAN")


def test_candidates_lists_exact_matches_in_rule_order(tiny):
    assert [p.province_code for p in tiny.candidates("Fayzabad")] == ["AF-BGL", "AF-PAN"]
    assert len(tiny.candidates("Fayzabad", limit=1)) == 1
    assert [p.kind for p in tiny.candidates("Panjshir")] == ["province", "populated_place"]
    assert tiny.candidates("Fayzabad", province="AF-PAR") == []


# --- fuzzy --------------------------------------------------------------------------
def test_fuzzy_match_reports_its_score(tiny):
    match = tiny.match("Talqan")
    assert match.place.name == "Taloqan"
    assert FUZZY_CUTOFF <= match.place.score < 100.0
    assert match.rule.startswith(f"fuzzy match (score {match.place.score:.1f})")


def test_fuzzy_can_be_switched_off(tiny):
    with pytest.raises(
        PlaceNotFoundError, match=r"no place matches 'Talqan'; did you mean: Taloqan"
    ):
        tiny.resolve("Talqan", fuzzy=False)


def test_unknown_name_without_suggestions(tiny):
    with pytest.raises(PlaceNotFoundError, match=r"no place matches 'Xq', and no name is similar"):
        tiny.resolve("Xq")


def test_short_query_is_not_matched_to_a_longer_name(tiny):
    with pytest.raises(PlaceNotFoundError, match=r"did you mean: Parwan"):
        tiny.resolve("Parw")


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("   ", PlaceNotFoundError, "empty place name"),
        (None, TypeError, "a place name must be a str, not NoneType"),
    ],
)
def test_bad_names(tiny, name, error, message):
    with pytest.raises(error, match=message):
        tiny.resolve(name)


# --- province_code ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AF-PAN", "AF-PAN"),
        ("af-pan", "AF-PAN"),
        ("PAN", "AF-PAN"),
        ("Panjsher", "AF-PAN"),
        ("Panjshir province", "AF-PAN"),
        ("ولایت پنجشیر", "AF-PAN"),
        ("Baglan", "AF-BGL"),
    ],
)
def test_province_code_accepts_codes_and_spellings(tiny, text, code):
    assert tiny.province_code(text) == code


def test_province_code_rejects_a_valley_and_suggests(tiny):
    with pytest.raises(
        PlaceNotFoundError,
        match=r"unknown province 'Panjshir Valley'; did you mean Panjshir \(AF-PAN\)",
    ):
        tiny.province_code("Panjshir Valley")


def test_unknown_province_context(tiny):
    with pytest.raises(PlaceNotFoundError, match=r"unknown province 'Narnia'"):
        tiny.resolve("Khanabad", province="Narnia")


# --- districts (tiny layer built in code) -------------------------------------------
def test_without_districts_places_have_no_district(tiny):
    assert not tiny.districts_installed
    place = tiny.resolve("Banu")
    assert (place.district, place.district_id) == (None, None)


def test_populated_places_get_their_district_by_spatial_join(tiny_with_districts):
    assert tiny_with_districts.districts_installed
    banu = tiny_with_districts.resolve("Banu")
    assert (banu.district, banu.district_id) == ("Andarab", "AF-BGL-west")
    town = tiny_with_districts.resolve("Panjshir town")
    assert (town.district, town.district_id) == ("Panjshir East", "AF-PAN-east")


def test_installed_district_replaces_its_alias_stand_in(tiny_with_districts):
    for name in ("Andarab", "Andrab"):
        place = tiny_with_districts.resolve(name)
        assert (place.kind, place.source, place.district_id) == (
            "district",
            "geoboundaries",
            "AF-BGL-west",
        )
        assert place.location_precision == 2
        assert place.matched == name


def test_district_beats_its_town_within_a_province(tiny_paths, tiny_districts):
    gaz, _ = tiny_paths
    layer = tiny_districts.copy()
    layer.loc[layer[settings.DISTRICT_ID] == "AF-PAN-west", "name"] = "Fayzabad"
    g = Gazetteer(read_gazetteer(gaz), districts=layer)
    match = g.match("Fayzabad", province="AF-PAN")
    assert (match.place.kind, match.place.place_id) == ("district", "district:AF-PAN-west")
    assert match.rule.startswith("larger unit in one province")
    assert [(p.kind, p.district) for p in match.others] == [("populated_place", "Fayzabad")]
    assert g.resolve("Fayzabad town", province="AF-PAN").kind == "populated_place"


def test_district_name_with_parentheses_gives_two_spellings(tiny_paths, tiny_districts):
    gaz, _ = tiny_paths
    layer = tiny_districts.copy()
    layer.loc[layer[settings.DISTRICT_ID] == "AF-PAR-west", "name"] = "Khost(Matun)"
    g = Gazetteer(read_gazetteer(gaz), districts=layer)
    assert g.resolve("Matun").district_id == "AF-PAR-west"
    assert g.resolve("Khost Matun").district_id == "AF-PAR-west"


def test_load_with_a_missing_district_file_works(tiny_paths, tmp_path):
    gaz, _ = tiny_paths
    g = Gazetteer.load(gaz, aliases_path=None, districts_path=tmp_path / "nope.geojson")
    assert not g.districts_installed
    with pytest.raises(PlaceNotFoundError, match=r"no place matches 'Panjshir Valley'"):
        g.resolve("Panjshir Valley", fuzzy=False)


# --- table checks -------------------------------------------------------------------
def test_alias_place_described_twice_differently(write_text, tiny_paths):
    gaz, _ = tiny_paths
    rows = "A,Vale,valley,AF-PAN,,,3,,\nB,Vale,valley,AF-PAN,,,2,,\n"
    aliases = write_text("bad_aliases.csv", ALIAS_HEADER + rows)
    with pytest.raises(GazetteerError, match=r"describes 'Vale' \(valley, AF-PAN\) with different"):
        Gazetteer.load(gaz, aliases_path=aliases, districts_path=None)


def test_spelling_shared_by_two_provinces_is_refused(write_text):
    text = HEADER + TINY_ROWS.replace("Parwān", "Baglan")
    with pytest.raises(GazetteerError, match=r"'baglan' names several provinces"):
        Gazetteer(read_gazetteer(write_text("gazetteer.csv", text)))


# --- real data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> Gazetteer:
    return Gazetteer.load(districts_path=NO_DISTRICTS)


@pytest.mark.realdata
def test_real_gazetteer_counts(real):
    kinds = real.places["kind"].value_counts().to_dict()
    assert kinds["province"] == 34
    assert kinds["populated_place"] == 319
    assert (real.places["source"] != "geoboundaries").all()  # districts come only when installed


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Panjsher", "AF-PAN"),
        ("Hirat", "AF-HER"),
        ("Hilmand", "AF-HEL"),
        ("Jowzjan", "AF-JOW"),
        ("Sar-e Pol", "AF-SAR"),
        ("Sari Pul", "AF-SAR"),
        ("Sar-e-Pul", "AF-SAR"),
        ("Urozgan", "AF-URU"),
        ("Nimruz", "AF-NIM"),
        ("Nimroz", "AF-NIM"),
        ("Paktya", "AF-PIA"),
        ("Paktia", "AF-PIA"),
        ("Paktika", "AF-PKA"),
        ("Maidan Wardak", "AF-WAR"),
        ("Wardak", "AF-WAR"),
        ("Daikundi", "AF-DAY"),
        ("Daykundi", "AF-DAY"),
    ],
)
def test_real_variant_spellings_resolve(real, spelling, code):
    assert real.province_code(spelling) == code
    place = real.resolve(spelling)
    assert (place.kind, place.province_code) == ("province", code)


@pytest.mark.realdata
def test_province_code_of_every_province_by_name_code_and_alternative(real, provinces):
    for row in provinces.itertuples():
        spellings = [
            row.name,
            row.province_code,
            row.name_fa,
            *filter(None, row.name_alt.split("|")),
        ]
        for spelling in spellings:
            assert real.province_code(spelling) == row.province_code, spelling


@pytest.mark.realdata
@pytest.mark.parametrize(
    "spelling",
    ["Mazar-e-Sharif", "Mazar-i-Sharif", "Mazar-e Sharif", "Mazari Sharif", "Mazar", "مزار شریف"],
)
def test_mazar_spellings_resolve_to_the_geonames_city(real, spelling):
    place = real.resolve(spelling)
    assert (place.place_id, place.kind, place.province_code) == (MAZAR, "populated_place", "AF-BAL")
    assert place.location_precision == 1 and place.longitude is not None


@pytest.mark.realdata
def test_real_fayzabad_is_ambiguous_without_province(real):
    with pytest.raises(AmbiguousPlaceError, match=r"'Fayzabad' matches 3 places") as info:
        real.resolve("Fayzabad")
    assert {(p.kind, p.province_code) for p in info.value.candidates} == {
        ("populated_place", "AF-BDS"),
        ("populated_place", "AF-FYB"),
        ("populated_place", "AF-JOW"),
    }


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("province", "code"),
    [("Badakhshan", "AF-BDS"), ("Faryab", "AF-FYB"), ("Jowzjan", "AF-JOW"), ("AF-JOW", "AF-JOW")],
)
def test_real_fayzabad_with_province(real, province, code):
    place = real.resolve("Feyzabad", province=province)
    assert (place.kind, place.province_code) == ("populated_place", code)


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["Kabul", "Herat", "Ghazni", "Kunduz"])
def test_real_bare_province_name_is_the_province_with_the_city_set_aside(real, name):
    match = real.match(name)
    assert match.place.kind == "province"
    assert "populated_place" in [p.kind for p in match.others]
    assert real.resolve(f"{name} city").kind == "populated_place"


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "kind", "code", "precision"),
    [
        ("Panjshir Valley", "valley", "AF-PAN", 3),
        ("Andarab", "district", "AF-BGL", 2),
        ("Andrab", "district", "AF-BGL", 2),
        ("Andarab district", "district", "AF-BGL", 2),
        ("Andarab valley", "valley", "AF-BGL", 2),
        ("north of Kabul", "region", "AF-KAB", 3),
        ("northern Afghanistan", "region", None, 4),
        ("the north", "region", None, 4),
        ("Afghanistan", "country", None, 4),
    ],
)
def test_real_aliases_have_no_invented_point(real, name, kind, code, precision):
    place = real.resolve(name)
    assert (place.kind, place.province_code, place.location_precision) == (kind, code, precision)
    assert (place.longitude, place.latitude, place.source) == (None, None, "alias")


@pytest.mark.realdata
def test_real_remote_panjshir_valleys_is_a_fuzzy_panjshir_match(real):
    place = real.resolve("remote Panjshir valleys")
    assert (place.kind, place.province_code) == ("valley", "AF-PAN")
    assert FUZZY_CUTOFF <= place.score < 100.0


@pytest.mark.realdata
def test_every_place_name_of_the_claims_files_resolves(real):
    for path in (settings.EVENTS_PATH, settings.PRESENCE_PATH):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        pairs = rows[["location_name", "province_code"]].drop_duplicates()
        for name, code in pairs.itertuples(index=False):
            place = real.resolve(name, province=code or None)
            assert place.province_code == (code or None), (path.name, name)


# --- the build script ---------------------------------------------------------------
def _build_module():
    path = settings.ROOT / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.realdata
def test_committed_gazetteer_is_the_build_output(capsys):
    build = _build_module()
    text = build.to_csv_text(build.build())
    assert settings.GAZETTEER_PATH.read_text(encoding="utf-8") == text
    assert "admin1 agrees with the spatial join for all 319 places" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Faizābād", True),
        ("فیض آباد", True),
        ("faizabada", False),  # machine transliteration
        ("FBD", False),  # airport code
        ("Файзабад", False),  # Cyrillic
        ("'Ali Khel", True),
    ],
)
def test_build_keeps_latin_names_and_arabic_script(text, kept):
    assert _build_module().keep_alt_name(text) is kept


# --- real districts (skipped when the layer is not installed) -----------------------
@pytest.mark.realdata
@pytest.mark.districts
def test_real_andarab_is_the_installed_district(districts):
    g = Gazetteer(read_gazetteer(), aliases=read_aliases(), districts=districts)
    place = g.resolve("Andarab")
    assert (place.kind, place.province_code, place.source) == (
        "district",
        "AF-BGL",
        "geoboundaries",
    )
    assert (place.district, place.district_id) == ("Andarab", "AF-BGL-andarab")
    mazar = g.resolve("Mazar-e-Sharif")
    assert (mazar.kind, mazar.district, mazar.district_id) == (
        "populated_place",
        "Mazari Sharif",
        "AF-BAL-mazari-sharif",
    )
    with pytest.raises(AmbiguousPlaceError, match=r"'Fayzabad' matches 5 places"):
        g.resolve("Fayzabad")


@pytest.mark.realdata
@pytest.mark.districts
def test_committed_files_hold_no_district_ids(districts):
    gazetteer = settings.GAZETTEER_PATH.read_text(encoding="utf-8")
    text = gazetteer + settings.ALIASES_PATH.read_text(encoding="utf-8")
    assert [i for i in districts[settings.DISTRICT_ID] if i in text] == []
    assert "district:" not in gazetteer and "geoboundaries" not in gazetteer


# --- CLI ----------------------------------------------------------------------------
@pytest.mark.realdata
def test_cli_geocode_prints_the_place(capsys):
    assert cli.main(["geocode", "Mazar-i-Sharif", "--no-districts"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Mazār-e Sharīf\n")
    for text in (
        "kind:       populated_place",
        "province:   AF-BAL (Balkh)",
        "district:   unknown (district layer not installed)",
        "lon/lat:    67.11087, 36.70904 (exact point)",
        "precision:  1 (exact place)",
        "match:      exact, score 100.0, matched 'Mazar-i-Sharif'",
        "source:     geonames (geonames:1133616)",
    ):
        assert text in out


@pytest.mark.realdata
def test_cli_geocode_shows_the_places_set_aside(capsys):
    assert cli.main(["geocode", "Kabul", "--no-districts"]) == 0
    out = capsys.readouterr().out
    assert "kind:       province" in out
    assert "rule:       larger unit in one province" in out
    assert "also matches" in out and "populated_place  Kabul" in out


@pytest.mark.realdata
def test_cli_geocode_ambiguous_lists_candidates_and_exits_1(capsys):
    assert cli.main(["geocode", "Fayzabad", "--no-districts"]) == 1
    captured = capsys.readouterr()
    assert "error: 'Fayzabad' matches 3 places" in captured.err
    assert "candidates" in captured.out
    assert all(code in captured.out for code in ("AF-BDS", "AF-FYB", "AF-JOW"))


@pytest.mark.realdata
def test_cli_geocode_with_province(capsys):
    assert cli.main(["geocode", "Fayzabad", "--province", "Badakhshan", "--no-districts"]) == 0
    assert "province:   AF-BDS (Badakhshan)" in capsys.readouterr().out


@pytest.mark.realdata
def test_cli_geocode_not_found_suggests_and_exits_1(capsys):
    assert cli.main(["geocode", "Panjshar", "Vally", "--no-fuzzy", "--no-districts"]) == 1
    assert "did you mean: Panjshir Valley" in capsys.readouterr().err


@pytest.mark.realdata
def test_cli_geocode_json(capsys):
    assert cli.main(["geocode", "Badakshan", "--json", "--no-districts"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["name"], out["kind"], out["province_code"]) == ("Badakhshan", "province", "AF-BDS")
    assert out["score"] < 100 and out["districts_installed"] is False
    assert out["rule"].startswith("fuzzy match")


@pytest.mark.realdata
def test_cli_geocode_json_ambiguous(capsys):
    assert cli.main(["geocode", "Fayzabad", "--json", "--no-districts"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "ambiguous" and len(out["candidates"]) == 3


@pytest.mark.realdata
@pytest.mark.districts
def test_cli_geocode_with_districts_shows_the_district(districts, capsys):
    assert cli.main(["geocode", "Mazar-e-Sharif"]) == 0
    assert "district:   Mazari Sharif (AF-BAL-mazari-sharif)" in capsys.readouterr().out


def test_cli_geocode_help(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["geocode", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--province P" in out and "--json" in out and "ambiguous" in out


def test_cli_geocode_needs_a_name(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["geocode"])
    assert info.value.code == 2
    assert "NAME" in capsys.readouterr().err


# --- districts in any CRS -----------------------------------------------------------
def test_geodataframe_districts_are_accepted_in_any_crs(tiny_paths, tiny_districts):
    gaz, _ = tiny_paths
    layer: gpd.GeoDataFrame = tiny_districts.to_crs(3857)
    g = Gazetteer(read_gazetteer(gaz), districts=layer)
    assert g.resolve("Banu").district_id == "AF-BGL-west"
