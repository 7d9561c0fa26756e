"""Shared fixtures: tiny geometries built in code, and paths to the real data.

Tiny "provinces" are 1-degree squares given real ISO codes, laid side by side::

    lon 69..70  AF-PAR (Parwan)    lon 70..71  AF-PAN (Panjshir)    lon 71..72  AF-BGL (Baghlan)
    (all between lat 35 and 36)
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import boundaries, settings

TINY = [("AF-PAR", "Parwan", 69.0), ("AF-PAN", "Panjshir", 70.0), ("AF-BGL", "Baghlan", 71.0)]

#: Test data and fixtures shared by the test modules of one family of geo/ modules
#: (tests/helpers_<family>.py, imported as ``tests.helpers_<family>``). Registered as
#: plugins so their fixtures are found and their asserts are rewritten by pytest.
pytest_plugins = [
    "tests.helpers_claims",
    "tests.helpers_desk",
    "tests.helpers_export",
    "tests.helpers_gazetteer",
    "tests.helpers_importers",
    "tests.helpers_views",
]


@pytest.fixture
def tiny_provinces() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            settings.PROVINCE_CODE: [c for c, _, _ in TINY],
            settings.PROVINCE_NAME: [n for _, n, _ in TINY],
            settings.PROVINCE_ALT: ["", "Panjsher|Panjshayr", "Baglan"],
            settings.PROVINCE_FA: ["", "", ""],
        },
        geometry=[shapely.box(x, 35.0, x + 1.0, 36.0) for _, _, x in TINY],
        crs=settings.WGS84,
    )


@pytest.fixture
def tiny_districts() -> gpd.GeoDataFrame:
    """Two districts per tiny province: west and east halves."""
    rows = []
    for code, name, x in TINY:
        for half, dx in (("West", 0.0), ("East", 0.5)):
            rows.append(
                {
                    settings.DISTRICT_ID: f"{code}-{half.lower()}",
                    "name": f"{name} {half}",
                    "province_code": code,
                    "geometry": shapely.box(x + dx, 35.0, x + dx + 0.5, 36.0),
                }
            )
    return gpd.GeoDataFrame(rows, crs=settings.WGS84)


@pytest.fixture(scope="session")
def provinces() -> gpd.GeoDataFrame:
    """The shipped 34 provinces (real data)."""
    return boundaries.load_provinces()


@pytest.fixture(scope="session")
def districts() -> gpd.GeoDataFrame:
    """The installed districts, or a skip that says how to install them."""
    if not boundaries.districts_installed():
        pytest.skip("district layer not installed: run `armap districts install`")
    return boundaries.load_districts()


@pytest.fixture
def write_text(tmp_path: Path):
    """Write ``text`` to a file in tmp_path and return its path."""

    def _write(name: str, text: str, *, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write
