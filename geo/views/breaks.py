"""Class breaks for the choropleths, computed over the whole time span.

Counts get "nice" edges (1, 2, 5, 10 ...) up to the largest value any area reaches
over the whole span with the other filters applied; recency and presence have fixed
edges. So the colours keep their meaning while the window moves.
"""

from __future__ import annotations

import math
from typing import Final

import geopandas as gpd
import pandas as pd

from geo.claims import Filters
from geo.views.frames import _check, layer_frame

__all__ = ["PRESENCE_BREAKS", "RECENCY_BREAKS", "metric_breaks", "nice_breaks"]

#: Fixed class edges for recency (days): a week, a month, three months, a year.
RECENCY_BREAKS: Final = (0.0, 8.0, 31.0, 91.0, 366.0, math.inf)
#: Presence levels 1-3 as classes [1, 2), [2, 3), [3, 4].
PRESENCE_BREAKS: Final = (1.0, 2.0, 3.0, 4.0)


def nice_breaks(maximum: float, *, max_classes: int = 6) -> tuple[float, ...]:
    """Return class edges 1, 2, 5, 10 ... covering ``maximum`` in at most ``max_classes``.

    Zero is "none" (drawn apart); the first class starts at 1. The steps are the finest
    of 1-2-5, 1-3 and powers of ten that fit in ``max_classes``.

    Examples
    --------
    >>> nice_breaks(37)
    (1, 2, 5, 10, 20, 50)
    >>> nice_breaks(0)
    (1, 2)
    >>> nice_breaks(900)
    (1, 3, 10, 30, 100, 300, 1000)
    """
    top = max(float(maximum), 1.0)
    for steps in ((1, 2, 5), (1, 3), (1,)):
        edges: list[int] = []
        power = 0
        while not edges or edges[-1] <= top:
            edges.extend(s * 10**power for s in steps)
            power += 1
        cut = next(i for i, e in enumerate(edges) if e > top)
        if cut <= max_classes:
            return tuple(edges[: cut + 1])
    step = math.ceil(math.log10(top + 1) / max_classes)
    return tuple(10 ** (i * step) for i in range(max_classes + 1))


def metric_breaks(
    layer: str,
    *,
    events: gpd.GeoDataFrame,
    presence: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    filters: Filters = Filters(),
    metric: str = "claims",
) -> tuple[float, ...]:
    """Return class edges for ``metric`` on an area layer, over the whole time span.

    Counts (claims, fatalities) get "nice" edges up to the largest value any area
    reaches over the whole span with the other filters applied (a window can only hold
    fewer); recency and presence have fixed edges. So the colours do not shift while
    the window moves.

    Parameters
    ----------
    layer : {"provinces", "districts"}
    events, presence, provinces, districts, filters, metric
        As for :func:`layer_frame`; the window of ``filters`` is ignored.

    Returns
    -------
    tuple of float
        Increasing edges; class ``i`` is ``[edges[i], edges[i+1])``.

    Raises
    ------
    ValueError
        For a layer other than provinces or districts, or an unknown metric.

    Examples
    --------
    >>> metric_breaks("provinces", events=ev, presence=pr, provinces=prov)  # doctest: +SKIP
    (1, 2, 5, 10, 20)
    """
    _check(layer, metric)
    if layer not in ("provinces", "districts"):
        raise ValueError(f"class breaks are for area layers (provinces, districts), not {layer!r}")
    if metric == "days_since_last":
        return RECENCY_BREAKS
    if metric == "presence_level":
        return PRESENCE_BREAKS
    whole = layer_frame(
        layer,
        events=events,
        presence=presence,
        provinces=provinces,
        districts=districts,
        filters=filters.without_window(),
        metric=metric,
    )
    top = pd.to_numeric(whole["value"], errors="coerce").max()
    return nice_breaks(0 if pd.isna(top) else float(top))
