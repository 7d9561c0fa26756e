"""Tests for geo/batch/export.py and `armap export --engine dask`: the map's frames, exactly.

Synthetic claims from bench/synth.py (the real schema over real places) are joined on a
local cluster of threads in several partitions; every layer and the files written
must be the in-memory engine's.
"""

from __future__ import annotations

import functools
import json

import pandas as pd
import pytest

from armap import cli
from bench.synth import generate
from geo import batch, io, views
from geo.claims import Filters, read_claims

pytest.importorskip("dask_geopandas")


@pytest.fixture(scope="module")
def client():
    with batch.dask_client(workers=2, processes=False) as client:
        yield client


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, districts):
    path = tmp_path_factory.mktemp("synth") / "events.csv"
    frame = generate(3000, seed=3)
    frame.loc[7, "latitude"] = "95"  # one bad row: left out and reported by both engines
    frame.to_csv(path, index=False)
    return path


@pytest.mark.realdata
def test_events_joined_on_dask_are_the_memory_engines(client, synthetic, provinces, districts):
    data = batch.load_joined(client, synthetic, partitions=4)
    loaded = read_claims(synthetic, kind="events", on_invalid="report", provinces=provinces)
    expected = views.prepare_events(loaded.data, provinces, districts)
    pd.testing.assert_frame_equal(data.events, expected)
    assert data.events.attrs["joined_with_districts"] is True
    assert len(data.problems) == 1 and "line 9, column 'latitude'" in data.problems[0]
    assert data.districts is not None and len(data.presence)


@pytest.mark.realdata
@pytest.mark.parametrize("layer", ["provinces", "districts", "events", "presence"])
def test_every_layer_is_the_same_bytes_on_dask(client, synthetic, provinces, districts, layer):
    data = batch.load_joined(client, synthetic, partitions=3)
    loaded = read_claims(synthetic, kind="events", on_invalid="report", provinces=provinces)
    memory = views.prepare_events(loaded.data, provinces, districts)
    filters = Filters(start=pd.Timestamp("2022-01-01").date())
    frames = [
        views.layer_frame(
            layer,
            events=events,
            presence=data.presence,
            provinces=provinces,
            districts=districts,
            filters=filters,
            metric="fatalities",
        )
        for events in (data.events, memory)
    ]
    assert io.layer_bytes(frames[0], "geojson", layer_name=layer) == io.layer_bytes(
        frames[1], "geojson", layer_name=layer
    )


@pytest.mark.realdata
def test_cli_export_engine_dask_writes_the_same_file(tmp_path, capsys, monkeypatch, synthetic):
    real = batch.dask_client
    monkeypatch.setattr(batch, "dask_client", functools.partial(real, processes=False))
    written = {}
    for engine in ("memory", "dask"):
        out = tmp_path / f"{engine}.geojson"
        args = ["export", "--layer", "districts", "--events", str(synthetic), "-o", str(out)]
        assert cli.main([*args, "--quiet", "--engine", engine]) == 0
        written[engine] = out.read_bytes()
        err = capsys.readouterr().err
        assert "exported 398 feature(s) of layer districts" in err and "1 data problem(s)" in err
    same = [json.loads(written[e]) for e in ("dask", "memory")]
    for collection in same:  # identical but for the generation time
        collection["metadata"].pop("generated")
    assert same[0] == same[1]
