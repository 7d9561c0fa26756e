"""Test data and fixtures for the claims desk (geo/desk/): the seed articles, a runner."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geo import settings
from geo.claims import read_claims
from geo.desk import Article, extract_candidates, read_article
from geo.places import Gazetteer

SEEDS = settings.ROOT.parent / "shared" / "seeds"
#: The publication dates given on the command line in these tests (the seeds' README
#: and data/README.md say how they follow from the texts; 001, 002, 004 have none).
PUBLISHED = {"000": date(2022, 4, 29), "003": date(2021, 8, 31)}
#: The test articles written for the tests (tests/fixtures/articles/README.md) and the
#: publication dates the tests give them.
ARTICLES = Path(__file__).parent / "fixtures" / "articles"
ARTICLE_PUBLISHED = {
    "rukha_monday_night": date(2022, 5, 10),
    "andrab_past_three_days": date(2022, 6, 16),
    "mazar_last_august": date(2023, 3, 5),
    "forecasts_only": date(2023, 4, 20),
    "khenj_outpost": date(2022, 9, 8),
    "kapisa_numbers": date(2022, 7, 1),
    "kabul_grenade": date(2023, 6, 2),
}


@pytest.fixture(scope="session")
def desk_gazetteer() -> Gazetteer:
    return Gazetteer.load()


def seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS}")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def run(text: str, gazetteer: Gazetteer, **options: object) -> pd.DataFrame:
    """Extract from a text (file name a.txt unless given)."""
    options.setdefault("file", "a.txt")
    return extract_candidates(Article(text, **options), gazetteer=gazetteer)  # type: ignore[arg-type]


def run_seed(prefix: str, gazetteer: Gazetteer, *, published: bool = True) -> pd.DataFrame:
    path = seed(prefix)
    when = PUBLISHED.get(prefix) if published else None
    article = Article(read_article(path), file=path.name, published=when)
    return extract_candidates(article, gazetteer=gazetteer)


def run_article(name: str, gazetteer: Gazetteer, *, published: bool = True) -> pd.DataFrame:
    """Extract from one of the test articles, with its publication date unless told not to."""
    path = ARTICLES / f"{name}.txt"
    when = ARTICLE_PUBLISHED[name] if published else None
    article = Article(read_article(path), file=path.name, published=when)
    return extract_candidates(article, gazetteer=gazetteer)


def quotes(frame: pd.DataFrame) -> list[str]:
    return [json.loads(s)[0]["quote"] for s in frame["sources"]]


def loads(frame: pd.DataFrame) -> pd.DataFrame:
    """Read the candidates back through the project's reader; every row must pass."""
    from geo._csv import frame_bytes

    result = read_claims(io.BytesIO(frame_bytes(frame)), name="cand.csv", on_invalid="report")
    assert [str(p) for p in result.problems] == []
    assert len(result.data) == len(frame)
    return result.data
