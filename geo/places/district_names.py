"""District names matched within their province, a whole column at a time.

Used by :func:`geo.join.join_events` for claims without a point that name a district:
:func:`match_districts` finds each row's district by its ``province_code`` and its
``district`` name cleaned as :func:`geo.boundaries.clean_name` cleans the boundaries'
names (NFC, single spaces, no edges, case-folded); :func:`report_unmatched` lists the
names that match nothing, with the closest name of the province, and warns or raises.
"""

from __future__ import annotations

import difflib
import functools
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd

from geo import settings
from geo.errors import PlaceNotFoundError

__all__ = ["OnUnmatched", "match_districts", "report_unmatched"]

OnUnmatched = Literal["warn", "raise", "ignore"]


def _district_key(province: pd.Series, name: pd.Series) -> pd.Series:
    """Return ``province|cleaned name``: boundaries.clean_name on a whole column, case-folded."""
    text = name.fillna("").astype(str).str.normalize("NFC")
    cleaned = text.str.replace(r"\s+", " ", regex=True).str.strip().str.casefold()
    return province.fillna("").astype(str) + "|" + cleaned


def match_districts(
    province: pd.Series | pd.Categorical, name: pd.Series | pd.Categorical, districts: pd.DataFrame
) -> np.ndarray:
    """Return per row the position of its district, matched by province and cleaned name.

    Each distinct (province, name) pair is cleaned and looked up once: the cost is one
    factorization of each column, whatever the number of rows.

    Parameters
    ----------
    province : pandas.Series or pandas.Categorical
        Each row's ``province_code``.
    name : pandas.Series or pandas.Categorical
        Each row's ``district`` name, as written (categoricals factorize fastest).
    districts : pandas.DataFrame
        The districts: ``province_code`` and ``name``. When two districts of a province
        clean to the same name, the first one is matched.

    Returns
    -------
    numpy.ndarray of int64
        Per row, the position (``iloc``) of its district in ``districts``; -1 where no
        district of the row's province has its name.

    Examples
    --------
    >>> districts = pd.DataFrame({"province_code": ["AF-PAN"], "name": ["Khenj"]})
    >>> match_districts(
    ...     pd.Series(["AF-PAN", "AF-PAN", "AF-BGL"]), pd.Series([" khenj", "Anaba", "Khenj"]),
    ...     districts,
    ... ).tolist()
    [0, -1, -1]
    """
    keys_of, position_of = _table(
        tuple(districts["province_code"].tolist()),
        tuple(districts[settings.DISTRICT_NAME].tolist()),
    )
    p_codes, p_uniques = pd.factorize(province, use_na_sentinel=False)
    n_codes, n_uniques = pd.factorize(name, use_na_sentinel=False)
    pair, pairs = pd.factorize(p_codes.astype(np.int64) * max(len(n_uniques), 1) + n_codes)
    p_of, n_of = np.divmod(np.asarray(pairs), max(len(n_uniques), 1))
    keys = _district_key(
        pd.Series(np.asarray(p_uniques, dtype=object)[p_of], dtype=object),
        pd.Series(np.asarray(n_uniques, dtype=object)[n_of], dtype=object),
    )
    return position_of[keys_of.get_indexer(pd.Index(keys.to_numpy()))][pair]


@functools.lru_cache(maxsize=8)
def _table(provinces: tuple[Any, ...], names: tuple[Any, ...]) -> tuple[pd.Index, np.ndarray]:
    """Return the districts' keys (the first district of a key wins) and their positions.

    The positions end with -1, for keys found in no district. Cached: one set of districts
    is matched many times.
    """
    table = _district_key(pd.Series(provinces, dtype=object), pd.Series(names, dtype=object))
    first = ~table.duplicated().to_numpy()
    return pd.Index(table[first].to_numpy()), np.append(np.flatnonzero(first), -1)


def report_unmatched(
    lines: np.ndarray,
    codes: np.ndarray,
    names: np.ndarray,
    districts: pd.DataFrame,
    how: OnUnmatched,
) -> list[dict[str, Any]]:
    """List the rows whose district name matched nothing, and warn or raise about them.

    Parameters
    ----------
    lines, codes, names : numpy.ndarray
        Per unmatched row: its line in the claims file, ``province_code`` and
        ``district``.
    districts : geopandas.GeoDataFrame
        The districts, for the closest name of each row's province (:mod:`difflib`,
        looked up once per distinct province and name).
    how : {"warn", "raise", "ignore"}
        What to do when the list is not empty.

    Returns
    -------
    list of dict
        One ``{"line", "province_code", "district", "closest"}`` per row (``closest``: a
        list of at most one name).

    Raises
    ------
    PlaceNotFoundError
        With ``how="raise"``, if any row is listed; the message lists them all.

    Examples
    --------
    >>> districts = pd.DataFrame({"province_code": ["AF-PAN"], "name": ["Khenj"]})
    >>> report_unmatched(
    ...     np.array([7]), np.array(["AF-PAN"]), np.array(["Khinj"]), districts, "ignore"
    ... )
    [{'line': 7, 'province_code': 'AF-PAN', 'district': 'Khinj', 'closest': ['Khenj']}]
    """
    closest: dict[tuple[Any, Any], list[str]] = {}
    report = []
    for line, code, name in zip(lines.tolist(), codes.tolist(), names.tolist(), strict=True):
        if (code, name) not in closest:
            known = districts.loc[districts["province_code"] == code, settings.DISTRICT_NAME]
            closest[code, name] = difflib.get_close_matches(
                str(name), known.astype(str).tolist(), n=1
            )
        report.append(
            {"line": line, "province_code": code, "district": name, "closest": closest[code, name]}
        )
    if report and how != "ignore":
        listing = "; ".join(
            f"line {r['line']}: '{r['district']}' in {r['province_code']}"
            + (f" (did you mean '{r['closest'][0]}'?)" if r["closest"] else "")
            for r in report
        )
        message = (
            f"{len(report)} district name(s) match no district of their province: {listing}; "
            "use the geoBoundaries names of data/districts/districts.geojson"
        )
        if how == "raise":
            raise PlaceNotFoundError(message)
        warnings.warn(message, UserWarning, stacklevel=3)
    return report
