"""layers/timeline.py: claims per week by type, the window shaded, a fixed x axis."""

from __future__ import annotations

from datetime import date

import pandas as pd

from layers import timeline


def test_window_is_shaded_over_a_fixed_axis():
    counts = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2022-01-03", "2022-01-03", "2022-01-10"]),
            "event_type": ["clash", "attack", "clash"],
            "claims": [2, 0, 1],
        }
    )
    span = (date(2022, 1, 1), date(2022, 3, 1))
    spec = timeline.timeline_chart(
        counts, window=(date(2022, 1, 5), date(2022, 1, 20)), span=span
    ).to_dict()
    shade, bars = spec["layer"]
    assert shade["mark"]["type"] == "rect"
    assert bars["encoding"]["x"]["scale"]["domain"] == ["2022-01-01", "2022-03-01"]
    datasets = spec["datasets"]
    window = next(v for v in datasets.values() if v and "start" in v[0])
    assert window == [{"start": "2022-01-05", "end": "2022-01-20"}]
    rows = next(v for v in datasets.values() if v and "claims" in v[0])
    assert {r["type"] for r in rows} == {"Clash"}  # zero counts left out, labels readable


def test_month_ticks_never_repeat_a_label():
    counts = pd.DataFrame(
        {"period_start": pd.to_datetime(["2021-09-06"]), "event_type": ["clash"], "claims": [1]}
    )
    short = (date(2021, 9, 1), date(2022, 1, 15))  # 5 months: a tick every month
    spec = timeline.timeline_chart(counts, window=short, span=short).to_dict()
    axis = spec["layer"][1]["encoding"]["x"]["axis"]
    assert axis["format"] == "%b %Y"
    assert axis["tickCount"] == {"interval": "month", "step": 1}
    long = (date(2021, 8, 1), date(2023, 4, 1))  # 21 months: every second month
    assert timeline.month_axis(long).tickCount.step == 2
    assert timeline.month_axis((date(2020, 1, 1), date(2025, 12, 31))).tickCount.step == 6


def test_spread_claims_are_said_on_the_axis_and_rounded_in_the_tooltip():
    counts = pd.DataFrame(
        {
            "period_start": pd.to_datetime(
                ["2022-01-03", "2022-01-10", "2022-01-17", "2022-01-17"]
            ),
            "event_type": ["clash", "clash", "clash", "strategic_development"],
            "claims": [2 + 1 / 3, 1 / 3, 0.004, 1.0],
        }
    )
    span = (date(2022, 1, 1), date(2022, 3, 1))
    spec = timeline.timeline_chart(counts, window=span, span=span).to_dict()
    bars = spec["layer"][1]
    assert " ".join(bars["encoding"]["y"]["title"]) == (
        "Claims per week (a claim dated to a range is spread over its weeks)"
    )
    assert bars["encoding"]["y"]["field"] == "claims"  # the bars keep the exact shares
    tooltip = {t["field"]: t["title"] for t in bars["encoding"]["tooltip"]}
    assert tooltip["shown"] == "Claims (ranges spread)"
    rows = next(v for v in spec["datasets"].values() if v and "claims" in v[0])
    assert [r["shown"] for r in rows] == ["2.33", "0.33", "< 0.01", "1"]
    assert rows[3]["type"] == "Strategic move"  # plain words, not the code
