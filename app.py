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
from layers import assets, page, panel, share, style, timeline

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
summary_for = st.cache_data(lambda d: views.data_summary(d.events, d.span), **LOADED)
assets_for = st.cache_data(lambda folder: assets.served_files(Path(folder)), **LOADED)
claims_map = st.components.v2.component("armap_map", js=page.bridge_js(), isolate_styles=False)
STEP_DAYS = {"week": 7, "month": 30}
WIDE = {"hide_index": True, "width": "stretch"}
MAP_HEIGHT = 620
#: Widget defaults, set once in the session (a link's view may replace them).
DEFAULTS = {"metric": "claims", "province": "", "precision": 4, "step": "week",
            "mode": "moving", "speed": 1.5, **{f"show_{n}": True for n in views.LAYERS}}  # fmt: skip
CARDS = 30


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
        st.session_state.pop("claim", None)
        if clicked.get("kind") == "province":
            st.session_state.province = clicked["code"]


def _on_event() -> None:  # a claim's marker clicked: the panel shows its card
    st.session_state.claim_row = (st.session_state.map.event or {}).get("row")


def _clear() -> None:  # back to the national view
    for key in ("selected", "claim"):
        st.session_state.pop(key, None)
    st.session_state.province = ""


def _restore(data: views.MapData, opts: dict[str, list[str]]) -> None:
    """Once per session: the widgets' defaults, then the view the page's link gives."""
    if st.session_state.get("restored"):
        return
    st.session_state.restored = True
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    if data.districts is None:
        st.session_state.show_districts = False
    values, ignored = share.decode_view(
        {k: st.query_params.get_all(k) for k in st.query_params}, span=data.span,
        metrics=views.METRICS, layers=views.LAYERS,
        provinces=data.provinces[settings.PROVINCE_CODE].tolist(),
        districts=[] if data.districts is None else data.districts[settings.DISTRICT_ID].tolist(),
        options=opts,
    )  # fmt: skip
    st.session_state.update(values)
    st.session_state.link_ignored = ignored


def _sidebar(data: views.MapData, opts: dict[str, list[str]]) -> Filters:
    sb = st.sidebar
    sb.selectbox("Shade areas by", views.METRICS, format_func=style.METRIC_LABELS.get, key="metric")
    names = dict(zip(data.provinces[settings.PROVINCE_CODE], data.provinces["name"], strict=True))
    choices = ["", *sorted(names, key=names.__getitem__)]
    sb.selectbox(
        "Province (shows its districts)", choices, key="province",
        format_func=lambda c: f"{names[c]} · {_dari(data)[c]}" if c else "All",
    )  # fmt: skip
    sb.caption("Layers")
    for name in views.LAYERS:
        off = name == "districts" and data.districts is None
        sb.toggle(name.capitalize(), key=f"show_{name}", disabled=off)
    if data.districts is None:
        sb.caption("Districts are not installed: run `armap districts install`.")
    sb.caption("Filters")
    actors = sb.multiselect("Group / actor", opts["actors"], key="actors")
    types = sb.multiselect(
        "Event type", opts["event_types"], key="types", format_func=settings.EVENT_TYPE_LABELS.get
    )
    statuses = sb.multiselect(
        "Claim status",
        opts["statuses"],
        key="statuses",
        format_func=settings.CLAIM_STATUS_LABELS.get,
    )
    precision = sb.select_slider(
        "Least precise location shown", [1, 2, 3, 4], key="precision",
        format_func=settings.LOCATION_PRECISIONS.get,
    )  # fmt: skip
    sources = sb.multiselect("Source outlet", opts["sources"], key="sources")
    sb.caption("Playback")
    sb.radio("Step", list(STEP_DAYS), horizontal=True, key="step")
    sb.radio("Window mode", ["moving", "cumulative"], horizontal=True, key="mode")
    sb.slider("Seconds per step", 0.5, 5.0, step=0.5, key="speed")
    return Filters(
        actors=tuple(actors), event_types=tuple(types), statuses=tuple(statuses),
        coarsest_precision=precision, sources=tuple(sources),
    )  # fmt: skip


def _dari(data: views.MapData) -> dict[str, str]:
    return dict(
        zip(
            data.provinces[settings.PROVINCE_CODE],
            data.provinces[settings.PROVINCE_FA],
            strict=True,
        )
    )


