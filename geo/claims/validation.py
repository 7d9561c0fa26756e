r"""Validation of claims files: the header, the text of every cell, and every row.

:func:`geo.claims.read_claims` loads files with these checks. The header and each
column are checked with a pandera schema (required values, formats, vocabularies,
unique ids; lazy, so every failure is reported); rules across columns run on whole
columns (dates in order, coordinates inside Afghanistan and inside the stated
province, precision against coordinates, fatalities and who claims them, sources,
place names against the gazetteer). Each failure becomes a
:class:`~geo.errors.Problem` naming the file, the line (the header is line 1; quoted
line breaks are counted), the column, the value found and what was expected, with
how to fix it.

Problem codes
-------------
File level (the header's line): ``missing_columns``, ``extra_columns``,
``duplicate_columns``. Rows: ``field_count`` (more or fewer fields than the header),
``value_too_long``, ``control_character``, ``missing_value``, ``bad_date``,
``impossible_date``, ``future_date``, ``date_too_early``, ``date_order``,
``date_precision_mismatch``, ``bad_vocabulary``, ``duplicate_id``, ``not_a_number``,
``out_of_range``, ``incomplete_coordinates``, ``swapped_coordinates``,
``outside_afghanistan``, ``unknown_province``, ``province_mismatch``,
``coordinates_for_vague_place``, ``missing_coordinates``, ``unknown_place``,
``place_not_in_province``, ``bad_fatalities``, ``too_many_fatalities``,
``missing_fatalities_source``, ``fatalities_source_without_number``, ``bad_sources``,
``quote_too_long``. A file that cannot be read at all (not a file, empty, a UTF-8
BOM, not UTF-8, broken quoting, a header over 500 columns) raises
:class:`~geo.errors.ClaimsFileError` instead.

Text: a ``\r\n`` inside a quoted value is a line break and reads as ``\n``; any
other control character (a lone ``\r``, NUL, ...) is a ``control_character``
problem. A cell that the project's CSV writers escaped against spreadsheet formula
injection (``'=...``, see :mod:`geo._csv`) reads back as it was written.

The checks are grouped by job: :mod:`geo.claims.schema` (one column at a time),
:mod:`geo.claims.rules` (across columns) and :mod:`geo.claims.place_rules` (points
and place names); this module checks the header and the text and runs them all
(:func:`check_rows`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import _csv, settings
from geo._fastcsv import positions
from geo.claims.formats import EVENTS, ClaimsFormat, Parsed, PlaceResolver
from geo.claims.place_rules import place_rules, point_rules
from geo.claims.rules import date_rules, fatality_rules, parse_sources, precision_rules
from geo.claims.schema import schema_problems
from geo.errors import Problem

#: Control characters a cell may not hold (tab and line feed are text).
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f]"
#: What makes a cell need a second look: a control character (\r included) or a
#: leading ``'`` (a formula escape to undo).
_SUSPECT = r"[\x00-\x08\x0b-\x1f\x7f]|^'"
#: The bytes after which a ``'`` may start a cell.
_CELL_START = np.zeros(256, dtype=bool)
_CELL_START[list(b',"\n')] = True


def check_header(
    header: list[str], fmt: ClaimsFormat, name: str, *, line: int = 1
) -> list[Problem]:
    """Return problems with missing, extra and repeated columns (on the header's line).

    Linear in the header's width (the reader refuses headers wider than
    :data:`geo._csv.MAX_COLUMNS` before this runs).
    """
    expected = f"the {len(fmt.columns)} columns {', '.join(fmt.columns)}"
    problems = []
    present, wanted = set(header), set(fmt.columns)
    missing = [c for c in fmt.columns if c not in present]
    extra = list(dict.fromkeys(c for c in header if c not in wanted))
    shown = extra[:10] + (["..."] if len(extra) > 10 else [])
    counts = Counter(header)
    repeated = sorted(c for c, n in counts.items() if n > 1)
    if missing:
        problems.append(
            Problem(
                name,
                line,
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
                line,
                ", ".join(shown),
                f"{len(extra)} unexpected column(s) {', '.join(repr(c) for c in shown)}",
                f"only {expected}; remove the extra column(s) or rename them (check spelling "
                "and spaces)",
                "extra_columns",
            )
        )
    if repeated:
        problems.append(
            Problem(
                name,
                line,
                ", ".join(repeated),
                f"repeated column(s) {', '.join(repr(c) for c in repeated)}",
                f"each of {expected} once; remove the duplicates",
                "duplicate_columns",
            )
        )
    return problems


def field_count_problems(rows: list[tuple[int, list[str]]], width: int, name: str) -> list[Problem]:
    """Return a ``field_count`` problem for every record whose width is not the header's."""
    return [
        Problem(
            name,
            line,
            "(row)",
            f"{len(fields)} fields",
            f"{width} fields, one per header column; quote values that contain commas "
            '("a, b") and check for missing or extra commas',
            "field_count",
        )
        for line, fields in rows
        if len(fields) != width
    ]


