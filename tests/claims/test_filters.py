"""Tests for geo/claims/filters.py: a time window and selections over loaded events and presence.

Rows and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from geo import claims
from tests.helpers_claims import PANJSHIR, SOURCE, event, point, presence_csv


@pytest.fixture
def events(load):
    two = json.dumps([SOURCE, {**SOURCE, "file": "004_y.txt", "outlet": "AFP"}])
    return load(
        event(1, date_precision="day", date_start="2022-04-20"),
        event(2, date_precision="month", date_start="2022-03-01", actor1="Taliban", actor2=""),
        event(3, date_precision="range", date_start="2021-09-01", event_type="attack"),
        event(4, **point(PANJSHIR), date_start="2021-08-02", claim_status="denied", sources=two),
    ).data


def ids(frame) -> list[str]:
    return frame["event_id"].tolist()


def test_filter_window_uses_overlap(events):
    assert ids(
        claims.filter_events(events, claims.Filters(start="2022-03-31", end="2022-03-31"))
    ) == [
        "t-02",
        "t-03",
    ]
    assert ids(claims.filter_events(events, claims.Filters(start="2022-04-21"))) == ["t-03"]
    assert ids(claims.filter_events(events, claims.Filters(end="2021-08-31"))) == ["t-04"]
    assert ids(claims.filter_events(events)) == ["t-01", "t-02", "t-03", "t-04"]


def test_filter_by_actor_type_status_precision_and_source(events):
    assert ids(claims.filter_events(events, claims.Filters(actors=["taliban"]))) == [
        "t-01",
        "t-02",
        "t-03",
        "t-04",
    ]
    assert ids(
        claims.filter_events(events, claims.Filters(actors=["National Resistance Front (NRF)"]))
    ) == [
        "t-01",
        "t-03",
        "t-04",
    ]
    assert ids(claims.filter_events(events, claims.Filters(event_types=["attack"]))) == ["t-03"]
    assert ids(claims.filter_events(events, claims.Filters(statuses=["denied"]))) == ["t-04"]
    assert ids(claims.filter_events(events, claims.Filters(coarsest_precision=2))) == ["t-04"]
    assert ids(claims.filter_events(events, claims.Filters(sources=["AFP"]))) == ["t-04"]
    assert ids(claims.filter_events(events, claims.Filters(sources=["004_y.txt"]))) == ["t-04"]
    assert len(claims.filter_events(events, claims.Filters(sources=["000_x.txt"]))) == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2022-05-01", "end": "2022-04-01"}, r"start \(2022-05-01\) is after end"),
        ({"start": "soon"}, "start must be a date"),
        ({"event_types": ["battle"]}, r"unknown event_types \['battle'\]; expected some of"),
        ({"statuses": ["rumour"]}, r"unknown statuses \['rumour'\]"),
        ({"coarsest_precision": 5}, r"coarsest_precision must be one of \[1, 2, 3, 4\], not 5"),
    ],
)
def test_filters_are_checked_when_made(kwargs, message):
    with pytest.raises(ValueError, match=message):
        claims.Filters(**kwargs)


def test_filter_presence_and_as_of(provinces):
    data = presence_csv(
        {"period_end": "2022-04-29"},
        {"presence_id": "p-02", "group": "AFF", "period_start": "2022-02-01"},
    )
    presence = claims.read_claims(
        kind="presence", source=data, name="p.csv", provinces=provinces, gazetteer=None
    ).data
    after = claims.Filters(start="2022-05-01")
    assert claims.filter_presence(presence, after)["presence_id"].tolist() == ["p-02"]
    aff = claims.Filters(actors=["aff"])
    assert claims.filter_presence(presence, aff)["presence_id"].tolist() == ["p-02"]
    assert claims.filter_presence(presence, as_of="2022-03-01")["presence_id"].tolist() == [
        "p-01",
        "p-02",
    ]
    assert claims.filter_presence(presence, as_of="2021-01-01").empty
    assert claims.filter_presence(presence, aff, as_of="2022-03-01")["group"].tolist() == ["AFF"]


def test_filters_keep_dates_as_dates_and_drop_repeats():
    f = claims.Filters(start="2022-04-01", end=date(2022, 4, 30), actors=("NRF", "NRF"))
    assert (f.start, f.end, f.actors) == (date(2022, 4, 1), date(2022, 4, 30), ("NRF",))
    assert f.without_window() == claims.Filters(actors=("NRF",))
