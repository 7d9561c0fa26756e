"""A view you can share: the page's state as URL query parameters, and back.

The app keeps the view in its session (the window, the metric, the province, the
layers shown, the filters, the selected area and claim, playback settings); this
module turns those values into query parameters (:func:`encode_view`) and a link's
parameters back into values (:func:`decode_view`), checking each against what the
data offers: a value that does not fit (a typo, a province that is not in the data)
is left out and listed, never guessed. No Streamlit here: the app reads and writes
``st.query_params`` with these.

===========  ==========================================  ===================
parameter    meaning                                     example
===========  ==========================================  ===================
start, end   the window (ISO days, inside the data)       2022-03-01
metric       what the areas are shaded by                 fatalities
province     the province shown with its districts        AF-PAN
area         the selected area, ``kind:code``             province:AF-BGL
claim        the selected claim (event id)                seed-002-01
known        the map as known on that day (report days)   2022-05-01
contested    only contested claims (a claim and a denial)  1
layers       the layers shown, comma-separated            provinces,events
actor, type, status, source  filters, repeated            type=clash&type=attack
precision    least precise location shown (1-4)           3
step, mode   playback step and window mode                month, cumulative
===========  ==========================================  ===================
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from geo import settings, views
from geo.claims import Filters

__all__ = [
    "DEFAULTS",
    "FILTER_KEYS",
    "FILTER_WIDGETS",
    "LATEST",
    "OPTIONS",
    "STEP_DAYS",
    "clear_selection",
    "decode_view",
    "downloadable",
    "encode_view",
    "filters",
    "follow_window",
    "known_days",
    "link_view",
    "map_view",
    "restore",
    "select_area",
    "select_claim",
]

#: Query parameter -> session key of the app's multiselect filters.
FILTER_KEYS = {"actor": "actors", "type": "types", "status": "statuses", "source": "sources"}
#: Session key -> the ``filter_options`` list its values come from.
OPTIONS = {
    "actors": "actors",
    "types": "event_types",
    "statuses": "statuses",
    "sources": "sources",
}
STEPS = ("week", "month")
MODES = ("moving", "cumulative")
STEP_DAYS = {"week": 7, "month": 30}
#: The "as known on" control's last stop: everything reported so far.
LATEST = "latest"
#: The filters' widgets: session key -> label and the plain words for its codes.
FILTER_WIDGETS: dict[str, tuple[str, dict[Any, str]]] = {
    "actors": ("Group / actor", {}),
    "types": ("Event type", settings.EVENT_TYPE_LABELS),
    "statuses": ("Claim status", settings.CLAIM_STATUS_LABELS),
    "sources": ("Source outlet", {}),
}
#: The view's values before a link or a click changes them (session key -> value).
DEFAULTS: dict[str, Any] = {
    "metric": "claims",
    "province": "",
    "known": "latest",
    "contested": False,
    "precision": 4,
    "step": "week",
    "mode": "moving",
    "speed": 1.5,
    **{f"show_{name}": True for name in views.LAYERS},
}


def filters(values: Mapping[str, Any]) -> Filters:
    """Return the filters the widgets' values set (the window is set apart).

    >>> filters({"types": ["clash"], "precision": 3}).event_types
    ('clash',)
    """
    return Filters(
        actors=tuple(values.get("actors") or ()),
        event_types=tuple(values.get("types") or ()),
        statuses=tuple(values.get("statuses") or ()),
        coarsest_precision=values.get("precision", 4),
        sources=tuple(values.get("sources") or ()),
        known_on=None if values.get("known", LATEST) == LATEST else values["known"],
        contested=bool(values.get("contested")),
    )


def map_view(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the map page is sent on every rerun (``armSetView``) from the values.

    Examples
    --------
    >>> v = map_view({**DEFAULTS, "window": (date(2022, 1, 1), date(2022, 2, 1))})
    >>> v["window"], v["province"], v["step_days"]
    (['2022-01-01', '2022-02-01'], None, 7)
    """
    selected = values.get("selected")
    return {
        "window": [values["window"][0].isoformat(), values["window"][1].isoformat()],
        "metric": values["metric"],
        "province": values["province"] or None,
        "selected": selected[0] if selected else None,
        "layers": {name: bool(values.get(f"show_{name}")) for name in views.LAYERS},
        "seq": values.get("seq", 0),
        "step_days": STEP_DAYS[values["step"]],
        "cumulative": values["mode"] == "cumulative",
        "speed": values["speed"],
    }


