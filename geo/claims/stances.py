"""Stances: who claims, denies, acknowledges or corroborates which claim, and when.

A claim is not one status but the stances the parties took on it over time: the NRF
claims an attack, the Taliban deny it a day later, an outlet corroborates part of it.
This module reads and checks a stances file (``data/stances.csv``); the status each
claim's stances derive is :mod:`geo.claims.status`'s job. One row per stance:

==============  ==========================================================================
column          meaning
==============  ==========================================================================
stance_id       unique id
addresses       the ids of the events and presence rows it addresses, ``;``-separated
                (one blanket denial can address several claims)
party           who takes the stance ("Taliban spokespeople", "NRF", "RFE/RL")
stance          ``claims``, ``denies``, ``acknowledges`` or ``corroborates``
reported        when it was reported (YYYY-MM-DD): the source's publication date, or,
                when the source gives none, the latest date it can have (a bound)
reported_basis  how ``reported`` was read (required when it is a bound)
sources         the sources, as in the claims files (a JSON array of objects with
                ``file``, ``outlet``, ``title``, ``quote``)
fatalities      optional column: the number of deaths the party states, in its own
                words, for the claim it addresses (a whole number, 0 to
                ``settings.MAX_FATALITIES``); empty when it states none. A file
                without the column reads as if every stance stated none.
==============  ==========================================================================

Where the sides' figures differ (one party states one number of deaths, the other
another), both stand side by side: neither is the claim's "true" figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from geo import _fastcsv, settings
from geo.claims.formats import parse_dates
from geo.errors import ClaimsFileError, Problem

__all__ = [
    "OPTIONAL_STANCE_COLUMNS",
    "STANCES",
    "STANCE_COLUMNS",
    "StanceResult",
    "empty_stances",
    "read_stances",
    "report_day",
    "row_stances",
]

#: The stances a party can take, and the status each one makes.
STATUS_OF: Final = {
    "claims": "claimed",
    "denies": "denied",
    "acknowledges": "acknowledged",
    "corroborates": "corroborated",
}
STANCES: Final = tuple(STATUS_OF)
#: The status rule: the first of these that any reported stance takes wins.
PRECEDENCE: Final = ("corroborates", "acknowledges", "denies", "claims")
STANCE_COLUMNS: Final = (
    "stance_id",
    "addresses",
    "party",
    "stance",
    "reported",
    "reported_basis",
    "sources",
)
#: Columns a stances file may have; a file without them still loads.
OPTIONAL_STANCE_COLUMNS: Final = ("fatalities",)
#: One row per (stance, addressed claim): what every function below works on (``quote``
#: and ``source``: the stance's first source, for showing the sides side by side;
#: ``fatalities``: the figure the stance states, nullable).
FRAME_COLUMNS: Final = (
    "stance_id", "claim_id", "party", "stance", "reported", "line", "quote", "source",
    "fatalities",
)  # fmt: skip


@dataclass(frozen=True)
class StanceResult:
    """A stances file read: one row per (stance, claim), and what was wrong.

    Attributes
    ----------
    stances : pandas.DataFrame
        ``stance_id``, ``claim_id``, ``party``, ``stance``, ``reported`` (datetime64),
        ``line``, ``quote`` and ``source`` (the first source's quote and "outlet,
        title") and ``fatalities`` (``Int64``, missing where none is stated), for the
        good rows.
    problems : list of Problem
        One per bad value, with the file, line, column and value.
    """

    stances: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def empty_stances() -> pd.DataFrame:
    """Return a stances frame with no rows: :data:`FRAME_COLUMNS`, typed.

    >>> empty_stances().dtypes["fatalities"]
    Int64Dtype()
    """
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in FRAME_COLUMNS})
    return frame.astype({"reported": "datetime64[us]", "line": "int64", "fatalities": "Int64"})


def read_stances(data: bytes, name: str, *, known_ids: set[str] | None = None) -> StanceResult:
    r"""Read and check a stances file; every problem names its line, column and value.

    Parameters
    ----------
    data : bytes
        The file's content (UTF-8 CSV).
    name : str
        The file name shown in messages.
    known_ids : set of str, optional
        The ids of the events and presence rows; an address outside it is a problem.

    Returns
    -------
    StanceResult

    Raises
    ------
    ClaimsFileError
        If the file cannot be read as CSV, or a column is missing.

    Examples
    --------
    >>> text = (b"stance_id,addresses,party,stance,reported,reported_basis,sources\n"
    ...         b's1,e1;e2,Taliban,denies,2022-05-01,,"[{""file"": ""a.txt"", ""outlet"": '
    ...         b'""X"", ""title"": ""T"", ""quote"": ""untrue""}]"\n')
    >>> read_stances(text, "stances.csv").stances["claim_id"].tolist()
    ['e1', 'e2']
    """
    table = _fastcsv.read_table(data, name, error=ClaimsFileError)
    missing = [c for c in STANCE_COLUMNS if c not in table.header]
    if missing:
        raise ClaimsFileError(
            f"{name}, line {table.header_line}: missing column(s) {', '.join(missing)}; "
            f"a stances file has the columns {', '.join(STANCE_COLUMNS)}"
        )
    raw = table.frame
    problems = [
        Problem(
            name, line, "(row)", f"{len(f)} fields", f"{len(table.header)} fields", "field_count"
        )
        for line, f in table.misfits
    ]

    def bad(mask: pd.Series, column: str, expected: str, code: str) -> None:
        found = raw.loc[mask, column]
        for line, value in zip(found.index.tolist(), found.tolist(), strict=True):
            problems.append(Problem(name, int(line), column, str(value), expected, code))

    stripped = {c: raw[c].str.strip() for c in STANCE_COLUMNS}
    for column in ("stance_id", "addresses", "party"):
        bad(stripped[column] == "", column, f"a {column} (not empty)", "missing_value")
    bad(stripped["stance_id"].duplicated(keep="first") & (stripped["stance_id"] != ""),
        "stance_id", "an id used once", "duplicate_id")  # fmt: skip
    bad(~stripped["stance"].isin(STANCES), "stance", " or ".join(STANCES), "unknown_stance")
    reported = parse_dates(stripped["reported"])
    bad(reported.isna(), "reported", "a date YYYY-MM-DD (a bound when the source gives none)",
        "bad_date")  # fmt: skip
    bad(~_sources_ok(raw["sources"]), "sources",
        'a JSON array such as [{"file": ..., "outlet": ..., "title": ..., "quote": ...}]',
        "bad_sources")  # fmt: skip
    fatalities = _fatalities(raw, name, problems)
    ids = stripped["addresses"].str.split(";")
    pairs = ids.explode().str.strip()
    pairs = pairs[pairs != ""]
    if known_ids is not None:
        unknown = pairs[~pairs.isin(known_ids)]
        expected = "the id of an event or presence row (events.csv, presence.csv)"
        for line, value in zip(unknown.index.tolist(), unknown.tolist(), strict=True):
            problems.append(Problem(name, int(line), "addresses", value, expected, "unknown_id"))
    quotes, outlets = _first_source(raw["sources"])
    bad_lines = {p.line for p in problems}
    good = pairs[~pairs.index.isin(list(bad_lines))]
    if known_ids is not None:
        good = good[good.isin(known_ids)]
    frame = pd.DataFrame(
        {
            "stance_id": stripped["stance_id"].reindex(good.index).to_numpy(dtype=object),
            "claim_id": good.to_numpy(dtype=object),
            "party": stripped["party"].reindex(good.index).to_numpy(dtype=object),
            "stance": stripped["stance"].reindex(good.index).to_numpy(dtype=object),
            "reported": reported.reindex(good.index).to_numpy(),
            "line": good.index.to_numpy(dtype="int64"),
            "quote": quotes.reindex(good.index).to_numpy(dtype=object),
            "source": outlets.reindex(good.index).to_numpy(dtype=object),
            "fatalities": fatalities.reindex(good.index).to_numpy(),
        }
    ).astype({"fatalities": "Int64"})
    problems.sort(key=lambda p: (p.line, p.column))
    return StanceResult(frame if len(frame) else empty_stances(), problems)


def _fatalities(raw: pd.DataFrame, name: str, problems: list[Problem]) -> pd.Series:
    """Return the ``fatalities`` column as numbers (missing where empty or bad).

    Checked as the events' fatalities are: a whole number written with the digits
    0-9, at least 0, at most ``settings.MAX_FATALITIES``; each bad value is added to
    ``problems``. A file without the column states no figure.
    """
    if "fatalities" not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="Int64")
    text = raw["fatalities"].str.strip()
    digits = text.str.fullmatch(r"[0-9]+")
    negative = text.str.fullmatch(r"-[0-9]+")
    significant = text.where(digits, "").str.lstrip("0")
    too_long = significant.str.len() > len(str(settings.MAX_FATALITIES))  # no overflow
    number = pd.to_numeric(significant.where(~too_long & (significant != ""), "0"))
    too_many = digits & (too_long | (number > settings.MAX_FATALITIES))
    checks = (
        (~digits & ~negative & (text != ""), "bad_fatalities",
         "a whole number of deaths as the party states it, written with the digits 0-9 "
         "(e.g. 12), or empty when the party states no number"),
        (negative, "negative_fatalities",
         "a number of at least 0; write the number as stated, without a sign"),
        (too_many, "too_many_fatalities",
         f"at most {settings.MAX_FATALITIES:,} (a number that large is a typo; write the "
         "number as stated)"),
    )  # fmt: skip
    for mask, code, expected in checks:
        found = raw.loc[mask, "fatalities"]
        for line, cell in zip(found.index.tolist(), found.tolist(), strict=True):
            problems.append(Problem(name, int(line), "fatalities", cell, expected, code))
    return number.where(digits & ~too_many).astype("Int64")


def _first_source(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return each cell's first source: its quote, and "outlet, title" ("" when bad)."""

    def first(text: Any) -> dict[str, Any]:
        try:
            value = json.loads(text) if isinstance(text, str) else text
        except json.JSONDecodeError:
            return {}
        item = value[0] if isinstance(value, list) and value else {}
        return item if isinstance(item, dict) else {}

    items = cells.map(first)
    quotes = items.map(lambda s: str(s.get("quote", "")))
    outlets = items.map(lambda s: ", ".join(str(s[k]) for k in ("outlet", "title") if s.get(k)))
    return quotes, outlets


def _sources_ok(cells: pd.Series) -> pd.Series:
    def ok(text: str) -> bool:
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return False
        return (
            isinstance(value, list)
            and bool(value)
            and all(
                isinstance(s, dict)
                and all(str(s.get(k) or "").strip() for k in settings.SOURCE_KEYS)
                for s in value
            )
        )

    return cells.map(ok).astype(bool)


def report_day(sources: list[dict[str, Any]], date_start: str, date_end: str) -> tuple[str, str]:
    """Return the day a claim's own stance was reported (YYYY-MM-DD), and how it was read.

    The sources' latest ``published`` date, else their latest upper bound
    (``published_before``), else the earliest they can have been published
    (``published_after``), else the claim's own latest date.

    >>> report_day([{"published": "2022-04-29"}], "2022-04-18", "")
    ('2022-04-29', "the source's publication date (2022-04-29)")
    >>> report_day([], "2022-04-18", "2022-04-24")[0]
    '2022-04-24'
    """

    def dates(key: str) -> list[str]:
        return sorted(str(s[key]) for s in sources if isinstance(s, dict) and s.get(key))

    if published := dates("published"):
        return published[-1], f"the source's publication date ({published[-1]})"
    if before := dates("published_before"):
        return before[-1], (
            "a bound: the source gives no publication date; the text places it on or before "
            f"{before[-1]} (its published_before)"
        )
    if after := dates("published_after"):
        return after[-1], (
            "no publication date and no upper bound in the text: "
            f"{after[-1]}, the earliest it can have been reported (its published_after)"
        )
    latest = date_end or date_start
    return latest, (
        "no publication date and no bound in the text: the claim's own latest date "
        f"({latest}), the earliest it can have been reported"
    )


def row_stances(rows: pd.DataFrame, *, id_column: str = "event_id") -> pd.DataFrame:
    """Return each row's status as one stance by its ``claimed_by``, as stances-file rows.

    For claims that come with one stance each, such as the rows of an ACLED or UCDP
    import (the dataset's): ``st-<id>``, the stance that makes the row's
    ``claim_status``, reported on :func:`report_day` of its sources, with its sources.

    Parameters
    ----------
    rows : pandas.DataFrame
        Claims-file rows as text (``claim_status``, ``claimed_by``, ``sources``, the
        dates and ``id_column``), valid.
    id_column : str, default "event_id"

    Returns
    -------
    pandas.DataFrame
        :data:`STANCE_COLUMNS`, all text.

    Examples
    --------
    >>> row_stances(imported)["stance"].unique().tolist()  # doctest: +SKIP
    ['claims']
    """
    stance_of = {status: stance for stance, status in STATUS_OF.items()}
    start = "date_start" if "date_start" in rows else "period_start"
    end = "date_end" if "date_end" in rows else "period_end"
    days = [
        report_day(json.loads(cell), first, last)
        for cell, first, last in zip(rows["sources"], rows[start], rows[end], strict=True)
    ]
    return pd.DataFrame(
        {
            "stance_id": "st-" + rows[id_column].astype(str),
            "addresses": rows[id_column].astype(str),
            "party": rows["claimed_by"].astype(str),
            "stance": rows["claim_status"].map(stance_of),
            "reported": [day for day, _ in days],
            "reported_basis": [basis for _, basis in days],
            "sources": rows["sources"].astype(str),
        },
        columns=list(STANCE_COLUMNS),
    ).reset_index(drop=True)
