"""Tests for geo/claims/formats.py: values parsed once per distinct value, blank cells.

And geo/claims/rules.py's check of all ``sources`` cells at once against the cell-by-cell one.
"""

from __future__ import annotations

import json

import numpy as np
import orjson
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import settings as geo_settings
from geo.claims.formats import Parsed, blank, on_distinct, parse_dates
from geo.claims.rules import _all_well_formed, _well_formed

DATES = ["2022-04-29", "", "2022-02-30", "2022-4-29", "x", "2022-04-29", "0001-01-01", "٢٠٢٢-04-29"]


@pytest.mark.parametrize("dtype", ["str", object])
def test_dates_parsed_once_per_distinct_value_read_as_each_row_alone(dtype):
    s = pd.Series(DATES, index=[9, 3, 5, 7, 2, 4, 8, 6], name="date_start", dtype=dtype)
    parsed = parse_dates(s)
    alone = [parse_dates(pd.Series([v], dtype=dtype)).iloc[0] for v in DATES]
    assert parsed.index.equals(s.index) and parsed.name == "date_start"
    assert str(parsed.dtype) == "datetime64[us]"
    assert [None if pd.isna(v) else v for v in parsed] == [None if pd.isna(v) else v for v in alone]
    assert parsed.iloc[0] == parsed.iloc[5] == pd.Timestamp("2022-04-29")
    assert parsed.isna().tolist() == [False, True, True, True, True, False, False, True]


def test_on_distinct_calls_the_parser_with_each_value_once():
    seen: list[list[str]] = []

    def parse(d: pd.Series) -> pd.Series:
        seen.append(d.tolist())
        return d.str.len()

    s = pd.Series(["bb", "a", "bb", "a", "ccc"], dtype="str")
    assert on_distinct(s, parse).tolist() == [2, 1, 2, 1, 3]
    assert seen == [["bb", "a", "ccc"]]
    assert on_distinct(s.iloc[:0], parse).tolist() == []


@pytest.mark.parametrize("dtype", ["str", object])
def test_blank_is_strip_equal_to_nothing_for_every_character(dtype):
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    s = pd.Series([*chars, "", " a ", " \u3000\t", "a"], dtype=dtype)
    expected = (s.str.strip() == "").to_numpy(dtype=bool)
    assert np.array_equal(blank(s).to_numpy(dtype=bool), expected)
    assert expected.sum() > 20  # the Unicode spaces, not just " "


def test_parsed_columns_are_parsed_once():
    parsed = Parsed(pd.DataFrame({"d": ["2022-01-31", "2022-02-30"], "n": ["1", "x"]}))
    assert parsed.dates("d") is parsed.dates("d")
    assert parsed.dates("d").isna().tolist() == [False, True]
    assert parsed.numbers("n").tolist()[0] == 1.0 and np.isnan(parsed.numbers("n").iloc[1])
    assert parsed.matches("n", "[0-9]").tolist() == [True, False]


_GOOD = st.sampled_from(["x", " x ", "é", "q" * 300])
_TEXT = st.one_of(_GOOD, st.sampled_from(["", " ", "\u3000", "\t\n", "q" * 301]))
_VALUE = st.one_of(_TEXT, st.integers(), st.none(), st.lists(st.just("x"), max_size=1))
_KEYS = st.sampled_from([*geo_settings.SOURCE_KEYS, "published"])
_GOOD_CELL = st.lists(
    st.fixed_dictionaries(
        {k: _GOOD for k in geo_settings.SOURCE_KEYS}, optional={"published": _VALUE}
    ),
    min_size=1,
    max_size=3,
)
_ENTRY = st.one_of(
    st.fixed_dictionaries({k: _TEXT for k in geo_settings.SOURCE_KEYS}),
    st.dictionaries(_KEYS, _VALUE, max_size=5),
    _VALUE,
)
_BAD_CELL = st.one_of(st.lists(_ENTRY, max_size=3), _VALUE, st.dictionaries(_KEYS, _TEXT))
_CELL = st.one_of(_GOOD_CELL, _GOOD_CELL, _GOOD_CELL, _BAD_CELL)


@settings(max_examples=400, deadline=None)
@given(cells=st.lists(_CELL, min_size=1, max_size=5))
def test_all_cells_at_once_agree_with_each_cell_alone(cells):
    """The one pass over every cell accepts a file exactly when each cell is well formed."""
    texts = [json.dumps(c) for c in cells]
    each = [_well_formed(orjson.loads(t)) for t in texts]
    found = _all_well_formed(texts)
    assert (found is not None) == all(each)
    if found is not None:
        assert found == cells
