"""A seeded mutation fuzzer: no input file crashes the program or loses a row.

The seeds are the project's own files (``tests/fixtures/map/events.csv``, the ACLED and
UCDP GED fixtures, ``data/presence.csv``). Each case applies one to three mutations
(byte flips, truncation, inserted quotes / CR / LF / NUL / commas, huge fields, huge
or non-ASCII numbers, formula cells, template syntax, duplicated or shuffled columns,
line-ending changes, ...) with a fixed seed, so every run tries the same cases and a
failure names the case that reproduces it. Three targets:

- ``armap validate FILE``: exit code 0 or 1, no exception but GeoError; the rows it
  counts are the file's records (counted here with the csv module), and the rows
  with a problem plus the rows ok are all of them;
- ``armap import FILE -o OUT``: exit 0 or 1; rows read = converted + rejected + rows
  of other countries = the file's records; the output passes ``read_claims`` without a
  problem and the rejection report lists every rejected row;
- the app's upload path, ``views.load_map_data(events_bytes=...)``: only GeoError;
  good + rejected rows = records; the map is built and rendered; the events CSV the
  page offers for download escapes formulas and reads back with the same rows.

Each target runs a fixed number of cases within a time budget (the whole file takes
well under a minute). ``python tests/test_fuzz.py [--scale N] [--seed S]`` runs every
case (N times as many) and prints the figures: cases tried, clear errors, crashes, rows
lost.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from armap import cli  # noqa: E402
from geo import _csv, claims, views  # noqa: E402
from geo.errors import GeoError  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
EVENTS = FIXTURES / "map" / "events.csv"
ACLED = FIXTURES / "acled" / "acled_afghanistan.csv"
UCDP = FIXTURES / "ucdp" / "ged_afghanistan.csv"
PRESENCE = ROOT / "data" / "presence.csv"

#: Cases per target and the time each target may take (seconds); a slow machine runs
#: the first cases that fit, always in the same order.
CASES = {"validate": 90, "import": 24, "app": 16}
BUDGET = {"validate": 12.0, "import": 14.0, "app": 14.0}
SEED = 20_260_611

_FORMULAS = ("=1+2", "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "\t=HYPERLINK(x)", "'=x", "=")
_NUMBERS = ("99999999999999999999999", "1e400", "inf", "-inf", "nan", "-0", "1" * 400, "0x1F")
_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
_TEMPLATES = ("{% broken end", "{{ 7*7 }}", "{# open comment", "{%- endraw %}", "}}{{")
_INSERTS = (b'"', b"\r", b"\n", b"\x00", b",", b"\r\n", b'""', b'",', b"\xff", b"\xef\xbb\xbf")


# --- mutations ------------------------------------------------------------------------
def _table(data: bytes) -> list[list[str]] | None:
    """The records of ``data`` as text (None when it is not UTF-8 CSV)."""
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None


def _write(rows: list[list[str]], newline: str = "\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _cell_mutation(change: Callable[[random.Random, str], str]) -> Callable:
    def mutate(rng: random.Random, data: bytes) -> bytes:
        rows = _table(data)
        if not rows or len(rows) < 2:
            return data
        r = rng.randrange(1, len(rows))
        if not rows[r]:
            return data
        c = rng.randrange(len(rows[r]))
        rows[r][c] = change(rng, rows[r][c])
        return _write(rows)

    return mutate


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _insert(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(_INSERTS) * rng.choice((1, 1, 2, 5)) + data[i:]


def _line_endings(rng: random.Random, data: bytes) -> bytes:
    ending = rng.choice((b"\r", b"\r\n", b"\n\n", b"\r\r\n"))
    return data.replace(b"\r\n", b"\n").replace(b"\n", ending)


def _duplicate_column(rng: random.Random, data: bytes) -> bytes:
    rows = _table(data)
    if not rows or not rows[0]:
        return data
    c = rng.randrange(len(rows[0]))
    return _write([row[: c + 1] + row[c : c + 1] + row[c + 1 :] for row in rows])


def _shuffle_header(rng: random.Random, data: bytes) -> bytes:
    rows = _table(data)
    if not rows:
        return data
    rng.shuffle(rows[0])
    return _write(rows)


def _shuffle_columns(rng: random.Random, data: bytes) -> bytes:
    rows = _table(data)
    if not rows or not rows[0]:
        return data
    order = list(range(len(rows[0])))
    rng.shuffle(order)
    return _write([[row[i] for i in order if i < len(row)] for row in rows])


def _drop_column(rng: random.Random, data: bytes) -> bytes:
    rows = _table(data)
    if not rows or not rows[0]:
        return data
    c = rng.randrange(len(rows[0]))
    return _write([row[:c] + row[c + 1 :] for row in rows])


def _wide(rng: random.Random, data: bytes) -> bytes:
    rows = _table(data)
    if not rows or len(rows) < 2:
        return data
    r = rng.choice((0, rng.randrange(1, len(rows))))
    rows[r] = rows[r] + [f"x{i}" for i in range(rng.choice((30, 600, 5000)))]
    return _write(rows)


def _duplicate_row(rng: random.Random, data: bytes) -> bytes:
    rows = _table(data)
    if not rows or len(rows) < 2:
        return data
    r = rng.randrange(1, len(rows))
    return _write([*rows[: r + 1], rows[r], *rows[r + 1 :]])


def _no_quotes(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b'"', b"")


def _digits(rng: random.Random, value: str) -> str:
    table = rng.choice((_DIGITS, _DEVANAGARI))
    return (value or "5").translate(table)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": _flip,
    "truncate": _truncate,
    "insert": _insert,
    "line_endings": _line_endings,
    "huge_field": _cell_mutation(lambda rng, v: "x" * (_csv.MAX_FIELD_CHARS + rng.randrange(9))),
    "huge_number": _cell_mutation(lambda rng, v: rng.choice(_NUMBERS)),
    "non_ascii_digits": _cell_mutation(_digits),
    "formula": _cell_mutation(lambda rng, v: rng.choice(_FORMULAS) + rng.choice(("", v))),
    "template": _cell_mutation(lambda rng, v: rng.choice(_TEMPLATES) + " " + v),
    "control": _cell_mutation(lambda rng, v: v + rng.choice(("\r", "\x00", "\x1b", "\r\n", "\n"))),
    "empty_cell": _cell_mutation(lambda rng, v: ""),
    "old_date": _cell_mutation(
        lambda rng, v: rng.choice(("1700-01-15", "0001-01-01", "9999-12-31"))
    ),
    "duplicate_column": _duplicate_column,
    "shuffle_header": _shuffle_header,
    "shuffle_columns": _shuffle_columns,
    "drop_column": _drop_column,
    "wide": _wide,
    "duplicate_row": _duplicate_row,
    "no_quotes": _no_quotes,
}


@dataclass(frozen=True)
class Case:
    """One fuzz case: a seed file and the mutations applied to it, in order."""

    number: int
    seed_file: Path
    mutations: tuple[str, ...]
    data: bytes = field(repr=False)

    def __str__(self) -> str:
        return f"case {self.number}: {self.seed_file.name} + {', '.join(self.mutations)}"


def make_cases(target: str, count: int, *, seed: int = SEED) -> list[Case]:
    """Return ``count`` cases for ``target``, the same on every run with the same seed."""
    rng = random.Random(f"{seed}:{target}")
    seeds = {
        "validate": [EVENTS, EVENTS, PRESENCE, ACLED],
        "import": [ACLED, UCDP],
        "app": [EVENTS],
    }[target]
    cases = []
    for number in range(count):
        seed_file = seeds[number % len(seeds)]
        data = seed_file.read_bytes()
        names = tuple(rng.choice(list(MUTATIONS)) for _ in range(rng.choice((1, 1, 2, 3))))
        for name in names:
            data = MUTATIONS[name](rng, data)
        cases.append(Case(number, seed_file, names, data))
    return cases


# --- counting records independently -----------------------------------------------------
def records(data: bytes) -> int | None:
    """The number of records below the header, counted with the csv module alone.

    None when the file cannot be read as UTF-8 CSV at all (it must then be refused).
    Blank records are not rows; the first non-blank record is the header.
    """
    text = data.decode("utf-8", errors="strict") if data else ""
    text = text.removeprefix("\ufeff")
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(f.strip() for f in r)]
    except csv.Error:
        return None
    return max(len(rows) - 1, 0)


# --- the targets --------------------------------------------------------------------------
@dataclass
class Figures:
    """What a run found: cases tried, how they ended, crashes and lost rows."""

    tried: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def fail(self, case: Case, what: str) -> None:
        self.failures.append(f"{case}: {what}")

    @property
    def crashes(self) -> int:
        return sum(1 for f in self.failures if ": crash" in f)

    @property
    def lost(self) -> int:
        return sum(1 for f in self.failures if ": rows lost" in f)


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def _count(data: bytes) -> int | None:
    try:
        return records(data)
    except UnicodeDecodeError:
        return None


def run_validate(case: Case, folder: Path, figures: Figures) -> None:
    """``armap validate``: exit 0/1, every record counted, problems on real lines."""
    path = folder / "fuzz.csv"
    path.write_bytes(case.data)
    try:
        code, out, err = _cli(["validate", str(path)])
    except BaseException as exc:  # any exception escaping main() is a traceback
        figures.fail(case, f"crash {type(exc).__name__}: {exc}"[:300])
        return
    if code not in (0, 1) or "Traceback" in err:
        figures.fail(case, f"crash: exit {code} {err[:200]}")
        return
    if err:
        figures.outcomes["refused with a clear error"] += 1
        if "fuzz.csv" not in err:
            figures.fail(case, f"unclear error (no file name): {err[:200]}")
        return
    summary = re.search(r"fuzz\.csv: (\d+) rows, (?:no problems|.*; (\d+) rows ok)$", out.strip())
    if summary is None:
        figures.fail(case, f"no summary line: {out[-200:]}")
        return
    rows, ok = int(summary[1]), int(summary[2] or summary[1])
    expected = _count(case.data)
    if expected is not None and rows != expected:
        figures.fail(case, f"rows lost: validate counted {rows} rows, the file has {expected}")
    lines = {int(m) for m in re.findall(r"^\S*fuzz\.csv, line (\d+)", out, flags=re.M)}
    rejected = rows - ok
    header_only = bool(re.search(r"^\S*fuzz\.csv, line \d+ \(header\)", out, flags=re.M))
    if ok > rows or (not header_only and rejected != len(lines)) or (rejected and not lines):
        figures.fail(case, f"rows lost: {rows} rows, {ok} ok, problems on lines {sorted(lines)}")
    figures.outcomes["problems listed" if code else "no problems"] += 1


def run_import(case: Case, folder: Path, figures: Figures) -> None:
    """``armap import``: exit 0/1, read = converted + rejected, valid output, full report."""
    path, out_path = folder / "fuzz.csv", folder / "out.csv"
    path.write_bytes(case.data)
    try:
        code, out, err = _cli(["import", "--quiet", str(path), "-o", str(out_path), "--replace"])
    except BaseException as exc:
        figures.fail(case, f"crash {type(exc).__name__}: {exc}"[:300])
        return
    if code not in (0, 1) or "Traceback" in err:
        figures.fail(case, f"crash: exit {code} {err[:200]}")
        return
    expected = _count_lenient(case.data)
    report = folder / "out.rejected.csv"
    if code == 1:
        figures.outcomes["refused with a clear error"] += 1
        if "fuzz.csv" not in err:
            figures.fail(case, f"unclear error (no file name): {err[:200]}")
        nothing = re.search(r"none of its (\d+) row\(s\)", err)
        others = _others(err)
        if nothing and expected is not None and int(nothing[1]) != expected:
            figures.fail(case, f"rows lost: said {nothing[1]} rows, the file has {expected}")
        if nothing and _report_rows(report) != int(nothing[1]) - others:
            figures.fail(case, f"rows lost: the report lists {_report_rows(report)} rows")
        return
    summary = re.search(r"(\d+) rows read, (\d+) converted, (\d+) rejected", out)
    if summary is None:
        figures.fail(case, f"no summary: {out[:200]}")
        return
    read, converted, rejected = (int(x) for x in summary.groups())
    others = _others(out)
    if read != converted + rejected + others or (expected is not None and read != expected):
        figures.fail(
            case, f"rows lost: {read} read, {converted} + {rejected} + {others}, file {expected}"
        )
    if _report_rows(report) != rejected:
        figures.fail(case, f"rows lost: {rejected} rejected, report has {_report_rows(report)}")
    result = claims.read_claims(out_path, kind="events", on_invalid="report")
    if result.problems or len(result.data) != converted:
        figures.fail(case, f"the output fails validation: {[str(p) for p in result.problems][:2]}")
    figures.outcomes["imported"] += 1


def _count_lenient(data: bytes) -> int | None:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        reader = csv.reader(io.StringIO(text, newline=""), strict=False)
        rows = [r for r in reader if any(f.strip() for f in r)]
    except (UnicodeDecodeError, csv.Error):
        return None
    return max(len(rows) - 1, 0)


def _others(text: str) -> int:
    """The rows of other countries an import counted instead of listing them."""
    found = re.search(r"([\d,]+) rows? of other countries skipped", text)
    return int(found[1].replace(",", "")) if found else 0


def _report_rows(report: Path) -> int:
    parsed = _csv.read_records(report.read_text(encoding="utf-8"), "report", error=GeoError)
    return len(parsed.rows)


def run_app(case: Case, folder: Path, figures: Figures) -> None:
    """The upload path: only GeoError; every row kept or listed; map and download work."""
    from geo.claims import Filters
    from layers import page

    try:
        data = views.load_map_data(events_bytes=case.data, events_name="fuzz.csv")
    except GeoError as exc:
        figures.outcomes["refused with a clear error"] += 1
        if "fuzz.csv" not in str(exc):
            figures.fail(case, f"unclear error (no file name): {str(exc)[:200]}")
        return
    except BaseException as exc:
        figures.fail(case, f"crash {type(exc).__name__}: {exc}"[:300])
        return
    try:
        result = claims.read_claims(case.data, kind="events", name="fuzz.csv", on_invalid="report")
        expected = _count(case.data)
        if len(data.events) != len(result.data) or (
            expected is not None and len(result.data) + len(result.rejected) != expected
        ):
            figures.fail(case, f"rows lost: {len(data.events)} shown, file has {expected}")
        frames = views.map_frames(data, filters=Filters())
        page.render_page(data, Filters(), installed={})  # the map page and its payload
        made = views.download_files(frames, filters=Filters(), source="fuzz.csv")
        make, _mime = made["events_any_any.csv"]
        download = make()
        _check_download(case, download, len(frames["events"]), figures)
    except BaseException as exc:
        figures.fail(case, f"crash {type(exc).__name__}: {exc}"[:300])
        return
    figures.outcomes["mapped" if not result.problems else "mapped, problems listed"] += 1


def _check_download(case: Case, download: bytes, rows: int, figures: Figures) -> None:
    cells = [c for r in csv.reader(io.StringIO(download.decode("utf-8"), newline="")) for c in r]
    live = [
        c for c in cells if re.match(r"[=+\-@\t\r]", c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)
    ]
    if live:
        figures.fail(case, f"live formula in the download: {live[0][:40]!r}")
    back = claims.read_claims(download, kind="events", name="events.csv", on_invalid="report")
    if len(back.data) != rows:
        figures.fail(case, f"rows lost: the download reads back {len(back.data)} of {rows} rows")


TARGETS: dict[str, Callable[[Case, Path, Figures], None]] = {
    "validate": run_validate,
    "import": run_import,
    "app": run_app,
}


def fuzz(
    target: str, *, count: int | None = None, budget: float | None = None, seed: int = SEED
) -> Figures:
    """Run the cases of ``target`` (until ``budget`` seconds have passed) and return figures."""
    figures = Figures()
    deadline = time.monotonic() + (BUDGET[target] if budget is None else budget)
    with tempfile.TemporaryDirectory() as tmp:
        for case in make_cases(target, CASES[target] if count is None else count, seed=seed):
            if time.monotonic() > deadline:
                break
            folder = Path(tmp) / str(case.number)
            folder.mkdir()
            TARGETS[target](case, folder, figures)
            figures.tried += 1
    return figures


# --- the tests ------------------------------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Load the provinces and gazetteer once, so the budgets go to the cases."""
    claims.read_claims(EVENTS, kind="events", on_invalid="report")


