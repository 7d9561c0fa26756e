"""Places: where a claim is, by name or by point.

The public face of the sub-package; everything outside it imports from here.

- :class:`Gazetteer` resolves a place name in any transliteration to a :class:`Place`
  (or reports the ambiguity), built from ``data/gazetteer.csv``, ``data/aliases.csv``
  and the installed districts (:func:`read_gazetteer`, :func:`read_aliases`);
- :func:`normalize` and :func:`parse_name` are the transliteration-proof name keys;
- :func:`locate_points` is the one rule for "this point lies in that province";
  :func:`area_index` answers "which area holds each point" fast, for any boundaries;
  :func:`match_districts` finds the district a row names within its province.

Inside: ``names`` (keys), ``files`` (the gazetteer's files), ``place`` (the records it
returns), ``_tables`` and ``_matching`` (building and searching the index),
``gazetteer``, ``area_index`` (a grid over areas), ``points``, ``district_names``.
"""

from __future__ import annotations

from geo.places.area_index import AreaIndex, area_index
from geo.places.district_names import OnUnmatched, match_districts, report_unmatched
from geo.places.files import GAZETTEER_COLUMNS, KIND_RANK, KINDS, read_aliases, read_gazetteer
from geo.places.gazetteer import Gazetteer
from geo.places.names import normalize, parse_name
from geo.places.place import Match, Place
from geo.places.points import BORDER_TOLERANCE_M, PointCheck, locate_points

__all__ = [
    "BORDER_TOLERANCE_M",
    "GAZETTEER_COLUMNS",
    "KINDS",
    "KIND_RANK",
    "AreaIndex",
    "Gazetteer",
    "Match",
    "OnUnmatched",
    "Place",
    "PointCheck",
    "area_index",
    "locate_points",
    "match_districts",
    "normalize",
    "parse_name",
    "read_aliases",
    "read_gazetteer",
    "report_unmatched",
]
