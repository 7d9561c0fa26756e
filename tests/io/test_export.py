"""Tests for geo/export.py and `cli.py export`: GeoJSON, GeoPackage, CSV, atomic writes.

Every GeoJSON written is checked against RFC 7946 by
tests.helpers_export.check_rfc7946, and every format is read back with
geopandas/pyogrio and compared feature by feature. RFC 7946 itself is in
test_geojson.
"""

from __future__ import annotations

import json
import math
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from armap import cli
from geo import boundaries, claims, settings, views
from geo import io as gio
from geo.errors import ExportError
from geo.io import export
from tests.helpers_export import XSS, check_rfc7946, without_metadata

FORMATS = ("geojson", "gpkg", "csv")


# --- reading every format back ------------------------------------------------------
def _canonical(column: str, value: Any) -> Any:
    """One value as comparable across formats (JSON text, numbers, empty, dates)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        if value == "":
            return None
        if value[:1] in "[{":  # lists and dicts are JSON text in GeoPackage and CSV
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        try:
            return float(value)
        except ValueError:
            return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _features_from_geojson(collection: dict[str, Any]) -> list[tuple[dict, Any]]:
    out = []
    for feature in collection["features"]:
        props = {k: _canonical(k, v) for k, v in feature["properties"].items()}
        geom = feature["geometry"]
        out.append((props, None if geom is None else shapely.geometry.shape(geom)))
    return out


def read_back(path: Path) -> list[tuple[dict, Any]]:
    """Read an export with geopandas/pyogrio; return (canonical properties, geometry)."""
    fmt = export.output_format(path)
    if fmt == "geojson":
        frame = gpd.read_file(path)
        assert frame.crs.equals(settings.WGS84)
        return _features_from_geojson(json.loads(path.read_text(encoding="utf-8")))
    if fmt == "gpkg":
        (layer, _), *rest = pyogrio.list_layers(path)
        assert not rest, "one layer per file"
        frame = gpd.read_file(path, layer=layer)
        assert frame.crs.equals(settings.WGS84)
    else:
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        options = (
            {"X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat"}
            if "lon" in header
            else {"GEOM_POSSIBLE_NAMES": "wkt"}
        )
        frame = gpd.read_file(path, KEEP_GEOM_COLUMNS="NO", **options)
    props = frame.drop(columns="geometry")
    records = props.to_dict(orient="records")
    geoms = [None if g is None or g.is_empty else g for g in frame.geometry]
    return [
        ({k: _canonical(k, v) for k, v in rec.items()}, geom)
        for rec, geom in zip(records, geoms, strict=True)
    ]


def assert_same_features(got: list[tuple[dict, Any]], expected: list[tuple[dict, Any]]) -> None:
    assert len(got) == len(expected)
    for (props, geom), (want_props, want_geom) in zip(got, expected, strict=True):
        assert props == want_props
        if want_geom is None:
            assert geom is None
        else:
            # GeoPackage promotes mixed layers to Multi*; compare the shapes, not the type.
            assert shapely.equals_exact(
                shapely.normalize(shapely.union_all([geom])),
                shapely.normalize(shapely.union_all([want_geom])),
                tolerance=1e-9,
            ) or shapely.equals(geom, want_geom)


# --- formats ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layer", ["areas", "points"])
def test_every_format_round_trips_the_same_features(tmp_path, request, layer, fmt):
    gdf = request.getfixturevalue(layer)
    path = export.write_layer(gdf, tmp_path / f"{layer}.{fmt}", layer_name=layer)
    expected = gio.to_rfc7946(gdf)
    check_rfc7946(expected)
    assert_same_features(read_back(path), _features_from_geojson(expected))


def test_gpkg_has_one_layer_named_for_the_layer_and_lists_as_json(points, tmp_path):
    path = export.write_layer(points, tmp_path / "e.gpkg", layer_name="events")
    assert [name for name, _ in pyogrio.list_layers(path)] == ["events"]
    frame = gpd.read_file(path, layer="events")
    assert json.loads(frame.loc[1, "sources"])[1]["quote"] == XSS
    assert frame["date_start"].tolist() == ["2022-05-12", "2022-05-01", "2022-01-01"]


def test_csv_has_lon_lat_for_points_and_wkt_for_areas(points, areas, tmp_path):
    pts = pd.read_csv(export.write_csv(points, tmp_path / "p.csv"), keep_default_na=False)
    assert list(pts.columns[-2:]) == ["lon", "lat"]
    assert pts[["lon", "lat"]].values.tolist() == [
        ["69.123457", "35.1"],
        ["70.5", "35.5"],
        ["", ""],
    ]
    assert pts.loc[1, "notes"] == 'a, "quoted"\nline'
    ar = pd.read_csv(export.write_csv(areas, tmp_path / "a.csv"))
    assert ar.columns[-1] == "wkt" and ar.loc[1, "wkt"].startswith("MULTIPOLYGON")
    clash = points.assign(lon=1.0)
    with pytest.raises(ExportError, match=r"the layer already has columns \['lon'\]"):
        export.write_csv(clash, tmp_path / "clash.csv")


def test_layer_bytes_are_what_the_file_writers_write(areas, tmp_path):
    for fmt in ("geojson", "csv"):
        path = export.write_layer(areas, tmp_path / f"a.{fmt}", layer_name="areas")
        assert export.layer_bytes(areas, fmt, layer_name="areas") == path.read_bytes()
    (tmp_path / "b.gpkg").write_bytes(export.layer_bytes(areas, "gpkg", layer_name="areas"))
    assert len(gpd.read_file(tmp_path / "b.gpkg", layer="areas")) == 3
    with pytest.raises(ExportError, match=r"unknown format 'shp'"):
        export.layer_bytes(areas, "shp", layer_name="areas")


# --- targets and extensions ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("out.shp", r"cannot tell the output format of .*out.shp: '.shp'; use one of "
         r"\.geojson, \.gpkg, \.csv, or - for GeoJSON on standard output"),
        ("out", r"cannot tell the output format of .*out: no extension"),
    ],
)  # fmt: skip
def test_unknown_extension_is_refused(areas, tmp_path, name, message):
    with pytest.raises(ExportError, match=message):
        export.write_layer(areas, tmp_path / name, layer_name="a")
    assert not (tmp_path / name).exists()


def test_missing_folder_and_existing_file(areas, tmp_path):
    with pytest.raises(ExportError, match=r"folder .*nowhere does not exist"):
        export.check_target(tmp_path / "nowhere" / "a.geojson")
    (tmp_path / "a.gpkg").write_text("old")
    with pytest.raises(ExportError, match=r"a.gpkg already exists; pass force=True"):
        export.write_layer(areas, tmp_path / "a.gpkg", layer_name="a")
    assert (tmp_path / "a.gpkg").read_text() == "old"
    export.write_layer(areas, tmp_path / "a.gpkg", layer_name="a", force=True)
    assert len(gpd.read_file(tmp_path / "a.gpkg")) == 3


# --- atomic writes: a failure mid-write leaves nothing behind -----------------------
class Unprintable:
    """A value whose serialisation fails, placed in the last row."""

    def __str__(self) -> str:
        raise RuntimeError("cannot format this value")


def _break_geojson(gdf, monkeypatch):
    return gdf.assign(bad=[None] * (len(gdf) - 1) + [Unprintable()])


def _break_csv(gdf, monkeypatch):
    return gdf.assign(bad=[None] * (len(gdf) - 1) + [Unprintable()])


def _break_gpkg(gdf, monkeypatch):
    real = pyogrio.write_dataframe

    def half_then_fail(df, path, **kwargs):
        real(df.iloc[:1], path, **kwargs)  # a real, partial GeoPackage on disk
        raise RuntimeError("disk full")

    monkeypatch.setattr(pyogrio, "write_dataframe", half_then_fail)
    return gdf


BREAKERS = {"geojson": _break_geojson, "csv": _break_csv, "gpkg": _break_gpkg}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(
    points, tmp_path, monkeypatch, fmt, existing
):
    target = tmp_path / f"points.{fmt}"
    if existing:
        export.write_layer(points, target, layer_name="points")
    before = target.read_bytes() if existing else None
    broken = BREAKERS[fmt](points, monkeypatch)
    with pytest.raises((RuntimeError, TypeError)):
        export.write_layer(broken, target, layer_name="points", force=True)
    assert sorted(os.listdir(tmp_path)) == ([target.name] if existing else [])
    if existing:
        assert target.read_bytes() == before


# --- the command line over the real data --------------------------------------------
def _frame(map_data: views.MapData, layer: str, filters=None, metric="claims"):
    return views.layer_frame(
        layer,
        events=map_data.events,
        presence=map_data.presence,
        provinces=map_data.provinces,
        districts=map_data.districts,
        filters=filters or claims.Filters(),
        metric=metric,
    )


def _layers() -> list[Any]:
    return [
        pytest.param(layer, marks=pytest.mark.districts) if layer == "districts" else layer
        for layer in views.LAYERS
    ]


@pytest.mark.realdata
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layer", _layers())
def test_cli_export_every_layer_and_format(tmp_path, capsys, map_data, layer, fmt):
    if layer == "districts" and map_data.districts is None:
        pytest.skip("district layer not installed: run `armap districts install`")
    out = tmp_path / f"{layer}.{fmt}"
    assert cli.main(["export", "--layer", layer, "-o", str(out), "--quiet"]) == 0
    expected = gio.to_rfc7946(_frame(map_data, layer))
    check_rfc7946(expected)
    if fmt == "geojson":
        check_rfc7946(json.loads(out.read_text(encoding="utf-8")))
        got = json.loads(out.read_text(encoding="utf-8"))
        assert without_metadata(got, layer) == expected  # same as the app's
    if (layer, fmt) == ("events", "csv"):  # a claims file: test_cli_events_csv_is_a_claims_file
        assert out.read_text(encoding="utf-8").split("\n", 1)[0].split(",") == list(
            settings.EVENT_COLUMNS
        )
    else:
        assert_same_features(read_back(out), _features_from_geojson(expected))
    if fmt == "gpkg":
        assert [name for name, _ in pyogrio.list_layers(out)] == [layer]
    err = capsys.readouterr().err
    assert f"exported {len(expected['features'])} feature(s) of layer {layer} to" in err


@pytest.mark.realdata
def test_cli_export_applies_the_app_filters(tmp_path, map_data):
    out = tmp_path / "events.geojson"
    argv = ["export", "--layer", "events", "-o", str(out), "--quiet", "--start", "2022-04-01"]
    argv += [
        "--end",
        "2022-12-31",
        "--type",
        "clash",
        "--type",
        "attack",
        "--coarsest-precision",
        "3",
    ]
    assert cli.main(argv) == 0
    filters = claims.Filters(
        start=date(2022, 4, 1),
        end=date(2022, 12, 31),
        event_types=("clash", "attack"),
        coarsest_precision=3,
    )
    expected = gio.to_rfc7946(_frame(map_data, "events", filters))
    got = without_metadata(json.loads(out.read_text(encoding="utf-8")), "events", filters)
    assert got == expected
    assert 0 < len(got["features"]) < len(map_data.events)
    kinds = {f["properties"]["event_type"] for f in got["features"]}
    assert kinds <= {"clash", "attack"}
    sources = got["features"][0]["properties"]["sources"]
    assert isinstance(sources, list) and {"file", "outlet", "title", "quote"} <= set(sources[0])


@pytest.mark.realdata
def test_cli_export_metric_and_actor(tmp_path, map_data):
    actor = map_data.events["actor1"].iloc[0]
    out = tmp_path / "p.csv"
    argv = ["export", "--layer", "provinces", "--metric", "fatalities", "--actor", actor]
    assert cli.main([*argv, "-o", str(out), "--quiet"]) == 0
    frame = _frame(map_data, "provinces", claims.Filters(actors=(actor,)), metric="fatalities")
    assert_same_features(read_back(out), _features_from_geojson(gio.to_rfc7946(frame)))
    assert set(pd.read_csv(out)["metric"]) == {"fatalities"}


@pytest.mark.realdata
def test_cli_export_to_stdout(capsys, map_data):
    assert cli.main(["export", "--layer", "provinces", "-o", "-", "--quiet"]) == 0
    captured = capsys.readouterr()
    collection = json.loads(captured.out)
    check_rfc7946(collection)
    assert without_metadata(collection, "provinces") == gio.to_rfc7946(
        _frame(map_data, "provinces")
    )
    assert "exported 34 feature(s) of layer provinces to standard output" in captured.err


@pytest.mark.realdata
def test_cli_export_refuses_to_replace_without_force(tmp_path, capsys):
    out = tmp_path / "events.csv"
    out.write_text("keep me")
    assert cli.main(["export", "--layer", "events", "-o", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap export")
    assert f"armap export: error: {out} already exists; pass force=True (CLI: --force)" in err
    assert out.read_text() == "keep me"
    assert cli.main(["export", "--layer", "events", "-o", str(out), "--force", "--quiet"]) == 0
    assert pd.read_csv(out)["event_id"].is_unique


@pytest.mark.realdata
def test_cli_export_unknown_extension(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--layer", "events", "-o", str(tmp_path / "e.kml")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap export")
    assert "armap export: error: argument -o/--output: cannot tell the output format of" in err
    assert "use one of .geojson, .gpkg, .csv, or - for GeoJSON on standard output" in err
    assert not list(tmp_path.iterdir())


def test_cli_export_districts_not_installed(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "districts" / "districts.geojson"
    monkeypatch.setattr(settings, "DISTRICTS_PATH", missing)
    out = tmp_path / "d.geojson"
    assert cli.main(["export", "--layer", "districts", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: the district layer is not installed ({missing} is missing); run " in err
    assert "`armap districts install`" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--start", "2022-13-01"], "expected a date as YYYY-MM-DD, not '2022-13-01'"),
        (["--type", "battle"], "invalid choice: 'battle'"),
        (["--layer", "rivers"], "invalid choice: 'rivers'"),
    ],
)
def test_cli_export_usage_errors(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--layer", "events", "-o", "-", *argv])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.realdata
def test_cli_export_start_after_end_is_a_usage_error(capsys):
    argv = [
        "export",
        "--layer",
        "events",
        "-o",
        "-",
        "--start",
        "2023-01-01",
        "--end",
        "2022-01-01",
    ]
    assert cli.main([*argv, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: armap export")
    assert "armap export: error: start (2023-01-01) is after end (2022-01-01)" in err


@pytest.mark.realdata
@pytest.mark.parametrize("layer", _layers())
def test_readme_documents_every_exported_property(map_data, layer):
    if layer == "districts" and map_data.districts is None:
        pytest.skip("district layer not installed: run `armap districts install`")
    readme = (settings.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Export and import", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| `")]
    row = next("|".join(cells) for cells in rows if f"`{layer}`" in cells[1])
    missing = [
        c for c in _frame(map_data, layer).columns if c != "geometry" and f"`{c}`" not in row
    ]
    assert not missing, f"README's {layer} row lacks {missing}"


@pytest.mark.realdata
@pytest.mark.districts
def test_cli_export_districts_of_one_province(tmp_path, map_data):
    if map_data.districts is None:
        pytest.skip("district layer not installed: run `armap districts install`")
    out = tmp_path / "pan.geojson"
    argv = ["export", "--layer", "districts", "--province", "Panjsher", "-o", str(out)]
    assert cli.main([*argv, "--quiet"]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    check_rfc7946(got)
    expected = views.layer_frame(
        "districts",
        events=map_data.events,
        presence=map_data.presence,
        provinces=map_data.provinces,
        districts=map_data.districts,
        province="AF-PAN",
    )
    assert without_metadata(got, "districts") == gio.to_rfc7946(expected)
    assert {f["properties"]["province_code"] for f in got["features"]} == {"AF-PAN"}


@pytest.mark.realdata
def test_cli_export_of_an_imported_file(tmp_path, capsys):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "acled" / "acled_afghanistan.csv"
    events = tmp_path / "events.csv"
    assert cli.main(["import", str(fixture), "-o", str(events), "--quiet"]) == 0
    out = tmp_path / "imported.geojson"
    argv = ["export", "--layer", "events", "--events", str(events), "-o", str(out), "--quiet"]
    assert cli.main(argv) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    check_rfc7946(got)
    props = {f["properties"]["event_id"]: f["properties"] for f in got["features"]}
    assert len(props) == 8
    assert XSS in props["acled:AFG1005"]["notes"]  # carried as text
    vague = props["acled:AFG1002"]
    assert (vague["longitude"], vague["geometry_kind"]) == (None, "area-representative-point")
    assert "0 data problem(s)" in capsys.readouterr().err


# --- full-resolution boundaries, --simplify, the claims CSV, the app's downloads ----
def _export(tmp_path: Path, layer: str, *argv: str, name: str | None = None) -> Path:
    out = tmp_path / (name or f"{layer}.geojson")
    assert cli.main(["export", "--layer", layer, "-o", str(out), "--quiet", *argv]) == 0
    return out


def _full_areas_km2(polygons: gpd.GeoDataFrame) -> pd.Series:
    return (polygons.to_crs(boundaries.equal_area_crs()).area / 1e6).round(1)


@pytest.mark.realdata
def test_cli_export_keeps_the_full_resolution_provinces(tmp_path, provinces):
    got = gpd.read_file(_export(tmp_path, "provinces")).set_index("area_code")
    full = provinces.set_index(settings.PROVINCE_CODE).loc[got.index]
    vertices = shapely.get_num_coordinates(got.geometry.values)
    assert vertices.tolist() == shapely.get_num_coordinates(full.geometry.values).tolist()
    assert int(vertices.sum()) == 11_179  # the display-simplified ones have 7,056
    assert got["area_km2"].tolist() == _full_areas_km2(full).tolist()
    assert shapely.coverage_is_valid(got.geometry.values)
    moved = shapely.hausdorff_distance(got.geometry.values, full.geometry.values)
    assert moved.max() < 1e-6  # only the 6-decimal rounding of RFC 7946 output


@pytest.mark.realdata
def test_cli_export_presence_has_the_full_resolution_areas(tmp_path, provinces):
    got = gpd.read_file(_export(tmp_path, "presence"))
    on_provinces = got[got["area_kind"] == "province"].set_index("area_code")
    assert len(on_provinces)
    full = provinces.set_index(settings.PROVINCE_CODE).loc[on_provinces.index]
    assert (
        shapely.get_num_coordinates(on_provinces.geometry.values).tolist()
        == shapely.get_num_coordinates(full.geometry.values).tolist()
    )


@pytest.mark.realdata
@pytest.mark.parametrize("metres", [100, 500, 2000])
def test_cli_export_simplify_in_metres(tmp_path, provinces, metres):
    full = gpd.read_file(_export(tmp_path, "provinces", name="full.geojson"))
    out = _export(tmp_path, "provinces", "--simplify", str(metres))
    got = gpd.read_file(out)
    check_rfc7946(json.loads(out.read_text(encoding="utf-8")))
    vertices = shapely.get_num_coordinates(got.geometry.values).sum()
    assert vertices < shapely.get_num_coordinates(full.geometry.values).sum()
    assert shapely.coverage_is_valid(got.geometry.values)  # shared borders kept
    assert shapely.is_valid(got.geometry.values).all()
    utm = boundaries.utm_crs()
    moved = shapely.hausdorff_distance(
        got.geometry.to_crs(utm).values, full.geometry.to_crs(utm).values, densify=0.25
    )
    assert moved.max() <= metres * 1.01
    assert got["area_km2"].tolist() == full["area_km2"].tolist()  # figures: full resolution
    assert got.drop(columns="geometry").equals(full.drop(columns="geometry"))


@pytest.mark.realdata
@pytest.mark.districts
def test_cli_export_districts_full_and_simplified(tmp_path, districts):
    argv = ["--province", "AF-BDS"]
    full = gpd.read_file(_export(tmp_path, "districts", *argv, name="full.geojson"))
    mine = districts.set_index(settings.DISTRICT_ID).loc[full["area_code"]]
    assert (
        shapely.get_num_coordinates(full.geometry.values).tolist()
        == shapely.get_num_coordinates(mine.geometry.values).tolist()
    )
    assert full["area_km2"].tolist() == _full_areas_km2(mine).tolist()
    coarse = gpd.read_file(_export(tmp_path, "districts", *argv, "--simplify", "1000"))
    assert (
        shapely.get_num_coordinates(coarse.geometry.values).sum()
        < shapely.get_num_coordinates(full.geometry.values).sum()
    )
    assert shapely.coverage_is_valid(coarse.geometry.values)
    assert coarse["area_km2"].tolist() == full["area_km2"].tolist()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "expected a positive number of metres, not '0'"),
        ("-50", "expected a positive number of metres, not '-50'"),
        ("500m", "expected a positive number of metres, not '500m'"),
        ("nan", "expected a positive number of metres, not 'nan'"),
    ],
)
def test_cli_export_simplify_needs_positive_metres(capsys, value, message):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--layer", "provinces", "-o", "-", "--simplify", value])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_export_simplify_is_for_area_layers(tmp_path, capsys):
    out = tmp_path / "events.geojson"
    argv = ["export", "--layer", "events", "-o", str(out), "--simplify", "500"]
    assert cli.main(argv) == 2
    assert "error: --simplify applies to the area layers" in capsys.readouterr().err
    assert not out.exists()


def _claims_rows(source: Path | bytes) -> pd.DataFrame:
    """The rows of a claims file as the reader loads them, written back as text."""
    result = claims.read_claims(source, kind="events", name="events.csv")
    assert not result.problems, result.problems
    return claims.events_to_csv_frame(result.data)


@pytest.mark.realdata
@pytest.mark.parametrize("argv", [[], ["--type", "clash", "--start", "2022-01-01"]])
def test_cli_events_csv_is_a_claims_file(tmp_path, capsys, argv):
    out = _export(tmp_path, "events", *argv, name="events.csv")
    header = out.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == list(settings.EVENT_COLUMNS)  # no lon/lat, no joined columns
    assert cli.main(["validate", str(out)]) == 0
    assert "rows, no problems" in capsys.readouterr().out
    got = _claims_rows(out)
    shipped = _claims_rows(settings.EVENTS_PATH).set_index("event_id", drop=False)
    assert len(got) == len(shipped) if not argv else 0 < len(got) < len(shipped)
    pd.testing.assert_frame_equal(got, shipped.loc[got["event_id"]].reset_index(drop=True))
    # Uploaded back (bytes) and exported again: the same file.
    again = tmp_path / "again.csv"
    assert cli.main(["export", "--layer", "events", "--events", str(out), "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    data = views.load_map_data(events_bytes=out.read_bytes(), events_name="events.csv")
    assert not data.problems and len(data.events) == len(got)


@pytest.mark.realdata
@pytest.mark.parametrize(
    "filters",
    [
        claims.Filters(),
        claims.Filters(start=date(2022, 1, 1), end=date(2022, 9, 30), event_types=("clash",)),
    ],
)
def test_app_downloads_are_the_cli_exports(tmp_path, map_data, filters):
    frames = views.map_frames(map_data, filters=filters, metric="fatalities")
    files = views.download_files(
        frames, filters=filters, source=map_data.source, stances=map_data.stances
    )
    window = "2022-01-01_2022-09-30" if filters.start else "any_any"
    chosen = "_clash" if filters.event_types else ""
    assert sorted(files) == [
        f"events{chosen}_{window}.csv",
        f"events{chosen}_{window}.csv.json",
        f"events{chosen}_{window}.geojson",
        f"presence{chosen}_{window}.geojson",
        f"provinces{chosen}_{window}.geojson",
    ]
    argv = ["--metric", "fatalities"]
    if filters.start:
        argv += ["--start", filters.start.isoformat(), "--end", filters.end.isoformat()]
        argv += ["--type", "clash"]
    for name, (make, _) in files.items():
        if name.endswith(".csv.json"):  # the CLI writes it beside the CSV (below)
            continue
        layer = name.split("_")[0]
        written = _export(tmp_path, layer, *argv, name=name).read_bytes()
        if name.endswith(".csv"):
            assert make() == written, name
            app_side = json.loads(files[f"{name}.json"][0]())
            cli_side = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
            assert without_metadata({"metadata": app_side}, layer, filters) == {}
            assert without_metadata({"metadata": cli_side}, layer, filters) == {}
        else:  # the same bytes but for the generation time
            app, cli_file = json.loads(make()), json.loads(written)
            assert without_metadata(app, layer, filters) == without_metadata(
                cli_file, layer, filters
            ), name


# --- what the data holds never breaks a file or runs in a spreadsheet ----------------------
def _csv_rows(data: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_a_lone_cr_in_a_value_never_changes_the_number_of_records(points, tmp_path):
    many = pd.concat([points] * 10, ignore_index=True).iloc[:29]
    many["notes"] = [f"line {i}\rend" if i % 2 else f"n{i}" for i in range(29)]
    path = export.write_layer(many, tmp_path / "e.csv", layer_name="points")
    rows = _csv_rows(path.read_bytes())
    assert len(rows) == 30 and len({len(r) for r in rows}) == 1  # 29 rows, one width
    assert [r[rows[0].index("notes")] for r in rows[1:3]] == ["n0", "line 1\rend"]


@pytest.mark.parametrize("how", ["file", "bytes"])
def test_formula_cells_are_escaped_in_csv_exports(points, tmp_path, how):
    points = points.assign(notes=['=HYPERLINK("http://x","y")', "@SUM(A1)", "-2+3"])
    points["name"] = ["+cmd|' /C calc'!A0", "\tx", "plain"]
    if how == "file":
        data = export.write_layer(points, tmp_path / "e.csv", layer_name="e").read_bytes()
    else:
        data = gio.layer_bytes(points, "csv", layer_name="e")
    rows = _csv_rows(data)
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c[:1] in ("=", "@", "+", "\t") or c.startswith("-2")]
    notes = [r[rows[0].index("notes")] for r in rows[1:]]
    assert notes == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'-2+3"]
    assert data.endswith(b"\r\n") and data.count(b"\r\n") == len(rows)  # CRLF records


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_read_only_folder_is_an_export_error(areas, tmp_path, fmt):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root: a folder no one may write into
        folder = Path("/sys")
    target = folder / f"areas.{fmt}"
    with pytest.raises(
        ExportError, match=r"cannot write .*areas\.\w+: .*(writable|denied|permitted)"
    ):
        export.write_layer(areas, target, layer_name="areas")
    assert not target.exists()


@pytest.mark.realdata
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_killed_export_leaves_nothing_the_next_export_keeps(tmp_path, capsys, fmt):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".events.{fmt}.{dead}.0badf00d.part"
    (stale.mkdir() if fmt == "gpkg" else stale.write_text("half an export"))
    out = tmp_path / f"events.{fmt}"
    assert cli.main(["export", "--layer", "events", "-o", str(out), "--quiet"]) == 0
    written = [out.name, f"{out.name}.json"] if fmt == "csv" else [out.name]  # CSV: sidecar
    assert out.exists() and sorted(p.name for p in tmp_path.iterdir()) == written


@pytest.mark.realdata
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: (p.mkdir(), p)[1], r"cannot read claims file .*events\.csv: it is a folder"),
        (lambda p: (os.mkfifo(p), p)[1], r"events\.csv: it is a FIFO \(named pipe\)"),
        (lambda p: (os.symlink(p, p), p)[1], r"a symbolic link that points back to itself"),
        (lambda p: Path("/dev/zero"), r"cannot read claims file /dev/zero: it is a device"),
        (lambda p: Path("/etc/passwd"), r"passwd is not a claims file: its first line \(1 column, "
         r"not column names\)"),
        (lambda p: settings.PRESENCE_PATH, r"presence\.csv is not an events file"),
    ],
    ids=["folder", "fifo", "symlink-loop", "dev-zero", "passwd", "presence"],
)  # fmt: skip
def test_cli_export_refuses_events_it_cannot_read(tmp_path, capsys, make, message):
    events = make(tmp_path / "events.csv")
    out = tmp_path / "out.geojson"
    argv = ["export", "--layer", "events", "--events", str(events), "-o", str(out), "--quiet"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert re.search(message, err) and "root:" not in err and not out.exists()
