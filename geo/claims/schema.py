"""The pandera schema of a claims file: each column checked on its own.

Required values, date formats (real, not in the future), vocabularies, numbers and
province codes, and a unique id; lazy, so every failure is reported.
:func:`schema_problems` runs the schema and turns its failure cases into
:class:`~geo.claims.formats.Problem` records whose message says what was expected
(with a "did you mean" for a near-miss of a vocabulary word or a province name).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from geo import settings
from geo.claims.formats import (
    DATE_PATTERN,
    DECIMAL_PATTERN,
    EVENTS,
    ClaimsFormat,
    Parsed,
    blank,
    on_distinct,
)
from geo.errors import Problem

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
        lambda s: ~blank(s),
        f"{_DESCRIBE.get(column, 'a value')}; this column is required: fill it in",
    )


def _date_checks(column: str, parsed: Parsed) -> list[_Check]:
    """Return the checks of a date column, on its text parsed once (``parsed``)."""

    def well_formed() -> pd.Series:
        return parsed.matches(column, DATE_PATTERN)

    return [
        _Check(
            "bad_date",
            lambda s: (s == "") | well_formed(),
            f"a date as YYYY-MM-DD (e.g. 2022-04-29) in {column}",
        ),
        _Check(
            "impossible_date",
            lambda s: ~well_formed() | parsed.dates(column).notna(),
            "a real calendar date (check the day and month; YYYY-MM-DD)",
        ),
        _Check(
            "date_too_early",
            lambda s: ~(parsed.dates(column) < pd.Timestamp(settings.EARLIEST_DATE)),
            f"a date on or after {settings.EARLIEST_DATE}, the earliest date the map shows "
            "(check the year)",
        ),
        _Check(
            "future_date",
            lambda s: ~(parsed.dates(column) > _today()),
            f"a date not after today ({_today().date()}); a claim cannot be in the future",
        ),
    ]


def _decimal(axis: str, parsed: Parsed) -> _Check:
    return _Check(
        "not_a_number",
        lambda s: (s == "") | parsed.matches(axis, DECIMAL_PATTERN),
        f"a {axis} in decimal degrees written with the digits 0-9 (e.g. 69.51), or empty",
    )


def _over_max(s: pd.Series) -> pd.Series:
    """Whether each whole number is above ``settings.MAX_FATALITIES`` (no overflow)."""
    return on_distinct(s, _distinct_over_max)


def _distinct_over_max(s: pd.Series) -> pd.Series:
    digits = s.where(s.str.fullmatch(r"[0-9]+"), "").str.lstrip("0")
    longer = digits.str.len() > len(str(settings.MAX_FATALITIES))
    value = pd.to_numeric(digits.where(~longer & (digits != ""), "0"))
    return longer | (value > settings.MAX_FATALITIES)


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


def _column_checks(
    fmt: ClaimsFormat, spellings: Mapping[str, str], parsed: Parsed
) -> dict[str, list[_Check]]:
    checks: dict[str, list[_Check]] = {c: [] for c in fmt.columns}
    for column in fmt.required:
        checks[column].append(_required(column))
    checks[fmt.start] += _date_checks(fmt.start, parsed)
    checks[fmt.end] += _date_checks(fmt.end, parsed)
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
            checks[axis].append(_decimal(axis, parsed))
        checks["fatalities"] += [
            _Check(
                "bad_fatalities",
                lambda s: (s == "") | s.str.fullmatch(r"-?[0-9]+"),
                "a whole number as claimed, written with the digits 0-9 (e.g. 12), or empty "
                "when no number is stated",
            ),
            _Check(
                "negative_fatalities",
                lambda s: ~s.str.fullmatch(r"-[0-9]+"),
                "a number of at least 0; write the number as claimed, without a sign",
            ),
            _Check(
                "too_many_fatalities",
                lambda s: ~_over_max(s),
                f"at most {settings.MAX_FATALITIES:,} (a number that large is a typo; write "
                "the number as claimed)",
            ),
        ]
    else:
        checks["level"].append(_vocab(settings.PRESENCE_LEVELS))
    return checks


def schema_problems(
    raw: pd.DataFrame,
    fmt: ClaimsFormat,
    name: str,
    provinces: gpd.GeoDataFrame,
    *,
    parsed: Parsed | None = None,
) -> list[Problem]:
    """Run the pandera schema (lazy) and turn its failure cases into problems.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text, exactly ``fmt.columns``, indexed by line number.
    fmt : ClaimsFormat
        :data:`~geo.claims.formats.EVENTS` or :data:`~geo.claims.formats.PRESENCE`.
    name : str
        The file name shown in messages.
    provinces : geopandas.GeoDataFrame
        The provinces whose codes (and names, for hints) ``province_code`` may hold.
    parsed : Parsed, optional
        ``raw``'s columns parsed once, shared with the other checks (made here if not
        given).

    Returns
    -------
    list of Problem
        One problem per failing cell (the first failing check of the cell).

    Raises
    ------
    RuntimeError
        If a check fails to run (a bug in a check, not a problem in the data).

    Examples
    --------
    >>> schema_problems(raw, EVENTS, "events.csv", provinces)  # doctest: +SKIP
    []
    """
    parsed = Parsed(raw) if parsed is None else parsed
    specs = _column_checks(fmt, _province_spellings(provinces), parsed)
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
