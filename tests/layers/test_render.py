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
from geo.views.payload import decode_events
from layers import basemap, page
from layers._render import GeoJson, TextRender
from layers.claims_layer import ClaimsLayer
from tests.helpers_views import TEMPLATE_TEXTS


@pytest.fixture
def template_data(template_files) -> views.MapData:
    events_path, presence_path = template_files
    data = views.load_map_data(events_path, presence_path=presence_path)
    assert not data.problems and len(data.events) == 6
    provinces = data.provinces.copy()
    provinces.loc[provinces["province_code"] == "AF-PAN", "name"] = "{% broken end Panjshir"
    return dataclasses.replace(data, provinces=provinces, display_provinces=provinces)


@pytest.mark.realdata
def test_the_map_page_renders_template_syntax_from_the_data_as_text(template_data):
    html, _report, browser = page.render_page(template_data, Filters(), installed={})
    assert "{% broken end Panjshir" in html  # a province name: page data, not template
    groups = " ".join(browser.presence["group"])
    for text in TEMPLATE_TEXTS[:2]:  # the two presence rows' groups, never evaluated
        assert text in groups and text in html, text
    actors = " ".join(decode_events(browser.payload)["dicts"]["actor1"])
    for text in TEMPLATE_TEXTS:  # the events travel as data in the payload
        assert text in actors, text


@pytest.mark.realdata
def test_every_element_that_carries_data_renders_once_as_text(template_data):
    m = basemap.base_map(template_data.display_provinces, template_data.neighbours)
    layer = ClaimsLayer(
        "/x.bin.gz", provinces=template_data.display_provinces, districts=None,
        presence=template_data.presence.assign(province_code="AF-PAN", district_id=None),
        breaks={"provinces": {m_: (1.0, 2.0) for m_ in views.METRICS}},
        span=("2022-01-01", "2022-12-31"), view={},
    )  # fmt: skip
    layer.add_to(m)
    pending, carriers = list(m._children.values()), []
    while pending:
        element = pending.pop()
        pending += element._children.values()
        if isinstance(element, folium.GeoJson) or type(element).__module__.startswith("layers"):
            carriers.append(element)
    assert carriers and all(isinstance(e, TextRender) for e in carriers), [
        type(e).__name__ for e in carriers if not isinstance(e, TextRender)
    ]
    assert {type(e).__name__ for e in carriers} >= {"GeoJson", "ClaimsLayer"}
    assert "{% broken end Panjshir" in m.get_root().render()


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
