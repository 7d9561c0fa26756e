"""Tests for geo/claims/dates.py: claims spread over periods, and their report dates.

Rows and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from geo import claims
from tests.helpers_claims import SOURCE, event


def _sources(*published: str | None) -> str:
    return json.dumps(
        [
            {**SOURCE, "file": f"{i}.txt"} | ({"published": p} if p else {})
            for i, p in enumerate(published)
        ]
    )


# --- report_dates -------------------------------------------------------------------
def test_report_date_is_the_latest_published_date_of_the_sources(load):
    result = load(
        event(1, date_precision="day", date_start="2022-04-18", sources=_sources("2022-04-29")),
        event(2, date_precision="day", date_start="2022-04-18",
              sources=_sources("2022-05-02", "2022-04-20", None)),
    )  # fmt: skip
    assert result.problems == []
    dates = claims.report_dates(result.data)
    assert dates["reported"].dt.strftime("%Y-%m-%d").tolist() == ["2022-04-29", "2022-05-02"]
    assert dates["from_source"].tolist() == [True, True]
    assert dates.index.equals(result.data.index)


def test_without_a_published_date_the_claim_gives_its_own_latest_date(load):
    result = load(
        event(1, date_precision="week", date_start="2022-04-18"),  # no published key
        event(2, date_precision="range", date_start="2022-03-01"),  # open range
        event(3, date_precision="day", date_start="2022-04-18", sources=_sources("April 2022")),
        event(4, date_precision="day", date_start="2022-04-18",
              sources=_sources("2022-06-01T10:00")),
    )  # fmt: skip
    assert result.problems == []
    dates = claims.report_dates(result.data)
    assert dates["reported"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-04-24",  # the week's Sunday (date_end)
        "2022-03-01",  # an open range: its start
        "2022-04-18",  # "April 2022" is no date: the claim's own
        "2022-06-01",  # a date with a time: the date
    ]
    assert dates["from_source"].tolist() == [False, False, False, True]


def test_report_dates_of_no_claims_and_of_missing_source_lists():
    frame = pd.DataFrame(
        {
            "sources": [None, [], [{"published": "2023-01-02"}]],
            "date_start": pd.to_datetime(["2022-01-01", "2022-02-01", "2022-03-01"]),
            "date_end": pd.to_datetime(["2022-01-05", None, "2022-03-01"]),
        },
        index=[10, 20, 30],
    )
    dates = claims.report_dates(frame)
    assert dates["reported"].tolist() == list(
        pd.to_datetime(["2022-01-05", "2022-02-01", "2023-01-02"])
    )
    assert dates["from_source"].tolist() == [False, False, True]
    assert dates.index.tolist() == [10, 20, 30]
    assert claims.report_dates(frame.iloc[:0]).empty


# --- spread_over_periods ------------------------------------------------------------
def test_day_claims_count_whole_in_their_week_as_before():
    rng = np.random.default_rng(7)
    days = pd.Series(pd.Timestamp("2021-08-01") + pd.to_timedelta(rng.integers(0, 600, 500), "D"))
    types = pd.Series(rng.choice(["attack", "clash", "riot"], 500))
    spread = claims.spread_over_periods(days, days, types, freq="W")
    counted = pd.crosstab(days.dt.to_period("W-SUN").dt.start_time, types)
    expected = counted.reindex(spread.index, fill_value=0)
    assert (spread.to_numpy() == expected.to_numpy()).all()  # whole numbers, no residue
    assert list(spread.columns) == ["attack", "clash", "riot"]


def test_spreading_keeps_the_total_over_many_ranges():
    rng = np.random.default_rng(3)
    start = pd.Series(pd.Timestamp("2021-08-01") + pd.to_timedelta(rng.integers(0, 600, 2000), "D"))
    end = start + pd.to_timedelta(rng.integers(0, 400, 2000), "D")
    end[rng.random(2000) < 0.1] = pd.NaT  # open ranges: at their start
    labels = pd.Series(rng.choice(["a", "b"], 2000))
    for freq in ("W", "M"):
        spread = claims.spread_over_periods(start, end, labels, freq=freq)
        assert spread.to_numpy().sum() == pytest.approx(2000)
        assert spread.sum().to_dict() == pytest.approx(labels.value_counts().to_dict())
        assert (spread.to_numpy() >= 0).all()
    assert spread.index.day.unique().tolist() == [1]


def test_an_end_before_the_start_counts_as_the_start_and_bad_freq_is_refused():
    start = pd.Series(pd.to_datetime(["2022-05-10"]))
    end = pd.Series(pd.to_datetime(["2022-04-01"]))
    spread = claims.spread_over_periods(start, end, pd.Series(["clash"]), freq="M")
    assert spread["clash"].tolist() == [1.0]
    assert spread.index.tolist() == [pd.Timestamp("2022-05-01")]
    with pytest.raises(ValueError, match=r"freq must be one of \['M', 'W'\], not 'Y'"):
        claims.spread_over_periods(start, end, pd.Series(["clash"]), freq="Y")
    assert claims.spread_over_periods(start[:0], end[:0], pd.Series([], dtype=object)).empty
