"""Gazetteer test data: tiny gazetteer.csv and aliases.csv texts, and `tiny_paths`.

The tiny places match conftest's tiny provinces and districts. Shared by
test_gazetteer and test_gazetteer_files; `tiny_paths` is registered through
``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

import pytest

HEADER = (
    "place_id,name,kind,province_code,longitude,latitude,location_precision,alt_names,"
    "source,geonameid,population,feature_class\n"
)

TINY_ROWS = """\
province:AF-PAR,Parwan,province,AF-PAR,69.5,35.5,3,Parwān,natural-earth,,,A
province:AF-PAN,Panjshir,province,AF-PAN,70.5,35.5,3,Panjsher|ولایت پنجشیر,natural-earth,,,A
province:AF-BGL,Baghlan,province,AF-BGL,71.5,35.5,3,Baglan,natural-earth,,,A
geonames:1,Panjshir,populated_place,AF-PAN,70.7,35.6,1,,geonames,1,,P
geonames:2,Fayzabad,populated_place,AF-PAN,70.2,35.2,1,Faizabad,geonames,2,900,P
geonames:3,Fayẕābād,populated_place,AF-BGL,71.2,35.2,1,Faizabad,geonames,3,,P
geonames:4,Khanabad,populated_place,AF-PAR,69.2,35.3,1,,geonames,4,,P
geonames:5,Taloqan,populated_place,AF-BGL,71.8,35.8,1,Khanabad,geonames,5,,P
geonames:6,Banū,populated_place,AF-BGL,71.3,35.7,1,Andarab,geonames,6,,P
"""

ALIAS_HEADER = "alias,name,kind,province_code,longitude,latitude,location_precision,target,note\n"

TINY_ALIASES = """\
Panjshir Valley,Panjshir Valley,valley,AF-PAN,,,3,,a valley
Andarab,Andarab,district,AF-BGL,,,2,,stand-in for the district
Andrab,Andarab,district,AF-BGL,,,2,,spelling
the north,northern Afghanistan,region,,,,4,,region
Fayzabad town,,,,,,,geonames:2,extra spelling of a listed place
"""


@pytest.fixture
def tiny_paths(write_text):
    gaz = write_text("gazetteer.csv", HEADER + TINY_ROWS)
    aliases = write_text("aliases.csv", ALIAS_HEADER + TINY_ALIASES)
    return gaz, aliases
