"""Stances: who claims, denies, acknowledges or corroborates which claim, and when.

A claim is not one status but the stances the parties took on it over time: the NRF
claims an attack, the Taliban deny it a day later, an outlet corroborates part of it.
A stances file (``data/stances.csv``) holds one row per stance:

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
==============  ==========================================================================

**The status rule** (:func:`derive_status`): a claim's ``claim_status`` as known on a
date is derived from the stances reported by then: ``corroborated`` if any stance
corroborates it, else ``acknowledged`` if any acknowledges it, else ``denied`` if any
denies it, else ``claimed`` if any claims it; a claim with no stance reported by then is
not known yet (""). Confirmation outranks denial: a claim the other side denied and an
independent source later corroborated is corroborated (the denial stays on record, and
the claim is *contested*: :func:`contested`). The events and presence files keep their
``claim_status`` column only as this derivation: a row whose status differs is reported.

A claims file without stances (an upload, an import) still loads: each row's
``claim_status`` becomes one stance by its ``claimed_by`` (:func:`implied_stances`),
reported on its latest report date (:func:`geo.claims.report_dates`), and the page says
so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import numpy as np
import pandas as pd

from geo import _fastcsv, settings
from geo.claims.dates import report_dates
from geo.claims.formats import parse_dates
from geo.errors import ClaimsFileError, Problem

__all__ = [
    "STANCES",
    "STANCE_COLUMNS",
    "StanceResult",
    "apply_stances",
    "contested",
    "derive_status",
    "implied_stances",
    "known_as_of",
    "read_stances",
    "status_problems",
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
#: One row per (stance, addressed claim): what every function below works on (``quote``
#: and ``source``: the stance's first source, for showing the sides side by side).
FRAME_COLUMNS: Final = (
    "stance_id", "claim_id", "party", "stance", "reported", "line", "quote", "source",
)  # fmt: skip


@dataclass(frozen=True)
class StanceResult:
    """A stances file read: one row per (stance, claim), and what was wrong.

    Attributes
    ----------
    stances : pandas.DataFrame
        ``stance_id``, ``claim_id``, ``party``, ``stance``, ``reported`` (datetime64)
        and ``line``, for the good rows.
    problems : list of Problem
        One per bad value, with the file, line, column and value.
    """

    stances: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in FRAME_COLUMNS})
    return frame.astype({"reported": "datetime64[us]", "line": "int64"})


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
        }
    )
    problems.sort(key=lambda p: (p.line, p.column))
    return StanceResult(frame if len(frame) else _empty(), problems)


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


def implied_stances(claims: pd.DataFrame, *, id_column: str) -> pd.DataFrame:
    """Return one stance per loaded row: its ``claim_status`` by its ``claimed_by``.

    For a claims file without stances. The stance is reported on the row's latest
    report date (a source's ``published`` date, else the claim's own latest date).

    Parameters
    ----------
    claims : pandas.DataFrame
        Loaded events or presence rows (``claim_status``, ``claimed_by``, ``sources``
        and the dates).
    id_column : str
        ``event_id`` or ``presence_id``.

    Examples
    --------
    >>> implied_stances(events, id_column="event_id")["stance"].iloc[0]  # doctest: +SKIP
    'claims'
    """
    if claims.empty:
        return _empty()
    dated = claims.rename(columns={"period_start": "date_start", "period_end": "date_end"})
    reported = report_dates(dated)["reported"]
    stance = {status: s for s, status in STATUS_OF.items()}
    return pd.DataFrame(
        {
            "stance_id": "implied-" + claims[id_column].astype(str),
            "claim_id": claims[id_column].astype(str).to_numpy(dtype=object),
            "party": claims["claimed_by"].astype(str).to_numpy(dtype=object),
            "stance": claims["claim_status"].map(stance).to_numpy(dtype=object),
            "reported": reported.to_numpy(dtype="datetime64[us]"),
            "line": claims["line"].to_numpy(dtype="int64") if "line" in claims else 0,
            "quote": "",  # the claim's own sources are its stance's
            "source": "",
        }
    )


def derive_status(
    stances: pd.DataFrame, ids: pd.Series, *, as_known_on: pd.Timestamp | None = None
) -> pd.Series:
    """Return each claim's status from its stances reported by ``as_known_on``.

    Parameters
    ----------
    stances : pandas.DataFrame
        One row per (stance, claim): ``claim_id``, ``stance``, ``reported``.
    ids : pandas.Series
        The claims' ids; the result is aligned with it.
    as_known_on : pandas.Timestamp, optional
        Count only the stances reported by then (all when None).

    Returns
    -------
    pandas.Series
        ``claimed``, ``denied``, ``acknowledged``, ``corroborated``, or "" where no
        stance was reported by then (see the module's rule).

    Examples
    --------
    >>> s = pd.DataFrame({"claim_id": ["e1", "e1"], "stance": ["claims", "denies"],
    ...                   "reported": pd.to_datetime(["2022-05-01", "2022-05-02"])})
    >>> derive_status(s, pd.Series(["e1", "e2"])).tolist()
    ['denied', '']
    >>> derive_status(s, pd.Series(["e1"]), as_known_on=pd.Timestamp("2022-05-01")).tolist()
    ['claimed']
    """
    known = stances if as_known_on is None else stances[stances["reported"] <= as_known_on]
    rank = {s: i for i, s in enumerate(PRECEDENCE)}
    ranked = known.assign(rank=known["stance"].map(rank))
    best = ranked.groupby("claim_id")["rank"].min()
    status = best.map(lambda r: STATUS_OF[PRECEDENCE[int(r)]])
    out = ids.astype(str).map(status.to_dict()).astype(object)
    return out.where(out.notna(), "")


def known_as_of(
    claims: pd.DataFrame, stances: pd.DataFrame, day: date, *, id_column: str
) -> pd.DataFrame:
    """Return the claims as known on ``day``: those reported by then, status as it stood.

    A claim no stance of which was reported by ``day`` is left out; the others get
    the status their stances reported by then derive (a claim later denied is still
    ``claimed`` the day before the denial).

    >>> c = pd.DataFrame({"event_id": ["e1", "e2"], "claim_status": ["denied", "claimed"]})
    >>> s = pd.DataFrame({"claim_id": ["e1", "e1", "e2"],
    ...                   "stance": ["claims", "denies", "claims"],
    ...                   "reported": pd.to_datetime(["2022-05-01", "2022-05-09", "2022-06-01"])})
    >>> known_as_of(c, s, date(2022, 5, 5), id_column="event_id").to_dict("records")
    [{'event_id': 'e1', 'claim_status': 'claimed', 'contested': False}]
    """
    then = stances[stances["reported"] <= pd.Timestamp(day)]
    status = derive_status(then, claims[id_column])
    known = (status != "").to_numpy()
    out = claims[known].copy()
    out["claim_status"] = status[known].to_numpy()
    out["contested"] = out[id_column].astype(str).isin(set(contested(then))).to_numpy()
    return out


def contested(stances: pd.DataFrame) -> pd.Index:
    """Return the ids of the claims with both a claim and a denial on record.

    >>> s = pd.DataFrame({"claim_id": ["e1", "e1", "e2"],
    ...                   "stance": ["claims", "denies", "claims"]})
    >>> contested(s).tolist()
    ['e1']
    """
    kinds = stances.groupby("claim_id")["stance"].agg(set)
    both = kinds.map(
        lambda k: "denies" in k and bool(k & {"claims", "acknowledges", "corroborates"})
    )
    return pd.Index(sorted(kinds.index[both.to_numpy(dtype=bool)]))


def status_problems(
    claims: pd.DataFrame, stances: pd.DataFrame, *, id_column: str, name: str
) -> list[Problem]:
    """Report rows whose ``claim_status`` is not the status their stances derive.

    A row that no stance addresses is reported too: every claim rests on a stance.
    """
    derived = derive_status(stances, claims[id_column])
    stated = claims["claim_status"].astype(str)
    problems = []
    for i in np.flatnonzero((derived != stated).to_numpy()).tolist():
        row = claims.iloc[i]
        line = int(row["line"]) if "line" in claims else 0
        if derived.iloc[i] == "":
            expected = f"a stance addressing {row[id_column]} in the stances file"
        else:
            expected = (
                f"'{derived.iloc[i]}', the status its stances derive (see the stances file); "
                "fix claim_status or the stances"
            )
        problems.append(
            Problem(name, line, "claim_status", stated.iloc[i], expected, "status_not_derived")
        )
    return problems


def apply_stances(
    claims: pd.DataFrame,
    stances: pd.DataFrame | None,
    *,
    id_column: str,
    name: str,
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Give loaded claims the status their stances derive; report rows that differ.

    Parameters
    ----------
    claims : pandas.DataFrame
        Loaded events or presence rows (``claim_status``, ``line``).
    stances : pandas.DataFrame or None
        The stances read from a stances file (:func:`read_stances`); None: the file's
        rows have none, and each row's ``claim_status`` stands as one stance
        (:func:`implied_stances`).
    id_column : str
        ``event_id`` or ``presence_id``.
    name : str
        The claims file's name, for messages.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, list of Problem)
        The claims with ``claim_status`` derived (a row no stance addresses keeps
        its own), the stances that address them, and ``status_not_derived`` problems.
    """
    if stances is None:
        out = claims.assign(contested=False)
        return out, implied_stances(claims, id_column=id_column), []
    ids = claims[id_column].astype(str)
    mine = stances[stances["claim_id"].isin(set(ids))]
    problems = status_problems(claims, mine, id_column=id_column, name=name)
    derived = derive_status(mine, ids)
    out = claims.copy()
    has = (derived != "").to_numpy()
    out.loc[has, "claim_status"] = derived[has].to_numpy()
    out["contested"] = ids.isin(set(contested(mine))).to_numpy()
    return out, mine, problems
