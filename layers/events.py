"""Events: one marker per placeable claim, clustered, precision-aware.

* An exact place (``geometry_kind == "exact"``) is a solid round pin.
* A district- or province-precision claim is drawn at the area's representative point
  as a larger dashed hollow ring, so it never looks as precise as a pin.
* Region/country claims (precision 4, no geometry) are not drawn; the app lists them.

The symbol is the event type (a Font Awesome icon), the colour the claim status. All
markers go into one marker cluster built in the browser from a compact array (one row
per event), so 10,000 events stay usable. Popup HTML is built here, with every data
string escaped, and capped in size.
"""

from __future__ import annotations

from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.template import Template

from layers import style
from layers._render import TextRender
from layers.legend import Legend

#: Above this many mapped events the popups shrink to one line each (payload size).
FULL_POPUP_LIMIT = 2000
#: Longest note, title or quote (characters) in a popup.
TEXT_LIMIT = 160
#: Leaflet.markercluster options.
CLUSTER_OPTIONS: dict[str, Any] = {
    "maxClusterRadius": 40,
    "showCoverageOnHover": False,
    "spiderfyOnMaxZoom": True,
    "chunkedLoading": True,
}
_CLUSTER_ICON = """
function(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 28 : (n < 100 ? 34 : 42);
    return L.divIcon({
        html: '<div><span>' + n + '</span></div>',
        className: 'arm-cluster',
        iconSize: L.point(size, size)
    });
}
"""

TYPE_LABELS = {
    "clash": "Clash",
    "attack": "Attack",
    "ambush": "Ambush",
    "casualty_claim": "Casualty claim",
    "reinforcement": "Reinforcement",
    "strategic_development": "Strategic move",
    "violence_against_civilians": "Against civilians",
    "protest": "Protest",
    "riot": "Riot",
}
_PRECISION_LABELS = {1: "exact place", 2: "district", 3: "province", 4: "region/country"}


