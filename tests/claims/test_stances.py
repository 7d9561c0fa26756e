"""Tests for geo/claims/stances.py: stances read and checked, files without stances.

The status rule itself is tested in test_status.py.

The shipped data/stances.csv is checked against the five articles' coding too.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo import claims, settings, views
from geo.errors import ClaimsFileError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "map"
HEADER = "stance_id,addresses,party,stance,reported,reported_basis,sources\n"
SOURCE = json.dumps([{"file": "a.txt", "outlet": "X", "title": "T", "quote": "untrue"}])


def _row(sid: str, addresses: str, stance: str, reported: str, party: str = "P") -> str:
    quoted = SOURCE.replace('"', '""')
    return f'{sid},{addresses},{party},{stance},{reported},,"{quoted}"\n'


# --- reading a stances file ---------------------------------------------------------
def test_a_blanket_stance_addresses_several_claims():
    data = (HEADER + _row("s1", "e1; e2;p1", "denies", "2022-05-01")).encode()
    result = claims.read_stances(data, "stances.csv", known_ids={"e1", "e2", "p1"})
    assert result.problems == []
    assert result.stances["claim_id"].tolist() == ["e1", "e2", "p1"]
    assert set(result.stances["stance_id"]) == {"s1"} and set(result.stances["line"]) == {2}


def test_every_bad_value_is_named_with_its_line_column_and_value():
    data = (
        HEADER
        + _row("s1", "e1", "refutes", "2022-05-01")
        + _row("s2", "e9", "claims", "2022-05-01")
        + _row("s3", "e1", "claims", "2022-13-01")
        + _row("s3", "e1", "claims", "2022-05-01", party="")
        + 's5,e1,P,claims,2022-05-01,,"[]"\n'
    ).encode()
    result = claims.read_stances(data, "stances.csv", known_ids={"e1"})
    found = {(p.line, p.column, p.value, p.code) for p in result.problems}
    assert found == {
        (2, "stance", "refutes", "unknown_stance"),
        (3, "addresses", "e9", "unknown_id"),
        (4, "reported", "2022-13-01", "bad_date"),
        (5, "stance_id", "s3", "duplicate_id"),
        (5, "party", "", "missing_value"),
        (6, "sources", "[]", "bad_sources"),
    }
    assert "expected claims or denies or acknowledges or corroborates" in str(
        next(p for p in result.problems if p.code == "unknown_stance")
    )
    assert result.stances.empty  # no bad row counts


def test_a_stances_file_without_its_columns_is_refused():
    with pytest.raises(ClaimsFileError, match=r"stances\.csv, line 1: missing column"):
        claims.read_stances(b"stance_id,party\ns1,P\n", "stances.csv")


def test_each_side_s_figure_is_read_and_checked_like_the_events_fatalities():
    header = HEADER.rstrip("\n") + ",fatalities\n"
    rows = [_row(f"s{i}", "e1", "claims", "2022-05-01").rstrip("\n") + f",{cell}\n"
            for i, cell in enumerate(["40", "", " 0 ", "about 40", "-3", "1000001",
                                      "99999999999999999999999", "1000000"])]  # fmt: skip
    result = claims.read_stances((header + "".join(rows)).encode(), "stances.csv")
    found = {(p.line, p.value, p.code) for p in result.problems}
    assert found == {
        (5, "about 40", "bad_fatalities"),
        (6, "-3", "negative_fatalities"),
        (7, "1000001", "too_many_fatalities"),
        (8, "99999999999999999999999", "too_many_fatalities"),
    }
    messages = {p.code: str(p) for p in result.problems}
    assert messages["bad_fatalities"].startswith(
        "stances.csv, line 5, column 'fatalities': found 'about 40'; expected a whole number"
    )
    assert "expected at most 1,000,000" in messages["too_many_fatalities"]
    assert "without a sign" in messages["negative_fatalities"]
    good = result.stances.set_index("stance_id")["fatalities"]
    assert str(good.dtype) == "Int64"
    assert good.dropna().to_dict() == {"s0": 40, "s2": 0, "s7": 1_000_000}
    assert good.isna().tolist() == [False, True, False, False]  # s1 states no figure


def test_a_stances_file_without_the_fatalities_column_still_loads():
    result = claims.read_stances((HEADER + _row("s1", "e1", "claims", "2022-05-01")).encode(), "s")
    assert result.problems == []
    assert result.stances["fatalities"].isna().all()
    assert str(result.stances["fatalities"].dtype) == "Int64"
    assert str(claims.read_stances(HEADER.encode(), "s").stances["fatalities"].dtype) == "Int64"


# --- loading claims with and without stances --------------------------------------------
def test_a_file_without_stances_keeps_its_statuses_as_one_stance_each():
    data = views.load_map_data(
        FIXTURES / "events.csv", presence_path=FIXTURES / "presence.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    assert data.notes == (
        "No stances.csv beside events.csv: each row's claim_status stands as one stance, "
        "by its claimed_by.",
    )
    events = data.stances[data.stances["claim_id"].str.startswith("fx-")]
    assert len(events) == len(data.events)
    by_id = events.set_index("claim_id")
    assert by_id.loc["fx-03", "stance"] == "denies"  # fx-03 is denied
    assert by_id.loc["fx-01", "party"] == "NRF spokesman"


def test_stances_beside_the_files_give_the_status_and_report_a_differing_row(tmp_path):
    for name in ("events.csv", "presence.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    stances = HEADER + _row("s1", "fx-01", "claims", "2022-01-11", party="NRF")
    stances += _row("s2", "fx-01", "denies", "2022-01-12", party="Taliban")
    (tmp_path / "stances.csv").write_text(stances, encoding="utf-8")
    data = views.load_map_data(
        tmp_path / "events.csv", presence_path=tmp_path / "presence.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    status = data.events.set_index("event_id")["claim_status"]
    assert status["fx-01"] == "denied"  # derived: the file says claimed
    messages = [p for p in data.problems if "claim_status" in p]
    assert any("line 2, column 'claim_status': found 'claimed'; expected 'denied'" in p
               for p in messages), messages  # fmt: skip
    # Every other row rests on no stance: each is named, and keeps its own status.
    assert any("expected a stance addressing fx-02" in p for p in messages)
    assert status["fx-03"] == "denied"


def test_an_upload_gets_no_shipped_stances_and_the_page_says_so():
    data = views.load_map_data(
        events_bytes=(FIXTURES / "events.csv").read_bytes(), events_name="mine.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    assert data.problems == ()  # the shipped stances address the shipped events, not these
    assert data.notes[0].startswith("The uploaded claims come without stances")
    assert set(data.stances["claim_id"]) >= set(data.events["event_id"])


# --- the shipped data ---------------------------------------------------------------
@pytest.mark.realdata
def test_the_shipped_statuses_are_the_ones_the_stances_derive():
    data = views.load_map_data()
    assert data.problems == () and data.notes == ()
    stances = data.stances
    untrue = stances[stances["stance_id"] == "st-004-taliban-untrue"]
    # One blanket statement addresses every report of resistance fighting in article 004.
    assert sorted(untrue["claim_id"]) == sorted(
        ["seed-004-01", "seed-004-02", "seed-004-03", "seed-004-06", "seed-004-07"]
        + ["seed-004-15", "seed-004-16"]  # the clashes "across the north and west"
        + [f"pres-004-0{i}" for i in (1, 2, 3, 4, 5, 6, 8)]
    )
    status = pd.concat(
        [
            data.events.set_index("event_id")["claim_status"],
            data.presence.set_index("presence_id")["claim_status"],
        ]
    )
    assert set(status[untrue["claim_id"]]) == {"denied"}
    assert status["seed-000-01"] == "acknowledged"
    # Every claim rests on a stance, and every stance's quote is in its article.
    assert set(status.index) <= set(stances["claim_id"])
    raw = pd.read_csv(settings.STANCES_PATH, dtype=str, keep_default_na=False)
    seeds = settings.ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        for cell in raw["sources"]:
            for source in json.loads(cell):
                text = (seeds / source["file"]).read_text(encoding="utf-8")
                assert source["quote"] in text, source


def test_the_map_as_known_on_a_day(tmp_path):
    for name in ("events.csv", "presence.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    rows = [_row("s1", "fx-01", "claims", "2022-01-11", party="NRF"),
            _row("s2", "fx-01", "denies", "2022-01-20", party="Taliban")]  # fmt: skip
    ids = ["fx-02", "fx-03", "fx-04", "fx-05", "fx-06", "pres-fx-01", "pres-fx-02"]
    status = {"fx-03": "denies", "fx-04": "corroborates"}
    rows += [_row(f"s-{i}", i, status.get(i, "claims"), "2022-01-01") for i in ids]
    (tmp_path / "stances.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    data = views.load_map_data(
        tmp_path / "events.csv", presence_path=tmp_path / "presence.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    assert not [p for p in data.problems if "fx-01" in p or "addresses" in p]

    def status_on(day: str | None) -> dict:
        frames = views.map_frames(data, filters=claims.Filters(known_on=day), layers=("events",))
        return dict(
            zip(frames["events"]["event_id"], frames["events"]["claim_status"], strict=True)
        )

    assert "fx-01" not in status_on("2022-01-10")  # not reported yet
    assert status_on("2022-01-11")["fx-01"] == "claimed"  # claimed before the denial
    assert status_on("2022-01-20")["fx-01"] == "denied"
    assert status_on(None)["fx-01"] == "denied"
    # The window (when it happened) and "as known on" are independent.
    both = claims.Filters(known_on="2022-01-11", start="2022-06-01")
    frames = views.map_frames(data, filters=both, layers=("events",))
    assert "fx-01" not in set(frames["events"]["event_id"])  # outside the window
    timeline = views.claims_timeline(data, filters=claims.Filters(known_on="2021-12-31"))
    assert timeline["claims"].sum() == 0


@pytest.mark.realdata
def test_contested_claims_are_a_filter_and_show_both_sides():
    from layers.panel import card_markdown

    data = views.load_map_data()
    frames = views.map_frames(data, filters=claims.Filters(contested=True))
    assert sorted(frames["events"]["event_id"]) == [
        "seed-004-01", "seed-004-02", "seed-004-03", "seed-004-06", "seed-004-07",
        "seed-004-15", "seed-004-16",
    ]  # fmt: skip
    spring = views.map_frames(
        data, filters=claims.Filters(contested=True, end="2022-05-01"), layers=("presence",)
    )  # presence is drawn as of the window's end
    ids = set(spring["presence"]["presence_ids"].str.split("; ").explode())
    contested = set(data.presence.loc[data.presence["contested"], "presence_id"])
    assert contested == {f"pres-004-0{i}" for i in (1, 2, 3, 4, 5, 6, 8)}
    assert ids == contested - {"pres-004-03", "pres-004-04"}  # those two name no area
    # The claims choropleth of contested claims: one in Ghazni, one in Herat...
    counts = frames["provinces"].set_index("area_code")["claims"]
    assert counts["AF-GHA"] == 1 and counts["AF-HER"] == 1 and counts.sum() == 3
    # Before the denial was reported, nothing was contested.
    early = views.map_frames(
        data, filters=claims.Filters(contested=True, known_on="2022-06-20"), layers=("events",)
    )
    assert early["events"].empty
    # The panel shows the claim and the denial side by side, with both quotes.
    (card,) = views.claim_cards(
        frames["events"][frames["events"]["event_id"] == "seed-004-06"], stances=data.stances
    )
    assert card["contested"]
    text = card_markdown(card)
    assert "| Claimed | Denied |" in text
    assert "Taliban spokespeople denies it \\(reported 2022\\-06\\-21\\): “reports of" in text
    assert "liberating" in text  # the NRF's own quote, beside it
    # Neither side states a number of deaths ("high Taliban casualties" is none).
    assert card["figures"] == (
        "National Resistance Front (NRF): gives no figure vs Taliban spokespeople: gives no figure"
    )
    assert card["figures_note"] == "" and "Fatalities: gives no figure" in text


@pytest.mark.realdata
def test_every_shipped_source_has_its_publication_date_or_bounds():
    raw = {
        name: pd.read_csv(settings.DATA_DIR / name, dtype=str, keep_default_na=False)
        for name in ("events.csv", "presence.csv", "stances.csv")
    }
    for name, frame in raw.items():
        for cell in frame["sources"]:
            for source in json.loads(cell):
                dates = [
                    source.get(k) for k in ("published", "published_after", "published_before")
                ]
                assert any(dates), (name, source)
                for day in filter(None, dates):
                    assert pd.Timestamp(day).strftime("%Y-%m-%d") == day, (name, day)
                if source.get("published_after") and source.get("published_before"):
                    assert source["published_after"] <= source["published_before"]
    # A claim's own stance is reported on its publication date, else its upper bound.
    for _, row in raw["stances.csv"][raw["stances.csv"]["stance"] == "claims"].iterrows():
        sources = json.loads(row["sources"])
        published = {s["published"] for s in sources if s.get("published")}
        before = {s["published_before"] for s in sources if s.get("published_before")}
        if published:
            assert row["reported"] == max(published), row["stance_id"]
        elif before:
            assert row["reported"] == max(before), row["stance_id"]
        else:
            assert row["reported"] >= max(s["published_after"] for s in sources)


#: The rule for place-less civilian-harm claims (data/README.md): a row names an act of
#: violence against people; these statements name none (or are not claims of events)
#: and are not rows.
ACT = re.compile(r"kill|execut|shot|abduct|kidnap|detain|arrest|disappear|beat|rape", re.I)
NOT_ROWS = {
    "000_957e56f18317402b.txt": ["Taliban rule that has repressed women"],
    "001_c52b5ca9766e4987.txt": [
        "ruthlessly targeted",
        "the extremists’ repression of women, girls, and ethnic groups",
    ],
    "003_d536158283322625.txt": ["brutally punishing their opponents"],
    "004_e87e61225aed3ede.txt": [
        "ethnic cleansing by targeting Tajiks and Shiite Hazaras",
        "ruling with brutality and violence",
        "the Taliban’s unremitting savagery",
        "growing crimes of the Taliban",
        "rule through violence",
        "20 years of roadside bombings, ambushes, and reprisal killings",
    ],
}


def _quotes(cell: str) -> list[str]:
    return [source["quote"] for source in json.loads(cell)]


@pytest.mark.realdata
def test_place_less_civilian_harm_claims_follow_one_rule():
    raw = {
        name: pd.read_csv(settings.DATA_DIR / name, dtype=str, keep_default_na=False)
        for name in ("events.csv", "presence.csv")
    }
    events = raw["events.csv"]
    harm = events[events["event_type"] == "violence_against_civilians"]
    for _, row in harm.iterrows():  # every row names an act, in its own quotes
        assert any(ACT.search(q) for q in _quotes(row["sources"])), row["event_id"]
    placeless = harm[harm["location_precision"] == "4"]
    # No place: the country, never a region, a province, a district or a point.
    assert set(placeless["location_name"]) == {"Afghanistan"}
    empty = placeless[["province_code", "district", "longitude", "latitude"]]
    assert (empty == "").all().all()
    quotes = " | ".join(q for f in raw.values() for c in f["sources"] for q in _quotes(c))
    # Applied evenly: the place-less acts of every article are rows, whoever states them...
    for act in ("house-to-house killings and kidnappings for ransom",
                "detained, and often killed arbitrarily", "abduct and kill civilians",
                "arrested, beaten, disappeared, and killed"):  # fmt: skip
        assert act in quotes, act
    # ...and the statements that name no act are not, and the README says why.
    readme = " ".join((settings.ROOT / "data" / "README.md").read_text(encoding="utf-8").split())
    seeds = settings.ROOT.parent / "shared" / "seeds"
    for file, phrases in NOT_ROWS.items():
        text = (seeds / file).read_text(encoding="utf-8") if seeds.is_dir() else None
        for phrase in phrases:
            assert phrase not in quotes and phrase in readme, phrase
            assert text is None or phrase in text, (file, phrase)


@pytest.mark.realdata
def test_each_shipped_figure_is_the_one_its_party_states():
    events = pd.read_csv(settings.EVENTS_PATH, dtype=str, keep_default_na=False)
    raw = pd.read_csv(settings.STANCES_PATH, dtype=str, keep_default_na=False)
    figures = raw[raw["fatalities"] != ""]
    assert len(figures) >= 1  # the column is filled where a party gives a number
    for _, stance in figures.iterrows():
        said = " ".join(_quotes(stance["sources"]))
        number = int(stance["fatalities"])
        assert str(number) in said or (number == 1 and "killed" in said), stance["stance_id"]
    # A row's figure is its claimant's: the stance by fatalities_claimed_by states it.
    by_party = {
        (claim, party): value
        for ids, party, value in zip(raw["addresses"], raw["party"], raw["fatalities"], strict=True)
        for claim in ids.split(";")
    }
    for _, row in events[events["fatalities"] != ""].iterrows():
        key = (row["event_id"], row["fatalities_claimed_by"])
        assert by_party.get(key) == row["fatalities"], key
