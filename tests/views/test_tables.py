"""Tests for geo/tables.py: events as tables for people.

The tiny `events` and `presence` fixtures and `_frame`: tests/helpers_views.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo import claims, settings, views
from tests.helpers_views import _frame


def test_event_table_is_plain_text(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    table = views.event_table(frame)
    assert list(table["ID"]) == ["e4", "e1", "e2", "e3", "e5", "e6"]  # by date
    row = table.set_index("ID").loc["e5"]
    assert row["Notes"] == "<img src=x onerror=alert(1)>"  # text; st.dataframe shows it
    assert row["Sources"] == "Wire — T — “q”"
    assert table.set_index("ID").loc["e4", "Date"] == "2022-01-01 – open (sometime in a range)"
    # Plain words on screen, the codes only in files.
    assert not table["Type"].str.contains("_").any()
    assert set(table["Status"]) <= set(settings.CLAIM_STATUS_LABELS.values())
    assert views.event_table(frame.iloc[0:0]).columns[0] == "Date"


def test_area_events_checks_the_kind(events, presence, tiny_provinces):
    frame = _frame("events", events, presence, tiny_provinces)
    assert sorted(views.area_events(frame, area_code="AF-BGL", kind="province")["event_id"]) == [
        "e2",
        "e6",
    ]
    with pytest.raises(ValueError, match="kind must be 'province' or 'district', not 'region'"):
        views.area_events(frame, area_code="x", kind="region")


def test_area_figures_label_the_latest_date_for_what_it_is(events, presence, tiny_provinces):
    published = {"e1": "2022-01-12", "e2": "2022-06-10", "e6": "2022-03-02"}
    events = events.copy()
    events["sources"] = [
        [{"file": "t.txt", "outlet": "Wire", "title": "T", "quote": "q"}]
        + ([{"file": "u.txt", "outlet": "AFP", "title": "U", "quote": "q",
             "published": published[eid]}] if eid in published else [])
        for eid in events["event_id"]
    ]  # fmt: skip
    window = claims.Filters(end=date(2022, 6, 30))
    frame = _frame("provinces", events, presence, tiny_provinces, filters=window)

    def figures(code: str) -> dict:
        info = views.area_figures(frame, area_code=code)
        assert info is not None and info["as_of"] == "2022-06-30"
        return info["figures"]

    # Baghlan: both claims have a report date, the latest is 2022-06-10.
    assert list(figures("AF-BGL").items())[2] == ("Last reported", "2022-06-10")
    # Parwan: no source has a date; the claim's own date stands in, and the label says so.
    assert figures("AF-PAR")["Latest claim date (no report date)"] == "2022-03-01"
    assert "Last reported" not in figures("AF-PAR")
    # Panjshir: e1 reported 2022-01-12, e4 (an open range from 2022-01-01) has no report.
    pan = figures("AF-PAN")
    assert pan["Last reported or claim date (some claims have no report date)"] == "2022-01-12"
    assert views.area_figures(frame, area_code="AF-XXX") is None


def test_an_area_without_claims_shows_no_date_under_the_plain_label(
    events, presence, tiny_provinces
):
    window = claims.Filters(end=date(2022, 6, 30), event_types=("riot",))
    frame = _frame("provinces", events, presence, tiny_provinces, filters=window)
    info = views.area_figures(frame, area_code="AF-PAR")
    assert info is not None
    assert info["figures"]["Claims in window"] == 0 and info["figures"]["Last reported"] == "–"
