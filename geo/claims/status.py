"""The status rule: a claim's status, as known on a date, derived from its stances.

A claim is not one status but the stances the parties took on it over time
(:mod:`geo.claims.stances` reads them). **The status rule** (:func:`derive_status`): a
claim's ``claim_status`` as known on a date is derived from the stances reported by
then: ``corroborated`` if any stance corroborates it, else ``acknowledged`` if any
acknowledges it, else ``denied`` if any denies it, else ``claimed`` if any claims it; a
claim with no stance reported by then is not known yet (""). Confirmation outranks
denial: a claim the other side denied and an independent source later corroborated is
corroborated (the denial stays on record, and the claim is *contested*:
:func:`contested`). The events and presence files keep their ``claim_status`` column
only as this derivation: a row whose status differs is reported
(:func:`status_problems`).

A claims file without stances (an upload, an import) still loads: each row's
``claim_status`` becomes one stance by its ``claimed_by`` (:func:`implied_stances`),
reported on its latest report date (:func:`geo.claims.report_dates`), and the page says
so.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from geo.claims.dates import report_dates
from geo.claims.stances import PRECEDENCE, STATUS_OF, empty_stances
from geo.errors import Problem

__all__ = [
    "apply_stances",
    "contested",
    "derive_status",
    "implied_stances",
    "known_as_of",
    "status_problems",
]


def implied_stances(claims: pd.DataFrame, *, id_column: str) -> pd.DataFrame:
    """Return one stance per loaded row: its ``claim_status`` by its ``claimed_by``.

    For a claims file without stances. The stance is reported on the row's latest
    report date (a source's ``published`` date, else the claim's own latest date). It
    gives no ``fatalities`` of its own: the row's figure, and who claims it, stay on
    the row (``fatalities``, ``fatalities_claimed_by``).

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
        return empty_stances()
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
            "fatalities": pd.array([pd.NA] * len(claims), dtype="Int64"),
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
        The stances read from a stances file (:func:`geo.claims.read_stances`); None: the file's
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
