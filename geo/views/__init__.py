"""What the map shows: one code path for the map, the app's downloads and ``armap export``.

The public face of the sub-package; everything outside it imports from here.

:func:`layer_frame` returns exactly the features and properties of a map layer for a
set of :class:`geo.claims.Filters`; the app draws it (``layers/``), offers it for
download, and the command line writes it. Class breaks for the choropleths come from
:func:`metric_breaks`, computed over the whole time span so the colours keep their
meaning while the window moves. :func:`load_map_data` loads everything once;
the functions that take a :class:`MapData` compute what one rerun of the page needs.
Frames and figures are computed on full-resolution polygons (what downloads and
``armap export`` write); the map's page draws simplified ones. What crosses to the
browser once per dataset and filters is :func:`browser_data` (``browser``,
``payload``).

Inside, one job per module, importing one another in this order and never this
module: ``frames`` (layer frames), ``breaks`` (class breaks), ``tables`` (events as
tables for people), ``cards`` (claims as cards for the panel), ``shapes`` (the
polygons a frame is drawn or written with), ``mapdata`` (what the app loads once and
computes per rerun), ``downloads`` (the files the page offers).
"""

from __future__ import annotations

from geo.views.breaks import PRESENCE_BREAKS, RECENCY_BREAKS, metric_breaks, nice_breaks
from geo.views.browser import BrowserData, browser_data, publish, window_counts
from geo.views.cards import card_citation, claim_cards, data_summary, panel_content
from geo.views.downloads import download_files, stance_records
from geo.views.frames import (
    AREA_POINT,
    EXACT,
    LAYERS,
    METRICS,
    UNMAPPED,
    data_span,
    layer_frame,
    prepare_events,
)
from geo.views.mapdata import (
    MapData,
    breaks_for,
    claims_timeline,
    file_version,
    filter_options,
    known_on,
    load_map_data,
    map_frames,
    province_labels,
)
from geo.views.payload import payload_name, presence_rows
from geo.views.shapes import simplified_frame, simplify_coverage, with_area_shapes
from geo.views.tables import (
    area_events,
    area_figures,
    count_summary,
    event_table,
)

__all__ = [
    "AREA_POINT",
    "EXACT",
    "LAYERS",
    "METRICS",
    "PRESENCE_BREAKS",
    "RECENCY_BREAKS",
    "UNMAPPED",
    "BrowserData",
    "MapData",
    "area_events",
    "area_figures",
    "breaks_for",
    "browser_data",
    "card_citation",
    "claim_cards",
    "claims_timeline",
    "count_summary",
    "data_span",
    "data_summary",
    "download_files",
    "event_table",
    "file_version",
    "filter_options",
    "known_on",
    "layer_frame",
    "load_map_data",
    "map_frames",
    "metric_breaks",
    "nice_breaks",
    "panel_content",
    "payload_name",
    "prepare_events",
    "presence_rows",
    "province_labels",
    "publish",
    "simplified_frame",
    "simplify_coverage",
    "stance_records",
    "window_counts",
    "with_area_shapes",
]
