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
    not (settings.VENDOR_DIR / assets.MANIFEST_NAME).exists(),
    reason="assets not installed: run `make assets`",
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
