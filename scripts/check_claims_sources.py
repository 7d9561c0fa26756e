"""Check the ``sources`` column of the claims files against the seed articles.

Maintainer tool, not part of ``make run``. For every row of ``data/events.csv`` and
``data/presence.csv`` it checks that ``sources`` is a JSON array of objects with the
required keys (``file``, ``outlet``, ``title``, ``quote``), that each quote is at most
``settings.SOURCE_QUOTE_MAX`` characters, and that each quote appears verbatim (curly
quotes and dashes included) in the named seed file. When run on both shipped files it
also lists seed files that no row cites. It is meant for the seed-derived files: rows
imported from ACLED or UCDP name files that are not seed articles. Run::

    python scripts/check_claims_sources.py                      # both claims files
    python scripts/check_claims_sources.py data/events.csv --seeds ../shared/seeds

Exit status: 0 when everything checks out, 1 when any problem is found (each one is
listed on stderr as ``file, line N, source K: ...``), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import _csv, _files, settings  # noqa: E402
from geo.errors import GeoError  # noqa: E402

#: The seed articles sit beside the checkout, next to the boundaries mirror.
SEEDS_DIR = settings.SHARED_BOUNDARIES_DIR.parent / "seeds"


def check_sources(path: Path, *, seeds_dir: Path) -> tuple[list[str], set[str]]:
    """Check every ``sources`` cell of one claims CSV against the seed files.

    Parameters
    ----------
    path : Path
        A claims file (events or presence format) with a ``sources`` column.
    seeds_dir : Path
        Directory holding the seed articles named by each source's ``file`` key.

    Returns
    -------
    tuple of (list of str, set of str)
        The problems found, one message each (empty when the file is clean), and the
        names of the seed files that the file cites.

    A file that cannot be read (missing, not a file, not UTF-8, broken quoting) is
    one problem, named by file and line.

    Examples
    --------
    >>> problems, cited = check_sources(settings.EVENTS_PATH, seeds_dir=SEEDS_DIR)
    >>> problems
    []
    """
    texts: dict[str, str] = {}
    problems: list[str] = []
    cited: set[str] = set()
    try:
        records = _records(path)
    except GeoError as exc:
        return [str(exc)], cited
    if "sources" not in records.header:
        return [f"{path.name}: no 'sources' column in the header"], cited
    column = records.header.index("sources")
    for line, fields in records.rows:
        where = f"{path.name}, line {line}"
        if len(fields) != len(records.header):
            problems.append(f"{where}: {len(fields)} fields; expected {len(records.header)}")
            continue
        try:
            sources = json.loads(_csv.unescape_cell(fields[column]) or "")
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: 'sources' is not valid JSON ({exc.msg})")
            continue
        if not isinstance(sources, list) or not sources:
            problems.append(f"{where}: 'sources' must be a non-empty JSON array")
            continue
        for number, source in enumerate(sources, start=1):
            problems.extend(
                _check_one(
                    source,
                    where=f"{where}, source {number}",
                    seeds_dir=seeds_dir,
                    texts=texts,
                    cited=cited,
                )
            )
    return problems, cited


def _records(path: Path) -> _csv.Records:
    """Read a claims file with the project's line-numbered CSV reader (bounded, checked)."""
    data = _files.read_bytes(path, what="claims file", error=GeoError)
    return _csv.read_records(
        _csv.decode(data, path.name, error=GeoError), path.name, error=GeoError
    )


def _check_one(
    source: object, *, where: str, seeds_dir: Path, texts: dict[str, str], cited: set[str]
) -> list[str]:
    """Return the problems of one source object (and record the seed file it cites)."""
    if not isinstance(source, dict):
        return [f"{where}: expected a JSON object, found {type(source).__name__}"]
    missing = [key for key in settings.SOURCE_KEYS if key not in source]
    if missing:
        return [f"{where}: missing key(s) {', '.join(missing)}"]
    name, quote = source["file"], source["quote"]
    if not isinstance(quote, str) or not quote.strip():
        return [f"{where}: 'quote' must be a non-empty string"]
    problems = []
    if len(quote) > settings.SOURCE_QUOTE_MAX:
        problems.append(
            f"{where}: quote has {len(quote)} characters; at most {settings.SOURCE_QUOTE_MAX}"
        )
    if not isinstance(name, str) or Path(name).name != name:
        return [*problems, f"{where}: 'file' must be a bare seed file name, found {name!r}"]
    if name not in texts:
        seed = seeds_dir / name
        if not seed.is_file():
            return [*problems, f"{where}: seed file {name!r} not found in {seeds_dir}"]
        texts[name] = seed.read_text(encoding="utf-8")
    cited.add(name)
    if quote not in texts[name]:
        problems.append(f"{where}: quote not found verbatim in {name}: {quote[:80]!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check the claims files named on the command line (default: both shipped files).

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        0 when every quote is found, 1 when any problem is found, 2 on a usage error.

    Examples
    --------
    >>> main(["data/events.csv"])
    0
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        default=[settings.EVENTS_PATH, settings.PRESENCE_PATH],
        help="claims CSV files (default: data/events.csv and data/presence.csv)",
    )
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="seed article directory")
    args = parser.parse_args(argv)
    # Only a check of both shipped files can tell that a seed article went unused.
    args.files_given = bool(args.files) and args.files != [
        settings.EVENTS_PATH,
        settings.PRESENCE_PATH,
    ]
    if not args.seeds.is_dir():
        print(f"error: seed directory {args.seeds} not found", file=sys.stderr)
        return 2
    problems: list[str] = []
    cited: set[str] = set()
    quotes = 0
    for path in args.files:
        if not path.is_file():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
        file_problems, file_cited = check_sources(path, seeds_dir=args.seeds)
        problems.extend(file_problems)
        cited |= file_cited
        quotes += _count_sources(path)
    if not args.files_given:
        uncited = sorted(p.name for p in args.seeds.glob("*.txt") if p.name not in cited)
        problems.extend(f"seed file {name} is cited by no row" for name in uncited)
    for problem in problems:
        print(problem, file=sys.stderr)
    status = "FAILED" if problems else "ok"
    print(f"{status}: {quotes} source(s) in {len(args.files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


def _count_sources(path: Path) -> int:
    """Return the number of source objects in a claims file (0 for unreadable cells)."""
    try:
        records = _records(path)
    except GeoError:
        return 0
    if "sources" not in records.header:
        return 0
    column, total = records.header.index("sources"), 0
    for _line, fields in records.rows:
        try:
            sources = json.loads(_csv.unescape_cell(fields[column]) or "[]")
        except (json.JSONDecodeError, IndexError):
            continue
        total += len(sources) if isinstance(sources, list) else 0
    return total


if __name__ == "__main__":
    sys.exit(main())
