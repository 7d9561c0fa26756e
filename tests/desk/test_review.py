"""geo/desk/review.py, stances.py and append.py: decisions, validation, stances, atomic appends."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from armap import cli
from geo import desk, settings
from geo._csv import frame_bytes
from geo.claims import read_claims, read_stances
from geo.desk.article import MAX_ARTICLE_BYTES, split_sentences
from geo.errors import AppendError, ArticleError
from tests.helpers_desk import ARTICLES, run, run_article, run_seed, seed


# --- the article, the decisions, the problems ------------------------------------------
@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "article up.txt is empty"),
        (b" \n\t\n", "article up.txt is empty"),
        (b"Caf\xe9 talk", r"up.txt is not valid UTF-8: byte 0xe9 at byte offset 3 \(line 1\)"),
        (b"a\x00b", "up.txt holds NUL bytes"),
        (b"x" * (MAX_ARTICLE_BYTES + 1), "is 10,485,761 bytes; at most 10,485,760 are read"),
    ],
)
def test_an_upload_that_is_no_article_is_refused(data, message):
    with pytest.raises(ArticleError, match=message):
        desk.article_text(data, "up.txt")


def test_an_upload_with_a_bom_reads_as_its_text():
    assert desk.article_text("\ufeffRebels fought.".encode(), "a.txt") == "Rebels fought."


def _frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({c: [f"{c}-{i}" for i in range(n)] for c in settings.EVENT_COLUMNS})


def test_only_accepted_rows_are_kept_as_edited():
    table = desk.review_frame(_frame())
    assert table.index.tolist() == [1, 2, 3] and not table[desk.ACCEPT].any()
    assert desk.accepted_rows(table).empty
    table.loc[[1, 3], desk.ACCEPT] = True
    table.loc[3, "notes"] = None  # an emptied cell
    table.loc[1, "actor1"] = "NRF"
    rows = desk.accepted_rows(table)
    assert rows["event_id"].tolist() == ["event_id-0", "event_id-2"]
    assert rows["actor1"].tolist() == ["NRF", "actor1-2"]
    assert rows["notes"].tolist() == ["notes-0", ""]
    assert list(rows.columns) == list(settings.EVENT_COLUMNS)


def test_edits_survive_a_new_table():
    table = desk.review_frame(_frame())
    edited = desk.with_edits(
        table, {"2": {"notes": "checked", desk.ACCEPT: True}, 0: {"nope": 1}, 9: {"notes": "x"}}
    )
    assert edited["notes"].tolist() == ["notes-0", "notes-1", "checked"]
    assert edited[desk.ACCEPT].tolist() == [False, False, True]
    assert table["notes"].tolist() == ["notes-0", "notes-1", "notes-2"]  # a copy


def test_problems_name_row_column_value_and_expected(desk_gazetteer):
    rows = run_seed("003", desk_gazetteer).copy()
    assert desk.row_problems(rows).empty
    rows.loc[0, "notes"] = "two\nlines"  # moves the next rows down a line in the CSV
    rows.loc[1, "latitude"], rows.loc[1, "longitude"] = "95.5", "69.1"
    rows.loc[1, "location_precision"] = "1"
    problems = desk.row_problems(rows)
    lat = problems[problems["column"] == "latitude"].iloc[0]
    assert (lat["row"], lat["event_id"], lat["value"]) == (2, rows.loc[1, "event_id"], "95.5")
    assert "latitude between" in lat["expected"]
    assert set(problems["row"]) == {2}
    assert list(problems.columns) == list(desk.review.PROBLEM_COLUMNS)


def test_quote_spans_find_each_quote_and_not_an_edited_one():
    text = "Kabul. Rebels attacked the Taliban in Takhar. It rained."
    rows = pd.DataFrame(
        {
            "sources": [
                json.dumps([{"quote": "Rebels attacked the Taliban in Takhar."}]),
                json.dumps([{"quote": "not in the text"}]),
                "not JSON",
            ]
        }
    )
    spans = desk.quote_spans(text, rows)
    assert spans == [[(7, 45)], [], []]
    assert text[7:45] == "Rebels attacked the Taliban in Takhar."


# --- stances -----------------------------------------------------------------------
def test_each_row_gets_its_claim_and_a_denial_quotes_the_pointed_sentence(desk_gazetteer):
    rows = run_seed("004", desk_gazetteer)
    text = seed("004").read_text(encoding="utf-8")
    stances = desk.stances_for(rows, text)
    claims = stances[stances["stance"] == "claims"]
    assert claims["addresses"].tolist() == rows["event_id"].tolist()
    assert claims["party"].tolist() == rows["claimed_by"].tolist()
    assert claims["sources"].tolist() == rows["sources"].tolist()
    denied = rows[rows["claim_status"] == "denied"]
    denials = stances[stances["stance"] == "denies"]
    assert denials["addresses"].tolist() == denied["event_id"].tolist()
    pointed = denied[denied["notes"].str.contains("from the article's sentence 13")]
    assert len(pointed)
    sentence = split_sentences(text)[12].text
    for cell in denials[denials["addresses"].isin(pointed["event_id"])]["sources"]:
        (source,) = json.loads(cell)
        assert source["quote"] in text and sentence.startswith(source["quote"])
    # No publication date: the claim's own latest date, and the basis says so.
    assert set(stances["reported_basis"].str.slice(0, 40)) == {
        "no publication date and no bound in the t"[:40]
    }
    result = read_stances(frame_bytes(stances), "s.csv", known_ids=set(rows["event_id"]))
    assert result.problems == []


def test_an_acknowledgement_in_a_later_sentence_quotes_that_sentence(desk_gazetteer):
    rows = run_seed("000", desk_gazetteer)
    text = seed("000").read_text(encoding="utf-8")
    ack = rows[rows["claim_status"] == "acknowledged"]
    assert len(ack) == 1
    stances = desk.stances_for(ack, text)
    assert stances["stance"].tolist() == ["claims", "acknowledges"]
    assert stances["party"].iloc[1] == "Taliban"
    # "His nephew ... was reportedly killed in an intense firefight that was acknowledged
    # by the Taliban": the claim's own sentence is the one before it.
    quote = json.loads(stances["sources"].iloc[1])[0]["quote"]
    assert quote.startswith("His nephew, Sohail Zmarai") and "acknowledged by the Taliban" in quote
    assert quote != json.loads(ack["sources"].iloc[0])[0]["quote"]
    assert set(stances["reported"]) == {"2022-04-29"}  # the published date given
    assert stances["reported_basis"].iloc[0] == "the source's publication date (2022-04-29)"


@pytest.mark.parametrize(
    "extra, reported, basis",
    [
        ({"published_before": "2022-06-21", "published_after": "2022-03-21"}, "2022-06-21",
         "a bound: the source gives no publication date"),
        ({"published_after": "2022-05-01"}, "2022-05-01", "no publication date and no upper"),
    ],
)  # fmt: skip
def test_without_a_date_the_bound_the_row_gives(extra, reported, basis, desk_gazetteer):
    rows = run("Rebels attacked the Taliban in Takhar.", desk_gazetteer).copy()
    sources = json.loads(rows.loc[0, "sources"])
    rows.loc[0, "sources"] = json.dumps([{**sources[0], **extra}])
    (stance,) = desk.stances_for(rows, "Rebels attacked the Taliban in Takhar.").itertuples()
    assert stance.reported == reported and stance.reported_basis.startswith(basis)


@pytest.mark.parametrize(
    "name, stance, sentence",
    [("khenj_outpost", "denies", 6), ("rukha_monday_night", "denies", 3),
     ("kapisa_numbers", "acknowledges", 4)],
)  # fmt: skip
def test_a_status_taken_from_another_sentence_quotes_that_sentence(
    name, stance, sentence, desk_gazetteer
):
    # The extractor notes "status '...' from [the article's] sentence N" when a denial
    # or acknowledgement stands in another sentence than the claim: the other party's
    # stance quotes that sentence, never the claim's own words.
    rows = run_article(name, desk_gazetteer)
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    stances = desk.stances_for(rows, text)
    (other,) = stances[stances["stance"] == stance].itertuples()
    (source,) = json.loads(other.sources)
    assert split_sentences(text)[sentence - 1].text.startswith(source["quote"])
    claim = rows.set_index("event_id").loc[other.addresses]
    assert source["quote"] != json.loads(claim["sources"])[0]["quote"]


def test_notes_pointing_outside_the_article_are_refused(desk_gazetteer):
    text = "Rebels attacked the Taliban in Takhar."
    rows = run(text, desk_gazetteer).copy()
    rows.loc[0, "claim_status"] = "denied"
    rows.loc[0, "notes"] = "status 'denied' from the article's sentence 9 ('x')"
    with pytest.raises(AppendError, match="sentence 9, but the article has 1; fix the notes"):
        desk.stances_for(rows, text)
    rows.loc[0, "notes"] = ""
    rows.loc[0, "sources"] = json.dumps([{**json.loads(rows.loc[0, "sources"])[0], "quote": "x y"}])
    with pytest.raises(AppendError, match=r"denies stance \('x y'\) is not in the article"):
        desk.stances_for(rows, text)


# --- appending ------------------------------------------------------------------------
@pytest.fixture
def claims_dir(tmp_path) -> Path:
    """A copy of the shipped events, presence and stances: a deployment's folder."""
    folder = tmp_path / "claims"
    folder.mkdir()
    for name in ("events.csv", "presence.csv", "stances.csv"):
        shutil.copy(settings.DATA_DIR / name, folder / name)
    return folder


