"""The static base map: offline outlines beneath everything, optional online tiles.

The claims layer (``layers.claims_layer``) is added on top by ``layers.page``.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import shapely
from branca.element import Element

from geo import settings
from layers import style
from layers._render import GeoJson
from layers.areas import display_features

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
    # The claims layer fits the map to Afghanistan without an animation: an animated
    # fit at load makes Leaflet drop the first views sent while it runs.
    return m
