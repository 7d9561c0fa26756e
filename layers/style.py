"""Colours, symbols and CSS shared by the map's layers and legends.

Nothing here reads data files or imports folium: colours are plain functions of values
and class breaks, so they are tested without a map.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from geo import settings, views

# --- metrics ---------------------------------------------------------------------
#: Metric key -> label shown in the app and legends.
METRIC_LABELS: Final = {
    "claims": "Claims",
    "fatalities": "Claimed fatalities",
    "days_since_last": "Days since the latest report",
    "presence_level": "Resistance presence level",
}

#: Sequential palettes (ColorBrewer, colour-blind safe), light to dark.
COUNT_PALETTE: Final = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
RECENCY_PALETTE: Final = ("#08519c", "#3182bd", "#6baed6", "#bdd7e7", "#eff3ff")
PRESENCE_PALETTE: Final = ("#cbc9e2", "#9e9ac8", "#54278f")
#: Fill for "nothing in the window".
NONE_COLOR: Final = "#ffffff"
NONE_OPACITY: Final = 0.15
#: Areas are filled opaquely (over the white country), so the colour on screen is
#: exactly its legend swatch.
FILL_OPACITY: Final = 1.0
OUTLINE_COLOR: Final = "#555555"
SELECTED_COLOR: Final = "#111111"

#: Outline colours of armed groups in the presence layer (Okabe & Ito's colour-blind
#: safe set, without the yellows and oranges of the claims fill), named groups in
#: order (:func:`geo.settings.group_rank`); unnamed groups are grey.
GROUP_PALETTE: Final = ("#0072b2", "#009e73", "#cc79a7", "#000000", "#56b4e9", "#e69f00")
UNNAMED_GROUP_COLOR: Final = "#5c5c5c"
#: Presence is drawn as an outline over the fill, never mixed into it: the level is
#: its width.
LEVEL_WEIGHT: Final = {1: 2.0, 2: 3.5, 3: 5.0}

# --- events ----------------------------------------------------------------------
#: Event type -> Font Awesome 6 (free, solid) icon name.
EVENT_ICONS: Final = {
    "clash": "burst",
    "attack": "crosshairs",
    "ambush": "person-rifle",
    "casualty_claim": "user-injured",
    "reinforcement": "truck-moving",
    "strategic_development": "chess",
    "violence_against_civilians": "house-chimney-crack",
    "protest": "bullhorn",
    "riot": "fire",
}
FALLBACK_ICON: Final = "circle-question"

#: Claim status -> status class shown on the map: a claim by one side, a claim the
#: other side acknowledged or an independent source corroborated, a denied claim.
STATUS_CLASS: Final = {
    "claimed": "claimed",
    "acknowledged": "confirmed",
    "corroborated": "confirmed",
    "denied": "denied",
}
STATUS_LABELS: Final = {
    "claimed": "Claimed",
    "confirmed": "Acknowledged / corroborated",
    "denied": "Denied",
}
STATUS_COLORS: Final = {"claimed": "#e66101", "confirmed": "#5e3c99", "denied": "#8c8c8c"}

#: How an event's place is drawn: the exact place, or the area it is known to.
KIND_LABELS: Final = {
    "exact": "Exact place",
    "area": "Somewhere in the district or province (drawn at its centre)",
}

#: CSS injected into the map's frame: markers, legends, tooltips.
MAP_CSS: Final = f"""
.leaflet-container {{ background: #eef2f5; font: 12px/1.35 system-ui, sans-serif; }}
.arm-ev {{ display: flex; align-items: center; justify-content: center;
  border-radius: 50%; box-sizing: border-box; }}
.arm-ev i {{ font-size: 11px; line-height: 1; }}
.arm-ev-exact {{ width: 22px; height: 22px; color: #fff; border: 2px solid #fff;
  box-shadow: 0 0 0 1px rgba(0,0,0,.55); }}
.arm-ev-area {{ width: 30px; height: 30px; background: rgba(255,255,255,.35);
  border: 2px dashed; }}
.arm-ev-denied {{ opacity: .75; }}
.arm-ev-exact.arm-ev-claimed {{ background: {STATUS_COLORS["claimed"]}; }}
.arm-ev-exact.arm-ev-confirmed {{ background: {STATUS_COLORS["confirmed"]}; }}
.arm-ev-exact.arm-ev-denied {{ background: {STATUS_COLORS["denied"]}; }}
.arm-ev-area.arm-ev-claimed {{ border-color: {STATUS_COLORS["claimed"]};
  color: {STATUS_COLORS["claimed"]}; }}
.arm-ev-area.arm-ev-confirmed {{ border-color: {STATUS_COLORS["confirmed"]};
  color: {STATUS_COLORS["confirmed"]}; }}
.arm-ev-area.arm-ev-denied {{ border-color: {STATUS_COLORS["denied"]};
  color: {STATUS_COLORS["denied"]}; }}
.leaflet-interactive:focus {{ outline: none; }}
.arm-legend-anchor {{ position: absolute; width: 0; height: 0; }}
.arm-legend {{ position: absolute; left: 0; bottom: 0; max-height: calc(100vh - 80px);
  overflow: auto; width: max-content; pointer-events: auto; cursor: auto; }}
.arm-legend > summary {{ font-size: 12.5px; }}
.arm-legend details {{ margin-top: 3px; }}
.arm-legend details summary {{ font-size: 11.5px; }}
.arm-line {{ display: inline-block; width: 18px; height: 0; flex: none; }}
.arm-scroll-hint {{ position: absolute; z-index: 1000; left: 50%; top: 50%;
  transform: translate(-50%, -50%); background: rgba(0,0,0,.72); color: #fff;
  padding: 8px 12px; border-radius: 4px; opacity: 0; transition: opacity .2s;
  pointer-events: none; font-size: 13px; }}
.arm-scroll-hint.arm-shown {{ opacity: 1; }}
.arm-legend {{ background: rgba(255,255,255,.94); padding: 4px 7px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.35); max-width: 215px; color: #222;
  font: 11px/1.3 system-ui, sans-serif !important; }}
.arm-legend summary {{ font-weight: 600; cursor: pointer; font-size: 12px; }}
.arm-legend .arm-row {{ display: flex; align-items: center; gap: 5px; margin: 1px 0; }}
.arm-legend .arm-inline {{ display: flex; flex-wrap: wrap; gap: 1px 8px; margin: 1px 0; }}
.arm-legend .arm-inline > span {{ display: inline-flex; align-items: center; gap: 4px; }}
.arm-legend .arm-swatch {{ width: 13px; height: 10px; border: 1px solid #777; flex: none;
  display: inline-block; }}
.arm-legend .arm-ev-exact {{ width: 12px; height: 12px; border-width: 1px; flex: none; }}
.arm-legend .arm-ev-area {{ width: 14px; height: 14px; border-width: 2px; flex: none; }}
.arm-legend .arm-note {{ color: #555; font-size: 10.5px; margin-top: 2px; }}
.arm-legend .arm-types {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0 6px;
  margin-top: 3px; }}
.arm-legend .arm-type {{ white-space: nowrap; }}
.arm-legend .arm-type i {{ width: 13px; text-align: center; color: #333; }}
.arm-cluster {{ background: rgba(40,40,40,.25); border-radius: 50%; }}
.arm-cluster div {{ margin: 3px; width: calc(100% - 6px); height: calc(100% - 6px);
  background: rgba(40,40,40,.85); color: #fff; border-radius: 50%; display: flex;
  align-items: center; justify-content: center; font-weight: 600; font-size: 12px; }}
.arm-popup h4 {{ font-size: 13px; margin: 0 0 4px; }}
.arm-popup p {{ margin: 2px 0; }}
.arm-popup .arm-quote {{ color: #444; font-style: italic; }}
"""


def status_class(status: str) -> str:
    """Return the map's status class (claimed, confirmed, denied) of a claim status.

    Examples
    --------
    >>> status_class("corroborated"), status_class("confirmed")
    ('confirmed', 'confirmed')
    """
    if status in STATUS_COLORS:
        return status
    return STATUS_CLASS.get(status, "claimed")


def event_icon_html(event_type: str, status: str, kind: str) -> tuple[str, str]:
    """Return the CSS class and inner HTML of an event marker.

    Parameters
    ----------
    event_type : str
        One of ``settings.EVENT_TYPES`` (others get a question-mark icon).
    status : str
        A claim status.
    kind : {"exact", "area"}
        Exact places get a solid pin; vague places a dashed hollow ring.

    Returns
    -------
    tuple of str
        ``(class_name, html)`` for ``L.divIcon``.

    Examples
    --------
    >>> event_icon_html("clash", "denied", "area")[0]
    'arm-ev arm-ev-area arm-ev-denied'
    """
    icon = EVENT_ICONS.get(event_type, FALLBACK_ICON)
    cls = f"arm-ev arm-ev-{kind} arm-ev-{status_class(status)}"
    return cls, f'<i class="fa-solid fa-{icon}"></i>'


# --- class breaks and colours ------------------------------------------------------
#: Fixed class edges (from ``geo.views``) and their labels.
RECENCY_BREAKS: Final = views.RECENCY_BREAKS
RECENCY_LABELS: Final = ("≤ 1 week", "≤ 1 month", "≤ 3 months", "≤ 1 year", "> 1 year")
PRESENCE_BREAKS: Final = views.PRESENCE_BREAKS


def palette_for(metric: str, n_classes: int) -> tuple[str, ...]:
    """Return ``n_classes`` colours for ``metric`` (light = less, except recency).

    Examples
    --------
    >>> palette_for("claims", 2)
    ('#ffffb2', '#bd0026')
    """
    if metric == "days_since_last":
        return RECENCY_PALETTE[:n_classes]
    if metric == "presence_level":
        return PRESENCE_PALETTE[:n_classes]
    if n_classes <= len(COUNT_PALETTE):
        # Spread the classes over the palette so few classes still span it.
        picks = np.linspace(0, len(COUNT_PALETTE) - 1, n_classes).round().astype(int)
        return tuple(COUNT_PALETTE[i] for i in picks)
    return COUNT_PALETTE


def class_labels(metric: str, breaks: Sequence[float]) -> list[str]:
    """Return the legend label of each class.

    Examples
    --------
    >>> class_labels("claims", (1, 2, 5, 10))
    ['1', '2-4', '5-10']
    """
    if metric == "days_since_last":
        return list(RECENCY_LABELS[: len(breaks) - 1])
    if metric == "presence_level":
        return ["Reported activity", "Sustained fighting", "Stronghold"][: len(breaks) - 1]
    labels = []
    for i, (lo, hi) in enumerate(itertools.pairwise(breaks)):
        last = i == len(breaks) - 2
        top = math.floor(hi) if last else math.ceil(hi) - 1
        low = math.ceil(lo)
        labels.append(str(low) if top <= low else f"{low}-{top}")
    return labels


def none_label(metric: str) -> str:
    """Return the legend label of areas with nothing in the window.

    Examples
    --------
    >>> none_label("claims")
    'None in the window'
    """
    if metric == "presence_level":
        return "No reported presence"
    if metric == "days_since_last":
        return "No activity in the window"
    return "None in the window"


def group_colors(groups: Sequence[str]) -> dict[str, str]:
    """Give each group a stable colour: named groups take the palette in turn, sorted.

    Examples
    --------
    >>> group_colors(["NRF", "AFF", "Resistance (unspecified)"])
    {'AFF': '#0072b2', 'NRF': '#009e73', 'Resistance (unspecified)': '#5c5c5c'}
    """
    names = sorted({g for g in groups if g}, key=settings.group_rank)
    named = [g for g in names if not settings.group_rank(g)[0]]
    colors = {g: GROUP_PALETTE[i % len(GROUP_PALETTE)] for i, g in enumerate(named)}
    return {g: colors.get(g, UNNAMED_GROUP_COLOR) for g in names}


def esc(value: object) -> str:
    """Return ``value`` as HTML-escaped text ("" for missing values).

    Examples
    --------
    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return html.escape(str(value), quote=True)


_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()<>#+-.!|~$:")


def md_escape(value: object) -> str:
    r"""Return ``value`` as Markdown that shows it literally (for Streamlit headings).

    Examples
    --------
    >>> md_escape("*Panjshir* <b>")
    '\\*Panjshir\\* \\<b\\>'
    """
    text = "" if value is None else str(value)
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in text)


def plural(n: int, word: str) -> str:
    """Return "1 claim", "2 claims".

    Examples
    --------
    >>> plural(1, "claim"), plural(0, "event")
    ('1 claim', '0 events')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
