"""geo/views.py: what each map layer holds for a window and filters.

Events are read from CSV text built here, validated against the tiny 1-degree
provinces of conftest (Parwan 69-70 E, Panjshir 70-71 E, Baghlan 71-72 E; 35-36 N).
"""

from __future__ import annotations

import io
import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import claims, settings, views
from geo.errors import DistrictsNotInstalledError
from geo.export import to_rfc7946

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
    result = claims.read_events_bytes(
        text.encode(), name="events.csv", provinces=tiny_provinces, gazetteer=None
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
    return claims.read_presence(path, provinces=tiny_provinces, gazetteer=None).data


def _frame(layer, events, presence, provinces, districts=None, **kw):
    return views.layer_frame(
        layer, events=events, presence=presence, provinces=provinces, districts=districts, **kw
    )


# --- argument checks --------------------------------------------------------------
def test_unknown_layer_names_the_allowed_ones(events, presence, tiny_provinces):
    with pytest.raises(ValueError, match=r"unknown layer 'roads'; expected one of \['provinces'"):
        _frame("roads", events, presence, tiny_provinces)


def test_unknown_metric_names_the_allowed_ones(events, presence, tiny_provinces):
    with pytest.raises(ValueError, match=r"unknown metric 'deaths'; expected one of \['claims'"):
        _frame("provinces", events, presence, tiny_provinces, metric="deaths")


def test_districts_layer_needs_districts(events, presence, tiny_provinces):
    with pytest.raises(DistrictsNotInstalledError, match="district polygons, which are not"):
        _frame("districts", events, presence, tiny_provinces)


# --- events -----------------------------------------------------------------------
def test_events_are_placed_by_precision(events, presence, tiny_provinces, tiny_districts):
    frame = _frame("events", events, presence, tiny_provinces, tiny_districts).set_index("event_id")
    assert frame.loc["e1", "geometry_kind"] == "exact"
    assert frame.loc["e1", "geometry"].equals(shapely.Point(70.5, 35.5))
    # Province precision: the province's representative point, never a made-up pin.
    assert frame.loc["e2", "geometry_kind"] == "area-representative-point"
    assert frame.loc["e2", "area_level"] == "province"
    baghlan = tiny_provinces.set_index("iso_code").geometry["AF-BGL"]
    assert baghlan.contains(frame.loc["e2", "geometry"])
    assert frame.loc["e2", "geometry"].equals(baghlan.representative_point())
    # District precision with districts installed: the district's point.
    assert frame.loc["e3", "area_level"] == "district"
    west = tiny_districts.set_index("district_id").geometry["AF-PAR-west"]
    assert west.contains(frame.loc["e3", "geometry"])
    # Region/country: listed, not mapped.
    assert frame.loc["e5", "geometry_kind"] == "unmapped"
    assert frame.loc["e5", "geometry"] is None
    assert frame.crs.to_epsg() == 4326


def test_district_events_fall_back_to_the_province_without_districts(
    events, presence, tiny_provinces
):
    frame = _frame("events", events, presence, tiny_provinces).set_index("event_id")
    assert frame.loc["e3", "area_level"] == "province"
    parwan = tiny_provinces.set_index("iso_code").geometry["AF-PAR"]
    assert frame.loc["e3", "geometry"].equals(parwan.representative_point())


def test_window_keeps_overlapping_and_open_ranges(events, presence, tiny_provinces):
    filters = views.Filters(start=date(2022, 2, 15), end=date(2022, 2, 20))
    frame = _frame("events", events, presence, tiny_provinces, filters=filters)
    # e2 is "February 2022" (month precision); e4 is an open range from 2022-01-01.
    assert sorted(frame["event_id"]) == ["e2", "e4"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (views.Filters(event_types=("attack",)), ["e2"]),
        (views.Filters(statuses=("denied",)), ["e4"]),
        (views.Filters(actors=("AFF",)), ["e6"]),
        (views.Filters(min_precision=2), ["e1", "e3"]),
        (views.Filters(sources=("Nobody",)), []),
    ],
)
def test_filters_select_events(events, presence, tiny_provinces, filters, expected):
    frame = _frame("events", events, presence, tiny_provinces, filters=filters)
    assert sorted(frame["event_id"]) == expected


