"""Measure the claims desk on the five seed articles against the shipped events.

Usage: ``PYTHONPATH=$PWD python bench/bench_desk.py [--seeds DIR] [--misses]``

Runs :func:`geo.desk.extract_candidates` on each seed article (``../shared/seeds``),
with the publication dates the tests give (``tests/helpers_desk.PUBLISHED``; the
others have none), and compares the candidates with the rows of ``data/events.csv``
coded from that article (a source whose ``file`` is the article). Both are read
through :func:`geo.claims.read_claims`, so ``date_end`` is filled per precision and an
open range runs to the end of time. A shipped event is **found** when a candidate has
the same province (or both are country level, no province) and an overlapping date
span. Per article and in total it prints: shipped events, candidates, events found
(recall), events found by a candidate of the same event type too (``+type``),
candidates that match no shipped event (false, or claims the hand coding
left out), and candidates per found event (how many rows a reviewer reads for one
event). ``--misses`` lists the shipped events not found and the unmatched candidates.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import settings  # noqa: E402
from geo._csv import frame_bytes  # noqa: E402
from geo.claims import read_claims  # noqa: E402
from geo.desk import Article, extract_candidates, read_article  # noqa: E402
from geo.places import Gazetteer  # noqa: E402
from tests.helpers_desk import PUBLISHED, SEEDS  # noqa: E402


@dataclass(frozen=True)
class Score:
    """One article's comparison: counts and the ids of what matched nothing."""

    article: str
    shipped: int
    candidates: int
    found: int
    found_typed: int
    unmatched: int
    per_found: float
    missed_ids: tuple[str, ...]
    unmatched_ids: tuple[str, ...]
    untyped_ids: tuple[str, ...]


def matches(
    shipped: pd.DataFrame, candidates: pd.DataFrame, *, same_type: bool = False
) -> pd.DataFrame:
    """Return a shipped x candidates boolean table: same province, overlapping dates.

    Both frames come from :func:`read_claims` (``date_end`` NaT for an open range);
    ``same_type`` also asks for the same ``event_type``.
    """
    sp = shipped["province_code"].fillna("").to_numpy()[:, None]
    cp = candidates["province_code"].fillna("").to_numpy()[None, :]
    s0, s1 = _days(shipped["date_start"])[:, None], _days(shipped["date_end"])[:, None]
    c0, c1 = _days(candidates["date_start"])[None, :], _days(candidates["date_end"])[None, :]
    table = (sp == cp) & (s0 <= c1) & (c0 <= s1)
    if same_type:
        table &= (
            shipped["event_type"].to_numpy()[:, None]
            == (candidates["event_type"].to_numpy()[None, :])
        )
    return pd.DataFrame(table, index=shipped["event_id"], columns=candidates["event_id"])


def _days(column: pd.Series) -> np.ndarray:
    """Return the dates as datetime64[D], an open end (NaT) as the end of time."""
    days = column.to_numpy(dtype="datetime64[D]")
    return np.where(np.isnat(days), np.datetime64("9999-12-31"), days)


def score(path: Path, events: pd.DataFrame, gazetteer: Gazetteer) -> Score:
    """Extract from one seed article and compare with its shipped events."""
    prefix = path.name[:3]
    article = Article(read_article(path), file=path.name, published=PUBLISHED.get(prefix))
    frame = extract_candidates(article, gazetteer=gazetteer)
    candidates = read_claims(
        io.BytesIO(frame_bytes(frame)), name=f"{path.stem}.csv", gazetteer=gazetteer
    ).data
    mine = events[events["sources"].map(lambda s: any(x.get("file") == path.name for x in s))]
    table = matches(mine, candidates)
    found = table.any(axis=1)
    used = table.any(axis=0)
    typed = matches(mine, candidates, same_type=True).any(axis=1)
    per = float(table[found].sum(axis=1).mean()) if found.any() else 0.0
    return Score(
        article=path.name,
        shipped=len(mine),
        candidates=len(candidates),
        found=int(found.sum()),
        found_typed=int(typed.sum()),
        unmatched=int((~used).sum()),
        per_found=per,
        missed_ids=tuple(table.index[~found]),
        unmatched_ids=tuple(table.columns[~used]),
        untyped_ids=tuple(table.index[found & ~typed]),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--misses", action="store_true", help="list what matched nothing")
    args = parser.parse_args(argv)
    paths = sorted(args.seeds.glob("0*.txt"))
    if not paths:
        print(f"no seed articles (0*.txt) in {args.seeds}", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.load()
    events = read_claims(settings.EVENTS_PATH, gazetteer=gazetteer).data
    scores = [score(p, events, gazetteer) for p in paths]
    head = f"{'article':<28}{'shipped':>8}{'cand.':>7}{'found':>7}{'recall':>8}"
    print(head + f"{'+type':>7}{'unmatched':>11}{'cand./found':>13}")
    for s in scores:
        _line(s.article, s.shipped, s.candidates, s.found, s.found_typed, s.unmatched, s.per_found)
    total_found = sum(s.found for s in scores)
    per = sum(s.per_found * s.found for s in scores) / total_found if total_found else 0.0
    _line(
        "total",
        sum(s.shipped for s in scores),
        sum(s.candidates for s in scores),
        total_found,
        sum(s.found_typed for s in scores),
        sum(s.unmatched for s in scores),
        per,
    )
    if args.misses:
        for s in scores:
            print(f"\n{s.article}: missed {json.dumps(s.missed_ids)}")
            print(f"{s.article}: unmatched candidates {json.dumps(s.unmatched_ids)}")
            print(f"{s.article}: found without its type {json.dumps(s.untyped_ids)}")
    return 0


def _line(name: str, *counts: float) -> None:
    shipped, cand, found, typed, unmatched, per = counts
    recall = f"{found / shipped:.0%}" if shipped else "-"
    print(
        f"{name:<28}{shipped:>8}{cand:>7}{found:>7}{recall:>8}{typed:>7}{unmatched:>11}{per:>13.1f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
