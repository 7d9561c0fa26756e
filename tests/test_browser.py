"""The app in a real browser: Debian's Chromium driven by Playwright, no internet.

Starts ``streamlit run app.py`` on 127.0.0.1 (a free port) with the fixture claims in
``tests/fixtures/map/``, and checks what a person would see: the map frame has a real
height and no script errors, the 34 provinces and the expected markers are drawn,
nothing but map tiles is requested off the machine, the window slider changes what is
drawn, clicking a province shows its details, and markup in the data is shown as text
and never runs. A screenshot goes to ``tests/artifacts/``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "map"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
TILE_HOSTS = ("tile.openstreetmap.org",)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
FRAME = "iframe[title='streamlit_folium.st_folium']"
TIMEOUT = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser)"
    ),
]

# In the map frame: markers held by the events cluster(s) on the map right now.
COUNT_MARKERS = """() => {
    const m = window.map; if (!m) return -1;
    let n = 0;
    for (const id in m._layers) {
        const l = m._layers[id];
        if (l.options && l.options.armLayer === "events") n += l.getLayers().length;
    }
    return n;
}"""
# In the map frame: the container point inside a province (by ISO code), free of markers.
PROVINCE_POINT = """(code) => {
    const m = window.map;
    for (const id in m._layers) {
        const l = m._layers[id];
        if (l.feature && l.feature.properties.area_code === code && l._path &&
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
# In the map frame: open the popup of the event whose popup mentions `needle`.
OPEN_POPUP = """(needle) => new Promise((resolve) => {
    const m = window.map;
    for (const id in m._layers) {
        const l = m._layers[id];
        if (!(l.options && l.options.armLayer === "events")) continue;
        for (const marker of l.getLayers()) {
            const content = marker.getPopup() && marker.getPopup().getContent();
            if (typeof content === "string" && content.includes(needle)) {
                l.zoomToShowLayer(marker, () => { marker.openPopup(); resolve(true); });
                return;
            }
        }
    }
    resolve(false);
})"""


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
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
            # No internet here: fail tile requests at once (they are still recorded).
            page.route(lambda url: urlsplit(url).hostname in TILE_HOSTS, lambda r: r.abort())
            page.goto(app_url, timeout=TIMEOUT)

            # The map frame is visible with a real height and its provinces drawn.
            iframe = page.locator(FRAME)
            iframe.wait_for(timeout=TIMEOUT)
            frame = page.frame_locator(FRAME)
            frame.locator("path.arm-province").first.wait_for(timeout=TIMEOUT)
            box = iframe.bounding_box()
            assert box is not None and box["height"] > 300, box
            assert frame.locator("path.arm-province").count() == 34
            map_frame = next(f for f in page.frames if "st_folium" in f.url)
            map_frame.wait_for_function(f"({COUNT_MARKERS})() === 5", timeout=TIMEOUT)
            # A mark in the map's frame: it survives every later rerun unless the map reloads.
            map_frame.evaluate("window.__armMark = 1")
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_text("1 claim cannot be placed").first).to_be_visible()
            # Legends are in the map; the offline outlines are drawn beneath everything.
            assert frame.locator(".arm-legend").count() >= 3
            assert map_frame.evaluate("document.querySelectorAll('.leaflet-pane path').length") > 34
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "browser_map.png", full_page=True)

            # Markup in the data shows as text and never runs.
            assert map_frame.evaluate(OPEN_POPUP, "XSS probe") is True
            popup = frame.locator(".leaflet-popup-content")
            expect(popup).to_contain_text('<img src=x onerror="window.__xss=1">')
            expect(popup).to_contain_text("<script>window.__xss=3</script>")
            assert popup.locator("img, script").count() == 0
            legend = frame.locator(".arm-legend", has_text="Resistance presence")
            expect(legend).to_contain_text('Front <img src=y onerror="window.__xss=2">')

            # Moving the slider changes what is drawn: the start thumb to the end of the
            # span leaves only the September range claim (fx-06).
            window = page.locator("[data-testid='stSlider']", has_text="Window")
            thumbs = window.locator("input[type='range']")
            thumbs.first.focus()
            page.keyboard.press("End")
            expect(page.get_by_text("1 event matches")).to_be_visible(timeout=TIMEOUT)
            map_frame.wait_for_function(f"({COUNT_MARKERS})() === 1", timeout=TIMEOUT)
            thumbs.first.focus()
            page.keyboard.press("Home")
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            map_frame.wait_for_function(f"({COUNT_MARKERS})() === 5", timeout=TIMEOUT)

            # Playback steps the window.
            thumb = window.locator("[data-testid='stSliderThumbValue']").last
            page.get_by_role("button", name="▶ Play").click()
            for _ in range(2):
                before = thumb.inner_text()
                expect(thumb).not_to_have_text(before, timeout=TIMEOUT)
            page.get_by_role("button", name="⏸ Pause").click()
            expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=TIMEOUT)
            thumbs.first.focus()
            page.keyboard.press("Home")
            thumbs.last.focus()
            page.keyboard.press("End")
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            map_frame.wait_for_function(f"({COUNT_MARKERS})() === 5", timeout=TIMEOUT)

            # Clicking a province shows its name, numbers and claims.
            expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=TIMEOUT)
            point = map_frame.evaluate(PROVINCE_POINT, "AF-BGL")
            assert point is not None, "no clickable point inside Baghlan"
            offset = iframe.bounding_box()
            assert offset is not None
            page.mouse.click(offset["x"] + point["x"], offset["y"] + point["y"])
            expect(page.get_by_text("Baghlan (province)")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_text("1 claim in the window")).to_be_visible(timeout=TIMEOUT)
            # The drill-down: the sidebar names the province, its districts are drawn.
            province = page.get_by_role("combobox", name="Province (shows its districts)")
            expect(province).to_have_value("Baghlan", timeout=TIMEOUT)
            if (ROOT / "data" / "districts" / "districts.geojson").exists():
                frame.locator("path.arm-district").first.wait_for(timeout=TIMEOUT)
            page.screenshot(path=ARTIFACTS / "browser_details.png", full_page=True)

            assert map_frame.evaluate("window.__armMark") == 1, "the map was reloaded"
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


