"""Tests for geo/join.py on tiny geometries (see conftest.py) and on the real files.

Tiny provinces: AF-PAR lon 69-70, AF-PAN lon 70-71, AF-BGL lon 71-72 (lat 35-36);
each split into a West and an East district half a degree wide.
"""

from __future__ import annotations

import csv
import io
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import boundaries, claims, join, settings
from geo.errors import BoundaryError, PlaceNotFoundError

SOURCE = [{"file": "000_x.txt", "outlet": "RFE/RL", "title": "A report", "quote": "clashed"}]
BASE = {
    "date_start": "2022-04-18",
    "date_precision": "day",
    "date_basis": "stated",
    "event_type": "clash",
    "actor1": "National Resistance Front (NRF)",
    "actor2": "Taliban",
    "claimed_by": "NRF",
    "claim_status": "claimed",
    "location_name": "somewhere",
    "province_code": "AF-PAN",
    "location_precision": "3",
    "location_basis": "named",
    "sources": json.dumps(SOURCE),
}


def load_events(rows, provinces) -> gpd.GeoDataFrame:
    """Build an events CSV from dicts (overriding BASE) and load it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(settings.EVENT_COLUMNS)
    for i, row in enumerate(rows, start=1):
        merged = {"event_id": f"t-{i:02d}", **BASE, **row}
        writer.writerow([merged.get(c, "") for c in settings.EVENT_COLUMNS])
    data = buffer.getvalue().encode()
    return claims.read_claims(
        kind="events", source=data, name="e.csv", provinces=provinces, gazetteer=None
    ).data


def at(lon: float, lat: float = 35.5, **values: str) -> dict[str, str]:
    return {"longitude": str(lon), "latitude": str(lat), "location_precision": "1", **values}


@pytest.fixture
def events(tiny_provinces):
    return load_events(
        [
            at(70.2, province_code="AF-PAN"),  # t-01 point in Panjshir West
            at(71.7, province_code="AF-BGL", fatalities="3", fatalities_claimed_by="NRF"),
            {"province_code": "AF-PAR", "district": "Parwan  East"},  # t-03 by code + name
            {"province_code": "AF-BGL", "district": "nowhere"},  # t-04 unmatched district
            {"province_code": "", "location_precision": "4"},  # t-05 not mapped
            {
                "province_code": "AF-PAN",
                "date_start": "2022-03-01",
                "date_precision": "month",
                "fatalities": "10",
                "fatalities_claimed_by": "NRF",
                "actor1": "Taliban",
                "actor2": "Civilians",
                "event_type": "violence_against_civilians",
            },
        ],
        tiny_provinces,
    )


# --- join_events --------------------------------------------------------------------
def test_join_by_point_code_and_none(events, tiny_provinces):
    joined = join.join_events(events, tiny_provinces)
    assert joined["joined_by"].tolist() == ["point", "point", "code", "code", "none", "code"]
    assert joined["province_name"].tolist()[:4] == ["Panjshir", "Baghlan", "Parwan", "Baghlan"]
    assert pd.isna(joined["province_name"].iloc[4])
    assert joined["district_id"].isna().all()
    assert joined.crs.to_epsg() == 4326
    assert joined.index.equals(events.index)


def test_join_with_districts_by_point_and_cleaned_name(events, tiny_provinces, tiny_districts):
    with pytest.warns(UserWarning, match=r"line 5: 'nowhere' in AF-BGL"):
        joined = join.join_events(events, tiny_provinces, tiny_districts)
    assert joined["district_id"].tolist()[:4] == ["AF-PAN-west", "AF-BGL-east", "AF-PAR-east", None]
    assert joined["district_name"].iloc[2] == "Parwan East"
    assert joined.attrs["unmatched_districts"] == [
        {"line": 5, "province_code": "AF-BGL", "district": "nowhere", "closest": []}
    ]


def test_district_names_match_only_within_their_province(tiny_provinces, tiny_districts):
    events = load_events([{"province_code": "AF-PAN", "district": "Baghlan West"}], tiny_provinces)
    with pytest.raises(PlaceNotFoundError, match=r"'Baghlan West' in AF-PAN"):
        join.join_events(events, tiny_provinces, tiny_districts, on_unmatched="raise")


def test_unmatched_district_suggests_the_closest_name(tiny_provinces, tiny_districts):
    events = load_events([{"province_code": "AF-PAN", "district": "Panjshir Wast"}], tiny_provinces)
    with pytest.raises(PlaceNotFoundError, match=r"did you mean 'Panjshir West'\?"):
        join.join_events(events, tiny_provinces, tiny_districts, on_unmatched="raise")
    joined = join.join_events(events, tiny_provinces, tiny_districts, on_unmatched="ignore")
    assert joined["district_id"].isna().all() and len(joined.attrs["unmatched_districts"]) == 1


def test_point_on_a_shared_border_keeps_the_stated_province(tiny_provinces):
    events = load_events(
        [at(70.0, province_code="AF-PAR"), at(70.0, province_code="AF-PAN")], tiny_provinces
    )
    joined = join.join_events(events, tiny_provinces)
    assert joined["province_code"].tolist() == ["AF-PAR", "AF-PAN"]
    assert len(joined) == 2


def test_point_decides_the_province(tiny_provinces):
    # 0.9 km into Parwan is accepted as Panjshir by validation; the join follows the point.
    events = load_events([at(69.99, province_code="AF-PAN")], tiny_provinces)
    joined = join.join_events(events, tiny_provinces)
    assert joined["province_code"].tolist() == ["AF-PAR"]
    assert joined["joined_by"].tolist() == ["point"]


def test_join_transforms_other_crs_and_refuses_none(events, tiny_provinces):
    projected = tiny_provinces.to_crs(boundaries.utm_crs())
    assert join.join_events(events, projected)["joined_by"].iloc[0] == "point"
    with pytest.raises(BoundaryError, match="provinces have no CRS"):
        join.join_events(events, tiny_provinces.set_crs(None, allow_override=True))


def test_join_checks_on_unmatched(events, tiny_provinces):
    with pytest.raises(ValueError, match="on_unmatched must be"):
        join.join_events(events, tiny_provinces, on_unmatched="drop")  # type: ignore[arg-type]


def test_join_keeps_any_index_and_the_columns_types_and_order(
    events, tiny_provinces, tiny_districts
):
    shuffled = events.iloc[::-1].copy()
    shuffled.index = pd.Index([7, 7, 3, 9, 3, 0])  # unordered and repeated
    with pytest.warns(UserWarning, match="'nowhere'"):
        joined = join.join_events(shuffled, tiny_provinces, tiny_districts)
    with pytest.warns(UserWarning, match="'nowhere'"):
        plain = join.join_events(events, tiny_provinces, tiny_districts)
    assert joined.index.equals(shuffled.index)
    pd.testing.assert_frame_equal(
        joined.reset_index(drop=True), plain.iloc[::-1].reset_index(drop=True)
    )
    added = ["province_name", "joined_by", "district_id", "district_name"]
    assert list(joined.columns) == [*events.columns, *added]
    objects = ["province_code", "province_name", "district_id", "district_name"]
    assert joined[objects].dtypes.tolist() == [object] * 4
    assert joined["joined_by"].dtype == "str"
    assert joined.attrs["unmatched_districts"] == plain.attrs["unmatched_districts"]


def test_rows_without_a_usable_point_join_by_code_and_name(tiny_provinces, tiny_districts):
    frame = gpd.GeoDataFrame(
        {
            "province_code": ["AF-PAN", "AF-PAR", "AF-XXX", None, "AF-BGL"],
            "district": ["panjshir   WEST", "  ", "Parwan East", "Baghlan East", "Baghlan Wst"],
        },
        geometry=[shapely.Point(), None, shapely.Point(71.2, 35.5), None, None],
        index=list("abcde"),
        crs=settings.WGS84,
    )
    joined = join.join_events(frame, tiny_provinces, tiny_districts, on_unmatched="ignore")
    # An empty point is no point; a point outranks the stated code (and its district name).
    assert joined["joined_by"].tolist() == ["code", "code", "point", "none", "code"]
    assert joined["province_code"].tolist()[:3] == ["AF-PAN", "AF-PAR", "AF-BGL"]
    assert pd.isna(joined["province_code"].iloc[3])
    assert joined["district_id"].tolist()[0] == "AF-PAN-west"
    assert joined["district_id"].tolist()[2] == "AF-BGL-west"
    assert joined["district_id"].iloc[[1, 3, 4]].isna().all()
    [unmatched] = joined.attrs["unmatched_districts"]
    assert unmatched["district"] == "Baghlan Wst" and unmatched["closest"] == ["Baghlan West"]


# --- area_points --------------------------------------------------------------------
def test_area_points_lie_inside_their_areas(tiny_provinces, tiny_districts):
    points = join.area_points(tiny_provinces, key="province_code")
    assert list(points.index) == ["AF-PAR", "AF-PAN", "AF-BGL"]
    assert points.crs.to_epsg() == 4326
    assert shapely.within(points.values, tiny_provinces.geometry.values).all()
    assert join.area_points(tiny_provinces, key="province_code").index.name == "province_code"
    districts = join.area_points(tiny_districts, key="district_id")
    assert districts.index[0] == "AF-PAR-west"
    with pytest.raises(ValueError, match="areas have no column 'shape'"):
        join.area_points(tiny_provinces, key="shape")


# --- aggregate ----------------------------------------------------------------------
def presence_frame(rows, provinces) -> gpd.GeoDataFrame:
    base = {
        "group": "NRF",
        "location_name": "x",
        "province_code": "AF-PAN",
        "location_precision": "3",
        "period_start": "2021-09-01",
        "date_precision": "range",
        "date_basis": "stated",
        "level": "reported_activity",
        "claimed_by": "NRF",
        "claim_status": "claimed",
        "sources": json.dumps(SOURCE),
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(settings.PRESENCE_COLUMNS)
    for i, row in enumerate(rows, start=1):
        merged = {"presence_id": f"p-{i:02d}", **base, **row}
        writer.writerow([merged.get(c, "") for c in settings.PRESENCE_COLUMNS])
    data = buffer.getvalue().encode()
    return claims.read_claims(
        kind="presence", source=data, name="p.csv", provinces=provinces, gazetteer=None
    ).data


def test_aggregate_per_province(events, tiny_provinces):
    presence = presence_frame(
        [
            {"level": "stronghold", "period_end": "2022-01-31"},  # over before as_of
            {"level": "sustained_fighting"},  # open end: still active
            {"group": "AFF", "level": "reported_activity", "period_start": "2022-04-01"},
            {"group": "Later", "level": "stronghold", "period_start": "2022-06-01"},
            {"province_code": "AF-BGL", "period_end": "2022-05-01"},
        ],
        tiny_provinces,
    )
    out = join.aggregate(events, tiny_provinces, presence=presence, as_of="2022-04-28")
    assert out.crs.to_epsg() == 4326
    assert out["province_code"].tolist() == ["AF-PAR", "AF-PAN", "AF-BGL"]
    assert out["name"].tolist() == ["Parwan", "Panjshir", "Baghlan"]
    assert out["claims"].tolist() == [1, 2, 2]
    assert out["fatalities"].isna().tolist() == [True, False, False]
    assert out["fatalities"].iloc[1:].tolist() == [10, 3]
    assert out["last_reported"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-04-18",
        "2022-04-18",
        "2022-04-18",
    ]
    assert out["days_since_last"].tolist() == [10, 10, 10]
    assert out["active_groups"].tolist() == ["National Resistance Front (NRF)"] * 3
    assert out["presence_level"].tolist() == [0, 2, 1]
    assert out["presence_groups"].tolist() == ["", "AFF; NRF", "NRF"]
    # 1 x 1 degree at 35.5 N: about 111.0 km x 90.6 km.
    assert out["area_km2"].tolist() == pytest.approx([10_060] * 3, rel=0.01)
    assert shapely.equals(out.geometry.values, tiny_provinces.geometry.values).all()


def test_aggregate_counts_month_claims_by_their_end_and_areas_without_claims(tiny_provinces):
    events = load_events(
        [{"date_start": "2022-03-01", "date_precision": "month", "province_code": "AF-PAR"}],
        tiny_provinces,
    )
    out = join.aggregate(events, tiny_provinces, as_of="2022-04-30")
    assert out["last_reported"].iloc[0] == pd.Timestamp("2022-03-31")
    assert out["days_since_last"].iloc[0] == 30
    assert out["claims"].tolist() == [1, 0, 0]
    assert out["days_since_last"].isna().tolist() == [False, True, True]
    assert out["presence_level"].tolist() == [0, 0, 0]


def test_aggregate_last_reported_is_the_latest_publication_date(tiny_provinces):
    def sources(*published):
        return json.dumps([{**SOURCE[0], "published": p} for p in published])

    events = load_events(
        [
            # Parwan: published 11 days after the claim's range ends.
            {"province_code": "AF-PAR", "sources": sources("2022-04-29", "2022-04-20")},
            {
                "province_code": "AF-PAR",
                "date_start": "2022-04-25",
                "sources": sources("2022-04-26"),
            },
            # Panjshir: one claim with a report date, one without (its date_end is later).
            {"date_start": "2022-03-01", "sources": sources("2022-03-05")},
            {"date_start": "2022-04-01", "date_precision": "month"},
            # Baghlan: no report date at all.
            {"province_code": "AF-BGL", "date_start": "2022-02-01"},
        ],
        tiny_provinces,
    )
    out = join.aggregate(events, tiny_provinces, as_of="2022-05-09")
    assert out["last_reported"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-04-29",  # not the claims' end (2022-04-25)
        "2022-04-30",  # the undated month claim's end beats the 2022-03-05 report
        "2022-02-01",
    ]
    assert out["claims_without_report_date"].tolist() == [0, 1, 1]
    assert out["days_since_last"].tolist() == [10, 9, 97]
    early = join.aggregate(events, tiny_provinces, as_of="2022-04-27")
    assert early["days_since_last"].iloc[0] == 0  # a report after as_of: not negative


def test_aggregate_per_district(events, tiny_provinces, tiny_districts):
    joined = join.join_events(events, tiny_provinces, tiny_districts, on_unmatched="ignore")
    presence = presence_frame(
        [{"province_code": "AF-PAR", "district": "Parwan East", "location_precision": "2"}, {}],
        tiny_provinces,
    )
    out = join.aggregate(
        joined, tiny_districts, key="district_id", presence=presence, as_of="2022-05-01"
    )
    counts = dict(zip(out["district_id"], out["claims"], strict=True))
    assert counts == {
        "AF-PAR-west": 0,
        "AF-PAR-east": 1,
        "AF-PAN-west": 1,
        "AF-PAN-east": 0,
        "AF-BGL-west": 0,
        "AF-BGL-east": 1,
    }
    levels = dict(zip(out["district_id"], out["presence_level"], strict=True))
    assert levels["AF-PAR-east"] == 1 and sum(levels.values()) == 1  # no spreading
    assert out["area_km2"].sum() == pytest.approx(3 * 10_060, rel=0.01)


def test_aggregate_by_district_needs_district_names_or_a_join(events, tiny_districts):
    out = join.aggregate(events, tiny_districts, key="district_id", as_of="2022-05-01")
    assert out["claims"].sum() == 1  # only t-03 names its district; points need join_events


def test_aggregate_without_claims_or_presence(events, tiny_provinces):
    out = join.aggregate(events.iloc[:0], tiny_provinces, presence=None, as_of="2022-05-01")
    assert out["claims"].tolist() == [0, 0, 0]
    assert out["fatalities"].isna().all() and out["days_since_last"].isna().all()
    assert out["active_groups"].tolist() == ["", "", ""]
    assert out["presence_level"].tolist() == [0, 0, 0]


def test_aggregate_rejects_unknown_keys(events, tiny_provinces):
    with pytest.raises(ValueError, match="areas have no column 'region'"):
        join.aggregate(events, tiny_provinces, key="region")


# --- claims_per_period --------------------------------------------------------------
def _weeks(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.pivot(index="period_start", columns="event_type", values="claims")


def test_claims_per_week_spreads_a_range_over_its_weeks_with_zeros(tiny_provinces):
    events = load_events(
        [
            {"date_start": "2022-04-04"},  # Monday
            {"date_start": "2022-04-10"},  # Sunday, same week
            {"date_start": "2022-05-02", "event_type": "attack"},
            # Wednesday to Wednesday: touches the weeks of 4, 11 and 18 April.
            {"date_start": "2022-04-06", "date_precision": "range", "date_end": "2022-04-20"},
        ],
        tiny_provinces,
    )
    weekly = join.claims_per_period(events, freq="W")
    assert list(weekly.columns) == ["period_start", "event_type", "claims"]
    table = _weeks(weekly)
    assert table.index.strftime("%Y-%m-%d").tolist() == [
        "2022-04-04",
        "2022-04-11",
        "2022-04-18",
        "2022-04-25",
        "2022-05-02",
    ]
    assert table["clash"].tolist() == pytest.approx([2 + 1 / 3, 1 / 3, 1 / 3, 0, 0])
    assert table["attack"].tolist() == [0, 0, 0, 0, 1]  # a day claim: 1 in its week
    assert weekly["claims"].sum() == pytest.approx(4)
    monthly = join.claims_per_period(events, freq="M")
    # April (attack, clash), then May: the range lies within April.
    assert monthly["claims"].tolist() == [0, 3, 1, 0]
    assert set(monthly["period_start"].dt.day) == {1}


def test_claims_per_period_spreads_the_issue_example_and_keeps_the_total(tiny_provinces):
    # "sometime 21 March-21 June 2022": 14 weeks (Monday 21 March to Tuesday 21 June).
    events = load_events(
        [
            {"date_start": "2022-03-21", "date_precision": "range", "date_end": "2022-06-21"},
            {"date_start": "2022-03-01", "date_precision": "month"},  # March: 5 weeks
            {"date_start": "2022-03-21", "date_precision": "week"},
        ],
        tiny_provinces,
    )
    weekly = _weeks(join.claims_per_period(events, freq="W"))["clash"]
    assert weekly.index[0] == pd.Timestamp("2022-02-28") and len(weekly) == 17
    assert weekly.loc["2022-02-28"] == pytest.approx(1 / 5)
    assert weekly.loc["2022-03-21"] == pytest.approx(1 / 14 + 1 / 5 + 1)
    assert weekly.loc["2022-06-20"] == pytest.approx(1 / 14)
    assert weekly.max() < 2  # no spike: the range adds 1/14 to each of its weeks
    assert weekly.sum() == pytest.approx(3)
    monthly = join.claims_per_period(events, freq="M")["claims"]
    assert monthly.tolist() == pytest.approx([2 + 1 / 4, 1 / 4, 1 / 4, 1 / 4])


def test_an_open_range_counts_at_its_start_only(tiny_provinces):
    events = load_events(
        [
            {"date_start": "2022-04-06", "date_precision": "range", "date_end": ""},
            {"date_start": "2022-05-30"},
        ],
        tiny_provinces,
    )
    assert events["date_end"].isna().tolist() == [True, False]
    weekly = join.claims_per_period(events, freq="W")
    assert weekly["claims"].tolist()[0] == 1 and weekly["claims"].tolist()[-1] == 1
    assert weekly["claims"].sum() == 2 and (weekly["claims"].iloc[1:-1] == 0).all()


def test_claims_per_period_empty_and_bad_freq(events):
    empty = join.claims_per_period(events.iloc[:0])
    assert empty.empty and list(empty.columns) == ["period_start", "event_type", "claims"]
    assert str(empty["period_start"].dtype) == "datetime64[us]"
    with pytest.raises(ValueError, match=r"freq must be one of \['M', 'W'\], not 'D'"):
        join.claims_per_period(events, freq="D")


# --- real data ----------------------------------------------------------------------
def _real_events() -> gpd.GeoDataFrame:
    return claims.read_claims(kind="events").data


@pytest.mark.realdata
def test_real_events_join_and_aggregate(provinces):
    events = _real_events()
    joined = join.join_events(events, provinces)
    exact = joined["location_precision"] == 1
    assert (joined.loc[exact, "joined_by"] == "point").all()
    assert (joined.loc[joined["location_precision"] == 4, "joined_by"] == "none").all()
    assert (joined["province_code"] == events["province_code"]).all()
    out = join.aggregate(joined, provinces)
    mapped = int((joined["joined_by"] != "none").sum())
    assert len(out) == 34 and out["claims"].sum() == mapped


@pytest.mark.realdata
def test_real_events_join_districts(provinces, districts):
    joined = join.join_events(_real_events(), provinces, districts, on_unmatched="raise")
    named = joined["district"].fillna("") != ""
    assert joined.loc[named, "district_id"].notna().all()
