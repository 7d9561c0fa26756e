"""Typed constants for the whole project: paths, CRS, column names, vocabularies.

This module imports nothing from the project, so every other module may depend on it.

Where files are:

- **shipped data** (provinces, neighbours, claims, gazetteer): ``data/`` in a checkout;
  in an installed wheel, the copy packaged as ``geo/_data/`` (found with
  :mod:`importlib.resources`);
- **installed data** (the district layer of ``armap districts install`` and the map's
  JavaScript and CSS of ``scripts/install_assets.py``): ``data/districts/`` and
  ``static/vendor/`` in a writable checkout, as ever; otherwise, and always when the
  package runs from an installed wheel, the per-user folder :data:`USER_DIR`:
  ``$ARMAP_HOME`` when set (it then wins in a checkout too), else platformdirs'
  ``user_data_dir("armap")`` (``~/.local/share/armap`` on Linux,
  ``~/Library/Application Support/armap`` on macOS, ``%LOCALAPPDATA%/armap`` on Windows).

The installers write, and the readers look, at the same constants below, chosen once
at import.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Final

from platformdirs import user_data_dir

# --- paths -----------------------------------------------------------------------
ROOT: Final = Path(__file__).resolve().parent.parent
#: The data shipped inside an installed wheel (absent from a checkout).
PACKAGED_DATA_DIR: Final = Path(str(resources.files(__package__ or "geo") / "_data"))
#: Whether this is an installed wheel rather than a checkout (``pip install -e .`` runs
#: the checkout, so it counts as one).
INSTALLED: Final = PACKAGED_DATA_DIR.is_dir()
DATA_DIR: Final = PACKAGED_DATA_DIR if INSTALLED else ROOT / "data"
PROVINCES_PATH: Final = DATA_DIR / "provinces.geojson"
NEIGHBOURS_PATH: Final = DATA_DIR / "neighbours.geojson"
EVENTS_PATH: Final = DATA_DIR / "events.csv"
PRESENCE_PATH: Final = DATA_DIR / "presence.csv"
#: Who claims, denies, acknowledges or corroborates each claim, and when (geo.claims.stances).
STANCES_PATH: Final = DATA_DIR / "stances.csv"
GAZETTEER_PATH: Final = DATA_DIR / "gazetteer.csv"
ALIASES_PATH: Final = DATA_DIR / "aliases.csv"

#: The environment variable that names the per-user folder.
HOME_ENV: Final = "ARMAP_HOME"
#: The per-user folder for installed (never shipped) data.
USER_DIR: Final = (
    Path(os.environ.get(HOME_ENV) or user_data_dir("armap", appauthor=False))
    .expanduser()
    .absolute()
)


def _writable(folder: Path) -> bool:
    """Whether ``folder``, or the nearest folder above it that exists, is writable."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def _install_dir(checkout_dir: Path) -> Path:
    """Return ``checkout_dir`` in a writable checkout, else its place in :data:`USER_DIR`."""
    if INSTALLED or os.environ.get(HOME_ENV) or not _writable(checkout_dir):
        return USER_DIR / checkout_dir.name
    return checkout_dir


#: Installed (never committed) district layer; see ``geo.boundaries.install_districts``.
DISTRICTS_DIR: Final = _install_dir(ROOT / "data" / "districts")
DISTRICTS_PATH: Final = DISTRICTS_DIR / "districts.geojson"
DISTRICTS_MANIFEST: Final = DISTRICTS_DIR / "manifest.json"

#: Where ``armap districts install`` looks for geoBoundaries by default: the local mirror
#: beside a checkout (as in CI); for an installed wheel, ``USER_DIR/boundaries``.
SHARED_BOUNDARIES_DIR: Final = (
    USER_DIR / "boundaries" if INSTALLED else ROOT.parent / "shared" / "boundaries"
)
GEOBOUNDARIES_FILE: Final = "geoBoundaries-AFG-ADM2_simplified.geojson"
GEOBOUNDARIES_SHA256: Final = "ded11c6a9b558170e7d52a23309106254608f269258e2ccf1ad464c9603fa169"
GEOBOUNDARIES_BOUNDARY_ID: Final = "AFG-ADM2-17698898"
GEOBOUNDARIES_FEATURES: Final = 398
#: The geoBoundaries API entry that names the current gbOpen AFG ADM2 release files.
GEOBOUNDARIES_API: Final = "https://www.geoboundaries.org/api/current/gbOpen/AFG/ADM2/"

#: The folder Streamlit serves at ``/app/static/`` (``static/`` beside app.py). It
#: refuses any file whose real path, symlinks resolved, lies outside it.
STATIC_DIR: Final = ROOT / "static"
#: Leaflet and plugin files installed from the npm registry (see ``make assets``):
#: ``static/vendor/`` in a writable checkout, else ``USER_DIR/vendor`` (not servable).
VENDOR_DIR: Final = _install_dir(STATIC_DIR / "vendor")

