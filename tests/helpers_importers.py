"""Import test data: the ACLED and UCDP GED fixtures, their expected rejections, `gaz`.

The fixtures in tests/fixtures/ are small hand-written files with the real column sets
in the real order, and awkward rows: province-only precision, unknown places, other
spellings (Panjsher, Hilmand, Sari Pul, Maidan Wardak), swapped coordinates, a point
in the wrong province or outside Afghanistan, missing fatalities, an HTML payload, a
quoted newline, both ACLED date formats, and a last row cut off by a truncated file.

Shared by test_acled, test_ucdp, test_import_places and test_importers; `gaz` is
registered through ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.io import importers
from geo.places.gazetteer import Gazetteer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ACLED = FIXTURES / "acled" / "acled_afghanistan.csv"
UCDP = FIXTURES / "ucdp" / "ged_afghanistan.csv"
XSS = '<img src=x onerror="window.__xss=1">'
CUT = "it was cut off (an interrupted download or copy?); get the complete file"

ACLED_REJECTED = [
    (
        7,
        "AFG1006",
        "latitude and longitude look swapped: (lat 69.51519, lon 35.31292) lies outside "
        "Afghanistan, but exchanged it falls in Panjshir (AF-PAN); correct the file and "
        "import it again",
    ),
    (
        8,
        "AFG1007",
        "province 'Narnia' is not one of the 34 provinces (in any spelling the gazetteer knows)",
    ),
    (
        9,
        "AFG1008",
        "coordinates (lat 35.31292, lon 69.51519) fall in Panjshir (AF-PAN), not in the "
        "province named, 'Kabul' (AF-KAB)",
    ),
    (10, "AFG1009", "coordinates (lat 34.0151, lon 71.5249) are outside Afghanistan"),
    (12, "AFG1011", "event_date: found '31 Febuary 2022'; expected YYYY-MM-DD or '12 May 2022'"),
    # Line 14 holds a quoted newline, so the cut-off row starts on line 16.
    (16, "AFG1014", f"the file ends in the middle of this row (19 of 31 fields): {CUT}"),
]

UCDP_REJECTED = [
    (
        6,
        "505",
        "latitude and longitude look swapped: (lat 69.51519, lon 35.31292) lies outside "
        "Afghanistan, but exchanged it falls in Panjshir (AF-PAN); correct the file and "
        "import it again",
    ),
    (
        7,
        "506",
        "province 'Gondor' is not one of the 34 provinces (in any spelling the gazetteer knows)",
    ),
    # Line 8 (id 507) is in Pakistan: counted as another country's row, not rejected.
    (10, "501", "duplicate id '501' (first on line 2)"),
    (
        12,
        "511",
        "type_of_violence: found '9'; expected 1 (state-based), 2 (non-state) or 3 (one-sided)",
    ),
    (13, "512", f"the file ends inside a quoted value of this row (23 of 47 fields): {CUT}"),
]


#: Rows of other countries, counted in the summary instead of listed one by one.
UCDP_OTHERS = {"Pakistan": 1}


@pytest.fixture(scope="session")
def global_acled(tmp_path_factory) -> Path:
    """A generated global ACLED export: 3,000 rows, a third in Afghanistan, a few bad.

    Written by ``bench/bench_batch.py`` (the benchmark's generator, at a small size):
    quoted line breaks, repeated ids, impossible dates and swapped coordinates included.
    """
    from bench.bench_batch import write_acled

    path = tmp_path_factory.mktemp("global") / "acled_global.csv"
    write_acled(path, rows=3000, afghan_share=0.3, seed=1, block=500)
    return path


@pytest.fixture(scope="module")
def gaz(districts) -> Gazetteer:
    """The project gazetteer with the installed districts (skips without them)."""
    return Gazetteer.load()


def _rejections(conv: importers.Conversion) -> list[tuple[int, str, str]]:
    rows = conv.rejected[["line", "source_id", "reason"]].itertuples(index=False)
    return [(int(line), str(sid), str(reason)) for line, sid, reason in rows]


def _row(conv: importers.Conversion, event_id: str) -> dict[str, str]:
    hit = conv.events[conv.events["event_id"] == event_id]
    assert len(hit) == 1, event_id
    return hit.iloc[0].to_dict()
