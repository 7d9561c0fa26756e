"""Packaging: the locks, and the wheel installed into a fresh virtualenv running `armap`.

The wheel is built from this checkout (``pip wheel --no-deps --no-build-isolation``,
with the hatchling of the lock) and installed with ``--no-deps`` into a new virtualenv
under a temporary folder. Only then does that virtualenv get a ``.pth`` file naming the
site-packages folders of the running one, so it finds the dependencies without fetching
them; their own ``.pth`` files are not read, so an editable install of the checkout
cannot leak in, and the tests assert that ``armap`` and ``geo`` come from the new
virtualenv. Commands run from a folder outside the checkout with ``ARMAP_HOME`` in the
temporary folder. The slow tests are marked ``packaging`` (``-m "not packaging"``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
SHIPPED = [
    "provinces.geojson",
    "neighbours.geojson",
    "events.csv",
    "presence.csv",
    "stances.csv",
    "gazetteer.csv",
    "aliases.csv",
    "README.md",
]
MIRROR = settings.SHARED_BOUNDARIES_DIR / settings.GEOBOUNDARIES_FILE


# --- the locks -------------------------------------------------------------------
def _pins(path: Path) -> dict[str, str]:
    """Return ``{name: version}`` of the ``name==version`` lines of a requirements file."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, flags=re.MULTILINE)
    return {Requirement(name).name.lower().replace("_", "-"): v for name, v in found}


def _locked(path: Path) -> dict[str, str]:
    """Return the pins of a lock, failing on any requirement without a sha256 hash."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text(encoding="utf-8"))
    for block in blocks[1:]:
        assert "--hash=sha256:" in block, f"{path.name}: no hash for {block.splitlines()[0]}"
    return _pins(path)


def test_the_locks_hash_every_package_and_hold_the_pins():
    runtime, dev = _locked(ROOT / "requirements.txt"), _locked(ROOT / "requirements-dev.txt")
    pinned = _pins(ROOT / "requirements.in")
    assert {name: runtime.get(name) for name in pinned} == pinned
    dev_pinned = _pins(ROOT / "requirements-dev.in")
    assert {name: dev.get(name) for name in dev_pinned} == dev_pinned
    assert {name: dev.get(name) for name in runtime} == runtime, "dev lock moved a runtime pin"
    assert runtime["pyarrow"] and runtime["platformdirs"]
    assert dev["hypothesis"] == "6.170.15"
    (backend,) = PYPROJECT["build-system"]["requires"]
    assert backend == f"hatchling=={dev['hatchling']}"


def test_the_pins_lie_in_the_ranges_pip_install_accepts():
    extras = PYPROJECT["project"]["optional-dependencies"].values()
    ranges = {
        (req := Requirement(line)).name.lower(): req.specifier
        for line in [*PYPROJECT["project"]["dependencies"], *(d for e in extras for d in e)]
    }
    pinned = _pins(ROOT / "requirements.in")
    assert set(ranges) == set(pinned)
    outside = {name: v for name, v in pinned.items() if v not in ranges[name]}
    assert not outside, f"requirements.in pins outside pyproject.toml's ranges: {outside}"


# --- the wheel -------------------------------------------------------------------
def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=240, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    proc = _run([*cmd, "--quiet", "--wheel-dir", str(out), str(ROOT)])
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("*.whl")
    assert built.name == f"afghan_resistance_map-{VERSION}-py3-none-any.whl"
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A new virtualenv holding the wheel, seeing the running one's dependencies."""
    folder = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(folder)]).returncode == 0
    python = folder / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    proc = _run([*install, "--no-index", "--quiet", str(wheel)])
    assert proc.returncode == 0, proc.stderr
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    assert deps and not any(Path(p) == ROOT for p in deps)
    (Path(site.stdout.strip()) / "zz_deps.pth").write_text("\n".join(deps) + "\n")
    return folder