# --- coordinate reference systems ------------------------------------------------
#: Everything read, stored and exported is WGS84 longitude/latitude (RFC 7946).
WGS84: Final = "EPSG:4326"
#: Equal-area Albers conic fitted to Afghanistan (standard parallels 31 and 37 N);
#: used for areas and overlaps. Distances use the UTM zone chosen by pyproj.
EQUAL_AREA_PROJ: Final = (
    "+proj=aea +lat_0=33.5 +lon_0=66.5 +lat_1=31 +lat_2=37 +x_0=0 +y_0=0 "
    "+datum=WGS84 +units=m +no_defs"
)
#: Afghanistan's bounding box (west, south, east, north), with a small margin.
AFG_BOUNDS: Final = (60.4, 29.3, 75.0, 38.6)

# --- province properties ---------------------------------------------------------
PROVINCE_CODE: Final = "province_code"
PROVINCE_NAME: Final = "name"
PROVINCE_ALT: Final = "name_alt"
PROVINCE_FA: Final = "name_fa"
DISTRICT_ID: Final = "district_id"
DISTRICT_NAME: Final = "name"

# --- claims vocabularies ---------------------------------------------------------
DATE_PRECISIONS: Final = ("day", "week", "month", "range")
CLAIM_STATUSES: Final = ("claimed", "denied", "acknowledged", "corroborated")
EVENT_TYPES: Final = (
    "clash",
    "attack",
    "ambush",
    "casualty_claim",
    "reinforcement",
    "strategic_development",
    "violence_against_civilians",
    "protest",
    "riot",
)
#: 1 exact place, 2 district (or near a named place), 3 province,
#: 4 region or country (cannot be placed in one province: listed, not mapped).
LOCATION_PRECISIONS: Final = {1: "exact place", 2: "district", 3: "province", 4: "region/country"}
#: The earliest date a claim may carry (the map's time slider starts no earlier).
EARLIEST_DATE: Final = "1900-01-01"
#: The largest fatality figure accepted (larger ones are typos or overflows).
MAX_FATALITIES: Final = 1_000_000
#: Presence levels, weakest first; the integer is the map's ordinal scale.
PRESENCE_LEVELS: Final = {"reported_activity": 1, "sustained_fighting": 2, "stronghold": 3}
#: A group whose name holds one of these words is unnamed: a tie between groups goes
#: to the named one (Panjshir is the NRF's, not "Anti-Taliban resistance (unspecified)").
UNNAMED_GROUP_WORDS: Final = ("unspecified", "unidentified", "unknown", "unnamed")


def group_rank(name: str) -> tuple[bool, str]:
    """Order groups for ties: named groups first, then by name.

    >>> sorted(["Anti-Taliban resistance (unspecified)", "NRF"], key=group_rank)
    ['NRF', 'Anti-Taliban resistance (unspecified)']
    """
    lower = name.lower()
    return any(word in lower for word in UNNAMED_GROUP_WORDS), name


# --- plain words for the codes: what a person reads on screen (files keep the codes) --
EVENT_TYPE_LABELS: Final = {
    "clash": "Clash",
    "attack": "Attack",
    "ambush": "Ambush",
    "casualty_claim": "Casualty claim",
    "reinforcement": "Reinforcement",
    "strategic_development": "Strategic move",
    "violence_against_civilians": "Against civilians",
    "protest": "Protest",
    "riot": "Riot",
}
CLAIM_STATUS_LABELS: Final = {
    "claimed": "Claimed (one side's word)",
    "denied": "Denied by the other side",
    "acknowledged": "Acknowledged by the other side",
    "corroborated": "Corroborated by an independent source",
}
DATE_PRECISION_LABELS: Final = {
    "day": "exact day",
    "week": "within a week",
    "month": "within a month",
    "range": "sometime in a range",
}
PRESENCE_LEVEL_LABELS: Final = {1: "Reported activity", 2: "Sustained fighting", 3: "Stronghold"}

# --- column names ----------------------------------------------------------------
EVENT_COLUMNS: Final = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "event_type",
    "actor1",
    "actor2",
    "claimed_by",
    "claim_status",
    "location_name",
    "province_code",
    "district",
    "longitude",
    "latitude",
    "location_precision",
    "location_basis",
    "fatalities",
    "fatalities_claimed_by",
    "notes",
    "sources",
)
PRESENCE_COLUMNS: Final = (
    "presence_id",
    "group",
    "location_name",
    "province_code",
    "district",
    "location_precision",
    "period_start",
    "period_end",
    "date_precision",
    "date_basis",
    "level",
    "claimed_by",
    "claim_status",
    "notes",
    "sources",
)
#: Keys of each object in the JSON list held by the ``sources`` column: the first four
#: are required (``outlet`` may be "unknown"), the rest optional.
SOURCE_KEYS: Final = ("file", "outlet", "title", "quote")
SOURCE_OPTIONAL_KEYS: Final = ("cites", "published", "url", "original_id")
SOURCE_QUOTE_MAX: Final = 300
