"""Tests for geo/import_places.py: place resolution for imports.

The point checks (swapped coordinates, a point outside Afghanistan or in another
province) are asserted through the rejections in test_acled and test_ucdp.
"""

from __future__ import annotations

import pytest

from geo.io import importers
from geo.places.gazetteer import Gazetteer
from tests.helpers_importers import UCDP, _row


@pytest.mark.realdata
def test_without_districts_district_precision_falls_back_to_the_province(provinces):
    gaz = Gazetteer.load(districts_path=None)
    conv = importers.convert_file(UCDP, provinces=provinces, gazetteer=gaz)
    row = _row(conv, "ucdp:502")
    assert (row["location_precision"], row["district"], row["location_name"]) == (
        "3",
        "",
        "Panjshir",
    )
    assert "adm_2 'Dara' is not a district the gazetteer knows in Panjshir" in row["location_basis"]
