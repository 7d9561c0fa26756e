"""What the map shows: one code path for the map, the app's downloads and ``cli.py export``.

:func:`layer_frame` returns exactly the features and properties of a map layer for a
set of :class:`Filters`; the app draws it (``layers/``), offers it for download as
RFC 7946 GeoJSON, and the command line writes it. Class breaks for the choropleths
come from :func:`metric_breaks`, computed over the whole time span so the colours keep
their meaning while the window moves.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import boundaries, claims, export, join, settings
from geo.errors import DistrictsNotInstalledError

__all__ = [
    "LAYERS",
    "METRICS",
    "Filters",
    "MapData",
    "area_breaks",
    "area_events",
    "breaks_for",
    "claims_timeline",
    "data_span",
    "download_files",
    "event_table",
    "filter_events",
    "filter_options",
    "layer_frame",
    "load_map_data",
    "map_frames",
    "metric_breaks",
    "nice_breaks",
    "prepare_events",
    "step_window",
]

LAYERS: Final = ("provinces", "districts", "events", "presence")
#: Choropleth metrics (columns of :func:`geo.join.aggregate`).
METRICS: Final = ("claims", "fatalities", "days_since_last", "presence_level")
#: ``geometry_kind`` of an event: its own point, its area's representative point, none.
EXACT, AREA_POINT, UNMAPPED = "exact", "area-representative-point", "unmapped"

#: Fixed class edges for recency (days): a week, a month, three months, a year.
RECENCY_BREAKS: Final = (0.0, 8.0, 31.0, 91.0, 366.0, math.inf)
#: Presence levels 1-3 as classes [1, 2), [2, 3), [3, 4].
PRESENCE_BREAKS: Final = (1.0, 2.0, 3.0, 4.0)

_EVENT_OUT_COLUMNS: Final = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "event_type",
    "actor1",
    "actor2",
    "claimed_by",
    "claim_status",
    "location_name",
    "province_code",
    "province_name",
    "district",
    "district_id",
    "longitude",
    "latitude",
    "location_precision",
    "location_basis",
    "fatalities",
    "fatalities_claimed_by",
    "notes",
    "sources",
    "geometry_kind",
    "area_level",
)


@dataclass(frozen=True)
class Filters:
    """What the user selected; an empty tuple or None selects everything.

    Attributes
    ----------
    start, end : datetime.date, optional
        The window; an event is in it when its span overlaps it.
    actors : tuple of str
        Groups or actors (``actor1``/``actor2``; presence ``group``).
    event_types, statuses : tuple of str
        Values of ``settings.EVENT_TYPES`` and ``settings.CLAIM_STATUSES``.
    min_precision : int, optional
        The least precise location kept (2 keeps exact places and districts).
    sources : tuple of str
        Source outlets or files.
    """

    start: date | None = None
    end: date | None = None
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    min_precision: int | None = None
    sources: tuple[str, ...] = ()

    def without_window(self) -> Filters:
        """Return the same filters over the whole time span."""
        return replace(self, start=None, end=None)


def _check(layer: str, metric: str) -> None:
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; expected one of {list(LAYERS)}")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {list(METRICS)}")


def filter_events(events: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    """Apply ``filters`` to loaded events (see :func:`geo.claims.filter_events`).

    Examples
    --------
    >>> filter_events(events, Filters(event_types=("clash",)))  # doctest: +SKIP
    """
    return claims.filter_events(
        events,
        start=filters.start,
        end=filters.end,
        actors=filters.actors or None,
        event_types=filters.event_types or None,
        statuses=filters.statuses or None,
        min_precision=filters.min_precision,
        sources=filters.sources or None,
    )


def _filter_presence(presence: gpd.GeoDataFrame, filters: Filters, as_of: pd.Timestamp):
    now = claims.presence_as_of(presence, as_of)
    if filters.actors:
        now = claims.filter_presence(now, groups=filters.actors)
    return now


def data_span(events: pd.DataFrame, presence: pd.DataFrame | None = None) -> tuple[date, date]:
    """Return the first and last day of the data (event spans and presence periods).

    Raises
    ------
    ValueError
        If there are no events and no presence rows.

    Examples
    --------
    >>> data_span(events)  # doctest: +SKIP
    (datetime.date(2021, 8, 1), datetime.date(2023, 4, 1))
    """
    starts = [events["date_start"]]
    ends = [events["date_end"].fillna(events["date_start"])]
    if presence is not None and len(presence):
        starts.append(presence["period_start"])
        ends.append(presence["period_end"].fillna(presence["period_start"]))
    first = pd.concat(starts).min()
    last = pd.concat(ends).max()
    if pd.isna(first) or pd.isna(last):
        raise ValueError("no dated events or presence rows: nothing to show")
    return first.date(), last.date()


def _as_of(filters: Filters, events: pd.DataFrame, presence: pd.DataFrame) -> pd.Timestamp:
    if filters.end is not None:
        return pd.Timestamp(filters.end)
    if len(events) or len(presence):
        return pd.Timestamp(data_span(events, presence)[1])
    return pd.Timestamp.today().normalize()


def prepare_events(
    events: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Join loaded events to provinces (and districts) once; joined events pass through.

    Use the full-resolution polygons here (points near borders), and display-simplified
    ones in :func:`layer_frame`.

    Examples
    --------
    >>> joined = prepare_events(events, load_provinces())  # doctest: +SKIP
    """
    if "joined_by" in events.columns and (districts is None or "district_id" in events):
        return events
    return join.join_events(events, provinces, districts, on_unmatched="ignore")


