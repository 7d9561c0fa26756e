"""Benchmark the geospatial core: load + validate, join, aggregate, filter, export.

Usage: ``python bench/bench_core.py [--sizes 1000 10000] [--repeat 3]``.

Prints the best of ``--repeat`` runs for each step at each size, and the ratio of each
size's time to the smallest size's (the baseline, measured in the same run). Events
come from ``bench/synth.py`` (the real schema over real places), so loading goes
through the full validation: schema, dates, coordinates against provinces, place names
through the gazetteer.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import generate  # noqa: E402
from geo import boundaries, claims, join  # noqa: E402
from geo import io as gio  # noqa: E402
from geo.places import Gazetteer  # noqa: E402


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _steps(n: int, repeat: int, provinces, districts, gazetteer) -> dict[str, float]:
    data = generate(n, seed=0).to_csv(index=False).encode()
    times: dict[str, float] = {}
    times["load + validate"], loaded = _best(
        lambda: claims.read_claims(
            kind="events", source=data, name="synth.csv", provinces=provinces, gazetteer=gazetteer
        ),
        repeat,
    )
    events = loaded.data
    times["join (provinces + districts)"], joined = _best(
        lambda: join.join_events(events, provinces, districts, on_unmatched="ignore"), repeat
    )
    times["aggregate per province"], _ = _best(
        lambda: join.aggregate(joined, provinces, key="province_code"), repeat
    )
    start, end = joined["date_start"].min(), joined["date_start"].quantile(0.5)
    times["filter a window"], _ = _best(
        lambda: claims.filter_events(joined, start=start, end=end, coarsest_precision=3), repeat
    )
    times["export events GeoJSON"], _ = _best(lambda: gio.to_rfc7946(joined), repeat)
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    provinces = boundaries.load_provinces()
    districts = boundaries.load_districts() if boundaries.districts_installed() else None
    t_gaz, gazetteer = _best(Gazetteer.load, args.repeat)
    t_gaz_nod, _ = _best(lambda: Gazetteer.load(districts_path=None), args.repeat)
    names = list(gazetteer.places["name"].head(200))
    t_res, _ = _best(lambda: [gazetteer.candidates(x) for x in names], 1)
    print(f"gazetteer load: {t_gaz * 1e3:.0f} ms with districts, "
          f"{t_gaz_nod * 1e3:.0f} ms without; "
          f"lookup: {t_res / len(names) * 1e3:.2f} ms per name")  # fmt: skip

    results = {n: _steps(n, args.repeat, provinces, districts, gazetteer) for n in args.sizes}
    base = min(args.sizes)
    header = f"{'step':32}" + "".join(f"{n:>12,}" for n in args.sizes) + "   ratio"
    print(header)
    for step in results[base]:
        row = "".join(f"{results[n][step] * 1e3:>10.1f}ms" for n in args.sizes)
        ratio = results[max(args.sizes)][step] / results[base][step]
        print(f"{step:32}{row}   {ratio:5.1f}x")
    print(f"(best of {args.repeat}; ratio = {max(args.sizes):,} vs {base:,} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
