"""One self-contained HTML file: scripts, style sheets and what they load, inlined.

The map's page names its scripts and style sheets by the URLs the app serves them at
(``/app/static/vendor/...``, :mod:`layers.assets`). :func:`inline_assets` replaces
every such ``<script src>`` and ``<link rel="stylesheet">`` with the file's content,
read from the installed folder, and turns the images and fonts a style sheet loads
(``url(images/layers.png)``) into ``data:`` URLs, so that the page works when opened
from disk without a network. A file that is not installed is left as it is (a CDN
URL) and listed, so the caller can say so.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from typing import Final

from layers.assets import BASE_URL

_SCRIPT: Final = re.compile(r'<script src="([^"]+)"></script>')
_STYLE: Final = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')
_URL: Final = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
#: A font's TrueType fallback after its WOFF2 (every browser that runs the map reads
#: WOFF2), dropped so that each font is inlined once.
_TTF_FALLBACK: Final = re.compile(
    r"""(url\([^)]*\.woff2\)\s*format\(["']woff2["']\))\s*,\s*url\([^)]*\.ttf\)\s*"""
    r"""format\(["']truetype["']\)"""
)
_TYPES: Final = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}


def data_url(content: bytes, media_type: str) -> str:
    """Return ``content`` as a base64 ``data:`` URL.

    Examples
    --------
    >>> data_url(b"hi", "text/plain")
    'data:text/plain;base64,aGk='
    """
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def _local_file(url: str, vendor_dir: Path) -> Path | None:
    """Return the installed file an app URL names (None when it is not one or missing)."""
    if not url.startswith(BASE_URL + "/"):
        return None
    root = vendor_dir.resolve()
    path = (vendor_dir / url[len(BASE_URL) + 1 :]).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def _label(url: str) -> str:
    """Name an inlined file in a comment: ``vendor: leaflet@1.9.3/dist/leaflet.js``."""
    return "vendor: " + url[len(BASE_URL) + 1 :].replace("*/", "")


def _inline_urls(css: str, folder: Path, root: Path) -> str:
    """Turn every relative ``url()`` of a style sheet into a ``data:`` URL of its file."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if re.match(r"^(data:|[a-z][a-z0-9+.-]*:|#|/)", target, re.IGNORECASE):
            return match.group(0)
        path = (folder / target.split("?")[0].split("#")[0]).resolve()
        if not (path.is_relative_to(root) and path.is_file()):
            return match.group(0)
        kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return f'url("{data_url(path.read_bytes(), kind or "application/octet-stream")}")'

    return _URL.sub(replace, _TTF_FALLBACK.sub(r"\1", css))


def inline_assets(html: str, vendor_dir: Path) -> tuple[str, list[str]]:
    """Inline the page's installed scripts and style sheets.

    Parameters
    ----------
    html : str
        A page whose assets point at :data:`layers.assets.BASE_URL` (or at CDNs).
    vendor_dir : Path
        The folder ``make assets`` installed them in.

    Returns
    -------
    html : str
        The page with every installed script in a ``<script>`` element and every
        installed style sheet in a ``<style>`` element (its images and fonts as
        ``data:`` URLs).
    left : list of str
        The script and style URLs left as they were (not installed).

    Examples
    --------
    >>> inline_assets('<script src="https://x.org/a.js"></script>', Path("/none"))
    ('<script src="https://x.org/a.js"></script>', ['https://x.org/a.js'])
    """
    left: list[str] = []
    root = vendor_dir.resolve()

    def script(match: re.Match[str]) -> str:
        path = _local_file(match.group(1), vendor_dir)
        if path is None:
            left.append(match.group(1))
            return match.group(0)
        code = re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.I)
        return f"<script>/* {_label(match.group(1))} */\n{code}\n</script>"

    def style(match: re.Match[str]) -> str:
        path = _local_file(match.group(1), vendor_dir)
        if path is None:
            left.append(match.group(1))
            return match.group(0)
        css = _inline_urls(path.read_text(encoding="utf-8"), path.parent, root)
        css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)
        return f"<style>/* {_label(match.group(1))} */\n{css}\n</style>"

    html = _SCRIPT.sub(script, html)
    html = _STYLE.sub(style, html)
    return html, list(dict.fromkeys(left))
