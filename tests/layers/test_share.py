"""layers/share.py: the page's view as URL parameters and back, checked against the data."""

from __future__ import annotations

from datetime import date

import pytest

from layers import share

SPAN = (date(2021, 8, 1), date(2023, 4, 1))
KW = {
    "span": SPAN,
    "known": ["2022-05-01", "latest"],
    "metrics": ["claims", "fatalities", "days_since_last", "presence_level"],
    "layers": ["provinces", "districts", "events", "presence"],
    "provinces": ["AF-PAN", "AF-BGL"],
    "districts": ["AFG-ADM2-1"],
    "options": {
        "actors": ["National Resistance Front (NRF)"],
        "event_types": ["clash", "attack"],
        "statuses": ["claimed", "denied"],
        "sources": ["Ariana News"],
    },
}


def _as_params(encoded: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in encoded.items()}


def test_a_view_survives_the_round_trip_through_the_url():
    values = {
        **share.DEFAULTS,
        "window": (date(2022, 3, 1), date(2022, 6, 30)),
        "metric": "fatalities",
        "province": "AF-BGL",
        "selected": ("AFG-ADM2-1", "district"),
        "claim": "seed-004-06",
        "actors": ["National Resistance Front (NRF)"],
        "types": ["clash", "attack"],
        "statuses": ["denied"],
        "sources": ["Ariana News"],
        "precision": 2,
        "step": "month",
        "mode": "cumulative",
        "show_presence": False,
        "known": "2022-05-01",
        "contested": True,
    }
    encoded = share.encode_view(values, layers=KW["layers"])
    assert encoded["layers"] == "provinces,districts,events"
    decoded, ignored = share.decode_view(_as_params(encoded), **KW)
    assert ignored == []
    for key, value in decoded.items():
        assert value == values[key], key
    assert set(decoded) >= {"window", "metric", "province", "selected", "types", "known"}
    assert share.filters(decoded).known_on == date(2022, 5, 1)
    assert share.filters(decoded).contested and encoded["contested"] == "1"


def test_defaults_give_a_plain_link():
    values = {**share.DEFAULTS, "window": SPAN}
    assert share.encode_view(values, layers=KW["layers"]) == {
        "start": "2021-08-01",
        "end": "2023-04-01",
    }


@pytest.mark.parametrize(
    ("params", "left_out"),
    [
        ({"metric": ["colour"]}, ["metric=colour"]),
        ({"province": ["AF-XXX"]}, ["province=AF-XXX"]),
        ({"area": ["district:AF-PAN"]}, ["area=district:AF-PAN"]),  # a province, not a district
        ({"type": ["clash", "<script>"]}, ["type=<script>"]),
        ({"start": ["2022-13-01"]}, ["start=2022-13-01"]),
        ({"precision": ["9"]}, ["precision=9"]),
        ({"layers": ["events,roads"]}, ["layers=roads"]),
        ({"known": ["2022-05-02"]}, ["known=2022-05-02"]),  # not a report day
        ({"start": ["2030-01-01"]}, ["start..end=2030-01-01..2023-04-01 (outside the data)"]),
    ],
)
def test_what_does_not_fit_the_data_is_left_out_and_listed(params, left_out):
    values, ignored = share.decode_view(params, **KW)
    assert ignored == left_out
    assert "metric" not in values and "province" not in values and "selected" not in values


def test_a_window_is_clipped_to_the_data():
    values, ignored = share.decode_view({"start": ["2001-01-01"], "end": ["2022-01-01"]}, **KW)
    assert values["window"] == (SPAN[0], date(2022, 1, 1)) and ignored == []


def test_clicks_and_clearing_change_the_view():
    values: dict = {**share.DEFAULTS}
    share.select_area(values, {"code": "AF-PAN", "kind": "province"})
    assert (values["selected"], values["province"], values["claim"]) == (
        ("AF-PAN", "province"), "AF-PAN", None,
    )  # fmt: skip
    share.select_claim(values, ["a", "b", "c"], 1)
    assert (values["claim"], values["selected"]) == ("b", None)
    share.select_area(values, {"code": "AFG-ADM2-1", "kind": "district"})
    assert values["province"] == "AF-PAN"  # a district keeps its province shown
    share.follow_window(values, ["2022-01-01", "2022-02-01"])
    assert values["window"] == (date(2022, 1, 1), date(2022, 2, 1))
    share.clear_selection(values)
    assert (values["selected"], values["claim"], values["province"]) == (None, None, "")
    assert share.map_view(values)["province"] is None
