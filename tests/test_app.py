"""The Streamlit page, driven by AppTest: widgets change the data shown, no exceptions.

The fixture claims (``tests/fixtures/map/``): six events from 2022-01-10 to 2022-09-30
(clash, attack, ambush, casualty claim, strategic development, clash); five can be
placed, one is country-wide. What the map receives is read from the st_folium
component's arguments (the JSON the browser gets).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.views.payload import decode_events
from layers import assets

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "map"


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.setenv("ARM_EVENTS", str(FIXTURES / "events.csv"))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def _count_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "match" in m.value)


def _map(at: AppTest):
    (component,) = [e for e in at.main if getattr(e, "type", None) == "bidi_component"]
    return component


def _map_args(at: AppTest) -> dict:
    """What the app sends the map element on this run: the page's URL and the view."""
    return json.loads(_map(at).proto.json)


def _map_page(at: AppTest) -> str:
    """The published map page (a static file under static/data/)."""
    name = _map_args(at)["url"].rsplit("/", 1)[1]
    return (settings.STATIC_DIR / "data" / name).read_text(encoding="utf-8")


def _page_config(at: AppTest) -> dict:
    text = _map_page(at)
    start = text.index("window.ARM_CONFIG = ") + len("window.ARM_CONFIG = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def _links(at: AppTest) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', _map_page(at))


def test_page_shows_counts_map_and_downloads(app):
    assert _count_text(app).startswith("6 events match")
    assert "1 claim cannot be placed" in _count_text(app)
    args = _map_args(app)
    assert args["height"] == 620
    assert args["view"]["window"] == ["2021-09-01", "2022-09-30"]
    config = _page_config(app)
    assert len(config["provinces"]["features"]) == 34 and config["districts"] is None
    assert config["payload"].startswith("/app/static/data/events-")
    window = "2021-09-01_2022-09-30"  # names: layer, filters set, window
    assert {b.key for b in app.get("download_button")} == {
        f"provinces_{window}.geojson",
        f"events_{window}.geojson",
        f"presence_{window}.geojson",
        f"events_{window}.csv",
        f"events_{window}.csv.json",  # the CSV's metadata
        f"map_{window}.html",  # the map as one offline file
        f"view_{window}.png",  # the view as a picture
    }
    assert any("cannot be placed" in e.label for e in app.expander)


def test_window_slider_drives_the_data_and_keeps_the_map(app):
    before = _map_args(app)
    app.slider(key="window").set_value((date(2022, 9, 1), date(2022, 9, 30))).run()
    assert not app.exception
    assert _count_text(app).startswith("1 event matches")
    after = _map_args(app)
    # Only the view changes: the same page (the browser keeps it, its data and its zoom).
    assert after["url"] == before["url"]
    assert after["view"]["window"] == ["2022-09-01", "2022-09-30"]
    assert after["view"]["seq"] == before["view"]["seq"] + 1  # the slider stops playback


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("types", ["clash"], "2 events"),
        ("statuses", ["denied"], "1 event"),
        ("actors", ["Afghanistan Freedom Front (AFF)"], "1 event"),
        ("sources", ["Other Wire"], "1 event"),
    ],
)
def test_filters_drive_the_data(app, widget, value, expected):
    app.multiselect(key=widget).set_value(value).run()
    assert not app.exception
    assert _count_text(app).startswith(expected)


def test_minimum_precision_keeps_exact_places_only(app):
    app.select_slider(key="precision").set_value(1).run()
    assert _count_text(app).startswith("3 events")
    assert "0 claims cannot be placed" in _count_text(app)


@pytest.mark.parametrize("metric", ["claims", "fatalities", "days_since_last", "presence_level"])
def test_metric_changes_the_legend(app, metric):
    app.selectbox(key="metric").set_value(metric).run()
    assert not app.exception
    legend_titles = {
        "claims": "Claims by province",
        "fatalities": "Claimed fatalities by province",
        "days_since_last": "Days since the latest report by province",
        "presence_level": "Resistance presence level by province",
    }
    assert _map_args(app)["view"]["metric"] == metric
    assert legend_titles[metric] in _page_config(app)["legends"]["areas"]["provinces"][metric]


