"""Claims-file test data: rows built in code, the CSV writer, a fake gazetteer, `load`.

Shared by test_claims, test_validation, test_column_schema, test_rules, test_place_rules
and test_filters. The `load` fixture is registered through ``pytest_plugins`` in
tests/conftest.py.
"""

from __future__ import annotations

import csv
import io
import json
from typing import ClassVar

import pytest

from geo import claims, settings
from geo.errors import AmbiguousPlaceError, PlaceNotFoundError, Problem

SOURCE = {"file": "000_x.txt", "outlet": "RFE/RL", "title": "A report", "quote": "clashed"}

EVENT = {
    "event_id": "t-01",
    "date_start": "2022-04-18",
    "date_end": "",
    "date_precision": "week",
    "date_basis": "'last week' before the dateline",
    "event_type": "clash",
    "actor1": "National Resistance Front (NRF)",
    "actor2": "Taliban",
    "claimed_by": "NRF",
    "claim_status": "claimed",
    "location_name": "Bazarak",
    "province_code": "AF-PAN",
    "district": "",
    "longitude": "",
    "latitude": "",
    "location_precision": "3",
    "location_basis": "province named",
    "fatalities": "",
    "fatalities_claimed_by": "",
    "notes": "",
    "sources": json.dumps([SOURCE]),
}

PRESENCE = {
    "presence_id": "p-01",
    "group": "National Resistance Front (NRF)",
    "location_name": "Panjshir",
    "province_code": "AF-PAN",
    "district": "",
    "location_precision": "3",
    "period_start": "2021-09-01",
    "period_end": "",
    "date_precision": "range",
    "date_basis": "since September last year",
    "level": "stronghold",
    "claimed_by": "NRF",
    "claim_status": "claimed",
    "notes": "",
    "sources": json.dumps([SOURCE]),
}

#: Points inside the real provinces.
KABUL = ("69.17", "34.53")
PANJSHIR = ("69.9", "35.3")


def csv_text(rows, columns=settings.EVENT_COLUMNS, base=EVENT) -> str:
    """Build a CSV (RFC 4180 quoting) from dicts that override ``base``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        merged = {**base, **row}
        writer.writerow([merged.get(c, "") for c in columns])
    return buffer.getvalue()


def event(i: int = 1, **values: str) -> dict[str, str]:
    return {"event_id": f"t-{i:02d}", **values}


def point(lon_lat: tuple[str, str], **values: str) -> dict[str, str]:
    lon, lat = lon_lat
    return {"longitude": lon, "latitude": lat, "location_precision": "1", **values}


@pytest.fixture
def load(write_text, provinces):
    """Write rows to events.csv and load it with on_invalid='report'."""

    def _load(*rows, gazetteer=None, name="events.csv", **kwargs) -> claims.LoadResult:
        path = write_text(name, csv_text(rows, **kwargs))
        return claims.read_claims(
            kind="events",
            source=path,
            on_invalid="report",
            provinces=provinces,
            gazetteer=gazetteer,
        )

    return _load


def only(result: claims.LoadResult, code: str) -> Problem:
    """Return the single problem, checking its code."""
    assert [p.code for p in result.problems] == [code], [str(p) for p in result.problems]
    return result.problems[0]


class FakeGazetteer:
    """Bazarak is in Panjshir, Andarab in Baghlan, Kabul in two places at once."""

    places: ClassVar[dict[str, set[str | None]]] = {
        "bazarak": {"AF-PAN"},
        "andarab": {"AF-BGL"},
        "afghanistan": {None},
    }

    def __init__(self):
        self.calls = 0

    def resolve(self, name, *, province=None, fuzzy=True):
        self.calls += 1
        key = name.strip().casefold()
        if key == "kabul":
            raise AmbiguousPlaceError("Kabul: city or province", candidates=[])
        where = self.places.get(key)
        if where is None:
            raise PlaceNotFoundError(f"no place matches {name!r}")
        if province is not None and province not in where:
            raise PlaceNotFoundError(f"{name!r} is not in {province}")
        return name


def presence_csv(*rows) -> bytes:
    return csv_text(rows, columns=settings.PRESENCE_COLUMNS, base=PRESENCE).encode()
