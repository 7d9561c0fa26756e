"""Tests for geo/ucdp.py: UCDP GED export rows -> the claims schema (tests/fixtures/ucdp).

The fixture file, its expected rejections and the `gaz` fixture: tests/helpers_importers.py.
"""

from __future__ import annotations

import json

import pytest

from geo.io import importers
from tests.helpers_importers import UCDP, UCDP_REJECTED, XSS, _rejections, _row


@pytest.fixture(scope="module")
def ucdp(gaz, provinces) -> importers.Conversion:
    return importers.convert_file(UCDP, provinces=provinces, gazetteer=gaz)


@pytest.mark.realdata
def test_ucdp_rejects_exactly_the_bad_rows_with_their_reasons(ucdp):
    assert ucdp.fmt == "ucdp"
    assert ucdp.rows_read == 12
    assert _rejections(ucdp) == UCDP_REJECTED
    assert sorted(ucdp.events["event_id"]) == [
        "ucdp:501",
        "ucdp:502",
        "ucdp:503",
        "ucdp:504",
        "ucdp:508",
        "ucdp:510",
    ]


@pytest.mark.realdata
def test_ucdp_precision_codes_and_sources(ucdp):
    exact = _row(ucdp, "ucdp:501")  # "Panjsher province", "Bazarak town", 2 sources
    assert (exact["location_name"], exact["province_code"], exact["district"]) == (
        "Bazarak",
        "AF-PAN",
        "Bazarak",
    )
    assert (exact["longitude"], exact["latitude"], exact["claim_status"]) == (
        "69.51519",
        "35.31292",
        "corroborated",
    )
    assert (exact["fatalities"], exact["fatalities_claimed_by"]) == ("3", "UCDP GED best estimate")
    assert "best 3 (low 2, high 5)" in exact["notes"]
    assert json.loads(exact["sources"]) == [
        {
            "file": "ged_afghanistan.csv",
            "outlet": "Pajhwok Afghan News 2022-05-13",
            "title": "Taliban say fighters killed in Panjshir",
            "quote": "Taliban spokesman",
            "original_id": "501",
            "cites": "Taliban spokesman",
            "published": "2022-05-12",
        }
    ]
    centroid = _row(ucdp, "ucdp:502")  # where_prec 3, date_prec 2
    assert (centroid["district"], centroid["location_precision"], centroid["longitude"]) == (
        "Dara",
        "2",
        "",
    )
    assert (centroid["date_start"], centroid["date_end"], centroid["date_precision"]) == (
        "2022-05-10",
        "2022-05-13",
        "range",
    )
    province = _row(ucdp, "ucdp:503")  # "Hilmand province", where_prec 4, date_prec 4
    assert (province["province_code"], province["location_precision"], province["latitude"]) == (
        "AF-HEL",
        "3",
        "",
    )
    assert (province["date_start"], province["date_end"], province["date_precision"]) == (
        "2022-06-01",
        "2022-06-30",
        "month",
    )
    country = _row(ucdp, "ucdp:504")  # where_prec 6, date_prec 5, one-sided violence
    assert (country["location_name"], country["province_code"], country["location_precision"]) == (
        "Afghanistan",
        "",
        "4",
    )
    assert (country["date_precision"], country["event_type"]) == (
        "range",
        "violence_against_civilians",
    )


@pytest.mark.realdata
def test_ucdp_spellings_missing_best_and_misfit_week(ucdp):
    sari_pul = _row(ucdp, "ucdp:508")  # "Sari Pul province", where_prec 2, best empty
    assert (sari_pul["province_code"], sari_pul["district"], sari_pul["location_precision"]) == (
        "AF-SAR",
        "Sayyad",
        "2",
    )
    assert (sari_pul["fatalities"], sari_pul["fatalities_claimed_by"]) == ("", "")
    wardak = _row(ucdp, "ucdp:510")  # "Maidan Wardak province"; date_prec 3 over 10 days
    assert wardak["province_code"] == "AF-WAR"
    assert (wardak["date_precision"], wardak["date_end"]) == ("range", "2022-05-10")
    assert "the dates do not fit that precision" in wardak["date_basis"]
    assert XSS in json.loads(wardak["sources"])[0]["title"]
