"""The claims layer: the map's per-window work done in the browser.

:class:`ClaimsLayer` puts into the page everything the window does not change, once:
the provinces and districts (display-simplified, rounded), the presence rows, the
class breaks of every metric (fixed over the whole span), palettes, labels, icons and
legends, the address of the events' binary columns (``geo.views.payload``, fetched
once and cached by the browser) and the script ``layers/js/claims_map.js`` that does
the rest: which events are in the window, their clusters (supercluster, from the npm
registry like the other assets), each area's figures and colour, presence as of the
window's end, popups built on click, and playback. A window move or a playback step
changes no byte of the page: the app sends the view (window, metric, province,
layers) through ``window.armSetView``.

Every text from the data reaches the page as JSON (``tojson`` escapes ``<``, ``>``
and ``&``) and is escaped by the script before it becomes HTML; the element renders
through :class:`layers._render.TextRender`, so no data is ever parsed as a template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
from folium.elements import JSCSSMixin
from folium.template import Template

from geo import settings, views
from layers import style
from layers._render import TextRender
from layers.areas import display_features
from layers.assets import SUPERCLUSTER_URL
from layers.events import legend_rows
from layers.legend import legend_html, swatch_row

SCRIPT_PATH: Final = Path(__file__).resolve().parent / "js" / "claims_map.js"


def _areas(frame: gpd.GeoDataFrame | None, code: str, extra: tuple[str, ...] = ()):
    if frame is None:
        return None
    props = [
        {
            "index": i,
            "code": str(row[code]),
            "name": str(row["name"]),
            **{k: str(row[k]) for k in extra},
        }
        for i, row in enumerate(frame[[code, "name", *extra]].to_dict("records"))
    ]
    return display_features(frame, props)


def _area_legends(breaks: dict[str, dict[str, tuple[float, ...]]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for layer, by_metric in breaks.items():
        out[layer] = {}
        for metric, edges in by_metric.items():
            palette = style.palette_for(metric, len(edges) - 1)
            rows = [
                swatch_row(color, label, opacity=style.FILL_OPACITY)
                for color, label in zip(palette, style.class_labels(metric, edges), strict=True)
            ]
            rows.append(swatch_row(style.NONE_COLOR, style.none_label(metric)))
            note = (
                "Colours are fixed over the whole time span." if metric != "presence_level" else ""
            )
            unit = "district" if layer == "districts" else "province"
            out[layer][metric] = legend_html(
                f"{style.METRIC_LABELS[metric]} by {unit}", rows, note=note
            )
    return out


def _line(color: str, weight: float, *, dashed: bool = False) -> str:
    border = "dashed" if dashed else "solid"
    return (
        f'<span class="arm-line" style="border-top:{weight}px {border} {style.esc(color)}"></span>'
    )


def _presence_legend(groups: list[str], colors: dict[str, str]) -> str:
    rows = [f'<div class="arm-row">{_line(colors[g], 3)}{style.esc(g)}</div>' for g in groups]
    levels = "".join(
        f"<span>{_line('#444', style.LEVEL_WEIGHT[level])}{style.esc(label)}</span>"
        for level, label in settings.PRESENCE_LEVEL_LABELS.items()
    )
    rows.append(f'<div class="arm-inline">{levels}</div>')
    rows.append(f'<div class="arm-row">{_line("#444", 3, dashed=True)}more than one group</div>')
    return legend_html("Resistance presence (outlines)", rows, folded=True)


def _icons() -> dict[str, list[list[list[str]]]]:
    return {
        kind: [
            [list(style.event_icon_html(t, s, kind)) for s in settings.CLAIM_STATUSES]
            for t in settings.EVENT_TYPES
        ]
        for kind in ("exact", "area")
    }


class ClaimsLayer(JSCSSMixin, TextRender):
    """Everything the browser needs for the window's work, and the script that does it.

    Parameters
    ----------
    payload_url : str
        Where the events' binary columns are served (``geo.views.payload``).
    provinces, districts : geopandas.GeoDataFrame
        Display-simplified areas, in the order the payload indexes them; districts
        None when not installed.
    presence : pandas.DataFrame
        Joined presence rows (see :func:`geo.views.presence_rows`).
    breaks : dict
        Layer -> metric -> class edges over the whole span.
    span : tuple of str
        The data's first and last day (ISO).
    view : dict
        The first view: ``window`` (two ISO days), ``metric``, ``province``,
        ``selected``, ``layers`` (name -> bool), ``seq``, ``step_days``,
        ``cumulative``, ``speed``.

    Examples
    --------
    >>> layer = ClaimsLayer("/app/static/data/events.bin.gz", provinces=p, districts=None,
    ...                     presence=pr, breaks=b, span=s, view=v)  # doctest: +SKIP
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .arm-playback { background: #fff; padding: 3px 6px; display: flex; gap: 6px;
          align-items: center; font: 12px system-ui, sans-serif; }
        .arm-playback button { font: 12px system-ui, sans-serif; cursor: pointer; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        window.ARM_CONFIG = {{ this.config|tojson }};
        window.ARM_CONFIG.map = {{ this._parent.get_name()|tojson }};
        {{ this.script_text }}
        {% endmacro %}
        """
    )
    default_js = [("supercluster", SUPERCLUSTER_URL)]  # noqa: RUF012  # as JSCSSMixin

    def __init__(
        self,
        payload_url: str,
        *,
        provinces: gpd.GeoDataFrame,
        districts: gpd.GeoDataFrame | None,
        presence: pd.DataFrame,
        breaks: dict[str, dict[str, tuple[float, ...]]],
        span: tuple[str, str],
        view: dict[str, Any],
    ) -> None:
        super().__init__()
        self._name = "ClaimsLayer"
        province_codes = provinces[settings.PROVINCE_CODE].astype(str).tolist()
        district_ids = (
            [] if districts is None else districts[settings.DISTRICT_ID].astype(str).tolist()
        )
        # named groups first: a tie between groups goes to the named one
        groups = sorted({str(g) for g in presence["group"]}, key=settings.group_rank)
        colors = style.group_colors(groups)
        self.config = {
            "payload": payload_url,
            "day0": settings.EARLIEST_DATE,
            "span": list(span),
            "view": view,
            "bounds": [
                [settings.AFG_BOUNDS[1], settings.AFG_BOUNDS[0]],
                [settings.AFG_BOUNDS[3], settings.AFG_BOUNDS[2]],
            ],
            "provinces": _areas(provinces, settings.PROVINCE_CODE, (settings.PROVINCE_FA,)),
            "districts": _areas(districts, settings.DISTRICT_ID, ("province_code",)),
            "presence": {
                "groups": groups,
                "colors": [colors[g] for g in groups],
                "rows": views.presence_rows(presence, province_codes, district_ids, groups),
            },
            "breaks": {layer: {m: list(e) for m, e in b.items()} for layer, b in breaks.items()},
            "palettes": {
                metric: {str(n): list(style.palette_for(metric, n)) for n in range(1, 7)}
                for metric in style.METRIC_LABELS
            },
            "style": {
                "none_color": style.NONE_COLOR,
                "none_opacity": style.NONE_OPACITY,
                "fill_opacity": style.FILL_OPACITY,
                "outline_color": style.OUTLINE_COLOR,
                "selected_color": style.SELECTED_COLOR,
                "level_weight": {str(k): v for k, v in style.LEVEL_WEIGHT.items()},
            },
            "labels": {
                "types": settings.EVENT_TYPE_LABELS,
                "statuses": settings.CLAIM_STATUS_LABELS,
                "metrics": style.METRIC_LABELS,
                "none": {m: style.none_label(m) for m in style.METRIC_LABELS},
                "levels": {str(k): v for k, v in settings.PRESENCE_LEVEL_LABELS.items()},
                "precision": {str(k): v for k, v in settings.LOCATION_PRECISIONS.items()},
            },
            "icons": _icons(),
            "legends": {
                "areas": _area_legends(breaks),
                "events": legend_html(
                    "Claimed events",
                    legend_rows(),
                    note="Grey circles count clustered claims.",
                    folded=True,
                ),
                "presence": _presence_legend(groups, colors),
            },
        }
        for part in ("districts",):
            if self.config[part] is not None:
                for feature in self.config[part]["features"]:
                    feature["properties"]["province"] = feature["properties"].pop("province_code")
        self.script_text = SCRIPT_PATH.read_text(encoding="utf-8")