def _claims_panel(frames: dict, data: views.MapData) -> None:
    """Beside the map: the selected area's figures and its claims, or the clicked claim."""
    selected, claim = st.session_state.get("selected"), st.session_state.get("claim")
    events = frames.get("events")
    if events is None or not (selected or claim):
        st.info(
            "Click a province or a claim on the map: its figures, claims and sources show here."
        )
        return
    st.button("Clear selection (national view)", key="clear", on_click=_clear)
    cards: list[dict] = []
    if claim:
        own = events[events["event_id"] == claim]
        if own.empty:
            st.caption(f"Claim {style.md_escape(claim)} is outside the window or the filters.")
        else:
            cards = views.claim_cards(own)
            selected = (str(own["province_code"].iloc[0]), "province")
    code, kind = selected if selected else (None, "province")
    area = frames.get(f"{kind}s")
    info = views.area_figures(area, area_code=code) if area is not None and code else None
    if info is not None:
        dari = _dari(data).get(code, "") if kind == "province" else ""
        name = info["name"] + (f" · {dari}" if dari else "")
        st.subheader(f"{style.md_escape(name)}", anchor=False)
        st.caption(f"{kind.capitalize()}, figures for the window as of {info['as_of']}")
        for col, (label, value) in zip(st.columns(2) * 2, info["figures"].items(), strict=True):
            col.metric(label, value)
        others = views.claim_cards(views.area_events(events, area_code=code, kind=kind))
        cards += [c for c in others if c["id"] != claim]
    shown = cards[:CARDS]
    more = f" (the newest {CARDS} shown: download the events for all)" if len(cards) > CARDS else ""
    st.caption(f"{style.plural(len(cards), 'claim')} in the window{more}: who claims what, sources")
    for i, card in enumerate(shown):
        with st.container(border=True, key=f"card_{i}"):
            st.markdown(panel.card_markdown(card, selected=card["id"] == claim))
            for source in card["sources"]:
                st.code(source["citation"], language=None, wrap_lines=True)


def main() -> None:
    """Lay out the page: sidebar, header, then the map with the claims panel beside it."""
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
    opts = options_for(data)
    _restore(data, opts)
    filters = _sidebar(data, opts)
    st.markdown(
        f"### Claimed armed resistance to the Taliban\n{style.md_escape(summary_for(data))}"
    )
    origin = "uploaded" if upload else "shipped with the map"
    st.caption(
        f"Claims: {style.md_escape(data.source)} ({origin}); resistance presence: "
        f"{style.md_escape(Path(args.presence).name)} (shipped with the map)."
    )
    if data.problems:
        st.warning(
            f"{style.plural(len(data.problems), 'problem')} in the files: those rows are left "
            "out of the map. Fix them and upload the file again."
        )
        with st.container(height=min(200, 30 + 22 * len(data.problems)), key="problems"):
            st.text("\n".join(data.problems))
    if st.session_state.get("link_ignored"):
        ignored = ", ".join(st.session_state.link_ignored)
        st.warning(f"Left out of the link (not in this data): {style.md_escape(ignored)}")
    _panel(data, filters, args.offline, *assets_for(args.vendor))
    st.query_params.from_dict(share.encode_view(st.session_state, layers=views.LAYERS))


def _panel(data: views.MapData, base: Filters, offline: bool, vendored: dict, why: str) -> None:
    window = st.session_state.get("window")
    if not window or window[0] < data.span[0] or window[1] > data.span[1]:
        st.session_state.window = data.span
    top = st.container()  # the map and the panel, above the window's slider
    bump = lambda: st.session_state.update(seq=st.session_state.get("seq", 0) + 1)  # noqa: E731
    start, end = st.slider(
        "Window (when it happened)", *data.span, key="window", step=timedelta(days=1),
        format="YYYY-MM-DD", on_change=bump,
    )  # fmt: skip
    filters = dataclasses.replace(base, start=start, end=end)
    url, report, browser = page_for(data, base, tiles=not offline, installed=vendored)
    if st.session_state.get("claim_row") is not None:
        st.session_state.claim = str(browser.events["event_id"].iloc[st.session_state.claim_row])
        st.session_state.claim_row = None
    counts = views.window_counts(browser.events, filters)
    st.markdown(views.count_summary(counts["events"], counts["unplaced"]))
    if not report.offline_ready:
        st.warning(f"Map scripts come from public CDNs: {why}")
        with st.expander(f"{style.plural(len(report.cdn), 'file')} requested from CDNs"):
            st.text("\n".join(report.cdn))
    selected = st.session_state.get("selected")
    view = {
        "window": [start.isoformat(), end.isoformat()], "metric": st.session_state.metric,
        "province": st.session_state.province or None, "selected": selected[0] if selected else None,
        "layers": {n: bool(st.session_state.get(f"show_{n}")) for n in views.LAYERS},
        "seq": st.session_state.get("seq", 0), "step_days": STEP_DAYS[st.session_state.step],
        "cumulative": st.session_state.mode == "cumulative", "speed": st.session_state.speed,
    }  # fmt: skip
    province = st.session_state.province or None  # (the frames are made on a click or a download)
    frames = lambda: frames_for(data, filters=filters, province=province)  # noqa: E731
    left, right = top.columns([2, 1], gap="small")
    with left:
        claims_map(
            data={"url": url, "view": view, "height": MAP_HEIGHT}, key="map",
            on_window_change=_on_window, on_selected_change=_on_selected,
            on_event_change=_on_event,
        )  # fmt: skip
    with right, st.container(height=MAP_HEIGHT, border=False, key="claims_panel"):
        _claims_panel(frames() if selected or st.session_state.get("claim") else {}, data)
    chart = timeline.timeline_chart(
        timeline_for(data, filters=base), window=(start, end), span=data.span
    )
    st.altair_chart(chart, width="stretch")
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
