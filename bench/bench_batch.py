"""Benchmark the batch import on a large global ACLED-style export: wall time, peak memory.

Usage: ``python bench/bench_batch.py [--size 3G] [--small 300M] [--afghan-share 0.03]
[--keep] [--engines memory dask] [--folder /tmp]`` (``--size 0 --small 30M`` for a
quick run).

Writes a global ACLED-style CSV (the real ACLED columns in ACLED's order, most rows
in other countries, Afghanistan's rows over real places of the gazetteer, a few of
them bad on purpose: an impossible date, a repeated id, swapped coordinates, and
notes with quoted line breaks), block by block so that writing it takes bounded
memory, then runs ``python -m armap import`` on it in a child process per engine and
measures the wall time and the peak memory of the child and everything it starts
(the dask workers included: the resident memory of the process tree, sampled every
50 ms). The small file is also imported whole, in one chunk, as the import did before
it streamed. Prints a table; deletes the files unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.io import ACLED_COLUMNS  # noqa: E402
from geo.places import Gazetteer  # noqa: E402

#: Other countries and their weights (ACLED's largest, roughly).
COUNTRIES = {
    "Ukraine": 20, "Syria": 12, "Pakistan": 8, "India": 8, "Myanmar": 8, "Mexico": 7,
    "Brazil": 6, "Yemen": 6, "Nigeria": 5, "Sudan": 4, "Iraq": 4, "Somalia": 4,
    "Democratic Republic of Congo": 4, "Colombia": 3, "Philippines": 3, "Burkina Faso": 2,
    "Mali": 2, "Cameroon": 2, "Ethiopia": 2, "Palestine": 2,
}  # fmt: skip
#: ACLED event types with sub-event types.
EVENTS = {
    "Battles": ("Armed clash", "Government regains territory"),
    "Explosions/Remote violence": ("Shelling/artillery/missile attack", "Air/drone strike",
                                   "Remote explosive/landmine/IED"),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Looting/property destruction", "Arrests"),
}  # fmt: skip
ACTORS = ("Military Forces of Afghanistan (2021-)", "NRF: National Resistance Front",
          "AFF: Afghanistan Freedom Front", "Unidentified Armed Group (Afghanistan)",
          "Civilians (Afghanistan)")  # fmt: skip


def _pick(rng: np.random.Generator, options, n: int, weights=None) -> np.ndarray:
    keys = np.asarray(list(options), dtype=object)
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    return keys[rng.choice(len(keys), size=n, p=p)]


def acled_block(
    rng: np.random.Generator, first: int, n: int, *, afghan_share: float, places: pd.DataFrame
) -> pd.DataFrame:
    """Return ``n`` ACLED rows (every column text), ids counted from ``first``."""
    afghan = rng.random(n) < afghan_share
    country = np.where(afghan, "Afghanistan", _pick(rng, COUNTRIES, n, list(COUNTRIES.values())))
    serial = np.arange(first, first + n).astype(str)
    prefix = np.where(afghan, "AFG", pd.Series(country).str.slice(0, 3).str.upper().to_numpy())
    ids = prefix.astype(object) + serial.astype(object)
    place = places.iloc[rng.integers(0, len(places), size=n)].reset_index(drop=True)
    lat = np.where(afghan, place["latitude"].round(4), rng.uniform(-30, 60, n).round(4))
    lon = np.where(afghan, place["longitude"].round(4), rng.uniform(-90, 120, n).round(4))
    day = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")
    date = pd.Series(day.strftime("%Y-%m-%d"), dtype=object)
    spelled = rng.random(n) < 0.05
    date[spelled] = pd.Series(day[spelled].strftime("%d %B %Y"), index=date[spelled].index)
    event_type = _pick(rng, EVENTS, n)
    sub = np.empty(n, dtype=object)
    for kind, subs in EVENTS.items():
        hit = event_type == kind
        sub[hit] = _pick(rng, subs, int(hit.sum()))
    location = np.where(afghan, place["name"], "Town " + pd.Series(serial).str[-3:])
    admin1 = np.where(afghan, place["province_name"], "Region " + pd.Series(serial).str[-2:])
    admin2 = np.where(afghan, place["district"].fillna(""), "District " + serial)
    geo_precision = _pick(rng, ("1", "2", "3"), n, (70, 20, 10))
    notes = pd.Series(
        "On " + date + ", " + np.where(afghan, _pick(rng, ACTORS, n), "armed groups")
        + ' clashed near "' + location + '", local sources said; casualties unknown. '
        + "The report could not be verified independently; figures are as reported.",
        dtype=object,
    )  # fmt: skip
    broken_line = rng.random(n) < 0.02
    notes[broken_line] = notes[broken_line] + "\nA second paragraph,\r\nand a third."
    frame = pd.DataFrame(
        {
            "event_id_cnty": ids, "event_date": date, "year": day.year.astype(str),
            "time_precision": _pick(rng, ("1", "2", "3"), n, (80, 12, 8)),
            "disorder_type": "Political violence", "event_type": event_type,
            "sub_event_type": sub, "actor1": np.where(afghan, _pick(rng, ACTORS, n), "Group A"),
            "assoc_actor_1": "", "inter1": "2",
            "actor2": np.where(afghan, "Military Forces of Afghanistan (2021-)", "Group B"),
            "assoc_actor_2": "", "inter2": "1", "interaction": "12", "civilian_targeting": "",
            "iso": np.where(afghan, "4", "0"), "region": "Somewhere", "country": country,
            "admin1": admin1, "admin2": admin2, "admin3": "", "location": location,
            "latitude": lat.astype(str), "longitude": lon.astype(str),
            "geo_precision": geo_precision, "source": "Synthetic Wire; Example Times",
            "source_scale": "National", "notes": notes,
            "fatalities": rng.integers(0, 20, n).astype(str), "tags": "",
            "timestamp": "1700000000",
        }
    )  # fmt: skip
    bad = np.flatnonzero(afghan)
    if len(bad) >= 10:  # a few bad rows on purpose: each is rejected with its line
        frame.loc[bad[1], "event_date"] = "31 Febuary 2022"
        frame.loc[bad[3], "event_id_cnty"] = frame.loc[bad[2], "event_id_cnty"]
        frame.loc[bad[5], ["latitude", "longitude"]] = frame.loc[
            bad[5], ["longitude", "latitude"]
        ].to_numpy()
    return frame[list(ACLED_COLUMNS)]


def write_acled(
    path: Path,
    *,
    rows: int | None = None,
    size: int | None = None,
    afghan_share: float = 0.03,
    seed: int = 0,
    block: int = 50_000,
) -> int:
    """Write a global ACLED-style export of ``rows`` rows or about ``size`` bytes.

    Written block by block (bounded memory at any size). Returns the rows written.
    """
    if (rows is None) == (size is None):
        raise ValueError("give rows or size")
    rng = np.random.default_rng(seed)
    places = Gazetteer.load().places
    places = places[places["kind"] == "populated_place"].reset_index(drop=True)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        while (rows is not None and written < rows) or (size is not None and fh.tell() < size):
            n = block if rows is None else min(block, rows - written)
            frame = acled_block(rng, written + 1, n, afghan_share=afghan_share, places=places)
            frame.to_csv(fh, header=written == 0, index=False, lineterminator="\n")
            written += n
    return written


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(command: list[str]) -> tuple[float, int, str]:
    """Run ``command``; return its wall time, the peak RSS of its process tree, stdout."""
    import psutil

    started = time.perf_counter()
    proc = psutil.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{err.decode()}")
    return wall, peak, out.decode()


WHOLE = (
    "import sys; from pathlib import Path; from geo.io import import_file; "
    "print(import_file(Path(sys.argv[1]), Path(sys.argv[2]), replace=True, chunk_rows=1 << 62, "
    "batch_rows=1 << 62))"
)


def _size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].isalpha() else int(text)


def main(argv: list[str] | None = None) -> int:
    """Write the files, run the imports, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", type=_size, default=_size("3G"), help="the big file (3G; 0 for none)"
    )
    parser.add_argument("--small", type=_size, default=_size("300M"), help="fits in memory")
    parser.add_argument("--afghan-share", type=float, default=0.03)
    parser.add_argument("--engines", nargs="+", default=["memory", "dask"])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="armap-bench-", dir=args.folder))
    python = [sys.executable, "-m", "armap", "import"]
    results = []
    try:
        for label, size in (("small", args.small), ("big", args.size)):
            if size <= 0:  # --size 0: the small file only
                continue
            path = work / f"acled-{label}.csv"
            started = time.perf_counter()
            rows = write_acled(path, size=size, afghan_share=args.afghan_share)
            took = time.perf_counter() - started
            actual = path.stat().st_size
            print(f"wrote {path} ({actual / 1e9:.2f} GB, {rows:,} rows) in {took:.0f} s")
            runs = [(e, [*python, str(path), "-o", str(work / f"{e}.csv"), "--replace",
                         "--quiet", "--engine", e]) for e in args.engines]  # fmt: skip
            if label == "small":
                command = [sys.executable, "-c", WHOLE, str(path), str(work / "whole.csv")]
                runs.insert(0, ("memory, whole file in one chunk", command))
            for engine, command in runs:
                wall, peak, out = measure(command)
                print(f"  {engine}: {wall:.1f} s, peak {peak / 2**20:,.0f} MiB\n    "
                      + out.strip().splitlines()[0])  # fmt: skip
                results.append((engine, actual, rows, wall, peak))
            path.unlink()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n| engine | input | rows | wall time | peak memory (process tree) |")
    print("|---|---|---|---|---|")
    for engine, size, rows, wall, peak in results:
        print(f"| {engine} | {size / 1e9:.2f} GB | {rows:,} | {wall:.1f} s | "
              f"{peak / 2**20:,.0f} MiB |")  # fmt: skip
    print(f"({os.cpu_count()} cores; Afghanistan share {args.afghan_share:.0%}; dask: a local "
          "cluster, one worker process per core)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
