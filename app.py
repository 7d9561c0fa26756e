"""Map of claimed armed resistance to the Taliban: ``streamlit run app.py [-- --events PATH]``.

A thin page: widgets, layout, cache wrappers and calls into ``geo`` and ``layers``.
The map is a page published once per dataset and filters (``layers.page``); a window
move, a metric, a province or a layer switch only sends the view to it, and playback
runs in it. The claims panel beside it shows a clicked area's or claim's cards; the
view lives in the page's URL (``layers.share``). Options, or environment variables
(tests): ``--events`` (ARM_EVENTS),
``--presence`` (ARM_PRESENCE), ``--districts`` (ARM_DISTRICTS), ``--vendor``
(ARM_VENDOR: the folder ``make assets`` fills), ``--offline`` (ARM_OFFLINE=1: no tiles).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import streamlit as st

from geo import settings, views
from geo.claims import Filters
from geo.errors import GeoError
from layers import assets, page, panel, share, snapshot, style, timeline

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
labels_for = st.cache_data(views.province_labels, **LOADED)
known_for = st.cache_data(share.known_days, **LOADED)
as_known_on = st.cache_resource(views.known_on, **LOADED)
summary_for = st.cache_data(lambda d: views.data_summary(d.events, d.span), **LOADED)
assets_for = st.cache_data(lambda folder: assets.served_files(Path(folder)), **LOADED)
state = st.session_state
claims_map = st.components.v2.component("armap_map", js=page.bridge_js(), isolate_styles=False)
WIDE = {"hide_index": True, "width": "stretch"}
MAP_HEIGHT, CARDS = 620, 30


def _sidebar(data: views.MapData, opts: dict[str, list[str]]) -> Filters:
    sb, labels = st.sidebar, labels_for(data)
    sb.selectbox("Shade areas by", views.METRICS, format_func=style.METRIC_LABELS.get, key="metric")
    sb.selectbox(
        "Province (shows its districts)", ["", *labels], key="province",
        format_func=lambda c: labels[c] if c else "All",
    )  # fmt: skip
    sb.caption("Layers")
    for name in views.LAYERS:
        off = name == "districts" and data.districts is None
        sb.toggle(name.capitalize(), key=f"show_{name}", disabled=off)
    if data.districts is None:
        sb.caption("Districts are not installed: run `armap districts install`.")
    sb.caption("Filters")
    for key, (label, words) in share.FILTER_WIDGETS.items():  # plain words, codes kept
        kw = {"format_func": lambda v, w=words: w.get(v, v)}
        sb.multiselect(label, opts[share.OPTIONS[key]], key=key, **kw)
    sb.toggle("Only contested claims (a claim and a denial on record)", key="contested")
    sb.select_slider(
        "Least precise location shown", [1, 2, 3, 4], key="precision",
        format_func=settings.LOCATION_PRECISIONS.get,
    )  # fmt: skip
    sb.caption("Playback")
    sb.radio("Step", list(share.STEP_DAYS), horizontal=True, key="step")
    sb.radio("Window mode", list(share.MODES), horizontal=True, key="mode")
    sb.slider("Seconds per step", 0.5, 5.0, step=0.5, key="speed")
    return share.filters(state)


def _claims_panel(content: dict | None, data: views.MapData) -> None:
    """Beside the map: the selected area's figures and claims, or the clicked claim first."""
    if content is None:
        st.info("Click a province or a claim on the map: its figures, claims and sources.")
        return
    st.button("Clear selection (national view)", on_click=share.clear_selection, args=(state,))
    if content["note"]:
        st.caption(style.md_escape(content["note"]))
    if info := content["figures"]:
        code, kind = content["area"]
        name = labels_for(data).get(code, info["name"]) if kind == "province" else info["name"]
        st.subheader(style.md_escape(name), anchor=False)
        st.caption(f"{kind.capitalize()}: figures for the window, as of {info['as_of']}")
        st.markdown(
            "\n".join(f"- {k}: **{style.md_escape(v)}**" for k, v in info["figures"].items())
        )
    more = f" (the newest {CARDS} shown)" if content["total"] > CARDS else ""
    st.caption(f"{style.plural(content['total'], 'claim')} in the window{more}: with sources")
    for i, card in enumerate(content["cards"]):
        with st.container(border=True, key=f"card_{i}"):
            st.markdown(panel.card_markdown(card, selected=card["id"] == state.get("claim")))
            for source in card["sources"]:
                st.code(source["citation"], language=None, wrap_lines=True)


