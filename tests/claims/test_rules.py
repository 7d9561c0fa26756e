"""Tests for geo/rules.py: rules across the columns of a claims file.

Rows, `csv_text` and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import json
import re

import pytest

from geo import claims
from geo.errors import SchemaError
from tests.helpers_claims import PANJSHIR, SOURCE, event, only, point, presence_csv


# --- dates --------------------------------------------------------------------------
def test_date_end_before_date_start(load):
    result = load(event(date_start="2022-04-18", date_end="2022-04-01", date_precision="range"))
    problem = only(result, "date_order")
    assert problem.column == "date_end"
    assert "expected a date on or after date_start (2022-04-18)" in str(problem)


def test_day_precision_with_a_different_end(load):
    result = load(event(date_start="2022-04-18", date_end="2022-04-20", date_precision="day"))
    assert "use date_precision 'range'" in str(only(result, "date_precision_mismatch"))


def test_presence_period_order(provinces):
    data = presence_csv({"period_start": "2022-01-01", "period_end": "2021-01-01"})
    with pytest.raises(SchemaError, match=r"column 'period_end'.*on or after period_start"):
        claims.read_claims(
            kind="presence", source=data, name="presence.csv", provinces=provinces, gazetteer=None
        )


# --- precision and coordinates ------------------------------------------------------
def test_missing_province_code_is_allowed_only_at_precision_4(load):
    result = load(event(1, province_code=""), event(2, province_code="", location_precision="4"))
    problem = only(result, "missing_value")
    assert problem.line == 2 and "may be empty only when location_precision is 4" in str(problem)


def test_coordinates_for_a_vague_place(load):
    result = load(event(**point(PANJSHIR, location_precision="3")))
    problem = only(result, "coordinates_for_vague_place")
    assert problem.value == "69.9, 35.3"
    assert "location_precision is 3 (province)" in str(problem)
    assert "coordinates are given only for an exact place" in str(problem)


def test_missing_coordinates_at_precision_1(load):
    problem = only(load(event(location_precision="1")), "missing_coordinates")
    assert "add longitude and latitude, or lower location_precision" in str(problem)


def test_one_coordinate_without_the_other(load):
    problem = only(load(event(**point(PANJSHIR, latitude=""))), "incomplete_coordinates")
    assert problem.column == "latitude" and "give both longitude and latitude" in str(problem)


# --- fatalities ---------------------------------------------------------------------
def test_fatalities_need_who_claims_them(load):
    problem = only(load(event(fatalities="12")), "missing_fatalities_source")
    assert problem.column == "fatalities_claimed_by"
    assert "who claims the 12 fatalities" in str(problem)


def test_who_claims_fatalities_needs_a_number(load):
    result = load(event(fatalities_claimed_by="NRF"))
    assert "an empty value when fatalities is empty" in str(
        only(result, "fatalities_source_without_number")
    )


# --- sources ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("not json", r"expected valid JSON \(Expecting value at character 0\)"),
        (json.dumps(SOURCE), r"a non-empty JSON array of objects"),
        ("[]", r"a non-empty JSON array of objects"),
        ('["RFE/RL"]', r"source 1 to be a JSON object with the keys file, outlet, title, quote"),
        (
            json.dumps([SOURCE, {"file": "a.txt", "outlet": "x", "title": ""}]),
            r"source 2 to have the keys .* \(missing or empty: title, quote;",
        ),
    ],
)
def test_bad_sources(load, value, expected):
    problem = only(load(event(sources=value)), "bad_sources")
    assert problem.column == "sources"
    assert re.search(expected, str(problem)), str(problem)


def test_quote_longer_than_300_characters(load):
    long = {**SOURCE, "quote": "x" * 301}
    problem = only(load(event(sources=json.dumps([long]))), "quote_too_long")
    assert "at most 300 characters (it has 301); quote a short phrase only" in str(problem)
    assert len(problem.value) <= 80


def test_optional_source_keys_are_accepted(load):
    full = {**SOURCE, "cites": "AFP", "published": "2022-04-29", "url": "https://x", "cites2": 1}
    assert load(event(sources=json.dumps([full]))).ok