def test_layer_toggles_remove_layers(app):
    url = _map_args(app)["url"]
    app.toggle(key="show_events").set_value(False).run()
    assert _map_args(app)["view"]["layers"]["events"] is False
    assert _map_args(app)["url"] == url  # a view change, not a new page
    assert not [b.key for b in app.get("download_button") if b.key.startswith("events_")]


def test_without_districts_the_page_says_so(app):
    assert app.toggle(key="show_districts").proto.disabled
    assert any("Districts are not installed" in c.value for c in app.sidebar.caption)
    app.selectbox(key="province").set_value("AF-PAN").run()
    assert not app.exception
    assert _map_args(app)["view"]["province"] == "AF-PAN"
    assert _page_config(app)["districts"] is None


@pytest.mark.districts
def test_choosing_a_province_shows_its_districts(monkeypatch, districts):
    monkeypatch.setenv("ARM_EVENTS", str(FIXTURES / "events.csv"))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.delenv("ARM_DISTRICTS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    url = _map_args(at)["url"]
    at.selectbox(key="province").set_value("AF-BGL").run()
    assert not at.exception
    assert _map_args(at)["view"]["province"] == "AF-BGL" and _map_args(at)["url"] == url
    config = _page_config(at)
    assert "Claims by district" in config["legends"]["areas"]["districts"]["claims"]
    in_baghlan = [
        f for f in config["districts"]["features"] if f["properties"]["province"] == "AF-BGL"
    ]
    assert len(in_baghlan) == int((districts["province_code"] == "AF-BGL").sum())


def _param(at: AppTest, key: str) -> list[str]:
    """A query parameter the page wrote, as a list of its values."""
    value = at.query_params[key]
    return value if isinstance(value, list) else [value]


def _panel_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.main if getattr(m, "type", None) == "markdown")


def test_selected_area_shows_its_claims_as_cards_escaped(app):
    app.session_state["selected"] = ("AF-PAN", "province")
    app.run()
    assert not app.exception
    (heading,) = [s.value for s in app.subheader]
    assert heading.startswith("Panjshir") and "پنجشیر" in heading  # with its Dari name
    assert "- Claims in window: **2**" in _panel_text(app)
    cards = [c for c in app.main if getattr(c, "key", "") and str(c.key).startswith("card_")]
    assert len(cards) == 2  # fx-04 (June), then fx-01 (January): newest first
    text = _panel_text(app)
    assert text.index("ID fx\\-04") < text.index("ID fx\\-01")
    # Markup in a note is escaped Markdown: shown as text, never HTML.
    assert '\\<img src=x onerror="window\\.\\_\\_xss=1"\\>' in text
    assert "<img" not in text.replace("\\<img", "")
    # Every source has a citation to copy (a code block).
    assert any("fixture.txt" in c.value for c in app.code)
    assert _param(app, "area") == ["province:AF-PAN"]
    app.button[0].click().run()  # Clear selection (national view)
    assert app.session_state["selected"] is None and not app.subheader
    assert "area" not in app.query_params and "province" not in app.query_params


def test_a_clicked_marker_selects_its_claim(app):
    from geo import views
    from geo.claims import Filters

    data = views.load_map_data(
        FIXTURES / "events.csv", presence_path=FIXTURES / "presence.csv",
        districts_path=FIXTURES / "no-districts.geojson",
    )  # fmt: skip
    row = views.browser_data(data, Filters()).events["event_id"].tolist().index("fx-02")
    app.session_state["claim_row"] = row
    app.run()
    assert not app.exception
    assert app.session_state["claim"] == "fx-02"
    assert "Selected on the map" in _panel_text(app)
    assert _param(app, "claim") == ["fx-02"]


def test_a_link_restores_the_view_and_says_what_it_left_out(monkeypatch):
    link = {
        "start": "2022-01-01", "end": "2022-06-30", "metric": "fatalities",
        "province": "AF-PAN", "type": ["clash", "bogus"], "layers": "provinces,events",
    }  # fmt: skip
    at = _app_on(monkeypatch, FIXTURES / "events.csv", link)
    view = _map_args(at)["view"]
    assert view["window"] == ["2022-01-01", "2022-06-30"] and view["metric"] == "fatalities"
    assert view["province"] == "AF-PAN"
    assert view["layers"] == {"provinces": True, "districts": False, "events": True,
                              "presence": False}  # fmt: skip
    assert at.multiselect(key="types").value == ["clash"]
    assert _count_text(at).startswith("1 event matches")
    assert any("type=bogus" in w.value for w in at.warning)
    # The page writes its view back: the link stays shareable.
    assert _param(at, "type") == ["clash"] and _param(at, "metric") == ["fatalities"]


