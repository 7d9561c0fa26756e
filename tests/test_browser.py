"""The app in a real browser: Debian's Chromium driven by Playwright, no internet.

Starts ``streamlit run app.py`` on 127.0.0.1 (a free port) with the fixture claims in
``tests/fixtures/map/``, and checks what a person would see: the map page has a real
height and no script errors, the 34 provinces and the window's events are drawn,
nothing but map tiles is requested off the machine, the window slider and playback
change what is drawn without reloading the page, clicking a province shows its
details, and markup in the data is shown as text and never runs. Every wait is on
what the page shows (the map page writes its state on its ``<html>`` element:
``data-arm-state``, ``data-arm-window``, ``data-arm-in-window``...), never a sleep.
Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "map"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
TILE_HOSTS = ("tile.openstreetmap.org",)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
FRAME = "iframe.arm-map-frame"
TIMEOUT = 60_000
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser)"
    ),
]

# In the app's page: the map page's state, as it writes it on its <html> element.
STATE = """() => {
    const f = document.querySelector("iframe.arm-map-frame");
    const d = f && f.contentDocument && f.contentDocument.documentElement;
    return d ? Object.assign({}, d.dataset) : {};
}"""
# In the map page: the container point inside a province (by code), free of markers.
PROVINCE_POINT = """(code) => {
    const m = window[window.ARM_CONFIG.map];
    for (const id in m._layers) {
        const l = m._layers[id];
        if (l.feature && l.feature.properties.code === code && l._path &&
            l._path.classList.contains("arm-province")) {
            const b = l.getBounds();
            for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
                const ll = L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * i / 10,
                                    b.getWest() + (b.getEast() - b.getWest()) * j / 10);
                const p = m.latLngToContainerPoint(ll);
                const r = m.getContainer().getBoundingClientRect();
                const el = document.elementFromPoint(r.left + p.x, r.top + p.y);
                if (el === l._path) return {x: r.left + p.x, y: r.top + p.y};
            }
        }
    }
    return null;
}"""


def _state(page) -> dict:
    return page.evaluate(STATE)


def _wait_state(page, condition: str) -> dict:
    """Wait until the map page's state (``s``) satisfies ``condition`` (JavaScript)."""
    page.wait_for_function(
        f"(() => {{ const s = ({STATE})(); return {condition}; }})", timeout=TIMEOUT
    )
    return _state(page)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    pytest.importorskip("playwright.sync_api")
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "streamlit.log"
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit), "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--", "--events", str(FIXTURES / "events.csv")]
    cmd += ["--presence", str(FIXTURES / "presence.csv")]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited: {log.read_text()}")
                time.sleep(0.2)
        else:
            pytest.fail(f"streamlit did not start: {log.read_text()}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_map_in_chromium(app_url):
    from playwright.sync_api import expect, sync_playwright

    requests: list[str] = []
    errors: list[str] = []

    def on_console(msg) -> None:
        url = (msg.location or {}).get("url", "")
        if msg.type == "error" and urlsplit(url).hostname not in TILE_HOSTS:
            errors.append(f"{msg.text} ({url})")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
            # No internet here: fail tile requests at once (they are still recorded).
            page.route(lambda url: urlsplit(url).hostname in TILE_HOSTS, lambda r: r.abort())
            page.goto(app_url, timeout=TIMEOUT)

            # The map page is visible with a real height, its provinces and events drawn.
            iframe = page.locator(FRAME)
            iframe.wait_for(timeout=TIMEOUT)
            state = _wait_state(page, "s.armState === 'ready' && s.armInWindow === '6'")
            assert state["armUnplaced"] == "1" and state["armEvents"] == "6", state
            frame = page.frame_locator(FRAME)
            box = iframe.bounding_box()
            assert box is not None and box["height"] > 300, box
            assert frame.locator("path.arm-province").count() == 34
            assert int(state["armMarkers"]) >= 1
            map_frame = next(f for f in page.frames if "/app/static/data/map-" in f.url)
            # A mark in the map page: it survives every later rerun unless the page reloads.
            map_frame.evaluate("window.__armMark = 1")
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_text("1 claim cannot be placed").first).to_be_visible()
            # One legend, in the map; the offline outlines are drawn beneath everything.
            assert frame.locator(".arm-legend:visible").count() == 1
            assert map_frame.evaluate("document.querySelectorAll('.leaflet-pane path').length") > 34
            legend = frame.locator(".arm-legend details", has_text="Resistance presence")
            expect(legend).to_contain_text('Front <img src=y onerror="window.__xss=2">')
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "browser_map.png", full_page=True)

            # The figures the page computes for the window are Python's (geo.join).
            assert map_frame.evaluate("armFigures()") == _python_figures(None, None)
            # Markup in the data shows as text and never runs: a popup built on click.
            map_frame.evaluate("window[ARM_CONFIG.map].setView([35.31292, 69.51519], 13)")
            marker = frame.locator(".arm-ev-exact").first
            marker.wait_for(timeout=TIMEOUT)
            marker.click()
            popup = frame.locator(".leaflet-popup-content")
            expect(popup).to_contain_text("<script>window.__xss=3</script> headline")
            assert popup.locator("img, script").count() == 0

            # Moving the slider changes what is drawn: the start thumb to the end of the
            # span leaves only the September range claim (fx-06).
            window = page.locator("[data-testid='stSlider']", has_text="Window")
            thumbs = window.locator("input[type='range']")
            thumbs.first.focus()
            page.keyboard.press("End")
            expect(page.get_by_text("1 event matches")).to_be_visible(timeout=TIMEOUT)
            narrow = _wait_state(page, "s.armInWindow === '1'")
            assert map_frame.evaluate("armFigures()") == _python_figures(
                *narrow["armWindow"].split(",")
            )
            thumbs.first.focus()
            page.keyboard.press("Home")
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            _wait_state(page, "s.armInWindow === '6'")

            # Playback runs in the map page: steps without a rerun; pausing hands the
            # window back to the page (slider, counts) at once.
            applied = int(_state(page)["armApplied"])
            frame.get_by_role("button", name="▶ Play").click()
            _wait_state(page, f"s.armPlaying === '1' && Number(s.armApplied) >= {applied + 3}")
            frame.get_by_role("button", name="⏸ Pause").click()
            paused = _wait_state(page, "s.armPlaying === '0'")
            start, end = paused["armWindow"].split(",")
            thumb_values = window.locator("[data-testid='stSliderThumbValue']")
            expect(thumb_values.last).to_have_text(end, timeout=TIMEOUT)
            expect(thumb_values.first).to_have_text(start, timeout=TIMEOUT)
            # Touching the slider during playback stops playback; the slider wins.
            frame.get_by_role("button", name="▶ Play").click()
            _wait_state(page, "s.armPlaying === '1'")
            thumbs.first.focus()
            page.keyboard.press("Home")
            thumbs.last.focus()
            page.keyboard.press("End")
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            _wait_state(page, "s.armPlaying === '0' && s.armInWindow === '6'")

            # Clicking a province shows its name, numbers and claims.
            expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=TIMEOUT)
            map_frame.evaluate("window[ARM_CONFIG.map].setView([34.0, 67.7], 6)")
            point = map_frame.evaluate(PROVINCE_POINT, "AF-BGL")
            assert point is not None, "no clickable point inside Baghlan"
            offset = iframe.bounding_box()
            assert offset is not None
            page.mouse.click(offset["x"] + point["x"], offset["y"] + point["y"])
            expect(page.get_by_text("Province: figures for the window")).to_be_visible(
                timeout=TIMEOUT
            )
            expect(page.get_by_role("heading", name="Baghlan")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_text("1 claim in the window")).to_be_visible(timeout=TIMEOUT)
            # The drill-down: the sidebar names the province, its districts are drawn.
            province = page.get_by_role("combobox", name="Province (shows its districts)")
            expect(province).to_have_value("Baghlan · ولایت بغلان", timeout=TIMEOUT)
            if (ROOT / "data" / "districts" / "districts.geojson").exists():
                frame.locator("path.arm-district").first.wait_for(timeout=TIMEOUT)
                # the districts' own classes, and their legend
                expect(frame.locator(".arm-legend")).to_contain_text("Claims by district")
            page.screenshot(path=ARTIFACTS / "browser_details.png", full_page=True)

            assert map_frame.evaluate("window.__armMark") == 1, "the map page was reloaded"
            for f in page.frames:
                assert f.evaluate("typeof window.__xss") == "undefined", f.url
        finally:
            browser.close()

    assert not errors, errors
    offsite = {
        urlsplit(u).hostname
        for u in requests
        if urlsplit(u).scheme in ("http", "https", "ws", "wss")
        and urlsplit(u).hostname not in LOCAL_HOSTS
    }
    assert offsite <= set(TILE_HOSTS), f"requests left the machine: {offsite}"
    assert any(urlsplit(u).hostname in TILE_HOSTS for u in requests), "no tile was requested"
    vendor = [u for u in requests if "/app/static/vendor/" in u]
    assert any(u.endswith("leaflet.js") for u in vendor), "Leaflet was not served by the app"
    assert any(u.endswith("supercluster.min.js") for u in vendor), "supercluster not served"
    payloads = [u for u in requests if "/app/static/data/events-" in u]
    assert len(payloads) == 1, f"the events were fetched {len(payloads)} times: {payloads}"


