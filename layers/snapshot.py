"""The current view as a PNG: the areas coloured as on the map, presence, claims, legend.

:func:`view_png` draws with Pillow, no browser (:func:`view_file` for the page's
view): the areas of the view (Afghanistan's
provinces, or a province's districts) filled with their metric's class colour, exactly
the colours and classes of the map's legend (:mod:`layers.style`), presence as
group-coloured outlines (wider for a stronger level), the window's claims as dots
(exact places) and rings (a district or province), a title saying what, when and which
filters, a legend and the sources' attribution. Every text is drawn as text: nothing
from the data is interpreted.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from PIL import Image, ImageDraw, ImageFont

from geo import settings
from geo.claims import Filters
from layers import style

__all__ = ["filter_words", "view_file", "view_png"]

WIDTH, MAP_HEIGHT, HEADER, LEGEND_WIDTH = 1200, 760, 74, 300
#: Where the map is drawn: left, top, right, bottom.
MAP_BOX = (12, HEADER, WIDTH - LEGEND_WIDTH - 12, HEADER + MAP_HEIGHT)
ATTRIBUTION = (
    "Provinces: Natural Earth (public domain). Districts: administrative boundaries courtesy "
    "of geoBoundaries.org (public domain). Claims: the project's coding of news articles."
)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _class_of(value: float, edges: Sequence[float]) -> int:
    """Return the class of a value, as the map page computes it (-1: none in the window)."""
    if value is None or math.isnan(value) or value < edges[0]:
        return -1
    k = 0
    while k < len(edges) - 2 and value >= edges[k + 1]:
        k += 1
    return k


class Projection:
    """Lon/lat to pixels: Web Mercator fitted to a box, north up."""

    def __init__(self, bounds: Sequence[float], box: tuple[int, int, int, int]) -> None:
        (x0, y0), (x1, y1) = (self._merc(bounds[0], bounds[1]), self._merc(bounds[2], bounds[3]))
        left, top, right, bottom = box
        self.scale = min((right - left) / (x1 - x0), (bottom - top) / (y1 - y0))
        self.x0 = left + ((right - left) - (x1 - x0) * self.scale) / 2 - x0 * self.scale
        self.y0 = top + ((bottom - top) - (y1 - y0) * self.scale) / 2 + y1 * self.scale

    @staticmethod
    def _merc(lon: float, lat: float) -> tuple[float, float]:
        return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    def points(self, coords: np.ndarray) -> list[tuple[float, float]]:
        x = np.radians(coords[:, 0])
        y = np.log(np.tan(np.pi / 4 + np.radians(coords[:, 1]) / 2))
        return list(zip(self.x0 + x * self.scale, self.y0 - y * self.scale, strict=True))


def _rings(geometry: Any) -> list[np.ndarray]:
    polygons = getattr(geometry, "geoms", [geometry])
    return [
        np.asarray(ring.coords)
        for p in polygons
        if p is not None and not p.is_empty and p.geom_type == "Polygon"
        for ring in (p.exterior, *p.interiors)
    ]


def view_png(
    areas: gpd.GeoDataFrame,
    *,
    metric: str,
    edges: Sequence[float],
    events: gpd.GeoDataFrame | None,
    presence: gpd.GeoDataFrame | None,
    title: str,
    subtitle: str,
    kind: str = "province",
) -> bytes:
    """Draw the view as a PNG and return its bytes.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        ``layer_frame("provinces" or "districts", metric=metric)``: ``value`` per area.
    metric : str
        The metric the areas are coloured by.
    edges : sequence of float
        Its class edges (``metric_breaks``), as on the map's legend.
    events, presence : geopandas.GeoDataFrame, optional
        The window's claims and presence (``layer_frame``), drawn when given.
    title, subtitle : str
        What the picture shows, and its window and filters.
    kind : {"province", "district"}
        What the areas are (the legend's title).

    Returns
    -------
    bytes
        A PNG image, 1200 pixels wide.

    Examples
    --------
    >>> png = view_png(frame, metric="claims", edges=(1, 2, 5), events=None, presence=None,
    ...                title="Claims", subtitle="2022")  # doctest: +SKIP
    """
    image = Image.new("RGB", (WIDTH, HEADER + MAP_HEIGHT + 28), "white")
    draw = ImageDraw.Draw(image)
    font, bold = ImageFont.load_default(14), ImageFont.load_default(20)
    draw.text((16, 12), title, fill="#111111", font=bold)
    draw.text((16, 42), subtitle, fill="#444444", font=font)
    frame = Projection(areas.total_bounds, MAP_BOX)
    palette = style.palette_for(metric, len(edges) - 1)
    values = pd.to_numeric(areas["value"], errors="coerce").to_numpy(float)
    for geometry, value in zip(areas.geometry, values, strict=True):
        k = _class_of(value, edges)
        fill = _rgb(palette[k]) if k >= 0 else (255, 255, 255)
        for i, ring in enumerate(_rings(geometry)):
            xy = frame.points(ring)
            draw.polygon(xy, fill=fill if i == 0 else (255, 255, 255), outline=(85, 85, 85))
    if presence is not None and len(presence):
        colors = style.group_colors(presence["group"].astype(str).tolist())
        for row in presence.itertuples():
            width = round(style.LEVEL_WEIGHT.get(int(row.level), 2))
            for ring in _rings(row.geometry):
                draw.line(frame.points(ring), fill=_rgb(colors[str(row.group)]), width=width)
    drawn = 0
    if events is not None and len(events):
        points = events[events.geometry.notna() & ~events.geometry.is_empty]
        xy = frame.points(shapely.get_coordinates(points.geometry.to_numpy()))
        statuses = points["claim_status"].astype(str).map(style.status_class)
        exact = (points["location_precision"] == 1).to_numpy()
        for (x, y), status, is_exact in zip(xy, statuses, exact, strict=True):
            color = _rgb(style.STATUS_COLORS[status])
            r = 5 if is_exact else 9
            if is_exact:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=color, outline="white")
            else:
                draw.ellipse([x - r, y - r, x + r, y + r], outline=color, width=2)
        drawn = len(points)
    groups = (
        style.group_colors(presence["group"].astype(str).tolist()) if presence is not None else {}
    )
    _legend(draw, font, metric=metric, edges=edges, palette=palette, kind=kind, drawn=drawn)
    _groups(draw, font, groups)
    draw.text((16, HEADER + MAP_HEIGHT + 6), ATTRIBUTION, fill="#666666", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _legend(draw, font, *, metric, edges, palette, kind, drawn) -> None:
    x, y = WIDTH - LEGEND_WIDTH + 8, HEADER + 8
    draw.text((x, y), f"{style.METRIC_LABELS[metric]} by {kind}", fill="#111111", font=font)
    rows = list(zip(palette, style.class_labels(metric, edges), strict=True))
    rows.append((style.NONE_COLOR, style.none_label(metric)))
    for color, label in rows:
        y += 24
        draw.rectangle([x, y, x + 22, y + 16], fill=_rgb(color), outline=(119, 119, 119))
        draw.text((x + 30, y), label, fill="#222222", font=font)
    y += 36
    draw.text((x, y), f"Claims drawn: {drawn:,}", fill="#111111", font=font)
    for status, label in style.STATUS_LABELS.items():
        y += 22
        draw.ellipse([x + 5, y + 3, x + 15, y + 13], fill=_rgb(style.STATUS_COLORS[status]))
        draw.text((x + 30, y), label, fill="#222222", font=font)
    y += 22
    draw.ellipse([x + 1, y - 1, x + 19, y + 17], outline=(80, 80, 80), width=2)
    draw.text((x + 30, y), "ring: known to a district or province", fill="#222222", font=font)


def _groups(draw, font, colors: dict[str, str]) -> None:
    x, y = WIDTH - LEGEND_WIDTH + 8, HEADER + 330
    if not colors:
        return
    draw.text((x, y), "Presence (outlines; wider: stronger)", fill="#111111", font=font)
    for group, color in colors.items():
        y += 22
        draw.line([x, y + 8, x + 22, y + 8], fill=_rgb(color), width=4)
        name = group if len(group) <= 34 else group[:33] + "…"
        draw.text((x + 30, y), name, fill="#222222", font=font)


def filter_words(filters: Filters) -> str:
    """Say which filters are set, in plain words.

    >>> filter_words(Filters(event_types=("clash", "casualty_claim"), coarsest_precision=2))
    'types: Clash, Casualty claim; places known to a district or better'
    >>> filter_words(Filters())
    'no filter'
    """
    parts = []
    for label, values, words in (
        ("groups", filters.actors, {}),
        ("types", filters.event_types, settings.EVENT_TYPE_LABELS),
        ("statuses", filters.statuses, settings.CLAIM_STATUS_LABELS),
        ("sources", filters.sources, {}),
    ):
        if values:
            parts.append(f"{label}: " + ", ".join(words.get(v, v) for v in values))
    if filters.contested:
        parts.append("contested claims only")
    if filters.known_on is not None:
        parts.append(f"as known on {filters.known_on.isoformat()}")
    if filters.coarsest_precision is not None and filters.coarsest_precision < 4:
        level = settings.LOCATION_PRECISIONS[filters.coarsest_precision]
        parts.append(f"places known to a {level} or better".replace("a exact", "an exact"))
    return "; ".join(parts) or "no filter"


def view_file(
    frames: dict[str, gpd.GeoDataFrame],
    *,
    view: dict[str, Any],
    breaks: dict[str, dict[str, Sequence[float]]],
    filters: Filters,
    source: str,
) -> bytes:
    """Return the PNG of the page's view: the layers it shows, coloured by its metric.

    Parameters
    ----------
    frames : dict
        ``map_frames`` of the window, made with the view's metric and province.
    view : dict
        ``layers.share.map_view``: window, metric, province, layers shown.
    breaks : dict
        Layer -> metric -> class edges (``BrowserData.breaks``), as on the legend.
    filters : Filters
        The filters set (said in words under the title).
    source : str
        The claims file's name.
    """
    metric, shown = view["metric"], view["layers"]
    districts = view["province"] and shown.get("districts") and "districts" in frames
    layer = "districts" if districts else "provinces"
    start, end = view["window"]
    what = f"{style.METRIC_LABELS[metric]} by {layer[:-1]}"
    if districts:
        names = frames["provinces"].set_index("area_code")["name"]
        what += f", {names.get(view['province'], view['province'])}"
    subtitle = f"{start} to {end} · {filter_words(filters)} · claims: {source}"
    return view_png(
        frames[layer],
        metric=metric,
        edges=breaks[layer][metric],
        events=frames.get("events") if shown.get("events") else None,
        presence=frames.get("presence") if shown.get("presence") else None,
        title=f"Claimed armed resistance to the Taliban: {what}",
        subtitle=subtitle,
        kind=layer[:-1],
    )
