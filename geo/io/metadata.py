"""What an exported file says about itself: its name, window, filters, source and licence.

:func:`download_name` names a file after its layer, the filters that are set and the
window (``events_NRF_clash_2022-03-01_2022-06-30.geojson``), with filesystem-safe
characters only and a bounded length. :func:`export_metadata` is the record every
format carries: in GeoJSON a top-level ``metadata`` member (a foreign member, RFC 7946
section 6.1), in a GeoPackage the layer's metadata (``gpkg_metadata``; values as
text, lists and objects as JSON), and for CSV a sidecar JSON file
(:func:`sidecar_path`, :func:`metadata_bytes`), because the events CSV must stay a
claims file that validates and loads back unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from geo import settings
from geo.claims import Filters

#: The licence note every export carries (README, "Data sources and licences").
LICENCE: Final = (
    "Claims: the project's own coding of news articles (each claim lists its sources; "
    "quotes are short excerpts kept as evidence). Provinces: Natural Earth 10m admin-1 "
    "(public domain). Districts: geoBoundaries gbOpen AFG ADM2 (public domain; "
    "administrative boundaries courtesy of geoBoundaries.org; Runfola et al. (2020), "
    "PLoS ONE 15(4): e0231866). Populated places: GeoNames (CC BY 4.0). Code: MIT."
)
TITLE: Final = "Claimed armed resistance to the Taliban"
#: A file name's stem is at most this long (the extension comes on top).
MAX_STEM: Final = 120
#: More values than this in one filter are named by their count ("4-actors").
MAX_VALUES: Final = 3
_PART: Final = 24  # at most this many characters per value
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9]+")
_ABBREVIATION: Final = re.compile(r"\(\s*([A-Za-z0-9][A-Za-z0-9.\-]{0,11})\s*\)")


def _slug(text: str, *, fallback: str) -> str:
    """Return ``text`` as ASCII letters and digits joined by ``-`` (at most ``_PART``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", ascii_text).strip("-")[:_PART].strip("-")
    if slug:
        return slug
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
    return f"{fallback}-{digest}"


def _actor(name: str) -> str:
    """Return an actor's short form: its parenthesised abbreviation, else a slug."""
    found = _ABBREVIATION.findall(name)
    if found:
        return _slug(found[-1], fallback="actor")
    return _slug(name, fallback="actor")


def _values(values: tuple[str, ...], what: str, short: Any = None) -> str:
    if not values:
        return ""
    if len(values) > MAX_VALUES:
        return f"{len(values)}-{what}"
    make = short or (lambda v: _slug(v, fallback=what.rstrip("s")))
    return "-".join(dict.fromkeys(make(v) for v in values))


def _precision(filters: Filters) -> int | None:
    """Return the coarsest precision kept; None when every row is (no filter)."""
    precision = filters.coarsest_precision
    return None if precision == max(settings.LOCATION_PRECISIONS) else precision


def filter_slug(filters: Filters) -> str:
    """Return the part of a file name that names the filters that are set.

    Actors by their abbreviation ("National Resistance Front (NRF)" -> ``NRF``) or a
    slug, then event types, statuses, the coarsest precision (``prec2``; not named when
    it is the coarsest there is, which keeps everything) and sources;
    more than :data:`MAX_VALUES` values of one filter are named by their count
    (``4-actors``). Only ``[A-Za-z0-9_-]``; empty when nothing is set.

    Examples
    --------
    >>> filter_slug(Filters(actors=["National Resistance Front (NRF)"], statuses=["claimed"]))
    'NRF_claimed'
    >>> filter_slug(Filters(actors=["a", "b", "c", "d"]))
    '4-actors'
    """
    precision = _precision(filters)
    parts = [
        _values(filters.actors, "actors", _actor),
        _values(filters.event_types, "types"),
        _values(filters.statuses, "statuses"),
        f"prec{precision}" if precision is not None else "",
        _values(filters.sources, "sources"),
        "contested" if filters.contested else "",
        f"known-{filters.known_on.isoformat()}" if filters.known_on else "",
    ]
    return "_".join(p for p in parts if p)


def download_name(layer: str, filters: Filters, extension: str) -> str:
    """Return a file name that carries the layer, the filters set and the window.

    ``<layer>[_<filters>]_<start>_<end><extension>``; a window end that is not set
    is ``any``. Only ``[A-Za-z0-9._-]``; the stem is at most :data:`MAX_STEM`
    characters (a longer filter part is cut and ends with a short hash of it, so two
    different selections keep different names).

    Parameters
    ----------
    layer : str
        The layer (``events``, ``provinces``...).
    filters : geo.claims.Filters
        The filters and window of the file's content.
    extension : str
        With its dot: ``.geojson``, ``.csv``, ``.csv.json``.

    Returns
    -------
    str

    Examples
    --------
    >>> from datetime import date
    >>> f = Filters(start=date(2022, 3, 1), end=date(2022, 6, 30),
    ...             actors=["National Resistance Front (NRF)"])
    >>> download_name("events", f, ".geojson")
    'events_NRF_2022-03-01_2022-06-30.geojson'
    """
    window = "_".join(
        d.isoformat() if d is not None else "any" for d in (filters.start, filters.end)
    )
    head = _slug(layer, fallback="layer")
    ext = "." + ".".join(_slug(p, fallback="x") for p in extension.split(".") if p)
    chosen = filter_slug(filters)
    room = MAX_STEM - len(head) - len(window) - 2
    if len(chosen) > room:
        digest = hashlib.sha256(chosen.encode("utf-8")).hexdigest()[:8]
        chosen = chosen[: room - len(digest) - 1].rstrip("_-") + "-" + digest
    stem = "_".join(p for p in (head, chosen, window) if p)
    return stem + (ext if ext != "." else "")


def export_metadata(
    layer: str,
    filters: Filters,
    *,
    source: str,
    generated: datetime | None = None,
    stances: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return the record an exported file carries about itself.

    Parameters
    ----------
    layer : str
        The layer written.
    filters : geo.claims.Filters
        Its window and filters.
    source : str
        The events file's name (the data source).
    stances : list of dict, optional
        The stances on the file's claims (``geo.views.stance_records``), recorded
        under ``stances`` (events and presence layers).
    generated : datetime, optional
        When the file was made (default now); written in UTC, ISO 8601.

    Returns
    -------
    dict
        ``title``, ``layer``, ``window`` (``start``, ``end``: ISO dates or None),
        ``known_on`` (the map as known on that day, or None),
        ``filters`` (``actors``, ``event_types``, ``statuses``, ``coarsest_precision``:
        None when every precision is kept, ``sources``), ``source``, ``generated`` and
        ``licence``: JSON-ready. The same selection gives the same record, however it
        was made (precision 4 keeps every row, as None does).

    Examples
    --------
    >>> meta = export_metadata("events", Filters(statuses=["claimed"]), source="events.csv",
    ...                        generated=datetime(2024, 5, 1, 12, tzinfo=UTC))
    >>> meta["window"], meta["filters"]["statuses"], meta["generated"]
    ({'start': None, 'end': None}, ['claimed'], '2024-05-01T12:00:00Z')
    """
    when = generated if generated is not None else datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("generated must be timezone-aware (e.g. datetime.now(UTC))")
    stamp = when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {
        "title": f"{TITLE}: {layer}",
        "layer": layer,
        "window": {
            "start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None,
        },
        # what had been reported by that day (None: everything reported so far)
        "known_on": filters.known_on.isoformat() if filters.known_on else None,
        "filters": {
            "actors": list(filters.actors),
            "event_types": list(filters.event_types),
            "statuses": list(filters.statuses),
            "coarsest_precision": _precision(filters),
            "sources": list(filters.sources),
            "contested": filters.contested,
        },
        "source": source,
        "generated": stamp,
        "licence": LICENCE,
        **({"stances": stances} if stances is not None else {}),
    }


def metadata_bytes(metadata: dict[str, Any]) -> bytes:
    """Return the record as the sidecar file's content (indented UTF-8 JSON).

    Examples
    --------
    >>> metadata_bytes({"layer": "events"}).splitlines()
    [b'{', b'  "layer": "events"', b'}']
    """
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sidecar_path(path: Path | str) -> Path:
    """Return where a CSV file's metadata goes: the file's name plus ``.json``.

    Examples
    --------
    >>> sidecar_path("out/events.csv").as_posix()
    'out/events.csv.json'
    """
    path = Path(path)
    return path.with_name(path.name + ".json")


def layer_metadata(metadata: dict[str, Any]) -> dict[str, str]:
    """Return the record as GeoPackage layer metadata: text values, objects as JSON.

    Examples
    --------
    >>> layer_metadata({"layer": "events", "window": {"start": None, "end": None}})
    {'layer': 'events', 'window': '{"start": null, "end": null}'}
    """
    return {
        key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        for key, value in metadata.items()
    }
