"""The map's page: the base map and the claims layer, built once per dataset and filters.

:func:`map_page` returns the HTML the app publishes as a static file (named by its
content) and shows in its map element; nothing in it depends on the window, the
metric, the province or the layers shown, which the app sends as a view
(:func:`layers.claims_layer.ClaimsLayer`). :func:`bridge_js` is the element's
script (``layers/js/bridge.js``). :func:`standalone_page` is the same page as one file
that works offline (scripts, styles and the events' payload inlined; no tiles).
"""

from __future__ import annotations

import argparse
import html as html_text
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo import settings, views
from geo.claims import Filters
from geo.io import download_name
from layers.assets import AssetReport, installed_files, localize
from layers.basemap import base_map
from layers.claims_layer import ClaimsLayer
from layers.inline import data_url, inline_assets

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
    ``--offline`` (ARM_OFFLINE=1: no tiles), ``--read-only`` (ARM_READ_ONLY=1: a public
    deployment; the claims desk writes nothing on the server, it only offers downloads).

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
    p.add_argument("--read-only", action="store_true", default=env("ARM_READ_ONLY") == "1")
    return p.parse_args(list(argv))


#: What the map's link to the claims desk says on hover.
DESK_HELP: Final = "Turn a news article into candidate claims, review them and keep the good ones"


def running_options() -> argparse.Namespace:
    """Return the options the running app was started with (``streamlit run app.py -- ...``).

    Under ``streamlit run`` the command line is the app's own (``app.py`` first); under a
    test runner it is not, and only the environment variables count.
    """
    argv = sys.argv[1:] if Path(sys.argv[0]).name == "app.py" else []
    return app_options(argv)


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
    view: Mapping[str, Any] | None = None,
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
    view : mapping, optional
        The view the page starts with, over the default (the whole span, claims,
        every layer): the keys of the view the app sends (``window``, ``metric``...).

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
    start: dict[str, Any] = {
        "window": list(span),
        "metric": "claims",
        "province": None,
        "selected": None,
        "layers": DEFAULT_LAYERS,
        "seq": 0,
        "step_days": 7,
        "cumulative": False,
        "speed": 1.0,
        **(view or {}),
    }
    ClaimsLayer(
        payload_url,
        provinces=provinces,
        districts=districts,
        presence=presence,
        breaks=breaks,
        span=span,
        view=start,
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
    html, report = _data_page(
        data, browser, f"{PAGES_URL}/{browser.payload_name}", tiles=tiles, installed=installed
    )
    return html, report, browser


def _data_page(
    data: views.MapData,
    browser: views.BrowserData,
    payload_url: str,
    *,
    tiles: bool,
    installed: dict[str, str] | None,
    view: Mapping[str, Any] | None = None,
) -> tuple[str, AssetReport]:
    return map_page(
        payload_url=payload_url,
        provinces=data.display_provinces,
        districts=data.display_districts,
        neighbours=data.neighbours,
        presence=browser.presence,
        breaks=browser.breaks,
        span=(data.span[0].isoformat(), data.span[1].isoformat()),
        tiles=tiles,
        installed=installed,
        view=view,
    )


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


#: Shown on a standalone page whose scripts or styles could not all be inlined.
OFFLINE_NOTE: Final = (
    '<div class="arm-offline-note" role="alert" style="position:fixed;z-index:10000;top:0;'
    "left:0;right:0;padding:6px 10px;background:#fff3cd;color:#664d03;font:13px sans-serif;"
    'border-bottom:1px solid #ffe69c">This copy of the map is not fully offline: {count} '
    "file(s) are not installed here (run <code>make assets</code>) and still load from the "
    "internet: {urls}</div>"
)


def standalone_name(filters: Filters) -> str:
    """Return the standalone page's file name: ``map_<filters>_<start>_<end>.html``.

    Examples
    --------
    >>> from datetime import date
    >>> standalone_name(Filters(start=date(2022, 3, 1), end=date(2022, 6, 30)))
    'map_2022-03-01_2022-06-30.html'
    """
    return download_name("map", filters, ".html")


def snapshot_name(filters: Filters) -> str:
    """Return the view's PNG file name: ``view_<filters>_<start>_<end>.png``.

    >>> from datetime import date
    >>> snapshot_name(Filters(start=date(2022, 3, 1), end=date(2022, 6, 30)))
    'view_2022-03-01_2022-06-30.png'
    """
    return download_name("view", filters, ".png")


def standalone_page(
    data: views.MapData,
    filters: Filters,
    *,
    view: Mapping[str, Any] | None = None,
    vendor_dir: Path = settings.VENDOR_DIR,
) -> bytes:
    """Return the map page as one self-contained HTML file that works offline.

    The page of :func:`render_page` without tiles, with every script and style sheet
    inlined from ``vendor_dir`` (:func:`layers.inline.inline_assets`: their images and
    fonts as ``data:`` URLs) and the events' payload inlined as a ``data:`` URL that the
    page fetches as it fetches the published one. A file that is not installed keeps
    its CDN URL, and a note at the top of the page names it.

    Parameters
    ----------
    data : geo.views.MapData
        The loaded data.
    filters : geo.claims.Filters
        The filters of the page; its window is where the page starts (the page holds
        the whole span, and its slider and playback move the window, as in the app).
    view : mapping, optional
        The view to start with, as the app sends it to its map (``window``,
        ``metric``, ``province``, ``layers``...); its ``window`` wins over the filters'.
    vendor_dir : Path
        Where ``make assets`` installed the scripts and styles.

    Returns
    -------
    bytes
        The HTML, UTF-8.

    Examples
    --------
    >>> page = standalone_page(data, Filters())  # doctest: +SKIP
    >>> Path("map.html").write_bytes(page)  # doctest: +SKIP
    """
    browser = views.browser_data(data, filters.without_window())
    payload = data_url(browser.payload, "application/octet-stream")
    window = [
        (filters.start or data.span[0]).isoformat(),
        (filters.end or data.span[1]).isoformat(),
    ]
    start = {"window": window, **(view or {})}
    installed = installed_files(vendor_dir)
    page, report = _data_page(data, browser, payload, tiles=False, installed=installed, view=start)
    page, left = inline_assets(page, vendor_dir)
    left = list(dict.fromkeys([*report.cdn, *left]))
    if left:
        urls = ", ".join(html_text.escape(u) for u in left)
        note = OFFLINE_NOTE.format(count=len(left), urls=urls)
        page = page.replace("<body>", "<body>\n" + note, 1)
    return page.encode("utf-8")
