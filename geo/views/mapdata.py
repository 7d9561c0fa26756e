"""What the app loads once and computes per rerun: the map's data and its derivatives.

:func:`load_map_data` loads, validates and joins everything once (the app caches it
as :class:`MapData`); the other functions take a :class:`MapData` and the current
filters and return what one rerun of the page needs: layer frames (for the details
and the downloads), class breaks, the timeline, the filter options, the download files.

Every frame and figure is computed on the full-resolution polygons, so the downloads
are what ``armap export`` writes; the map's page draws the display-simplified ones
(``display_provinces``, ``display_districts``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import _files, boundaries, join, settings
from geo.claims import (
    Filters,
    apply_stances,
    filter_events,
    known_as_of,
    read_claims,
    read_stances_for,
)
from geo.errors import ClaimsFileError, DistrictsNotInstalledError
from geo.views.breaks import metric_breaks
from geo.views.frames import LAYERS, data_span, layer_frame, prepare_events

__all__ = [
    "MapData",
    "breaks_for",
    "claims_timeline",
    "file_version",
    "filter_options",
    "load_map_data",
    "map_frames",
]


@dataclass(frozen=True)
class MapData:
    """Everything the map needs, loaded once (the app caches it).

    Attributes
    ----------
    key : str
        Identifies the inputs (file names and content hashes); the app's caches key
        on it instead of hashing the frames.
    source : str
        The events file's name.
    events : geopandas.GeoDataFrame
        Loaded events joined to provinces and districts (:func:`prepare_events`).
    presence : geopandas.GeoDataFrame
        Loaded presence rows.
    provinces, districts : geopandas.GeoDataFrame
        Full-resolution polygons: joins, figures (``area_km2``) and downloads use
        them; districts None when not installed.
    display_provinces, display_districts : geopandas.GeoDataFrame
        The same, simplified for the map's page (shared borders kept).
    neighbours : geopandas.GeoDataFrame
        Neighbouring countries (offline basemap).
    problems : tuple of str
        Rows the loaders rejected, and stances that do not fit, as messages (the app
        shows them).
    span : tuple of date
        First and last day of the data.
    stances : pandas.DataFrame
        One row per (stance, claim) for the loaded events and presence
        (:mod:`geo.claims.stances`); their ``claim_status`` is derived from it.
    notes : tuple of str
        What the page should say about the data (e.g. claims without stances).
    """

    key: str
    source: str
    events: gpd.GeoDataFrame
    presence: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame | None
    display_provinces: gpd.GeoDataFrame
    display_districts: gpd.GeoDataFrame | None
    neighbours: gpd.GeoDataFrame
    problems: tuple[str, ...]
    span: tuple[date, date]
    stances: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    notes: tuple[str, ...] = ()


def load_map_data(
    events_path: Path | str = settings.EVENTS_PATH,
    *,
    presence_path: Path | str = settings.PRESENCE_PATH,
    districts_path: Path | str = settings.DISTRICTS_PATH,
    events_bytes: bytes | None = None,
    events_name: str = "upload.csv",
    tolerance: float = 0.005,
) -> MapData:
    """Load, validate and join everything the map shows; simplify polygons for drawing.

    Bad rows are not fatal here: they are left out and reported in ``problems`` (the
    app lists them), so one typo does not take the whole map down. The claims'
    stances are the ``stances.csv`` beside each file (``data/stances.csv`` for the
    shipped files) and their ``claim_status`` is derived from them; an uploaded
    events file, or a file without one, has none: each row's ``claim_status`` stands
    as one stance, and ``notes`` says so (:func:`geo.claims.read_stances_for`).

    Parameters
    ----------
    events_path : Path or str
        The events CSV (ignored when ``events_bytes`` is given).
    presence_path : Path or str
        The presence CSV.
    districts_path : Path or str
        The installed district layer; a missing file means "no districts".
    events_bytes : bytes, optional
        An uploaded events file's content.
    events_name : str
        The uploaded file's name (for messages).
    tolerance : float, default 0.005
        Display simplification in degrees (about 500 m), for ``display_provinces``
        and ``display_districts`` only.

    Returns
    -------
    MapData

    Raises
    ------
    ClaimsFileError
        If a claims file cannot be read at all.
    BoundaryError
        If the province or neighbour layer cannot be read.
    NothingToShowError
        If no row is dated (nothing to show).

    Examples
    --------
    >>> data = load_map_data()  # doctest: +SKIP
    >>> data.span  # doctest: +SKIP
    (datetime.date(2021, 8, 1), datetime.date(2023, 4, 1))
    """
    provinces = boundaries.load_provinces()
    districts_file = Path(districts_path)
    districts = boundaries.installed_districts(districts_file)
    uploaded = events_bytes is not None
    if events_bytes is None:  # read once, bounded: a folder, FIFO or device is refused
        events_name = Path(events_path).name
        events_bytes = _files.read_bytes(events_path, what="claims file", error=ClaimsFileError)
    loaded = read_claims(
        events_bytes, kind="events", name=events_name, on_invalid="report", provinces=provinces
    )
    pres = read_claims(presence_path, kind="presence", on_invalid="report", provinces=provinces)
    event_stances, presence_stances, stance_problems, notes = read_stances_for(
        None if uploaded else events_path, presence_path, loaded, pres
    )
    events, event_stances, event_problems = apply_stances(
        loaded.data, event_stances, id_column="event_id", name=events_name
    )
    presence, presence_stances, presence_problems = apply_stances(
        pres.data, presence_stances, id_column="presence_id", name=Path(presence_path).name
    )
    joined = prepare_events(events, provinces, districts)
    all_problems = [*loaded.problems, *pres.problems, *stance_problems]
    all_problems += [*event_problems, *presence_problems]
    digest = hashlib.sha256(events_bytes or b"").hexdigest()[:16]
    others = [file_version(presence_path), file_version(districts_file)]
    key = f"{events_name}:{digest}:" + ":".join(f"{p}@{t}-{n}" for p, t, n in others)
    return MapData(
        key=key,
        source=events_name,
        events=joined,
        presence=presence,
        provinces=provinces,
        districts=districts,
        display_provinces=boundaries.simplify_for_display(provinces, tolerance),
        display_districts=(
            None if districts is None else boundaries.simplify_for_display(districts, tolerance)
        ),
        neighbours=boundaries.load_neighbours(),
        problems=tuple(map(str, all_problems)),
        span=data_span(joined, presence),
        stances=pd.concat([event_stances, presence_stances], ignore_index=True),
        notes=notes,
    )


def file_version(path: Path | str) -> tuple[str, int, int]:
    """Return a file's path, modification time (ns) and size: what an edit changes.

    The app keys its cache of :func:`load_map_data` on this for every path it
    passes, so an edited events, presence or district file is loaded again on the
    next rerun instead of staying stale until a restart.

    Parameters
    ----------
    path : Path or str
        Any path; a missing file gives ``(path, -1, -1)``.

    Returns
    -------
    tuple
        ``(str(path), st_mtime_ns, st_size)``.

    Examples
    --------
    >>> file_version("no/such/file.csv")
    ('no/such/file.csv', -1, -1)
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return str(path), -1, -1
    return str(path), stat.st_mtime_ns, stat.st_size


