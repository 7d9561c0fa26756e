"""layers/assets.py and scripts/install_assets.py: scripts and styles served locally."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import folium
import folium.plugins
import pytest

from geo import settings
from layers import assets

ROOT = settings.ROOT


def _fake_install(dest, *, version_override: dict | None = None) -> None:
    versions = {p.name: p.version for p in assets.PACKAGES.values()}
    versions.update(version_override or {})
    for package in assets.PACKAGES.values():
        for rel in package.copy:
            path = dest / package.folder / rel
            if "." in path.name:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("/* fake */")
            else:
                path.mkdir(parents=True, exist_ok=True)
                (path / "x.png").write_text("png")
    (dest / assets.MANIFEST_NAME).write_text(json.dumps({"packages": versions}))


def _links(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


def test_every_folium_url_is_known():
    unknown = set(assets.known_urls()) - set(assets.VENDOR_FILES) - set(assets.UNUSED_URLS)
    assert not unknown, f"folium names files install_assets.py does not install: {unknown}"


def test_localize_rewrites_every_url(tmp_path):
    _fake_install(tmp_path)
    table = assets.installed_files(tmp_path)
    assert set(table) == set(assets.VENDOR_FILES)
    m = folium.Map()
    folium.plugins.MarkerCluster().add_to(m)
    report = assets.localize(m, installed=table)
    assert report.offline_ready and report.local
    links = _links(m.get_root().render())
    assert links and all(url.startswith("/app/static/vendor/") for url in links), links
    assert assets.UNUSED_URLS <= set(report.dropped)


def test_missing_assets_fall_back_to_the_cdn_and_say_so(tmp_path):
    m = folium.Map()
    report = assets.localize(m, installed=assets.installed_files(tmp_path))
    assert not report.offline_ready
    assert "https://code.jquery.com/jquery-3.7.1.min.js" in report.cdn


def test_a_wrong_version_is_not_used(tmp_path):
    _fake_install(tmp_path, version_override={"leaflet": "1.0.0"})
    table = assets.installed_files(tmp_path)
    assert not any("leaflet@" in url and "leaflet.js" in url for url in table.values())
    assert "https://code.jquery.com/jquery-3.7.1.min.js" in table


def test_installer_is_fast_and_quiet_when_up_to_date(tmp_path):
    _fake_install(tmp_path)
    proc = subprocess.run(
        [sys.executable, "scripts/install_assets.py", "--dest", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/nonexistent"},  # no npm: must not be needed
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout


def test_installer_reports_a_missing_npm(tmp_path):
    proc = subprocess.run(
        [sys.executable, "scripts/install_assets.py", "--dest", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/nonexistent"},
        check=False,
    )
    assert proc.returncode == 1
    assert "npm is not installed" in proc.stderr


@pytest.mark.skipif(
    not assets.served_files()[0],
    reason=f"assets not installed where Streamlit serves them: {assets.served_files()[1]}",
)
def test_installed_assets_leave_no_cdn_url():
    m = folium.Map()
    folium.plugins.MarkerCluster().add_to(m)
    report = assets.localize(m)
    assert report.offline_ready, report.cdn
    html = m.get_root().render()
    assert not [u for u in _links(html) if u.startswith("http")]
    for url in report.local:
        assert (settings.STATIC_DIR / url.removeprefix("/app/static/")).is_file()


def test_assets_are_served_only_from_static_vendor(tmp_path):
    static = tmp_path / "checkout" / "static"
    _fake_install(static / "vendor")
    table, _ = assets.served_files(static / "vendor", static_dir=static)
    assert set(table) == set(assets.VENDOR_FILES)
    assert all(url.startswith("/app/static/vendor/") for url in table.values())
    assert assets.servable(static / "vendor", static_dir=static)


def test_assets_in_the_user_folder_are_not_served_and_the_note_says_why(tmp_path):
    static, home = tmp_path / "checkout" / "static", tmp_path / "home"
    _fake_install(home / "vendor")
    assert assets.installed_files(home / "vendor")
    table, note = assets.served_files(home / "vendor", static_dir=static)
    assert table == {}
    assert note.startswith(f"local copies are installed in {home / 'vendor'}, but Streamlit ")
    assert f"serves only files inside {static} (beside app.py, symlinks out of it refused)" in note
    assert f"install_assets.py --dest {static / 'vendor'}` in a writable checkout" in note
    # Streamlit resolves symlinks and refuses files outside static/: a link does not help.
    static.mkdir(parents=True)
    (static / "vendor").symlink_to(home / "vendor")
    assert not assets.servable(static / "vendor", static_dir=static)
    assert assets.served_files(static / "vendor", static_dir=static)[0] == {}


def test_missing_assets_note_says_how_to_install(tmp_path):
    assert assets.served_files(tmp_path / "none", static_dir=tmp_path) == ({}, assets.MISSING_NOTE)
    assert "run `make assets`" in assets.MISSING_NOTE
