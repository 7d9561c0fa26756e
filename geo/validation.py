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

The checks are grouped by job: :mod:`geo.claim_formats` (the formats and
:class:`Problem`), :mod:`geo.column_schema` (one column at a time),
:mod:`geo.rules` (across columns) and :mod:`geo.place_rules` (points and place
names); this module reads the bytes, the CSV and the header and runs them all
(:func:`check_rows`). Their public names stay importable from here.
"""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.claim_formats import DATE_PATTERN as DATE_PATTERN
from geo.claim_formats import EVENTS, ClaimsFormat, PlaceResolver, Problem
from geo.claim_formats import FILE_CODES as FILE_CODES
from geo.claim_formats import FORMATS as FORMATS
from geo.claim_formats import PRESENCE as PRESENCE
from geo.claim_formats import Kind as Kind
from geo.claim_formats import parse_dates as parse_dates
from geo.column_schema import schema_problems
from geo.errors import ClaimsFileError
from geo.place_rules import BORDER_TOLERANCE_M as BORDER_TOLERANCE_M
from geo.place_rules import place_rules, point_rules
from geo.rules import date_rules, fatality_rules, parse_sources, precision_rules


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


# --- every row ---------------------------------------------------------------------
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
    problems = schema_problems(raw, fmt, name, provinces)
    problems += date_rules(raw, fmt, name)
    problems += precision_rules(raw, fmt, name)
    sources, source_problems = parse_sources(raw, name)
    problems += source_problems
    if fmt is EVENTS:
        problems += fatality_rules(raw, name)
        problems += point_rules(raw, name, provinces)
    if gazetteer is not None:
        problems += place_rules(raw, name, gazetteer, names)
    return problems, sources
