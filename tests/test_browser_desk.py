"""The claims desk's page in a real browser: paste an article, review, append to a file.

Reuses tests/test_browser.py's server (``streamlit run app.py`` from this checkout, on a
free port; Streamlit finds the page in ``pages/``) and its Chromium settings. A reviewer
pastes seed article 000 with its publication date, sees the candidates' quotes marked
in the text, accepts all but the first, renames one in the table (the data grid is a
canvas: its cells are clicked where they are drawn), and appends the rows to a copy of
the shipped events file, whose stances.csv gets their stances; ``armap validate`` is
then clean, and data/ is untouched. Every wait is on what the page shows. Screenshots:
tests/artifacts/desk-*.png.
"""

from __future__ import annotations

import re
import shutil

import pytest

from armap import cli
from geo import settings
from geo.claims import read_claims, read_stances
from tests.helpers_desk import seed
from tests.test_browser import ARGS, ARTIFACTS, CHROMIUM, TIMEOUT, _data_digest, app_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not shutil.which(CHROMIUM), reason="Debian's chromium is not installed (make browser)"
    ),
]
__all__ = ["app_url"]  # the fixture, shared with tests/test_browser.py
#: Where the data grid draws things (Streamlit's defaults): rows 35 px high under a header
#: as high, the "Accept" column after the row numbers, "event_id" after it.
ROW, ACCEPT_X, EVENT_ID_X = 35, 91, 190


def _cell(grid, x: float, row: int) -> tuple[float, float]:
    box = grid.bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + ROW + ROW * (row - 0.5)


def test_review_and_append_in_chromium(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    for name in ("events.csv", "presence.csv", "stances.csv"):
        shutil.copy(settings.DATA_DIR / name, tmp_path / name)
    events = tmp_path / "events.csv"
    before, shipped = events.read_bytes(), _data_digest()
    text = seed("000").read_text(encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{app_url}claims_desk", timeout=TIMEOUT)
            expect(page.get_by_role("heading", name="Claims desk")).to_be_visible(timeout=TIMEOUT)
            page.get_by_label("Paste the article's text").fill(text)
            page.get_by_label("File name recorded in the sources").fill("000.txt")
            page.get_by_role("spinbutton", name="year, Published (optional)").click()
            page.keyboard.type("20220429")
            page.keyboard.press("Escape")  # close the calendar the click opened
            page.get_by_role("button", name="Find candidates").click()

            # The candidates, each quote marked and numbered in the text.
            heading = page.get_by_role("heading", name="5 candidates in 000.txt")
            expect(heading).to_be_visible(timeout=TIMEOUT)
            marks = page.locator("mark")
            expect(marks.filter(has_text="Mazar-e-Sharif last week")).to_contain_text("5")
            numbers = {n for m in marks.all() for n in m.get_attribute("data-candidates").split()}
            assert numbers == {"1", "2", "3", "4", "5"}
            page.screenshot(path=str(ARTIFACTS / "desk-candidates.png"))

            # Rename the second in the table, accept all (the edit stays), untick the first.
            grid = page.get_by_test_id("stDataFrame").first
            grid.scroll_into_view_if_needed()
            page.mouse.dblclick(*_cell(grid, EVENT_ID_X, 2))  # opens the cell's editor
            editor = page.locator("textarea.gdg-input")  # the grid's editor, once open
            expect(editor).to_have_value("cand-000-02", timeout=TIMEOUT)
            editor.fill("cand-000-reviewed")
            editor.press("Enter")
            expect(page.get_by_text("Edited: #2 event_id")).to_be_visible(timeout=TIMEOUT)
            page.get_by_role("button", name="Accept all").click()
            accepted = page.get_by_text("5 of 5 accepted: cand-000-01, cand-000-reviewed")
            expect(accepted).to_be_visible(timeout=TIMEOUT)
            page.mouse.click(*_cell(grid, ACCEPT_X, 1))
            accepted = page.get_by_text("4 of 5 accepted: cand-000-reviewed, cand-000-03")
            expect(accepted).to_be_visible(timeout=TIMEOUT)

            # Append to the copy: its rows and stances, written in one move each.
            page.get_by_label("Events file (absolute path)").fill(str(events))
            page.get_by_role("button", name="Append the accepted rows").click()
            done = page.get_by_text("4 rows appended to")
            expect(done).to_be_visible(timeout=TIMEOUT)
            expect(done).to_contain_text("5 stances to")  # the acknowledgement: 2
            done.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "desk-appended.png"))
            assert errors == []
        finally:
            browser.close()

    assert events.read_bytes().startswith(before)
    added = read_claims(events).data["event_id"].tolist()[-4:]
    assert added == ["cand-000-reviewed", "cand-000-03", "cand-000-04", "cand-000-05"]
    stances = read_stances((tmp_path / "stances.csv").read_bytes(), "stances.csv").stances
    mine = stances[stances["claim_id"].isin(added)]
    assert sorted(mine["stance"]) == ["acknowledges", "claims", "claims", "claims", "claims"]
    assert cli.main(["validate", str(events), str(tmp_path / "presence.csv")]) == 0
    assert _data_digest() == shipped


def test_an_uploaded_article_in_chromium(app_url, tmp_path):
    """A .txt upload: one that is not UTF-8 is refused with its reason, a seed is read."""
    from playwright.sync_api import expect, sync_playwright

    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Rebels attacked the Taliban in Takhar, caf\xe9 owners said.".encode("cp1252"))
    good = tmp_path / "seed-003.txt"  # a short name: the uploader shows it whole
    shutil.copy(seed("003"), good)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.goto(f"{app_url}claims_desk", timeout=TIMEOUT)
            dropzone = page.get_by_test_id("stFileUploaderDropzoneInput")
            dropzone.set_input_files(bad)
            expect(page.get_by_text("latin1.txt", exact=True)).to_be_visible(timeout=TIMEOUT)
            page.get_by_role("button", name="Find candidates").click()
            error = page.get_by_test_id("stAlertContentError")
            expect(error).to_contain_text(
                "latin1.txt is not valid UTF-8: byte 0xe9", timeout=TIMEOUT
            )
            dropzone.set_input_files(good)
            expect(page.get_by_text(good.name, exact=True)).to_be_visible(timeout=TIMEOUT)
            page.get_by_role("button", name="Find candidates").click()
            heading = page.get_by_role("heading", name=re.compile(f"candidates? in {good.name}"))
            expect(heading).to_be_visible(timeout=TIMEOUT)
            expect(page.locator("mark").first).to_be_visible()
            expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
        finally:
            browser.close()
