"""geo/views/cards.py: claims as cards in plain words, the panel's content, the header."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo import views
from geo.claims import Filters
from layers.panel import card_markdown

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "map"


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


def _stances_csv(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    lines = ["stance_id,addresses,party,stance,reported,reported_basis,sources,fatalities"]
    for sid, ids, party, stance, day, figure in rows:
        source = {"file": "fixture.txt", "outlet": "X", "title": "T", "quote": f"{party} said"}
        quoted = json.dumps([source]).replace('"', '""')
        lines.append(f'{sid},{ids},{party},{stance},{day},,"{quoted}",{figure}')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def figured(tmp_path_factory) -> views.MapData:
    """The fixture claims with stances: fx-01 claimed with 40 killed, denied with 2."""
    folder = tmp_path_factory.mktemp("figures")
    for name in ("events.csv", "presence.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    status = {"fx-02": "acknowledges", "fx-03": "denies", "fx-04": "corroborates"}
    rows = [
        ("s1", "fx-01", "NRF", "claims", "2022-01-11", "40"),
        ("s2", "fx-01", "Taliban", "denies", "2022-01-12", "2"),
        ("s3", "fx-03", "NRF", "claims", "2022-03-02", "7"),
        ("s4", "fx-03", "Taliban", "denies", "2022-03-05", ""),
    ]
    ids = ["fx-02", "fx-04", "fx-05", "fx-06", "pres-fx-01", "pres-fx-02"]
    rows += [(f"s-{i}", i, "P", status.get(i, "claims"), "2022-01-01", "") for i in ids]
    (folder / "stances.csv").write_text(_stances_csv(rows), encoding="utf-8")
    data = views.load_map_data(
        folder / "events.csv", presence_path=folder / "presence.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    assert not [p for p in data.problems if "stances.csv" in p]
    return data


def test_a_contested_card_shows_each_side_s_figure_and_says_when_they_disagree(figured):
    events = views.map_frames(figured, filters=Filters(), layers=("events",))["events"]
    cards = {
        c["id"]: c
        for c in views.claim_cards(
            events[events["event_id"].isin(["fx-01", "fx-03", "fx-05"])], stances=figured.stances
        )
    }
    both = cards["fx-01"]
    assert both["contested"]
    assert both["figures"] == "NRF: 40 killed vs Taliban: 2 killed"
    assert both["figures_note"] == (
        "The figures disagree: NRF states 40 killed, Taliban states 2 killed; "
        "each is its party's word."
    )
    assert [s["fatalities"] for s in both["sides"]["claim"] + both["sides"]["denial"]] == [40, 2]
    one = cards["fx-03"]  # the denial gives no number: nothing to disagree with
    assert one["figures"] == "NRF: 7 killed vs Taliban: gives no figure"
    assert one["figures_note"] == ""
    assert cards["fx-05"]["figures"] == "" and not cards["fx-05"]["contested"]
    text = card_markdown(both)
    assert "| Claimed | Denied |" in text
    row = next(line for line in text.splitlines() if line.startswith("| NRF claims it"))
    left, right = row.strip("| ").split(" | ")
    assert left.endswith("Fatalities: 40 killed") and right.endswith("Fatalities: 2 killed")
    assert "**The figures disagree\\: NRF states 40 killed, Taliban states 2 killed" in text
    assert "gives no figure" in card_markdown(one)
    assert "figures disagree" not in card_markdown(one)


def test_exports_carry_each_stance_s_figure(figured):
    events = views.map_frames(figured, filters=Filters(), layers=("events",))["events"]
    records = views.stance_records(events, figured.stances, layer="events")
    figures = {r["stance_id"]: r["fatalities"] for r in records}
    assert figures["s1"] == 40 and figures["s2"] == 2 and figures["s4"] is None
    assert json.loads(json.dumps(records)) == records  # plain JSON values