class EventCluster(folium.plugins.FastMarkerCluster, TextRender):
    """A marker cluster filled in the browser from rows ``[lat, lon, icon, popup]``.

    Parameters
    ----------
    data : list of list
        ``[lat, lon, icon_index, popup_html]``; ``popup_html`` must be safe HTML.
    icons : list of (str, str)
        ``(css class, inner HTML)`` of each icon index.
    name : str
        Layer name.

    Examples
    --------
    >>> cluster = EventCluster([[34.5, 69.2, 0, "x"]], icons=[("arm-ev", "")], name="Events")
    >>> cluster.icons[0][2]
    [30, 30]
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var icons = {{ this.icons|tojson }};
                var data = {{ this.data|tojson }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                cluster.options.iconCreateFunction = {{ this.icon_create_function.strip() }};
                cluster.options.armLayer = "events";
                var made = {};
                var markers = new Array(data.length);
                for (var i = 0; i < data.length; i++) {
                    var row = data[i];
                    var icon = made[row[2]];
                    if (!icon) {
                        var spec = icons[row[2]];
                        icon = made[row[2]] = L.divIcon({
                            className: spec[0], html: spec[1],
                            iconSize: spec[2], iconAnchor: [spec[2][0] / 2, spec[2][1] / 2]
                        });
                    }
                    var marker = L.marker([row[0], row[1]], {icon: icon});
                    marker.bindPopup(row[3], {maxWidth: 320});
                    markers[i] = marker;
                }
                cluster.addLayers(markers);
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, data: list[list[Any]], *, icons: list[tuple[str, str]], name: str) -> None:
        super().__init__(
            data=[],
            name=name,
            control=False,
            icon_create_function=_CLUSTER_ICON,
            **CLUSTER_OPTIONS,
        )
        self._name = "EventCluster"
        self.data = data
        self.icons = [
            [cls, inner, [22, 22] if "arm-ev-exact" in cls else [30, 30]] for cls, inner in icons
        ]


def date_text(frame: pd.DataFrame) -> pd.Series:
    """Return each event's date as people say it: a day, "week of", a month or a range.

    Examples
    --------
    >>> date_text(events).iloc[0]  # doctest: +SKIP
    'week of 2022-04-25'
    """
    start = frame["date_start"].dt.strftime("%Y-%m-%d").fillna("")
    end = frame["date_end"].dt.strftime("%Y-%m-%d").fillna("")
    month = frame["date_start"].dt.strftime("%B %Y").fillna("")
    precision = frame["date_precision"].astype(str)
    open_range = frame["date_end"].isna()
    text = np.select(
        [
            precision.eq("day").to_numpy(),
            precision.eq("week").to_numpy(),
            precision.eq("month").to_numpy(),
            (precision.eq("range") & open_range).to_numpy(),
        ],
        [start, "week of " + start, month, "after " + start],
        default=start + " to " + end,
    )
    return pd.Series(text, index=frame.index, dtype=object)


def _first_source(sources: Any) -> str:
    items = list(sources) if isinstance(sources, list | tuple) else []
    if not items:
        return ""
    first = items[0] if isinstance(items[0], dict) else {}
    outlet = style.esc(style.truncate(str(first.get("outlet", "")), 60))
    title = style.esc(style.truncate(str(first.get("title", "")), TEXT_LIMIT // 2))
    quote = style.esc(style.truncate(str(first.get("quote", "")), TEXT_LIMIT))
    more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
    return f'<p>Source: {outlet} — {title}{style.esc(more)}</p><p class="arm-quote">“{quote}”</p>'


def _col(frame: pd.DataFrame, name: str, limit: int = 80) -> pd.Series:
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].map(lambda v: style.esc(style.truncate(_text(v), limit)))


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def event_popups(frame: pd.DataFrame, *, short: bool = False, by_id: bool = False) -> pd.Series:
    """Return the popup HTML of each event, every data string escaped.

    Parameters
    ----------
    frame : pandas.DataFrame
        Events with the CSV columns (dates as datetime64, ``sources`` as lists).
    short : bool, default False
        One line (type, status, date, place) instead of the full popup with actors,
        fatalities, note and first source; used for large windows.
    by_id : bool, default False
        Index the result by ``event_id`` (to look popups up for any later selection).

    Returns
    -------
    pandas.Series
        HTML strings, same index as ``frame`` (or its event ids); each full popup is at most about
        1,000 characters (notes, titles and quotes are cut to 160).

    Examples
    --------
    >>> event_popups(events).iloc[0]  # doctest: +SKIP
    '<div class="arm-popup"><h4>Clash · claimed</h4>...'
    """
    if frame.empty:
        return pd.Series([], index=frame["event_id"] if by_id else frame.index, dtype=object)
    kind = frame["event_type"].map(TYPE_LABELS).fillna(frame["event_type"]).map(style.esc)
    status = _col(frame, "claim_status")
    dates = date_text(frame).map(style.esc)
    place = _col(frame, "location_name")
    head = '<div class="arm-popup"><h4>' + kind + " · " + status + "</h4>"
    where = "<p>" + dates + " · " + place
    if short:
        html = head + where + "</p></div>"
        return html.set_axis(frame["event_id"].to_numpy()) if by_id else html
    province = _col(frame, "province_name" if "province_name" in frame else "province_code")
    precision = frame["location_precision"].map(lambda p: _PRECISION_LABELS.get(p, "?"))
    where = where + ", " + province + " <small>(" + precision + ")</small></p>"
    actor2 = _col(frame, "actor2")
    actors = "<p>" + _col(frame, "actor1") + actor2.where(actor2 == "", " vs " + actor2)
    actors = actors + "; claimed by " + _col(frame, "claimed_by") + "</p>"
    fatal = frame["fatalities"].map(_text)
    by = _col(frame, "fatalities_claimed_by")
    deaths = ("<p>Claimed fatalities: " + fatal + " (per " + by + ")</p>").where(fatal != "", "")
    notes = _col(frame, "notes", TEXT_LIMIT)
    notes = ("<p>" + notes + "</p>").where(notes != "", "")
    sources = frame["sources"].map(_first_source)
    html = head + where + actors + deaths + notes + sources + "</div>"
    return html.set_axis(frame["event_id"].to_numpy()) if by_id else html


def _points(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    geoms = frame.geometry.values
    mapped = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    coords = shapely.get_coordinates(geoms[mapped])
    return mapped, coords[:, 1], coords[:, 0]


def events_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str = "Events",
    popups: pd.Series | None = None,
    unplaced: int = 0,
    legend: bool = True,
) -> folium.FeatureGroup:
    """Build the clustered events layer from ``geo.views.layer_frame("events", ...)``.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Events with ``event_type``, ``claim_status``, ``geometry_kind`` ("exact",
        "area-representative-point" or "unmapped") and Point geometry (None when
        unmapped).
    name : str
        Layer name.
    popups : pandas.Series, optional
        Popup HTML per ``event_id`` (e.g. computed once with :func:`event_popups`);
        default: built here, short when more than :data:`FULL_POPUP_LIMIT` events.
    unplaced : int
        Number of claims that cannot be placed (said in the legend).
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
    >>> fg = events_layer(views.layer_frame("events", ...))  # doctest: +SKIP
    """
    missing = {"event_id", "event_type", "claim_status", "geometry_kind"} - set(frame.columns)
    if missing:
        raise ValueError(f"events frame lacks columns {sorted(missing)}")
    mapped, lat, lon = _points(frame)
    shown = frame[mapped]
    kind = np.where(shown["geometry_kind"].to_numpy() == "exact", "exact", "area")
    status = shown["claim_status"].map(style.status_class).to_numpy(dtype=object)
    keys = pd.Series(shown["event_type"].to_numpy(dtype=object) + "|" + status + "|" + kind)
    codes, uniques = pd.factorize(keys)
    icons = [style.event_icon_html(*key.split("|")) for key in uniques]
    if popups is not None:
        html = shown["event_id"].map(popups).fillna("")
    else:
        html = event_popups(shown, short=len(shown) > FULL_POPUP_LIMIT)
    data = [
        [round(float(y), 5), round(float(x), 5), int(c), str(h)]
        for y, x, c, h in zip(lat, lon, codes, html.to_numpy(), strict=True)
    ]
    group = folium.FeatureGroup(name=name, control=False)
    EventCluster(data, icons=icons, name=name).add_to(group)
    if legend:
        Legend(name, legend_rows(), note=_unplaced_note(unplaced)).add_to(group)
    return group


def _unplaced_note(unplaced: int) -> str:
    note = "Grey circles count clustered claims."
    if unplaced:
        note += (
            f" {style.plural(unplaced, 'claim')} cannot be placed on the map"
            " (region or country only): listed under the map."
        )
    return note


def legend_rows() -> list[str]:
    """Return the events legend: status colours, place precision, event-type symbols.

    Examples
    --------
    >>> len(legend_rows())
    3
    """
    statuses = "".join(
        f'<span><span class="arm-ev arm-ev-exact arm-ev-{status}"></span>{style.esc(label)}</span>'
        for status, label in style.STATUS_LABELS.items()
    )
    kinds = "".join(
        f'<span><span class="arm-ev arm-ev-{kind} arm-ev-claimed"></span>{style.esc(label)}</span>'
        for kind, label in style.KIND_LABELS.items()
    )
    types = "".join(
        f'<span class="arm-type"><i class="fa-solid fa-{style.EVENT_ICONS[t]}"></i> '
        f"{style.esc(label)}</span>"
        for t, label in TYPE_LABELS.items()
    )
    return [
        f'<div class="arm-inline">{statuses}</div>',
        f'<div class="arm-inline">{kinds}</div>',
        f'<div class="arm-types">{types}</div>',
    ]
