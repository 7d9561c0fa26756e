"""Tests for geo/places/district_names.py: district names matched within their province."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from geo import boundaries
from geo.errors import PlaceNotFoundError
from geo.places import match_districts, report_unmatched

DISTRICTS = pd.DataFrame(
    {
        "province_code": ["AF-KDZ", "AF-KDZ", "AF-PAN", "AF-PAN", "AF-BGL"],
        "name": ["Khānābād", "Dasht-e Archi", "Khenj", "khenj ", "Khenj"],
    }
)


def _one_by_one(province: list, name: list) -> list[int]:
    """The rule, row by row: boundaries.clean_name and case-folding; the first district wins."""
    table: dict[tuple[str, str], int] = {}
    for i, (code, text) in enumerate(
        zip(DISTRICTS["province_code"], DISTRICTS["name"], strict=True)
    ):
        table.setdefault((code, boundaries.clean_name(text).casefold()), i)
    return [
        table.get((c if isinstance(c, str) else "", boundaries.clean_name(n).casefold()), -1)
        if isinstance(n, str)
        else table.get((c if isinstance(c, str) else "", ""), -1)
        for c, n in zip(province, name, strict=True)
    ]


def test_names_match_as_the_row_by_row_rule_says():
    nfd = unicodedata.normalize("NFD", "Khānābād")
    province = ["AF-KDZ", "AF-KDZ", "AF-KDZ", "AF-PAN", "AF-BGL", "AF-PAN", None, "AF-KDZ"]
    name = [nfd, " dasht-e\u00a0 ARCHI\n", "Archi", "KHENJ", "khenj", None, "Khenj", "Khānābād"]
    rows = np.random.default_rng(0).integers(0, len(name), 500)  # many rows, few pairs
    province, name = [province[i] for i in rows], [name[i] for i in rows]
    found = match_districts(
        pd.Series(province, dtype=object), pd.Series(name, dtype=str), DISTRICTS
    )
    assert found.tolist() == _one_by_one(province, name)
    assert {0, 1, 2, 4, -1} <= set(found.tolist())  # Khenj of AF-PAN: its first district (2)
    as_categories = match_districts(
        pd.Categorical(province), pd.Categorical(pd.Series(name, dtype=str)), DISTRICTS
    )
    assert as_categories.tolist() == found.tolist()


def test_no_rows_and_no_districts():
    assert match_districts(pd.Series([], dtype=str), pd.Series([], dtype=str), DISTRICTS).size == 0
    none = match_districts(pd.Series(["AF-PAN"]), pd.Series(["Khenj"]), DISTRICTS.iloc[:0])
    assert none.tolist() == [-1]


def test_unmatched_names_are_listed_with_the_closest_name_of_their_province():
    args = (np.array([3, 8]), np.array(["AF-PAN", "AF-PAN"]), np.array(["Khinj", "Khinj"]))
    with pytest.raises(
        PlaceNotFoundError, match=r"2 district name\(s\).*line 8: 'Khinj' in AF-PAN"
    ):
        report_unmatched(*args, DISTRICTS, "raise")
    with pytest.warns(UserWarning, match=r"line 3: 'Khinj' in AF-PAN \(did you mean 'Khenj'\?\)"):
        report = report_unmatched(*args, DISTRICTS, "warn")
    assert report == report_unmatched(*args, DISTRICTS, "ignore")
    assert [r["closest"] for r in report] == [["Khenj"], ["Khenj"]]
    assert report_unmatched(np.array([]), np.array([]), np.array([]), DISTRICTS, "raise") == []