def _python_figures(start: str | None, end: str | None) -> dict:
    """Claims, presence and fatalities per province for a window, from geo.views."""
    from geo import views
    from geo.claims import Filters

    data = views.load_map_data(
        FIXTURES / "events.csv", presence_path=FIXTURES / "presence.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    frame = views.layer_frame(
        "provinces", events=data.events, presence=data.presence, provinces=data.provinces,
        filters=Filters(start=start, end=end),
    )  # fmt: skip
    return {
        "codes": frame["area_code"].tolist(),
        "claims": frame["claims"].tolist(),
        "presence": frame["presence_level"].tolist(),
        "fatalities": [None if v is None or v != v else float(v) for v in frame["fatalities"]],
    }


def _data_digest() -> dict[str, str]:
    """sha256 of every shipped file under data/ (the upload must change none)."""
    import hashlib

    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((ROOT / "data").rglob("*"))
        if p.is_file()
    }


def test_upload_in_chromium(app_url, tmp_path):
    """A user's events file: bad rows listed on the page, good rows mapped, data/ untouched."""
    from playwright.sync_api import expect, sync_playwright

    lines = (FIXTURES / "events.csv").read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    fields = header.split(",")
    bad = second.replace("fx-02", "fx-bad").replace("34.52813", "95.5")
    assert "95.5" in bad and fields[14] == "latitude"
    upload = tmp_path / "my-events.csv"
    upload.write_text("\n".join([header, first, second, bad]) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    before = _data_digest()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.route(lambda url: urlsplit(url).hostname in TILE_HOSTS, lambda r: r.abort())
            page.goto(app_url, timeout=TIMEOUT)
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            dropzone = page.locator("[data-testid='stFileUploaderDropzoneInput']")
            dropzone.set_input_files(upload)

            # The good rows are mapped; the bad one is listed with line, column and value.
            expect(page.get_by_text("Claims: my-events.csv (uploaded)")).to_be_visible(
                timeout=TIMEOUT
            )
            expect(page.get_by_text("presence.csv (shipped with the map)")).to_be_visible()
            expect(page.get_by_text("2 events match")).to_be_visible(timeout=TIMEOUT)
            # The problems are a visible warning with their count, and listed, unfolded.
            warning = page.get_by_test_id("stAlertContentWarning")
            expect(warning.filter(has_text="1 problem in the files")).to_be_visible(timeout=TIMEOUT)
            listed = page.get_by_text("my-events.csv, line 4, column 'latitude'")
            expect(listed).to_be_visible(timeout=TIMEOUT)
            expect(listed).to_contain_text("95.5")
            # The new data gives a new map page: the frame loads it.
            iframe = page.locator(FRAME)
            _wait_state(page, "s.armState === 'ready' && s.armEvents === '2'")
            box = iframe.bounding_box()
            assert box is not None and box["height"] > 300, box
            page.screenshot(path=ARTIFACTS / "browser_upload.png", full_page=True)

            # A file that cannot be read at all: the page says why, and does not crash.
            page.get_by_role("button", name="Remove my-events.csv").click()
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            dropzone.set_input_files(empty)
            error = page.get_by_text("Cannot show the map: empty.csv is empty")
            expect(error).to_be_visible(timeout=TIMEOUT)
        finally:
            browser.close()

    assert _data_digest() == before, "the upload changed files under data/"


# In the map page: the areas legend's rows (label and swatch colour, as drawn).
LEGEND_ROWS = """() => {
    const part = document.querySelector(".arm-legend details");
    return Array.from(part.querySelectorAll(".arm-row")).map(r => ({
        label: r.textContent.trim(),
        color: getComputedStyle(r.querySelector(".arm-swatch")).backgroundColor}));
}"""
MAP_ZOOM = "() => window[ARM_CONFIG.map].getZoom()"
# In the map page: a point inside a province whose whole 9 x 9 block is that province's
# fill (no border, outline or marker over it), for reading its colour on screen.
FILL_POINT = """(code) => {
    const m = window[window.ARM_CONFIG.map];
    for (const id in m._layers) {
        const l = m._layers[id];
        if (!(l.feature && l.feature.properties.code === code && l._path &&
              l._path.classList.contains("arm-province"))) continue;
        const b = l.getBounds();
        for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) {
            const p = m.latLngToContainerPoint(L.latLng(
                b.getSouth() + (b.getNorth() - b.getSouth()) * i / 30,
                b.getWest() + (b.getEast() - b.getWest()) * j / 30));
            const r = m.getContainer().getBoundingClientRect();
            let inside = true;
            for (let dx = -4; dx <= 4 && inside; dx += 2) for (let dy = -4; dy <= 4; dy += 2) {
                if (document.elementFromPoint(r.left + p.x + dx, r.top + p.y + dy) !== l._path) {
                    inside = false; break;
                }
            }
            if (inside) return {x: r.left + p.x, y: r.top + p.y};
        }
    }
    return null;
}"""
# The codes a person should never read on screen (the files keep them).
CODES = (
    *(t for t in settings.EVENT_TYPES if "_" in t),
    *settings.PRESENCE_LEVELS,
    "days_since_last",
    "presence_level",
)


def _rgb(text: str) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in text[text.index("(") + 1 : text.index(")")].split(",")[:3])
    return r, g, b