@pytest.mark.realdata
@pytest.mark.parametrize("target", list(TARGETS))
def test_no_input_crashes_or_loses_a_row(target):
    figures = fuzz(target)
    assert figures.tried >= min(10, CASES[target]), "the budget ran out before 10 cases"
    assert not figures.failures, "\n".join(figures.failures)


def test_cases_are_the_same_on_every_run():
    assert [c.data for c in make_cases("validate", 5)] == [
        c.data for c in make_cases("validate", 5)
    ]


def main(argv: list[str] | None = None) -> int:
    """Run every case of every target (no time budget) and print the figures."""
    import argparse

    parser = argparse.ArgumentParser(description="Print the fuzz figures (no time budget).")
    parser.add_argument("--scale", type=int, default=1, help="run N times as many cases")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the cases' seed ({SEED})")
    args = parser.parse_args(argv)
    claims.read_claims(EVENTS, kind="events", on_invalid="report")
    total = Figures()
    for target in TARGETS:
        start = time.monotonic()
        figures = fuzz(
            target, count=CASES[target] * args.scale, budget=float("inf"), seed=args.seed
        )
        total.tried += figures.tried
        total.outcomes += figures.outcomes
        total.failures += figures.failures
        print(
            f"{target:<9} {figures.tried:>4} cases in {time.monotonic() - start:5.1f} s: "
            + ", ".join(f"{n} {what}" for what, n in sorted(figures.outcomes.items()))
        )
    clear = total.outcomes["refused with a clear error"] + total.outcomes["problems listed"]
    clear += total.outcomes["mapped, problems listed"]
    print(
        f"cases tried: {total.tried}; clear errors: {clear}; crashes: {total.crashes}; "
        f"rows lost: {total.lost}; other failures: "
        f"{len(total.failures) - total.crashes - total.lost}"
    )
    for failure in total.failures:
        print("  " + failure)
    return 1 if total.failures else 0


if __name__ == "__main__":
    sys.exit(main())
