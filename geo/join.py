"""Events to areas: spatial join, aggregation per area, counts per period.

Rows with a point are joined to provinces (and districts) through the areas'
:class:`~geo.places.area_index.AreaIndex` (a grid built once per boundary set, exact
tests only at borders: the same answers as ``sjoin(..., predicate="intersects")``,
many times faster); rows without one are joined by their ``province_code`` and, when
districts are given, by their ``district`` name matched within the province
(:func:`geo.places.match_districts`). Each column is built whole: the index gives every
row an area's position, and codes and names are taken at those positions from the
areas' arrays (no merge, no copy of the events, no per-row work). Areas are measured in
the equal-area CRS (:func:`geo.boundaries.equal_area_crs`); everything returned is
EPSG:4326.

Dates (:mod:`geo.claims.dates`): :func:`claims_per_period` spreads a claim evenly
over the weeks or months its span touches; :func:`aggregate` reports as
``last_reported`` the latest report date (a source's ``published``, else the claim's
own latest date, counted in ``claims_without_report_date``).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geo import boundaries, settings
from geo.claims import filter_presence, report_dates, spread_over_periods
from geo.errors import BoundaryError
from geo.places import OnUnmatched, area_index, match_districts, report_unmatched

__all__ = ["aggregate", "area_points", "claims_per_period", "join_events"]

#: Actors that are not counted as active (resistance) groups in an area.
EXCLUDED_ACTORS = frozenset({"taliban", "civilians"})
FREQUENCIES = {"W": "W-SUN", "M": "M"}
#: How a row was joined (``joined_by``), by the codes 0, 1, 2 of :func:`join_events`.
_JOINED_BY = pa.array(["point", "code", "none"])


def _wgs84(gdf: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise BoundaryError(f"{what} have no CRS; set one (e.g. .set_crs('EPSG:4326'))")
    return gdf if gdf.crs.equals(settings.WGS84) else gdf.to_crs(settings.WGS84)


def _match_district_names(
    frame: pd.DataFrame, districts: gpd.GeoDataFrame
) -> tuple[pd.Series, pd.Series]:
    """Return district ids and names matched by (province_code, cleaned name); None if none."""
    rows = match_districts(frame["province_code"], frame["district"], districts)
    ids = _with_none(districts[settings.DISTRICT_ID])[rows]
    names = _with_none(districts[settings.DISTRICT_NAME])[rows]
    return (
        pd.Series(ids, index=frame.index, dtype=object),
        pd.Series(names, index=frame.index, dtype=object),
    )


def _then(values: np.ndarray, last: Any) -> np.ndarray:
    """Return ``values`` followed by ``last``: what position -1 takes from them."""
    out = np.empty(len(values) + 1, dtype=values.dtype)
    out[:-1], out[-1] = values, last
    return out


def _with_none(column: pd.Series) -> np.ndarray:
    """Return the column as objects (missing: None), and one None more for -1."""
    values = _then(column.to_numpy(dtype=object), None)
    values[pd.isna(values)] = None
    return values


def _coordinates(geom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the points' x and y; NaN for a row without a point (None or empty)."""
    try:
        return shapely.get_x(geom), shapely.get_y(geom)
    except shapely.errors.GEOSException:  # GEOS refuses the x of an empty point
        usable = ~shapely.is_empty(geom)
        x, y = np.full(len(geom), np.nan), np.full(len(geom), np.nan)
        x[usable], y[usable] = shapely.get_x(geom[usable]), shapely.get_y(geom[usable])
        return x, y


def _province_positions(stated: pd.Series, codes: np.ndarray) -> np.ndarray:
    """Return per row the position of its ``province_code`` among ``codes`` (-1: none)."""
    factor, uniques = pd.factorize(stated)
    lookup = np.append(pd.Index(codes).get_indexer(uniques), -1)
    return lookup[factor]


