"""Benchmark the geospatial core: load + validate, join, aggregate, filter, export.

Usage: ``python bench/bench_core.py [--sizes 1000 10000 100000 1000000] [--repeat 3]
[--only load|join]`` (``--only``: one step and its baseline).

Prints the best of ``--repeat`` runs (one run from 100,000 events up) for each step at
each size, with two baselines measured in the same run on the same data:

* loading and validating the claims against pyarrow parsing the same CSV bytes
  (``pyarrow.csv.read_csv``, every column as text): "x pyarrow";
* the project's join to provinces and districts against two plain
  ``geopandas.sjoin`` calls on the same points: "x sjoin" (below 1: faster);

and the ratio of each size's time to the smallest size's. ``--only join`` times just the
join and its sjoin baseline (the events are still loaded once, untimed). The peak resident memory of
the process is printed after each size. Events come from ``bench/synth.py`` (the real
schema over real places), so loading goes through the full validation: schema, dates,
coordinates against provinces, place names through the gazetteer.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

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


def _sjoins(events, provinces, districts) -> None:
    points = gpd.GeoDataFrame(geometry=events.geometry[events.geometry.notna()], crs=events.crs)
    gpd.sjoin(points, provinces[["geometry"]], predicate="intersects")
    if districts is not None:
        gpd.sjoin(points, districts[["geometry"]], predicate="intersects")


def _join_only(n: int, repeat: int, provinces, districts, gazetteer) -> dict[str, float]:
    data = generate(n, seed=0).to_csv(index=False).encode()
    events = claims.read_claims(
        kind="events", source=data, name="synth.csv", provinces=provinces, gazetteer=gazetteer
    ).data
    times: dict[str, float] = {}
    times["two plain sjoins (baseline)"], _ = _best(
        lambda: _sjoins(events, provinces, districts), repeat
    )
    times["join (provinces + districts)"], _ = _best(
        lambda: join.join_events(events, provinces, districts, on_unmatched="ignore"), repeat
    )
    return times


def _steps(
    n: int, repeat: int, provinces, districts, gazetteer, only_load: bool = False
) -> dict[str, float]:
    data = generate(n, seed=0).to_csv(index=False).encode()
    baseline_repeat = repeat  # the baselines are cheap: always their best of `repeat`
    repeat = repeat if n < 100_000 else 1
    times: dict[str, float] = {}
    times["pyarrow parse (baseline)"], _ = _best(
        lambda: pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(
                column_types={c: "string" for c in data.split(b"\n", 1)[0].decode().split(",")}
            ),
        ),
        baseline_repeat,
    )
    times["load + validate"], loaded = _best(
        lambda: claims.read_claims(
            kind="events", source=data, name="synth.csv", provinces=provinces, gazetteer=gazetteer
        ),
        repeat,
    )
    if only_load:
        return times
    events = loaded.data
    times["two plain sjoins (baseline)"], _ = _best(
        lambda: _sjoins(events, provinces, districts), baseline_repeat
    )
    times["join (provinces + districts)"], joined = _best(
        lambda: join.join_events(events, provinces, districts, on_unmatched="ignore"), repeat
    )
    times["aggregate per province"], _ = _best(
        lambda: join.aggregate(joined, provinces, key="province_code"), repeat
    )
    start, end = joined["date_start"].min(), joined["date_start"].quantile(0.5)
    window = claims.Filters(start=start, end=end, coarsest_precision=3)
    times["filter a window"], _ = _best(lambda: claims.filter_events(joined, window), repeat)
    times["export events GeoJSON"], _ = _best(lambda: gio.to_rfc7946(joined), repeat)
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", choices=["load", "join"], help="time only this step (and its baseline)"
    )
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

    warm = generate(100, seed=1).to_csv(index=False).encode()  # builds the cached indexes
    join.join_events(claims.read_claims(warm, kind="events").data, provinces, districts)
    results = {}
    for n in args.sizes:
        if args.only == "join":
            results[n] = _join_only(n, args.repeat, provinces, districts, gazetteer)
        else:
            only_load = args.only == "load"
            results[n] = _steps(n, args.repeat, provinces, districts, gazetteer, only_load)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:,} events: peak resident memory so far {peak:,.0f} MB", flush=True)
    base = min(args.sizes)
    header = f"{'step':32}" + "".join(f"{n:>12,}" for n in args.sizes) + "   ratio"
    print(header)
    for step in results[base]:
        row = "".join(f"{results[n][step] * 1e3:>10.1f}ms" for n in args.sizes)
        ratio = results[max(args.sizes)][step] / results[base][step]
        print(f"{step:32}{row}   {ratio:5.1f}x")
    print(f"(best of {args.repeat}; ratio = {max(args.sizes):,} vs {base:,} events)")
    for n in args.sizes:
        r = results[n]
        load = r.get("load + validate", 0.0) / r.get("pyarrow parse (baseline)", 1.0)
        if args.only == "load":
            print(f"{n:>10,} events: load + validate = {load:.1f}x pyarrow")
            continue
        joined = r["join (provinces + districts)"] / r["two plain sjoins (baseline)"]
        if args.only == "join":
            print(f"{n:>10,} events: join = {joined:.2f}x sjoin")
            continue
        print(f"{n:>10,} events: load + validate = {load:.1f}x pyarrow; join = {joined:.2f}x sjoin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
