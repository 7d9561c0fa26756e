"""Tests for geo/gazetteer_files.py: reading and checking data/gazetteer.csv and aliases.csv."""

from __future__ import annotations

import pytest

from geo.errors import GazetteerError
from geo.places.files import read_aliases, read_gazetteer
from geo.places.gazetteer import Gazetteer
from tests.helpers_gazetteer import ALIAS_HEADER, HEADER, TINY_ALIASES, TINY_ROWS


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "X,X,valey,AF-PAN,,,3,,",
            r"aliases.csv, line 2, column 'kind': found 'valey'; expected one of",
        ),
        (
            "X,X,valley,AF-PAN,,,5,,",
            r"column 'location_precision': found '5'; expected 1, 2, 3 or 4",
        ),
        ("X,X,valley,Panjshir,,,3,,", r"column 'province_code': found 'Panjshir'"),
        (
            "X,X,valley,AF-PAN,70.1,,3,,",
            r"column 'latitude': found ''; expected longitude and latitude both",
        ),
        (
            "X,X,valley,AF-PAN,10.0,35.0,3,,",
            r"column 'longitude': found '10.0'; expected empty or a longitude between "
            r"60.4 and 75.0",
        ),
        ("X,X,region,,,,3,,", r"column 'province_code': found ''; expected a province code unless"),
        ("X,,,,,,,geonames:999,", r"column 'target': found 'geonames:999'; expected a place_id"),
        (
            "X,,valley,,,,,geonames:2,",
            r"column 'kind': found 'valley'; expected empty: the target describes it",
        ),
        (",X,valley,AF-PAN,,,3,,", r"column 'alias': found ''; expected a spelling"),
        (
            "X,X,valley,AF-XXX,,,3,,",
            r"line 2, column 'province_code': found 'AF-XXX'; expected one of the 3 province codes",
        ),
    ],
)
def test_bad_alias_rows_are_named(write_text, tiny_paths, row, message):
    gaz, _ = tiny_paths
    aliases = write_text("bad_aliases.csv", ALIAS_HEADER + row + "\n")
    with pytest.raises(GazetteerError, match=message):
        Gazetteer.load(gaz, aliases_path=aliases, districts_path=None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + TINY_ROWS + "geonames:1,Dup,populated_place,AF-PAN,70.1,35.1,1,,geonames,1,,P\n",
         r"column 'place_id': found 'geonames:1'; expected a unique place_id"),
        (HEADER + "geonames:9,X,populated_place,AF-PAN,70.1,35.1,1,,osm,9,,P\n",
         r"line 2, column 'source': found 'osm'; expected one of"),
        ("place_id,name\nx,y\n", r"lacks columns \['kind'"),
    ],
)  # fmt: skip
def test_bad_gazetteer_files_are_named(write_text, text, message):
    with pytest.raises(GazetteerError, match=message):
        read_gazetteer(write_text("gazetteer.csv", text))


def test_missing_gazetteer_says_how_to_build_it(tmp_path):
    with pytest.raises(GazetteerError, match=r"run `python scripts/build_gazetteer.py`"):
        Gazetteer.load(tmp_path / "gazetteer.csv", aliases_path=None, districts_path=None)


# --- real data ----------------------------------------------------------------------
@pytest.mark.realdata
def test_real_aliases_file_has_no_coordinates():
    aliases = read_aliases()
    assert (aliases["longitude"] == "").all() and (aliases["latitude"] == "").all()
    assert {"note"} <= set(aliases.columns) and (aliases["note"] != "").all()


# --- every bad row, at its real line ------------------------------------------------------
def test_every_bad_gazetteer_row_is_reported_not_only_the_first(write_text):
    rows = (
        TINY_ROWS
        + 'geonames:7,"Two\nlines",populated_place,AF-PAN,70.1,35.1,1,,geonames,7,,P\n'
        + "geonames:8,X,hamlet,AF-PAN,70.1,35.1,1,,geonames,8,,P\n"
        + "geonames:9,Y,populated_place,AF-PAN,inf,35.1,1,,osm,9,,P\n"
        + "geonames:10,Z,populated_place,AF-PAN,٧٠,35.1,1,,geonames,10,,P\n"
        + "geonames:11,W,populated_place,AF-PAN\n"
    )
    with pytest.raises(GazetteerError) as err:
        read_gazetteer(write_text("gazetteer.csv", HEADER + rows))
    assert str(err.value).splitlines() == [
        "gazetteer file gazetteer.csv: 5 problem(s); fix every one:",
        "gazetteer.csv, line 13, column 'kind': found 'hamlet'; expected one of ('country', "
        "'region', 'province', 'district', 'valley', 'populated_place')",  # after line 11-12
        "gazetteer.csv, line 14, column 'longitude': found 'inf'; expected empty or a longitude "
        "between 60.4 and 75.0",
        "gazetteer.csv, line 14, column 'source': found 'osm'; expected one of ('natural-earth', "
        "'geonames', 'geoboundaries', 'alias')",
        "gazetteer.csv, line 15, column 'longitude': found '٧٠'; expected empty or a longitude "
        "between 60.4 and 75.0",
        "gazetteer.csv, line 16: 4 fields; expected 12, one per header column (quote values that "
        'contain commas: "a, b")',
    ]


def test_every_bad_alias_row_is_reported(write_text, tiny_paths):
    gaz, _ = tiny_paths
    rows = "X,,,,,,,geonames:998,\nY,,,,,,,geonames:999,\nZ,Z,valley,AF-XXX,,,3,,\n"
    aliases = write_text("aliases.csv", ALIAS_HEADER + TINY_ALIASES + rows)
    with pytest.raises(GazetteerError) as err:
        Gazetteer.load(gaz, aliases_path=aliases, districts_path=None)
    assert str(err.value).splitlines() == [
        "aliases.csv: 3 problem(s); fix every one:",
        "aliases.csv, line 7, column 'target': found 'geonames:998'; expected a place_id of "
        "gazetteer.csv (e.g. 'geonames:1133616', 'province:AF-PAN')",
        "aliases.csv, line 8, column 'target': found 'geonames:999'; expected a place_id of "
        "gazetteer.csv (e.g. 'geonames:1133616', 'province:AF-PAN')",
        "aliases.csv, line 9, column 'province_code': found 'AF-XXX'; expected one of the 3 "
        "province codes of gazetteer.csv",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"alias,name\n\xe9\n", r"aliases\.csv is not valid UTF-8: byte 0xe9 at byte offset 11"),
        (b'alias,name\n"open,x\n', r"aliases\.csv, line 2: the CSV cannot be parsed"),
        (b"\xef\xbb\xbfalias\n", r"aliases\.csv starts with a UTF-8 byte-order mark"),
    ],
)
def test_unreadable_gazetteer_files_are_gazetteer_errors(tmp_path, data, message):
    path = tmp_path / "aliases.csv"
    path.write_bytes(data)
    with pytest.raises(GazetteerError, match=message):
        read_aliases(path)
    path.unlink()
    path.mkdir()
    with pytest.raises(GazetteerError, match=r"cannot read aliases file .*: it is a folder"):
        read_aliases(path)
