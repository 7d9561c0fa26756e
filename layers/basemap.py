"""The static base map: offline outlines beneath everything, optional online tiles.

The base map never changes between reruns (so streamlit-folium keeps the user's zoom
and never reloads the frame); the data layers are feature groups sent separately.
:func:`compose` puts base and layers into one map for tests, the benchmark and HTML
export.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element

from geo import settings
from layers import style
from layers._render import GeoJson
from layers.areas import area_layer, display_features
from layers.assets import AssetReport, localize
from layers.events import FULL_POPUP_LIMIT, events_layer
from layers.presence import presence_layer

#: Pane of the offline outlines: below the tile pane (200), so tiles cover them when
#: they load and the outlines show when tiles fail or are switched off.
BASE_PANE = "armBase"
BASE_PANE_Z = 150
TILES_NAME = "OpenStreetMap tiles (online)"
NO_TILES_NAME = "No tiles (offline outlines)"
CENTER = (33.9, 67.7)
ZOOM = 6


def national_outline(provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return Afghanistan's outline: the union of the provinces, EPSG:4326.

    Examples
    --------
    >>> national_outline(provinces).geom_type.tolist()  # doctest: +SKIP
    ['Polygon']
    """
    outline = shapely.union_all(provinces.geometry.values)
    return gpd.GeoDataFrame({"name": ["Afghanistan"]}, geometry=[outline], crs=settings.WGS84)


def _outline_layer(frame: gpd.GeoDataFrame, *, name: str, fill: str, line: str, weight: float):
    props = [
        {"style": {"fillColor": fill, "fillOpacity": 1, "color": line, "weight": weight}}
        for _ in range(len(frame))
    ]
    return GeoJson(
        display_features(frame, props, decimals=3),
        name=name,
        control=False,
        pane=BASE_PANE,
        interactive=False,
    )


def base_map(
    provinces: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    *,
    tiles: bool = True,
) -> folium.Map:
    """Build the base map.

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        For the national outline (display-simplified is fine).
    neighbours : geopandas.GeoDataFrame
        Neighbouring countries' outlines (``data/neighbours.geojson``).
    tiles : bool, default True
        Offer OpenStreetMap tiles (the only requests that leave the machine). Without
        them the map shows only the offline outlines.

    Returns
    -------
    folium.Map
        With the map CSS, the offline outlines in a pane beneath the tiles, the tile
        layer (when ``tiles``) and a base-layer switch.

    Examples
    --------
    >>> m = base_map(provinces, neighbours, tiles=False)  # doctest: +SKIP
    """
    m = folium.Map(
        location=CENTER,
        zoom_start=ZOOM,
        tiles=None,
        min_zoom=4,
        max_zoom=14,
        control_scale=True,
    )
    root: Any = m.get_root()
    root.header.add_child(Element(f"<style>{style.MAP_CSS}</style>"), name="arm_css")
    folium.map.CustomPane(BASE_PANE, z_index=BASE_PANE_Z).add_to(m)
    _outline_layer(
        neighbours, name="Neighbouring countries", fill="#f3f1ec", line="#9a9a9a", weight=1
    ).add_to(m)
    _outline_layer(
        national_outline(provinces), name="Afghanistan", fill="#ffffff", line="#333333", weight=2
    ).add_to(m)
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name=TILES_NAME, overlay=False, control=True, max_zoom=14
        ).add_to(m)
        folium.FeatureGroup(name=NO_TILES_NAME, overlay=False, control=True).add_to(m)
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    west, south, east, north = settings.AFG_BOUNDS
    m.fit_bounds([[south, west], [north, east]])
    return m


def view_for(provinces: gpd.GeoDataFrame, province: str | None) -> tuple[tuple[float, float], int]:
    """Return the map centre and zoom showing ``province`` (or the whole country).

    Examples
    --------
    >>> view_for(provinces, None)  # doctest: +SKIP
    ((33.9, 67.7), 6)
    """
    if province is None:
        return CENTER, ZOOM
    hit = provinces[provinces[settings.PROVINCE_CODE] == province]
    if hit.empty:
        return CENTER, ZOOM
    point = hit.geometry.iloc[0].representative_point()
    return (round(point.y, 4), round(point.x, 4)), 8