def test_events_export_as_rfc7946(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    collection = json.loads(json.dumps(to_rfc7946(frame)))
    assert collection["type"] == "FeatureCollection"
    kinds = {f["properties"]["event_id"]: f for f in collection["features"]}
    assert kinds["e5"]["geometry"] is None
    assert kinds["e1"]["geometry"] == {"type": "Point", "coordinates": [70.5, 35.5]}
    assert kinds["e1"]["properties"]["sources"][0]["outlet"] == "Wire"


# --- areas ------------------------------------------------------------------------
def test_provinces_aggregate_the_window(events, presence, tiny_provinces):
    filters = views.Filters(start=date(2022, 1, 1), end=date(2022, 1, 31))
    frame = _frame(
        "provinces", events, presence, tiny_provinces, filters=filters, metric="fatalities"
    )
    row = frame.set_index("area_code").loc["AF-PAN"]
    assert row["claims"] == 2  # e1 and the open range e4
    assert row["value"] == 3  # claimed fatalities of e1
    assert row["metric"] == "fatalities" and row["as_of"] == "2022-01-31"
    assert row["presence_level"] == 3
    assert set(frame["area_kind"]) == {"province"}
    assert len(frame) == 3


def test_breaks_ignore_the_window(events, presence, tiny_provinces):
    common = {"events": events, "presence": presence, "provinces": tiny_provinces}
    narrow = views.Filters(start=date(2022, 1, 1), end=date(2022, 1, 2))
    wide = views.Filters()
    a = views.metric_breaks("provinces", filters=narrow, metric="fatalities", **common)
    b = views.metric_breaks("provinces", filters=wide, metric="fatalities", **common)
    assert a == b == (1, 2, 5, 10, 20)
    assert views.metric_breaks("provinces", metric="days_since_last", **common)[-1] == float("inf")
    with pytest.raises(ValueError, match="class breaks are for area layers"):
        views.metric_breaks("events", **common)


def test_district_drill_down_keeps_one_province(events, presence, tiny_provinces, tiny_districts):
    frame = _frame("districts", events, presence, tiny_provinces, tiny_districts, province="AF-PAR")
    assert sorted(frame["area_code"]) == ["AF-PAR-east", "AF-PAR-west"]
    assert frame.set_index("area_code").loc["AF-PAR-west", "claims"] == 1
    assert set(frame["area_kind"]) == {"district"}


# --- presence ---------------------------------------------------------------------
def test_presence_is_shown_as_of_the_window_end(events, presence, tiny_provinces, tiny_districts):
    early = _frame(
        "presence", events, presence, tiny_provinces, tiny_districts,
        filters=views.Filters(end=date(2022, 2, 1)),
    ).set_index("area_code")  # fmt: skip
    pan = early.loc["AF-PAN"]
    assert pan["level"] == 3 and pan["group"] == "NRF"
    assert pan["groups"] == "NRF (stronghold); AFF (reported_activity)"
    # District precision is drawn on the district.
    assert early.loc["AF-BGL-east", "area_kind"] == "district"
    assert early.loc["AF-BGL-east", "geometry"].equals(
        tiny_districts.set_index("district_id").geometry["AF-BGL-east"]
    )
    late = _frame(
        "presence", events, presence, tiny_provinces, tiny_districts,
        filters=views.Filters(end=date(2022, 6, 1)),
    ).set_index("area_code")  # fmt: skip
    assert late.loc["AF-PAN", "groups"] == "NRF (stronghold)"  # AFF's period ended


def test_presence_follows_the_group_filter(events, presence, tiny_provinces):
    frame = _frame(
        "presence", events, presence, tiny_provinces,
        filters=views.Filters(end=date(2022, 2, 1), actors=("AFF",)),
    )  # fmt: skip
    assert set(frame["group"]) == {"AFF"}
    # Without districts, district presence is drawn on its province.
    assert set(frame["area_code"]) == {"AF-PAN", "AF-BGL"}


def test_no_presence_gives_an_empty_layer(events, presence, tiny_provinces):
    frame = _frame(
        "presence", events, presence, tiny_provinces, filters=views.Filters(end=date(2021, 1, 1))
    )
    assert frame.empty and "level" in frame.columns


# --- helpers ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(0, (1, 2)), (1, (1, 2)), (4, (1, 2, 5)), (37, (1, 2, 5, 10, 20, 50)),
     (900, (1, 3, 10, 30, 100, 300, 1000))],
)  # fmt: skip
def test_nice_breaks(maximum, expected):
    assert views.nice_breaks(maximum) == expected