@pytest.fixture
def outside(tmp_path) -> tuple[Path, dict[str, str]]:
    """A working folder outside the checkout, and an environment with its own ARMAP_HOME."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ARMAP_HOME")}
    env["ARMAP_HOME"] = str(tmp_path / "armap-home")
    return cwd, env


def _armap(venv: Path, outside, *args: str) -> subprocess.CompletedProcess[str]:
    cwd, env = outside
    return _run([str(venv / "bin" / "armap"), *args], cwd=cwd, env=env)


@pytest.mark.packaging
def test_the_wheel_holds_the_packages_and_the_shipped_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {"armap/cli.py", "geo/settings.py", "layers/assets.py"} <= set(names)
    assert {f"geo/_data/{name}" for name in SHIPPED} <= set(names)
    data = sorted(n for n in names if n.startswith("geo/_data/"))
    assert data == sorted(f"geo/_data/{name}" for name in SHIPPED), "nothing else ships"
    assert not [n for n in names if n.startswith(("data/", "static/", "tests/", "app.py"))]
    assert not [n for n in names if "districts" in n or "__pycache__" in n]
    packaged = zipfile.ZipFile(wheel).read("geo/_data/provinces.geojson")
    assert packaged == settings.PROVINCES_PATH.read_bytes()
    meta = zipfile.ZipFile(wheel).read(f"afghan_resistance_map-{VERSION}.dist-info/METADATA")
    assert b"Requires-Dist: platformdirs" in meta and b"Requires-Python: >=3.11" in meta
    entry = zipfile.ZipFile(wheel).read(
        f"afghan_resistance_map-{VERSION}.dist-info/entry_points.txt"
    )
    assert b"armap = armap.cli:main" in entry


@pytest.mark.packaging
def test_the_installed_package_runs_from_the_new_venv_on_its_packaged_data(venv, outside):
    cwd, env = outside
    code = (
        "import json, armap, geo; from geo import settings as s; print(json.dumps({"
        "'armap': armap.__file__, 'geo': geo.__file__, 'version': armap.__version__, "
        "'installed': s.INSTALLED, 'data': str(s.DATA_DIR), 'provinces': s.PROVINCES_PATH"
        ".is_file(), 'districts': str(s.DISTRICTS_PATH), 'vendor': str(s.VENDOR_DIR)}))"
    )
    proc = _run([str(venv / "bin" / "python"), "-c", code], cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    site = Path(got["geo"]).parent.parent
    assert site.is_relative_to(venv) and not site.is_relative_to(ROOT)
    assert Path(got["armap"]).is_relative_to(venv)
    assert got["version"] == VERSION
    assert got["installed"] is True and got["provinces"] is True
    assert got["data"] == str(site / "geo" / "_data")
    home = Path(env["ARMAP_HOME"])
    assert got["districts"] == str(home / "districts" / "districts.geojson")
    assert got["vendor"] == str(home / "vendor")


@pytest.mark.packaging
def test_installed_armap_version_validate_export_geocode(venv, outside):
    cwd, _ = outside
    proc = _armap(venv, outside, "--version")
    assert (proc.returncode, proc.stdout) == (0, f"armap {VERSION}\n")

    proc = _armap(venv, outside, "validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = next(venv.rglob("site-packages/geo/_data"))
    lines = proc.stdout.splitlines()
    assert len(lines) == 3, lines
    for line, name in zip(lines[:2], ("events.csv", "presence.csv"), strict=True):
        assert re.fullmatch(rf"{re.escape(str(data / name))}: \d+ rows, no problems", line)
    stances = re.escape(str(data / "stances.csv"))
    assert re.fullmatch(rf"{stances}: \d+ stances, no problems", lines[2]), lines[2]

    proc = _armap(venv, outside, "export", "--layer", "provinces", "-o", "out.geojson")
    assert proc.returncode == 0, proc.stderr
    assert "exported 34 feature(s) of layer provinces to out.geojson (geojson)" in proc.stderr
    collection = json.loads((cwd / "out.geojson").read_text(encoding="utf-8"))
    assert len(collection["features"]) == 34

    proc = _armap(venv, outside, "geocode", "Bazarak")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Bāzārak\n  kind:       populated_place\n")
    assert "province:   AF-PAN (Panjshir)" in proc.stdout
    assert "district:   unknown (district layer not installed)" in proc.stdout


@pytest.mark.packaging
def test_installed_armap_exit_codes(venv, outside):
    cwd, _ = outside
    proc = _armap(venv, outside, "export", "--layer", "provinces", "-o", "out.kml")
    assert proc.returncode == 2
    assert proc.stderr.startswith("usage: armap export")
    assert "armap export: error: argument -o/--output: cannot tell the output format" in proc.stderr
    (cwd / "bad.csv").write_text("event_id,date_start\nE1,2022-01-01\n", encoding="utf-8")
    proc = _armap(venv, outside, "validate", "bad.csv")
    assert proc.returncode == 1
    assert proc.stdout.startswith("bad.csv, line 1 (header): missing column(s)")
    proc = _armap(venv, outside, "districts", "status")
    assert proc.returncode == 1
    assert proc.stdout == "districts: not installed; run `armap districts install`\n"


@pytest.mark.packaging
@pytest.mark.skipif(not MIRROR.exists(), reason=f"no geoBoundaries mirror at {MIRROR}")
def test_installed_districts_go_to_the_user_folder_and_are_found_there(venv, outside):
    cwd, env = outside
    target = Path(env["ARMAP_HOME"]) / "districts" / "districts.geojson"
    proc = _armap(venv, outside, "districts", "install", "--from", str(MIRROR.parent))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"installed 398 districts to {target}\n")
    assert target.is_file() and (target.parent / "manifest.json").is_file()
    proc = _armap(venv, outside, "districts", "status")
    assert (proc.returncode, proc.stdout) == (0, f"districts: installed at {target}\n")
    proc = _armap(venv, outside, "geocode", "Bazarak")
    assert proc.returncode == 0, proc.stderr
    assert "district:   Bazarak (AF-PAN-bazarak)" in proc.stdout
    assert not list(cwd.iterdir())