def plain_text(data: bytes, step: int = 1 << 22) -> bool:
    r"""Whether a file's bytes hold no control character and no formula escape at all.

    Then no cell needs a second look (:func:`check_rows` skips that pass); a carriage
    return, even in a ``\r\n`` line ending, counts as a control character here, and a
    ``'`` after a comma, a quote or a line break as a possible formula escape. The
    bytes below 32 are counted a few MB at a time (one pass, in cache) and must all
    be tabs and line feeds.

    >>> plain_text(b'a,b\n"x\ty",1\n'), plain_text(b"a\r\n"), plain_text(b"a,'=1\n")
    (True, False, False)
    """
    if data.startswith(b"'"):
        return False
    codes = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(codes), step):
        chunk = codes[start : start + step]
        if np.count_nonzero(chunk == 127):
            return False
        low = np.count_nonzero(chunk < 32)
        if low and low != np.count_nonzero(chunk == 10) + np.count_nonzero(chunk == 9):
            return False
    return not bool(_CELL_START[codes[positions(codes, ord("'")) - 1]].any())


def _too_long(values: pd.Series) -> pd.Series:
    """Return whether each value has more than :data:`geo._csv.MAX_FIELD_CHARS` characters.

    A character takes at least one byte: when no value of a pyarrow column has that
    many bytes (read from its offsets, nothing decoded), none has that many characters.
    """
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        longest = pc.max(pc.binary_length(pa.array(values))).as_py()
        if longest is None or longest <= _csv.MAX_FIELD_CHARS:
            return pd.Series(False, index=values.index)
    return values.str.len() > _csv.MAX_FIELD_CHARS


def _text_problems(
    raw: pd.DataFrame, name: str, *, plain: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Normalise line breaks, undo formula escapes, report long values and control characters."""
    problems: list[Problem] = []
    out = raw.copy()
    for column in raw.columns:
        values = raw[column]
        if plain:  # the file holds none of what the next pass looks for
            suspect = pd.Series(False, index=values.index)
        else:  # one pass; most columns hold none
            suspect = values.str.contains(_SUSPECT, regex=True)
        if suspect.any():
            values = _csv.unescape_column(values.str.replace("\r\n", "\n", regex=False))
            out[column] = values
        long = _too_long(values)
        for line, value in zip(values.index[long], values[long], strict=True):
            problems.append(
                Problem(
                    name,
                    int(line),
                    column,
                    value[:40] + f"... ({len(value):,} characters)",
                    f"at most {_csv.MAX_FIELD_CHARS:,} characters; quote a short passage and "
                    "keep long texts in the source",
                    "value_too_long",
                )
            )
        control = values.str.contains(_CONTROL, regex=True) & ~long if suspect.any() else None
        if control is None:
            continue
        for line, value in zip(values.index[control], values[control], strict=True):
            char = next(c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n")
            shown = value if len(value) <= 60 else value[:57] + "..."
            problems.append(
                Problem(
                    name,
                    int(line),
                    column,
                    shown.encode("unicode_escape").decode("ascii"),
                    f"text without control characters (found U+{ord(char):04X} "
                    f"{unicodedata.name(char, 'control character')}); a line break is \\n, "
                    "a lone \\r (old Mac line ending) is not allowed: re-save the file with "
                    "Unix or Windows line endings",
                    "control_character",
                )
            )
    return out, problems


def check_rows(
    raw: pd.DataFrame,
    fmt: ClaimsFormat,
    *,
    name: str,
    provinces: gpd.GeoDataFrame,
    gazetteer: PlaceResolver | None,
    plain: bool = False,
) -> tuple[Parsed, list[Problem]]:
    """Check every row of a claims table; return its parsed columns and the problems.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), exactly ``fmt.columns``, indexed
        by line number.
    fmt : ClaimsFormat
        :data:`~geo.claims.formats.EVENTS` or :data:`~geo.claims.formats.PRESENCE`.
    name : str
        The file name shown in messages.
    provinces : geopandas.GeoDataFrame
        Province polygons (EPSG:4326) with ``province_code`` and ``name``.
    gazetteer : PlaceResolver or None
        Resolves ``location_name`` within the row's province; None skips that check.
    plain : bool, default False
        The file is :func:`plain_text`: skip the pass over every cell's text.

    Returns
    -------
    (Parsed, list of Problem)
        The text as read (``Parsed.raw``: line breaks normalised, formula escapes
        undone) with the columns the checks parsed (dates, numbers; each parsed once)
        and ``sources`` parsed to lists of dicts (None where the cell is bad), and
        every problem (unsorted).

    Examples
    --------
    >>> parsed, problems = check_rows(raw, EVENTS, name="events.csv", provinces=p,
    ...                               gazetteer=None)  # doctest: +SKIP
    """
    raw, problems = _text_problems(raw, name, plain=plain)
    parsed = Parsed(raw)
    codes = tuple(provinces[settings.PROVINCE_CODE])
    names = dict(zip(codes, provinces[settings.PROVINCE_NAME], strict=True))
    problems += schema_problems(raw, fmt, name, provinces, parsed=parsed)
    problems += date_rules(raw, fmt, name, parsed=parsed)
    problems += precision_rules(raw, fmt, name, parsed=parsed)
    parsed.sources, source_problems = parse_sources(raw, name)
    problems += source_problems
    if fmt is EVENTS:
        problems += fatality_rules(raw, name)
        problems += point_rules(raw, name, provinces, parsed=parsed)
    if gazetteer is not None:
        problems += place_rules(raw, name, gazetteer, names, parsed=parsed)
    return parsed, problems