def _place_events(
    ev: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None
) -> gpd.GeoDataFrame:
    """Give every event the geometry the map draws and say which kind it is."""
    precision = ev["location_precision"].astype("Int64").fillna(4).to_numpy(dtype=int)
    geoms = ev.geometry.to_numpy()
    has_point = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    exact = has_point & (precision == 1)
    prov_pts = join.area_points(provinces, key=settings.PROVINCE_CODE)
    prov_geom = prov_pts.reindex(ev["province_code"].astype(object).to_numpy()).to_numpy()
    use_district = np.zeros(len(ev), dtype=bool)
    dist_geom = np.full(len(ev), None, dtype=object)
    if districts is not None and "district_id" in ev:
        dist_pts = join.area_points(districts, key=settings.DISTRICT_ID)
        ids = ev["district_id"].astype(object).to_numpy()
        dist_geom = dist_pts.reindex(ids).to_numpy()
        use_district = ~exact & (precision == 2) & ~pd.isna(dist_geom)
    use_province = ~exact & ~use_district & (precision <= 3) & ~pd.isna(prov_geom)
    geometry = np.where(exact, geoms, np.where(use_district, dist_geom, prov_geom))
    geometry[~(exact | use_district | use_province)] = None
    out = ev.copy()
    out["geometry_kind"] = np.select(
        [exact, use_district | use_province], [EXACT, AREA_POINT], default=UNMAPPED
    )
    out["area_level"] = np.select(
        [exact, use_district, use_province], ["point", "district", "province"], default="none"
    )
    for column in ("province_name", "district_id"):
        if column not in out:
            out[column] = None
    cols = [c for c in _EVENT_OUT_COLUMNS if c in out.columns]
    return gpd.GeoDataFrame(out[cols], geometry=list(geometry), crs=settings.WGS84)


def _areas(
    layer: str,
    events: gpd.GeoDataFrame,
    presence: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    filters: Filters,
    metric: str,
    province: str | None,
) -> gpd.GeoDataFrame:
    as_of = _as_of(filters, events, presence)
    ev = filter_events(events, filters)
    pres = _filter_presence(presence, filters, as_of)
    if layer == "provinces":
        agg = join.aggregate(ev, provinces, key="province_code", presence=pres, as_of=as_of)
        agg = agg.rename(columns={"province_code": "area_code"})
        agg.insert(1, "province_code", agg["area_code"])
    else:
        assert districts is not None
        areas = districts if province is None else districts[districts["province_code"] == province]
        agg = join.aggregate(ev, areas, key=settings.DISTRICT_ID, presence=pres, as_of=as_of)
        agg = agg.rename(columns={settings.DISTRICT_ID: "area_code"})
        agg.insert(1, "province_code", areas["province_code"].to_numpy())
    agg.insert(2, "area_kind", layer[:-1])
    agg["metric"] = metric
    agg["value"] = agg[metric].astype("Float64")
    agg["as_of"] = as_of.date().isoformat()
    return agg[[*agg.columns.drop("geometry"), "geometry"]]


