"""The claims desk's page (pages/claims_desk.py), driven by AppTest: article in, rows out.

AppTest cannot edit a data_editor's cells (its ``set_value`` raises), so the decisions
are made with the page's "Accept all" and "Reject all" buttons, and an edit is made the
way the page itself stores the table (``desk_rows``); the real editing is in
tests/test_browser_desk.py.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from armap import cli
from geo import settings
from geo.claims import read_claims
from tests.helpers_desk import seed

ROOT = Path(__file__).resolve().parent.parent
FIND = "FormSubmitter:desk_input-Find candidates"


@pytest.fixture
def page() -> AppTest:
    # Opened as a page of the app (its link back to the map needs the app as main page).
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/claims_desk.py").run()
    assert not at.exception, at.exception
    return at


def _find(at: AppTest, text: str, **fields: object) -> AppTest:
    at.text_area(key="desk_paste").input(text)
    for key, value in fields.items():
        widget = at.date_input(key=key) if key == "desk_published" else at.text_input(key=key)
        widget.set_value(value)
    at.button(key=FIND).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _plain(markdown: str) -> str:
    """Undo the page's Markdown escaping (``md_escape``) of a message."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _html(at: AppTest) -> str:
    (element,) = at.get("html")
    return element.proto.body


def test_a_seed_article_gives_candidates_marked_in_the_text(page):
    text = seed("004").read_text(encoding="utf-8")
    _find(page, text, desk_name="004.txt", desk_outlet="The outlet")
    (table,) = page.data_editor
    rows = table.value
    assert len(rows) >= 5 and not rows["accept"].any()
    assert rows["event_id"].iloc[0] == "cand-004-01"
    assert '"outlet": "The outlet"' in rows["sources"].iloc[0]
    body = _html(page)
    marked = {n for m in re.findall(r'data-candidates="([\d ]+)"', body)
              for n in m.split()}  # fmt: skip
    assert marked == {str(k) for k in range(1, len(rows) + 1)}
    assert any(f"0 of {len(rows)} accepted" in m.value for m in page.markdown)
    assert not page.get("download_button")  # nothing accepted, nothing to download


def test_a_hostile_paste_is_shown_as_text(page):
    hostile = '<script>alert(1)</script> Rebels attacked the "Taliban" in Takhar on Monday.'
    _find(page, hostile)
    body = _html(page)
    assert "<script" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<mark" in body


def test_an_empty_article_is_refused_with_its_reason(page):
    _find(page, "   \n ")
    assert "article article.txt is empty" in _plain(page.error[0].value)
    assert "desk_rows" not in page.session_state


