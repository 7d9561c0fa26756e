"""layers/_render.py: text from the data is never parsed as a jinja2 template.

folium renders every element's script as a template and branca parses the result once
more; a note such as ``{% broken end`` used to raise TemplateSyntaxError and
``{{ 7*7 }}`` became ``49``. The real map is built here from files whose every free
text holds template syntax (``template_files``, tests/helpers_views.py).
"""

from __future__ import annotations

import dataclasses

import folium
import pytest

from geo import views
from geo.claims import Filters
from layers import basemap, events
from layers._render import GeoJson, TextRender
from tests.helpers_views import TEMPLATE_TEXTS


def _build(data: views.MapData, province: str | None = None) -> folium.Map:
    frames = views.map_frames(data, filters=Filters(), province=province)
    breaks = views.area_breaks(data, filters=Filters(), metric="claims", layers=tuple(frames))
    m, groups, _report = basemap.build(
        data.provinces, data.neighbours, frames, metric="claims", breaks=breaks,
        province=province, as_of="2022-12-31", groups=views.filter_options(data)["groups"],
        popups=events.event_popups(data.events, by_id=True), installed={},
    )  # fmt: skip
    return basemap.compose(m, groups)


@pytest.fixture
def template_data(template_files) -> views.MapData:
    events_path, presence_path = template_files
    data = views.load_map_data(events_path, presence_path=presence_path)
    assert not data.problems and len(data.events) == 6
    provinces = data.provinces.copy()
    provinces.loc[provinces["province_code"] == "AF-PAN", "name"] = "{% broken end Panjshir"
    return dataclasses.replace(data, provinces=provinces)


@pytest.mark.realdata
def test_the_map_renders_template_syntax_from_the_data_as_text(template_data):
    html = _build(template_data).get_root().render()
    for text in TEMPLATE_TEXTS:
        assert text in html, text  # popups, tooltips, legends: the text itself
    assert "{{ title }}" in html and "{% broken end Panjshir" in html


@pytest.mark.realdata
def test_every_data_layer_renders_once_as_text(template_data):
    m = _build(template_data, province="AF-PAN")
    pending, carriers = list(m._children.values()), []
    while pending:
        element = pending.pop()
        pending += element._children.values()
        if isinstance(element, folium.GeoJson) or type(element).__module__.startswith("layers"):
            carriers.append(element)
    assert carriers and all(isinstance(e, TextRender) for e in carriers), [
        type(e).__name__ for e in carriers if not isinstance(e, TextRender)
    ]
    assert {type(e).__name__ for e in carriers} >= {"GeoJson", "EventCluster", "Legend"}


def test_text_render_adds_the_macro_output_as_it_is():
    m = folium.Map()
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"note": "{% if %}{{ x }}"},
         "geometry": {"type": "Point", "coordinates": [69.2, 34.5]}},
    ]}  # fmt: skip
    GeoJson(data, name="notes").add_to(m)
    html = m.get_root().render()
    assert '"note": "{% if %}{{ x }}"' in html


def test_folium_alone_would_parse_the_data():
    """Why the module exists: the same layer from folium itself fails on the text."""
    from jinja2 import TemplateSyntaxError

    m = folium.Map()
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"note": "{% broken end"},
         "geometry": {"type": "Point", "coordinates": [69.2, 34.5]}},
    ]}  # fmt: skip
    folium.GeoJson(data).add_to(m)
    with pytest.raises(TemplateSyntaxError, match="broken"):
        m.get_root().render()