def _presence_areas(
    presence: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    filters: Filters,
    as_of: pd.Timestamp,
) -> gpd.GeoDataFrame:
    now = _filter_presence(presence, filters, as_of)
    now = now[now["location_precision"].astype("Int64").fillna(4).to_numpy() <= 3]
    now = join.join_events(now, provinces, districts, on_unmatched="ignore")
    on_district = now["district_id"].notna() & (now["location_precision"] == 2)
    if districts is None:
        on_district &= False
    code = np.where(on_district, now["district_id"].astype(object), now["province_code"])
    frame = pd.DataFrame(
        {
            "area_code": code,
            "area_kind": np.where(on_district, "district", "province"),
            "group": now["group"].to_numpy(),
            "level": now["level_value"].astype(int).to_numpy(),
            "presence_id": now["presence_id"].to_numpy(),
        }
    )
    columns = ["area_code", "area_kind", "name", "province_code", "level", "level_name"]
    columns += ["group", "groups", "presence_ids", "as_of"]
    if frame.empty:
        empty = gpd.GeoDataFrame({c: pd.Series([], dtype=object) for c in columns})
        return empty.set_geometry(gpd.GeoSeries([], crs=settings.WGS84))
    # Per area and group: the highest level; per area: the leading group.
    per_group = frame.groupby(["area_code", "area_kind", "group"], as_index=False).agg(
        level=("level", "max"), presence_ids=("presence_id", lambda s: "; ".join(sorted(s)))
    )
    names = {v: k for k, v in settings.PRESENCE_LEVELS.items()}
    per_group["text"] = per_group["group"] + " (" + per_group["level"].map(names) + ")"
    ordered = per_group.sort_values(["area_code", "level", "group"], ascending=[True, False, True])
    per_area = ordered.groupby(["area_code", "area_kind"], as_index=False, sort=False).agg(
        level=("level", "first"),
        group=("group", "first"),
        groups=("text", "; ".join),
        presence_ids=("presence_ids", "; ".join),
    )
    prov = provinces.set_index(settings.PROVINCE_CODE)
    shapes = prov[["name", "geometry"]].assign(province_code=prov.index)
    if districts is not None:
        dist = districts.set_index(settings.DISTRICT_ID)[["name", "province_code", "geometry"]]
        shapes = pd.concat([shapes, dist])
    per_area = per_area.join(shapes, on="area_code")
    per_area["level_name"] = per_area["level"].map(names)
    per_area["as_of"] = as_of.date().isoformat()
    # Districts drawn over their province: provinces first.
    per_area = per_area.sort_values(["area_kind", "area_code"], ascending=[False, True])
    out = gpd.GeoDataFrame(per_area[columns], geometry=per_area["geometry"].to_numpy())
    return out.set_crs(settings.WGS84).reset_index(drop=True)