def downloadable(values: Mapping[str, Any], *, districts: bool) -> list[str]:
    """Return the layers offered for download: those shown (districts with a province).

    >>> downloadable({"show_events": True, "show_districts": True, "province": ""}, districts=True)
    ['events']
    """
    return [
        name
        for name in views.LAYERS
        if values.get(f"show_{name}")
        and (name != "districts" or (districts and values.get("province")))
    ]


def restore(
    values: MutableMapping[str, Any],
    params: Mapping[str, Sequence[str]],
    data: views.MapData,
    options: Mapping[str, Sequence[str]],
) -> None:
    """Once per session: set the widgets' defaults, then the view the page's link gives.

    What the link gives that does not fit the data is listed in ``link_ignored``.
    """
    if values.get("restored"):
        return
    for key, value in {**DEFAULTS, "show_districts": data.districts is not None}.items():
        values.setdefault(key, value)
    chosen, values["link_ignored"] = link_view(params, data, options)
    values.update(chosen, restored=True)


def known_days(data: views.MapData) -> list[str]:
    """Return the days the "as known on" control offers: every report day, then "latest".

    >>> import pandas as pd, types
    >>> known_days(types.SimpleNamespace(stances=pd.DataFrame(
    ...     {"reported": pd.to_datetime(["2022-05-01", "2021-09-01", "2022-05-01"])})))
    ['2021-09-01', '2022-05-01', 'latest']
    """
    days = pd.to_datetime(data.stances["reported"]).dropna().dt.normalize().unique()
    return [*pd.DatetimeIndex(days).sort_values().strftime("%Y-%m-%d"), LATEST]


def link_view(
    params: Mapping[str, Sequence[str]], data: views.MapData, options: Mapping[str, Sequence[str]]
) -> tuple[dict[str, Any], list[str]]:
    """Return :func:`decode_view` of a link's parameters against what ``data`` holds."""
    districts = data.districts
    return decode_view(
        params,
        span=data.span,
        metrics=views.METRICS,
        layers=views.LAYERS,
        provinces=data.provinces[settings.PROVINCE_CODE].tolist(),
        districts=[] if districts is None else districts[settings.DISTRICT_ID].tolist(),
        options=options,
        known=known_days(data),
    )


