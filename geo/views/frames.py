"""What each map layer holds: the features and properties for a window and filters.

:func:`layer_frame` returns exactly the features and properties of a map layer for a
set of :class:`Filters`; the app draws it (``layers/``), offers it for download as
RFC 7946 GeoJSON, and the command line writes it. The public front is
:mod:`geo.views`.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import join, settings
from geo.claims import Filters, filter_events, filter_presence
from geo.errors import DistrictsNotInstalledError, NothingToShowError

__all__ = [
    "AREA_POINT",
    "EXACT",
    "LAYERS",
    "METRICS",
    "UNMAPPED",
    "data_span",
    "layer_frame",
    "prepare_events",
]

LAYERS: Final = ("provinces", "districts", "events", "presence")
#: Choropleth metrics (columns of :func:`geo.join.aggregate`).
METRICS: Final = ("claims", "fatalities", "days_since_last", "presence_level")
#: ``geometry_kind`` of an event: its own point, its area's representative point, none.
EXACT, AREA_POINT, UNMAPPED = "exact", "area-representative-point", "unmapped"


#: Joined columns shown right after the CSV column they belong to.
_JOINED_AFTER: Final = {"province_code": "province_name", "district": "district_id"}
#: The exported/displayed event properties: the CSV columns in their order, each
#: joined column after its source, then how the event is drawn.
_EVENT_OUT_COLUMNS: Final = (
    *(
        name
        for column in settings.EVENT_COLUMNS
        for name in (column, _JOINED_AFTER.get(column))
        if name is not None
    ),
    "geometry_kind",
    "area_level",
)


def _check(layer: str, metric: str) -> None:
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; expected one of {list(LAYERS)}")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {list(METRICS)}")


def data_span(events: pd.DataFrame, presence: pd.DataFrame | None = None) -> tuple[date, date]:
    """Return the first and last day of the data (event spans and presence periods).

    Raises
    ------
    NothingToShowError
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
        raise NothingToShowError(
            "no dated events or presence rows: nothing to show (every row was left out, or "
            "the files are empty; `armap validate` lists the problems)"
        )
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

    Events pass through only when their join covered what is asked now: events joined
    without districts are joined again when districts are given (``join_events``
    records this in ``attrs["joined_with_districts"]``; joining again is idempotent,
    so a frame that lost its attrs is merely joined twice). Use the full-resolution
    polygons here (points near borders).

    Examples
    --------
    >>> joined = prepare_events(events, load_provinces())  # doctest: +SKIP
    """
    joined = "joined_by" in events.columns
    if joined and (districts is None or events.attrs.get("joined_with_districts", False)):
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
    pres = filter_presence(presence, filters, as_of=as_of)
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
    now = filter_presence(presence, filters, as_of=as_of)
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
    per_group["unnamed"] = per_group["group"].map(lambda g: settings.group_rank(g)[0])
    ordered = per_group.sort_values(  # a tie goes to the named group
        ["area_code", "level", "unnamed", "group"], ascending=[True, False, True, True]
    )
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
        Province polygons at full resolution: ``area_km2`` and the area points of
        vague claims are computed on them (swap in simplified ones afterwards with
        :func:`geo.views.shapes.with_area_shapes`).
    districts : geopandas.GeoDataFrame, optional
        District polygons at full resolution; needed for the ``districts`` layer.
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
        filter value :func:`geo.claims.filters.filter_events` rejects.
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
            "run `armap districts install` (or `make districts`)"
        )
    joined = prepare_events(events, provinces, districts)
    if layer in ("provinces", "districts"):
        return _areas(layer, joined, presence, provinces, districts, filters, metric, province)
    if layer == "events":
        return _place_events(filter_events(joined, filters), provinces, districts)
    as_of = _as_of(filters, joined, presence)
    return _presence_areas(presence, provinces, districts, filters, as_of)
