"""The records the gazetteer returns: a :class:`Place`, and a :class:`Match` with its rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Match", "Place", "describe", "number", "text"]


@dataclass(frozen=True)
class Place:
    """A resolved place, as the claims files need it.

    ``longitude``/``latitude`` are the place's point: exact for a populated place,
    the representative point of a province or district, None for an alias without a
    source for its position. ``score`` is 100.0 for an exact key match, the rapidfuzz
    score otherwise; ``matched`` is the gazetteer's spelling that matched. ``place_id``
    (an addition to the contract, defaulted) names the row: ``province:AF-PAN``,
    ``geonames:<geonameid>``, ``district:<district_id>`` or ``alias:...``.
    """

    name: str
    kind: str
    province_code: str | None
    province_name: str | None
    district: str | None
    district_id: str | None
    longitude: float | None
    latitude: float | None
    location_precision: int
    score: float
    matched: str
    source: str
    place_id: str = ""


@dataclass(frozen=True)
class Match:
    """A resolved place with the rule that chose it and the places it set aside."""

    place: Place
    rule: str
    others: tuple[Place, ...] = ()


def text(value: Any) -> str | None:
    """Return a table cell as text, None when it is empty or missing."""
    return None if value is None or pd.isna(value) or value == "" else str(value)


def number(value: Any) -> float | None:
    """Return a table cell as a float, None when it is missing."""
    return None if value is None or pd.isna(value) else float(value)


def describe(place: Place) -> str:
    """Return "Name (kind, AF-XXX Province)" for messages."""
    where = f"{place.province_code} {place.province_name}" if place.province_code else "no province"
    return f"{place.name} ({place.kind}, {where})"