def join_events(
    events: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    *,
    on_unmatched: OnUnmatched = "warn",
) -> gpd.GeoDataFrame:
    """Give each claim its province (and district): by point, else by code and name.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Loaded events (or presence): ``province_code``, ``district`` and a geometry
        that is a Point for rows with coordinates and None otherwise.
    provinces : geopandas.GeoDataFrame
        With ``province_code``, ``name`` and polygons.
    districts : geopandas.GeoDataFrame, optional
        With ``district_id``, ``name``, ``province_code``; without it the district
        columns stay empty.
    on_unmatched : {"warn", "raise", "ignore"}, default "warn"
        What to do about a ``district`` name that matches no district of its
        province; the list is also kept in ``attrs["unmatched_districts"]``.
        ``attrs["joined_with_districts"]`` says whether ``districts`` was given.

    Returns
    -------
    geopandas.GeoDataFrame
        ``events`` (EPSG:4326, same index) with ``province_name``, ``district_id``,
        ``district_name`` and ``joined_by``: ``"point"`` (the point lies in a
        province; ``province_code`` is then that province's), ``"code"`` (joined by
        ``province_code``) or ``"none"`` (no province: precision 4 or unknown).

    Raises
    ------
    BoundaryError
        If a layer has no CRS.
    PlaceNotFoundError
        With ``on_unmatched="raise"``, if a district name matches nothing.

    Examples
    --------
    >>> joined = join_events(events, load_provinces())  # doctest: +SKIP
    >>> joined["joined_by"].value_counts()  # doctest: +SKIP
    """
    if on_unmatched not in ("warn", "raise", "ignore"):
        raise ValueError(f"on_unmatched must be 'warn', 'raise' or 'ignore', not {on_unmatched!r}")
    ev = _wgs84(events, "events")
    prov = _wgs84(provinces, "provinces")
    codes = prov[settings.PROVINCE_CODE].to_numpy(dtype=object)
    names = prov[settings.PROVINCE_NAME].to_numpy(dtype=object)
    geom = np.asarray(ev.geometry.values)
    x, y = _coordinates(geom)
    stated = _province_positions(ev["province_code"], codes)
    # A point on a shared border touches two provinces: the stated one wins if it is one.
    first, _ = area_index(prov.geometry.values).holders(x, y, prefer=stated)
    by_point = first >= 0
    province = np.where(by_point, first, stated)
    known = _then(pd.notna(names), False)[province]
    code_out = _then(codes, None)[province]
    other = np.flatnonzero(province < 0)  # not a province: the code as stated
    code_out[other] = ev["province_code"].iloc[other].to_numpy(dtype=object)
    how = np.full(len(ev), 2, dtype=np.int8)  # positions in _JOINED_BY
    how[known], how[by_point] = 1, 0
    columns: dict[str, Any] = {
        "province_code": pd.Series(code_out, dtype=object),
        "province_name": pd.Series(_then(names, np.nan)[province], dtype=object),
        "joined_by": pd.Series(pd.array(_JOINED_BY.take(pa.array(how)), dtype="str")),
    }
    district_id = np.full(len(ev), np.nan, dtype=object)
    district_name = np.full(len(ev), np.nan, dtype=object)
    report: list[dict[str, Any]] = []
    if districts is not None:
        dist = _wgs84(districts, "districts")
        held, _ = area_index(dist.geometry.values).holders(x, y)
        in_one = np.flatnonzero(held >= 0)
        district_id[in_one] = dist[settings.DISTRICT_ID].to_numpy(dtype=object)[held[in_one]]
        district_name[in_one] = dist[settings.DISTRICT_NAME].to_numpy(dtype=object)[held[in_one]]
        # Rows in no district but in a province: by the district name they give, if any.
        written, spellings = pd.factorize(ev["district"])
        blank = np.asarray(spellings.astype(str).str.strip() == "")
        named = np.flatnonzero((held < 0) & known & ~_then(blank, True)[written])
        stated_name = pd.Categorical.from_codes(written[named], categories=spellings)
        in_province = pd.Categorical.from_codes(province[named], categories=codes)
        rows = match_districts(in_province, stated_name, dist)
        district_id[named] = _with_none(dist[settings.DISTRICT_ID])[rows]
        district_name[named] = _with_none(dist[settings.DISTRICT_NAME])[rows]
        lost = named[rows < 0]
        report = report_unmatched(
            ev["line"].to_numpy()[lost] if "line" in ev else lost,
            codes[province[lost]],
            spellings.to_numpy(dtype=object)[written[lost]],
            dist,
            on_unmatched,
        )
    columns["district_id"] = pd.Series(district_id, dtype=object)
    columns["district_name"] = pd.Series(district_name, dtype=object)
    out = ev.reset_index(drop=True)
    for column, values in columns.items():
        out[column] = values
    out.index = events.index
    out.attrs["unmatched_districts"] = report
    out.attrs["joined_with_districts"] = districts is not None
    return out


