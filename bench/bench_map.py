"""Benchmark the map at 1k and 10k synthetic events: rerun time and browser payload.

Usage: ``python bench/bench_map.py [--sizes 1000 10000] [--moves 3]`` (``make bench``).

For each size it writes synthetic events (``bench/synth.py``, seed 0) and measures:

* the first page run (loading, validating, joining: cached afterwards);
* a rerun after a slider move, with Streamlit's AppTest (set the window, run), over
  ``--moves`` windows that are not cached yet (the median is printed);
* the pure compute path for the same windows: layer frames, class breaks, folium
  layers and st_folium's serialisation, without Streamlit's caches;
* the bytes st_folium sends to the browser (its component arguments as JSON).

Ratios are against a baseline measured in the same run: 10k against 1k events, and the
provinces layer with display-simplified polygons against the unsimplified ones.
Results are printed and written to ``bench/out/bench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit_folium  # noqa: E402
import synth  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from geo import (  # noqa: E402
    claims,
    views,
)
from layers import (  # noqa: E402
    areas,
    assets,
    basemap,
    events,
)

OUT = ROOT / "bench" / "out"


def _windows(span: tuple[date, date], moves: int) -> list[tuple[date, date]]:
    """Return ``moves`` 90-day windows spread over the span (none equal to another)."""
    first, last = span
    step = (last - first - timedelta(days=90)) / max(moves, 1)
    return [(first + step * i, first + step * i + timedelta(days=90)) for i in range(moves)]


def _payload(base, groups) -> int:
    """Return the bytes st_folium would send for ``base`` plus ``groups``."""
    captured: dict[str, Any] = {}
    original = streamlit_folium._component_func
    streamlit_folium._component_func = lambda **kw: captured.update(kw)
    try:
        streamlit_folium.st_folium(
            base, key="map", feature_group_to_add=groups, returned_objects=["last_active_drawing"]
        )
    finally:
        streamlit_folium._component_func = original
    captured.pop("on_change", None)
    return len(json.dumps(captured).encode())


def _compute(data: views.MapData, popups, window: tuple[date, date]) -> tuple[float, int]:
    """Run the page's compute path without caches; return seconds and payload bytes."""
    start = time.perf_counter()
    filters = claims.Filters(start=window[0], end=window[1])
    frames = views.display_frames(data, views.map_frames(data, filters=filters, metric="claims"))
    breaks = {
        "provinces": views.breaks_for(data, layer="provinces", filters=filters, metric="claims")
    }
    base = basemap.base_map(data.display_provinces, data.neighbours)
    groups = basemap.data_layers(frames, metric="claims", breaks=breaks, popups=popups)
    report = assets.localize(base)
    for group in groups:
        assets.localize(group, report=report)
    size = _payload(base, groups)
    return time.perf_counter() - start, size


def _apptest(csv: Path, windows: list[tuple[date, date]]) -> dict[str, Any]:
    os.environ["ARM_EVENTS"] = str(csv)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"app failed: {at.exception}")
    reruns, sizes = [], []
    for window in windows:
        at.slider(key="window").set_value(window)
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
        (component,) = at.get("component_instance")
        sizes.append(len(component.proto.json_args.encode()))
    return {"first_run_s": first, "rerun_s": statistics.median(reruns), "payload_bytes": sizes[-1]}


def _polygons_ratio(data: views.MapData) -> dict[str, int]:
    full = views.layer_frame(
        "provinces", events=data.events, presence=data.presence, provinces=data.provinces
    )
    frame = views.with_area_shapes(full, provinces=data.display_provinces)
    sizes = {}
    for name, f in (("simplified", frame), ("unsimplified", full)):
        layer = areas.area_layer(f, metric="claims", breaks=(1, 2, 5), name="Provinces")
        base = basemap.base_map(data.display_provinces, data.neighbours)
        sizes[name] = _payload(base, [layer])
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--moves", type=int, default=3)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for n in args.sizes:
        csv = OUT / f"synth_{n}.csv"
        synth.generate(n, seed=0).to_csv(csv, index=False)
        start = time.perf_counter()
        data = views.load_map_data(csv)
        load = time.perf_counter() - start
        popups = events.event_popups(data.events, by_id=True)
        windows = _windows(data.span, args.moves)
        compute = [_compute(data, popups, w) for w in windows]
        whole = _compute(data, popups, data.span)
        app = _apptest(csv, windows)
        results[str(n)] = {
            "load_s": load,
            "compute_s": statistics.median(c[0] for c in compute),
            "payload_90d_bytes": compute[-1][1],
            "payload_all_bytes": whole[1],
            **app,
        }
    results["provinces_payload_bytes"] = _polygons_ratio(data)
    (OUT / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    _print(results, args.sizes)
    return 0


def _print(results: dict[str, Any], sizes: list[int]) -> None:
    print(
        "events | first run | rerun after slider move (AppTest) | compute path"
        " | payload 90 days | payload all"
    )
    for n in sizes:
        r = results[str(n)]
        print(
            f"{n:>6} | {r['first_run_s']:.2f} s | {r['rerun_s']:.2f} s | {r['compute_s']:.2f} s | "
            f"{r['payload_90d_bytes'] / 1e6:.2f} MB | {r['payload_all_bytes'] / 1e6:.2f} MB"
        )
    if len(sizes) >= 2:
        lo, hi = results[str(sizes[0])], results[str(sizes[-1])]
        print(
            f"ratio {sizes[-1]}/{sizes[0]}: rerun {hi['rerun_s'] / lo['rerun_s']:.1f}x, "
            f"compute {hi['compute_s'] / lo['compute_s']:.1f}x, "
            f"payload 90 days {hi['payload_90d_bytes'] / lo['payload_90d_bytes']:.1f}x, "
            f"payload all {hi['payload_all_bytes'] / lo['payload_all_bytes']:.1f}x"
        )
    poly = results["provinces_payload_bytes"]
    print(
        f"provinces layer + base map: {poly['simplified'] / 1e3:.0f} kB simplified vs "
        f"{poly['unsimplified'] / 1e3:.0f} kB unsimplified "
        f"({poly['simplified'] / poly['unsimplified']:.2f}x)"
    )


if __name__ == "__main__":
    sys.exit(main())