def compose(base: folium.Map, groups: Iterable[folium.FeatureGroup]) -> folium.Map:
    """Add data layers to ``base`` (mutates and returns it): one map with everything.

    Examples
    --------
    >>> html = compose(base_map(p, n), [fg]).get_root().render()  # doctest: +SKIP
    """
    for group in groups:
        group.add_to(base)
    return base


def data_layers(
    frames: dict[str, gpd.GeoDataFrame],
    *,
    metric: str,
    breaks: dict[str, tuple[float, ...]],
    province: str | None = None,
    as_of: str = "",
    groups: Sequence[str] = (),
    popups: pd.Series | None = None,
) -> list[folium.FeatureGroup]:
    """Build the feature groups of the layers in ``frames`` (``geo.views.map_frames``).

    Parameters
    ----------
    frames : dict
        Layer name -> ``geo.views.layer_frame``.
    metric : str
        The choropleth metric.
    breaks : dict
        Layer name -> class edges over the whole span (provinces, districts).
    province : str, optional
        The selected province (heavy outline; its districts are in ``frames``).
    as_of : str
        The window's end, for the presence legend.
    groups : sequence of str
        Every armed group in the data (stable colours).
    popups : pandas.Series, optional
        Popup HTML per event id, computed once.

    Returns
    -------
    list of folium.FeatureGroup
        Bottom to top: provinces, districts, presence, events, each with its legend
        (provinces and districts have their own class breaks).

    Examples
    --------
    >>> data_layers(frames, metric="claims", breaks={"provinces": (1, 2)})  # doctest: +SKIP
    """
    out = []
    for layer in ("provinces", "districts"):
        if layer in frames:
            out.append(
                area_layer(
                    frames[layer],
                    metric=metric,
                    breaks=breaks[layer],
                    name=layer.capitalize(),
                    kind=layer[:-1],
                    selected=province,
                    legend=True,
                    legend_title=_area_legend_title(layer, metric, frames),
                    hollow_selected="districts" in frames,
                )
            )
    if "presence" in frames:
        out.append(presence_layer(frames["presence"], as_of=as_of, groups=groups))
    if "events" in frames:
        ev = frames["events"]
        unplaced = int((ev["geometry_kind"] == "unmapped").sum())
        use = popups if popups is not None and len(ev) <= FULL_POPUP_LIMIT else None
        out.append(events_layer(ev, popups=use, unplaced=unplaced))
    return out


def _area_legend_title(layer: str, metric: str, frames: dict[str, gpd.GeoDataFrame]) -> str:
    label = style.METRIC_LABELS[metric]
    if layer == "districts" and len(frames[layer]):
        return f"{label} by district"
    return f"{label} by province"


def build(
    provinces: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    frames: dict[str, gpd.GeoDataFrame],
    *,
    tiles: bool = True,
    installed: dict[str, str] | None = None,
    **layer_options: Any,
) -> tuple[folium.Map, list[folium.FeatureGroup], AssetReport]:
    """Build the base map and the data layers, with scripts pointed at local copies.

    Parameters
    ----------
    provinces, neighbours : geopandas.GeoDataFrame
        For :func:`base_map`.
    frames : dict
        For :func:`data_layers`.
    tiles : bool, default True
        Offer online tiles.
    installed : dict, optional
        CDN URL -> local URL (default: what ``make assets`` installed).
    **layer_options
        Passed to :func:`data_layers` (metric, breaks, province, as_of, groups, popups).

    Returns
    -------
    tuple
        The static base map, the feature groups to send with it, and the asset report
        (``report.cdn`` lists scripts that still come from a CDN).

    Examples
    --------
    >>> m, groups, report = build(p, n, frames, metric="claims", breaks=b)  # doctest: +SKIP
    """
    base = base_map(provinces, neighbours, tiles=tiles)
    groups = data_layers(frames, **layer_options)
    report = localize(base, installed=installed)
    for group in groups:
        localize(group, installed=installed, report=report)
    return base, groups, report
