"""Map of claimed armed resistance to the Taliban: ``streamlit run app.py [-- --events PATH]``.

A thin page: widgets, layout, cache wrappers and calls into ``geo`` and ``layers``.
Options, or environment variables (tests): ``--events`` (ARM_EVENTS), ``--presence``
(ARM_PRESENCE), ``--districts`` (ARM_DISTRICTS), ``--vendor`` (ARM_VENDOR: the folder
``make assets`` fills), ``--offline`` (ARM_OFFLINE=1: no tile requests at all).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from datetime import timedelta
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo import settings, views
from geo.claims import Filters
from geo.errors import GeoError
from layers import assets, basemap, events, style, timeline

#: Cache keys: a MapData by its key, a path by its file's version (an edit reloads it).
_HASH = {views.MapData: lambda d: d.key, type(Path()): views.file_version}
#: A loaded MapData holds tens of MB: keep 4 (and per-view results 64), an hour at most.
LOADED = {"max_entries": 4, "ttl": 3600, "hash_funcs": _HASH}
PER_VIEW = {"max_entries": 64, "ttl": 3600, "hash_funcs": _HASH}
load_data = st.cache_resource(views.load_map_data, show_spinner="Loading claims…", **LOADED)
frames_for = st.cache_data(views.map_frames, **PER_VIEW)
breaks_for = st.cache_data(views.area_breaks, **PER_VIEW)
timeline_for = st.cache_data(views.claims_timeline, **PER_VIEW)
options_for = st.cache_data(views.filter_options, **LOADED)
assets_for = st.cache_data(lambda folder: assets.served_files(Path(folder)), **LOADED)
popups_for = st.cache_resource(lambda d: events.event_popups(d.events, by_id=True), **LOADED)
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


def _on_map_click() -> None:
    feature = (st.session_state.get("map") or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    if props.get("area_code"):
        st.session_state.selected = (props["area_code"], props.get("area_kind", "province"))
        if props.get("area_kind") == "province" and props["area_code"] != st.session_state.province:
            st.session_state.province = props["area_code"]
            st.session_state.redraw_page = True  # the sidebar shows the province too


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
    """Lay out the page: sidebar, then the map panel (a fragment, for playback)."""
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
    playing = st.session_state.get("playing", False)
    toggle = lambda: st.session_state.update(playing=not playing)  # noqa: E731
    st.button("⏸ Pause" if playing else "▶ Play", on_click=toggle, key="play")
    st.fragment(run_every=st.session_state.speed if playing else None)(_panel)(
        data, filters, args.offline, *assets_for(args.vendor)
    )


def _panel(data: views.MapData, base: Filters, offline: bool, vendored: dict, why: str) -> None:
    if st.session_state.pop("redraw_page", False):
        st.rerun(scope="app")
    window = st.session_state.get("window")
    if not window or window[0] < data.span[0] or window[1] > data.span[1]:
        st.session_state.window = data.span
    if st.session_state.get("playing"):  # one playback step
        st.session_state.window, done = views.step_window(
            st.session_state.window, data.span, days=STEP_DAYS[st.session_state.step],
            cumulative=st.session_state.mode == "cumulative",
        )  # fmt: skip
        if done:
            st.session_state.playing = False
            st.rerun()
    start, end = st.slider(
        "Window", *data.span, key="window", step=timedelta(days=1), format="YYYY-MM-DD"
    )
    filters = dataclasses.replace(base, start=start, end=end)
    metric, province = st.session_state.metric, st.session_state.province
    shown = tuple(n for n in views.LAYERS if st.session_state.get(f"show_{n}"))
    frames = frames_for(data, filters=filters, metric=metric, province=province, layers=shown)
    breaks = breaks_for(data, filters=base, metric=metric, layers=tuple(frames))
    ev = frames.get("events")
    unplaced = views.unplaced_events(ev) if ev is not None else None
    if ev is not None:
        st.markdown(views.match_summary(ev))
    m, groups, report = basemap.build(
        data.display_provinces, data.neighbours, views.display_frames(data, frames),
        tiles=not offline, metric=metric, breaks=breaks, province=province, as_of=end.isoformat(),
        groups=options_for(data)["groups"], popups=popups_for(data), installed=vendored,
    )  # fmt: skip
    if not report.offline_ready:
        st.warning(f"Map scripts come from public CDNs: {why}")
        with st.expander(f"{style.plural(len(report.cdn), 'file')} requested from CDNs"):
            st.text("\n".join(report.cdn))
    center, zoom = basemap.view_for(data.display_provinces, province)
    st_folium(
        m, key="map", height=620, use_container_width=True, feature_group_to_add=groups,
        returned_objects=["last_active_drawing"], on_change=_on_map_click, center=center,
        zoom=zoom,
    )  # fmt: skip
    counts = timeline_for(data, filters=base)
    chart = timeline.timeline_chart(counts, window=(start, end), span=data.span)
    st.altair_chart(chart, width="stretch")
    if st.session_state.get("selected"):
        _details(frames, *st.session_state.selected)
    if unplaced is not None and len(unplaced):
        with st.expander(f"{style.plural(len(unplaced), 'claim')} cannot be placed on the map"):
            st.dataframe(views.event_table(unplaced), **WIDE)
    st.caption("Download what the map shows, filtered as on screen")
    files = views.download_files(frames)
    for col, (name, (make, mime)) in zip(st.columns(len(files)), files.items(), strict=True):
        col.download_button(name, make, file_name=name, mime=mime, on_click="ignore", key=name)


main()
