"""Tests for geo/breaks.py: class breaks for the choropleths over the whole time span.

The tiny `events` and `presence` fixtures: tests/helpers_views.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo import claims, views


def test_breaks_ignore_the_window(events, presence, tiny_provinces):
    common = {"events": events, "presence": presence, "provinces": tiny_provinces}
    narrow = claims.Filters(start=date(2022, 1, 1), end=date(2022, 1, 2))
    wide = claims.Filters()
    a = views.metric_breaks("provinces", filters=narrow, metric="fatalities", **common)
    b = views.metric_breaks("provinces", filters=wide, metric="fatalities", **common)
    assert a == b == (1, 2, 5, 10, 20)
    assert views.metric_breaks("provinces", metric="days_since_last", **common)[-1] == float("inf")
    with pytest.raises(ValueError, match="class breaks are for area layers"):
        views.metric_breaks("events", **common)


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(0, (1, 2)), (1, (1, 2)), (4, (1, 2, 5)), (37, (1, 2, 5, 10, 20, 50)),
     (900, (1, 3, 10, 30, 100, 300, 1000))],
)  # fmt: skip
def test_nice_breaks(maximum, expected):
    assert views.nice_breaks(maximum) == expected
