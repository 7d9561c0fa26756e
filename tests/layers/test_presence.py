"""layers/presence.py: areas shaded by level and coloured by group; escaped names."""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest

from layers import presence, style

XSS = '<img src=y onerror="window.__xss=2">'


@pytest.fixture
def frame(tiny_provinces) -> gpd.GeoDataFrame:
    out = tiny_provinces.rename(columns={"province_code": "area_code"}).iloc[:2].copy()
    out["area_kind"] = "province"
    out["level"] = [3, 1]
    out["group"] = ["NRF", XSS]
    out["groups"] = ["NRF (stronghold); AFF (reported_activity)", f"{XSS} (reported_activity)"]
    return out


def test_level_and_group_styles(frame):
    group = presence.presence_layer(frame, as_of="2022-05-01", groups=["AFF", "NRF", XSS])
    m = folium.Map()
    group.add_to(m)
    html = m.get_root().render()
    colors = style.group_colors(["AFF", "NRF", XSS])
    assert f'"fillColor": "{colors["NRF"]}"' in html
    assert f'"fillOpacity": {style.LEVEL_OPACITY[3]}' in html
    assert f'"fillOpacity": {style.LEVEL_OPACITY[1]}' in html
    assert '"dashArray": "6 4"' in html  # two groups in Parwan
    assert "As of 2022-05-01." in html
    assert XSS not in html and "arm-presence" in html


def test_empty_presence_says_so(frame):
    group = presence.presence_layer(frame.iloc[0:0], as_of="2021-01-01")
    m = folium.Map()
    group.add_to(m)
    assert "No presence reported for this date and selection." in m.get_root().render()


def test_missing_columns_are_named(frame):
    with pytest.raises(ValueError, match=r"presence frame lacks columns \['level'\]"):
        presence.presence_layer(frame.drop(columns="level"))
