"""What crosses to the browser once per dataset and filter set, and what stays per window.

:func:`browser_data` gathers what the map's page needs for a dataset and a set of
filters, whatever the window: the events over the whole span (the ``events`` layer
frame, packed by :mod:`geo.views.payload`), the presence rows joined to their areas,
and the class breaks of every metric. :func:`publish` writes a file under the app's
static folder named by its content, so the browser fetches it once and a second
session (or a return to the same filters) finds it there. :func:`window_counts`
answers what the page shows around the map for a window, from the same frame,
without building the layers.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import _files, join, settings
from geo.claims import Filters, filter_presence
from geo.errors import ExportError
from geo.views.frames import METRICS, layer_frame
from geo.views.mapdata import MapData, breaks_for, known_on
from geo.views.payload import encode_events, payload_name

__all__ = ["BrowserData", "browser_data", "publish", "window_counts"]


@dataclass(frozen=True)
class BrowserData:
    """What the map's page needs for one dataset and filter set (any window).

    Attributes
    ----------
    events : geopandas.GeoDataFrame
        The ``events`` layer frame over the whole span (row ``i`` is the payload's
        event ``i``).
    payload : bytes
        The events' binary columns, gzip-compressed.
    payload_name : str
        Its content-addressed file name.
    presence : pandas.DataFrame
        Presence rows of the selected groups, joined (``province_code``,
        ``district_id``), every period.
    breaks : dict
        Layer -> metric -> class edges over the whole span.
    """

    events: gpd.GeoDataFrame
    payload: bytes
    payload_name: str
    presence: pd.DataFrame
    breaks: dict[str, dict[str, tuple[float, ...]]]


def browser_data(data: MapData, filters: Filters) -> BrowserData:
    """Build what the page needs for ``data`` and the selections of ``filters``.

    The window of ``filters`` is ignored: the page applies it.

    Examples
    --------
    >>> page = browser_data(load_map_data(), Filters())  # doctest: +SKIP
    >>> len(page.events), page.payload_name[:7]  # doctest: +SKIP
    (29, 'events-')
    """
    whole = filters.without_window()
    everything = data  # colours keep their meaning: breaks over all that is known now
    data = known_on(data, filters.known_on)
    events = layer_frame(
        "events",
        events=data.events,
        presence=data.presence,
        provinces=data.provinces,
        districts=data.districts,
        filters=whole,
    )
    codes = data.display_provinces[settings.PROVINCE_CODE].astype(str).tolist()
    ids = (
        []
        if data.display_districts is None
        else data.display_districts[settings.DISTRICT_ID].astype(str).tolist()
    )
    raw = encode_events(events, province_codes=codes, district_ids=ids)
    payload = gzip.compress(raw, compresslevel=5, mtime=0)
    presence = filter_presence(data.presence, whole)
    if len(presence):
        presence = join.join_events(presence, data.provinces, data.districts, on_unmatched="ignore")
    layers = ("provinces", "districts") if data.districts is not None else ("provinces",)
    breaks = {
        layer: {
            metric: tuple(breaks_for(everything, layer=layer, filters=whole, metric=metric))
            for metric in METRICS
        }
        for layer in layers
    }
    return BrowserData(
        events=events,
        payload=payload,
        payload_name=payload_name(raw, prefix="events", suffix=".bin.gz"),
        presence=pd.DataFrame(presence),
        breaks=breaks,
    )


#: How many published files a folder keeps (the least recently published go first).
KEEP_PUBLISHED = 200


def publish(content: bytes, name: str, folder: Path, *, keep: int = KEEP_PUBLISHED) -> Path:
    """Write ``content`` as ``folder/name`` unless a file of that name is there already.

    Names are content-addressed (:func:`geo.views.payload.payload_name`), so an
    existing file already holds these bytes (its time is refreshed). The write is
    atomic. The folder keeps the ``keep`` most recently published files.

    Raises
    ------
    ExportError
        If the folder cannot be created or written.

    Examples
    --------
    >>> publish(b"x", "events-2d711642b726b044.bin.gz", Path("static/data"))  # doctest: +SKIP
    """
    path = Path(folder) / name
    if path.is_file():
        os.utime(path)
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {path.parent}: {exc.strerror or exc}") from exc
    with _files.atomic_write(path, force=True, mode="wb") as fh:
        fh.write(content)
    _prune(path.parent, keep)
    return path


def _prune(folder: Path, keep: int) -> None:
    """Remove the least recently published files beyond ``keep``."""
    files = sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def window_counts(events: pd.DataFrame, filters: Filters) -> dict[str, Any]:
    """Count the events of a window: in it, on the map, not placeable.

    Parameters
    ----------
    events : pandas.DataFrame
        :attr:`BrowserData.events` (or any ``events`` layer frame).
    filters : Filters
        Only the window is used (the frame is already filtered).

    Returns
    -------
    dict
        ``events``, ``on_map``, ``unplaced`` and ``rows`` and ``unplaced_rows``: the
        positions in ``events`` of the window's events, and of those the map cannot
        draw (listed under it).

    Examples
    --------
    >>> window_counts(page.events, Filters(start="2022-04-01"))["events"]  # doctest: +SKIP
    12
    """
    keep = np.ones(len(events), dtype=bool)
    if filters.end is not None:
        keep &= (events["date_start"] <= pd.Timestamp(filters.end)).to_numpy()
    if filters.start is not None:
        end = events["date_end"]
        keep &= ((end >= pd.Timestamp(filters.start)) | end.isna()).to_numpy()
    unplaced = keep & (events["geometry_kind"] == "unmapped").to_numpy()
    return {
        "events": int(keep.sum()),
        "on_map": int(keep.sum() - unplaced.sum()),
        "unplaced": int(unplaced.sum()),
        "rows": np.flatnonzero(keep),
        "unplaced_rows": np.flatnonzero(unplaced),
    }
