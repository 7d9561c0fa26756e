"""Serve the map's JavaScript and CSS from the app itself instead of public CDNs.

folium and its plugins name their files by CDN URL (``default_js`` / ``default_css`` on
each element class). :data:`VENDOR_FILES` maps every such URL to a file of an npm
package that ``scripts/install_assets.py`` copies into ``static/vendor/`` (served by
Streamlit at ``/app/static/vendor/...`` because ``enableStaticServing`` is on).
:func:`localize` rewrites the URLs of a built map to those local copies; when the
copies are missing it leaves the CDN URLs in place and the report says which ones, so
the page can tell the user.

Streamlit serves only the ``static/`` folder beside app.py, and refuses a file whose
real path (symlinks resolved) lies outside it. Assets installed anywhere else, e.g. in
the per-user folder when the checkout is not writable (see :mod:`geo.settings`), cannot
be served: :func:`served_files` then leaves the map on the CDN and says why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import folium.plugins
from branca.element import Element

from geo import settings

#: URL prefix under which Streamlit serves ``static/vendor/``.
BASE_URL = "/app/static/vendor"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Package:
    """One npm package and the folders of it that the map needs.

    Attributes
    ----------
    name : str
        npm name, e.g. ``"@fortawesome/fontawesome-free"``.
    version : str
        Exact version installed.
    copy : tuple of str
        Paths inside the package (files or folders) copied to ``static/vendor``.
    """

    name: str
    version: str
    copy: tuple[str, ...]

    @property
    def folder(self) -> str:
        """Folder name under ``static/vendor``: ``fortawesome-fontawesome-free@6.2.0``."""
        return f"{self.name.lstrip('@').replace('/', '-')}@{self.version}"


PACKAGES: dict[str, Package] = {
    p.name: p
    for p in (
        Package("leaflet", "1.9.3", ("dist/leaflet.js", "dist/leaflet.css", "dist/images")),
        Package("jquery", "3.7.1", ("dist/jquery.min.js",)),
        Package(
            "bootstrap",
            "5.2.2",
            ("dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css"),
        ),
        Package("@fortawesome/fontawesome-free", "6.2.0", ("css/all.min.css", "webfonts")),
        # 2.0.2 (folium's CDN pin) was never published to npm; 2.0.5 is the same plugin.
        Package(
            "leaflet.awesome-markers",
            "2.0.5",
            (
                "dist/leaflet.awesome-markers.js",
                "dist/leaflet.awesome-markers.css",
                "dist/images",
            ),
        ),
        # Clusters of the window's events, in the browser (layers/js/claims_map.js).
        Package("supercluster", "8.0.1", ("dist/supercluster.min.js",)),
        Package(
            "leaflet.markercluster",
            "1.1.0",
            (
                "dist/leaflet.markercluster.js",
                "dist/MarkerCluster.css",
                "dist/MarkerCluster.Default.css",
            ),
        ),
    )
}

#: supercluster's UMD bundle (with kdbush inside) on the CDN, for the claims layer.
SUPERCLUSTER_URL = "https://cdn.jsdelivr.net/npm/supercluster@8.0.1/dist/supercluster.min.js"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
_AWESOME = f"{_CDNJS}/Leaflet.awesome-markers/2.0.2"
_CLUSTER = f"{_CDNJS}/leaflet.markercluster/1.1.0"

#: CDN URL (as folium names it) -> (npm package, path inside the package).
VENDOR_FILES: dict[str, tuple[str, str]] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": ("leaflet", "dist/leaflet.js"),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": (
        "leaflet",
        "dist/leaflet.css",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap",
        "dist/js/bootstrap.bundle.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "@fortawesome/fontawesome-free",
        "css/all.min.css",
    ),
    f"{_AWESOME}/leaflet.awesome-markers.js": (
        "leaflet.awesome-markers",
        "dist/leaflet.awesome-markers.js",
    ),
    f"{_AWESOME}/leaflet.awesome-markers.css": (
        "leaflet.awesome-markers",
        "dist/leaflet.awesome-markers.css",
    ),
    f"{_CLUSTER}/leaflet.markercluster.js": (
        "leaflet.markercluster",
        "dist/leaflet.markercluster.js",
    ),
    f"{_CLUSTER}/MarkerCluster.css": (
        "leaflet.markercluster",
        "dist/MarkerCluster.css",
    ),
    f"{_CLUSTER}/MarkerCluster.Default.css": (
        "leaflet.markercluster",
        "dist/MarkerCluster.Default.css",
    ),
    SUPERCLUSTER_URL: ("supercluster", "dist/supercluster.min.js"),
}

#: folium URLs that this app never needs, dropped rather than fetched: Bootstrap 3
#: glyphicons and rotated awesome-marker icons (our markers use neither; neither file
#: is published on npm).
UNUSED_URLS: frozenset[str] = frozenset(
    {
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
    }
)


@dataclass
class AssetReport:
    """What :func:`localize` did to a map's script and style URLs.

    Attributes
    ----------
    local : list of str
        Local URLs now used (``/app/static/vendor/...``).
    cdn : list of str
        URLs left pointing at a CDN because no local copy is installed.
    dropped : list of str
        URLs removed because the app does not use them (:data:`UNUSED_URLS`).
    """

    local: list[str] = field(default_factory=list)
    cdn: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def offline_ready(self) -> bool:
        """Whether every script and style sheet is served by the app itself."""
        return not self.cdn


def installed_files(vendor_dir: Path = settings.VENDOR_DIR) -> dict[str, str]:
    """Return the CDN URL -> local URL table of the installed assets.

    Parameters
    ----------
    vendor_dir : Path
        The folder ``scripts/install_assets.py`` wrote (with ``manifest.json``).

    Returns
    -------
    dict
        Only URLs whose local file exists; empty when nothing is installed.

    Examples
    --------
    >>> installed_files(Path("/nonexistent"))
    {}
    """
    manifest_path = vendor_dir / MANIFEST_NAME
    if not manifest_path.exists():
        return {}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    versions = manifest.get("packages", {})
    table: dict[str, str] = {}
    for url, (name, path) in VENDOR_FILES.items():
        package = PACKAGES[name]
        if versions.get(name) != package.version:
            continue
        if (vendor_dir / package.folder / path).is_file():
            table[url] = f"{BASE_URL}/{package.folder}/{path}"
    return table


MISSING_NOTE = "local copies are missing (run `make assets`); without internet the map stays blank."


def servable(vendor_dir: Path, *, static_dir: Path = settings.STATIC_DIR) -> bool:
    """Return whether Streamlit serves ``vendor_dir`` at :data:`BASE_URL`.

    Only ``static_dir / "vendor"`` is served there, and only when its real path lies
    inside ``static_dir``'s: Streamlit refuses a file reached through a symlink that
    leaves the static folder.

    Parameters
    ----------
    vendor_dir : Path
        Where the assets are installed.
    static_dir : Path
        The ``static/`` folder beside app.py.

    Returns
    -------
    bool

    Examples
    --------
    >>> servable(Path("/elsewhere/vendor"), static_dir=Path("/app/static"))
    False
    """
    real, root = vendor_dir.resolve(), static_dir.resolve()
    return real == (static_dir / "vendor").resolve() and real.is_relative_to(root)


def served_files(
    vendor_dir: Path = settings.VENDOR_DIR, *, static_dir: Path = settings.STATIC_DIR
) -> tuple[dict[str, str], str]:
    """Return the installed assets Streamlit can serve, and what to tell the user if none.

    Parameters
    ----------
    vendor_dir : Path
        Where ``scripts/install_assets.py`` installed the assets.
    static_dir : Path
        The ``static/`` folder beside app.py.

    Returns
    -------
    table : dict
        CDN URL -> local URL, as :func:`installed_files`; empty when the files are
        missing or installed where Streamlit does not serve them.
    note : str
        Why the map uses the CDN for the files missing from ``table``.

    Examples
    --------
    >>> served_files(Path("/nonexistent"))[0]
    {}
    """
    table = installed_files(vendor_dir)
    if not table:
        return {}, MISSING_NOTE
    if not servable(vendor_dir, static_dir=static_dir):
        return {}, (
            f"local copies are installed in {vendor_dir}, but Streamlit serves only files "
            f"inside {static_dir} (beside app.py, symlinks out of it refused), so the map "
            "uses the CDN; to serve them, run `python scripts/install_assets.py --dest "
            f"{static_dir / 'vendor'}` in a writable checkout."
        )
    return table, MISSING_NOTE


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def localize(
    element: Element, *, installed: dict[str, str] | None = None, report: AssetReport | None = None
) -> AssetReport:
    """Point every script and style sheet of ``element`` and its children at local copies.

    Parameters
    ----------
    element : branca.element.Element
        A map, feature group or any folium element; children are visited too.
    installed : dict, optional
        CDN URL -> local URL (default: what :func:`served_files` finds servable).
    report : AssetReport, optional
        Report to add to (to collect over a map and its feature groups).

    Returns
    -------
    AssetReport
        Local, CDN and dropped URLs, each listed once.

    Examples
    --------
    >>> report = localize(folium.Map(), installed={})
    >>> report.offline_ready
    False
    """
    table = served_files()[0] if installed is None else installed
    out = report if report is not None else AssetReport()
    for el in _walk(element):
        for attr in ("default_js", "default_css"):
            links: list[tuple[str, str]] | None = getattr(el, attr, None)
            if not links:
                continue
            kept: list[tuple[str, str]] = []
            for name, url in links:
                if url in UNUSED_URLS:
                    _add(out.dropped, url)
                elif url in table:
                    kept.append((name, table[url]))
                    _add(out.local, table[url])
                elif url.startswith(BASE_URL):
                    kept.append((name, url))
                    _add(out.local, url)
                else:
                    kept.append((name, url))
                    _add(out.cdn, url)
            setattr(el, attr, kept)
    return out


def _add(items: list[str], url: str) -> None:
    if url not in items:
        items.append(url)


def known_urls() -> list[str]:
    """Return every script and style URL the map's folium classes name.

    Used by the installer and a test to notice a folium upgrade that adds a file
    :data:`VENDOR_FILES` does not know.

    Examples
    --------
    >>> set(known_urls()) <= set(VENDOR_FILES) | UNUSED_URLS
    True
    """
    from layers.claims_layer import ClaimsLayer  # it names supercluster

    classes: list[Any] = [
        folium.Map,
        folium.plugins.MarkerCluster,
        folium.plugins.FastMarkerCluster,
        ClaimsLayer,
    ]
    urls: list[str] = []
    for cls in classes:
        for attr in ("default_js", "default_css"):
            urls.extend(url for _, url in getattr(cls, attr, []))
    return list(dict.fromkeys(urls))
