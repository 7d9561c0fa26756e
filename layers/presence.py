"""Resistance presence: areas shaded by the strongest reported level, coloured by group.

Input is ``geo.views.layer_frame("presence", ...)``: one row per area as of the end of
the window, with the leading group (highest level) and every group reported there.
The fill colour is the leading group's, the fill strength the level; a dashed outline
marks areas where more than one group is reported.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import pandas as pd
from folium.utilities import JsCode

from layers import style
from layers._render import GeoJson
from layers.areas import display_features
from layers.legend import Legend, swatch_row

LEVEL_NAMES = {1: "Reported activity", 2: "Sustained fighting", 3: "Stronghold"}

_ON_EACH = JsCode(
    """
    function(feature, layer) {
        layer.bindTooltip(feature.properties.tooltip_html, {sticky: true, opacity: 0.95});
    }
    """
)


def presence_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str = "Resistance presence",
    as_of: str = "",
    groups: Sequence[str] = (),
    legend: bool = True,
) -> folium.FeatureGroup:
    """Build the presence layer.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        ``area_code``, ``area_kind``, ``name``, ``level`` (1-3), ``group`` (leading),
        ``groups`` (every group with its level, text) and polygon geometry.
    name : str
        Layer name.
    as_of : str
        The date the presence is shown for (legend text).
    groups : sequence of str
        Every group in the data, so a group keeps its colour whatever the window.
    legend : bool, default True

    Returns
    -------
    folium.FeatureGroup

    Raises
    ------
    ValueError
        If a needed column is missing.

    Examples
    --------
    >>> fg = presence_layer(views.layer_frame("presence", ...))  # doctest: +SKIP
    """
    missing = {"area_code", "name", "level", "group", "groups"} - set(frame.columns)
    if missing:
        raise ValueError(f"presence frame lacks columns {sorted(missing)}")
    colors = style.group_colors([*groups, *frame["group"].astype(str)])
    records = pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict(orient="records")
    props = []
    for rec in records:
        level = int(rec["level"])
        several = ";" in str(rec.get("groups", ""))
        props.append(
            {
                "area_code": str(rec["area_code"]),
                "area_kind": str(rec.get("area_kind", "province")),
                "name": str(rec["name"]),
                "tooltip_html": (
                    f"<b>{style.esc(rec['name'])}</b><br>"
                    f"{style.esc(LEVEL_NAMES.get(level, ''))} ({style.esc(rec['group'])})<br>"
                    f"<small>{style.esc(style.truncate(str(rec['groups']), 200))}</small>"
                ),
                "style": {
                    "fillColor": colors.get(str(rec["group"]), "#666666"),
                    "fillOpacity": style.LEVEL_OPACITY.get(level, 0.25),
                    "color": colors.get(str(rec["group"]), "#666666"),
                    "weight": style.LEVEL_WEIGHT.get(level, 1.5),
                    "dashArray": "6 4" if several else None,
                },
            }
        )
    group = folium.FeatureGroup(name=name, control=False)
    GeoJson(
        display_features(frame, props),
        name=name,
        control=False,
        on_each_feature=_ON_EACH,
        className="arm-presence",
    ).add_to(group)
    if legend:
        shown = sorted(set(frame["group"].astype(str))) or sorted(colors)
        rows = [swatch_row(colors[g], g) for g in shown if g in colors]
        levels = "".join(
            f'<span><span class="arm-swatch" style="background:#444;'
            f'opacity:{style.LEVEL_OPACITY[level]}"></span>{style.esc(label)}</span>'
            for level, label in LEVEL_NAMES.items()
        )
        rows.append(f'<div class="arm-inline">{levels}</div>')
        rows.append(swatch_row("#ffffff", "Dashed: more than one group", dashed=True))
        note = f"As of {as_of}." if as_of else ""
        if frame.empty:
            note = (note + " No presence reported for this date and selection.").strip()
        Legend(name, rows, note=note, position="bottomleft").add_to(group)
    return group
