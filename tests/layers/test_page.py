"""Tests for layers/page.py and layers/claims_layer.py: the map page, built once per data."""

from __future__ import annotations

import json

import pytest

from geo import views
from geo.claims import Filters
from layers import page


def _config(html: str) -> dict:
    start = html.index("window.ARM_CONFIG = ") + len("window.ARM_CONFIG = ")
    return json.JSONDecoder().raw_decode(html[start:])[0]


@pytest.mark.realdata
def test_the_page_holds_what_the_window_does_not_change(fixture_data):
    html, report, browser = page.render_page(fixture_data, Filters(), tiles=False, installed={})
    config = _config(html)
    assert config["payload"] == f"{page.PAGES_URL}/{browser.payload_name}"
    assert config["span"] == ["2021-09-01", "2022-09-30"]
    assert len(config["provinces"]["features"]) == 34 and config["districts"] is None
    assert config["provinces"]["features"][0]["properties"] == {
        "index": 0, "code": "AF-BAL", "name": "Balkh", "name_fa": "ولایت بلخ",
    }  # fmt: skip
    groups = config["presence"]["groups"]
    assert groups == sorted(groups) and len(config["presence"]["colors"]) == len(groups)
    # Presence rows: [kind, area, group, level, start day, end day]; Kabul is a province.
    kabul = [p["properties"]["code"] for p in config["provinces"]["features"]].index("AF-KAB")
    assert any(r[0] == 0 and r[1] == kabul for r in config["presence"]["rows"])
    assert "supercluster" in " ".join(report.cdn)  # no local copies given: the CDN, said
    assert "ArmMap" not in html and "window.armSetView" in html  # the script is inlined


@pytest.mark.realdata
def test_the_page_escapes_markup_in_its_legends(fixture_data):
    html, _report, _browser = page.render_page(fixture_data, Filters(), installed={})
    legend = _config(html)["legends"]["presence"]
    assert "Front &lt;img src=y onerror=&quot;window.__xss=2&quot;&gt;" in legend
    assert "<img src=y" not in html  # every copy is escaped or JSON-encoded


@pytest.mark.realdata
def test_publish_is_content_addressed(fixture_data, tmp_path):
    url, _report, browser = page.publish_page(fixture_data, Filters(), folder=tmp_path)
    again, _report, _browser = page.publish_page(fixture_data, Filters(), folder=tmp_path)
    assert url == again and url.startswith(f"{page.PAGES_URL}/map-") and url.endswith(".html")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([url.rsplit("/", 1)[1], browser.payload_name])
    other, _report, _browser = page.publish_page(
        fixture_data, Filters(statuses=("denied",)), folder=tmp_path
    )
    assert other != url and len(list(tmp_path.iterdir())) == 4


def test_the_bridge_is_an_es_module_for_components_v2():
    js = page.bridge_js()
    assert js.count("export default function") == 1
    assert "armSetView" in js and "armReport" in js and "setStateValue" in js


@pytest.mark.realdata
def test_the_page_ranks_named_groups_first_for_ties():
    """The page breaks a tie by the groups' order: named groups before unnamed ones."""
    shipped = views.load_map_data()
    html, _, _ = page.render_page(shipped, Filters(), tiles=False, installed={})
    groups = _config(html)["presence"]["groups"]
    assert groups[-1] == "Anti-Taliban resistance (unspecified)"
    assert "National Resistance Front (NRF)" in groups[:-1]
    assert groups[:-1] == sorted(groups[:-1])
