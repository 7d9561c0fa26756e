"""Map-layer test data: tiny events and presence, `_frame`, the real `map_data`, and
`template_files` (the map fixtures with jinja2 syntax in every free text; used by
test_render and test_app).

Events are read from CSV text built here, validated against the tiny 1-degree
provinces of conftest (Parwan 69-70 E, Panjshir 70-71 E, Baghlan 71-72 E; 35-36 N).
Shared by test_layer_frames, test_breaks, test_tables, test_mapdata and test_export;
the fixtures are registered through ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import _csv, claims, settings, views

HEADER = ",".join(settings.EVENT_COLUMNS)
PRESENCE_HEADER = ",".join(settings.PRESENCE_COLUMNS)
SOURCES = '"[{""file"": ""t.txt"", ""outlet"": ""Wire"", ""title"": ""T"", ""quote"": ""q""}]"'


def _event(
    eid: str,
    start: str,
    *,
    end: str = "",
    precision_date: str = "day",
    kind: str = "clash",
    status: str = "claimed",
    code: str = "AF-PAN",
    district: str = "",
    lon: str = "",
    lat: str = "",
    precision: int = 3,
    fatalities: str = "",
    actor1: str = "NRF",
    notes: str = "",
) -> str:
    by = "NRF" if fatalities else ""
    place = "Somewhere" if precision != 4 else "Afghanistan"
    code = code if precision != 4 else ""
    return (
        f"{eid},{start},{end},{precision_date},basis,{kind},{actor1},Taliban,NRF,{status},"
        f"{place},{code},{district},{lon},{lat},{precision},basis,{fatalities},{by},"
        f'"{notes}",{SOURCES}'
    )


@pytest.fixture
def events(tiny_provinces) -> gpd.GeoDataFrame:
    rows = [
        _event("e1", "2022-01-10", lon="70.5", lat="35.5", precision=1, fatalities="3"),
        _event("e2", "2022-02-01", precision_date="month", code="AF-BGL", kind="attack"),
        _event("e3", "2022-03-01", code="AF-PAR", district="Parwan West", precision=2),
        _event("e4", "2022-01-01", end="", precision_date="range", status="denied"),
        _event("e5", "2022-06-01", precision=4, notes="<img src=x onerror=alert(1)>"),
        _event("e6", "2022-06-05", code="AF-BGL", fatalities="10", actor1="AFF"),
    ]
    text = "\n".join([HEADER, *rows]) + "\n"
    result = claims.read_claims(
        kind="events",
        source=text.encode(),
        name="events.csv",
        provinces=tiny_provinces,
        gazetteer=None,
    )
    return result.data


@pytest.fixture
def presence(tiny_provinces, write_text) -> gpd.GeoDataFrame:
    rows = [
        f"p1,NRF,Somewhere,AF-PAN,,3,2022-01-01,,range,basis,stronghold,NRF,claimed,,{SOURCES}",
        f"p2,AFF,Somewhere,AF-PAN,,3,2022-01-01,2022-03-31,range,basis,reported_activity,AFF,"
        f"claimed,,{SOURCES}",
        f"p3,AFF,Somewhere,AF-BGL,Baghlan East,2,2022-01-01,,range,basis,sustained_fighting,"
        f"AFF,claimed,,{SOURCES}",
    ]
    path = write_text("presence.csv", "\n".join([PRESENCE_HEADER, *rows]) + "\n")
    return claims.read_claims(
        kind="presence", source=path, provinces=tiny_provinces, gazetteer=None
    ).data


def _frame(layer, events, presence, provinces, districts=None, **kw):
    return views.layer_frame(
        layer, events=events, presence=presence, provinces=provinces, districts=districts, **kw
    )


# --- the real data ------------------------------------------------------------------
@pytest.fixture(scope="module")
def map_data() -> views.MapData:
    return views.load_map_data()


#: The browser tests' claims: six events (one country-wide) and two presence rows.
MAP_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "map"


@pytest.fixture(scope="module")
def fixture_data() -> views.MapData:
    """The map's fixture claims (tests/fixtures/map/), loaded without districts."""
    return views.load_map_data(
        MAP_FIXTURES / "events.csv",
        presence_path=MAP_FIXTURES / "presence.csv",
        districts_path=MAP_FIXTURES / "no-districts.geojson",
    )


# --- text that looks like a template ------------------------------------------------
#: jinja2 syntax a note, a name or a source may hold; none of it may ever be parsed.
TEMPLATE_TEXTS = ("{% broken end", "{{ 7*7 }}", "{# open comment", "{%- raw %}x{% endraw %}")


@pytest.fixture
def template_files(tmp_path) -> tuple[Path, Path]:
    """The map fixtures with template syntax in every free-text cell (events, presence)."""
    fixtures = settings.ROOT / "tests" / "fixtures" / "map"
    out = []
    for name, columns in (("events.csv", EVENT_TEXT), ("presence.csv", PRESENCE_TEXT)):
        rows = list(csv.reader(io.StringIO((fixtures / name).read_text(), newline="")))
        header = rows[0]
        for i, row in enumerate(rows[1:]):
            text = TEMPLATE_TEXTS[i % len(TEMPLATE_TEXTS)]
            for column in columns:
                row[header.index(column)] = f"{text} {row[header.index(column)]}".strip()
            sources = json.loads(row[header.index("sources")])
            for source in sources:
                source.update(outlet=f"{text} Wire", title=f"{{{{ title }}}} {text}")
                source["quote"] = f"{text} quote"
            row[header.index("sources")] = json.dumps(sources)
        path = tmp_path / name
        path.write_bytes(_csv.frame_bytes(pd.DataFrame(rows[1:], columns=header)))
        out.append(path)
    return out[0], out[1]


EVENT_TEXT = ("actor1", "actor2", "claimed_by", "notes", "date_basis", "location_basis")
PRESENCE_TEXT = ("group", "claimed_by", "notes", "date_basis")
