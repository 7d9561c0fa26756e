"""Rendering that never reads data as a template: what an element carries reaches the page as text.

branca renders an element's ``header``, ``html`` and ``script`` macros and then wraps
each result in a new ``Element(text)``, whose constructor compiles that text as a
jinja2 template. Everything an element carries (a note in a popup, a place name in a
tooltip, a legend label) is inside that text, so ``{% broken end`` in a note raised
``TemplateSyntaxError`` and ``{{ 7*7 }}`` was shown as ``49``.

:class:`TextRender` renders the macros once and adds their output as plain text: the
wrapper's template only prints ``this.text``, so no data is ever parsed. Every folium
element of ``layers/`` that carries data derives from it: :class:`GeoJson` (areas,
presence, outlines) and the project's own elements (``events.EventCluster``,
``legend.Legend``); ``tests/layers/test_render.py`` renders a map whose every text
holds template syntax.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

__all__ = ["GeoJson", "TextRender"]


class _Text(Element):
    """Text added to the page as it is (its template prints it, never parses it)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Text"
        self.text = text


class TextRender(MacroElement):
    """A base class (list it last among the bases): macros rendered once, added as text.

    It replaces ``MacroElement.render`` in the class's method order, so the folium
    classes in between (``Layer``, ``Class``, ``GeoJson``) still do their part.

    Examples
    --------
    >>> class Safe(folium.plugins.FastMarkerCluster, TextRender):  # doctest: +SKIP
    ...     pass
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement
        """Add this element's rendered macros to the page as text, then render children."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"cannot render {self.get_name()}: it is not in a Figure")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                target: Element = getattr(figure, part)
                target.add_child(_Text(str(macro(self, kwargs))), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class GeoJson(folium.GeoJson, TextRender):
    """``folium.GeoJson`` whose features (and their properties) reach the page as text.

    Examples
    --------
    >>> layer = GeoJson({"type": "FeatureCollection", "features": []}, name="x")
    >>> isinstance(layer, folium.GeoJson)
    True
    """
