"""Tests for geo/acled.py: ACLED export rows -> the claims schema (tests/fixtures/acled).

The fixture file, its expected rejections and the `gaz` fixture: tests/helpers_importers.py.
"""

from __future__ import annotations

import json

import pytest

from geo import settings
from geo.io import importers
from tests.helpers_importers import ACLED, ACLED_REJECTED, XSS, _rejections, _row


@pytest.fixture(scope="module")
def acled(gaz, provinces) -> importers.Conversion:
    return importers.convert_file(ACLED, provinces=provinces, gazetteer=gaz)


@pytest.mark.realdata
def test_acled_rejects_exactly_the_bad_rows_with_their_reasons(acled):
    assert acled.fmt == "acled"
    assert acled.rows_read == 14
    assert _rejections(acled) == ACLED_REJECTED
    assert len(acled.events) == 14 - len(ACLED_REJECTED)
    assert list(acled.events.columns) == list(settings.EVENT_COLUMNS)


@pytest.mark.realdata
def test_acled_exact_place_keeps_its_coordinates(acled):
    row = _row(acled, "acled:AFG1001")
    assert (row["longitude"], row["latitude"], row["location_precision"]) == (
        "69.51519",
        "35.31292",
        "1",
    )
    assert (row["location_name"], row["province_code"], row["district"]) == (
        "Bazarak",
        "AF-PAN",
        "Bazarak",
    )
    assert (row["date_start"], row["date_end"], row["date_precision"]) == ("2022-05-12", "", "day")
    assert (row["event_type"], row["claim_status"], row["claimed_by"]) == (
        "clash",
        "claimed",
        "ACLED",
    )
    assert (row["fatalities"], row["fatalities_claimed_by"]) == ("5", "ACLED (reported figure)")
    source = json.loads(row["sources"])
    assert source == [
        {
            "file": "acled_afghanistan.csv",
            "outlet": "Afghanistan International",
            "title": "ACLED AFG1001: Armed clash",
            "quote": "On 12 May 2022, NRF fighters clashed with Taliban forces in Bazarak; NRF "
            "claimed 5 Taliban killed.",
            "original_id": "AFG1001",
            "published": "2022-05-19",  # ACLED's timestamp: the day the dataset reported it
        }
    ]


@pytest.mark.realdata
def test_acled_near_a_town_is_district_precision_without_coordinates(acled):
    row = _row(acled, "acled:AFG1002")  # "Panjsher", geo_precision 2, "14 May 2022", week
    assert (row["province_code"], row["district"], row["location_precision"]) == (
        "AF-PAN",
        "Dara",
        "2",
    )
    assert (row["longitude"], row["latitude"]) == ("", "")
    assert "ACLED's point (lat 35.21585, lon 69.7667) is kept here only" in row["location_basis"]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        "2022-05-11",
        "2022-05-17",
        "week",
    )


@pytest.mark.realdata
def test_acled_province_only_and_month_precision(acled):
    row = _row(acled, "acled:AFG1003")  # "Hilmand", geo_precision 3, time_precision 3
    assert (row["location_name"], row["province_code"], row["district"]) == (
        "Helmand",
        "AF-HEL",
        "",
    )
    assert (row["longitude"], row["latitude"], row["location_precision"]) == ("", "", "3")
    assert "'Lashkar Gah'; only the province is known" in row["location_basis"]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        "2022-06-01",
        "2022-06-30",
        "month",
    )
    assert "event_date is a coded mid-month day, not a real day" in row["date_basis"]
    assert row["event_type"] == "attack"


@pytest.mark.realdata
def test_acled_spellings_missing_fatalities_and_html_payload(acled):
    sari_pul = _row(acled, "acled:AFG1004")
    assert sari_pul["province_code"] == "AF-SAR"
    assert (sari_pul["fatalities"], sari_pul["fatalities_claimed_by"]) == ("", "")
    wardak = _row(acled, "acled:AFG1005")
    assert (wardak["province_code"], wardak["district"]) == ("AF-WAR", "Maydan Shahr")
    assert XSS in wardak["notes"]  # carried as text, verbatim
    assert XSS in json.loads(wardak["sources"])[0]["quote"]
    assert wardak["event_type"] == "strategic_development"


@pytest.mark.realdata
def test_acled_unknown_village_is_named_by_its_district_and_keeps_its_point(acled):
    row = _row(acled, "acled:AFG1010")
    assert (row["location_name"], row["district"], row["location_precision"]) == (
        "Andarab",
        "Andarab",
        "1",
    )
    assert (row["longitude"], row["latitude"]) == ("69.26019", "35.63348")
    assert (
        "the gazetteer does not know 'Qarya-e Nowhere', so the row is named by its district"
        in (row["location_basis"])
    )


@pytest.mark.realdata
def test_acled_near_a_town_in_an_unknown_district_falls_back_to_the_province(acled):
    row = _row(acled, "acled:AFG1012")
    assert (row["location_name"], row["district"], row["location_precision"]) == (
        "Baghlan",
        "",
        "3",
    )
    assert (
        "admin2 'Nowhere' is not a district the gazetteer knows in Baghlan" in row["location_basis"]
    )


@pytest.mark.realdata
def test_acled_long_notes_are_kept_whole_and_quoted_in_300_characters(acled):
    row = _row(acled, "acled:AFG1013")
    assert "\nLocal sources said" in row["notes"] and "could not be verified." in row["notes"]
    quote = json.loads(row["sources"])[0]["quote"]
    assert len(quote) <= settings.SOURCE_QUOTE_MAX and quote.endswith("…")
    assert row["notes"].startswith(quote[:-1])
    assert json.loads(row["sources"])[0]["outlet"] == "Afghanistan International; Hasht-e Subh"


def test_acled_timestamp_is_the_day_the_dataset_reported_a_row():
    import pandas as pd

    from geo.io import acled

    rows = pd.DataFrame({"timestamp": ["1653000000", "", "abc", "-5", "99999999999"]})
    assert acled._published(rows).tolist() == ["2022-05-19", "", "", "", ""]
    assert acled._published(pd.DataFrame(index=[0, 1])).tolist() == ["", ""]  # no column
