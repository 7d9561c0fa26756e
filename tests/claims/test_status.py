"""Tests for geo/claims/status.py: the status rule, as known on a date, contested claims."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import claims


def _frame(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": [r[0] for r in rows],
            "stance": [r[1] for r in rows],
            "reported": pd.to_datetime([r[2] for r in rows]),
        }
    )


# --- the status rule ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("stances", "status"),
    [
        ([("e", "claims", "2022-05-01")], "claimed"),
        ([("e", "claims", "2022-05-01"), ("e", "denies", "2022-05-02")], "denied"),
        ([("e", "denies", "2022-05-02"), ("e", "acknowledges", "2022-05-03")], "acknowledged"),
        (
            [
                ("e", "claims", "2022-05-01"),
                ("e", "denies", "2022-05-02"),
                ("e", "corroborates", "2022-05-09"),
            ],
            "corroborated",
        ),
        ([], ""),
    ],
)
def test_the_status_derives_from_the_stances(stances, status):
    frame = _frame(*stances) if stances else _frame(("x", "claims", "2022-01-01")).iloc[0:0]
    assert claims.derive_status(frame, pd.Series(["e"])).tolist() == [status]


def test_the_status_as_known_on_a_date_counts_only_what_was_reported_by_then():
    frame = _frame(("e", "claims", "2022-05-01"), ("e", "denies", "2022-05-10"))
    ids = pd.Series(["e"])
    on = [claims.derive_status(frame, ids, as_known_on=pd.Timestamp(d)).iloc[0]
          for d in ("2022-04-30", "2022-05-01", "2022-05-09", "2022-05-10")]  # fmt: skip
    assert on == ["", "claimed", "claimed", "denied"]


def test_contested_claims_have_a_claim_and_a_denial():
    frame = _frame(
        ("a", "claims", "2022-05-01"), ("a", "denies", "2022-05-02"),
        ("b", "claims", "2022-05-01"), ("c", "denies", "2022-05-02"),
    )  # fmt: skip
    assert claims.contested(frame).tolist() == ["a"]
