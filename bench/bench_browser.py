"""Benchmark the map in headless Chromium at 1k, 10k, 100k and 1M synthetic events.

Usage: ``python bench/bench_browser.py [--sizes 1000 10000 100000 1000000] [--moves 3]``
(``make bench``). For each size it writes synthetic claims (``bench/synth.py``, seed 0),
starts the app on them (no tiles), and in Debian's Chromium measures:

* page ready, cold: from opening the page to the map page saying ``ready`` (the server
  loads, validates and joins the file, publishes the page and the events' columns;
  the browser fetches them, decodes the columns and draws the whole span);
* page ready, warm: the same in a new tab once the server has the data cached;
* bytes transferred on the first load (every response, the map page's included);
* a window move: the slider's start thumb dragged to a new 90-day window, from the
  mouse release to the map page having applied that window (the app's rerun, the view
  sent to the page, the page selecting, clustering and restyling), median of
  ``--moves``; and the page's own part of it (``data-arm-apply-ms``);
* page errors, and the server's resident memory after the load (VmRSS).

Ratios are against the 1k figures measured in the same run. Results are printed as a
Markdown table and written to ``bench/out/bench_browser.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
STATE = """() => {
    const f = document.querySelector("iframe.arm-map-frame");
    const d = f && f.contentDocument && f.contentDocument.documentElement;
    return d ? Object.assign({}, d.dataset) : {};
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(events: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit), "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--", "--events", str(events), "--offline"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text()}") from None
            time.sleep(0.2)
    raise RuntimeError("streamlit did not start")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ready(page, timeout: float) -> dict[str, str]:
    page.wait_for_function(
        f"(() => ['ready', 'error'].includes(({STATE})().armState))", timeout=timeout * 1000
    )
    state = page.evaluate(STATE)
    if state.get("armState") != "ready":
        raise RuntimeError(f"the map page failed: {state.get('armError')}")
    return state


def _thumbs(page):
    return page.locator("[data-testid='stSlider']", has_text="Window").locator(
        "input[type='range']"
    )


def _centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _move_start(page, track: tuple[float, float], fraction: float) -> None:
    """Drag the window slider's start thumb to ``fraction`` of the track, with the mouse."""
    x, y = _centre(_thumbs(page).first)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(track[0] + fraction * (track[1] - track[0]), y, steps=8)
    page.mouse.up()


def measure(size: int, moves: int, workdir: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    events = workdir / f"events-{size}.csv"
    if not events.exists():
        synth.main([str(size), str(events)])
    proc, url = _start(events, workdir / f"streamlit-{size}.log")
    timeout = 900.0
    result: dict[str, Any] = {"size": size}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            errors: list[str] = []
            sizes: list[int] = []
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
            start = time.perf_counter()
            page.goto(url, timeout=timeout * 1000)
            state = _ready(page, timeout)
            result["ready_cold_s"] = time.perf_counter() - start
            result["bytes_first_load"] = sum(sizes)
            result["events"] = int(state["armEvents"])
            result["server_rss_mb"] = _rss_mb(proc.pid)

            warm = browser.new_page(viewport={"width": 1400, "height": 1000})
            warm.on("pageerror", lambda exc: errors.append(str(exc)))
            start = time.perf_counter()
            warm.goto(url, timeout=timeout * 1000)
            _ready(warm, timeout)
            result["ready_warm_s"] = time.perf_counter() - start
            warm.close()

            # The track's ends: the thumbs sit there while the window is the whole span.
            # (The slider is under the map: bring it into view for the mouse.)
            _thumbs(page).first.scroll_into_view_if_needed()
            track = (_centre(_thumbs(page).first)[0], _centre(_thumbs(page).last)[0])
            times, applies = [], []
            for i in range(moves):
                before = page.evaluate(STATE)
                _move_start(page, track, 0.55 + 0.1 * i)
                start = time.perf_counter()
                page.wait_for_function(
                    f"(() => {{ const s = ({STATE})(); return s.armApplied !== "
                    f"{json.dumps(before['armApplied'])} && s.armWindow !== "
                    f"{json.dumps(before['armWindow'])}; }})",
                    timeout=timeout * 1000,
                )
                times.append(time.perf_counter() - start)
                applies.append(float(page.evaluate(STATE)["armApplyMs"]) / 1000)
            result["move_s"] = statistics.median(times)
            result["move_apply_s"] = statistics.median(applies)
            result["in_window_after_moves"] = int(page.evaluate(STATE)["armInWindow"])
            result["page_errors"] = errors
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return result


def _table(results: list[dict[str, Any]]) -> str:
    base = results[0]
    lines = [
        "| events | page ready, cold | page ready, warm (ratio) | bytes, first load (more than "
        f"{base['size']:,}) | window move (ratio) | the page's part | server RSS | page errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['ready_cold_s']:.1f} s | {r['ready_warm_s']:.2f} s "
            f"({r['ready_warm_s'] / base['ready_warm_s']:.1f}x) | "
            f"{r['bytes_first_load'] / 1e6:.2f} MB "
            f"(+{(r['bytes_first_load'] - base['bytes_first_load']) / 1e6:.2f} MB) | "
            f"{r['move_s']:.2f} s ({r['move_s'] / base['move_s']:.1f}x) | "
            f"{r['move_apply_s'] * 1000:.0f} ms | {r['server_rss_mb']:.0f} MB | "
            f"{len(r['page_errors'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--moves", type=int, default=3)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        print(f"measuring {size:,} events…", file=sys.stderr, flush=True)
        results.append(measure(size, args.moves, OUT))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    (OUT / "bench_browser.json").write_text(json.dumps(results, indent=2))
    print(_table(results))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