def area_points(areas: gpd.GeoDataFrame, *, key: str) -> gpd.GeoSeries:
    """Return a point inside each area, for drawing claims placed only to an area.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Provinces or districts.
    key : str
        The column that names each area (``"province_code"``, ``"district_id"``); also
        accepted: ``"province_code"`` for provinces.

    Returns
    -------
    geopandas.GeoSeries
        Representative points (always inside the polygon, unlike centroids),
        indexed by ``key``, in EPSG:4326.

    Examples
    --------
    >>> area_points(load_provinces(), key="province_code")["AF-PAN"]  # doctest: +SKIP
    <POINT (69.9 35.4)>
    """
    column = _area_key(areas, key)
    gdf = _wgs84(areas, "areas")
    points = gdf.geometry.representative_point()
    return gpd.GeoSeries(
        points.to_numpy(), index=pd.Index(gdf[column].to_numpy(), name=key), crs=settings.WGS84
    )


def _area_key(areas: gpd.GeoDataFrame, key: str) -> str:
    if key == "province_code" and settings.PROVINCE_CODE in areas.columns:
        return settings.PROVINCE_CODE
    if key in areas.columns:
        return key
    raise ValueError(f"areas have no column {key!r}; columns: {list(areas.columns)}")


def _as_of(as_of: Any) -> pd.Timestamp:
    stamp = pd.Timestamp.today() if as_of is None else pd.Timestamp(as_of)
    if stamp is pd.NaT:
        raise ValueError(f"as_of must be a date such as '2022-04-29', not {as_of!r}")
    return stamp.normalize()


def _joined_for(frame: pd.DataFrame, areas: gpd.GeoDataFrame, key: str) -> pd.DataFrame:
    """Return ``frame`` with the ``key`` column the aggregation groups on."""
    if key == "province_code" and "joined_by" not in frame.columns and "geometry" in frame:
        return join_events(gpd.GeoDataFrame(frame), areas)
    if key == settings.DISTRICT_ID and key not in frame.columns:
        ids, _ = _match_district_names(frame, areas)
        return frame.assign(**{key: ids})
    if key not in frame.columns:
        raise ValueError(
            f"claims have no column {key!r}: join them first with "
            "join_events(events, provinces, districts)"
        )
    return frame


def _groups(keys: pd.Series, *actors: pd.Series) -> pd.Series:
    """Return the '; '-joined sorted group names per key (excluded actors left out)."""
    flat = pd.DataFrame(
        {"key": pd.concat([keys] * len(actors)), "actor": pd.concat(actors).astype(object)}
    )
    names = flat["actor"].fillna("").astype(str)
    kept = (names.str.strip() != "") & ~names.str.strip().str.casefold().isin(EXCLUDED_ACTORS)
    pairs = flat[kept.to_numpy()].drop_duplicates()
    return pairs.groupby("key")["actor"].agg(lambda s: "; ".join(sorted(s)))