def known_on(data: MapData, day: date | None) -> MapData:
    """Return ``data`` as known on ``day``: the claims reported by then, as they stood.

    Events and presence rows whose stances were all reported after ``day`` are left
    out; the others get the ``claim_status`` their stances reported by then derive
    (:func:`geo.claims.known_as_of`). The stances reported later are dropped too. The
    same ``data`` for None.

    Examples
    --------
    >>> known_on(data, date(2022, 5, 1)).events["claim_status"].value_counts()  # doctest: +SKIP
    """
    if day is None:
        return data
    stances = data.stances[data.stances["reported"] <= pd.Timestamp(day)]
    return dataclasses.replace(
        data,
        key=f"{data.key}@known:{day.isoformat()}",
        events=known_as_of(data.events, data.stances, day, id_column="event_id"),
        presence=known_as_of(data.presence, data.stances, day, id_column="presence_id"),
        stances=stances,
    )


def map_frames(
    data: MapData,
    *,
    filters: Filters,
    metric: str = "claims",
    province: str | None = None,
    layers: tuple[str, ...] = LAYERS,
) -> dict[str, gpd.GeoDataFrame]:
    """Return :func:`layer_frame` for each requested layer of ``data``.

    ``districts`` is only returned when districts are installed and a ``province``
    is chosen (the drill-down). The frames hold the full-resolution polygons (what
    the downloads and ``armap export`` write).

    Examples
    --------
    >>> frames = map_frames(data, filters=Filters(end=date(2022, 5, 1)))  # doctest: +SKIP
    >>> sorted(frames)  # doctest: +SKIP
    ['events', 'presence', 'provinces']
    """
    data = known_on(data, filters.known_on)
    out = {}
    for layer in layers:
        if layer == "districts" and (data.districts is None or province is None):
            continue
        out[layer] = layer_frame(
            layer,
            events=data.events,
            presence=data.presence,
            provinces=data.provinces,
            districts=data.districts,
            filters=filters,
            metric=metric,
            province=province,
        )
    return out


