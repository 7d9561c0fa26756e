"""The gazetteer's files: reading and checking ``data/gazetteer.csv`` and ``data/aliases.csv``.

Both are plain CSV (UTF-8, header row). :func:`read_gazetteer` and :func:`read_aliases`
check every row before the gazetteer is built, and a problem names the file, the line,
the column, the value found and what was expected. :data:`KINDS` and
:data:`SOURCES` are the vocabularies of the ``kind`` and ``source`` columns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo import settings
from geo.errors import GazetteerError

#: Kinds of place, largest first; the order is rule 4's ranking.
KINDS = ("country", "region", "province", "district", "valley", "populated_place")
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
SOURCES = ("natural-earth", "geonames", "geoboundaries", "alias")
#: Columns of data/gazetteer.csv, in order (alt_names is "|"-separated).
GAZETTEER_COLUMNS = (
    "place_id",
    "name",
    "kind",
    "province_code",
    "longitude",
    "latitude",
    "location_precision",
    "alt_names",
    "source",
    "geonameid",
    "population",
    "feature_class",
)
#: Columns of data/aliases.csv. A row with a ``target`` (a place_id of gazetteer.csv)
#: adds a spelling to that place and leaves name..location_precision empty; a row
#: without one defines (or adds a spelling to) the place called ``name``.
ALIAS_COLUMNS = (
    "alias",
    "name",
    "kind",
    "province_code",
    "longitude",
    "latitude",
    "location_precision",
    "target",
    "note",
)


def _read_csv(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if not path.exists():
        hint = "run `python scripts/build_gazetteer.py`" if what == "gazetteer" else ""
        raise GazetteerError(f"{what} file not found: {path}" + (f"; {hint}" if hint else ""))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read {what} file {path}: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GazetteerError(f"{what} file {path} lacks columns {missing}; expected {columns}")
    return frame


def _problem(path: Path, frame: pd.DataFrame, bad: pd.Series, column: str, expected: str) -> str:
    first = frame.index[bad.to_numpy()][0]
    line = int(first) + 2  # header is line 1
    return (
        f"{path.name}, line {line}, column '{column}': found {frame.at[first, column]!r}; "
        f"expected {expected}"
    )


def _check_common(path: Path, frame: pd.DataFrame, defined: pd.Series) -> None:
    """Validate kind, precision, coordinates and province code of defining rows."""
    checks = [
        ("kind", ~frame["kind"].isin(KINDS), f"one of {KINDS}"),
        (
            "location_precision",
            ~frame["location_precision"].isin(["1", "2", "3", "4"]),
            "1, 2, 3 or 4",
        ),
        (
            "province_code",
            ~frame["province_code"].str.fullmatch(r"(AF-[A-Z]{3})?"),
            "an ISO 3166-2 code such as AF-PAN, or nothing",
        ),
    ]
    west, south, east, north = settings.AFG_BOUNDS
    for col, low, high in (("longitude", west, east), ("latitude", south, north)):
        value = pd.to_numeric(frame[col].replace("", np.nan), errors="coerce")
        wrong = (frame[col] != "") & ~value.between(low, high)
        checks.append((col, wrong, f"empty or a {col} between {low} and {high}"))
    half = (frame["longitude"] == "") != (frame["latitude"] == "")
    checks.append(("latitude", half, "longitude and latitude both given or both empty"))
    nop = (frame["province_code"] == "") & (frame["location_precision"] != "4")
    checks.append(("province_code", nop, "a province code unless location_precision is 4"))
    for col, bad, expected in checks:
        bad = bad & defined
        if bad.any():
            raise GazetteerError(_problem(path, frame, bad, col, expected))


def read_gazetteer(path: Path = settings.GAZETTEER_PATH) -> pd.DataFrame:
    """Read and check ``data/gazetteer.csv``.

    Parameters
    ----------
    path : Path
        A CSV with :data:`GAZETTEER_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        The rows, strings except ``longitude``/``latitude`` (float) and
        ``location_precision`` (int).

    Raises
    ------
    GazetteerError
        If the file is missing or unreadable, lacks a column, or a value is invalid
        (the message names the line, the column and the value).

    Examples
    --------
    >>> int(read_gazetteer()["kind"].value_counts()["province"])
    34
    """
    frame = _read_csv(path, GAZETTEER_COLUMNS, "gazetteer")
    everything = pd.Series(True, index=frame.index)
    _check_common(path, frame, everything)
    for col, bad, expected in (
        ("place_id", frame["place_id"].duplicated(keep=False), "a unique place_id"),
        ("name", frame["name"] == "", "a name"),
        ("source", ~frame["source"].isin(SOURCES), f"one of {SOURCES}"),
    ):
        if bad.any():
            raise GazetteerError(_problem(path, frame, bad, col, expected))
    out = frame.copy()
    out[["longitude", "latitude"]] = out[["longitude", "latitude"]].replace("", np.nan)
    out = out.astype({"longitude": float, "latitude": float, "location_precision": int})
    return out


def read_aliases(path: Path = settings.ALIASES_PATH) -> pd.DataFrame:
    """Read and check the hand-written ``data/aliases.csv``.

    Parameters
    ----------
    path : Path
        A CSV with :data:`ALIAS_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        The rows as strings, with a ``line`` column (line number in the file).

    Raises
    ------
    GazetteerError
        If the file is missing, a column is absent, a row both targets a place and
        describes one, or a defining row has an invalid kind, precision, province
        code or coordinate.

    Examples
    --------
    >>> "Panjshir Valley" in set(read_aliases()["alias"])
    True
    """
    frame = _read_csv(path, ALIAS_COLUMNS, "aliases")
    described = ["name", "kind", "province_code", "longitude", "latitude", "location_precision"]
    targeted = frame["target"] != ""
    checks = [
        ("alias", frame["alias"].str.strip() == "", "a spelling"),
        ("name", ~targeted & (frame["name"] == ""), "a name (or a target)"),
    ]
    for col in described:
        checks.append((col, targeted & (frame[col] != ""), "empty: the target describes it"))
    for col, bad, expected in checks:
        if bad.any():
            raise GazetteerError(_problem(path, frame, bad, col, expected))
    _check_common(path, frame, ~targeted)
    return frame.assign(line=frame.index + 2)
