"""The claims desk on articles written for the tests (tests/fixtures/articles/README.md).

Each article exercises phrasings an unseen article may use; the assertions are the
candidates a reviewer should get: place, precision, dates, status, claimant,
fatalities, and what is merged.
"""

from __future__ import annotations

import json

import pytest

from geo import settings
from tests.helpers_desk import ARTICLE_PUBLISHED, ARTICLES, loads, quotes, run_article


def _notes(row) -> str:
    return row["notes"]


@pytest.mark.parametrize("name", sorted(ARTICLE_PUBLISHED))
@pytest.mark.parametrize("published", [True, False], ids=["published", "no-date"])
def test_every_test_article_gives_valid_verbatim_candidates(name, published, desk_gazetteer):
    frame = run_article(name, desk_gazetteer, published=published)
    loads(frame)
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    for quote in quotes(frame):
        assert quote in text and 0 < len(quote) <= settings.SOURCE_QUOTE_MAX
        assert not quote.startswith(("Kabul, May", "KABUL", "Mazar-i-Sharif, March"))
    assert frame.equals(run_article(name, desk_gazetteer, published=published))
    if not published:  # without a publication date the year of a dateline is unknown
        assert set(frame["date_end"]) <= {""}
        assert set(frame["date_precision"]) <= {"range", "month"}


def test_rukha_claim_with_its_wounded_and_the_mujahid_denial_is_one_candidate(desk_gazetteer):
    frame = run_article("rukha_monday_night", desk_gazetteer)
    assert len(frame) == 1  # the wounded, the denial, history and a forecast: no more rows
    row = frame.iloc[0]
    assert (row["event_type"], row["actor1"], row["actor2"]) == (
        "attack",
        "National Resistance Front (NRF)",
        "Taliban",
    )
    assert (row["location_name"], row["province_code"], row["district"]) == (
        "Rukha district",
        "AF-PAN",
        "Rukha",
    )
    assert row["location_precision"] == "2" and row["longitude"] == ""
    # dateline "Kabul, May 10" (a Tuesday) and "on Monday night"
    assert (row["date_start"], row["date_end"], row["date_precision"]) == ("2022-05-09", "", "day")
    assert "dateline 'Kabul, May 10'" in row["date_basis"]
    assert row["claimed_by"] == "the group's spokesman Sibghatullah Ahmadi"
    assert (row["fatalities"], row["fatalities_claimed_by"]) == ("7", row["claimed_by"])
    assert row["claim_status"] == "denied"
    assert "Zabihullah Mujahid denied" in row["notes"]
    assert "wounded: 3" in row["notes"]  # the wounded are no deaths
    assert "again in sentence(s) 2, 3" in row["notes"]
    assert quotes(frame)[0].startswith("Fighters of the National Resistance Front attacked")


def test_rukha_without_a_publication_date_says_the_dateline_has_no_year(desk_gazetteer):
    row = run_article("rukha_monday_night", desk_gazetteer, published=False).iloc[0]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        "2021-08-15",
        "",
        "range",
    )
    assert "gives no year and no publication date was given" in row["date_basis"]


def test_andrab_past_three_days_a_dozen_and_a_taliban_figure(desk_gazetteer):
    frame = run_article("andrab_past_three_days", desk_gazetteer)
    assert len(frame) == 3  # the forecast "would be sent ... if" is none
    first, village, taliban = (frame.iloc[k] for k in range(3))
    # "over the past three days", not the "said on Thursday" of the statement
    assert (first["date_start"], first["date_end"], first["date_precision"]) == (
        "2022-06-13",
        "2022-06-16",
        "range",
    )
    assert "'past three days'" in first["date_basis"]
    assert (first["location_name"], first["province_code"], first["location_precision"]) == (
        "Andrab",
        "AF-BGL",
        "2",
    )
    assert (first["event_type"], first["fatalities"]) == ("clash", "12")
    assert "approximate: 'at least a dozen" in first["notes"]
    assert first["claimed_by"] == "a local commander of the resistance"
    assert "wounded: 20" in first["notes"] and "again in sentence(s) 2" in first["notes"]
    # the village, exact: a point
    assert (village["location_name"], village["location_precision"]) == ("Banu", "1")
    assert village["longitude"] != "" and village["province_code"] == "AF-BGL"
    assert (village["event_type"], village["actor2"]) == ("violence_against_civilians", "Civilians")
    assert village["claimed_by"] == "residents of Banu"
    # the Taliban's own, different figure stays its own candidate
    assert (taliban["fatalities"], taliban["claim_status"]) == ("2", "acknowledged")
    assert taliban["claimed_by"] == "A Taliban district official"
    assert taliban["date_precision"] == "range" and taliban["date_start"] == "2021-08-15"