def _validate(*paths: Path) -> int:
    return cli.main(["validate", *map(str, paths)])


@pytest.mark.realdata
def test_append_with_stances_keeps_validate_clean(claims_dir, desk_gazetteer, capsys):
    events, stances = claims_dir / "events.csv", claims_dir / "stances.csv"
    before, stances_before = events.read_bytes(), stances.read_bytes()
    rows = run_seed("004", desk_gazetteer)
    text = seed("004").read_text(encoding="utf-8")
    done = desk.append_events(rows.iloc[[0, 4]], str(events), text=text)
    assert (done.rows, done.stances, done.stance_rows) == (2, stances, 3)  # 01 is denied
    assert events.read_bytes().startswith(before) and stances.read_bytes().startswith(
        stances_before
    )
    loaded = read_claims(events).data
    assert loaded["event_id"].tolist()[-2:] == rows["event_id"].iloc[[0, 4]].tolist()
    assert _validate(events, claims_dir / "presence.csv") == 0, capsys.readouterr().out
    assert "no problems" in capsys.readouterr().out
    assert [p.name for p in claims_dir.iterdir() if p.name.endswith(".part")] == []
    with pytest.raises(AppendError, match=f"already has the event id\\(s\\) {rows['event_id'][0]}"):
        desk.append_events(rows.iloc[[0]], events, text=text)