def layer_frame(
    layer: str,
    *,
    events: gpd.GeoDataFrame,
    presence: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    filters: Filters = Filters(),
    metric: str = "claims",
    province: str | None = None,
) -> gpd.GeoDataFrame:
    """Return exactly the features and properties one map layer draws, EPSG:4326.

    Parameters
    ----------
    layer : {"provinces", "districts", "events", "presence"}
        Which layer.
    events : geopandas.GeoDataFrame
        Loaded events (joined with :func:`prepare_events` or not).
    presence : geopandas.GeoDataFrame
        Loaded presence rows.
    provinces : geopandas.GeoDataFrame
        Province polygons (display-simplified ones are fine).
    districts : geopandas.GeoDataFrame, optional
        District polygons; needed for the ``districts`` layer.
    filters : Filters
        Window and selections.
    metric : str, default "claims"
        One of :data:`METRICS`; copied into a ``value`` column of area layers.
    province : str, optional
        For ``districts``: only the districts of this province (drill-down).

    Returns
    -------
    geopandas.GeoDataFrame
        ``provinces``/``districts``: :func:`geo.join.aggregate` for the window with
        ``area_code``, ``province_code``, ``area_kind``, ``metric``, ``value`` and
        ``as_of``. ``events``: the filtered events (CSV columns plus
        ``province_name``, ``district_id``), geometry a Point for an exact place, the
        area's representative point otherwise, None for region/country claims, with
        ``geometry_kind`` ("exact", "area-representative-point", "unmapped") and
        ``area_level`` ("point", "district", "province", "none"). ``presence``: one
        row per area as of ``filters.end`` (default: the end of the data) with the
        highest ``level``, the leading ``group`` and every group in ``groups``.

    Raises
    ------
    ValueError
        For an unknown layer or metric (the message lists the allowed ones), or a
        filter value :func:`geo.claims.filter_events` rejects.
    DistrictsNotInstalledError
        For ``districts`` when ``districts`` is None.

    Examples
    --------
    >>> frame = layer_frame("provinces", events=ev, presence=pr, provinces=prov)  # doctest: +SKIP
    >>> frame[["area_code", "claims"]].head(2)  # doctest: +SKIP
    """
    _check(layer, metric)
    if layer == "districts" and districts is None:
        raise DistrictsNotInstalledError(
            "the districts layer needs the district polygons, which are not installed; "
            "run `python cli.py districts install` (or `make districts`)"
        )
    joined = prepare_events(events, provinces, districts)
    if layer in ("provinces", "districts"):
        return _areas(layer, joined, presence, provinces, districts, filters, metric, province)
    if layer == "events":
        return _place_events(filter_events(joined, filters), provinces, districts)
    as_of = _as_of(filters, joined, presence)
    return _presence_areas(presence, provinces, districts, filters, as_of)


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


def area_events(events_frame: pd.DataFrame, *, area_code: str, kind: str) -> pd.DataFrame:
    """Return the events of one province or district.

    Parameters
    ----------
    events_frame : pandas.DataFrame
        Rows of ``layer_frame("events", ...)``.
    area_code : str
        An ISO code (``AF-PAN``) or a ``district_id``.
    kind : {"province", "district"}

    Returns
    -------
    pandas.DataFrame
        The rows placed in that area (by point or by code or district name).

    Raises
    ------
    ValueError
        If ``kind`` is neither "province" nor "district".

    Examples
    --------
    >>> area_events(frame, area_code="AF-PAN", kind="province")  # doctest: +SKIP
    """
    if kind not in ("province", "district"):
        raise ValueError(f"kind must be 'province' or 'district', not {kind!r}")
    column = "province_code" if kind == "province" else "district_id"
    if column not in events_frame:
        return events_frame.iloc[0:0]
    return events_frame[(events_frame[column].astype(object) == area_code).to_numpy(bool)]


def _source_text(sources: Any) -> str:
    items = sources if isinstance(sources, list | tuple) else []
    parts = []
    for item in items:
        if not isinstance(item, dict):
            continue
        quote = str(item.get("quote", ""))
        parts.append(f"{item.get('outlet', '')} — {item.get('title', '')} — “{quote}”")
    return "\n".join(parts)


