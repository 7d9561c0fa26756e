"""layers/events.py: markers, precision styles, popups and their escaping."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import settings
from layers import events

XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def frame() -> gpd.GeoDataFrame:
    n = 4
    data = {c: [""] * n for c in settings.EVENT_COLUMNS}
    data.update(
        event_id=["a", "b", "c", "d"],
        date_start=pd.to_datetime(["2022-01-01", "2022-02-01", "2022-03-07", "2022-04-01"]),
        date_end=pd.to_datetime(["2022-01-01", "2022-02-28", "2022-03-13", None]),
        date_precision=["day", "month", "week", "range"],
        event_type=["clash", "attack", "ambush", "riot"],
        actor1=["NRF", XSS, "NRF", "AFF"],
        actor2=["Taliban", "", "Taliban", ""],
        claim_status=["claimed", "corroborated", "denied", "claimed"],
        location_name=["Bazarak", "Panjshir", "Andarab", "Afghanistan"],
        province_code=["AF-PAN", "AF-PAN", "AF-BGL", ""],
        location_precision=pd.array([1, 3, 2, 4], dtype="Int64"),
        fatalities=pd.array([None, 5, None, None], dtype="Int64"),
        fatalities_claimed_by=["", "NRF", "", ""],
        notes=["ok", XSS, "x" * 500, ""],
        sources=[
            [{"file": "f", "outlet": "Wire", "title": "<script>x()</script>", "quote": "q" * 400}],
            [{"file": "f", "outlet": "Wire", "title": "t", "quote": "q"}] * 2,
            [],
            [],
        ],
        geometry_kind=[
            "exact",
            "area-representative-point",
            "area-representative-point",
            "unmapped",
        ],
    )
    geoms = [shapely.Point(69.5, 35.3), shapely.Point(69.9, 35.4), shapely.Point(69.3, 35.6), None]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=settings.WGS84)


def _script(group) -> str:
    import folium

    m = folium.Map()
    group.add_to(m)
    return m.get_root().render()


def test_markers_by_precision_type_and_status(frame):
    html = _script(events.events_layer(frame, unplaced=1))
    assert html.count("arm-ev arm-ev-exact arm-ev-claimed") >= 1
    assert "arm-ev arm-ev-area arm-ev-confirmed" in html
    assert "arm-ev arm-ev-area arm-ev-denied" in html
    assert "fa-person-rifle" in html and "fa-burst" in html
    # The region-wide claim is not drawn, but the legend says it is listed.
    assert "fa-fire\\u0022" not in html.split("var data")[0]
    assert "1 claim cannot be placed on the map" in html
    assert '"maxClusterRadius": 40' in html and "cluster.addLayers(markers)" in html


def test_only_mapped_events_become_markers(frame):
    (cluster,) = [
        c
        for c in events.events_layer(frame)._children.values()
        if isinstance(c, events.EventCluster)
    ]
    assert len(cluster.data) == 3
    lat, lon, icon, _popup = cluster.data[0]
    assert (lat, lon) == (35.3, 69.5) and isinstance(icon, int)
    kinds = {tuple(i[:2]) for i in cluster.icons}
    assert len(kinds) == 3


def test_popups_escape_every_data_string(frame):
    popups = events.event_popups(frame)
    joined = "".join(popups)
    assert XSS not in joined and "<script>" not in joined
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in joined
    assert "&lt;script&gt;x()&lt;/script&gt;" in joined
    assert "(+1 more)" in popups.iloc[1]
    html = _script(events.events_layer(frame))
    assert XSS not in html and "<script>x()" not in html


def test_popup_size_is_capped(frame):
    popups = events.event_popups(frame)
    assert popups.str.len().max() < 1200
    assert "x" * 200 not in popups.iloc[2]
    short = events.event_popups(frame, short=True)
    assert short.str.len().max() < 200 and "Source" not in "".join(short)


def test_large_windows_get_short_popups(frame, monkeypatch):
    monkeypatch.setattr(events, "FULL_POPUP_LIMIT", 2)
    group = events.events_layer(frame)
    (cluster,) = [c for c in group._children.values() if isinstance(c, events.EventCluster)]
    popups = [row[3] for row in cluster.data]
    first = '<div class="arm-popup"><h4>Clash · claimed</h4><p>2022-01-01 · Bazarak</p></div>'
    assert popups[0] == first
    assert popups == events.event_popups(frame.iloc[:3], short=True).tolist()
    assert "Source:" not in _script(group)


def test_popups_by_id_and_dates(frame):
    popups = events.event_popups(frame, by_id=True)
    assert list(popups.index) == ["a", "b", "c", "d"]
    dates = events.date_text(frame).tolist()
    assert dates == ["2022-01-01", "February 2022", "week of 2022-03-07", "after 2022-04-01"]


def test_missing_columns_are_named(frame):
    with pytest.raises(ValueError, match=r"events frame lacks columns \['geometry_kind'\]"):
        events.events_layer(frame.drop(columns="geometry_kind"))
