"""Synthetic claims in the real events schema, spread over real places (deterministic).

Usage: ``python bench/synth.py N OUT.csv [--seed 0]``.

Places come from the project's gazetteer (``data/gazetteer.csv``, plus the installed
districts): exact places are GeoNames towns with their coordinates (precision 1),
district and province claims name the area without a point (2, 3), a few name the
whole country (4). Provinces where resistance was reported get more claims. Every row
passes the claims validation, so the benchmark exercises the real loading path.
Event ids are ``synth-000001``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import settings  # noqa: E402
from geo.places import Gazetteer  # noqa: E402

#: Extra weight for provinces named in the seed articles.
HOTSPOTS = {"AF-PAN": 8, "AF-BGL": 5, "AF-TAK": 4, "AF-BDS": 4, "AF-KAP": 3, "AF-PAR": 3}
GROUPS = (
    "National Resistance Front (NRF)",
    "Afghanistan Freedom Front (AFF)",
    "Afghanistan Islamic National and Liberation Movement",
    "Anti-Taliban resistance (unspecified)",
)
OUTLETS = ("Synthetic Wire", "Example Times", "Test Radio", "unknown")
TYPE_WEIGHTS = {
    "clash": 30,
    "attack": 25,
    "ambush": 10,
    "casualty_claim": 12,
    "reinforcement": 6,
    "strategic_development": 6,
    "violence_against_civilians": 6,
    "protest": 3,
    "riot": 2,
}
STATUS_WEIGHTS = {"claimed": 55, "denied": 15, "acknowledged": 15, "corroborated": 15}
PRECISION_WEIGHTS = {1: 40, 2: 25, 3: 30, 4: 5}


def _pick(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.asarray(list(weights.values()), dtype=float)
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _places(rng: np.random.Generator, places: pd.DataFrame, kind: str, n: int) -> pd.DataFrame:
    pool = places[places["kind"] == kind].reset_index(drop=True)
    weight = pool["province_code"].map(HOTSPOTS).fillna(1.0).to_numpy(dtype=float)
    return pool.iloc[rng.choice(len(pool), size=n, p=weight / weight.sum())].reset_index(drop=True)


def generate(
    n: int, *, seed: int = 0, start: str = "2021-08-15", end: str = "2023-08-15"
) -> pd.DataFrame:
    """Return ``n`` synthetic events as CSV text columns (``settings.EVENT_COLUMNS``).

    Parameters
    ----------
    n : int
        Number of events.
    seed : int, default 0
        Same seed, same rows.
    start, end : str
        The span the event dates fall in.

    Returns
    -------
    pandas.DataFrame
        All values strings, ready for ``to_csv(index=False)``.

    Examples
    --------
    >>> generate(3, seed=1)["event_id"].tolist()  # doctest: +SKIP
    ['synth-000001', 'synth-000002', 'synth-000003']
    """
    rng = np.random.default_rng(seed)
    places = Gazetteer.load().places
    if not (places["kind"] == "district").any():
        PRECISION_WEIGHTS.pop(2, None)
    precision = _pick(rng, PRECISION_WEIGHTS, n).astype(int)
    kinds = {1: "populated_place", 2: "district", 3: "province"}
    rows = pd.DataFrame(index=range(n), columns=["name", "province_code", "district", "lon", "lat"])
    rows[:] = ""
    for level, kind in kinds.items():
        hit = np.flatnonzero(precision == level)
        if not len(hit):
            continue
        chosen = _places(rng, places, kind, len(hit))
        rows.loc[hit, "name"] = chosen["name"].to_numpy()
        rows.loc[hit, "province_code"] = chosen["province_code"].to_numpy()
        district = chosen["district"].fillna("").astype(str).to_numpy()
        rows.loc[hit, "district"] = district if level in (1, 2) else ""
        if level == 1:
            rows.loc[hit, "lon"] = chosen["longitude"].map("{:.5f}".format).to_numpy()
            rows.loc[hit, "lat"] = chosen["latitude"].map("{:.5f}".format).to_numpy()
    rows.loc[precision == 4, "name"] = "Afghanistan"

    first, last = pd.Timestamp(start), pd.Timestamp(end)
    offsets = rng.integers(0, (last - first).days - 40, size=n)
    date_start = first + pd.to_timedelta(offsets, unit="D")
    date_precision = _pick(rng, {"day": 60, "week": 20, "month": 15, "range": 5}, n)
    # Weeks start on Mondays and months on the 1st, as a reader would date them.
    is_week, is_month = date_precision == "week", date_precision == "month"
    date_start = pd.Series(date_start)
    date_start[is_week] = date_start[is_week] - pd.to_timedelta(
        date_start[is_week].dt.day_of_week, unit="D"
    )
    date_start[is_month] = date_start[is_month].dt.to_period("M").dt.start_time
    date_end = np.where(
        date_precision == "range",
        (date_start + pd.to_timedelta(rng.integers(5, 40, size=n), unit="D")).dt.strftime(
            "%Y-%m-%d"
        ),
        "",
    )
    group = _pick(rng, dict.fromkeys(GROUPS, 1), n)
    event_type = _pick(rng, TYPE_WEIGHTS, n)
    has_fatalities = rng.random(n) < 0.4
    fatalities = np.where(has_fatalities, rng.integers(1, 40, size=n).astype(str), "")
    outlet = _pick(rng, dict.fromkeys(OUTLETS, 1), n)
    ids = [f"synth-{i:06d}" for i in range(1, n + 1)]
    sources = [
        json.dumps(
            [
                {
                    "file": "synthetic.txt",
                    "outlet": o,
                    "title": f"Synthetic report {i}",
                    "quote": f"{g} reported a {t.replace('_', ' ')}",
                }
            ]
        )
        for i, o, g, t in zip(ids, outlet, group, event_type, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "event_id": ids,
            "date_start": date_start.dt.strftime("%Y-%m-%d").to_numpy(),
            "date_end": date_end,
            "date_precision": date_precision,
            "date_basis": "synthetic",
            "event_type": event_type,
            "actor1": group,
            "actor2": "Taliban",
            "claimed_by": group,
            "claim_status": _pick(rng, STATUS_WEIGHTS, n),
            "location_name": rows["name"].to_numpy(),
            "province_code": rows["province_code"].to_numpy(),
            "district": rows["district"].to_numpy(),
            "longitude": rows["lon"].to_numpy(),
            "latitude": rows["lat"].to_numpy(),
            "location_precision": precision.astype(str),
            "location_basis": "synthetic",
            "fatalities": fatalities,
            "fatalities_claimed_by": np.where(has_fatalities, group, ""),
            "notes": "synthetic event for benchmarks",
            "sources": sources,
        }
    )
    return frame[list(settings.EVENT_COLUMNS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.n, seed=args.seed).to_csv(args.out, index=False)
    print(f"wrote {args.n} synthetic events to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
