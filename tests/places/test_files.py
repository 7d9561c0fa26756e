"""Tests for geo/gazetteer_files.py: reading and checking data/gazetteer.csv and aliases.csv."""

from __future__ import annotations

import pytest

from geo.errors import GazetteerError
from geo.places.files import read_aliases, read_gazetteer
from geo.places.gazetteer import Gazetteer
from tests.helpers_gazetteer import ALIAS_HEADER, HEADER, TINY_ROWS


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