def aggregate(
    events: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    *,
    key: str = "province_code",
    presence: pd.DataFrame | None = None,
    as_of: Any = None,
) -> gpd.GeoDataFrame:
    """Summarise claims (and presence) per area, one row per area.

    Parameters
    ----------
    events : pandas.DataFrame
        Loaded events, filtered as wanted. For ``key="province_code"`` they are joined
        to ``areas`` here unless already joined; for ``key="district_id"`` rows without
        that column are matched by district name within their province (points are
        only used when the events were joined with :func:`join_events`).
    areas : geopandas.GeoDataFrame
        Provinces (``province_code``) or districts (``district_id``).
    key : str, default "province_code"
        The column naming the area in ``events`` (and ``presence``).
    presence : pandas.DataFrame, optional
        Loaded presence; rows whose period contains ``as_of`` count (an open end is
        still active). Province-level presence is not spread to districts.
    as_of : date-like, optional
        Reference date for presence and ``days_since_last`` (default: today).

    Returns
    -------
    geopandas.GeoDataFrame
        In the order of ``areas``: ``key``, ``name``, ``claims`` (count),
        ``fatalities`` (sum of the claimed numbers; NA when no claim gives one),
        ``last_reported`` (the latest report date: per claim the latest ``published``
        date of its sources, else its ``date_end``, ``date_start`` for an open range;
        it may be after ``as_of``, as a report comes after what it reports),
        ``claims_without_report_date`` (how many claims fell back to their own date),
        ``days_since_last`` (``as_of - last_reported`` in days, at least 0; NA without
        claims), ``active_groups`` ("; "-joined actors other than the Taliban and
        civilians), ``presence_level`` (highest level, 0 none), ``presence_groups``,
        ``area_km2`` (equal-area CRS) and the area's geometry, in EPSG:4326.

    Raises
    ------
    ValueError
        If ``key`` is in neither ``areas`` nor the claims, or ``as_of`` is no date.

    Examples
    --------
    >>> per_province = aggregate(events, load_provinces(), presence=presence)  # doctest: +SKIP
    """
    column = _area_key(areas, key)
    when = _as_of(as_of)
    gdf = _wgs84(areas, "areas")
    ev = _joined_for(events, gdf, key)
    keys = ev[key]
    dates = report_dates(ev)
    grouped = pd.DataFrame(
        {
            "key": keys,
            "fatalities": ev["fatalities"].astype("Int64"),
            "reported": dates["reported"],
            "undated": ~dates["from_source"],
        }
    ).groupby("key")
    stats = pd.DataFrame(
        {
            "claims": grouped.size(),
            "fatalities": grouped["fatalities"].sum(min_count=1),
            "last_reported": grouped["reported"].max(),
            "undated": grouped["undated"].sum(),
        }
    )
    stats["active_groups"] = _groups(keys, ev["actor1"], ev["actor2"])

    area_keys = gdf[column].to_numpy()
    out = gpd.GeoDataFrame(
        {key: area_keys, "name": gdf[settings.PROVINCE_NAME].to_numpy()},
        geometry=gdf.geometry.to_numpy(),
        crs=settings.WGS84,
    )
    per_area = stats.reindex(area_keys)
    out["claims"] = per_area["claims"].fillna(0).astype(int).to_numpy()
    out["fatalities"] = per_area["fatalities"].astype("Int64").to_numpy()
    out["last_reported"] = per_area["last_reported"].to_numpy()
    out["claims_without_report_date"] = per_area["undated"].fillna(0).astype(int).to_numpy()
    days = (when - per_area["last_reported"]).dt.days.clip(lower=0)
    out["days_since_last"] = days.astype("Int64").to_numpy()
    out["active_groups"] = per_area["active_groups"].fillna("").to_numpy()

    level = pd.Series(0, index=area_keys)
    groups = pd.Series("", index=area_keys)
    if presence is not None and len(presence):
        now = filter_presence(_joined_for(presence, gdf, key), as_of=when)
        if len(now):
            level = now.groupby(key)["level_value"].max().reindex(area_keys).fillna(0)
            groups = _groups(now[key], now["group"]).reindex(area_keys).fillna("")
    out["presence_level"] = level.astype(int).to_numpy()
    out["presence_groups"] = groups.to_numpy()
    out["area_km2"] = (gdf.to_crs(boundaries.equal_area_crs()).area / 1e6).round(1).to_numpy()
    return out[[*out.columns.drop("geometry"), "geometry"]]


def claims_per_period(events: pd.DataFrame, *, freq: str = "W") -> pd.DataFrame:
    """Count claims per week or month and event type, each spread over its span.

    A claim whose span (``date_start`` to ``date_end``) touches ``k`` periods adds
    ``1/k`` to each (:func:`geo.claims.spread_over_periods`): a day claim adds 1 to its
    week, a claim dated to a 3-week range 1/3 to each of the 3 weeks, and an open range
    counts at its start only. The sum over all rows is the number of claims.

    Parameters
    ----------
    events : pandas.DataFrame
        Loaded events (``date_start``, ``date_end``, ``event_type``).
    freq : {"W", "M"}, default "W"
        Weeks (Monday to Sunday) or calendar months.

    Returns
    -------
    pandas.DataFrame
        ``period_start`` (datetime64), ``event_type``, ``claims`` (float): every period
        from the first to the last touched times every event type present.

    Raises
    ------
    ValueError
        If ``freq`` is not "W" or "M".

    Examples
    --------
    >>> claims_per_period(events, freq="M")["claims"].sum() == len(events)  # doctest: +SKIP
    True
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {sorted(FREQUENCIES)}, not {freq!r}")
    table = spread_over_periods(
        events["date_start"], events["date_end"], events["event_type"], freq=freq
    )
    out = pd.DataFrame(
        {
            "period_start": np.repeat(table.index.to_numpy(), table.shape[1]),
            "event_type": np.tile(table.columns.to_numpy(dtype=object), len(table)),
            "claims": table.to_numpy(dtype=float).ravel(),
        }
    )
    return out.astype({"period_start": "datetime64[us]", "event_type": str})