def test_step_window_moving_cumulative_and_end():
    span = (date(2022, 1, 1), date(2022, 2, 28))
    assert views.step_window(span, span, days=7) == ((date(2022, 1, 1), date(2022, 1, 8)), False)
    moved, done = views.step_window((date(2022, 1, 1), date(2022, 1, 8)), span, days=7)
    assert moved == (date(2022, 1, 8), date(2022, 1, 15)) and not done
    grown, _ = views.step_window(
        (date(2022, 1, 1), date(2022, 1, 8)), span, days=7, cumulative=True
    )
    assert grown == (date(2022, 1, 1), date(2022, 1, 15))
    last, done = views.step_window((date(2022, 2, 20), date(2022, 2, 25)), span, days=7)
    assert last == (date(2022, 2, 27), date(2022, 2, 28)) and done


def test_event_table_is_plain_text(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    table = views.event_table(frame)
    assert list(table["ID"]) == ["e4", "e1", "e2", "e3", "e5", "e6"]  # by date
    row = table.set_index("ID").loc["e5"]
    assert row["Notes"] == "<img src=x onerror=alert(1)>"  # text; st.dataframe shows it
    assert row["Sources"] == "Wire — T — “q”"
    assert table.set_index("ID").loc["e4", "Date"] == "2022-01-01 – open (range)"
    assert views.event_table(frame.iloc[0:0]).columns[0] == "Date"


def test_area_events_checks_the_kind(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    assert sorted(views.area_events(frame, area_code="AF-BGL", kind="province")["event_id"]) == [
        "e2",
        "e6",
    ]
    with pytest.raises(ValueError, match="kind must be 'province' or 'district', not 'region'"):
        views.area_events(frame, area_code="x", kind="region")


def test_load_map_data_reports_bad_rows_and_missing_districts(tmp_path):
    fixtures = settings.ROOT / "tests" / "fixtures" / "map"
    text = (fixtures / "events.csv").read_text(encoding="utf-8")
    bad = text + text.splitlines()[1].replace("fx-01", "fx-99").replace("2022-01-10", "2022-13-40")
    path = tmp_path / "events.csv"
    path.write_text(bad + "\n", encoding="utf-8")
    data = views.load_map_data(
        path, presence_path=fixtures / "presence.csv", districts_path=tmp_path / "none.geojson"
    )
    assert data.districts is None
    assert len(data.events) == 6
    assert any("line 8" in p and "date_start" in p for p in data.problems)
    assert data.span == (date(2021, 9, 1), date(2022, 9, 30))
    frames = views.map_frames(data, filters=views.Filters(), province="AF-PAN")
    assert sorted(frames) == ["events", "presence", "provinces"]
    options = views.filter_options(data)
    assert "Test Wire" in options["sources"] and "Taliban" in options["actors"]
    timeline = views.claims_timeline(data, filters=views.Filters(start=date(2022, 9, 1)))
    assert int(timeline["claims"].sum()) == 6  # the timeline ignores the window
    assert isinstance(timeline, pd.DataFrame)


def test_downloads_are_the_layer_frames(events, presence, tiny_provinces):
    filters = views.Filters(event_types=("clash",))
    frames = {
        "events": _frame("events", events, presence, tiny_provinces, filters=filters),
        "provinces": _frame("provinces", events, presence, tiny_provinces, filters=filters),
    }
    files = views.download_files(frames)
    assert sorted(files) == ["events.csv", "events.geojson", "provinces.geojson"]
    make, mime = files["events.geojson"]
    collection = json.loads(make())
    assert mime == "application/geo+json"
    assert (
        collection["features"] == json.loads(json.dumps(to_rfc7946(frames["events"])))["features"]
    )
    assert sorted(f["properties"]["event_id"] for f in collection["features"]) == [
        "e1",
        "e3",
        "e4",
        "e5",
        "e6",
    ]
    csv_make, csv_mime = files["events.csv"]
    table = pd.read_csv(io.BytesIO(csv_make()), dtype=str, keep_default_na=False)
    assert csv_mime == "text/csv"
    assert list(table.columns) == list(settings.EVENT_COLUMNS)
    assert sorted(table["event_id"]) == ["e1", "e3", "e4", "e5", "e6"]
