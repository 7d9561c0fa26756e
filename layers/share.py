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
layers       the layers shown, comma-separated            provinces,events
actor, type, status, source  filters, repeated            type=clash&type=attack
precision    least precise location shown (1-4)           3
step, mode   playback step and window mode                month, cumulative
===========  ==========================================  ===================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from geo import settings

__all__ = ["FILTER_KEYS", "decode_view", "encode_view"]

#: Query parameter -> session key of the app's multiselect filters.
FILTER_KEYS = {"actor": "actors", "type": "types", "status": "statuses", "source": "sources"}
STEPS = ("week", "month")
MODES = ("moving", "cumulative")


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
        for name, given, parsed in (
            ("start", params.get("start"), start),
            ("end", params.get("end"), end),
        ):
            if given and parsed[-1] is None:
                ignored.append(f"{name}={list(given)[-1]}")
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
        known = provinces if kind == "province" else districts if kind == "district" else ()
        if code in known:
            values["selected"] = (code, kind)
        else:
            ignored.append(f"area={area[-1]}")
    if params.get("claim"):
        values["claim"] = list(params["claim"])[-1]
    choices = {
        "actors": "actors",
        "types": "event_types",
        "statuses": "statuses",
        "sources": "sources",
    }
    for param, key in FILTER_KEYS.items():
        given = list(params.get(param, ()))
        allowed = set(options.get(choices[key], ()))
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
