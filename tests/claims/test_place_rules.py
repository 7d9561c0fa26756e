"""Tests for geo/place_rules.py: where a claim is, its point and its place name.

Rows, `csv_text`, `FakeGazetteer` and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import pytest

from geo import claims
from tests.helpers_claims import KABUL, FakeGazetteer, csv_text, event, only, point


# --- coordinates --------------------------------------------------------------------
def test_latitude_out_of_range_message(load):
    problem = only(load(event(**point(("69.2", "95.2")))), "out_of_range")
    assert str(problem).startswith(
        "events.csv, line 2, column 'latitude': found '95.2'; expected a latitude between "
        "29.3 and 38.6"
    )


def test_longitude_out_of_range(load):
    problem = only(load(event(**point(("-69.2", "34.5")))), "out_of_range")
    assert problem.column == "longitude" and "check the sign" in str(problem)


def test_point_outside_afghanistan(load):
    problem = only(load(event(**point(("74.0", "31.0")))), "outside_afghanistan")
    assert "(74.0, 31.0) lies in no province" in str(problem)


def test_swapped_longitude_and_latitude(load):
    problem = only(load(event(**point(("35.3", "69.9")))), "swapped_coordinates")
    assert "longitude and latitude look swapped: (69.9, 35.3) lies in Panjshir" in str(problem)


def test_province_code_that_disagrees_with_the_point_names_both(load):
    problem = only(load(event(**point(KABUL))), "province_mismatch")
    assert problem.column == "province_code" and problem.value == "AF-PAN"
    assert "expected AF-KAB (Kabul), the province holding the point" in str(problem)
    assert "not Panjshir (AF-PAN)" in str(problem)


def test_points_within_the_border_tolerance_are_accepted(write_text, tiny_provinces):
    # The tiny Parwan/Panjshir border is lon 70.0; 0.01 degree is about 0.9 km.
    rows = [event(1, **point(("69.99", "35.5"))), event(2, **point(("69.9", "35.5")))]
    path = write_text("events.csv", csv_text(rows))
    result = claims.read_claims(
        kind="events", source=path, on_invalid="report", provinces=tiny_provinces, gazetteer=None
    )
    problem = only(result, "province_mismatch")
    assert problem.line == 3 and "AF-PAR (Parwan)" in str(problem)


# --- place names --------------------------------------------------------------------
def test_unknown_place_name(load):
    result = load(event(location_name="Xyzzy"), gazetteer=FakeGazetteer())
    problem = only(result, "unknown_place")
    assert "a place the gazetteer knows in Panjshir (AF-PAN)" in str(problem)
    assert "add the spelling to data/aliases.csv" in str(problem)


def test_place_in_another_province(load):
    result = load(event(location_name="Andarab"), gazetteer=FakeGazetteer())
    problem = only(result, "place_not_in_province")
    assert "a place in Panjshir (AF-PAN), the row's province" in str(problem)


def test_precision_4_resolves_without_a_province(load):
    row = event(location_name="Afghanistan", province_code="", location_precision="4")
    assert load(row, gazetteer=FakeGazetteer()).ok
    bad = event(location_name="Atlantis", province_code="", location_precision="4")
    assert "a place name the gazetteer knows" in str(
        only(load(bad, gazetteer=FakeGazetteer()), "unknown_place")
    )


def test_ambiguous_place_is_accepted_and_names_are_resolved_once(load):
    gazetteer = FakeGazetteer()
    result = load(*(event(i, location_name="Kabul") for i in range(1, 6)), gazetteer=gazetteer)
    assert result.ok and gazetteer.calls == 1


def test_gazetteer_none_skips_the_place_check(load):
    assert load(event(location_name="Xyzzy"), gazetteer=None).ok


# --- real data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_gazetteer():
    from geo.places.gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.mark.realdata
def test_real_gazetteer_checks_place_names_within_the_province(load, real_gazetteer):
    result = load(
        event(1, location_name="Bazarak"),
        event(2, location_name="Panjsher"),
        event(3, location_name="Bazarak", province_code="AF-PAR"),
        event(4, location_name="Xyzzyville"),
        event(5, location_name="Afghanistan", province_code="", location_precision="4"),
        gazetteer=real_gazetteer,
    )
    assert [(p.line, p.code) for p in result.problems] == [
        (4, "place_not_in_province"),
        (5, "unknown_place"),
    ]
    assert "'Bazarak' is not in AF-PAR (Parwan)" in str(result.problems[0])
    assert "a place the gazetteer knows in Panjshir (AF-PAN)" in str(result.problems[1])


@pytest.mark.realdata
def test_ten_thousand_rows_with_real_place_names_all_resolve(provinces, real_gazetteer):
    places = real_gazetteer.places
    places = places[places["province_code"].notna()].head(800)
    n = len(places)
    assert n > 300
    pairs = list(zip(places["name"], places["province_code"], strict=True))
    rows = [
        event(
            i,
            event_id=f"synth-{i:06d}",
            location_name=pairs[i % n][0],
            province_code=pairs[i % n][1],
        )
        for i in range(10_000)
    ]
    data = csv_text(rows).encode()
    result = claims.read_claims(
        kind="events", source=data, name="synth.csv", provinces=provinces, gazetteer=real_gazetteer
    )
    assert result.ok
    assert len(result.data) == 10_000
