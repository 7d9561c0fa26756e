"""What the map shows: one code path for the map, the app's downloads and ``cli.py export``.

:func:`layer_frame` returns exactly the features and properties of a map layer for a
set of :class:`Filters`; the app draws it (``layers/``), offers it for download as
RFC 7946 GeoJSON, and the command line writes it. Class breaks for the choropleths
come from :func:`metric_breaks`, computed over the whole time span so the colours keep
their meaning while the window moves.

This module is the public front; the work is done, one job per module, in

- :mod:`geo.layer_frames`: :class:`Filters`, :func:`layer_frame` and what it needs
  (:func:`filter_events`, :func:`data_span`, :func:`prepare_events`);
- :mod:`geo.breaks`: class breaks (:func:`metric_breaks`, :func:`nice_breaks`);
- :mod:`geo.tables`: events as tables for people (:func:`event_table`,
  :func:`area_events`);
- :mod:`geo.mapdata`: what the app loads once and computes per rerun
  (:class:`MapData`, :func:`load_map_data`, :func:`map_frames` ...).

They import one another in that order and never this module, so there is no cycle.
"""

from __future__ import annotations

from geo.breaks import PRESENCE_BREAKS as PRESENCE_BREAKS
from geo.breaks import RECENCY_BREAKS as RECENCY_BREAKS
from geo.breaks import metric_breaks as metric_breaks
from geo.breaks import nice_breaks as nice_breaks
from geo.layer_frames import AREA_POINT as AREA_POINT
from geo.layer_frames import EXACT as EXACT
from geo.layer_frames import LAYERS as LAYERS
from geo.layer_frames import METRICS as METRICS
from geo.layer_frames import UNMAPPED as UNMAPPED
from geo.layer_frames import Filters as Filters
from geo.layer_frames import data_span as data_span
from geo.layer_frames import filter_events as filter_events
from geo.layer_frames import layer_frame as layer_frame
from geo.layer_frames import prepare_events as prepare_events
from geo.mapdata import MapData as MapData
from geo.mapdata import area_breaks as area_breaks
from geo.mapdata import breaks_for as breaks_for
from geo.mapdata import claims_timeline as claims_timeline
from geo.mapdata import download_files as download_files
from geo.mapdata import filter_options as filter_options
from geo.mapdata import load_map_data as load_map_data
from geo.mapdata import map_frames as map_frames
from geo.mapdata import step_window as step_window
from geo.tables import area_events as area_events
from geo.tables import event_table as event_table

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