def _pixel(page, point: dict) -> tuple[int, int, int]:
    """The colour on screen around a point of the map page: the most common of 5 x 5.

    The map's frame is captured by itself, so the point is in its own coordinates
    whatever moves around it on the app's page.
    """
    import io
    from collections import Counter

    from PIL import Image

    image = Image.open(io.BytesIO(page.locator(FRAME).screenshot())).convert("RGB")
    x, y = round(point["x"]), round(point["y"])
    block = [image.getpixel((x + i, y + j)) for i in range(-2, 3) for j in range(-2, 3)]
    return Counter(block).most_common(1)[0][0]


def _settled(page, measure):
    """Return ``measure()`` once two calls two frames apart agree: the page has settled.

    Streamlit lays the page out in steps (a scrollbar, a chart, the panel); a point
    measured inside the map must not move before it is read or tapped.
    """
    last = measure()
    for _ in range(50):
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        now = measure()
        if now == last:
            return now
        last = now
    raise AssertionError(f"the page kept moving: {last}")


def _in_class(label: str, value: float) -> bool:
    low, _, high = label.replace("–", "-").partition("-")
    try:
        return float(low) <= value <= float(high or low)
    except ValueError:
        return False


def _open(browser, url: str, **context):
    page = browser.new_page(**context)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.route(lambda u: urlsplit(u).hostname in TILE_HOSTS, lambda r: r.abort())
    page.goto(url, timeout=TIMEOUT)
    _wait_state(page, "s.armState === 'ready'")
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=TIMEOUT)
    return page, next(f for f in page.frames if "/app/static/data/map-" in f.url), errors