def event_table(events_frame: pd.DataFrame) -> pd.DataFrame:
    """Return events as a plain-text table for people: dates, who claims what, sources.

    Every value is plain text (the app shows it with ``st.dataframe``, which never
    interprets HTML).

    Parameters
    ----------
    events_frame : pandas.DataFrame
        Rows of ``layer_frame("events", ...)``.

    Returns
    -------
    pandas.DataFrame
        Columns Date, Type, Place, Precision, Actors, Claimed by, Status, Fatalities
        (claimed), Notes, Sources, ID; sorted by date.

    Examples
    --------
    >>> event_table(frame).columns[0]  # doctest: +SKIP
    'Date'
    """
    if events_frame.empty:
        return pd.DataFrame(columns=_TABLE_COLUMNS)
    f = events_frame.sort_values("date_start")
    start = f["date_start"].dt.strftime("%Y-%m-%d")
    end = f["date_end"].dt.strftime("%Y-%m-%d").fillna("open")
    dates = np.where(start == end, start, start + " – " + end + " (" + f["date_precision"] + ")")
    precision = f["location_precision"].map(lambda p: settings.LOCATION_PRECISIONS.get(p, "?"))
    place = f["location_name"].astype(str)
    province = f.get("province_name", f["province_code"]).fillna("").astype(str)
    actors: pd.Series = f["actor1"].astype(str) + np.where(
        f["actor2"].fillna("").astype(str) != "", " vs " + f["actor2"].fillna("").astype(str), ""
    )
    fatal = f["fatalities"].astype("Int64").astype("string").fillna("")
    by = f["fatalities_claimed_by"].fillna("").astype(str)
    fatal = fatal.where(fatal == "", fatal + " (per " + by + ")")
    table = pd.DataFrame(
        {
            "Date": dates,
            "Type": f["event_type"].astype(str),
            "Place": np.where(province != "", place + ", " + province, place),
            "Precision": precision.astype(str),
            "Actors": actors,
            "Claimed by": f["claimed_by"].astype(str),
            "Status": f["claim_status"].astype(str),
            "Fatalities (claimed)": fatal.astype(str),
            "Notes": f["notes"].fillna("").astype(str),
            "Sources": f["sources"].map(_source_text),
            "ID": f["event_id"].astype(str),
        }
    )
    return table.reset_index(drop=True)


_TABLE_COLUMNS: Final = [
    "Date",
    "Type",
    "Place",
    "Precision",
    "Actors",
    "Claimed by",
    "Status",
    "Fatalities (claimed)",
    "Notes",
    "Sources",
    "ID",
]


# --- what the app loads once and computes per rerun ---------------------------------
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
        Display-simplified polygons (shared borders kept); districts None when not
        installed.
    neighbours : geopandas.GeoDataFrame
        Neighbouring countries (offline basemap).
    problems : tuple of str
        Rows the loaders rejected, as messages (the app shows them).
    span : tuple of date
        First and last day of the data.
    """

    key: str
    source: str
    events: gpd.GeoDataFrame
    presence: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame | None
    neighbours: gpd.GeoDataFrame
    problems: tuple[str, ...]
    span: tuple[date, date]


def load_map_data(
    events_path: Path | str = settings.EVENTS_PATH,
    *,
    presence_path: Path | str = settings.PRESENCE_PATH,
    districts_path: Path | str = settings.DISTRICTS_PATH,
    events_bytes: bytes | None = None,
    events_name: str = "upload.csv",
    tolerance: float = 0.005,
) -> MapData:
    """Load, validate, join and simplify everything the map shows.

    Bad rows are not fatal here: they are left out and reported in ``problems`` (the
    app lists them), so one typo does not take the whole map down.

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
        Display simplification in degrees (about 500 m).

    Returns
    -------
    MapData

    Raises
    ------
    ClaimsFileError
        If a claims file cannot be read at all.
    BoundaryError
        If the province or neighbour layer cannot be read.
    ValueError
        If no row is dated (nothing to show).

    Examples
    --------
    >>> data = load_map_data()  # doctest: +SKIP
    >>> data.span  # doctest: +SKIP
    (datetime.date(2021, 8, 1), datetime.date(2023, 4, 1))
    """
    provinces = boundaries.load_provinces()
    districts_file = Path(districts_path)
    districts = (
        boundaries.load_districts(districts_file)
        if boundaries.districts_installed(districts_file)
        else None
    )
    if events_bytes is None:
        events_bytes = Path(events_path).read_bytes() if Path(events_path).exists() else None
        events_name = Path(events_path).name
        loaded = claims.read_events(events_path, on_invalid="report", provinces=provinces)
    else:
        loaded = claims.read_events_bytes(
            events_bytes, name=events_name, on_invalid="report", provinces=provinces
        )
    pres = claims.read_presence(presence_path, on_invalid="report", provinces=provinces)
    joined = prepare_events(loaded.data, provinces, districts)
    digest = hashlib.sha256(events_bytes or b"").hexdigest()[:16]
    pres_stamp = Path(presence_path).stat().st_mtime_ns
    key = f"{events_name}:{digest}:{Path(presence_path).name}:{pres_stamp}:{districts is not None}"
    return MapData(
        key=key,
        source=events_name,
        events=joined,
        presence=pres.data,
        provinces=boundaries.simplify_for_display(provinces, tolerance),
        districts=(
            None if districts is None else boundaries.simplify_for_display(districts, tolerance)
        ),
        neighbours=boundaries.load_neighbours(),
        problems=tuple(str(p) for p in [*loaded.problems, *pres.problems]),
        span=data_span(joined, pres.data),
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
    is chosen (the drill-down).

    Examples
    --------
    >>> frames = map_frames(data, filters=Filters(end=date(2022, 5, 1)))  # doctest: +SKIP
    >>> sorted(frames)  # doctest: +SKIP
    ['events', 'presence', 'provinces']
    """
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