def test_mazar_since_last_august_the_unknown_place_and_the_ambush_told_twice(desk_gazetteer):
    frame = run_article("mazar_last_august", desk_gazetteer)
    assert len(frame) == 3
    balkh, ambush, left = (frame.iloc[k] for k in range(3))
    assert (balkh["date_start"], balkh["date_end"], balkh["date_precision"]) == (
        "2022-08-01",
        "2023-03-05",
        "range",
    )  # "since last August", datelined March 5 with --published 2023-03-05
    assert (balkh["province_code"], balkh["location_precision"]) == ("AF-BAL", "3")
    assert balkh["actor1"] == balkh["claimed_by"] == "Supporters of Atta Mohammad Noor"
    assert balkh["fatalities"] == ""  # "30 attacks" is no death toll
    assert balkh["claim_status"] == "claimed"  # "could not be independently verified"
    # the place the gazetteer does not know: named, country level, no point
    assert (ambush["location_name"], ambush["location_precision"]) == ("Afghanistan", "4")
    assert "'Sar Chashma'" in ambush["location_basis"] and ambush["longitude"] == ""
    assert (ambush["event_type"], ambush["date_start"], ambush["date_precision"]) == (
        "ambush",
        "2023-02-20",
        "week",
    )
    assert (ambush["fatalities"], ambush["claimed_by"]) == (
        "5",
        "A spokesman for the group, Rahmatullah Hamdard",
    )
    assert "wounded: 9" in ambush["notes"]
    assert "again in sentence(s) 4, 5" in ambush["notes"]  # the quotation, the "no comment"
    assert ambush["actor1"] == "Supporters of Atta Mohammad Noor"
    assert "named in the sentences before" in ambush["notes"]
    # "He left Afghanistan when the Taliban took Mazar-i-Sharif in August 2021"
    assert (left["event_type"], left["date_start"], left["date_precision"]) == (
        "strategic_development",
        "2021-08-01",
        "month",
    )
    assert left["location_precision"] == "4" and "Mazar" not in left["location_name"]


def test_plans_forecasts_conditionals_and_history_are_no_candidates(desk_gazetteer):
    assert run_article("forecasts_only", desk_gazetteer).empty


def test_khenj_reinforcements_the_follow_up_and_the_rejection(desk_gazetteer):
    frame = run_article("khenj_outpost", desk_gazetteer)
    assert "Taliban move fighters" not in " ".join(quotes(frame))  # the heading
    sent = frame[frame["event_type"] == "reinforcement"]
    assert len(sent) == 1
    assert (sent.iloc[0]["actor1"], sent.iloc[0]["province_code"]) == ("Taliban", "AF-PAN")
    assert (sent.iloc[0]["date_start"], sent.iloc[0]["date_end"]) == ("2022-09-05", "2022-09-08")
    khenj = frame[frame["location_name"] == "Khenj"]
    assert len(khenj) == 1
    row = khenj.iloc[0]
    assert (row["event_type"], row["location_precision"], row["date_start"]) == (
        "attack",
        "1",
        "2022-09-06",
    )  # "stormed", "Late on Tuesday" before Thursday 8 September
    assert row["claimed_by"] == "a resident"
    # the next sentence names no party, place or date: its figures join this claim
    assert row["fatalities"] == "4"
    assert row["fatalities_claimed_by"].startswith("an unnamed speaker")
    assert "wounded: 2" in row["notes"] and "again in sentence(s) 4" in row["notes"]
    dara = frame[frame["location_name"] == "Dara"].iloc[0]
    assert (dara["event_type"], dara["province_code"], dara["location_precision"]) == (
        "strategic_development",
        "AF-PAN",
        "2",
    )
    assert dara["date_start"] == "2021-08-15"  # "said on Wednesday" dates the statement
    assert dara["claim_status"] == "denied" and "rejected the report" in dara["notes"]
    fled = frame[frame["date_precision"] == "month"].iloc[0]
    assert (fled["date_start"], fled["province_code"]) == ("2021-09-01", "AF-PAN")
    assert len(frame) == 5


