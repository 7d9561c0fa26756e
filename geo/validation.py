"""Validation of claims files: bytes, CSV, header, and every row.

:mod:`geo.claims` loads files with these checks. The header and each column are
checked with a pandera schema (required values, formats, vocabularies, unique ids;
lazy, so every failure is reported); rules across columns run on whole columns
(dates in order, coordinates inside Afghanistan and inside the stated province,
precision against coordinates, fatalities and who claims them, sources, place names
against the gazetteer). Each failure becomes a :class:`Problem` naming the file, the
line (the header is line 1; quoted newlines are counted), the column, the value found
and what was expected, with how to fix it.

Problem codes
-------------
File level (line 1): ``missing_columns``, ``extra_columns``, ``duplicate_columns``;
``field_count`` (a row with more or fewer fields than the header).
Rows: ``missing_value``, ``bad_date``, ``impossible_date``, ``future_date``,
``date_order``, ``date_precision_mismatch``, ``bad_vocabulary``, ``duplicate_id``,
``not_a_number``, ``out_of_range``, ``incomplete_coordinates``,
``swapped_coordinates``, ``outside_afghanistan``, ``unknown_province``,
``province_mismatch``, ``coordinates_for_vague_place``, ``missing_coordinates``,
``unknown_place``, ``place_not_in_province``, ``bad_fatalities``,
``negative_fatalities``, ``missing_fatalities_source``,
``fatalities_source_without_number``, ``bad_sources``, ``quote_too_long``.
A file that cannot be read at all (empty, a UTF-8 BOM, not UTF-8, broken quoting)
raises :class:`~geo.errors.ClaimsFileError` instead.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from geo import boundaries, settings
from geo import gazetteer as gz
from geo.errors import AmbiguousPlaceError, ClaimsFileError, PlaceNotFoundError

Kind = Literal["events", "presence"]

#: Points this close (metres) to their stated province are accepted as inside it:
#: Natural Earth's 1:10m borders are generalised by a few hundred metres to a few km.
BORDER_TOLERANCE_M = 3000.0
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
#: Problems about the header rather than one row.
FILE_CODES = ("missing_columns", "extra_columns", "duplicate_columns")


class PlaceResolver(Protocol):
    """What validation needs of a gazetteer (``geo.gazetteer.Gazetteer`` has it)."""

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Any:
        """Return the place named ``name``; raise PlaceNotFoundError when none."""
        ...


@dataclass(frozen=True)
class Problem:
    """One problem in a claims file.

    ``row`` is the line number in the file (the header is line 1). ``str()`` gives
    the message, e.g. ``events.csv, line 7, column 'latitude': found '95.2';
    expected a latitude between 29.3 and 38.6``.
    """

    file: str
    row: int
    column: str
    value: str
    expected: str
    code: str

    def __str__(self) -> str:
        if self.code in FILE_CODES:
            return f"{self.file}, line {self.row} (header): {self.value}; expected {self.expected}"
        found = f"'{self.value}'" if self.value != "" else "an empty value"
        where = f"{self.file}, line {self.row}, column '{self.column}'"
        return f"{where}: found {found}; expected {self.expected}"


@dataclass(frozen=True)
class ClaimsFormat:
    """The columns and rules of one kind of claims file (events or presence)."""

    name: Kind
    columns: tuple[str, ...]
    id_column: str
    start: str
    end: str
    precisions: tuple[int, ...]
    required: tuple[str, ...]


EVENTS = ClaimsFormat(
    "events",
    settings.EVENT_COLUMNS,
    "event_id",
    "date_start",
    "date_end",
    (1, 2, 3, 4),
    (
        "event_id",
        "date_start",
        "date_precision",
        "date_basis",
        "event_type",
        "actor1",
        "claimed_by",
        "claim_status",
        "location_name",
        "location_precision",
        "location_basis",
        "sources",
    ),
)
PRESENCE = ClaimsFormat(
    "presence",
    settings.PRESENCE_COLUMNS,
    "presence_id",
    "period_start",
    "period_end",
    (2, 3, 4),
    (
        "presence_id",
        "group",
        "location_name",
        "location_precision",
        "period_start",
        "date_precision",
        "date_basis",
        "level",
        "claimed_by",
        "claim_status",
        "sources",
    ),
)
FORMATS: dict[str, ClaimsFormat] = {"events": EVENTS, "presence": PRESENCE}

#: What each column holds, for "expected ..." in messages about empty values.
_DESCRIBE = {
    "event_id": "a unique id such as seed-000-01",
    "presence_id": "a unique id such as pres-000-01",
    "date_start": "a date as YYYY-MM-DD",
    "period_start": "a date as YYYY-MM-DD",
    "date_precision": f"one of {', '.join(settings.DATE_PRECISIONS)}",
    "date_basis": "how the date was inferred from the text",
    "event_type": f"one of {', '.join(settings.EVENT_TYPES)}",
    "actor1": "who fought (a group name)",
    "group": "the group reported present",
    "claimed_by": "who makes the claim",
    "claim_status": f"one of {', '.join(settings.CLAIM_STATUSES)}",
    "location_name": "the place as reported (a name the gazetteer knows)",
    "location_precision": "1 exact place, 2 district, 3 province or 4 region/country",
    "location_basis": "how the place was determined",
    "level": f"one of {', '.join(settings.PRESENCE_LEVELS)}",
    "sources": 'a JSON array such as [{"file": ..., "outlet": ..., "title": ..., "quote": ...}]',
}


# --- reading bytes and CSV ---------------------------------------------------------
def decode(data: bytes, name: str) -> str:
    """Return ``data`` as text; refuse an empty file, a BOM and anything not UTF-8.

    Raises
    ------
    ClaimsFileError
        Naming the file, and for bad UTF-8 the byte offset and line.
    """
    if not data.strip():
        raise ClaimsFileError(
            f"{name} is empty; expected a header row (the column names, comma-separated) "
            "and one row per claim: see data/README.md"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        raise ClaimsFileError(
            f"{name} starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without a "
            "BOM (in an editor: encoding 'UTF-8', not 'UTF-8 with BOM'), or remove the first "
            f"three bytes: `sed -i '1s/^\\xEF\\xBB\\xBF//' {name}`"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ClaimsFileError(
            f"{name} is not valid UTF-8: byte 0x{bad} at byte offset {exc.start} "
            f"(line {line}); re-save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`)"
        ) from exc


def parse_csv(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header and ``(start line, fields)`` per record; skip blank lines.

    Line numbers come from the csv module's ``line_num``, so values with quoted
    newlines do not shift the numbers of later rows.

    Raises
    ------
    ClaimsFileError
        If the quoting is broken (the CSV cannot be parsed) or there is no header.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            start, previous = previous + 1, reader.line_num
            if fields and any(f.strip() for f in fields):
                records.append((start, fields))
    except csv.Error as exc:
        raise ClaimsFileError(
            f"{name}, line {previous + 1}: the CSV cannot be parsed ({exc}); check the "
            'quotes: a value with a comma, a quote or a newline is written "like ""this"""'
        ) from exc
    if not records:
        raise ClaimsFileError(f"{name} has no header row; see data/README.md for the columns")
    return records[0][1], records[1:]


