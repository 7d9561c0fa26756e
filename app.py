"""Map of claimed armed resistance to the Taliban: ``streamlit run app.py [-- --events PATH]``.

A thin page: widgets, layout, cache wrappers and calls into ``geo`` and ``layers``.
The map is a page published once per dataset and filters (``layers.page``); a window
move, a metric, a province or a layer switch only sends the view to it, and playback
runs in it. Options, or environment variables (tests): ``--events`` (ARM_EVENTS),
``--presence`` (ARM_PRESENCE), ``--districts`` (ARM_DISTRICTS), ``--vendor``
(ARM_VENDOR: the folder ``make assets`` fills), ``--offline`` (ARM_OFFLINE=1: no tiles).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import streamlit as st

from geo import settings, views
from geo.claims import Filters
from geo.errors import GeoError
from layers import assets, page, style, timeline

#: Cache keys: a MapData by its key, a path by its file's version (an edit reloads it).
_HASH = {views.MapData: lambda d: d.key, type(Path()): views.file_version}
#: A loaded MapData holds tens of MB: keep 4 (and per-view results 64), an hour at most.
LOADED = {"max_entries": 4, "ttl": 3600, "hash_funcs": _HASH}
PER_VIEW = {"max_entries": 64, "ttl": 3600, "hash_funcs": _HASH}
load_data = st.cache_resource(views.load_map_data, show_spinner="Loading claims…", **LOADED)
page_for = st.cache_resource(page.publish_page, show_spinner="Preparing the map…", **LOADED)
frames_for = st.cache_data(views.map_frames, **PER_VIEW)
timeline_for = st.cache_data(views.claims_timeline, **PER_VIEW)
options_for = st.cache_data(views.filter_options, **LOADED)
assets_for = st.cache_data(lambda folder: assets.served_files(Path(folder)), **LOADED)
claims_map = st.components.v2.component("armap_map", js=page.bridge_js(), isolate_styles=False)
STEP_DAYS = {"week": 7, "month": 30}
WIDE = {"hide_index": True, "width": "stretch"}


def _options() -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(prog="app.py")
    p.add_argument("--events", default=env("ARM_EVENTS", str(settings.EVENTS_PATH)))
    p.add_argument("--presence", default=env("ARM_PRESENCE", str(settings.PRESENCE_PATH)))
    p.add_argument("--districts", default=env("ARM_DISTRICTS", str(settings.DISTRICTS_PATH)))
    p.add_argument("--vendor", default=env("ARM_VENDOR", str(settings.VENDOR_DIR)))
    p.add_argument("--offline", action="store_true", default=env("ARM_OFFLINE") == "1")
    return p.parse_args(sys.argv[1:] if Path(sys.argv[0]).name == "app.py" else [])


def _on_window() -> None:  # playback paused in the map: the page follows its window
    start, end = (date.fromisoformat(d) for d in st.session_state.map.window)
    st.session_state.window = (start, end)


def _on_selected() -> None:  # an area clicked in the map
    clicked = st.session_state.map.selected or {}
    if clicked.get("code"):
        st.session_state.selected = (clicked["code"], clicked.get("kind", "province"))
        if clicked.get("kind") == "province":
            st.session_state.province = clicked["code"]


def _sidebar(data: views.MapData, opts: dict[str, list[str]]) -> Filters:
    sb = st.sidebar
    sb.selectbox("Shade areas by", views.METRICS, format_func=style.METRIC_LABELS.get, key="metric")
    names = dict(zip(data.provinces[settings.PROVINCE_CODE], data.provinces["name"], strict=True))
    choices = [None, *sorted(names, key=names.__getitem__)]
    sb.selectbox(
        "Province (shows its districts)", choices, key="province",
        format_func=lambda c: names.get(c, "All"),
    )  # fmt: skip
    sb.caption("Layers")
    for name in views.LAYERS:
        off = name == "districts" and data.districts is None
        sb.toggle(name.capitalize(), value=not off, key=f"show_{name}", disabled=off)
    if data.districts is None:
        sb.caption("Districts are not installed: run `armap districts install`.")
    sb.caption("Filters")
    actors = sb.multiselect("Group / actor", opts["actors"], key="actors")
    types = sb.multiselect("Event type", opts["event_types"], key="types")
    statuses = sb.multiselect("Claim status", opts["statuses"], key="statuses")
    precision = sb.select_slider(
        "Least precise location shown", [1, 2, 3, 4], value=4, key="precision",
        format_func=settings.LOCATION_PRECISIONS.get,
    )  # fmt: skip
    sources = sb.multiselect("Source outlet", opts["sources"], key="sources")
    sb.caption("Playback")
    sb.radio("Step", list(STEP_DAYS), horizontal=True, key="step")
    sb.radio("Window mode", ["moving", "cumulative"], horizontal=True, key="mode")
    sb.slider("Seconds per step", 0.5, 5.0, 1.5, 0.5, key="speed")
    return Filters(
        actors=tuple(actors), event_types=tuple(types), statuses=tuple(statuses),
        coarsest_precision=precision, sources=tuple(sources),
    )  # fmt: skip


def _details(frames: dict, code: str, kind: str) -> None:
    area = frames.get(f"{kind}s")
    info = views.area_figures(area, area_code=code) if area is not None else None
    if info is None:
        return
    st.subheader(f"{style.md_escape(info['name'])} ({kind}), {info['as_of']}")
    st.button("Clear selection", key="clear", on_click=lambda: st.session_state.pop("selected"))
    for col, (label, value) in zip(st.columns(4), info["figures"].items(), strict=True):
        col.metric(label, value)
    if "events" in frames:
        ev = views.area_events(frames["events"], area_code=code, kind=kind)
        st.caption(f"{style.plural(len(ev), 'claim')} in the window: who claims what, sources")
        st.dataframe(views.event_table(ev), **WIDE)


def main() -> None:
    """Lay out the page: sidebar, then the map panel."""
    st.set_page_config(page_title="Claimed resistance to the Taliban", layout="wide")
    args = _options()
    upload = st.sidebar.file_uploader("Events file (CSV, claims format)", type="csv")
    kw = {"presence_path": Path(args.presence), "districts_path": Path(args.districts)}
    if upload:  # the bytes are hashed by content; events_path is then ignored
        kw.update(events_bytes=upload.getvalue(), events_name=upload.name)
    try:
        data = load_data(Path(args.events), **kw)
    except GeoError as exc:
        st.error(f"Cannot show the map: {exc}")
        st.stop()
    filters = _sidebar(data, options_for(data))
    st.title("Claimed armed resistance to the Taliban")
    st.caption(
        f"Data: {style.md_escape(data.source)}. A claim is one side's word unless acknowledged "
        "or corroborated. Click a province for its numbers, claims and sources."
    )
    if data.problems:
        left_out = style.plural(len(data.problems), "problem")
        with st.expander(f"{left_out} in the files: those rows are left out of the map"):
            st.text("\n".join(data.problems))
    _panel(data, filters, args.offline, *assets_for(args.vendor))


def _panel(data: views.MapData, base: Filters, offline: bool, vendored: dict, why: str) -> None:
    window = st.session_state.get("window")
    if not window or window[0] < data.span[0] or window[1] > data.span[1]:
        st.session_state.window = data.span
    bump = lambda: st.session_state.update(seq=st.session_state.get("seq", 0) + 1)  # noqa: E731
    start, end = st.slider(
        "Window", *data.span, key="window", step=timedelta(days=1), format="YYYY-MM-DD",
        on_change=bump,
    )  # fmt: skip
    filters = dataclasses.replace(base, start=start, end=end)
    url, report, browser = page_for(data, base, tiles=not offline, installed=vendored)
    counts = views.window_counts(browser.events, filters)
    st.markdown(views.count_summary(counts["events"], counts["unplaced"]))
    if not report.offline_ready:
        st.warning(f"Map scripts come from public CDNs: {why}")
        with st.expander(f"{style.plural(len(report.cdn), 'file')} requested from CDNs"):
            st.text("\n".join(report.cdn))
    selected = st.session_state.get("selected")
    view = {
        "window": [start.isoformat(), end.isoformat()], "metric": st.session_state.metric,
        "province": st.session_state.province, "selected": selected[0] if selected else None,
        "layers": {n: bool(st.session_state.get(f"show_{n}")) for n in views.LAYERS},
        "seq": st.session_state.get("seq", 0), "step_days": STEP_DAYS[st.session_state.step],
        "cumulative": st.session_state.mode == "cumulative", "speed": st.session_state.speed,
    }  # fmt: skip
    claims_map(
        data={"url": url, "view": view, "height": 620}, key="map", on_window_change=_on_window,
        on_selected_change=_on_selected, on_event_change=lambda: None,
    )  # fmt: skip
    chart = timeline.timeline_chart(
        timeline_for(data, filters=base), window=(start, end), span=data.span
    )
    st.altair_chart(chart, width="stretch")
    province = st.session_state.province  # (the frames are made later, on a download)
    frames = lambda: frames_for(data, filters=filters, province=province)  # noqa: E731
    if selected:
        _details(frames(), *selected)
    unplaced = browser.events.iloc[counts["unplaced_rows"]]
    if len(unplaced):
        with st.expander(f"{style.plural(len(unplaced), 'claim')} cannot be placed on the map"):
            st.dataframe(views.event_table(unplaced), **WIDE)
    st.caption("Download what the map shows, filtered as on screen")
    shown = [n for n in views.LAYERS if st.session_state.get(f"show_{n}")]
    shown = [
        n for n in shown if n != "districts" or (data.districts is not None and view["province"])
    ]
    files = views.download_files({n: (lambda n=n: frames()[n]) for n in shown})
    for col, (name, (make, mime)) in zip(st.columns(len(files)), files.items(), strict=True):
        col.download_button(name, make, file_name=name, mime=mime, on_click="ignore", key=name)


main()