def _click_in_map(page, map_frame, point: dict) -> None:
    box = page.locator(FRAME).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_viewer_map_in_chromium(app_url):
    """What a viewer sees at 1400 x 1000: the panel beside the map, honest colours, the
    page scrolling over the map, clusters that let a province click through, a claim's
    card on a marker click, plain words, and a view that lives in the URL."""
    from playwright.sync_api import expect, sync_playwright

    desktop = {"viewport": {"width": 1400, "height": 1000}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # The fill on screen is exactly its legend swatch (presence is an outline).
            page, map_frame, errors = _open(
                browser, f"{app_url}?layers=provinces,presence", **desktop
            )
            rows = map_frame.evaluate(LEGEND_ROWS)
            _wait_state(page, "s.armApplied && Number(s.armApplied) >= 1")
            map_frame.evaluate("window[ARM_CONFIG.map].setView([35.4, 69.9], 8, {animate: false})")
            fill_point = lambda: map_frame.evaluate(FILL_POINT, "AF-PAN")  # noqa: E731
            point = _settled(page, fill_point)
            assert point is not None, "no point inside Panjshir"
            shown = _pixel(page, point)
            assert fill_point() == point, "the map moved while its colour was read"
            swatch = [_rgb(r["color"]) for r in rows if _in_class(r["label"], 2)]  # 2 claims
            assert swatch == [shown], (rows, shown)
            # Panjshir has presence (an NRF stronghold): its outline, not a mixed fill.
            outline = map_frame.evaluate(
                "Array.from(document.querySelectorAll('path.arm-presence')).map(p => "
                "[p.getAttribute('fill'), p.getAttribute('stroke')])"
            )
            assert outline and all(fill == "none" for fill, _ in outline), outline

            # The first screen: a header saying what this is, the map and the panel.
            expect(page.get_by_text("6 claims from 1 article")).to_be_visible()
            panel = page.locator(".st-key-claims_panel")
            map_box, panel_box = page.locator(FRAME).bounding_box(), panel.bounding_box()
            assert map_box["y"] + map_box["height"] <= 1000, map_box
            assert panel_box["x"] >= map_box["x"] + map_box["width"] - 1, (map_box, panel_box)
            expect(panel).to_contain_text("Click a province or a claim on the map")
            page.screenshot(path=ARTIFACTS / "viewer_first_screen.png")

            # Scrolling the page over the map scrolls the page, never zooms the map...
            zoom = map_frame.evaluate(MAP_ZOOM)
            page.mouse.move(map_box["x"] + 200, map_box["y"] + 200)
            page.mouse.wheel(0, 400)
            map_frame.locator(".arm-scroll-hint.arm-shown").wait_for(timeout=TIMEOUT)
            assert map_frame.evaluate(MAP_ZOOM) == zoom
            # ...unless Ctrl is held (or the map was clicked first).
            page.keyboard.down("Control")
            page.mouse.wheel(0, -200)
            page.keyboard.up("Control")
            map_frame.wait_for_function(f"window[ARM_CONFIG.map].getZoom() > {zoom}")
            page.close()

            # A skeleton holds the map's place until the map page arrives.
            page = browser.new_page(**desktop)
            held: list = []
            page.route("**/app/static/data/map-*.html", lambda route: held.append(route))
            with page.expect_request(lambda r: "/app/static/data/map-" in r.url):
                page.goto(app_url, timeout=TIMEOUT)
            skeleton = page.locator(".arm-map-skeleton")
            expect(skeleton).to_be_visible(timeout=TIMEOUT)
            expect(skeleton).to_have_text("Loading the map…")
            assert held, "the map page was not requested"
            held[0].continue_()
            expect(skeleton).to_be_hidden(timeout=TIMEOUT)
            page.close()

            # A cluster at the national view lets a click through to its province.
            page, map_frame, errors2 = _open(browser, app_url, **desktop)
            # One legend, in a pane beneath the tooltips and popups (not a control above them).
            z = map_frame.evaluate(
                "['armLegend', 'tooltip', 'popup'].map(n => Number(getComputedStyle("
                "document.querySelector('.leaflet-' + n + '-pane')).zIndex))"
            )
            assert z[0] < z[1] < z[2], z
            assert map_frame.locator(".leaflet-control-container .arm-legend").count() == 0
            clusters = map_frame.locator(".arm-cluster")
            assert clusters.count() >= 1, "the fixture's Panjshir claims should cluster"
            assert "leaflet-interactive" not in (clusters.first.get_attribute("class") or "")
            c = clusters.first.bounding_box()
            map_box = page.locator(FRAME).bounding_box()
            centre = {"x": c["x"] - map_box["x"] + c["width"] / 2,
                      "y": c["y"] - map_box["y"] + c["height"] / 2}  # fmt: skip
            under = map_frame.evaluate(
                "([x, y]) => document.elementFromPoint(x, y).getAttribute('class')",
                [centre["x"], centre["y"]],
            )
            assert "arm-province" in under, under
            _click_in_map(page, map_frame, centre)
            # The panel shows the area's figures and claims beside the map, in view.
            heading = page.get_by_role("heading", name="Panjshir")
            expect(heading).to_be_visible(timeout=TIMEOUT)
            map_frame.wait_for_function("window[ARM_CONFIG.map].getZoom() >= 8")  # zoomed in
            h = heading.bounding_box()
            assert h["y"] + h["height"] <= 1000 and h["x"] >= map_box["x"] + map_box["width"] - 1
            expect(panel := page.locator(".st-key-claims_panel")).to_contain_text(
                "2 claims in the window"
            )
            # Each card: who claims what, the full quote, outlet, title and a citation.
            expect(panel).to_contain_text("Casualty claim")
            expect(panel).to_contain_text("Corroborated by an independent source")
            expect(panel.locator("code").first).to_contain_text("fixture.txt")
            expect(page).to_have_url(re.compile(r"area=province%3AAF-PAN"), timeout=TIMEOUT)
            page.screenshot(path=ARTIFACTS / "viewer_panel.png")

            # A marker click selects that claim's card.
            map_frame.evaluate("window[ARM_CONFIG.map].setView([35.31292, 69.51519], 13)")
            marker = page.frame_locator(FRAME).locator(".arm-ev-exact").first
            marker.wait_for(timeout=TIMEOUT)
            marker.click()
            expect(panel).to_contain_text("Selected on the map", timeout=TIMEOUT)
            first_card = panel.locator("[class*='st-key-card_0']")
            expect(first_card).to_contain_text("ID fx\\-01".replace("\\", ""))
            expect(page).to_have_url(re.compile(r"claim=fx-01"), timeout=TIMEOUT)
            # "Clear selection" returns to the national view.
            page.get_by_role("button", name="Clear selection (national view)").click()
            expect(panel).to_contain_text("Click a province or a claim", timeout=TIMEOUT)
            _wait_state(page, "true")
            expect(page).not_to_have_url(re.compile(r"claim=|area=|province="), timeout=TIMEOUT)
            page.close()

            # A shared link restores the view: window, metric, filters, layers, area.
            link = (
                f"{app_url}?start=2022-01-01&end=2022-06-30&metric=fatalities&province=AF-PAN"
                "&area=province:AF-PAN&type=casualty_claim&layers=provinces,events&status=bogus"
            )
            page, map_frame, errors3 = _open(browser, link, **desktop)
            state = _wait_state(page, "s.armWindow === '2022-01-01,2022-06-30'")
            assert state["armInWindow"] == "1", state  # the casualty claim only
            map_frame.wait_for_function("window[ARM_CONFIG.map].getZoom() >= 8")  # Panjshir
            expect(page.get_by_role("heading", name="Panjshir")).to_be_visible(timeout=TIMEOUT)
            metric = page.get_by_role("combobox", name="Shade areas by")
            expect(metric).to_have_value("Claimed fatalities")
            expect(page.get_by_text("Casualty claim").first).to_be_visible()
            expect(page.get_by_text("Left out of the link (not in this data): status=bogus"))
            assert map_frame.locator("path.arm-presence").count() == 0  # presence off
            expect(page).to_have_url(re.compile(r"type=casualty_claim"), timeout=TIMEOUT)
            # Plain words on screen: no internal code in the page or the map.
            text = page.inner_text("body") + map_frame.inner_text("body")
            assert not [c for c in CODES if c in text], [c for c in CODES if c in text]
            page.screenshot(path=ARTIFACTS / "viewer_link.png")
        finally:
            browser.close()
    assert not errors + errors2 + errors3, errors + errors2 + errors3


def test_phone_in_chromium(app_url):
    """At 390 x 844 with touch: the legend folded, the panel below the map, no stuck tooltip."""
    from playwright.sync_api import expect, sync_playwright

    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page, map_frame, errors = _open(browser, app_url, **phone)
            assert _state(page)["armLegendOpen"] == "0"
            map_box = page.locator(FRAME).bounding_box()
            assert map_box["width"] <= 390
            page.screenshot(path=ARTIFACTS / "phone_map.png")
            # Takhar fills the top of the map: a tap there is on screen once the map is.
            map_frame.evaluate("window[ARM_CONFIG.map].setView([35.2, 69.5], 7, {animate: false})")
            page.locator(FRAME).scroll_into_view_if_needed()
            point, map_box = _settled(
                page,
                lambda: (
                    map_frame.evaluate(PROVINCE_POINT, "AF-TAK"),
                    page.locator(FRAME).bounding_box(),
                ),
            )
            assert point is not None, "no point inside Takhar"
            assert 0 <= map_box["y"] + point["y"] <= 844, (map_box, point)
            page.touchscreen.tap(map_box["x"] + point["x"], map_box["y"] + point["y"])
            heading = page.get_by_role("heading", name="Takhar")
            expect(heading).to_be_attached(timeout=TIMEOUT)
            map_box = page.locator(FRAME).bounding_box()
            assert heading.bounding_box()["y"] > map_box["y"] + map_box["height"] - 1
            assert map_frame.locator(".leaflet-tooltip").count() == 0, "a tooltip stuck"
            page.screenshot(path=ARTIFACTS / "phone_panel.png", full_page=True)
        finally:
            browser.close()
    assert not errors, errors
