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

from geo.claims import Filters
from geo.io import download_name, export_metadata, layer_bytes, metadata_bytes

__all__ = ["download_files"]


def download_files(
    frames: Mapping[str, gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame]],
    *,
    filters: Filters,
    source: str,
    generated: datetime | None = None,
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

    def meta(layer: str) -> dict[str, Any]:
        return export_metadata(layer, filters, source=source, generated=generated)

    def geojson(layer: str, frame: Any) -> Callable[[], bytes]:
        return lambda: layer_bytes(_made(frame), "geojson", layer_name=layer, metadata=meta(layer))

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
            lambda: metadata_bytes(meta("events")),
            "application/json",
        )
    return files


def _made(frame: gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return frame() if callable(frame) else frame