def test_accept_edit_and_append_to_a_copy_with_stances(page, tmp_path, capsys):
    for name in ("events.csv", "presence.csv", "stances.csv"):
        shutil.copy(settings.DATA_DIR / name, tmp_path / name)
    events = tmp_path / "events.csv"
    before = events.read_bytes()
    _find(page, seed("000").read_text(encoding="utf-8"), desk_name="000.txt",
          desk_published=date(2022, 4, 29))  # fmt: skip
    page.button(key="desk_accept_all").click().run()
    rows = page.session_state["desk_rows"]
    assert any(f"{len(rows)} of {len(rows)} accepted" in m.value for m in page.markdown)
    (download,) = page.get("download_button")
    assert download.proto.label == "Download the accepted rows (events CSV)"
    page.button(key="desk_reject_all").click().run()
    assert any(f"0 of {len(rows)} accepted" in m.value for m in page.markdown)
    assert not page.get("download_button")
    page.button(key="desk_accept_all").click().run()

    # An edit that breaks a row: the problem is listed, nothing can be written.
    broken = rows.copy()
    broken.loc[1, "accept"] = False  # candidate 3 is the second accepted: named as 3
    broken.loc[3, "date_start"] = "2022-02-30"
    sources = json.loads(broken.loc[4, "sources"])
    sources[0]["quote"] += " (reworded)"
    broken.loc[4, "sources"] = json.dumps(sources)
    page.session_state["desk_rows"] = broken
    page.session_state["desk_version"] += 1
    page.run()
    assert _plain(page.warning[0].value) == "Not in the article: the quote of candidate(s) 4."
    assert "quoting what the article does not say: candidate(s) 4" in _plain(page.error[0].value)
    assert not page.get("download_button")
    broken.loc[4, "sources"] = rows.loc[4, "sources"]
    page.session_state["desk_rows"] = broken
    page.session_state["desk_version"] += 1
    page.run()
    assert "1 problem in the accepted rows" in _plain(page.error[0].value)
    problems = page.dataframe[-1].value  # after the table: the problems
    first = problems.iloc[0][["candidate", "column", "value"]].tolist()
    assert first == [3, "date_start", "2022-02-30"]
    assert not page.get("download_button")

    # Fixed, and the first candidate rejected: append to the copy.
    fixed = rows.copy()
    fixed.loc[1, "accept"] = False
    page.session_state["desk_rows"] = fixed
    page.session_state["desk_version"] += 1
    page.run()
    page.button(key="desk_append").click().run()
    assert "no events file given" in _plain(page.error[0].value) and events.read_bytes() == before
    page.text_input(key="desk_target").input(str(events))
    page.button(key="desk_append").click().run()
    assert not page.error, page.error[0].value
    said = _plain(page.success[0].value)
    stances = tmp_path / "stances.csv"
    assert said == f"{len(rows) - 1} rows appended to {events}, {len(rows)} stances to {stances}"
    added = read_claims(events).data["event_id"].tolist()[-(len(rows) - 1) :]
    assert added == rows["event_id"].iloc[1:].tolist()
    assert cli.main(["validate", str(events), str(tmp_path / "presence.csv")]) == 0
    page.button(key="desk_append").click().run()  # twice: the ids are taken
    assert "already has the event id(s) cand-000-02" in _plain(page.error[0].value)


def test_the_app_s_own_data_folder_needs_the_confirmation(page):
    before = (settings.DATA_DIR / "events.csv").read_bytes()
    _find(page, "Rebels attacked the Taliban in Takhar on Monday.")
    page.button(key="desk_accept_all").click().run()
    page.text_input(key="desk_target").input(str(settings.DATA_DIR / "events.csv"))
    page.button(key="desk_append").click().run()
    assert "the app" in _plain(page.error[0].value) and "own data folder" in _plain(
        page.error[0].value
    )
    assert (settings.DATA_DIR / "events.csv").read_bytes() == before


def test_the_map_and_the_desk_link_to_each_other_by_name(page):
    (back,) = page.get("page_link")
    assert back.proto.label == "← The map"
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    (desk_link,) = app.get("page_link")
    assert desk_link.proto.label == "Claims desk"
    assert desk_link.proto.help.startswith("Turn a news article into candidate claims")
    # Each link leads to the other page (Streamlit names pages by their script's hash).
    assert back.proto.page_script_hash != desk_link.proto.page_script_hash
    assert "" not in (back.proto.page_script_hash, desk_link.proto.page_script_hash)


def test_a_read_only_deployment_offers_the_download_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("ARM_READ_ONLY", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/claims_desk.py").run()
    _find(at, seed("000").read_text(encoding="utf-8"), desk_name="000.txt",
          desk_published=date(2022, 4, 29))  # fmt: skip
    at.button(key="desk_accept_all").click().run()
    assert not at.exception, at.exception
    assert [b.proto.label for b in at.get("download_button")] == [
        "Download the accepted rows (events CSV)"
    ]
    assert "desk_append" not in [b.key for b in at.button]
    assert "desk_target" not in [t.key for t in at.text_input]
    assert any("writes nothing on the server (`--read-only`)" in c.value for c in at.caption)
