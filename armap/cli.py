"""Command-line front: validate, geocode, districts, export, import, extract.

Exit codes: 0 success, 1 a data problem (the message says which file, row and value),
2 a usage error: a bad argument, or an argument at odds with the files (an unknown
``-o`` extension, an existing output without ``--force``, ``--start`` after ``--end``),
reported the way argparse reports its own errors (usage line, then ``armap CMD: error:``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from armap import __version__
from geo import boundaries, places, settings
from geo.errors import DistrictsNotInstalledError, ExportError, GeoError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """An argument the command cannot use: reported like argparse's errors, exit 2."""


# --- districts -------------------------------------------------------------------
def _cmd_districts_install(args: argparse.Namespace) -> int:
    manifest = boundaries.install_districts(
        args.source, download=args.download, verify=not args.no_verify
    )
    print(f"installed {manifest['features']} districts to {settings.DISTRICTS_PATH}")
    print(f"source: {manifest['source']} (sha256 {manifest['sha256'][:12]}…)")
    for row in manifest["borderline"]:
        share = f"{row['province_share']:.0%}"
        print(f"borderline: {row['name']} -> {row['province_code']} ({share} overlap)")
    print(manifest["attribution"])
    return EXIT_OK


def _cmd_districts_status(args: argparse.Namespace) -> int:
    if boundaries.districts_installed():
        print(f"districts: installed at {settings.DISTRICTS_PATH}")
        return EXIT_OK
    print("districts: not installed; run `armap districts install`")
    return EXIT_DATA