def encode_view(values: Mapping[str, Any], *, layers: Sequence[str]) -> dict[str, str | list[str]]:
    """Return the query parameters of the app's view values (session keys).

    Defaults are left out so that a plain link stays plain.

    Examples
    --------
    >>> encode_view({"window": (date(2022, 3, 1), date(2022, 6, 30)), "metric": "claims",
    ...              "types": ["clash"], "show_events": True, "show_presence": False},
    ...             layers=["events", "presence"])
    {'start': '2022-03-01', 'end': '2022-06-30', 'type': ['clash'], 'layers': 'events'}
    """
    out: dict[str, str | list[str]] = {}
    window = values.get("window")
    if window:
        out["start"], out["end"] = window[0].isoformat(), window[1].isoformat()
    if values.get("metric") not in (None, "claims"):
        out["metric"] = str(values["metric"])
    if values.get("province"):
        out["province"] = str(values["province"])
    selected = values.get("selected")
    if selected:
        out["area"] = f"{selected[1]}:{selected[0]}"
    if values.get("claim"):
        out["claim"] = str(values["claim"])
    if values.get("known") not in (None, LATEST):
        out["known"] = str(values["known"])
    if values.get("contested"):
        out["contested"] = "1"
    for param, key in FILTER_KEYS.items():
        if values.get(key):
            out[param] = [str(v) for v in values[key]]
    if values.get("precision") not in (None, 4):
        out["precision"] = str(values["precision"])
    for key, default in (("step", "week"), ("mode", "moving")):
        if values.get(key) not in (None, default):
            out[key] = str(values[key])
    shown = [name for name in layers if values.get(f"show_{name}", True)]
    if len(shown) != len(layers):
        out["layers"] = ",".join(shown)
    return out


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def decode_view(
    params: Mapping[str, Sequence[str]],
    *,
    span: tuple[date, date],
    metrics: Sequence[str],
    layers: Sequence[str],
    provinces: Sequence[str],
    districts: Sequence[str] = (),
    options: Mapping[str, Sequence[str]],
    known: Sequence[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """Return the view values a link's parameters give, and what was left out.

    Parameters
    ----------
    params : mapping
        Parameter -> every value given (``st.query_params.get_all``).
    span : tuple of date
        The data's first and last day; the window is clipped to it.
    metrics, layers, provinces, districts : sequence of str
        What the data offers (province codes, district ids).
    known : sequence of str
        The days "as known on" may take (:func:`known_days`).
    options : mapping
        ``filter_options``: "actors", "event_types", "statuses", "sources".

    Returns
    -------
    values : dict
        Session key -> value, only for the parameters given and valid.
    ignored : list of str
        ``"name=value"`` for each value left out.

    Examples
    --------
    >>> values, ignored = decode_view({"metric": ["fatalities"], "province": ["AF-XXX"]},
    ...     span=(date(2021, 8, 1), date(2023, 4, 1)), metrics=["claims", "fatalities"],
    ...     layers=["events"], provinces=["AF-PAN"], options={})
    >>> values, ignored
    ({'metric': 'fatalities'}, ['province=AF-XXX'])
    """
    values: dict[str, Any] = {}
    ignored: list[str] = []

    def one(name: str, allowed: Sequence[str]) -> str | None:
        given = list(params.get(name, ()))
        if not given:
            return None
        if given[-1] in allowed:
            return given[-1]
        ignored.append(f"{name}={given[-1]}")
        return None

    start = [_day(v) for v in params.get("start", ())]
    end = [_day(v) for v in params.get("end", ())]
    if start or end:
        lo = start[-1] if start and start[-1] else span[0]
        hi = end[-1] if end and end[-1] else span[1]
        for name, parsed in (("start", start), ("end", end)):
            if parsed and parsed[-1] is None:
                ignored.append(f"{name}={list(params[name])[-1]}")
        lo, hi = max(lo, span[0]), min(hi, span[1])
        if lo <= hi:
            values["window"] = (lo, hi)
        else:
            ignored.append(f"start..end={lo.isoformat()}..{hi.isoformat()} (outside the data)")
    if (metric := one("metric", metrics)) is not None:
        values["metric"] = metric
    if (province := one("province", provinces)) is not None:
        values["province"] = province
    area = list(params.get("area", ()))
    if area:
        kind, _, code = area[-1].partition(":")
        areas = provinces if kind == "province" else districts if kind == "district" else ()
        if code in areas:
            values["selected"] = (code, kind)
        else:
            ignored.append(f"area={area[-1]}")
    if params.get("claim"):
        values["claim"] = list(params["claim"])[-1]
    if (day := one("known", known)) is not None:
        values["known"] = day
    if (flag := one("contested", ("0", "1"))) is not None:
        values["contested"] = flag == "1"
    for param, key in FILTER_KEYS.items():
        given = list(params.get(param, ()))
        allowed = set(options.get(OPTIONS[key], ()))
        good = [v for v in dict.fromkeys(given) if v in allowed]
        ignored += [f"{param}={v}" for v in given if v not in allowed]
        if given:
            values[key] = good
    if (precision := one("precision", [str(p) for p in settings.LOCATION_PRECISIONS])) is not None:
        values["precision"] = int(precision)
    if (step := one("step", STEPS)) is not None:
        values["step"] = step
    if (mode := one("mode", MODES)) is not None:
        values["mode"] = mode
    if params.get("layers"):
        shown = [n for n in list(params["layers"])[-1].split(",") if n]
        ignored += [f"layers={n}" for n in shown if n not in layers]
        values.update({f"show_{n}": n in shown for n in layers})
    return values, ignored


# --- what the map page reports, applied to the view (the app's callbacks) ---------------
def follow_window(values: MutableMapping[str, Any], window: Sequence[str]) -> None:
    """Follow the map's window when its playback pauses (two ISO days)."""
    values["window"] = (date.fromisoformat(window[0]), date.fromisoformat(window[1]))


def select_area(values: MutableMapping[str, Any], clicked: Mapping[str, str] | None) -> None:
    """Select an area clicked in the map; a province is also shown with its districts.

    >>> v = {}; select_area(v, {"code": "AF-PAN", "kind": "province"}); v
    {'selected': ('AF-PAN', 'province'), 'claim': None, 'province': 'AF-PAN'}
    """
    if clicked and clicked.get("code"):
        kind = clicked.get("kind", "province")
        values.update(selected=(clicked["code"], kind), claim=None)
        if kind == "province":
            values["province"] = clicked["code"]


def select_claim(values: MutableMapping[str, Any], event_ids: Sequence[str], row: int) -> None:
    """Select the claim whose marker was clicked (its row in the page's columns)."""
    values.update(claim=str(event_ids[row]), selected=None)


def clear_selection(values: MutableMapping[str, Any]) -> None:
    """Return to the national view: no area, no claim, no province."""
    values.update(selected=None, claim=None, province="")
