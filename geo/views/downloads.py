"""What the app offers for download: each layer's file, named and described.

:func:`download_files` gives each shown layer as RFC 7946 GeoJSON, the events also as
a claims CSV with its metadata sidecar: the bytes ``armap export`` writes, built in
memory only when a download is clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.claims import Filters
from geo.io import download_name, export_metadata, layer_bytes, metadata_bytes

__all__ = ["download_files", "stance_records"]


def download_files(
    frames: Mapping[str, gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame]],
    *,
    filters: Filters,
    source: str,
    generated: datetime | None = None,
    stances: pd.DataFrame | None = None,
) -> dict[str, tuple[Callable[[], bytes], str]]:
    """Return what the app offers for download: file name -> (make bytes, MIME type).

    Each layer is RFC 7946 GeoJSON of its frame (filtered exactly as on screen, at
    full resolution, as :func:`map_frames` gives them); the events also as CSV in the
    claims format, loadable again, with a sidecar ``<csv name>.json`` holding the
    CSV's metadata (the CSV itself stays a claims file). Both are the bytes ``armap
    export`` writes to a ``.geojson`` or ``.csv`` file (:func:`geo.io.layer_bytes`),
    built in memory. The makers are called only when a download is clicked; a frame
    may be given as a function that makes it, so that nothing is computed before.

    File names carry the layer, the filters set and the window
    (:func:`geo.io.download_name`); every file records its window, filters, source,
    generation time and licence (:func:`geo.io.export_metadata`: GeoJSON's top-level
    ``metadata`` member, the CSV's sidecar).

    Parameters
    ----------
    frames : mapping
        Layer name -> its frame, or a function that makes it.
    filters : geo.claims.Filters
        The window and filters the frames were made with.
    source : str
        The events file's name (``MapData.source``).
    generated : datetime, optional
        The generation time written (default: when a maker is called), timezone-aware.
    stances : pandas.DataFrame, optional
        ``MapData.stances`` (as known on the day chosen): the events' and presence's
        files record the stances on their claims (:func:`stance_records`).

    Returns
    -------
    dict
        File name -> (function returning the bytes, MIME type).

    Examples
    --------
    >>> from datetime import date
    >>> f = Filters(start=date(2022, 3, 1), end=date(2022, 6, 30), actors=["X (NRF)"])
    >>> sorted(download_files({"events": frame}, filters=f, source="events.csv"))  # doctest: +SKIP
    ['events_NRF_2022-03-01_2022-06-30.csv', 'events_NRF_2022-03-01_2022-06-30.csv.json',
     'events_NRF_2022-03-01_2022-06-30.geojson']
    """

    def meta(layer: str, frame: Any) -> dict[str, Any]:
        said = None if stances is None else stance_records(_made(frame), stances, layer=layer)
        return export_metadata(layer, filters, source=source, generated=generated, stances=said)

    def geojson(layer: str, frame: Any) -> Callable[[], bytes]:
        return lambda: layer_bytes(
            _made(frame), "geojson", layer_name=layer, metadata=meta(layer, frame)
        )

    files: dict[str, tuple[Callable[[], bytes], str]] = {
        download_name(name, filters, ".geojson"): (geojson(name, frame), "application/geo+json")
        for name, frame in frames.items()
    }
    if "events" in frames:
        events = frames["events"]
        files[download_name("events", filters, ".csv")] = (
            lambda: layer_bytes(_made(events), "csv", layer_name="events"),
            "text/csv",
        )
        files[download_name("events", filters, ".csv.json")] = (
            lambda: metadata_bytes(meta("events", events)),
            "application/json",
        )
    return files


def stance_records(
    frame: pd.DataFrame, stances: pd.DataFrame, *, layer: str
) -> list[dict[str, Any]] | None:
    """Return the stances on a layer's claims, one record per stance (None: no claims).

    For the ``events`` and ``presence`` layers: each stance that addresses one of the
    frame's claims (``event_id``; a presence area's ``presence_ids``), with the ids it
    addresses there, the party, the stance, the day it was reported, its first quote
    and the fatality figure it states (``fatalities``: a number, or None where it
    states none; each side's own figure, side by side). Stances implied by a file
    without any (``implied-``) are left out: they say no more than the rows'
    ``claim_status`` and ``claimed_by``.

    >>> s = pd.DataFrame({"stance_id": ["s1", "s1"], "claim_id": ["e1", "e2"],
    ...     "party": "T", "stance": "denies", "reported": pd.Timestamp("2022-06-21"),
    ...     "quote": "untrue", "fatalities": pd.array([None, 2], dtype="Int64")})
    >>> stance_records(pd.DataFrame({"event_id": ["e2"]}), s, layer="events")
    [{'stance_id': 's1', 'addresses': ['e2'], 'party': 'T', 'stance': 'denies', \
'reported': '2022-06-21', 'quote': 'untrue', 'fatalities': 2}]
    """
    if layer == "events" and "event_id" in frame:
        ids = set(frame["event_id"].astype(str))
    elif layer == "presence" and "presence_ids" in frame:
        ids = set(frame["presence_ids"].astype(str).str.split("; ").explode())
    else:
        return None
    mine = stances[stances["claim_id"].isin(ids) & ~stances["stance_id"].str.startswith("implied-")]
    records = []
    for stance_id, group in mine.sort_values(["reported", "stance_id"]).groupby(
        "stance_id", sort=False
    ):
        first = group.iloc[0]
        figure = first.get("fatalities")
        records.append(
            {
                "stance_id": str(stance_id),
                "addresses": sorted(group["claim_id"].astype(str)),
                "party": str(first["party"]),
                "stance": str(first["stance"]),
                "reported": pd.Timestamp(first["reported"]).strftime("%Y-%m-%d"),
                "quote": str(first.get("quote", "") or ""),
                "fatalities": None if figure is None or pd.isna(figure) else int(figure),
            }
        )
    return records


def _made(frame: gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return frame() if callable(frame) else frame