def test_append_without_stances_keeps_the_file_s_column_order(tmp_path, desk_gazetteer):
    first = run("Rebels attacked the Taliban in Takhar.", desk_gazetteer, file="one.txt")
    order = list(reversed(settings.EVENT_COLUMNS))
    target = tmp_path / "mine.csv"
    target.write_bytes(frame_bytes(first[order]))
    before = target.read_bytes()
    text = "The NRF clashed with the Taliban in Andarab on Sunday."
    rows = run(text, desk_gazetteer, file="two.txt")
    done = desk.append_events(rows, target, text=text)
    assert done.stances is None and done.rows == len(rows)
    after = target.read_bytes()
    assert after.startswith(before) and after.split(b"\r\n")[0] == before.split(b"\r\n")[0]
    loaded = read_claims(target).data
    assert loaded["event_id"].tolist() == [*first["event_id"], *rows["event_id"]]
    assert loaded["actor2"].tolist()[-1] == rows["actor2"].iloc[-1]
    assert _validate(target) == 0
    assert not (tmp_path / "stances.csv").exists()


def test_a_file_without_a_final_line_break_gets_one_and_keeps_lf(tmp_path, desk_gazetteer):
    first = run("Rebels attacked the Taliban in Takhar.", desk_gazetteer, file="one.txt")
    target = tmp_path / "lf.csv"
    target.write_bytes(frame_bytes(first).replace(b"\r\n", b"\n").rstrip(b"\n"))
    rows = run("The NRF clashed with the Taliban in Andarab.", desk_gazetteer, file="two.txt")
    desk.append_events(rows, target, text="The NRF clashed with the Taliban in Andarab.")
    assert b"\r" not in target.read_bytes() and target.read_bytes().endswith(b"\n")
    assert len(read_claims(target).data) == len(first) + len(rows)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "no events file given: type the absolute path"),
        ("   ", "no events file given"),
        ("events.csv", "events.csv is a relative path; type the absolute path"),
        ("/nonexistent/events.csv", "events file not found: /nonexistent/events.csv"),
        ("/etc/passwd", "passwd is not a claims file"),
        ("/etc", "it is a folder, not a regular file"),
    ],
)
def test_append_refuses_a_path_that_is_no_events_file(typed, message, desk_gazetteer):
    rows = run("Rebels attacked the Taliban in Takhar.", desk_gazetteer)
    with pytest.raises(AppendError, match=message):
        desk.append_events(rows, typed, text="Rebels attacked the Taliban in Takhar.")