def test_kapisa_numbers_in_words_the_vague_area_and_a_confirmation(desk_gazetteer):
    frame = run_article("kapisa_numbers", desk_gazetteer)
    assert len(frame) == 3
    tagab, nijrab, vague = (frame.iloc[k] for k in range(3))
    assert (tagab["fatalities"], tagab["location_name"], tagab["province_code"]) == (
        "25",
        "Tagab district",
        "AF-KAP",
    )
    assert tagab["claimed_by"] == "The Afghanistan Freedom Front (AFF)"
    assert tagab["actor1"] == "Afghanistan Freedom Front (AFF)"
    assert (tagab["date_start"], tagab["date_end"]) == ("2022-06-16", "2022-06-30")
    assert "again in sentence(s) 2" in tagab["notes"]  # "dozens ... wounded": no number
    assert "wounded:" not in tagab["notes"]
    assert (nijrab["event_type"], nijrab["date_start"], nijrab["date_precision"]) == (
        "attack",
        "2022-06-29",
        "day",
    )  # "yesterday" from the dateline June 30
    assert nijrab["fatalities"] == "10" and "approximate: 'killing nearly 10'" in nijrab["notes"]
    assert nijrab["claim_status"] == "acknowledged"
    assert "sentence 4: wounded: 3" in nijrab["notes"]
    assert (vague["location_precision"], vague["province_code"]) == ("4", "")
    assert "several northern provinces" in vague["location_basis"]
    assert json.loads(vague["sources"])[0]["quote"].startswith("The AFF, formed")


def test_kabul_possessive_places_a_surname_and_no_one_killed(desk_gazetteer):
    frame = run_article("kabul_grenade", desk_gazetteer)
    assert len(frame) == 2
    kabul, ambush = frame.iloc[0], frame.iloc[1]
    # "Kabul's Khair Khana": Kabul, and a name the gazetteer does not know
    assert (kabul["location_name"], kabul["province_code"], kabul["location_precision"]) == (
        "Kabul",
        "AF-KAB",
        "3",
    )
    assert "'Khair Khana'" in kabul["location_basis"]
    assert (kabul["date_start"], kabul["date_precision"]) == ("2023-05-31", "day")  # Wednesday
    assert (kabul["event_type"], kabul["actor1"]) == ("attack", "Afghanistan Freedom Front (AFF)")
    # the toll is the group's, stated in the next sentence; "no one was killed" is no 1
    assert (kabul["fatalities"], kabul["fatalities_claimed_by"]) == ("2", "the group")
    assert kabul["claimed_by"] == "The Afghanistan Freedom Front"
    assert "wounded: 3" in kabul["notes"] and "again in sentence(s) 2, 3, 4" in kabul["notes"]
    assert "AF-PIA" not in set(frame["province_code"])  # Khalid Zadran is no district
    assert (ambush["event_type"], ambush["province_code"], ambush["fatalities"]) == (
        "ambush",
        "AF-PAN",
        "5",
    )
    assert "'Abshar district'" in ambush["location_basis"]
    assert ambush["date_start"] == "2023-05-30"
