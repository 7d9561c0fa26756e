"""layers/areas.py: choropleths checked on the generated map code, no browser."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo import settings
from layers import areas, basemap, style

XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def frame(tiny_provinces) -> gpd.GeoDataFrame:
    out = tiny_provinces.rename(columns={"province_code": "area_code"}).copy()
    out["name"] = ["Parwan", f"Panjshir {XSS}", "Baghlan"]
    out["claims"] = [0, 3, 12]
    out["fatalities"] = pd.array([None, 4, None], dtype="Int64")
    out["value"] = out["claims"].astype(float)
    out["active_groups"] = ["", XSS, "NRF"]
    return out


def _render(group, provinces) -> str:
    neighbours = gpd.GeoDataFrame(
        {"name": ["X"]}, geometry=[provinces.union_all().buffer(1).envelope], crs=settings.WGS84
    )
    m = basemap.base_map(provinces, neighbours, tiles=False)
    return basemap.compose(m, [group]).get_root().render()


def test_choropleth_colours_follow_the_breaks(frame, tiny_provinces):
    group = areas.area_layer(frame, metric="claims", breaks=(1, 2, 5, 10, 20), name="Provinces")
    html = _render(group, tiny_provinces)
    assert html.count('"fillColor": "#bd0026"') == 1  # 12 claims: the last class
    second = style.palette_for("claims", 4)[1]
    assert html.count(f'"fillColor": "{second}"') == 1  # 3 claims: 2-4
    assert html.count('"fillColor": "#ffffff", "fillOpacity": 0.15') == 1  # none
    assert '"className": "arm-province"' in html
    assert "Claims by" not in html and "Colours are fixed over the whole time span." in html


def test_data_strings_are_escaped(frame, tiny_provinces):
    group = areas.area_layer(frame, metric="claims", breaks=(1, 2, 5), name="Provinces")
    html = _render(group, tiny_provinces)
    assert XSS not in html
    assert "onerror=\\u0026quot;" in html or "onerror=&quot;" in html
    # Neither folium's GeoJsonTooltip nor GeoJsonPopup (they insert raw properties).
    assert "GeoJsonTooltip" not in html and "geo_json_popup" not in html


def test_selected_area_outline_and_hollow_fill(frame, tiny_provinces):
    group = areas.area_layer(
        frame, metric="claims", breaks=(1, 2, 5), name="P", selected="AF-BGL", hollow_selected=True
    )
    html = _render(group, tiny_provinces)
    assert '"color": "#111111"' in html and '"weight": 3.5' in html
    assert '"fillOpacity": 0.0' in html


def test_legend_tied_to_the_layer(frame, tiny_provinces):
    group = areas.area_layer(
        frame, metric="days_since_last", breaks=(0, 8, 31), name="P", legend_title="Recency"
    )
    html = _render(group, tiny_provinces)
    assert 'layer.on(\\"remove\\"' in html or 'layer.on("remove"' in html
    assert "No activity in the window" in html


def test_bad_input_is_named(frame):
    with pytest.raises(ValueError, match="unknown metric 'deaths'; expected one of"):
        areas.area_layer(frame, metric="deaths", breaks=(1, 2), name="P")
    with pytest.raises(ValueError, match=r"area frame lacks columns \['value'\]"):
        areas.area_layer(frame.drop(columns="value"), metric="claims", breaks=(1, 2), name="P")


def test_display_features_round_and_keep_shared_borders(tiny_provinces):
    collection = areas.display_features(tiny_provinces, [{}, {}, {}], decimals=2)
    ring = collection["features"][0]["geometry"]["coordinates"][0]
    assert all(round(x, 2) == x for x, _ in ring)
    assert len(collection["features"]) == 3
