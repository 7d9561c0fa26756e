"""The map's page: the base map and the claims layer, built once per dataset and filters.

:func:`map_page` returns the HTML the app publishes as a static file (named by its
content) and shows in its map element; nothing in it depends on the window, the
metric, the province or the layers shown, which the app sends as a view
(:func:`layers.claims_layer.ClaimsLayer`). :func:`bridge_js` is the element's
script (``layers/js/bridge.js``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo import settings, views
from geo.claims import Filters
from layers.assets import AssetReport, localize
from layers.basemap import base_map
from layers.claims_layer import ClaimsLayer

BRIDGE_PATH: Final = Path(__file__).resolve().parent / "js" / "bridge.js"
#: Where published pages and payloads go, and the URL Streamlit serves them at.
PAGES_DIR: Final = settings.STATIC_DIR / "data"
PAGES_URL: Final = "/app/static/data"
#: The view the page starts with, before the app sends the current one.
DEFAULT_LAYERS: Final = {"provinces": True, "districts": True, "events": True, "presence": True}


def app_options(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the app's options; each defaults to an environment variable (tests), then settings.

    ``--events`` (ARM_EVENTS), ``--presence`` (ARM_PRESENCE), ``--districts``
    (ARM_DISTRICTS), ``--vendor`` (ARM_VENDOR: the folder ``make assets`` fills),
    ``--offline`` (ARM_OFFLINE=1: no tiles).

    >>> app_options(["--offline"]).offline
    True
    """
    env = os.environ.get
    p = argparse.ArgumentParser(prog="app.py")
    p.add_argument("--events", default=env("ARM_EVENTS", str(settings.EVENTS_PATH)))
    p.add_argument("--presence", default=env("ARM_PRESENCE", str(settings.PRESENCE_PATH)))
    p.add_argument("--districts", default=env("ARM_DISTRICTS", str(settings.DISTRICTS_PATH)))
    p.add_argument("--vendor", default=env("ARM_VENDOR", str(settings.VENDOR_DIR)))
    p.add_argument("--offline", action="store_true", default=env("ARM_OFFLINE") == "1")
    return p.parse_args(list(argv))


def bridge_js() -> str:
    """Return the map element's script (an ES module for ``st.components.v2``)."""
    return BRIDGE_PATH.read_text(encoding="utf-8")


def map_page(
    *,
    payload_url: str,
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    neighbours: gpd.GeoDataFrame,
    presence: pd.DataFrame,
    breaks: dict[str, dict[str, tuple[float, ...]]],
    span: tuple[str, str],
    tiles: bool = True,
    installed: dict[str, str] | None = None,
) -> tuple[str, AssetReport]:
    """Build the map page's HTML.

    Parameters
    ----------
    payload_url : str
        Where the page fetches the events' columns.
    provinces, districts : geopandas.GeoDataFrame
        Display-simplified areas (districts None when not installed).
    neighbours : geopandas.GeoDataFrame
        The offline base's neighbouring countries.
    presence : pandas.DataFrame
        Joined presence rows (``geo.views.browser_data``).
    breaks : dict
        Layer -> metric -> class edges.
    span : tuple of str
        The data's first and last day (ISO).
    tiles : bool, default True
        Offer online tiles.
    installed : dict, optional
        CDN URL -> local URL of the installed assets.

    Returns
    -------
    tuple
        The HTML, and the asset report (``report.cdn`` lists what still comes from a
        CDN).

    Examples
    --------
    >>> html, report = map_page(payload_url="/x.bin.gz", provinces=p, districts=None,
    ...                         neighbours=n, presence=pr, breaks=b, span=s)  # doctest: +SKIP
    """
    m = base_map(provinces, neighbours, tiles=tiles)
    view: dict[str, Any] = {
        "window": list(span),
        "metric": "claims",
        "province": None,
        "selected": None,
        "layers": DEFAULT_LAYERS,
        "seq": 0,
        "step_days": 7,
        "cumulative": False,
        "speed": 1.0,
    }
    ClaimsLayer(
        payload_url,
        provinces=provinces,
        districts=districts,
        presence=presence,
        breaks=breaks,
        span=span,
        view=view,
    ).add_to(m)
    report = localize(m, installed=installed)
    _stable_ids(m.get_root())
    return m.get_root().render(), report


def _stable_ids(root: Any) -> None:
    """Name every element by its place in the tree, not by a random id.

    folium names elements with ``uuid4``, so the same map would render to different
    HTML each time; with ids in tree order the page's content, and so its
    content-addressed file name, depends only on the data and the filters.
    """
    pending, count = [root], 0
    while pending:
        element = pending.pop(0)
        element._id = f"{count:08x}"
        count += 1
        pending.extend(element._children.values())


def render_page(
    data: views.MapData,
    filters: Filters,
    *,
    tiles: bool = True,
    installed: dict[str, str] | None = None,
) -> tuple[str, AssetReport, views.BrowserData]:
    """Build the page's HTML and the events' columns for a dataset and filters.

    Returns
    -------
    tuple
        The HTML (which fetches the columns from ``PAGES_URL/<payload_name>``), the
        asset report and the :class:`geo.views.BrowserData`.

    Examples
    --------
    >>> html, report, page = render_page(data, Filters(), installed={})  # doctest: +SKIP
    """
    browser = views.browser_data(data, filters)
    html, report = map_page(
        payload_url=f"{PAGES_URL}/{browser.payload_name}",
        provinces=data.display_provinces,
        districts=data.display_districts,
        neighbours=data.neighbours,
        presence=browser.presence,
        breaks=browser.breaks,
        span=(data.span[0].isoformat(), data.span[1].isoformat()),
        tiles=tiles,
        installed=installed,
    )
    return html, report, browser


def publish_page(
    data: views.MapData,
    filters: Filters,
    *,
    tiles: bool = True,
    installed: dict[str, str] | None = None,
    folder: Path = PAGES_DIR,
) -> tuple[str, AssetReport, views.BrowserData]:
    """Build and publish the page and the events' columns for a dataset and filters.

    Both are written under ``folder`` (the app's static folder) with names taken from
    their content (:func:`render_page`), so a second call with the same data and
    filters writes nothing new and the browser fetches nothing new.

    Returns
    -------
    tuple
        The page's URL, the asset report and the :class:`geo.views.BrowserData`.

    Raises
    ------
    ExportError
        If ``folder`` cannot be written.

    Examples
    --------
    >>> url, report, page = publish_page(data, Filters())  # doctest: +SKIP
    """
    html, report, browser = render_page(data, filters, tiles=tiles, installed=installed)
    views.publish(browser.payload, browser.payload_name, folder)
    content = html.encode("utf-8")
    name = views.payload_name(content, prefix="map", suffix=".html")
    views.publish(content, name, folder)
    return f"{PAGES_URL}/{name}", report, browser
