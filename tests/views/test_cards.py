"""geo/views/cards.py: claims as cards in plain words, the panel's content, the header."""

from __future__ import annotations

import pytest

from geo import views
from geo.claims import Filters
from layers.panel import card_markdown


@pytest.fixture(scope="module")
def frames(fixture_data) -> dict:
    return views.map_frames(fixture_data, filters=Filters())


def test_a_card_says_everything_in_plain_words(frames):
    (card,) = views.claim_cards(frames["events"][frames["events"]["event_id"] == "fx-04"])
    assert card["title"] == "Casualty claim" and "_" not in card["title"]
    assert card["status"] == "Corroborated by an independent source"
    assert card["when"] == "2022-06-06 – 2022-06-12 (within a week)"
    assert card["fatalities"] == "5 killed, as claimed by NRF"
    assert card["where"] == "Panjshir (location known to: province)"
    assert card["when_basis"] == "fixture: 'this week'"
    (source,) = card["sources"]
    assert source["quote"] and source["citation"].endswith("Source file: fixture.txt.")


def test_cards_are_newest_first_and_limited(frames):
    cards = views.claim_cards(frames["events"])
    starts = [c["when"][:10] for c in cards]
    assert starts == sorted(starts, reverse=True) and len(cards) == 6
    assert len(views.claim_cards(frames["events"], limit=2)) == 2


def test_the_panel_shows_an_area_or_a_claim_first(frames):
    assert views.panel_content(frames, selected=None, claim=None, limit=30) is None
    area = views.panel_content(frames, selected=("AF-PAN", "province"), claim=None, limit=30)
    assert area["figures"]["name"] == "Panjshir" and area["total"] == 2
    assert [c["id"] for c in area["cards"]] == ["fx-04", "fx-01"]
    claim = views.panel_content(frames, selected=None, claim="fx-01", limit=30)
    assert [c["id"] for c in claim["cards"]] == ["fx-01", "fx-04"]  # the claim, then its area
    assert claim["area"] == ("AF-PAN", "province")
    gone = views.panel_content(frames, selected=None, claim="fx-99", limit=30)
    assert gone["note"] == "Claim fx-99 is not in the window or the filters." and not gone["cards"]
    unplaced = views.panel_content(frames, selected=None, claim="fx-05", limit=30)
    assert unplaced["area"] is None and [c["id"] for c in unplaced["cards"]] == ["fx-05"]
    made = []
    views.panel_content(lambda: made.append(1) or frames, selected=None, claim=None, limit=1)
    assert made == []  # nothing selected: the frames are not made


def test_markup_in_a_card_stays_text(frames):
    (card,) = views.claim_cards(frames["events"][frames["events"]["event_id"] == "fx-01"])
    text = card_markdown(card, selected=True)
    assert "<img" not in text.replace("\\<img", "")
    assert text.startswith("📍 Selected on the map")
    evil = {**card, "sources": [{**card["sources"][0], "url": "javascript:alert(1)"}]}
    assert "javascript" not in card_markdown(evil).split("open the article")[0][-40:]
    assert "open the article" not in card_markdown(evil)
    good = {**card, "sources": [{**card["sources"][0], "url": "https://example.org/a (1)"}]}
    assert "[open the article](https://example.org/a%20%281%29)" in card_markdown(good)


def test_the_header_says_what_the_map_holds(fixture_data):
    summary = views.data_summary(fixture_data.events, fixture_data.span)
    assert summary.startswith("6 claims from 1 article, Sep 2021–Sep 2022.")
    assert "one side's word" in summary


def test_province_labels_carry_dari_names(fixture_data):
    labels = views.province_labels(fixture_data)
    assert labels["AF-PAN"].startswith("Panjshir · ") and "پنجشیر" in labels["AF-PAN"]
    assert list(labels.values()) == sorted(labels.values())


def test_a_card_lists_who_says_what_and_when(frames):
    import pandas as pd

    stances = pd.DataFrame(
        {
            "stance_id": ["s2", "s1"],
            "claim_id": ["fx-03", "fx-03"],
            "party": ["Taliban", "NRF"],
            "stance": ["denies", "claims"],
            "reported": pd.to_datetime(["2022-03-05", "2022-03-02"]),
        }
    )
    (card,) = views.claim_cards(
        frames["events"][frames["events"]["event_id"] == "fx-03"], stances=stances
    )
    assert card["stances"] == [
        "NRF claims it (reported 2022-03-02)",
        "Taliban denies it (reported 2022-03-05)",
    ]
    assert "Who says what: NRF claims it \\(reported 2022\\-03\\-02\\); Taliban" in card_markdown(
        card
    )
