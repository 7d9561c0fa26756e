"""Tests for geo/tables.py: events as tables for people.

The tiny `events` and `presence` fixtures and `_frame`: tests/helpers_views.py.
"""

from __future__ import annotations

import pytest

from geo import views
from tests.helpers_views import _frame


def test_event_table_is_plain_text(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    table = views.event_table(frame)
    assert list(table["ID"]) == ["e4", "e1", "e2", "e3", "e5", "e6"]  # by date
    row = table.set_index("ID").loc["e5"]
    assert row["Notes"] == "<img src=x onerror=alert(1)>"  # text; st.dataframe shows it
    assert row["Sources"] == "Wire — T — “q”"
    assert table.set_index("ID").loc["e4", "Date"] == "2022-01-01 – open (range)"
    assert views.event_table(frame.iloc[0:0]).columns[0] == "Date"


def test_area_events_checks_the_kind(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    assert sorted(views.area_events(frame, area_code="AF-BGL", kind="province")["event_id"]) == [
        "e2",
        "e6",
    ]
    with pytest.raises(ValueError, match="kind must be 'province' or 'district', not 'region'"):
        views.area_events(frame, area_code="x", kind="region")