@pytest.mark.realdata
def test_append_refuses_a_presence_file_and_bad_rows(claims_dir, desk_gazetteer):
    text = "Rebels attacked the Taliban in Takhar."
    rows = run(text, desk_gazetteer)
    presence = claims_dir / "presence.csv"
    before = presence.read_bytes()
    with pytest.raises(AppendError, match=r"presence\.csv: it is a presence file, not an events"):
        desk.append_events(rows, presence, text=text)
    assert presence.read_bytes() == before
    bad = rows.copy()
    bad.loc[0, "date_start"] = "2022-13-01"
    events = claims_dir / "events.csv"
    before = events.read_bytes()
    with pytest.raises(AppendError, match=r"1 problem\(s\) in the accepted rows: row 1 \(cand-a-01"
                       r"\), column 'date_start': found '2022-13-01'"):  # fmt: skip
        desk.append_events(bad, events, text=text)
    misquoted = rows.copy()
    source = json.loads(rows.loc[0, "sources"])[0]
    misquoted.loc[0, "sources"] = json.dumps([{**source, "quote": "Rebels won."}])
    with pytest.raises(AppendError, match="a quote of cand-a-01 is not in the article"):
        desk.append_events(misquoted, events, text=text)
    with pytest.raises(AppendError, match="no candidate is accepted"):
        desk.append_events(rows.iloc[[]], events, text=text)
    assert events.read_bytes() == before


@pytest.mark.realdata
def test_append_refuses_the_app_s_own_data_folder_unless_confirmed(desk_gazetteer):
    text = "Rebels attacked the Taliban in Takhar."
    rows = run(text, desk_gazetteer)
    target = settings.DATA_DIR / "events.csv"
    before = target.read_bytes()
    with pytest.raises(AppendError, match="is in the app's own data folder"):
        desk.append_events(rows, target, text=text)
    with pytest.raises(AppendError, match="is in the app's own data folder"):
        desk.append_events(rows, settings.DATA_DIR / ".." / "data" / "events.csv", text=text)
    assert target.read_bytes() == before


@pytest.mark.realdata
def test_a_stance_id_already_taken_is_refused_and_nothing_written(claims_dir, desk_gazetteer):
    text = "Rebels attacked the Taliban in Takhar."
    rows = run(text, desk_gazetteer)
    stances = claims_dir / "stances.csv"
    extra = f'st-{rows["event_id"][0]},seed-000-01,X,claims,2022-04-29,,"[]"\r\n'
    stances.write_bytes(stances.read_bytes() + extra.encode())
    events = claims_dir / "events.csv"
    before = events.read_bytes()
    with pytest.raises(AppendError, match=r"stances\.csv already has the stance id\(s\) st-cand"):
        desk.append_events(rows, events, text=text)
    assert events.read_bytes() == before


@pytest.mark.realdata
@pytest.mark.parametrize("failing_write", [1, 2], ids=["events-write", "stances-write"])
def test_a_failed_write_leaves_both_files_byte_identical(
    claims_dir, desk_gazetteer, monkeypatch, failing_write
):
    """A disk that fills up during a write (fsync fails): the files are as they were."""
    events, stances = claims_dir / "events.csv", claims_dir / "stances.csv"
    before = {p: p.read_bytes() for p in (events, stances)}
    rows = run_seed("004", desk_gazetteer)
    text = seed("004").read_text(encoding="utf-8")
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == failing_write:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(AppendError, match="No space left on device"):
        desk.append_events(rows, events, text=text)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in (events, stances)} == before
    assert [p.name for p in claims_dir.iterdir() if p.name.endswith(".part")] == []
    assert len(calls) == failing_write + (failing_write == 2)  # the events file put back
