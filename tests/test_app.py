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


def test_installed_map_assets_are_served_by_the_app(app):
    assert not app.warning
    args = _map_args(app)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
