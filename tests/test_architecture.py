"""The dependency direction data -> geo -> layers -> app, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "geo").glob("*.py")), ids=lambda p: p.name)
def test_geo_never_imports_ui(path):
    assert not _imports(path) & {"streamlit", "folium", "branca", "streamlit_folium", "layers"}


@pytest.mark.parametrize("path", sorted((ROOT / "layers").glob("*.py")), ids=lambda p: p.name)
def test_layers_never_import_streamlit(path):
    assert not _imports(path) & {"streamlit", "streamlit_folium"}


@pytest.mark.parametrize("name", ["settings.py", "errors.py"])
def test_settings_and_errors_import_nothing_from_the_project(name):
    assert not _imports(ROOT / "geo" / name) & {"geo", "layers", "app", "cli"}


def test_app_is_thin():
    app = ROOT / "app.py"
    if not app.exists():
        pytest.fail("app.py is missing")
    source = app.read_text(encoding="utf-8")
    for call in ("sjoin", ".merge(", "to_crs"):
        assert call not in source, f"app.py calls {call}: move it into geo/ or layers/"
