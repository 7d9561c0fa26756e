"""Province and district choropleths: areas shaded by the chosen metric.

The class breaks are passed in (computed once over the whole time span by
``geo.views.metric_breaks``), so colours keep their meaning while the window moves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.utilities import JsCode

from layers import style
from layers._render import GeoJson
from layers.legend import Legend, swatch_row

#: Coordinates sent to the browser are rounded to this many decimals (about 10 m).
DISPLAY_DECIMALS = 4

_ON_EACH_AREA = JsCode(
    """
    function(feature, layer) {
        layer.bindTooltip(feature.properties.tooltip_html, {sticky: true, opacity: 0.95});
        layer.on("mouseover", function(e) { e.target.setStyle({weight: 3}); });
        layer.on("mouseout", function(e) {
            e.target.setStyle({weight: feature.properties.style.weight});
        });
    }
    """
)


def display_features(
    frame: gpd.GeoDataFrame, properties: list[dict[str, Any]], *, decimals: int = DISPLAY_DECIMALS
) -> dict[str, Any]:
    """Return a FeatureCollection for the browser: rounded geometry, given properties.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        EPSG:4326 geometries (one feature per row).
    properties : list of dict
        One dict per row (already safe for HTML where it holds HTML).
    decimals : int
        Coordinate decimals; shared borders stay shared (every vertex snaps alike).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection (rows without geometry are left out).

    Examples
    --------
    >>> display_features(provinces, [{}] * len(provinces))["type"]  # doctest: +SKIP
    'FeatureCollection'
    """
    geoms = shapely.set_precision(frame.geometry.values, 10.0**-decimals, mode="pointwise")
    texts = shapely.to_geojson(geoms)
    features = [
        {"type": "Feature", "properties": props, "geometry": json.loads(text)}
        for props, text, geom in zip(properties, texts, geoms, strict=True)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _value_text(metric: str, value: Any) -> str:
    if value is None or pd.isna(value):
        return style.none_label(metric)
    if metric == "presence_level":
        names = {1: "reported activity", 2: "sustained fighting", 3: "stronghold"}
        return names.get(int(value), "none")
    if metric == "days_since_last":
        return f"{int(value)} days"
    return f"{int(value)}"


def _tooltip(row: dict[Any, Any], metric: str, kind: str) -> str:
    lines = [f"<b>{style.esc(row.get('name'))}</b> <small>({style.esc(kind)})</small>"]
    if metric in ("days_since_last", "presence_level"):
        label = style.METRIC_LABELS[metric]
        lines.append(f"{style.esc(label)}: {style.esc(_value_text(metric, row.get('value')))}")
    lines.append(
        f"Claims: {style.esc(_count(row.get('claims')))} · "
        f"claimed fatalities: {style.esc(_count(row.get('fatalities'), 'none stated'))}"
    )
    groups = row.get("presence_groups") or row.get("active_groups")
    if groups:
        lines.append(f"Groups: {style.esc(style.truncate(str(groups), 120))}")
    lines.append("<small>Click for details</small>")
    return "<br>".join(lines)


def _count(value: Any, missing: str = "0") -> str:
    return missing if value is None or pd.isna(value) else str(int(value))


def area_layer(
    frame: gpd.GeoDataFrame,
    *,
    metric: str,
    breaks: Sequence[float],
    name: str,
    kind: str = "province",
    selected: str | None = None,
    legend: bool = True,
    legend_title: str | None = None,
    hollow_selected: bool = False,
) -> folium.FeatureGroup:
    """Build a choropleth of ``frame`` (a ``geo.views.layer_frame`` of areas).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        ``area_code``, ``name``, ``value`` (the metric), ``claims``, ``fatalities``
        and geometry, EPSG:4326.
    metric : str
        A key of ``style.METRIC_LABELS``.
    breaks : sequence of float
        Class edges over the whole time span.
    name : str
        Layer name (shown in the legend title and used as the feature group name).
    kind : {"province", "district"}
        Paths get the CSS class ``arm-<kind>``.
    selected : str, optional
        ``area_code`` drawn with a heavy outline.
    legend : bool, default True
        Attach a legend that shows while the layer is on the map.
    legend_title : str, optional
        Defaults to the metric's label.
    hollow_selected : bool, default False
        Draw the selected area without fill (its districts are drawn on top).

    Returns
    -------
    folium.FeatureGroup

    Raises
    ------
    ValueError
        If ``metric`` is unknown or ``frame`` lacks a needed column.

    Examples
    --------
    >>> fg = area_layer(frame, metric="claims", breaks=(1, 2, 5), name="P")  # doctest: +SKIP
    """
    if metric not in style.METRIC_LABELS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {list(style.METRIC_LABELS)}")
    missing = {"area_code", "name", "value"} - set(frame.columns)
    if missing:
        raise ValueError(f"area frame lacks columns {sorted(missing)}")
    n_classes = len(breaks) - 1
    palette = np.asarray(style.palette_for(metric, n_classes), dtype=object)
    classes = style.classify(frame["value"], breaks)
    fills = np.where(classes >= 0, palette[np.maximum(classes, 0)], style.NONE_COLOR)
    opacity = np.where(classes >= 0, style.FILL_OPACITY, style.NONE_OPACITY)
    codes = frame["area_code"].astype(str).to_numpy()
    is_selected = codes == (selected or "\0")
    if hollow_selected:
        opacity = np.where(is_selected, 0.0, opacity)
    records = pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict(orient="records")
    props = [
        {
            "area_code": code,
            "area_kind": kind,
            "name": str(rec.get("name", "")),
            "tooltip_html": _tooltip(rec, metric, kind),
            "style": {
                "fillColor": str(fill),
                "fillOpacity": float(op),
                "color": style.SELECTED_COLOR if sel else style.OUTLINE_COLOR,
                "weight": 3.5 if sel else (0.8 if kind == "district" else 1.2),
            },
        }
        for code, rec, fill, op, sel in zip(
            codes, records, fills, opacity, is_selected, strict=True
        )
    ]
    group = folium.FeatureGroup(name=name, control=False)
    GeoJson(
        display_features(frame, props),
        name=name,
        control=False,
        on_each_feature=_ON_EACH_AREA,
        className=f"arm-{kind}",
    ).add_to(group)
    if legend:
        labels = style.class_labels(metric, breaks)
        rows = [
            swatch_row(c, lab, opacity=style.FILL_OPACITY)
            for c, lab in zip(palette, labels, strict=True)
        ]
        rows.append(swatch_row(style.NONE_COLOR, style.none_label(metric)))
        note = "Colours are fixed over the whole time span." if metric != "presence_level" else ""
        Legend(
            legend_title or style.METRIC_LABELS[metric],
            rows,
            note=note,
            position="topleft",
        ).add_to(group)
    return group
