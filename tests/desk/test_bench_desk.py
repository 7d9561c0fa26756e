"""bench/bench_desk.py: the matching it reports, and its figures on the seed articles."""

from __future__ import annotations

import pandas as pd
import pytest

from bench import bench_desk
from tests.helpers_desk import SEEDS


def _events(rows: list[tuple[str, str, str, str | None, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["event_id", "province_code", "date_start", "date_end", "event_type"]
    )
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_a_match_needs_the_same_province_and_overlapping_dates():
    shipped = _events(
        [
            ("s1", "AF-PAN", "2022-01-01", "2022-01-31", "clash"),
            ("s2", "", "2022-01-01", "2022-01-01", "attack"),
            ("s3", "AF-BGL", "2022-03-01", None, "attack"),  # open range
        ]
    )
    candidates = _events(
        [
            ("c1", "AF-PAN", "2022-01-31", "2022-02-05", "attack"),  # overlaps by a day
            ("c2", "AF-PAN", "2022-02-01", "2022-02-05", "clash"),  # after it
            ("c3", "", "2021-08-15", None, "attack"),  # country level, open
            ("c4", "AF-BGL", "2023-01-01", "2023-01-01", "attack"),
        ]
    )
    table = bench_desk.matches(shipped, candidates)
    assert table.loc["s1"].tolist() == [True, False, False, False]
    assert table.loc["s2"].tolist() == [False, False, True, False]
    assert table.loc["s3"].tolist() == [False, False, False, True]
    typed = bench_desk.matches(shipped, candidates, same_type=True)
    assert typed.loc["s1"].tolist() == [False, False, False, False]
    assert typed.loc["s3", "c4"]


@pytest.mark.realdata
def test_every_shipped_event_of_the_seeds_is_found(capsys):
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS}")
    assert bench_desk.main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = lines[-1].split()
    assert total[0] == "total" and len(lines) == 7
    shipped, candidates, found, recall, typed, unmatched = total[1:7]
    assert found == shipped and recall == "100%"
    # the README's figures: few candidates, few that match nothing
    assert int(candidates) <= 35 and int(unmatched) <= 7 and int(typed) >= 27
