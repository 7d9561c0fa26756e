"""The gazetteer's files: reading and checking ``data/gazetteer.csv`` and ``data/aliases.csv``.

Both are plain CSV (UTF-8, header row). :func:`read_gazetteer` and :func:`read_aliases`
check every row before the gazetteer is built, and a problem names the file, the line,
the column, the value found and what was expected. :data:`KINDS` and
:data:`SOURCES` are the vocabularies of the ``kind`` and ``source`` columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo import _csv, _files, settings
from geo.errors import GazetteerError

#: Kinds of place, largest first; the order is rule 4's ranking.
KINDS = ("country", "region", "province", "district", "valley", "populated_place")
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
SOURCES = ("natural-earth", "geonames", "geoboundaries", "alias")
#: A decimal number in ASCII digits (no exponent, ``inf`` or other scripts' digits).
_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
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


def _read_csv(path: Path, columns: tuple[str, ...], what: str) -> tuple[pd.DataFrame, list[str]]:
    """Read a gazetteer file as text, indexed by line; return it and its width problems."""
    path = Path(path)
    if not path.exists():
        hint = "run `python scripts/build_gazetteer.py`" if what == "gazetteer" else ""
        raise GazetteerError(f"{what} file not found: {path}" + (f"; {hint}" if hint else ""))
    data = _files.read_bytes(path, what=f"{what} file", error=GazetteerError)
    text = _csv.decode(data, path.name, error=GazetteerError)
    records = _csv.read_records(text, path.name, error=GazetteerError)
    header = [h.strip() for h in records.header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise GazetteerError(f"{what} file {path} lacks columns {missing}; expected {columns}")
    width = len(header)
    problems = [
        f"{path.name}, line {line}: {len(fields)} fields; expected {width}, one per header "
        'column (quote values that contain commas: "a, b")'
        for line, fields in records.rows
        if len(fields) != width
    ]
    fits = [(line, fields) for line, fields in records.rows if len(fields) == width]
    frame = pd.DataFrame(
        [fields for _, fields in fits],
        columns=header,
        index=pd.Index([line for line, _ in fits], name="line"),
        dtype=object,
    )
    return frame[list(columns)].astype(str), problems


def _problems(
    path: Path, frame: pd.DataFrame, bad: pd.Series, column: str, expected: str
) -> list[str]:
    """One message per bad row: file, line, column, the value found, what was expected."""
    return [
        f"{path.name}, line {line}, column '{column}': found {value!r}; expected {expected}"
        for line, value in zip(frame.index[bad.to_numpy()], frame.loc[bad, column], strict=True)
    ]


def _raise_all(path: Path, what: str, problems: list[str]) -> None:
    """Raise one GazetteerError listing every problem, in line order (none: return)."""
    if not problems:
        return
    listing = "\n".join(sorted(problems, key=_line_of))
    raise GazetteerError(
        f"{what} file {path.name}: {len(problems)} problem(s); fix every one:\n{listing}"
    )


def _line_of(message: str) -> int:
    match = re.search(r", line (\d+)", message)
    return int(match[1]) if match else 0


def _check_common(path: Path, frame: pd.DataFrame, defined: pd.Series) -> list[str]:
    """Return the problems of kind, precision, coordinates and province code of defining rows."""
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
        decimal = frame[col].str.fullmatch(_DECIMAL)
        value = pd.to_numeric(frame[col].where(decimal, ""), errors="coerce")
        wrong = (frame[col] != "") & ~value.between(low, high)
        checks.append((col, wrong, f"empty or a {col} between {low} and {high}"))
    half = (frame["longitude"] == "") != (frame["latitude"] == "")
    checks.append(("latitude", half, "longitude and latitude both given or both empty"))
    nop = (frame["province_code"] == "") & (frame["location_precision"] != "4")
    checks.append(("province_code", nop, "a province code unless location_precision is 4"))
    problems: list[str] = []
    reported = {col: pd.Series(False, index=frame.index) for col, _, _ in checks}
    for col, bad, expected in checks:  # the first failing check of each cell
        fresh = bad & defined & ~reported[col]
        reported[col] |= fresh
        problems += _problems(path, frame, fresh, col, expected)
    return problems


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
    path = Path(path)
    frame, problems = _read_csv(path, GAZETTEER_COLUMNS, "gazetteer")
    everything = pd.Series(True, index=frame.index)
    problems += _check_common(path, frame, everything)
    for col, bad, expected in (
        ("place_id", frame["place_id"].duplicated(keep=False), "a unique place_id"),
        ("name", frame["name"] == "", "a name"),
        ("source", ~frame["source"].isin(SOURCES), f"one of {SOURCES}"),
    ):
        problems += _problems(path, frame, bad, col, expected)
    _raise_all(path, "gazetteer", problems)
    out = frame.reset_index(drop=True)
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
    path = Path(path)
    frame, problems = _read_csv(path, ALIAS_COLUMNS, "aliases")
    described = ["name", "kind", "province_code", "longitude", "latitude", "location_precision"]
    targeted = frame["target"] != ""
    checks = [
        ("alias", frame["alias"].str.strip() == "", "a spelling"),
        ("name", ~targeted & (frame["name"] == ""), "a name (or a target)"),
    ]
    for col in described:
        checks.append((col, targeted & (frame[col] != ""), "empty: the target describes it"))
    for col, bad, expected in checks:
        problems += _problems(path, frame, bad, col, expected)
    problems += _check_common(path, frame, ~targeted)
    _raise_all(path, "aliases", problems)
    return frame.reset_index()[[*ALIAS_COLUMNS, "line"]]