def main() -> None:
    """Lay out the page: sidebar, header, the map with the claims panel, time, downloads."""
    st.set_page_config(page_title="Claimed resistance to the Taliban", layout="wide")
    args = page.running_options()
    st.sidebar.page_link("pages/claims_desk.py", label="Claims desk", help=page.DESK_HELP)
    upload = st.sidebar.file_uploader("Events file (CSV, claims format)", type="csv")
    kw = {"presence_path": Path(args.presence), "districts_path": Path(args.districts)}
    if upload:  # the bytes are hashed by content; events_path is then ignored
        kw.update(events_bytes=upload.getvalue(), events_name=upload.name)
    try:
        data = load_data(Path(args.events), **kw)
    except GeoError as exc:
        st.error(f"Cannot show the map: {exc}")
        st.stop()
    opts = options_for(data)
    share.restore(state, {k: st.query_params.get_all(k) for k in st.query_params}, data, opts)
    filters = _sidebar(data, opts)
    st.markdown(
        f"### Claimed armed resistance to the Taliban\n{style.md_escape(summary_for(data))}\n\n"
        f":gray[Claims: {style.md_escape(data.source)} "
        f"({'uploaded' if upload else 'shipped with the map'}); resistance presence: "
        f"{style.md_escape(Path(args.presence).name)} (shipped with the map). Filters, layers "
        "and uploads: the sidebar.]"
    )
    if data.problems:
        left_out = style.plural(len(data.problems), "problem")
        st.warning(f"{left_out} in the files: those rows are left out of the map.")
        with st.container(height=min(200, 30 + 22 * len(data.problems)), key="problems"):
            st.text("\n".join(data.problems))
    for note in data.notes:
        st.caption(style.md_escape(note))
    if state.link_ignored:
        ignored = ", ".join(state.link_ignored)
        st.warning(f"Left out of the link (not in this data): {style.md_escape(ignored)}")
    _panel(data, filters, args.offline, *assets_for(args.vendor))
    st.query_params.from_dict(share.encode_view(state, layers=views.LAYERS))


def _panel(data: views.MapData, base: Filters, offline: bool, vendored: dict, why: str) -> None:
    window = state.get("window")
    if not window or window[0] < data.span[0] or window[1] > data.span[1]:
        state.window = data.span
    top = st.container()  # the map and the panel, above the window's slider
    start, end = st.slider(  # a move of the slider stops playback (seq)
        "Window (when it happened)", *data.span, key="window", step=timedelta(days=1),
        format="YYYY-MM-DD", on_change=lambda: state.update(seq=state.get("seq", 0) + 1),
    )  # fmt: skip
    st.select_slider(  # what had been reported by a day: statuses as they stood then
        "As known on (what had been reported by then)", known_for(data), key="known",
        format_func=lambda d: "latest: everything reported" if d == share.LATEST else d,
    )  # fmt: skip
    filters = dataclasses.replace(base, start=start, end=end)
    url, report, browser = page_for(data, base, tiles=not offline, installed=vendored)
    if (row := state.pop("claim_row", None)) is not None:
        share.select_claim(state, browser.events["event_id"], row)
    counts = views.window_counts(browser.events, filters)
    st.markdown(views.count_summary(counts["events"], counts["unplaced"]))
    if not report.offline_ready:
        st.warning(f"Map scripts come from public CDNs: {why}")
        with st.expander(f"{style.plural(len(report.cdn), 'file')} requested from CDNs"):
            st.text("\n".join(report.cdn))
    view = share.map_view(state)
    made = {"filters": filters, "metric": view["metric"], "province": view["province"]}
    frames = lambda: frames_for(data, **made)  # noqa: E731
    stances = as_known_on(data, filters.known_on).stances  # as known on the day chosen
    left, right = top.columns([2, 1], gap="small")
    with left:
        claims_map(
            data={"url": url, "view": view, "height": MAP_HEIGHT}, key="map",
            on_window_change=lambda: share.follow_window(state, state.map.window),
            on_selected_change=lambda: share.select_area(state, state.map.selected),
            on_event_change=lambda: state.update(claim_row=(state.map.event or {}).get("row")),
        )  # fmt: skip
    with right, st.container(height=MAP_HEIGHT, border=False, key="claims_panel"):
        chosen = {"selected": state.get("selected"), "claim": state.get("claim")}
        content = views.panel_content(frames, limit=CARDS, stances=stances, **chosen)
        _claims_panel(content, data)
    counts_in_time = timeline_for(data, filters=base)
    st.altair_chart(timeline.timeline_chart(counts_in_time, window=(start, end), span=data.span))
    unplaced = browser.events.iloc[counts["unplaced_rows"]]
    if len(unplaced):
        with st.expander(f"{style.plural(len(unplaced), 'claim')} cannot be placed on the map"):
            st.dataframe(views.event_table(unplaced), **WIDE)
    st.caption("Download what the map shows, filtered as on screen")
    shown = share.downloadable(state, districts=data.districts is not None)
    files = views.download_files(
        {n: (lambda n=n: frames()[n]) for n in shown}, filters=filters, source=data.source,
        stances=stances,
    )  # fmt: skip
    standalone = lambda: page.standalone_page(data, filters, view=view)  # noqa: E731
    files[page.standalone_name(filters)] = (standalone, "text/html")  # the map as one HTML file
    png = {"view": view, "breaks": browser.breaks, "filters": filters, "source": data.source}
    files[page.snapshot_name(filters)] = (lambda: snapshot.view_file(frames(), **png), "image/png")
    for col, (name, (make, mime)) in zip(st.columns(len(files)), files.items(), strict=True):
        col.download_button(name, make, file_name=name, mime=mime, on_click="ignore", key=name)


main()
