"""layers/basemap.py and layers/legend.py: the static base map and the legends' HTML."""

from __future__ import annotations

import re

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


def test_legend_html_escapes_its_text():
    html = legend.legend_html("Title <b>", [legend.swatch_row("#fff", "<i>x</i>")], note="a & b")
    assert html.startswith("<details open><summary>Title &lt;b&gt;</summary>")
    assert "&lt;i&gt;x&lt;/i&gt;" in html and '<div class="arm-note">a &amp; b</div>' in html
