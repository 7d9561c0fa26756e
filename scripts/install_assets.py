"""Install the map's JavaScript and CSS from the npm registry into static/vendor/.

Usage: ``python scripts/install_assets.py [--force] [--dest DIR]`` (``make assets``).
The default destination is ``settings.VENDOR_DIR``: ``static/vendor/`` in a writable
checkout, else ``vendor/`` in the per-user folder (``$ARMAP_HOME``), which Streamlit
cannot serve (the script says so; the map then uses the CDN).

Each package in ``layers.assets.PACKAGES`` is fetched with ``npm pack`` (which checks
the registry's integrity hash), unpacked in a temporary folder, and the files the map
needs are copied to ``static/vendor/<package>@<version>/``. A ``manifest.json`` records
the versions and each file's sha256. When the manifest already lists every package at
the right version and every file is present, the script does nothing (fast, idempotent).
Exit codes: 0 installed or up to date, 1 npm failed or is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import settings  # noqa: E402
from layers import assets  # noqa: E402


def _up_to_date(dest: Path) -> bool:
    installed = assets.installed_files(dest)
    return set(installed) == set(assets.VENDOR_FILES) and all(
        (dest / p.folder / path).exists() for p in assets.PACKAGES.values() for path in p.copy
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _npm_pack(spec: str, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (Debian: apt-get install npm)")
    proc = subprocess.run(
        [npm, "pack", spec, "--silent", "--pack-destination", str(workdir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed: {proc.stderr.strip()[-500:]}")
    name = proc.stdout.strip().splitlines()[-1]
    return workdir / name


def _install_package(package: assets.Package, workdir: Path, dest: Path) -> dict[str, str]:
    tarball = _npm_pack(f"{package.name}@{package.version}", workdir)
    unpacked = workdir / package.folder
    with tarfile.open(tarball) as tar:
        tar.extractall(unpacked, filter="data")
    root = unpacked / "package"
    target = dest / package.folder
    if target.exists():
        shutil.rmtree(target)
    hashes: dict[str, str] = {}
    for rel in package.copy:
        src = root / rel
        if not src.exists():
            raise RuntimeError(f"{package.name}@{package.version} has no {rel}")
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for file in files:
            out = target / file.relative_to(root)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, out)
            hashes[str(out.relative_to(dest))] = _sha256(out)
    for licence in ("LICENSE", "LICENSE.txt", "LICENSE.md", "MIT-LICENCE.txt"):
        if (root / licence).exists():
            shutil.copyfile(root / licence, target / licence)
    return hashes


def install(dest: Path, *, force: bool = False) -> str:
    """Install every package into ``dest``; return a one-line summary."""
    if not force and _up_to_date(dest):
        return f"assets: up to date in {dest}"
    dest.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="assets-") as tmp:
        for package in assets.PACKAGES.values():
            files.update(_install_package(package, Path(tmp), dest))
    manifest = {
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": "npm registry via `npm pack`",
        "packages": {p.name: p.version for p in assets.PACKAGES.values()},
        "urls": {
            url: f"{assets.BASE_URL}/{assets.PACKAGES[name].folder}/{path}"
            for url, (name, path) in assets.VENDOR_FILES.items()
        },
        "dropped": sorted(assets.UNUSED_URLS),
        "files": files,
    }
    tmp_manifest = dest / f".{assets.MANIFEST_NAME}.part"
    tmp_manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp_manifest.replace(dest / assets.MANIFEST_NAME)
    return f"assets: installed {len(assets.PACKAGES)} packages ({len(files)} files) in {dest}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=settings.VENDOR_DIR)
    parser.add_argument("--force", action="store_true", help="reinstall even when up to date")
    args = parser.parse_args(argv)
    unknown = [
        u
        for u in assets.known_urls()
        if u not in assets.VENDOR_FILES and u not in assets.UNUSED_URLS
    ]
    if unknown:
        print(f"assets: folium names files this script does not know: {unknown}", file=sys.stderr)
    try:
        print(install(args.dest, force=args.force))
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"assets: {exc}", file=sys.stderr)
        return 1
    if not assets.servable(args.dest):
        print(
            f"assets: Streamlit serves only {settings.STATIC_DIR} (beside app.py): the map "
            "will use the CDN and say so",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
