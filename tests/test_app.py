"""The Streamlit page, driven by AppTest: widgets change the data shown, no exceptions.

The fixture claims (``tests/fixtures/map/``): six events from 2022-01-10 to 2022-09-30
(clash, attack, ambush, casualty claim, strategic development, clash); five can be
placed, one is country-wide. What the map receives is read from the st_folium
component's arguments (the JSON the browser gets).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
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


def _map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _map_key(at: AppTest) -> str:
    (component,) = at.get("component_instance")
    return component.proto.id


def test_page_shows_counts_map_and_downloads(app):
    assert _count_text(app).startswith("6 events match")
    assert "1 claim cannot be placed" in _count_text(app)
    args = _map_args(app)
    assert args["returned_objects"] == ["last_active_drawing"]
    assert args["height"] == 620
    groups = args["feature_group"]
    assert groups.count("arm-province") == 1 and "armLayer" in groups
    assert {b.key for b in app.get("download_button")} == {
        "provinces.geojson",
        "events.geojson",
        "presence.geojson",
        "events.csv",
    }
    assert any("cannot be placed" in e.label for e in app.expander)


def test_window_slider_drives_the_data_and_keeps_the_map(app):
    key = _map_key(app)
    before = _map_args(app)
    app.slider(key="window").set_value((date(2022, 9, 1), date(2022, 9, 30))).run()
    assert not app.exception
    assert _count_text(app).startswith("1 event matches")
    after = _map_args(app)
    assert after["feature_group"] != before["feature_group"]
    # Same component (same base map script): the browser keeps the map and its zoom.
    assert _map_key(app) == key
    assert after["script"] == before["script"]


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
        "days_since_last": "Days since last reported activity by province",
        "presence_level": "Resistance presence level by province",
    }
    assert legend_titles[metric] in _map_args(app)["feature_group"]


def test_layer_toggles_remove_layers(app):
    app.toggle(key="show_events").set_value(False).run()
    assert "armLayer" not in _map_args(app)["feature_group"]
    assert not any("match" in m.value for m in app.markdown)
    assert "events.geojson" not in {b.key for b in app.get("download_button")}


def test_without_districts_the_page_says_so(app):
    assert app.toggle(key="show_districts").proto.disabled
    assert any("Districts are not installed" in c.value for c in app.sidebar.caption)
    app.selectbox(key="province").set_value("AF-PAN").run()
    assert not app.exception
    assert "arm-district" not in _map_args(app)["feature_group"]


@pytest.mark.districts
def test_choosing_a_province_shows_its_districts(monkeypatch, districts):
    monkeypatch.setenv("ARM_EVENTS", str(FIXTURES / "events.csv"))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.delenv("ARM_DISTRICTS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert "arm-district" not in _map_args(at)["feature_group"]
    at.selectbox(key="province").set_value("AF-BGL").run()
    assert not at.exception
    groups = _map_args(at)["feature_group"]
    assert "arm-district" in groups and "Claims by district" in groups
    n_baghlan = int((districts["province_code"] == "AF-BGL").sum())
    assert groups.count('"area_kind": "district"') == n_baghlan
    assert _map_args(at)["zoom"] == 8


def test_selected_area_shows_details_escaped(app):
    app.session_state["selected"] = ("AF-PAN", "province")
    app.run()
    assert not app.exception
    assert any(s.value.startswith("Panjshir (province)") for s in app.subheader)
    assert [m.label for m in app.metric][:2] == ["Claims in window", "Claimed fatalities"]
    assert app.metric[0].value == "2"
    table = app.dataframe[0].value
    assert set(table["ID"]) == {"fx-01", "fx-04"}
    note = table.loc[table["ID"] == "fx-01", "Notes"].iloc[0]
    assert '<img src=x onerror="window.__xss=1">' in note  # shown as text in a grid
    app.button(key="clear").click().run()
    assert "selected" not in app.session_state and not app.subheader


def test_play_steps_the_window(app):
    app.radio(key="step").set_value("month").run()
    app.button(key="play").click().run()
    assert app.session_state["playing"] is True
    start, end = app.slider(key="window").value
    assert (end - start).days == 30
    assert app.button(key="play").label == "⏸ Pause"
    app.button(key="play").click().run()
    assert app.session_state["playing"] is False


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
    links = _map_args(at)["js_links"] + _map_args(at)["css_links"]
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
    links = _map_args(at)["js_links"] + _map_args(at)["css_links"]
    assert not [link for link in links if link.startswith("/app/static/")], links


def test_installed_map_assets_are_served_by_the_app(app):
    if assets.installed_files(settings.VENDOR_DIR) and not assets.servable(settings.VENDOR_DIR):
        pytest.skip(f"{settings.VENDOR_DIR} is a link out of static/, which Streamlit refuses")
    assert not app.warning
    args = _map_args(app)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links


# --- the app under load: fresh files, bounded caches, downloads, no side effects ----
def _app_on(monkeypatch, events: Path) -> AppTest:
    monkeypatch.setenv("ARM_EVENTS", str(events))
    monkeypatch.setenv("ARM_PRESENCE", str(FIXTURES / "presence.csv"))
    monkeypatch.setenv("ARM_DISTRICTS", str(FIXTURES / "no-districts.geojson"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
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
        assert f"Data: {name[:-4]}" in at.caption[0].value
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
        if c.display_name.startswith(("__main__.", "geo."))
    ]
    assert sorted(c.display_name for c in caches) == [
        "__main__.<lambda>",  # the map's assets
        "__main__.<lambda>",  # the events' popups
        "geo.views.mapdata.area_breaks",
        "geo.views.mapdata.claims_timeline",
        "geo.views.mapdata.filter_options",
        "geo.views.mapdata.load_map_data",
        "geo.views.mapdata.map_frames",
    ]
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
    assert sorted(makers) == [
        "events.csv",
        "events.geojson",
        "presence.geojson",
        "provinces.geojson",
    ]
    argv = ["--events", str(FIXTURES / "events.csv"), "--presence", str(FIXTURES / "presence.csv")]
    argv += ["--start", "2022-01-01", "--end", "2022-06-30", "--type", "clash", "--type", "ambush"]
    for name, make in makers.items():
        out = tmp_path / name
        layer = name.split(".")[0]
        assert cli.main(["export", "--layer", layer, "-o", str(out), "--quiet", *argv]) == 0
        assert make() == out.read_bytes(), name


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
    assert len(makers) == 8 and all(make() for make in makers)
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
    groups = _map_args(at)["feature_group"]
    for text in TEMPLATE_TEXTS:
        assert json.dumps(text)[1:-1] in groups or text in groups, text
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
    (listed,) = [e for e in at.expander if e.label.startswith("1 problem in the files")]
    assert "events.csv, line 3, column" in listed.text[0].value
    assert at.slider(key="window").value[0] >= date(1900, 1, 1)
