"""Tests for geo/views/payload.py: the events' binary columns, as the browser reads them."""

from __future__ import annotations

import gzip

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import settings
from geo.views import payload


@pytest.fixture
def frame() -> gpd.GeoDataFrame:
    rows = {c: [""] * 3 for c in settings.EVENT_COLUMNS}
    rows.update(
        event_type=["clash", "attack", "riot"],
        claim_status=["claimed", "denied", "corroborated"],
        date_precision=["day", "range", "month"],
        date_start=pd.to_datetime(["1900-01-01", "2022-04-01", "2022-05-01"]),
        date_end=pd.to_datetime(["1900-01-01", None, "2022-05-31"]),
        location_precision=pd.array([1, 3, 4], dtype="Int64"),
        location_name=["Bazarak", "Panjshir", "Afghanistan"],
        province_code=["AF-PAN", "AF-PAN", ""],
        actor1=["NRF", "<b>NRF</b>", "NRF"],
        actor2=["Taliban", "", None],
        claimed_by=["NRF", "NRF", "Taliban"],
        fatalities=pd.array([12, None, 0], dtype="Int64"),
        fatalities_claimed_by=["NRF", "", "Taliban"],
        sources=[[{"outlet": "Wire", "title": "T1"}], [{"outlet": "Wire", "title": "T2"}], []],
        geometry_kind=["exact", "area-representative-point", "unmapped"],
        district_id=["AF-PAN-bazarak", None, None],
    )
    geometry = [shapely.Point(69.51519, 35.31292), shapely.Point(69.9, 35.4), None]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=settings.WGS84)


def test_columns_round_trip(frame):
    blob = payload.encode_events(
        frame, province_codes=["AF-BGL", "AF-PAN"], district_ids=["AF-PAN-bazarak"]
    )
    out = payload.decode_events(blob)
    c, d = out["columns"], out["dicts"]
    assert out["n"] == 3 and out["day0"] == settings.EARLIEST_DATE
    assert c["lon"][0] == pytest.approx(69.51519, abs=1e-5) and np.isnan(c["lon"][2])
    assert c["start"].tolist()[0] == 0 and c["end"].tolist()[1] == payload.NO_DAY
    assert (c["start"][2], c["end"][2]) == (44680, 44710)  # days since 1900-01-01
    assert [d["type"][i] for i in c["type"]] == ["clash", "attack", "riot"]
    assert [d["status"][i] for i in c["status"]] == ["claimed", "denied", "corroborated"]
    assert c["kind"].tolist() == [0, 1, 2] and c["precision"].tolist() == [1, 3, 4]
    assert c["province"].tolist() == [1, 1, 255] and c["district"].tolist() == [0, 255, 255]
    assert [d["actor1"][i] for i in c["actor1"]] == ["NRF", "<b>NRF</b>", "NRF"]  # data, as is
    assert c["actor2"].tolist() == [0, 255, 255]  # empty and missing: none
    assert c["fatalities"].tolist() == [12, -1, 0]
    assert [d["title"][i] if i < 255 else None for i in c["title"]] == ["T1", "T2", None]


def test_arrays_are_aligned_for_typed_arrays(frame):
    blob = payload.encode_events(frame, province_codes=["AF-PAN"], district_ids=[])
    size = int.from_bytes(blob[7:11], "little")
    assert (7 + 4 + size) % 8 == 0
    header = payload.decode_events(blob)
    assert all(a["offset"] % 8 == 0 for a in header["arrays"])
    assert payload.decode_events(gzip.compress(blob))["n"] == 3


def test_indices_take_the_smallest_type():
    assert payload._smallest(np.array([0, 3, -1]), 4).dtype == np.uint8
    assert payload._smallest(np.array([300]), 301).dtype == np.uint16
    assert payload._smallest(np.array([70_000, -1]), 70_001).tolist() == [70_000, 2**32 - 1]


def test_not_a_payload_is_refused():
    with pytest.raises(ValueError, match="not an events payload"):
        payload.decode_events(b"PK\x03\x04 zip")


def test_names_follow_the_content():
    assert payload.payload_name(b"a", prefix="p", suffix=".x") != payload.payload_name(
        b"b", prefix="p", suffix=".x"
    )


def test_reported_is_the_latest_publication_day_else_the_claims_own(frame):
    frame = frame.copy()
    frame["sources"] = [
        [
            {"outlet": "Wire", "published": "2022-04-29"},
            {"outlet": "AFP", "published": "2022-05-02"},
        ],
        [{"outlet": "Wire"}],  # no report date, an open range: its start
        [],  # no source: its end
    ]
    blob = payload.encode_events(frame, province_codes=["AF-PAN"], district_ids=[])
    c = payload.decode_events(blob)["columns"]
    day = lambda iso: (pd.Timestamp(iso) - pd.Timestamp(settings.EARLIEST_DATE)).days  # noqa: E731
    assert c["reported"].tolist() == [day("2022-05-02"), day("2022-04-01"), day("2022-05-31")]
    assert c["reported"].tolist()[1:] == [c["start"][1], c["end"][2]]
    assert c["reported_fallback"].tolist() == [0, 1, 1]
    assert c["reported"].dtype == np.uint16 and c["reported_fallback"].dtype == np.uint8
