"""The export's heavy step on a dask cluster: events joined to areas by dask-geopandas.

:func:`load_joined` loads and validates the claims like the map does (``read_claims``
on this machine: its checks across rows, such as repeated ids, need the whole file,
and its line numbers are the file's), then joins the events to provinces and districts
partition by partition on the cluster (``dask_geopandas`` ``map_partitions`` over
:func:`geo.join.join_events`, the polygons sent to every worker once). The join is
row by row, so the joined frame is the in-memory engine's, row for row and dtype for
dtype; :func:`geo.views.layer_frame` then filters, aggregates and places the events
exactly as for the map.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import _files, boundaries, join, settings
from geo.claims import read_claims
from geo.errors import ClaimsFileError

#: Events per partition, at least (fewer, larger partitions cost less to schedule).
PARTITION_ROWS = 20_000


@dataclass(frozen=True)
class JoinedData:
    """What an export needs, the events joined on the cluster.

    Attributes
    ----------
    events : geopandas.GeoDataFrame
        Loaded events joined to provinces (and districts), as
        :func:`geo.views.prepare_events` gives them.
    presence : geopandas.GeoDataFrame
        Loaded presence rows.
    provinces, districts : geopandas.GeoDataFrame
        Full-resolution polygons (districts None when not installed).
    problems : tuple of str
        Rows the loaders rejected, as messages.
    """

    events: gpd.GeoDataFrame
    presence: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame | None
    problems: tuple[str, ...]


def load_joined(
    client: Any,
    events_path: Path | str = settings.EVENTS_PATH,
    *,
    presence_path: Path | str = settings.PRESENCE_PATH,
    districts_path: Path | str = settings.DISTRICTS_PATH,
    partitions: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> JoinedData:
    """Load and validate the claims, then join the events to areas on a dask cluster.

    Parameters
    ----------
    client : distributed.Client
        The cluster (:func:`geo.batch.dask_client`).
    events_path, presence_path, districts_path : Path or str
        As for :func:`geo.views.load_map_data`; a missing districts file means none.
    partitions : int, optional
        How many partitions the events are joined in (default: one per
        ``PARTITION_ROWS`` events, at least one per worker thread when there are
        that many).
    progress : callable, optional
        Called as ``progress(stage, done, total)``: "load" once the claims are
        validated, then "join" per partition joined.

    Returns
    -------
    JoinedData

    Raises
    ------
    ClaimsFileError
        If a claims file cannot be read at all.
    BatchEngineError
        If dask is not installed.

    Examples
    --------
    >>> with dask_client() as client:  # doctest: +SKIP
    ...     data = load_joined(client, "data/events.csv")
    """
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers the GeoDataFrame partitions)
    from distributed import as_completed

    provinces = boundaries.load_provinces()
    districts = boundaries.installed_districts(districts_path)
    data = _files.read_bytes(events_path, what="claims file", error=ClaimsFileError)
    name = Path(events_path).name
    loaded = read_claims(data, kind="events", name=name, on_invalid="report", provinces=provinces)
    pres = read_claims(presence_path, kind="presence", on_invalid="report", provinces=provinces)
    events = loaded.data
    threads = sum(client.nthreads().values()) or 1
    count = partitions or min(max(1, len(events) // PARTITION_ROWS), threads) or 1
    count = max(1, min(count, len(events)))
    _tick(progress, "load", 0, count)
    bounds = np.linspace(0, len(events), count + 1).astype(int)
    pieces = client.scatter([events.iloc[a:b] for a, b in itertools.pairwise(bounds)])
    shapes = client.scatter([provinces, districts], broadcast=True)
    meta = join.join_events(events.iloc[:0], provinces, districts, on_unmatched="ignore")
    with dask.config.set({"dataframe.convert-string": False}):  # keep pandas' own str dtype
        frame = dd.from_delayed(pieces, meta=events.iloc[:0], verify_meta=False)
        joined = frame.map_partitions(join.join_events, *shapes, on_unmatched="ignore", meta=meta)
        futures = client.compute(joined.to_delayed())
    for done, _ in enumerate(as_completed(futures), start=1):
        _tick(progress, "join", done, count)
    parts = client.gather(futures)
    client.cancel([*pieces, *shapes])
    out = gpd.GeoDataFrame(pd.concat(parts), crs=settings.WGS84) if parts else meta
    out.attrs.update(unmatched_districts=[], joined_with_districts=districts is not None)
    return JoinedData(
        events=out,
        presence=pres.data,
        provinces=provinces,
        districts=districts,
        problems=tuple(str(p) for p in [*loaded.problems, *pres.problems]),
    )


def _tick(progress: Callable[[str, int, int], None] | None, stage: str, done: int, total: int):
    if progress is not None:
        progress(stage, done, total)
