"""Tests for geo/views/browser.py: what crosses to the browser once, and the window's counts."""

from __future__ import annotations

import os

import numpy as np
import pytest

from geo import settings, views
from geo.claims import Filters
from geo.errors import ExportError
from geo.views.payload import decode_events


@pytest.mark.realdata
def test_the_events_cross_once_whatever_the_window(fixture_data):
    whole = views.browser_data(fixture_data, Filters())
    windowed = views.browser_data(fixture_data, Filters(start="2022-09-01", end="2022-09-30"))
    assert whole.payload == windowed.payload and whole.payload_name == windowed.payload_name
    assert len(whole.events) == 6
    decoded = decode_events(whole.payload)
    assert decoded["n"] == 6
    codes = fixture_data.display_provinces[settings.PROVINCE_CODE].tolist()
    shown = [codes[i] if i < 255 else "" for i in decoded["columns"]["province"]]
    assert shown == whole.events["province_code"].fillna("").tolist()
    assert set(whole.breaks) == {"provinces"} and set(whole.breaks["provinces"]) == set(
        views.METRICS
    )


@pytest.mark.realdata
def test_filters_give_another_payload(fixture_data):
    whole = views.browser_data(fixture_data, Filters())
    clashes = views.browser_data(fixture_data, Filters(event_types=("clash",)))
    assert clashes.payload_name != whole.payload_name
    assert set(clashes.events["event_type"]) == {"clash"}
    aff = views.browser_data(fixture_data, Filters(actors=("Afghanistan Freedom Front (AFF)",)))
    assert set(aff.presence["group"]) <= {"Afghanistan Freedom Front (AFF)"}


@pytest.mark.realdata
def test_window_counts_match_the_layer_frames(fixture_data):
    events = views.browser_data(fixture_data, Filters()).events
    for start, end in [("2021-09-01", "2022-09-30"), ("2022-09-01", "2022-09-30"), (None, None)]:
        window = Filters(start=start, end=end)
        counts = views.window_counts(events, window)
        frame = views.layer_frame(
            "events", events=fixture_data.events, presence=fixture_data.presence,
            provinces=fixture_data.provinces, filters=window,
        )  # fmt: skip
        assert counts["events"] == len(frame)
        assert counts["unplaced"] == int((frame["geometry_kind"] == "unmapped").sum())
        assert events.iloc[counts["rows"]]["event_id"].tolist() == frame["event_id"].tolist()


def test_publish_writes_once_by_name(tmp_path):
    path = views.publish(b"abc", "events-1.bin.gz", tmp_path / "data")
    assert path.read_bytes() == b"abc"
    os.utime(path, (0, 0))
    inode = path.stat().st_ino
    assert views.publish(b"abc", "events-1.bin.gz", tmp_path / "data") == path
    assert path.stat().st_ino == inode and path.stat().st_mtime > 0  # kept, and refreshed
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["events-1.bin.gz"]


def test_publish_keeps_the_most_recent_files(tmp_path):
    for i in range(5):
        path = views.publish(b"x%d" % i, f"f-{i}.bin", tmp_path, keep=3)
        os.utime(path, (i, i))
    views.publish(b"x1", "f-1.bin", tmp_path, keep=3)  # published again: recent
    views.publish(b"x5", "f-5.bin", tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f-1.bin", "f-4.bin", "f-5.bin"]


def test_publish_names_a_folder_it_cannot_create(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match=r"cannot create .*file/data"):
        views.publish(b"abc", "a.bin", blocker / "data")


def test_window_counts_of_nothing():
    import pandas as pd

    empty = pd.DataFrame(
        {"date_start": pd.to_datetime([]), "date_end": pd.to_datetime([]), "geometry_kind": []}
    )
    counts = views.window_counts(empty, Filters(start="2022-01-01"))
    assert (counts["events"], counts["on_map"], counts["unplaced"]) == (0, 0, 0)
    assert np.array_equal(counts["rows"], [])