def _add_districts(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("districts", help="install or check the optional district layer")
    dsub = p.add_subparsers(dest="action", required=True)
    inst = dsub.add_parser(
        "install",
        help=f"install geoBoundaries' 398 districts into {settings.DISTRICTS_DIR}",
        description="Install geoBoundaries AFG ADM2 from a local file or folder (--from), "
        f"by default {settings.SHARED_BOUNDARIES_DIR}, or download it (--download), into "
        f"{settings.DISTRICTS_DIR} (outside a writable checkout: the per-user folder, "
        f"${settings.HOME_ENV} or {settings.USER_DIR}).",
    )
    src = inst.add_mutually_exclusive_group()
    src.add_argument("--from", dest="source", type=Path, metavar="PATH", help="file or folder")
    src.add_argument("--download", action="store_true", help="download from geoBoundaries")
    inst.add_argument(
        "--no-verify", action="store_true", help="accept a release other than the expected one"
    )
    inst.set_defaults(func=_cmd_districts_install)
    status = dsub.add_parser("status", help="say whether the district layer is installed")
    status.set_defaults(func=_cmd_districts_status)


# --- validate --------------------------------------------------------------------
def _display(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop
        return str(path)


def _cmd_validate(args: argparse.Namespace) -> int:
    from geo.claims import read_claims  # imported here: loading it pulls in pandera

    paths = args.paths or [settings.EVENTS_PATH, settings.PRESENCE_PATH]
    status = EXIT_OK
    checked: dict[Path, list] = {}  # folder -> the claims files read from it
    for path in paths:
        shown = _display(Path(path))
        try:
            result = read_claims(path, name=shown, on_invalid="report")
        except GeoError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = EXIT_DATA
            continue
        rows = result.rows_read
        for problem in result.problems:
            print(problem)
        if result.problems:
            lines = len({p.line for p in result.problems})
            print(
                f"{shown}: {rows} rows, {len(result.problems)} problem(s) on {lines} line(s); "
                f"{len(result.data)} rows ok"
            )
            status = EXIT_DATA
        else:
            print(f"{shown}: {rows} rows, no problems")
        checked.setdefault(Path(path).resolve().parent, []).append((shown, result))
    for folder, files in checked.items():
        if _validate_stances(folder, files) != EXIT_OK:
            status = EXIT_DATA
    return status


def _validate_stances(folder: Path, files: list) -> int:
    """Check the stances.csv beside claims files: its values, its ids, the statuses."""
    from geo.claims import apply_stances, read_stances

    path = folder / "stances.csv"
    shown = _display(path)
    if not path.is_file():  # none: each row's claim_status stands as one stance
        return EXIT_OK
    columns = {"events": "event_id", "presence": "presence_id"}
    ids = {
        i
        for _, result in files
        for frame in (result.data, result.rejected)
        if columns[result.kind] in frame
        for i in frame[columns[result.kind]].astype(str)
    }
    both = {result.kind for _, result in files} == set(columns)
    try:  # with both claims files, every address must be one of their ids
        read = read_stances(path.read_bytes(), shown, known_ids=ids if both else None)
    except (GeoError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    problems = list(read.problems)
    for name, result in files:
        problems += apply_stances(
            result.data, read.stances, id_column=columns[result.kind], name=name
        )[2]
    for problem in problems:
        print(problem)
    stances = read.stances["stance_id"].nunique()
    print(
        f"{shown}: {stances} stances, "
        + (f"{len(problems)} problem(s)" if problems else "no problems")
    )
    return EXIT_DATA if problems else EXIT_OK


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check events/presence files and list every problem",
        description="Check claims files (kind detected from the header) and the "
        "stances.csv beside them, and print every problem, one per line. Exit 1 if there "
        "is any. Default: data/events.csv and data/presence.csv (and data/stances.csv).",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="CSV files to check")
    p.set_defaults(func=_cmd_validate)


# --- geocode ---------------------------------------------------------------------
def _place_line(place: places.Place) -> str:
    where = f"{place.province_code} {place.province_name}" if place.province_code else "-"
    point = f"{place.longitude:.5f}, {place.latitude:.5f}" if place.longitude is not None else "-"
    return f"  {place.kind:<16} {place.name:<28} {where:<22} {point}"


def _district_text(place: places.Place, installed: bool) -> str:
    if place.district:
        return f"{place.district} ({place.district_id})"
    if not installed:
        return "unknown (district layer not installed)"
    if place.kind in ("province", "region", "country", "valley"):
        return f"none (a {place.kind.replace('_', ' ')} is not inside one district)"
    return "none (the point lies in no district)"


def _cmd_geocode(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from geo.errors import AmbiguousPlaceError, PlaceNotFoundError

    name = " ".join(args.name)
    districts = None if args.no_districts else settings.DISTRICTS_PATH
    gaz = places.Gazetteer.load(districts_path=districts)
    try:
        match = gaz.match(name, province=args.province, fuzzy=not args.no_fuzzy)
    except AmbiguousPlaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.json:
            found = [dataclasses.asdict(p) for p in exc.candidates]
            print(
                json.dumps(
                    {"error": "ambiguous", "message": str(exc), "candidates": found},
                    ensure_ascii=False,
                )
            )
        else:
            print(f"{name!r} is ambiguous; candidates (give --province or a kind word):")
            for place in exc.candidates:
                print(_place_line(place))
        return EXIT_DATA
    except PlaceNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.json:
            print(json.dumps({"error": "not_found", "message": str(exc)}))
        return EXIT_DATA
    place = match.place
    if args.json:
        out = {
            **dataclasses.asdict(place),
            "rule": match.rule,
            "others": [dataclasses.asdict(p) for p in match.others],
            "districts_installed": gaz.districts_installed,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    point = "-"
    if place.longitude is not None:
        exact = "exact point" if place.location_precision == 1 else "representative point only"
        point = f"{place.longitude:.5f}, {place.latitude:.5f} ({exact})"
    how = "exact" if place.score == 100.0 else "fuzzy"
    province = f"{place.province_code} ({place.province_name})" if place.province_code else "none"
    precision = settings.LOCATION_PRECISIONS[place.location_precision]
    print(f"{place.name}")
    print(f"  kind:       {place.kind}")
    print(f"  province:   {province}")
    print(f"  district:   {_district_text(place, gaz.districts_installed)}")
    print(f"  lon/lat:    {point}")
    print(f"  precision:  {place.location_precision} ({precision})")
    print(f"  match:      {how}, score {place.score:.1f}, matched {place.matched!r}")
    print(f"  rule:       {match.rule}")
    print(f"  source:     {place.source} ({place.place_id})")
    if match.others:
        print("  also matches (set aside by the rule; use --province or a kind word):")
        for other in match.others:
            print("  " + _place_line(other))
    return EXIT_OK


def _add_geocode(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "geocode",
        help="resolve a place name with the gazetteer",
        description="Resolve a place name (any transliteration) to a place: kind, canonical "
        "name, province, district, lon/lat, precision, match score and source. A kind word "
        "narrows the kind ('Kabul city', 'Fayzabad district', 'Herat province'). Exit 1 "
        "when the name is ambiguous (the candidates are listed) or unknown (suggestions "
        "are given).",
    )
    p.add_argument("name", nargs="+", metavar="NAME", help="the place name (quotes optional)")
    p.add_argument("--province", metavar="P", help="province name or ISO code, e.g. AF-BDS")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--no-fuzzy", action="store_true", help="accept exact (normalised) matches only")
    p.add_argument(
        "--no-districts", action="store_true", help="ignore the installed district layer"
    )
    p.set_defaults(func=_cmd_geocode)


# --- export / import -------------------------------------------------------------
def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from exc


def _metres(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of metres, not {text!r}")
    return value


def _progress(total: int, *, quiet: bool, desc: str, unit: str = "step") -> Any:
    """Return a tqdm bar on stderr, hidden with --quiet or when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=total, desc=desc, unit=unit, unit_scale=unit == "B", file=sys.stderr,
        disable=quiet or not sys.stderr.isatty(), leave=False,
    )  # fmt: skip


def _advance(bar: Any) -> Callable[[str, int, int], None]:
    """Return a ``progress(stage, done, total)`` callback that moves ``bar`` to ``done``."""

    def advance(stage: str, done: int, total: int) -> None:
        bar.total = total
        bar.set_postfix_str(stage, refresh=False)
        bar.update(max(0, done - bar.n))

    return advance


def _output_target(text: str) -> str:
    """Accept ``-`` or a file whose extension names an output format (argparse type)."""
    from geo import io

    try:
        io.output_format(text)
    except ExportError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def _add_engine(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine", choices=("memory", "dask"), default="memory",
        help="memory: in this process (an import reads its input in chunks, in bounded "
        "memory); dask: on a dask cluster, a local one unless --scheduler (same results)",
    )  # fmt: skip
    p.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="with --engine dask: a running dask scheduler, e.g. tcp://127.0.0.1:8786",
    )  # fmt: skip
    p.add_argument(
        "--workers", type=int, metavar="N",
        help="with --engine dask and no --scheduler: local worker processes (default: cores)",
    )  # fmt: skip


@contextlib.contextmanager
def _cluster(args: argparse.Namespace) -> Iterator[Any]:
    """Yield a dask client for --engine dask (None for memory); checked before any work."""
    if args.engine != "dask":
        for option in ("scheduler", "workers"):
            if getattr(args, option) is not None:
                raise UsageError(f"--{option} applies to --engine dask only")
        yield None
        return
    if args.scheduler is not None and args.workers is not None:
        raise UsageError("--workers applies to the local cluster; leave it out with --scheduler")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, not {args.workers}")
    from geo import batch

    if args.scheduler is not None:
        try:
            batch.check_address(args.scheduler)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    with batch.dask_client(args.scheduler, workers=args.workers) as client:
        yield client


def _load_map_data(args: argparse.Namespace, client: Any, districts_path: Path) -> Any:
    """Load, validate and join the claims: on the cluster with --engine dask."""
    from geo import views

    if client is None:
        return views.load_map_data(
            args.events, presence_path=args.presence, districts_path=districts_path
        )
    from geo import batch

    with _progress(0, quiet=args.quiet, desc="join on dask", unit="partition") as bar:
        return batch.load_joined(
            client,
            args.events,
            presence_path=args.presence,
            districts_path=districts_path,
            progress=_advance(bar),
        )


def _cmd_export(args: argparse.Namespace) -> int:
    from geo import io, views
    from geo.claims import Filters

    try:
        fmt = io.check_target(args.output, force=args.force, sidecar=True)  # before any work
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    if args.simplify is not None and args.layer == "events":
        raise UsageError(
            "--simplify applies to the area layers (provinces, districts, presence); "
            "the events layer has points only"
        )
    districts_path = settings.DISTRICTS_PATH
    if args.layer == "districts" and not boundaries.districts_installed(districts_path):
        raise DistrictsNotInstalledError(
            f"the district layer is not installed ({districts_path} is missing); run "
            "`armap districts install` (or `make districts`). The provinces, events "
            "and presence layers work without it"
        )
    try:
        filters = Filters(
            start=args.start,
            end=args.end,
            actors=tuple(args.actor),
            event_types=tuple(args.type),
            statuses=tuple(args.status),
            coarsest_precision=args.coarsest_precision,
            sources=tuple(args.source),
            known_on=args.known_on,
            contested=args.contested,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if filters.known_on is not None and args.engine == "dask":
        raise UsageError("--known-on needs the stances, which the memory engine reads: "
                         "drop --engine dask")  # fmt: skip
    with (
        _cluster(args) as client,
        _progress(3, quiet=args.quiet, desc=f"export {args.layer}") as bar,
    ):
        data = _load_map_data(args, client, districts_path)
        if filters.known_on is not None:
            data = views.known_on(data, filters.known_on)
        bar.update()
        province = None
        if args.province:
            province = places.Gazetteer.load(districts_path=None).province_code(args.province)
        try:
            frame = views.layer_frame(
                args.layer,
                events=data.events,
                presence=data.presence,
                provinces=data.provinces,
                districts=data.districts,
                filters=filters,
                metric=args.metric,
                province=province,
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        if args.simplify is not None:
            frame = views.simplified_frame(
                frame, provinces=data.provinces, districts=data.districts, metres=args.simplify
            )
        bar.update()
        try:
            stances = getattr(data, "stances", None)  # (the dask engine has none)
            said = None
            if stances is not None and "claim_id" in stances:
                said = views.stance_records(frame, stances, layer=args.layer)
            metadata = io.export_metadata(
                args.layer, filters, source=Path(args.events).name, stances=said
            )
            io.write_layer(
                frame, args.output, layer_name=args.layer, force=args.force, metadata=metadata
            )
        except BrokenPipeError:  # `-o - | head`: the reader left; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_DATA
        bar.update()
    for problem in data.problems[:5]:
        print(f"warning: left out, as on the map: {problem}", file=sys.stderr)
    if len(data.problems) > 5:
        print(f"warning: … and {len(data.problems) - 5} more problem(s)", file=sys.stderr)
    where = "standard output" if fmt == "stdout" else _display(Path(args.output))
    print(
        f"exported {len(frame)} feature(s) of layer {args.layer} to {where} "
        f"({'geojson' if fmt == 'stdout' else fmt}); {len(data.problems)} data problem(s)",
        file=sys.stderr,
    )
    return EXIT_OK


def _add_export(sub: argparse._SubParsersAction) -> None:
    from geo import views

    p = sub.add_parser(
        "export",
        help="write a map layer as GeoJSON, GeoPackage or CSV",
        description="Write exactly the features and properties the map shows for the same "
        "filters, with the full-resolution boundaries (areas in km2 are computed on them; "
        "--simplify only lightens the polygons written). The extension of -o picks the "
        "format: .geojson (RFC 7946), .gpkg (one layer, named after the layer), .csv (the "
        "events layer as a claims file that `armap validate` accepts and the app loads "
        "back; other layers with WKT); -o - writes GeoJSON to standard output. Every file "
        "records its window, filters, data source, generation time and licence: GeoJSON "
        "in a top-level 'metadata' member, GeoPackage in the layer's metadata, CSV in a "
        "sidecar FILE.json. Writes are atomic; an existing file is replaced only with "
        "--force.",
    )
    p.add_argument("--layer", required=True, choices=views.LAYERS, help="the map layer")
    p.add_argument(
        "-o", "--output", required=True, type=_output_target, metavar="FILE",
        help="file (.geojson, .gpkg or .csv), or - for GeoJSON on stdout",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--start", type=_iso_date, metavar="YYYY-MM-DD", help="window start")
    p.add_argument("--end", type=_iso_date, metavar="YYYY-MM-DD", help="window end")
    p.add_argument(
        "--contested",
        action="store_true",
        help="only contested claims: a claim and a denial on record (from the stances)",
    )
    p.add_argument(
        "--known-on",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the map as known on that day: only claims reported by then, with their "
        "status as it stood (from the stances)",
    )
    p.add_argument("--actor", action="append", default=[], metavar="A", help="repeatable")
    p.add_argument("--type", action="append", default=[], choices=settings.EVENT_TYPES)
    p.add_argument("--status", action="append", default=[], choices=settings.CLAIM_STATUSES)
    p.add_argument(
        "--coarsest-precision",
        type=int,
        choices=sorted(settings.LOCATION_PRECISIONS),
        metavar="1-4",
        help="the coarsest location precision kept: 1 exact place, 2 district, 3 province, "
        "4 region/country (2 keeps exact places and districts)",
    )
    p.add_argument("--source", action="append", default=[], metavar="S", help="outlet or file")
    p.add_argument("--events", type=Path, default=settings.EVENTS_PATH, metavar="PATH")
    p.add_argument("--presence", type=Path, default=settings.PRESENCE_PATH, metavar="PATH")
    p.add_argument("--metric", choices=views.METRICS, default="claims", help="area layers")
    p.add_argument("--province", metavar="P", help="districts layer: only this province")
    p.add_argument(
        "--simplify",
        type=_metres,
        metavar="METRES",
        help="area layers: simplify the polygons so that no outline moves more than METRES "
        "(in UTM, shared borders kept); the figures stay those of the full-resolution polygons",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_engine(p)
    p.set_defaults(func=_cmd_export, parser=p)


def _cmd_import(args: argparse.Namespace) -> int:
    from geo import io

    output = Path(args.output)  # before any work: an unwritable output is a usage error
    if not output.is_dir() and output.suffix.lower() != ".csv":
        raise UsageError(f"the output of an import is an events CSV: {output} is not .csv")
    try:
        io.check_target(output, force=True)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    with (
        _cluster(args) as client,
        _progress(0, quiet=args.quiet, desc=f"import {args.input.name}", unit="B") as bar,
    ):
        map_batches: Any = map
        sizes = {}
        if client is not None:
            from geo import batch

            map_batches, sizes = batch.dask_mapper(client), {"batch_rows": batch.BATCH_ROWS}
        summary = io.import_file(
            args.input,
            args.output,
            fmt=args.format,
            replace=args.replace,
            progress=_advance(bar),
            map_batches=map_batches,
            **sizes,
        )
    print(summary)
    return EXIT_OK


def _add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="convert an ACLED or UCDP GED export to an events CSV",
        description="Convert an ACLED or UCDP GED CSV export to the events CSV format. An "
        "existing OUTPUT is merged by event_id (same ids replaced, new ids appended) unless "
        "--replace. Every row that cannot be converted is listed with its line number and "
        "the reason in OUTPUT's .rejected.csv beside it.",
    )
    p.add_argument("input", type=Path, metavar="INPUT", help="the ACLED or UCDP GED CSV")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUTPUT.csv")
    p.add_argument("--format", choices=("auto", "acled", "ucdp"), default="auto")
    p.add_argument("--replace", action="store_true", help="overwrite OUTPUT instead of merging")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_engine(p)
    p.set_defaults(func=_cmd_import, parser=p)


# --- extract ---------------------------------------------------------------------
def _cmd_extract(args: argparse.Namespace) -> int:
    from geo import desk
    from geo._csv import write_frame
    from geo._files import atomic_write, check_destination

    output = Path(args.output)  # before any work: an unwritable output is a usage error
    if output.suffix.lower() != ".csv":
        raise UsageError(f"the output of extract is an events CSV: {output} is not .csv")
    if args.stances is not None and args.stances.suffix.lower() != ".csv":
        raise UsageError(f"--stances is a stances CSV: {args.stances} is not .csv")
    if args.stances is not None and args.stances.resolve() == output.resolve():
        raise UsageError(f"--stances and -o are the same file ({output}): name two files")
    try:
        for path in filter(None, (output, args.stances)):
            check_destination(path, force=args.force)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    text = desk.read_article(args.article)
    article = desk.Article(
        text,
        file=args.article.name,
        published=args.published,
        outlet=args.outlet,
        url=args.url,
        title=args.title,
    )
    gazetteer = places.Gazetteer.load()
    frame = desk.extract_candidates(article, gazetteer=gazetteer)
    stances = None if args.stances is None else desk.stances_for(frame, text)
    desk.write_candidates(frame, output, force=args.force)
    if stances is not None:  # the stances each candidate's status needs
        with atomic_write(args.stances, force=args.force) as fh:
            write_frame(fh, stances)
    print(
        f"{_display(args.article)}: {len(frame)} candidate event(s) written to "
        f"{_display(output)}; review every row (`armap validate {_display(output)}`)",
        file=sys.stderr,
    )
    return EXIT_OK


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="candidate events from a plain-text news article, for review",
        description="Read a plain-text news article and write the events it claims as "
        "candidate rows of an events CSV (the claims format), for a person to review: "
        "places through the gazetteer (ambiguity listed, never picked; no point for a "
        "vague place), dates from the text's own clues against --published or a "
        "dateline (with precision and basis), who claims what, numbers only as written, "
        "one verbatim quote per row. Writes are atomic; an existing file is replaced "
        "only with --force.",
    )
    p.add_argument("article", type=Path, metavar="ARTICLE.txt", help="UTF-8 plain text")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="CANDIDATES.csv")
    p.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD", help="the publication date")
    p.add_argument("--outlet", metavar="NAME", help="the publisher, as the text names it")
    p.add_argument("--url", metavar="URL", help="where the article was read")
    p.add_argument("--title", metavar="T", help="the headline")
    p.add_argument(
        "--stances", type=Path, metavar="STANCES.csv",
        help="also write the stances that make each candidate's claim_status (name it "
        "stances.csv beside the output for `armap validate` to read it)",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=_cmd_extract, parser=p)


# --- parser ----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="armap",
        description="Afghan resistance map: check, geocode, install, import and export data.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_districts(sub)
    _add_validate(sub)
    _add_geocode(sub)
    _add_export(sub)
    _add_import(sub)
    _add_extract(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        command = getattr(args, "parser", parser)
        command.print_usage(sys.stderr)
        print(f"{command.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