def breaks_for(data: MapData, *, layer: str, filters: Filters, metric: str) -> tuple[float, ...]:
    """Return :func:`metric_breaks` for ``data`` (the window of ``filters`` is ignored).

    Examples
    --------
    >>> breaks_for(data, layer="provinces", filters=Filters(), metric="claims")  # doctest: +SKIP
    (1, 2, 5, 10, 20)
    """
    if layer == "districts" and data.districts is None:
        raise DistrictsNotInstalledError("the district layer is not installed")
    return metric_breaks(
        layer,
        events=data.events,
        presence=data.presence,
        provinces=data.provinces,
        districts=data.districts,
        filters=filters.without_window(),
        metric=metric,
    )


def claims_timeline(data: MapData, *, filters: Filters, freq: str = "W") -> pd.DataFrame:
    """Return claims per period and event type over the whole span (window ignored).

    Examples
    --------
    >>> claims_timeline(data, filters=Filters()).columns.tolist()  # doctest: +SKIP
    ['period_start', 'event_type', 'claims']
    """
    events = known_on(data, filters.known_on).events
    return join.claims_per_period(filter_events(events, filters.without_window()), freq=freq)


def province_labels(data: MapData) -> dict[str, str]:
    """Return each province's name with its Dari name, by code, sorted by name.

    Examples
    --------
    >>> province_labels(data)["AF-PAN"]  # doctest: +SKIP
    'Panjshir · ولایت پنجشیر'
    """
    p = data.provinces.sort_values(settings.PROVINCE_NAME)
    names, dari = p[settings.PROVINCE_NAME].astype(str), p[settings.PROVINCE_FA].fillna("")
    labels = np.where(dari != "", names + " · " + dari.astype(str), names)
    return dict(zip(p[settings.PROVINCE_CODE].astype(str), labels.tolist(), strict=True))


def filter_options(data: MapData) -> dict[str, list[str]]:
    """Return the values offered by each filter: actors and groups, types, statuses, sources.

    Examples
    --------
    >>> filter_options(data)["statuses"]  # doctest: +SKIP
    ['claimed', 'denied', 'acknowledged', 'corroborated']
    """
    ev = data.events
    actors = pd.concat([ev["actor1"], ev["actor2"], data.presence["group"]]).dropna()
    outlets = ev["sources"].explode().dropna().map(lambda s: s.get("outlet", ""))
    return {
        "actors": sorted({a.strip() for a in actors.astype(str) if a.strip()}),
        "event_types": [t for t in settings.EVENT_TYPES if t in set(ev["event_type"])],
        "statuses": list(settings.CLAIM_STATUSES),
        "sources": sorted({o for o in outlets.astype(str) if o}),
        "groups": sorted(set(data.presence["group"].dropna().astype(str))),
    }
