"""layers/map.py and layers/legend.py: the static base map and the per-layer legends."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
import shapely

from geo import settings
from layers import basemap, legend


@pytest.fixture
def neighbours() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["North"]}, geometry=[shapely.box(68.0, 36.0, 73.0, 37.0)], crs=settings.WGS84
    )


def test_offline_base_lies_beneath_the_tiles(tiny_provinces, neighbours):
    html = basemap.base_map(tiny_provinces, neighbours, tiles=True).get_root().render()
    assert re.search(r'createPane\(\s*"armBase"\)', html)
    assert ".style.zIndex = 150" in html
    assert html.count('"pane": "armBase"') == 2  # neighbours and the national outline
    assert html.count('"interactive": false') == 2
    assert "tile.openstreetmap.org" in html
    assert basemap.NO_TILES_NAME in html and "L.control.layers" in html
    assert ".arm-legend" in html  # the map CSS is in the page


def test_offline_mode_requests_no_tiles(tiny_provinces, neighbours):
    html = basemap.base_map(tiny_provinces, neighbours, tiles=False).get_root().render()
    assert "tile.openstreetmap.org" not in html
    assert "L.control.layers" not in html


def test_national_outline_is_one_shape(tiny_provinces):
    outline = basemap.national_outline(tiny_provinces)
    assert len(outline) == 1
    assert outline.geometry.iloc[0].geom_type == "Polygon"
    assert outline.geometry.iloc[0].area == pytest.approx(3.0)


def test_view_for_a_province(tiny_provinces):
    assert basemap.view_for(tiny_provinces, None) == (basemap.CENTER, basemap.ZOOM)
    (lat, lon), zoom = basemap.view_for(tiny_provinces, "AF-PAN")
    assert 70 < lon < 71 and 35 < lat < 36 and zoom == 8
    assert basemap.view_for(tiny_provinces, "AF-XXX") == (basemap.CENTER, basemap.ZOOM)


def test_legend_escapes_and_follows_its_layer():
    group = folium.FeatureGroup(name="g")
    legend.Legend("Title <b>", [legend.swatch_row("#fff", "<i>x</i>")], note="a & b").add_to(group)
    m = folium.Map()
    group.add_to(m)
    html = m.get_root().render()
    assert "Title \\u0026lt;b\\u0026gt;" in html  # escaped, then JSON-encoded for the script
    assert "\\u0026lt;i\\u0026gt;x" in html and "a \\u0026amp; b" in html
    assert 'layer.on("add"' in html and 'layer.on("remove"' in html


def test_legend_survives_streamlit_folium_feature_groups():
    """st_folium sends feature groups as script only: the legend must live in the script."""
    from streamlit_folium import _get_feature_group_string

    group = folium.FeatureGroup(name="g")
    legend.Legend("Events", []).add_to(group)
    script = _get_feature_group_string(group, folium.Map())
    assert "var layer = feature_group_feature_group_0;" in script
    assert "arm-legend" in script
