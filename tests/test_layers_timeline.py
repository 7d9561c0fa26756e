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