def area_breaks(
    data: MapData, *, filters: Filters, metric: str, layers: tuple[str, ...]
) -> dict[str, tuple[float, ...]]:
    """Return :func:`breaks_for` of each area layer among ``layers`` (others skipped).

    Examples
    --------
    >>> area_breaks(data, filters=Filters(), metric="claims", layers=LAYERS)  # doctest: +SKIP
    {'provinces': (1, 2, 5, 10, 20)}
    """
    return {
        layer: breaks_for(data, layer=layer, filters=filters, metric=metric)
        for layer in ("provinces", "districts")
        if layer in layers
    }


def download_files(frames: dict[str, gpd.GeoDataFrame]) -> dict[str, tuple[Any, str]]:
    """Return what the app offers for download: file name -> (make bytes, MIME type).

    Each layer is RFC 7946 GeoJSON of its frame (filtered exactly as on screen; the
    same bytes ``cli.py export`` writes, via :func:`geo.export.layer_bytes`); the
    events also as CSV in the claims format, loadable again. The makers are called
    only when a download is clicked.

    Examples
    --------
    >>> sorted(download_files({"events": frame}))  # doctest: +SKIP
    ['events.csv', 'events.geojson']
    """
    files: dict[str, tuple[Any, str]] = {
        f"{name}.geojson": (
            lambda f=frame, n=name: export.layer_bytes(f, "geojson", layer_name=n),
            "application/geo+json",
        )
        for name, frame in frames.items()
    }
    if "events" in frames:
        events = frames["events"]
        files["events.csv"] = (
            lambda: claims.events_to_csv_frame(events).to_csv(index=False).encode(),
            "text/csv",
        )
    return files


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
    return join.claims_per_period(filter_events(data.events, filters.without_window()), freq=freq)


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


def step_window(
    window: tuple[date, date], span: tuple[date, date], *, days: int, cumulative: bool = False
) -> tuple[tuple[date, date], bool]:
    """Move a window one step forward for playback.

    Parameters
    ----------
    window : tuple of date
        The current window.
    span : tuple of date
        The data's span; the window never leaves it.
    days : int
        Step length (7 for a week, 30 for a month).
    cumulative : bool, default False
        Keep the start (the window grows) instead of moving both ends.

    Returns
    -------
    tuple
        The new window and whether playback reached the end of the span. A window
        that already covers the whole span restarts as the first step.

    Examples
    --------
    >>> span = (date(2022, 1, 1), date(2022, 3, 1))
    >>> step_window((date(2022, 1, 1), date(2022, 1, 7)), span, days=7)
    ((datetime.date(2022, 1, 8), datetime.date(2022, 1, 14)), False)
    """
    first, last = span
    start, end = window
    step = pd.Timedelta(days=days).to_pytimedelta()
    if (start, end) == (first, last):
        return (first, min(first + step, last)), False
    if end >= last:
        return window, True
    new_end = min(end + step, last)
    new_start = start if cumulative else min(start + step, new_end)
    return (new_start, new_end), new_end >= last
