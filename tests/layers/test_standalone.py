"""Tests for layers/page.py::standalone_page and layers/inline.py: the map as one offline file.

The page is built over the fixture claims (tests/fixtures/map/); the installed assets
(``make assets``) are used when present, and a tiny vendor folder built in code checks
the inlining itself. One test opens the file in headless Chromium from ``file://``.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from datetime import date
from pathlib import Path

import pytest

from geo import views
from geo.claims import Filters
from layers import assets, inline, page

CHROMIUM = "/usr/bin/chromium"
WINDOW = Filters(start=date(2022, 1, 1), end=date(2022, 6, 30))
#: A reference that makes the browser fetch a script or style sheet over the network.
NETWORK_ASSET = re.compile(
    r"""<script[^>]*\ssrc=|<link[^>]*stylesheet|@import|url\(\s*['"]?(?:https?:)?//""",
    re.IGNORECASE,
)
installed = pytest.mark.skipif(
    set(assets.installed_files()) != set(assets.VENDOR_FILES),
    reason="the map's scripts are not installed (make assets)",
)


@pytest.fixture(scope="module")
def standalone(fixture_data) -> str:
    return page.standalone_page(fixture_data, WINDOW).decode("utf-8")


def _config(html: str) -> dict:
    start = html.index("window.ARM_CONFIG = ") + len("window.ARM_CONFIG = ")
    return json.JSONDecoder().raw_decode(html[start:])[0]


@pytest.mark.realdata
@installed
def test_the_standalone_page_loads_no_script_or_style_from_the_network(standalone):
    assert not NETWORK_ASSET.search(standalone.replace("<link/i", ""))  # (jQuery's own regex)
    assert "/app/static" not in standalone and "arm-offline-note" not in standalone
    assert standalone.count("<style>/* vendor: ") == 4  # leaflet, bootstrap, fa, markers
    assert standalone.count("<script>/* vendor: ") == 5
    assert 'url("data:font/woff2;base64,' in standalone and ".ttf" not in standalone
    assert 'url("data:image/png;base64,' in standalone  # leaflet's and the markers' images
    assert "tile.openstreetmap.org" not in standalone  # no tiles offline


@pytest.mark.realdata
def test_the_standalone_payload_decodes_to_the_events(fixture_data, standalone):
    config = _config(standalone)
    prefix = "data:application/octet-stream;base64,"
    assert config["payload"].startswith(prefix)
    payload = base64.b64decode(config["payload"][len(prefix) :], validate=True)
    assert payload == views.browser_data(fixture_data, Filters()).payload
    raw = gzip.decompress(payload) if payload[:2] == b"\x1f\x8b" else payload
    assert raw.startswith(b"ARMAP1\n")
    assert config["view"]["window"] == ["2022-01-01", "2022-06-30"]  # the filters' window
    assert config["span"] == ["2021-09-01", "2022-09-30"]  # the page holds the whole span


@pytest.mark.realdata
def test_the_standalone_page_starts_with_the_view_given(fixture_data):
    view = {"window": ["2022-02-01", "2022-03-01"], "metric": "fatalities"}
    html = page.standalone_page(fixture_data, WINDOW, view=view).decode("utf-8")
    assert _config(html)["view"]["window"] == view["window"]
    assert _config(html)["view"]["metric"] == "fatalities"
    assert page.standalone_name(WINDOW) == "map_2022-01-01_2022-06-30.html"


@pytest.mark.realdata
def test_missing_assets_keep_their_cdn_url_and_the_page_says_so(fixture_data, tmp_path):
    html = page.standalone_page(fixture_data, Filters(), vendor_dir=tmp_path).decode("utf-8")
    note = re.search(r'<div class="arm-offline-note"[^>]*>(.*?)</div>', html)
    assert note and "not fully offline" in note.group(1) and "make assets" in note.group(1)
    for url in (
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        assets.SUPERCLUSTER_URL,
    ):
        assert f'<script src="{url}"></script>' in html and url in note.group(1)
    assert _config(html)["payload"].startswith("data:")  # the data is inlined anyway


def _vendor(tmp_path: Path) -> Path:
    folder = tmp_path / "vendor" / "pkg@1"
    (folder / "images").mkdir(parents=True)
    (folder / "fonts").mkdir()
    (folder / "images" / "dot.png").write_bytes(b"\x89PNG-dot")
    (folder / "fonts" / "f.woff2").write_bytes(b"wOF2")
    (folder / "fonts" / "f.ttf").write_bytes(b"ttf!")
    (folder / "a.js").write_text('var s = "</script><b>";', encoding="utf-8")
    (folder / "a.css").write_text(
        ".a{background:url(images/dot.png)}.b{background:url('images/none.png')}"
        '@font-face{src:url(fonts/f.woff2) format("woff2"),url(fonts/f.ttf) format("truetype")}'
        ".c{behavior:url(#default#VML)}.d{background:url(../../../secret.png)}",
        encoding="utf-8",
    )
    (tmp_path / "secret.png").write_bytes(b"secret")
    return tmp_path / "vendor"


def test_inline_assets_inlines_installed_files_and_their_images(tmp_path):
    base = assets.BASE_URL
    html = (
        f'<head><script src="{base}/pkg@1/a.js"></script>'
        f'<link rel="stylesheet" href="{base}/pkg@1/a.css"/>'
        f'<script src="{base}/pkg@1/missing.js"></script>'
        f'<script src="{base}/../../etc/passwd"></script></head>'
    )
    out, left = inline.inline_assets(html, _vendor(tmp_path))
    assert left == [f"{base}/pkg@1/missing.js", f"{base}/../../etc/passwd"]
    assert 'var s = "<\\/script><b>";' in out  # the script cannot end its element early
    png = inline.data_url(b"\x89PNG-dot", "image/png")
    assert f'url("{png}")' in out
    assert f'url("{inline.data_url(b"wOF2", "font/woff2")}")' in out and "f.ttf" not in out
    assert "url('images/none.png')" in out  # not installed: left as it was
    assert "url(#default#VML)" in out and "url(../../../secret.png)" in out  # outside: kept
    assert base64.b64encode(b"secret").decode() not in out


@pytest.mark.browser
@pytest.mark.realdata
@installed
@pytest.mark.timeout(120)
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_standalone_page_works_from_disk_in_chromium(standalone, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    path = tmp_path / page.standalone_name(WINDOW)
    path.write_text(standalone, encoding="utf-8")
    requested: list[str] = []
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            tab = browser.new_page()
            tab.route(re.compile(r"^(https?|wss?):"), lambda route: route.abort())
            tab.on("request", lambda r: requested.append(r.url))
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(path.as_uri())
            tab.wait_for_function(
                "['ready', 'error'].includes(document.documentElement.dataset.armState)",
                timeout=60_000,
            )
            state = tab.evaluate("Object.assign({}, document.documentElement.dataset)")
            provinces = tab.evaluate("document.querySelectorAll('path.arm-province').length")
        finally:
            browser.close()
    assert state["armState"] == "ready", state
    assert state["armWindow"] == "2022-01-01,2022-06-30" and int(state["armEvents"]) == 6
    assert provinces == 34 and not errors
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