def check_header(header: list[str], fmt: ClaimsFormat, name: str) -> list[Problem]:
    """Return problems with missing, extra and repeated columns (line 1)."""
    expected = f"the {len(fmt.columns)} columns {', '.join(fmt.columns)}"
    problems = []
    missing = [c for c in fmt.columns if c not in header]
    extra = [c for c in header if c not in fmt.columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(
            Problem(
                name,
                1,
                ", ".join(missing),
                f"missing column(s) {', '.join(repr(c) for c in missing)}",
                f"{expected}; add the missing column(s) to the header (values may be "
                "empty where the format allows)",
                "missing_columns",
            )
        )
    if extra:
        problems.append(
            Problem(
                name,
                1,
                ", ".join(extra),
                f"unexpected column(s) {', '.join(repr(c) for c in extra)}",
                f"only {expected}; remove the extra column(s) or rename them (check spelling "
                "and spaces)",
                "extra_columns",
            )
        )
    if repeated:
        problems.append(
            Problem(
                name,
                1,
                ", ".join(repeated),
                f"repeated column(s) {', '.join(repr(c) for c in repeated)}",
                f"each of {expected} once; remove the duplicates",
                "duplicate_columns",
            )
        )
    return problems


# --- pandera schema: one column at a time ------------------------------------------
def _empty(s: pd.Series) -> pd.Series:
    return s.str.strip() == ""


def parse_dates(s: pd.Series) -> pd.Series:
    """Parse ``YYYY-MM-DD`` text; anything else (or an impossible date) becomes NaT."""
    well_formed = s.where(s.str.fullmatch(DATE_PATTERN), None)
    dates = pd.to_datetime(well_formed, format="%Y-%m-%d", errors="coerce")
    return dates.astype("datetime64[us]")  # microseconds: years 1-9999 fit


def _today() -> pd.Timestamp:
    return pd.Timestamp.today().normalize()


def _vocab_expected(allowed: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(allowed)

    def expected(value: str) -> str:
        text = f"one of {', '.join(allowed)}"
        close = difflib.get_close_matches(value.strip().lower(), allowed, n=1, cutoff=0.6)
        return f"{text} (did you mean '{close[0]}'?)" if close else text

    return expected


@dataclass(frozen=True)
class _Check:
    code: str
    ok: Callable[[pd.Series], pd.Series]
    expected: str | Callable[[str], str]


def _required(column: str) -> _Check:
    return _Check(
        "missing_value",
        lambda s: ~_empty(s),
        f"{_DESCRIBE.get(column, 'a value')}; this column is required: fill it in",
    )


def _date_checks(column: str) -> list[_Check]:
    return [
        _Check(
            "bad_date",
            lambda s: (s == "") | s.str.fullmatch(DATE_PATTERN),
            f"a date as YYYY-MM-DD (e.g. 2022-04-29) in {column}",
        ),
        _Check(
            "impossible_date",
            lambda s: ~s.str.fullmatch(DATE_PATTERN) | parse_dates(s).notna(),
            "a real calendar date (check the day and month; YYYY-MM-DD)",
        ),
        _Check(
            "future_date",
            lambda s: ~(parse_dates(s) > _today()),
            f"a date not after today ({_today().date()}); a claim cannot be in the future",
        ),
    ]


def _vocab(values: Iterable[str]) -> _Check:
    allowed = tuple(values)
    return _Check("bad_vocabulary", lambda s: (s == "") | s.isin(allowed), _vocab_expected(allowed))


def _province_expected(spellings: Mapping[str, str]) -> Callable[[str], str]:
    def expected(value: str) -> str:
        text = "an ISO 3166-2 province code such as AF-PAN (see data/provinces.geojson)"
        code = spellings.get(value.strip().casefold())
        return f"{text}; for '{value}' write {code}" if code else text

    return expected


def _province_spellings(provinces: gpd.GeoDataFrame) -> dict[str, str]:
    """Return lower-case names, alternative names and codes -> ISO code."""
    codes = provinces[settings.PROVINCE_CODE].astype(str)
    spellings = {code.casefold(): code for code in codes}
    spellings |= {code[3:].casefold(): code for code in codes}
    for column in (settings.PROVINCE_NAME, settings.PROVINCE_ALT):
        if column in provinces.columns:
            for names, code in zip(provinces[column].fillna(""), codes, strict=True):
                spellings |= {n.strip().casefold(): code for n in str(names).split("|") if n}
    return spellings


def _column_checks(fmt: ClaimsFormat, spellings: Mapping[str, str]) -> dict[str, list[_Check]]:
    checks: dict[str, list[_Check]] = {c: [] for c in fmt.columns}
    for column in fmt.required:
        checks[column].append(_required(column))
    checks[fmt.start] += _date_checks(fmt.start)
    checks[fmt.end] += _date_checks(fmt.end)
    checks["date_precision"].append(_vocab(settings.DATE_PRECISIONS))
    checks["claim_status"].append(_vocab(settings.CLAIM_STATUSES))
    checks["location_precision"].append(_vocab(str(p) for p in fmt.precisions))
    codes = tuple(spellings.values())
    checks["province_code"].append(
        _Check(
            "unknown_province", lambda s: (s == "") | s.isin(codes), _province_expected(spellings)
        )
    )
    if fmt is EVENTS:
        checks["event_type"].append(_vocab(settings.EVENT_TYPES))
        for axis in ("longitude", "latitude"):
            checks[axis].append(
                _Check(
                    "not_a_number",
                    lambda s: (s == "") | pd.to_numeric(s, errors="coerce").notna(),
                    f"a {axis} in decimal degrees (e.g. 69.51), or empty",
                )
            )
        checks["fatalities"] += [
            _Check(
                "bad_fatalities",
                lambda s: (s == "") | s.str.fullmatch(r"-?\d+"),
                "a whole number as claimed (e.g. 12), or empty when no number is stated",
            ),
            _Check(
                "negative_fatalities",
                lambda s: ~s.str.fullmatch(r"-\d+"),
                "a number of at least 0; write the number as claimed, without a sign",
            ),
        ]
    else:
        checks["level"].append(_vocab(settings.PRESENCE_LEVELS))
    return checks


def _schema_problems(
    raw: pd.DataFrame, fmt: ClaimsFormat, name: str, provinces: gpd.GeoDataFrame
) -> list[Problem]:
    """Run the pandera schema (lazy) and turn its failure cases into problems."""
    specs = _column_checks(fmt, _province_spellings(provinces))
    schema = pa.DataFrameSchema(
        {
            column: pa.Column(
                checks=[pa.Check(c.ok, name=c.code, error=c.code) for c in specs[column]],
                unique=column == fmt.id_column,
                report_duplicates="all",
            )
            for column in fmt.columns
        },
        strict=False,
    )
    try:
        schema.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    broken = cases[cases["index"].isna()]
    if len(broken):  # a check raised instead of returning booleans: a bug here, not data
        raise RuntimeError(f"a claims check failed to run: {broken.to_dict('records')}")
    cases = cases.assign(number=cases["check_number"].fillna(-1).astype(int))
    cases = cases.sort_values("number").drop_duplicates(["index", "column"])
    problems = []
    for line, column, number, value in zip(
        cases["index"], cases["column"], cases["number"], cases["failure_case"], strict=True
    ):
        value = "" if value is None or value is pd.NA else str(value)
        if number < 0:  # the uniqueness check of the id column
            lines = raw.index[raw[column] == value].tolist()
            others = ", ".join(str(x) for x in lines)
            problems.append(
                Problem(
                    name,
                    int(line),
                    column,
                    value,
                    f"a unique {column}; '{value}' is on lines {others}: give each row its own id",
                    "duplicate_id",
                )
            )
            continue
        check = specs[column][number]
        expected = check.expected(value) if callable(check.expected) else check.expected
        problems.append(Problem(name, int(line), column, value, expected, check.code))
    return problems


# --- rules across columns (whole columns, no per-row loops) ------------------------
def _rule(
    mask: pd.Series | np.ndarray,
    raw: pd.DataFrame,
    name: str,
    column: str,
    code: str,
    expected: str | Callable[[pd.Series], str],
    value: pd.Series | None = None,
) -> list[Problem]:
    hit = raw.index[np.asarray(mask, dtype=bool)]
    if not len(hit):
        return []
    values = (raw[column] if value is None else value).reindex(hit).astype(str)
    out = []
    for line, val in zip(hit, values, strict=True):
        text = expected(raw.loc[line]) if callable(expected) else expected
        out.append(Problem(name, int(line), column, val, text, code))
    return out


def _date_rules(raw: pd.DataFrame, fmt: ClaimsFormat, name: str) -> list[Problem]:
    start, end = parse_dates(raw[fmt.start]), parse_dates(raw[fmt.end])
    problems = _rule(
        end < start,
        raw,
        name,
        fmt.end,
        "date_order",
        lambda r: (
            f"a date on or after {fmt.start} ({r[fmt.start]}); swap the two dates "
            "or correct one of them"
        ),
    )
    day_mismatch = (raw["date_precision"] == "day") & (end > start)
    problems += _rule(
        day_mismatch,
        raw,
        name,
        fmt.end,
        "date_precision_mismatch",
        lambda r: (
            f"an empty value or {r[fmt.start]}: date_precision 'day' is a single day; "
            "use date_precision 'range' (or 'week') for a span"
        ),
    )
    return problems


def _precision_rules(raw: pd.DataFrame, fmt: ClaimsFormat, name: str) -> list[Problem]:
    precision = pd.to_numeric(raw["location_precision"], errors="coerce")
    no_code = (raw["province_code"] == "") & precision.isin([1, 2, 3])
    problems = _rule(
        no_code,
        raw,
        name,
        "province_code",
        "missing_value",
        "an ISO 3166-2 province code such as AF-PAN; it may be empty only when "
        "location_precision is 4 (region/country)",
    )
    if fmt is not EVENTS:
        return problems
    has_lon, has_lat = raw["longitude"] != "", raw["latitude"] != ""
    pair = raw["longitude"] + ", " + raw["latitude"]
    for axis, present, other in (("longitude", has_lon, has_lat), ("latitude", has_lat, has_lon)):
        problems += _rule(
            other & ~present,
            raw,
            name,
            axis,
            "incomplete_coordinates",
            f"a {axis} too: give both longitude and latitude, or neither",
        )
    both = has_lon & has_lat
    problems += _rule(
        both & precision.isin([2, 3, 4]),
        raw,
        name,
        "longitude, latitude",
        "coordinates_for_vague_place",
        lambda r: (
            f"no coordinates: location_precision is {r['location_precision']} "
            f"({settings.LOCATION_PRECISIONS.get(int(r['location_precision']), '?')}) and "
            "coordinates are given only for an exact place (precision 1); remove them, or set "
            "location_precision to 1 if the point is the exact place"
        ),
        value=pair,
    )
    problems += _rule(
        ~has_lon & ~has_lat & (precision == 1),
        raw,
        name,
        "longitude, latitude",
        "missing_coordinates",
        "the coordinates of the exact place (location_precision 1); add longitude and "
        "latitude, or lower location_precision (2 district, 3 province) if the place is vague",
        value=pair,
    )
    return problems


def _fatality_rules(raw: pd.DataFrame, name: str) -> list[Problem]:
    number, source = raw["fatalities"] != "", raw["fatalities_claimed_by"].str.strip() != ""
    problems = _rule(
        number & ~source,
        raw,
        name,
        "fatalities_claimed_by",
        "missing_fatalities_source",
        lambda r: (
            f"who claims the {r['fatalities']} fatalities (e.g. the group or outlet "
            "that gives the number); fill in fatalities_claimed_by"
        ),
    )
    problems += _rule(
        ~number & source,
        raw,
        name,
        "fatalities_claimed_by",
        "fatalities_source_without_number",
        "an empty value when fatalities is empty; give the claimed number in fatalities "
        "or clear fatalities_claimed_by",
    )
    return problems


def _check_sources(text: str) -> list[dict[str, Any]] | str:
    """Parse one ``sources`` cell; return the list, or a string saying what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"valid JSON ({exc.msg} at character {exc.pos})"
    if not isinstance(value, list) or not value:
        return "a non-empty JSON array of objects ([{...}]), not a single value"
    keys = ", ".join(settings.SOURCE_KEYS)
    for i, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            return f"source {i} to be a JSON object with the keys {keys}"
        missing = [k for k in settings.SOURCE_KEYS if not str(entry.get(k) or "").strip()]
        if missing:
            return (
                f"source {i} to have the keys {keys} filled in (missing or empty: "
                f'{", ".join(missing)}; outlet may be "unknown")'
            )
        quote = str(entry["quote"])
        if len(quote) > settings.SOURCE_QUOTE_MAX:
            return (
                f"the quote of source {i} to be at most {settings.SOURCE_QUOTE_MAX} "
                f"characters (it has {len(quote)}); quote a short phrase only"
            )
    return value


def _parse_sources(raw: pd.DataFrame, name: str) -> tuple[pd.Series, list[Problem]]:
    cells = raw["sources"]
    parsed: dict[int, list[dict[str, Any]]] = {}
    problems = []
    filled = cells[cells.str.strip() != ""]
    for line, text in zip(filled.index.tolist(), filled.tolist(), strict=True):
        result = _check_sources(text)
        if not isinstance(result, str):
            parsed[line] = result
            continue
        error = result
        code = "quote_too_long" if error.startswith("the quote") else "bad_sources"
        shown = text if len(text) <= 80 else text[:77] + "..."
        problems.append(Problem(name, line, "sources", shown, error, code))
    return pd.Series(parsed, index=raw.index, dtype=object), problems


@functools.lru_cache(maxsize=4)
def _projected(geoms: tuple[shapely.Geometry, ...]) -> np.ndarray:
    series = gpd.GeoSeries(list(geoms), crs=settings.WGS84)
    return np.asarray(series.to_crs(boundaries.utm_crs()).values)


def _to_utm(points: np.ndarray) -> np.ndarray:
    return np.asarray(gpd.GeoSeries(points, crs=settings.WGS84).to_crs(boundaries.utm_crs()).values)


def _points(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(shapely.points(x, y))


def _first_hit(tree: shapely.STRtree, points: np.ndarray) -> np.ndarray:
    """Return, per point, the index of the first polygon that holds it (-1: none)."""
    which, hit = tree.query(points, predicate="intersects")
    first = np.full(len(points), -1)
    first[which[::-1]] = hit[::-1]
    return first


def _point_rules(raw: pd.DataFrame, name: str, provinces: gpd.GeoDataFrame) -> list[Problem]:
    """Range, swap, outside-Afghanistan and province checks, on whole columns."""
    lon = pd.to_numeric(raw["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(raw["latitude"], errors="coerce").to_numpy(dtype=float)
    rows = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if not len(rows):
        return []
    lon, lat = lon[rows], lat[rows]
    codes = provinces[settings.PROVINCE_CODE].to_numpy(dtype=object)
    names = dict(zip(codes, provinces[settings.PROVINCE_NAME], strict=True))
    geoms = np.asarray(provinces.geometry.values)
    tree = shapely.STRtree(geoms)
    stated = raw["province_code"].to_numpy(dtype=object)[rows]
    stated_idx = pd.Index(codes).get_indexer(stated)

    points = _points(lon, lat)
    which, hit = tree.query(points, predicate="intersects")
    first = np.full(len(rows), -1)
    first[which[::-1]] = hit[::-1]
    ok = np.zeros(len(rows), dtype=bool)
    ok[which[codes[hit] == stated[which]]] = True
    # Within the tolerance of the stated province counts as inside it (generalised borders).
    west, south, east, north = settings.AFG_BOUNDS
    lon_bad = (lon < west) | (lon > east)
    lat_bad = (lat < south) | (lat > north)
    near = np.flatnonzero(~ok & (stated_idx >= 0) & ~lon_bad & ~lat_bad)
    if len(near):
        projected = _projected(tuple(geoms))[stated_idx[near]]
        dist = shapely.distance(_to_utm(points[near]), projected)
        ok[near[dist <= BORDER_TOLERANCE_M]] = True
    swapped = _first_hit(tree, _points(lat, lon))
    lines = raw.index.to_numpy()[rows].tolist()
    lon_text = raw["longitude"].to_numpy(dtype=object)[rows].tolist()
    lat_text = raw["latitude"].to_numpy(dtype=object)[rows].tolist()
    problems: list[Problem] = []
    for i in np.flatnonzero(~ok & (first < 0)).tolist():
        pair, point = f"{lon_text[i]}, {lat_text[i]}", f"({lon[i]}, {lat[i]})"
        if swapped[i] >= 0:
            expected = (
                f"a longitude ({west} to {east}) then a latitude ({south} to {north}); "
                f"longitude and latitude look swapped: ({lat[i]}, {lon[i]}) lies in "
                f"{names[codes[swapped[i]]]}: exchange the two values"
            )
            problems.append(
                Problem(
                    name, lines[i], "longitude, latitude", pair, expected, "swapped_coordinates"
                )
            )
        elif lon_bad[i] or lat_bad[i]:
            for axis, bad, text, lo, hi in (
                ("longitude", lon_bad[i], lon_text[i], west, east),
                ("latitude", lat_bad[i], lat_text[i], south, north),
            ):
                if bad:
                    expected = (
                        f"a {axis} between {lo} and {hi} (Afghanistan); check the sign, the "
                        "decimal point and the order (longitude first)"
                    )
                    problems.append(Problem(name, lines[i], axis, text, expected, "out_of_range"))
        else:
            expected = (
                f"a point inside Afghanistan; {point} lies in no province: check the "
                "coordinates, or leave them empty and lower location_precision"
            )
            problems.append(
                Problem(
                    name, lines[i], "longitude, latitude", pair, expected, "outside_afghanistan"
                )
            )
    for i in np.flatnonzero(~ok & (first >= 0) & (stated_idx >= 0)).tolist():
        found, said = codes[first[i]], stated[i]
        expected = (
            f"{found} ({names[found]}), the province holding the point ({lon[i]}, {lat[i]}), "
            f"not {names[said]} ({said}): fix province_code or the coordinates"
        )
        problems.append(
            Problem(name, lines[i], "province_code", str(said), expected, "province_mismatch")
        )
    return problems


@functools.lru_cache(maxsize=4)
def _exact_names(gazetteer: gz.Gazetteer) -> frozenset[tuple[str, str]]:
    """Return (normalized spelling, province code or "") for every name and alt name."""
    places = gazetteer.places
    spellings = (places["name"].fillna("") + "|" + places["alt_names"].fillna("")).str.split("|")
    table = pd.DataFrame({"spelling": spellings, "code": places["province_code"].fillna("")})
    table = table.explode("spelling")
    table = table[table["spelling"].astype(str).str.strip() != ""]
    keys = table["spelling"].astype(str).map(gz.normalize)
    return frozenset(zip(keys, table["code"].astype(str), strict=True))


def _place_rules(
    raw: pd.DataFrame, name: str, gazetteer: PlaceResolver, names: Mapping[str, str]
) -> list[Problem]:
    """Resolve each distinct (location_name, province) once; report the failures.

    Rows at precision 1-3 must name a place inside their province; precision 4
    (region or country) is resolved without a province. A name that matches several
    places in the province is accepted: the coordinates or the precision place it.
    With the project gazetteer, names that are exactly a place's name or alternative
    name (after :func:`geo.gazetteer.normalize`) in the province, or in no single
    province, pass without a full :meth:`~geo.gazetteer.Gazetteer.resolve`.
    """
    precision = pd.to_numeric(raw["location_precision"], errors="coerce")
    code = raw["province_code"].where(precision < 4, "")
    usable = (raw["location_name"].str.strip() != "") & ((code == "") | code.isin(list(names)))
    keys = pd.DataFrame({"place": raw["location_name"], "code": code})[usable]
    exact = _exact_names(gazetteer) if isinstance(gazetteer, gz.Gazetteer) else None
    anywhere = {key for key, _ in exact} if exact is not None else set()
    failures: dict[tuple[str, str], tuple[str, str]] = {}
    for place, province in keys.drop_duplicates().itertuples(index=False):
        key = gz.normalize(place) if exact is not None else ""
        if exact is not None and (
            (key, province) in exact or (key, "") in exact or (not province and key in anywhere)
        ):
            continue
        try:
            gazetteer.resolve(place, province=province or None)
        except AmbiguousPlaceError:
            continue
        except PlaceNotFoundError as exc:
            elsewhere = key in anywhere if exact is not None else None
            failures[(place, province)] = _place_failure(
                gazetteer, place, province, names, exc, elsewhere
            )
    problems = []
    for line, place, province in keys.itertuples():
        if (place, province) in failures:
            code_, expected = failures[(place, province)]
            problems.append(Problem(name, int(line), "location_name", place, expected, code_))
    return problems


def _known_elsewhere(gazetteer: PlaceResolver, place: str) -> bool:
    try:
        gazetteer.resolve(place, province=None)
    except AmbiguousPlaceError:
        return True
    except PlaceNotFoundError:
        return False
    return True


def _place_failure(
    gazetteer: PlaceResolver,
    place: str,
    province: str,
    names: Mapping[str, str],
    error: PlaceNotFoundError,
    elsewhere: bool | None,
) -> tuple[str, str]:
    fix = (
        "fix the spelling, add the spelling to data/aliases.csv, or name the district or "
        "province and lower location_precision"
    )
    if not province:
        return "unknown_place", f"a place name the gazetteer knows ({error}); {fix}"
    if not (_known_elsewhere(gazetteer, place) if elsewhere is None else elsewhere):
        where = f"{names[province]} ({province})"
        return "unknown_place", f"a place the gazetteer knows in {where} ({error}); {fix}"
    return "place_not_in_province", (
        f"a place in {names[province]} ({province}), the row's province ({error}); fix "
        "province_code or location_name"
    )


def check_rows(
    raw: pd.DataFrame,
    fmt: ClaimsFormat,
    *,
    name: str,
    provinces: gpd.GeoDataFrame,
    gazetteer: PlaceResolver | None,
) -> tuple[list[Problem], pd.Series]:
    """Check every row of a claims table; return the problems and the parsed sources.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), exactly ``fmt.columns``, indexed
        by line number.
    fmt : ClaimsFormat
        :data:`EVENTS` or :data:`PRESENCE`.
    name : str
        The file name shown in messages.
    provinces : geopandas.GeoDataFrame
        Province polygons (EPSG:4326) with ``iso_code`` and ``name``.
    gazetteer : PlaceResolver or None
        Resolves ``location_name`` within the row's province; None skips that check.

    Returns
    -------
    (list of Problem, pandas.Series)
        Every problem (unsorted), and ``sources`` parsed to lists of dicts (None
        where the cell is bad).

    Examples
    --------
    >>> problems, _ = check_rows(raw, EVENTS, name="events.csv", provinces=p, gazetteer=None)
    ... # doctest: +SKIP
    """
    codes = tuple(provinces[settings.PROVINCE_CODE])
    names = dict(zip(codes, provinces[settings.PROVINCE_NAME], strict=True))
    problems = _schema_problems(raw, fmt, name, provinces)
    problems += _date_rules(raw, fmt, name)
    problems += _precision_rules(raw, fmt, name)
    sources, source_problems = _parse_sources(raw, name)
    problems += source_problems
    if fmt is EVENTS:
        problems += _fatality_rules(raw, name)
        problems += _point_rules(raw, name, provinces)
    if gazetteer is not None:
        problems += _place_rules(raw, name, gazetteer, names)
    return problems, sources
