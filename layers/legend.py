"""A legend that belongs to one layer: shown while the layer is on the map, gone with it.

The legend is a Leaflet control created by a script only (no header or HTML macro),
so it also works inside the feature groups that streamlit-folium sends on each rerun
(``feature_group_to_add``), where only script macros are evaluated.
"""

from __future__ import annotations

from collections.abc import Sequence

from folium.template import Template

from layers._render import TextRender
from layers.style import esc


class Legend(TextRender):
    """A legend control tied to its parent layer (add it as the layer's child).

    Parameters
    ----------
    title : str
        Plain text, escaped here.
    rows_html : list of str
        Rows already built as safe HTML (see :func:`swatch_row`).
    note : str, optional
        Plain text under the rows, escaped here.
    position : str, default "bottomright"
        A Leaflet control position.
    collapsed : bool, default False
        Start folded (the title stays visible).

    Examples
    --------
    >>> legend = Legend("Claims", [swatch_row("#bd0026", "20-50")])
    >>> "20-50" in legend.html
    True
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var layer = {{ this._parent.get_name() }};
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create("div", "arm-legend");
                div.setAttribute("data-layer", {{ this.title|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            layer.on("add", function(e) { control.addTo(e.target._map); });
            layer.on("remove", function() { control.remove(); });
            if (layer._map) { control.addTo(layer._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        rows_html: Sequence[str],
        *,
        note: str = "",
        position: str = "bottomright",
        collapsed: bool = False,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.position = position
        note_html = f'<div class="arm-note">{esc(note)}</div>' if note else ""
        state = "" if collapsed else " open"
        self.html = (
            f"<details{state}><summary>{esc(title)}</summary>"
            + "".join(rows_html)
            + note_html
            + "</details>"
        )


def swatch_row(color: str, label: str, *, opacity: float = 1.0, dashed: bool = False) -> str:
    """Return a legend row: a colour swatch and a plain-text label (escaped).

    Examples
    --------
    >>> swatch_row("#fff", "<b>").endswith("&lt;b&gt;</div>")
    True
    """
    border = ";border-style:dashed" if dashed else ""
    style = f"background:{esc(color)};opacity:{opacity:.2}{border}"
    return (
        f'<div class="arm-row"><span class="arm-swatch" style="{style}"></span>{esc(label)}</div>'
    )
