"""geo/settings.py: where shipped data is read, and where installed data goes.

A checkout reads ``data/`` and keeps installed data in ``data/districts/`` and
``static/vendor/`` while it is writable; an installed wheel (or ``ARMAP_HOME``, or a
read-only checkout) uses the per-user folder. Installers and readers share one default.
The wheel itself is tested in tests/test_packaging.py.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

from geo import boundaries, places, settings, views
from layers import assets

ROOT = Path(__file__).resolve().parent.parent


def _settings_in_child(env: dict[str, str]) -> dict[str, str]:
    code = (
        "import json, platformdirs; from geo import settings as s; print(json.dumps({k: str(v) "
        "for k, v in vars(s).items() if k.isupper() and k.endswith(('_DIR', '_PATH'))} | "
        "{'INSTALLED': s.INSTALLED, 'platformdirs': platformdirs.user_data_dir('armap', "
        "appauthor=False)}))"
    )
    full = {k: v for k, v in os.environ.items() if k not in ("ARMAP_HOME", "PYTHONPATH")}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=full | env, cwd=ROOT,
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(proc.stdout)


def test_a_checkout_reads_its_data_folder():
    assert not settings.INSTALLED
    assert not settings.PACKAGED_DATA_DIR.exists()
    assert settings.DATA_DIR == ROOT / "data"
    for path in (settings.PROVINCES_PATH, settings.EVENTS_PATH, settings.GAZETTEER_PATH):
        assert path.is_file() and path.parent == ROOT / "data"


def test_a_writable_checkout_keeps_installed_data_in_place(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.HOME_ENV, raising=False)
    folder = tmp_path / "checkout" / "data" / "districts"  # missing: its parent decides
    assert settings._install_dir(folder) == folder


def test_armap_home_a_read_only_checkout_or_a_wheel_use_the_user_folder(tmp_path, monkeypatch):
    folder = tmp_path / "static" / "vendor"
    monkeypatch.setenv(settings.HOME_ENV, str(tmp_path / "home"))
    assert settings._install_dir(folder) == settings.USER_DIR / "vendor"
    monkeypatch.delenv(settings.HOME_ENV)
    monkeypatch.setattr(settings, "INSTALLED", True)
    assert settings._install_dir(folder) == settings.USER_DIR / "vendor"
    monkeypatch.setattr(settings, "INSTALLED", False)
    monkeypatch.setattr(settings.os, "access", lambda path, mode: False)  # root writes anyway
    assert settings._install_dir(folder) == settings.USER_DIR / "vendor"


def test_armap_home_names_the_user_folder(tmp_path):
    home = tmp_path / "armap-home"
    got = _settings_in_child({"ARMAP_HOME": str(home)})
    assert got["USER_DIR"] == str(home)
    assert got["DISTRICTS_PATH"] == str(home / "districts" / "districts.geojson")
    assert got["VENDOR_DIR"] == str(home / "vendor")
    assert got["DATA_DIR"] == str(ROOT / "data")  # shipped data still from the checkout


def test_without_armap_home_the_user_folder_is_platformdirs(tmp_path):
    got = _settings_in_child({"HOME": str(tmp_path), "XDG_DATA_HOME": ""})
    assert got["USER_DIR"] == got["platformdirs"]
    if sys.platform.startswith("linux"):
        assert got["USER_DIR"] == str(tmp_path / ".local" / "share" / "armap")


def _default(func, name: str):
    return inspect.signature(func).parameters[name].default


def test_installers_and_readers_share_one_default():
    districts = settings.DISTRICTS_PATH
    assert _default(boundaries.install_districts, "dest") == districts
    assert _default(boundaries.load_districts, "path") == districts
    assert _default(boundaries.districts_installed, "path") == districts
    assert _default(places.Gazetteer.load, "districts_path") == districts
    assert _default(views.load_map_data, "districts_path") == districts
    assert _default(assets.installed_files, "vendor_dir") == settings.VENDOR_DIR
    assert _default(assets.served_files, "vendor_dir") == settings.VENDOR_DIR
    script = (ROOT / "scripts" / "install_assets.py").read_text(encoding="utf-8")
    assert "default=settings.VENDOR_DIR" in script