def test_playback_settings_go_to_the_map(app):
    app.radio(key="step").set_value("month").run()
    app.radio(key="mode").set_value("cumulative").run()
    view = _map_args(app)["view"]
    assert (view["step_days"], view["cumulative"], view["speed"]) == (30, True, 1.5)


def test_unreadable_events_file_is_reported_not_raised(monkeypatch):
    monkeypatch.setenv("ARM_EVENTS", str(FIXTURES / "missing.csv"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert "missing.csv" in at.error[0].value


def test_missing_map_assets_fall_back_to_the_cdn_and_say_so(monkeypatch, tmp_path):
    monkeypatch.setenv("ARM_EVENTS", str(FIXTURES / "events.csv"))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    monkeypatch.setenv("ARM_VENDOR", str(tmp_path / "empty-vendor"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert "Map scripts come from public CDNs" in warning.value
    assert "run `make assets`" in warning.value
    listed = next(e for e in at.expander if "requested from CDNs" in e.label)
    links = _links(at)
    assert any(link.startswith("https://cdn.jsdelivr.net/npm/leaflet@") for link in links)
    assert listed.label == f"{len(links)} files requested from CDNs"


def test_map_assets_streamlit_cannot_serve_are_not_used(monkeypatch, tmp_path):
    home = tmp_path / "armap-home" / "vendor"  # the per-user folder of a read-only checkout
    for name, path in assets.VENDOR_FILES.values():
        (home / assets.PACKAGES[name].folder / path).parent.mkdir(parents=True, exist_ok=True)
        (home / assets.PACKAGES[name].folder / path).write_text("/* fake */")
    versions = {p.name: p.version for p in assets.PACKAGES.values()}
    (home / assets.MANIFEST_NAME).write_text(json.dumps({"packages": versions}))
    monkeypatch.setenv("ARM_EVENTS", str(FIXTURES / "events.csv"))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    monkeypatch.setenv("ARM_VENDOR", str(home))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert f"local copies are installed in {home}, but Streamlit serves only" in warning.value
    links = _links(at)
    assert not [link for link in links if link.startswith("/app/static/")], links


def test_installed_map_assets_are_served_by_the_app(app):
    if assets.installed_files(settings.VENDOR_DIR) and not assets.servable(settings.VENDOR_DIR):
        pytest.skip(f"{settings.VENDOR_DIR} is a link out of static/, which Streamlit refuses")
    assert not app.warning
    links = _links(app)
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links


# --- the app under load: fresh files, bounded caches, downloads, no side effects ----
def _app_on(monkeypatch, events: Path, link: dict | None = None) -> AppTest:
    """The app on ``events`` (fixture presence, no districts), opened with a link's params."""
    monkeypatch.setenv("ARM_EVENTS", str(events))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (link or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_edited_events_file_shows_on_the_next_rerun(monkeypatch, tmp_path):
    events = tmp_path / "events.csv"
    lines = (FIXTURES / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(lines), encoding="utf-8")
    at = _app_on(monkeypatch, events)
    assert _count_text(at).startswith("6 events match")
    events.write_text("".join(lines[:-1]), encoding="utf-8")  # no restart, no cache clear
    at.run()
    assert not at.exception, at.exception
    assert _count_text(at).startswith("5 events match")


def _resource_cache(display_name: str):
    """Streamlit's cache of one ``st.cache_resource`` function (its internals)."""
    from streamlit.runtime.caching import cache_resource_api

    registry = cache_resource_api._resource_caches._function_caches
    found = [c for s in registry.values() for c in s.values() if c.display_name == display_name]
    assert len(found) == 1, [c.display_name for s in registry.values() for c in s.values()]
    return found[0]


def test_loaded_data_is_cached_for_a_few_files_only(monkeypatch, tmp_path):
    from geo import views

    calls: list[str] = []

    def counted_load(*args, **kwargs):
        calls.append(kwargs.get("events_name", "shipped"))
        return real(*args, **kwargs)

    real = views.load_map_data
    monkeypatch.setattr(views, "load_map_data", counted_load)
    at = _app_on(monkeypatch, FIXTURES / "events.csv")
    text = (FIXTURES / "events.csv").read_text(encoding="utf-8")
    uploads = {f"u{i}.csv": text.replace("Test Wire", f"Wire {i}").encode() for i in range(6)}
    for name, data in uploads.items():
        at.file_uploader[0].upload(name, data, "text/csv").run()
        assert not at.exception, at.exception
        assert f"Claims: {name[:-4]}" in at.markdown[0].value
        assert "(uploaded)" in at.markdown[0].value
    cache = _resource_cache(f"{__name__}.{counted_load.__qualname__}")
    assert (cache.max_entries, cache.ttl_seconds) == (4, 3600)
    assert len(cache._mem_cache) == 4  # the shipped file and two uploads were let go
    assert calls == ["shipped", *uploads]
    for name in ["u2.csv", "u3.csv", "u4.csv", "u5.csv", "u0.csv"]:  # kept, then one let go
        at.file_uploader[0].upload(name, uploads[name], "text/csv").run()
    assert calls[-1:] == ["u0.csv"] and len(calls) == 8
    assert len(cache._mem_cache) == 4


def test_every_app_cache_is_bounded(app):
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    caches = [
        c
        for registry in (
            cache_resource_api._resource_caches._function_caches,
            cache_data_api._data_caches._function_caches,
        )
        for per_session in registry.values()
        for c in per_session.values()
        if c.display_name.startswith(("__main__.", "geo.", "layers."))
    ]
    names = {c.display_name for c in caches}
    expected = {
        "__main__.<lambda>",  # the map's assets
        "geo.views.mapdata.claims_timeline",
        "geo.views.mapdata.filter_options",
        "geo.views.mapdata.province_labels",
        "layers.share.known_days",
        "geo.views.mapdata.known_on",
        "geo.views.mapdata.load_map_data",
        "layers.page.publish_page",
    }
    assert expected <= names
    # Made on a click or a download, and the claims desk's (when its page has run).
    assert names - expected <= {
        "geo.views.mapdata.map_frames",
        "geo.places.gazetteer.Gazetteer.load",
    }
    for cache in caches:
        assert cache.max_entries <= 64 and cache.ttl_seconds == 3600, cache.display_name
    assert _resource_cache("geo.views.mapdata.load_map_data").max_entries == 4


def test_downloads_are_the_cli_exports(monkeypatch, tmp_path, app):
    from streamlit.runtime.media_file_manager import MediaFileManager

    from armap import cli
    from geo import settings

    makers = {}
    real = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        makers[file_name] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    monkeypatch.setattr(settings, "DISTRICTS_PATH", FIXTURES / "no-districts.geojson")
    app.multiselect(key="types").set_value(["clash", "ambush"])
    app.slider(key="window").set_value((date(2022, 1, 1), date(2022, 6, 30))).run()
    assert not app.exception, app.exception
    stem = "clash-ambush_2022-01-01_2022-06-30"
    assert sorted(makers) == [
        f"events_{stem}.csv",
        f"events_{stem}.csv.json",
        f"events_{stem}.geojson",
        f"map_{stem}.html",
        f"presence_{stem}.geojson",
        f"provinces_{stem}.geojson",
        f"view_{stem}.png",
    ]
    argv = ["--events", str(FIXTURES / "events.csv"), "--presence", str(FIXTURES / "presence.csv")]
    argv += ["--start", "2022-01-01", "--end", "2022-06-30", "--type", "clash", "--type", "ambush"]
    for name, make in makers.items():
        if name.endswith((".csv.json", ".html", ".png")):  # the CSV's sidecar (below), pages
            continue
        out = tmp_path / name
        layer = name.split("_")[0]
        assert cli.main(["export", "--layer", layer, "-o", str(out), "--quiet", *argv]) == 0
        if name.endswith(".csv"):  # the same claims file, and the same sidecar but its time
            assert make() == out.read_bytes(), name
            sides = [
                json.loads(makers[f"{name}.json"]()),
                json.loads(out.with_name(f"{name}.json").read_bytes()),
            ]
        else:
            sides = [json.loads(make()), json.loads(out.read_bytes())]
            assert sides[0]["metadata"]["window"] == {"start": "2022-01-01", "end": "2022-06-30"}
        for side in sides:
            (side.get("metadata") or side).pop("generated")
        assert sides[0] == sides[1], name
    page = makers[f"map_{stem}.html"]().decode("utf-8")
    assert "data:application/octet-stream;base64," in page and "/app/static" not in page
    assert makers[f"view_{stem}.png"]().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_page_and_its_downloads_leave_no_files_and_keep_the_umask(monkeypatch, tmp_path):
    import os
    import tempfile

    from streamlit.runtime.media_file_manager import MediaFileManager

    makers = []
    real = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        makers.append(data_callable)
        return real(self, data_callable, *args, **kwargs)

    def no_umask(mask):
        raise AssertionError(f"os.umask({mask:o}) called")

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(os, "umask", no_umask)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = _app_on(monkeypatch, FIXTURES / "events.csv")
    at.slider(key="window").set_value((date(2022, 3, 1), date(2022, 9, 30))).run()
    assert not at.exception, at.exception
    assert len(makers) == 14 and all(make() for make in makers)  # 7 buttons, 2 runs
    assert not list(temp.iterdir())


def test_template_syntax_in_the_data_is_shown_as_text(monkeypatch, template_files):
    """A note such as ``{% broken end`` used to crash the map (jinja2 parsed it)."""
    from tests.helpers_views import TEMPLATE_TEXTS

    events_path, presence_path = template_files
    monkeypatch.setenv("ARM_EVENTS", str(events_path))
    monkeypatch.setenv("ARM_PRESENCE", str(presence_path))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert _count_text(at).startswith("6 events match")
    config = _page_config(at)  # the page renders: its config holds the texts as data
    groups = " ".join(config["presence"]["groups"])
    name = config["payload"].rsplit("/", 1)[1]
    payload = decode_events((settings.STATIC_DIR / "data" / name).read_bytes())
    actors = " ".join(payload["dicts"]["actor1"])
    for text in TEMPLATE_TEXTS:
        assert text in actors, text
    assert "{% broken end" in groups
    at.selectbox(key="province").set_value("AF-PAN").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2022-01-15", "1700-01-15"),  # the slider raised StreamlitJSNumberBoundsError
        (",2,AFF,", ",99999999999999999999999,AFF,"),
        ("an attack in the capital", '"an attack\rin the capital"'),
    ],
    ids=["before-1900", "huge-number", "lone-cr"],
)
def test_a_bad_row_is_listed_and_the_page_still_runs(monkeypatch, tmp_path, old, new):
    events = tmp_path / "events.csv"
    events.write_text((FIXTURES / "events.csv").read_text().replace(old, new, 1), newline="")
    monkeypatch.setenv("ARM_EVENTS", str(events))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert _count_text(at).startswith("5 events match")
    assert [w for w in at.warning if w.value.startswith("1 problem in the files")]
    assert len([t for t in at.text if "events.csv, line 3, column" in t.value]) == 1
    assert at.slider(key="window").value[0] >= date(1900, 1, 1)


def test_the_map_as_known_on_a_day_from_the_control_and_the_link(monkeypatch):
    # fx-01..03 were reported by then (no stances file: each row's own dates stand)
    at = _app_on(monkeypatch, FIXTURES / "events.csv", {"known": "2022-03-31"})
    assert at.select_slider(key="known").value == "2022-03-31"
    assert _count_text(at).startswith("3 events match")
    assert any(c.value.startswith("No stances") for c in at.caption)
    first_page = _map_args(at)["url"]
    at.select_slider(key="known").set_value("latest").run()
    assert _count_text(at).startswith("6 events match")
    assert _map_args(at)["url"] != first_page  # what was known then is another page
    assert "known" not in at.query_params


@pytest.mark.realdata
def test_only_contested_claims_on_the_shipped_data(monkeypatch):
    for name in ("ARM_EVENTS", "ARM_PRESENCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert _count_text(at).startswith("33 events match")
    at.toggle(key="contested").set_value(True).run()
    assert not at.exception, at.exception
    # Article 004's reports of resistance fighting, denied by the Taliban's blanket
    # statement: three on the map (Panjshir, Ghazni, Herat), four not placeable (the NRF's
    # country-wide claims, the north and the west).
    assert _count_text(at).startswith("7 events match")
    assert _param(at, "contested") == ["1"]
    assert not [c for c in at.caption if c.value.startswith("No stances")]
