"""Tests for geo/column_schema.py: each column of a claims file checked on its own.

Rows, `csv_text` and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import pytest

from geo import claims
from geo.errors import SchemaError
from tests.helpers_claims import PANJSHIR, event, only, point, presence_csv


# --- dates --------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["22/04/2022", "2022-4-18", "April 2022"])
def test_bad_date_format(load, value):
    problem = only(load(event(date_start=value)), "bad_date")
    assert str(problem) == (
        f"events.csv, line 2, column 'date_start': found '{value}'; expected a date as "
        "YYYY-MM-DD (e.g. 2022-04-29) in date_start"
    )


def test_impossible_date(load):
    problem = only(load(event(date_start="2022-02-30")), "impossible_date")
    assert "found '2022-02-30'; expected a real calendar date" in str(problem)


def test_future_date(load):
    problem = only(load(event(date_start="2999-01-01", date_precision="day")), "future_date")
    assert "a claim cannot be in the future" in str(problem)


# --- vocabularies and required values -----------------------------------------------
@pytest.mark.parametrize(
    ("column", "value", "hint"),
    [
        ("event_type", "Clash", "did you mean 'clash'?"),
        ("date_precision", "daily", "one of day, week, month, range"),
        ("claim_status", "claim", "did you mean 'claimed'?"),
        ("location_precision", "5", "one of 1, 2, 3, 4"),
    ],
)
def test_bad_vocabulary(load, column, value, hint):
    problem = only(load(event(**{column: value})), "bad_vocabulary")
    assert problem.column == column and problem.value == value
    assert hint in str(problem)


@pytest.mark.parametrize("column", ["event_id", "date_basis", "actor1", "location_basis"])
def test_required_values(load, column):
    problem = only(load(event(**{column: ""})), "missing_value")
    assert f"column '{column}': found an empty value" in str(problem)
    assert "this column is required" in str(problem)


def test_duplicate_ids_list_every_line(load):
    result = load(
        event(1), event(2, notes="two\nlines"), event(1), event(3), event(1, event_type="Clash")
    )
    dupes = [p for p in result.problems if p.code == "duplicate_id"]
    assert [p.line for p in dupes] == [2, 5, 7]
    assert all("'t-01' is on lines 2, 5, 7: give each row its own id" in str(p) for p in dupes)
    assert {p.code for p in result.problems} == {"duplicate_id", "bad_vocabulary"}
    assert result.data["event_id"].tolist() == ["t-02", "t-03"]


def test_bad_precision_with_coordinates_is_one_problem(load):
    problem = only(load(event(**point(PANJSHIR, location_precision="1.5"))), "bad_vocabulary")
    assert problem.column == "location_precision"


def test_presence_precision_1_is_not_allowed(provinces):
    data = presence_csv({"location_precision": "1"})
    with pytest.raises(SchemaError, match=r"found '1'; expected one of 2, 3, 4"):
        claims.read_claims(
            kind="presence", source=data, name="presence.csv", provinces=provinces, gazetteer=None
        )


# --- numbers and province codes -----------------------------------------------------
@pytest.mark.parametrize(("column", "value"), [("latitude", "35,3"), ("longitude", "abc")])
def test_coordinates_not_a_number(load, column, value):
    result = load(event(**point(PANJSHIR, **{column: value})))
    problem = only(result, "not_a_number")
    assert problem.column == column and f"expected a {column} in decimal degrees" in str(problem)


def test_unknown_province_code(load):
    problem = only(load(event(province_code="Panjsher")), "unknown_province")
    assert "expected an ISO 3166-2 province code such as AF-PAN" in str(problem)
    assert "for 'Panjsher' write AF-PAN" in str(problem)
    problem = only(load(event(province_code="AF-XYZ")), "unknown_province")
    assert "write" not in str(problem)


@pytest.mark.parametrize("value", ["3.5", "twelve", "~10"])
def test_fatalities_must_be_whole_numbers(load, value):
    result = load(event(fatalities=value, fatalities_claimed_by="NRF"))
    assert "expected a whole number as claimed" in str(only(result, "bad_fatalities"))


def test_negative_fatalities(load):
    result = load(event(fatalities="-2", fatalities_claimed_by="NRF"))
    assert "a number of at least 0" in str(only(result, "negative_fatalities"))


# --- numbers and dates a program cannot hold ---------------------------------------------
@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        ("99999999999999999999999", "too_many_fatalities", "at most 1,000,000 (a number that"),
        ("1000001", "too_many_fatalities", "at most 1,000,000"),
        ("٥", "bad_fatalities", "a whole number as claimed, written with the digits 0-9"),
        ("१२", "bad_fatalities", "written with the digits 0-9"),
        ("1e3", "bad_fatalities", "a whole number as claimed"),
    ],
)
def test_fatalities_a_program_cannot_hold_are_rejected(load, value, code, expected):
    problem = only(load(event(fatalities=value, fatalities_claimed_by="NRF")), code)
    assert str(problem).startswith(f"events.csv, line 2, column 'fatalities': found '{value}'")
    assert expected in problem.expected
    assert load(event(fatalities="1000000", fatalities_claimed_by="NRF")).ok


@pytest.mark.parametrize(
    "value", ["inf", "-inf", "nan", "Infinity", "1e2", "0x45", "٦٩.٥", "69,5", "69.5.1"]
)
def test_coordinates_must_be_plain_decimals(load, value):
    problem = only(load(event(**point(PANJSHIR, longitude=value))), "not_a_number")
    assert str(problem) == (
        f"events.csv, line 2, column 'longitude': found '{value}'; expected a longitude in "
        "decimal degrees written with the digits 0-9 (e.g. 69.51), or empty"
    )


@pytest.mark.parametrize("value", ["1700-01-15", "1899-12-31", "0001-01-01"])
def test_dates_before_1900_are_rejected(load, value):
    problem = only(load(event(date_start=value, date_precision="day")), "date_too_early")
    assert str(problem) == (
        f"events.csv, line 2, column 'date_start': found '{value}'; expected a date on or after "
        "1900-01-01, the earliest date the map shows (check the year)"
    )
    assert load(event(date_start="1900-01-01", date_precision="day")).ok


def test_presence_periods_before_1900_are_rejected(provinces):
    data = presence_csv({"period_start": "1850-05-01"}, {"presence_id": "p-02"})
    result = claims.read_claims(
        data, kind="presence", name="p.csv", on_invalid="report", provinces=provinces,
        gazetteer=None,
    )  # fmt: skip
    assert [(p.line, p.column, p.code) for p in result.problems] == [
        (2, "period_start", "date_too_early")
    ]
    assert len(result.data) + len(result.rejected) == 2