def _wait_for_markers(page, expected: int) -> None:
    """Wait until the current map frame holds ``expected`` event markers.

    A rerun with new data may replace the map's iframe, so the frame is looked up
    afresh on every try, and a frame that detaches mid-evaluation is simply retried.
    """
    from playwright.sync_api import Error

    deadline = time.monotonic() + TIMEOUT / 1000
    seen = None
    while time.monotonic() < deadline:
        for frame in [f for f in page.frames if "st_folium" in f.url]:
            try:
                seen = frame.evaluate(f"({COUNT_MARKERS})()")
            except Error:
                continue
            if seen == expected:
                return
        page.wait_for_timeout(250)
    pytest.fail(f"the map shows {seen} event markers, expected {expected}")


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
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.route(lambda url: urlsplit(url).hostname in TILE_HOSTS, lambda r: r.abort())
            page.goto(app_url, timeout=TIMEOUT)
            expect(page.get_by_text("6 events match")).to_be_visible(timeout=TIMEOUT)
            dropzone = page.locator("[data-testid='stFileUploaderDropzoneInput']")
            dropzone.set_input_files(upload)

            # The good rows are mapped; the bad one is listed with line, column and value.
            expect(page.get_by_text("Data: my-events.csv")).to_be_visible(timeout=TIMEOUT)
            expect(page.get_by_text("2 events match")).to_be_visible(timeout=TIMEOUT)
            problems = page.get_by_text("1 problem in the files")
            expect(problems).to_be_visible(timeout=TIMEOUT)
            problems.click()
            listed = page.get_by_text("my-events.csv, line 4, column 'latitude'")
            expect(listed).to_be_visible(timeout=TIMEOUT)
            expect(listed).to_contain_text("95.5")
            # The new data re-creates the map frame: poll whichever frame is current.
            iframe = page.locator(FRAME)
            _wait_for_markers(page, 2)
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
