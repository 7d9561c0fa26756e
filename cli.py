"""Command-line front: validate, geocode, districts, export, import.

Exit codes: 0 success, 1 a data problem (the message says which file, row and value),
2 a usage error (argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from geo import boundaries, settings
from geo.errors import GeoError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


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
    print("districts: not installed; run `python cli.py districts install`")
    return EXIT_DATA


def _add_districts(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("districts", help="install or check the optional district layer")
    dsub = p.add_subparsers(dest="action", required=True)
    inst = dsub.add_parser(
        "install",
        help="install geoBoundaries' 398 districts into data/districts/ (never committed)",
        description="Install geoBoundaries AFG ADM2 from a local file or folder (--from), "
        f"by default {settings.SHARED_BOUNDARIES_DIR}, or download it (--download).",
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


# --- parser ----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cli.py",
        description="Afghan resistance map: check, geocode, install, import and export data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_districts(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
