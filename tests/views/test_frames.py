"""Tests for geo/layer_frames.py: what each map layer holds for a window and filters.

The tiny events and presence come from tests/helpers_views.py (on conftest's tiny
provinces); the calls go through the public front, geo/views.py.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import shapely

from geo import claims, views
from geo.errors import DistrictsNotInstalledError
from geo.io import to_rfc7946
from tests.helpers_views import _frame


# --- argument checks ----------------------------------------------------------------
def test_unknown_layer_names_the_allowed_ones(events, presence, tiny_provinces):
    with pytest.raises(ValueError, match=r"unknown layer 'roads'; expected one of \['provinces'"):
        _frame("roads", events, presence, tiny_provinces)


def test_unknown_metric_names_the_allowed_ones(events, presence, tiny_provinces):
    with pytest.raises(ValueError, match=r"unknown metric 'deaths'; expected one of \['claims'"):
        _frame("provinces", events, presence, tiny_provinces, metric="deaths")


def test_districts_layer_needs_districts(events, presence, tiny_provinces):
    with pytest.raises(DistrictsNotInstalledError, match="district polygons, which are not"):
        _frame("districts", events, presence, tiny_provinces)


@pytest.mark.realdata
def test_layer_frame_without_districts_raises(map_data):
    with pytest.raises(DistrictsNotInstalledError, match=r"armap districts install"):
        views.layer_frame(
            "districts",
            events=map_data.events,
            presence=map_data.presence,
            provinces=map_data.provinces,
            districts=None,
        )


# --- events -------------------------------------------------------------------------
def test_events_are_placed_by_precision(events, presence, tiny_provinces, tiny_districts):
    frame = _frame("events", events, presence, tiny_provinces, tiny_districts).set_index("event_id")
    assert frame.loc["e1", "geometry_kind"] == "exact"
    assert frame.loc["e1", "geometry"].equals(shapely.Point(70.5, 35.5))
    # Province precision: the province's representative point, never a made-up pin.
    assert frame.loc["e2", "geometry_kind"] == "area-representative-point"
    assert frame.loc["e2", "area_level"] == "province"
    baghlan = tiny_provinces.set_index("province_code").geometry["AF-BGL"]
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
    parwan = tiny_provinces.set_index("province_code").geometry["AF-PAR"]
    assert frame.loc["e3", "geometry"].equals(parwan.representative_point())


def test_window_keeps_overlapping_and_open_ranges(events, presence, tiny_provinces):
    filters = claims.Filters(start=date(2022, 2, 15), end=date(2022, 2, 20))
    frame = _frame("events", events, presence, tiny_provinces, filters=filters)
    # e2 is "February 2022" (month precision); e4 is an open range from 2022-01-01.
    assert sorted(frame["event_id"]) == ["e2", "e4"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (claims.Filters(event_types=("attack",)), ["e2"]),
        (claims.Filters(statuses=("denied",)), ["e4"]),
        (claims.Filters(actors=("AFF",)), ["e6"]),
        (claims.Filters(coarsest_precision=2), ["e1", "e3"]),
        (claims.Filters(sources=("Nobody",)), []),
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


# --- areas --------------------------------------------------------------------------
def test_provinces_aggregate_the_window(events, presence, tiny_provinces):
    filters = claims.Filters(start=date(2022, 1, 1), end=date(2022, 1, 31))
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


def test_district_drill_down_keeps_one_province(events, presence, tiny_provinces, tiny_districts):
    frame = _frame("districts", events, presence, tiny_provinces, tiny_districts, province="AF-PAR")
    assert sorted(frame["area_code"]) == ["AF-PAR-east", "AF-PAR-west"]
    assert frame.set_index("area_code").loc["AF-PAR-west", "claims"] == 1
    assert set(frame["area_kind"]) == {"district"}


# --- presence -----------------------------------------------------------------------
def test_presence_is_shown_as_of_the_window_end(events, presence, tiny_provinces, tiny_districts):
    early = _frame(
        "presence", events, presence, tiny_provinces, tiny_districts,
        filters=claims.Filters(end=date(2022, 2, 1)),
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
        filters=claims.Filters(end=date(2022, 6, 1)),
    ).set_index("area_code")  # fmt: skip
    assert late.loc["AF-PAN", "groups"] == "NRF (stronghold)"  # AFF's period ended


def test_presence_follows_the_group_filter(events, presence, tiny_provinces):
    frame = _frame(
        "presence", events, presence, tiny_provinces,
        filters=claims.Filters(end=date(2022, 2, 1), actors=("AFF",)),
    )  # fmt: skip
    assert set(frame["group"]) == {"AFF"}
    # Without districts, district presence is drawn on its province.
    assert set(frame["area_code"]) == {"AF-PAN", "AF-BGL"}


def test_no_presence_gives_an_empty_layer(events, presence, tiny_provinces):
    frame = _frame(
        "presence", events, presence, tiny_provinces, filters=claims.Filters(end=date(2021, 1, 1))
    )
    assert frame.empty and "level" in frame.columns


def test_events_joined_without_districts_are_joined_again_with_them(
    events, tiny_provinces, tiny_districts
):
    plain = views.prepare_events(events, tiny_provinces)
    assert plain["district_id"].isna().all()
    with_districts = views.prepare_events(plain, tiny_provinces, tiny_districts)
    assert with_districts.set_index("event_id").loc["e3", "district_id"] == "AF-PAR-west"
    # Already joined with districts: passed through, not joined a second time.
    assert views.prepare_events(with_districts, tiny_provinces, tiny_districts) is with_districts
    assert views.prepare_events(with_districts, tiny_provinces) is with_districts


def test_a_tie_between_groups_goes_to_the_named_group(events, tiny_provinces, write_text):
    from tests.helpers_views import PRESENCE_HEADER, SOURCES

    rows = [  # "Anti-Taliban resistance (unspecified)" sorts before the NRF by name
        f"p1,National Resistance Front (NRF),Somewhere,AF-PAN,,3,2022-01-01,,range,basis,"
        f"stronghold,NRF,claimed,,{SOURCES}",
        f"p2,Anti-Taliban resistance (unspecified),Somewhere,AF-PAN,,3,2022-01-01,,range,basis,"
        f"stronghold,NRF,claimed,,{SOURCES}",
        f"p3,Anti-Taliban resistance (unspecified),Somewhere,AF-BGL,,3,2022-01-01,,range,basis,"
        f"stronghold,a source,claimed,,{SOURCES}",
        f"p4,Afghanistan Freedom Front (AFF),Somewhere,AF-BGL,,3,2022-01-01,,range,basis,"
        f"reported_activity,AFF,claimed,,{SOURCES}",
    ]
    path = write_text("tie.csv", "\n".join([PRESENCE_HEADER, *rows]) + "\n")
    presence = claims.read_claims(
        path, kind="presence", provinces=tiny_provinces, gazetteer=None
    ).data
    frame = _frame("presence", events, presence, tiny_provinces).set_index("area_code")
    assert frame.loc["AF-PAN", "group"] == "National Resistance Front (NRF)"  # a tie
    # A higher level still wins over a name: Baghlan's stronghold is the unnamed group's.
    assert frame.loc["AF-BGL", "group"] == "Anti-Taliban resistance (unspecified)"
