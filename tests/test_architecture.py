"""The architecture, checked on the source: one-way dependencies and one import path per name.

data -> geo -> layers -> app: ``geo/`` (every sub-package) never imports the UI, and
``layers/`` never imports Streamlit. Inside ``geo/``: ``settings`` and ``errors`` import
nothing from the project; ``places`` imports no other sub-package but the flat
bottom modules; ``claims`` may use ``places``; ``io`` and ``views`` may use ``claims``
and ``places``; nothing below imports ``io`` or ``views`` except ``views`` using ``io``;
``batch`` (the dask engine) sits on top of them all and nothing in ``geo`` imports it.
Code outside a sub-package imports it through its ``__init__`` (its public face), and
every public name is defined in exactly one module.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ("places", "claims", "io", "views", "batch", "desk")
#: What each part of geo/ may import from the project (beyond itself).
ALLOWED = {
    "settings": set(),
    "errors": set(),
    "_files": {"errors"},
    "_csv": {"errors"},
    "_fastcsv": {"errors", "_csv"},
    "boundaries": {"settings", "errors", "_files"},
    "places": {"settings", "errors", "_files", "_csv", "boundaries"},
    "claims": {"settings", "errors", "_files", "_csv", "_fastcsv", "boundaries", "places"},
    "join": {"settings", "errors", "boundaries", "claims", "places"},
    "io": {"settings", "errors", "_files", "_csv", "boundaries", "places", "claims"},
    # The claims desk: articles -> candidate events (the gazetteer), reviewed (claims).
    "desk": {"settings", "errors", "_files", "_csv", "_fastcsv", "places", "claims"},
    "views": {
        "settings",
        "errors",
        "_files",
        "_csv",
        "boundaries",
        "places",
        "claims",
        "join",
        "io",
    },
    # The dask engine: on top of the batch path it runs (imports and exports).
    "batch": {
        "settings",
        "errors",
        "_files",
        "_csv",
        "boundaries",
        "places",
        "claims",
        "join",
        "io",
        "views",
    },
}
SOURCES = [
    *sorted(
        p
        for folder in ("geo", "layers", "armap", "scripts", "bench")
        for p in (ROOT / folder).rglob("*.py")
    ),
    ROOT / "app.py",
    ROOT / "cli.py",
]


def _modules(path: Path) -> set[str]:
    """Every absolute module name imported by ``path`` (``from geo import x`` gives geo.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _tops(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _modules(path)}


def _part(path: Path) -> str:
    """The part of geo/ a file belongs to: a sub-package or a flat module's name."""
    rel = path.relative_to(ROOT / "geo")
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


GEO = sorted((ROOT / "geo").rglob("*.py"))
LAYERS = sorted((ROOT / "layers").rglob("*.py"))


def test_the_sources_are_found():
    assert len(GEO) > 30 and len(LAYERS) > 8
    assert {p.parent.name for p in GEO} >= {"geo", *SUBPACKAGES}


@pytest.mark.parametrize("path", GEO, ids=lambda p: str(p.relative_to(ROOT)))
def test_geo_never_imports_ui(path):
    ui = {"streamlit", "folium", "branca", "streamlit_folium", "layers", "app", "cli", "armap"}
    assert not _tops(path) & ui


@pytest.mark.parametrize("path", LAYERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_layers_never_import_streamlit(path):
    assert not _tops(path) & {"streamlit", "streamlit_folium", "app", "cli", "armap"}


@pytest.mark.parametrize("path", GEO, ids=lambda p: str(p.relative_to(ROOT)))
def test_geo_parts_import_only_what_lies_below_them(path):
    part = _part(path)
    if part == "__init__":
        return
    used = {
        name.split(".")[1]
        for name in _modules(path)
        if name.startswith("geo.") and name.split(".")[1] != part
    }
    assert used <= ALLOWED[part], f"{path.relative_to(ROOT)} imports {used - ALLOWED[part]}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_subpackages_are_used_through_their_public_face(path):
    """Outside geo/<sub>/, only ``geo.<sub>`` and the names its __init__ exports are imported."""
    for name in _modules(path):
        parts = name.split(".")
        if len(parts) < 3 or parts[0] != "geo" or parts[1] not in SUBPACKAGES:
            continue
        if path.is_relative_to(ROOT / "geo" / parts[1]):
            continue
        face = importlib.import_module(f"geo.{parts[1]}")
        assert parts[2] in face.__all__, f"{path.relative_to(ROOT)} imports {name}"


@pytest.mark.parametrize("sub", SUBPACKAGES)
def test_every_public_name_comes_from_its_own_subpackage(sub):
    face = importlib.import_module(f"geo.{sub}")
    for name in face.__all__:
        value = getattr(face, name)
        home = getattr(value, "__module__", None)
        if home is None or not home.startswith("geo"):  # constants, typing aliases
            continue
        assert home.startswith(f"geo.{sub}."), f"geo.{sub}.{name} comes from {home}"
        assert getattr(importlib.import_module(home), name) is value, f"geo.{sub}.{name}"


def test_every_public_name_has_one_import_path():
    paths: dict[int, list[str]] = {}
    for sub in SUBPACKAGES:
        face = importlib.import_module(f"geo.{sub}")
        for name in face.__all__:
            paths.setdefault(id(getattr(face, name)), []).append(f"geo.{sub}.{name}")
    assert [p for p in paths.values() if len(p) > 1] == []


def test_geo_uses_no_relative_imports():
    """The import checks above read absolute names only; a relative import would slip by."""
    for path in [*GEO, *LAYERS]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
        assert relative == [], f"{path.relative_to(ROOT)} line {relative}: import absolutely"


def test_no_module_re_exports_with_as():
    """``from x import y as y`` (a re-export shim) appears only in no module at all."""
    for path in [*GEO, *LAYERS]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                shims = [a.name for a in node.names if a.asname == a.name]
                assert not shims, f"{path.relative_to(ROOT)} re-exports {shims}"


@pytest.mark.parametrize("name", ["settings.py", "errors.py"])
def test_settings_and_errors_import_nothing_from_the_project(name):
    assert not _tops(ROOT / "geo" / name) & {"geo", "layers", "app", "cli", "armap"}


@pytest.mark.parametrize("path", [*GEO, *LAYERS], ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_are_readable_in_one_sitting(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 420, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"


def test_app_is_thin():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    for call in ("sjoin", ".merge(", "to_crs", '"iso_code"', "geometry_kind"):
        assert call not in source, f"app.py uses {call}: move it into geo/ or layers/"
    assert len(source.splitlines()) <= 200, "app.py is over 200 lines: move logic out"
