"""Tests for geo/io/metadata.py: file names that describe the content, and the metadata
every exported format carries (GeoJSON member, GeoPackage layer metadata, CSV sidecar).
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime

import geopandas as gpd
import pyogrio
import pytest

from armap import cli
from geo import claims
from geo import io as gio
from geo.errors import ExportError
from geo.io import metadata

SAFE = re.compile(r"^[A-Za-z0-9._-]+$")
WHEN = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
WINDOW = {"start": date(2022, 3, 1), "end": date(2022, 6, 30)}


@pytest.mark.parametrize(
    ("filters", "name"),
    [
        (claims.Filters(**WINDOW), "events_2022-03-01_2022-06-30.geojson"),
        (
            claims.Filters(**WINDOW, actors=["National Resistance Front (NRF)"]),
            "events_NRF_2022-03-01_2022-06-30.geojson",
        ),
        (
            claims.Filters(
                **WINDOW,
                actors=["Afghanistan Freedom Front (AFF)", "Taliban"],
                event_types=["clash", "violence_against_civilians"],
                statuses=["claimed"],
                coarsest_precision=2,
                sources=["Amu TV"],
            ),
            "events_AFF-Taliban_clash-violence-against-civilia_claimed_prec2_Amu-TV"
            "_2022-03-01_2022-06-30.geojson",
        ),
        (
            claims.Filters(actors=["a", "b", "c", "d"], sources=["w", "x", "y", "z", "v"]),
            "events_4-actors_5-sources_any_any.geojson",
        ),
        (claims.Filters(end=date(2022, 6, 30)), "events_any_2022-06-30.geojson"),
        (claims.Filters(**WINDOW, coarsest_precision=4), "events_2022-03-01_2022-06-30.geojson"),
    ],
    ids=["window-only", "abbreviation", "every-filter", "counts", "open-start", "all-places"],
)
def test_download_names_carry_the_filters_and_the_window(filters, name):
    assert metadata.download_name("events", filters, ".geojson") == name


@pytest.mark.parametrize(
    "actor",
    [
        "../../etc/passwd",
        'Front <script>alert("x")</script>',
        "a/b\\c:d*e?f|g\x00h\nі",
        "طالبان",
        "  ",
        "Résistance nationale (R/N F)",
    ],
)
def test_download_names_are_filesystem_safe(actor):
    name = metadata.download_name("events", claims.Filters(actors=[actor]), ".csv.json")
    assert SAFE.match(name), name
    assert name.endswith("_any_any.csv.json") and ".." not in name and "/" not in name


def test_a_script_without_latin_letters_gets_a_stable_distinct_name():
    one = metadata.download_name("events", claims.Filters(actors=["طالبان"]), ".csv")
    two = metadata.download_name("events", claims.Filters(actors=["جبهه"]), ".csv")
    assert one.startswith("events_actor-") and one != two
    assert one == metadata.download_name("events", claims.Filters(actors=["طالبان"]), ".csv")


def test_download_names_are_bounded_and_stay_distinct():
    actors = [f"{i} {'long group name ' * 4}" for i in "ABC"]
    sources = [f"{i} {'long outlet name ' * 4}" for i in "XYZ"]
    types = ["clash", "violence_against_civilians", "strategic_development"]
    every = {"actors": actors, "sources": sources, "event_types": types, **WINDOW}
    first = metadata.download_name("provinces", claims.Filters(**every), ".geojson")
    other = {**every, "sources": [*sources[:2], "W other outlet"]}
    second = metadata.download_name("provinces", claims.Filters(**other), ".geojson")
    assert len(metadata.filter_slug(claims.Filters(**every))) > metadata.MAX_STEM
    for name in (first, second):
        assert SAFE.match(name)
        assert len(name) == metadata.MAX_STEM + len(".geojson")
        assert name.startswith("provinces_A-long-group-name-long-g-B-")
        assert name.endswith("_2022-03-01_2022-06-30.geojson")
    assert first != second  # the cut part ends with a hash of the whole


def test_export_metadata_records_window_filters_source_time_and_licence():
    filters = claims.Filters(**WINDOW, actors=["NRF"], coarsest_precision=3)
    meta = metadata.export_metadata("events", filters, source="my.csv", generated=WHEN)
    assert meta["window"] == {"start": "2022-03-01", "end": "2022-06-30"}
    assert meta["filters"] == {
        "actors": ["NRF"],
        "event_types": [],
        "statuses": [],
        "coarsest_precision": 3,
        "sources": [],
        "contested": False,
    }
    assert meta["known_on"] is None
    known = claims.Filters(known_on="2022-05-01", contested=True)
    assert metadata.export_metadata("events", known, source="x", generated=WHEN)["known_on"] == (
        "2022-05-01"
    )
    assert metadata.filter_slug(known) == "contested_known-2022-05-01"
    assert meta["source"] == "my.csv" and meta["layer"] == "events"
    assert meta["generated"] == "2024-05-01T12:00:00Z"
    assert "Natural Earth" in meta["licence"] and "public domain" in meta["licence"]
    assert "geoBoundaries" in meta["licence"] and "own coding of news articles" in meta["licence"]
    everything = claims.Filters(coarsest_precision=4)  # keeps every row, as None does
    assert metadata.export_metadata("events", everything, source="x", generated=WHEN) == (
        metadata.export_metadata("events", claims.Filters(), source="x", generated=WHEN)
    )
    with pytest.raises(ValueError, match="generated must be timezone-aware"):
        metadata.export_metadata("events", filters, source="x", generated=datetime(2024, 1, 1))


def _meta() -> dict:
    filters = claims.Filters(**WINDOW, event_types=["clash"])
    return metadata.export_metadata("areas", filters, source="events.csv", generated=WHEN)


def test_geojson_metadata_is_a_member_that_geopandas_ignores(areas, tmp_path):
    data = gio.layer_bytes(areas, "geojson", layer_name="areas", metadata=_meta())
    assert json.loads(data)["metadata"] == _meta()
    back = gpd.read_file(io.BytesIO(data))
    assert len(back) == len(areas) and "metadata" not in back.columns
    path = tmp_path / "a.geojson"
    gio.write_layer(areas, path, layer_name="areas", metadata=_meta())
    assert path.read_bytes() == data
    assert len(pyogrio.read_dataframe(path)) == len(areas)


def test_gpkg_metadata_is_the_layer_metadata(areas, tmp_path):
    path = tmp_path / "a.gpkg"
    gio.write_layer(areas, path, layer_name="areas", metadata=_meta())
    stored = pyogrio.read_info(path, layer="areas")["layer_metadata"]
    assert stored["source"] == "events.csv" and stored["generated"] == "2024-05-01T12:00:00Z"
    assert json.loads(stored["window"]) == {"start": "2022-03-01", "end": "2022-06-30"}
    assert json.loads(stored["filters"])["event_types"] == ["clash"]
    assert stored["licence"] == metadata.LICENCE
    assert len(gpd.read_file(path)) == len(areas)
    built = tmp_path / "b.gpkg"
    built.write_bytes(gio.layer_bytes(areas, "gpkg", layer_name="areas", metadata=_meta()))
    assert pyogrio.read_info(built, layer="areas")["layer_metadata"] == stored


def test_csv_metadata_goes_to_a_sidecar_and_the_csv_is_unchanged(areas, tmp_path):
    plain, described = tmp_path / "plain.csv", tmp_path / "described.csv"
    gio.write_layer(areas, plain, layer_name="areas")
    gio.write_layer(areas, described, layer_name="areas", metadata=_meta())
    assert described.read_bytes() == plain.read_bytes()
    assert not (tmp_path / "plain.csv.json").exists()
    side = json.loads((tmp_path / "described.csv.json").read_text(encoding="utf-8"))
    assert side == _meta()


def test_an_existing_sidecar_is_refused_before_any_write(areas, tmp_path):
    out = tmp_path / "x.csv"
    (tmp_path / "x.csv.json").write_text("keep me")
    with pytest.raises(ExportError, match=r"x\.csv\.json already exists; pass force=True"):
        gio.write_layer(areas, out, layer_name="areas", metadata=_meta())
    assert not out.exists() and (tmp_path / "x.csv.json").read_text() == "keep me"
    gio.write_layer(areas, out, layer_name="areas", metadata=_meta(), force=True)
    assert json.loads((tmp_path / "x.csv.json").read_text())["layer"] == "areas"


@pytest.mark.realdata
def test_cli_export_writes_the_metadata_of_its_options(tmp_path, capsys):
    argv = ["export", "--layer", "events", "--start", "2022-03-01", "--end", "2022-06-30"]
    argv += ["--actor", "National Resistance Front (NRF)", "--status", "claimed", "--quiet"]
    for ext in ("gpkg", "csv"):
        assert cli.main([*argv, "-o", str(tmp_path / f"e.{ext}")]) == 0
    stored = pyogrio.read_info(tmp_path / "e.gpkg", layer="events")["layer_metadata"]
    side = json.loads((tmp_path / "e.csv.json").read_text(encoding="utf-8"))
    for meta in (side, {k: _json(v) for k, v in stored.items()}):
        assert meta["window"] == {"start": "2022-03-01", "end": "2022-06-30"}
        assert meta["filters"]["actors"] == ["National Resistance Front (NRF)"]
        assert meta["filters"]["statuses"] == ["claimed"]
        assert meta["source"] == "events.csv" and meta["layer"] == "events"
        assert datetime.fromisoformat(meta["generated"].replace("Z", "+00:00")).tzinfo
    back = claims.read_claims(tmp_path / "e.csv", kind="events")  # still a claims file
    assert len(back.data) == pyogrio.read_info(tmp_path / "e.gpkg", layer="events")["features"]
    capsys.readouterr()
    assert cli.main([*argv, "-o", str(tmp_path / "e.csv")]) == 2  # CSV and sidecar exist
    assert "already exists" in capsys.readouterr().err


def _json(value: str):
    return json.loads(value) if value[:1] in "[{" else value
