"""Tests for geo/importers.py and `cli.py import`: ACLED and UCDP GED -> events CSV.

The fixture files are described in tests/helpers_importers.py; the conversions of each
source are in test_acled and test_ucdp, reading the file in test_import_table.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from armap import cli
from geo import _csv, claims, settings, views
from geo.errors import ExportError, ImportFormatError
from geo.io import acled, importers, ucdp
from tests.helpers_importers import ACLED, ACLED_REJECTED, UCDP, UCDP_REJECTED


# --- the fixtures' columns are the real ones ----------------------------------------
@pytest.mark.parametrize(
    ("path", "columns"), [(ACLED, acled.ACLED_COLUMNS), (UCDP, ucdp.UCDP_COLUMNS)]
)
def test_fixtures_have_the_real_columns_in_order(path, columns):
    with path.open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == columns


def test_mapping_tables_use_the_project_vocabularies():
    types = {*acled.ACLED_EVENT_TYPES.values(), *acled.ACLED_SUB_EVENT_TYPES.values()}
    assert types | set(ucdp.UCDP_VIOLENCE_TYPES.values()) <= set(settings.EVENT_TYPES)
    precisions = {*acled.ACLED_GEO_PRECISION.values(), *ucdp.UCDP_WHERE_PREC.values()}
    assert precisions == set(settings.LOCATION_PRECISIONS)
    dates = {*acled.ACLED_TIME_PRECISION.values(), *ucdp.UCDP_DATE_PREC.values()}
    assert dates == set(settings.DATE_PRECISIONS)


# --- output validity and HTML -------------------------------------------------------
@pytest.mark.realdata
def test_imported_files_pass_read_events(tmp_path, gaz, provinces):
    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    result = claims.read_claims(
        kind="events", source=out, provinces=provinces, gazetteer=gaz
    )  # raises on a problem
    assert len(result.data) == 14
    assert out.read_bytes()[:3] != b"\xef\xbb\xbf"


@pytest.mark.realdata
def test_html_payload_is_escaped_in_the_map_popups(tmp_path, gaz, provinces):
    from layers import events as event_layer

    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    loaded = claims.read_claims(kind="events", source=out, provinces=provinces, gazetteer=gaz).data
    presence = claims.read_claims(
        kind="presence", source=settings.PRESENCE_PATH, provinces=provinces
    ).data
    frame = views.layer_frame("events", events=loaded, presence=presence, provinces=provinces)
    html = "".join(event_layer.event_popups(frame))
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in html


# --- format -------------------------------------------------------------------------
def test_wrong_format_names_the_missing_columns(tmp_path):
    with pytest.raises(ImportFormatError, match=r"is not in ACLED format: its header lacks "
                       r"event_id_cnty, event_date, time_precision"):  # fmt: skip
        importers.convert_file(UCDP, fmt="acled")
    with pytest.raises(ValueError, match=r"fmt must be one of auto, acled, ucdp; not 'gdelt'"):
        importers.convert_file(UCDP, fmt="gdelt")


# --- the command line: summary, report, merge ---------------------------------------
def _report(path: Path) -> list[tuple[int, str, str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [(int(a), b, c) for a, b, c in frame[["line", "source_id", "reason"]].values]


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("path", "label", "read", "converted", "rejected"),
    [(ACLED, "ACLED", 14, 8, ACLED_REJECTED), (UCDP, "UCDP GED", 12, 6, UCDP_REJECTED)],
)
def test_cli_import_auto_summary_and_rejection_report(
    tmp_path, capsys, path, label, read, converted, rejected
):
    out = tmp_path / "imported.csv"
    assert cli.main(["import", str(path), "-o", str(out), "--format", "auto", "--quiet"]) == 0
    report = tmp_path / "imported.rejected.csv"
    assert capsys.readouterr().out.splitlines() == [
        f"{label} {path.name}: {read} rows read, {converted} converted, {len(rejected)} rejected",
        f"{out}: {converted} added, 0 updated, 0 unchanged ({converted} events in the file)",
        f"rejection report: {report} ({len(rejected)} rows)",
    ]
    assert _report(report) == rejected
    claims.read_claims(kind="events", source=out)  # the output passes validation


@pytest.mark.realdata
def test_cli_import_unknown_header_is_an_error(tmp_path, capsys, write_text):
    path = write_text("other.csv", "date,place,lat,lon\n2022-05-01,Bazarak,35.3,69.5\n")
    assert cli.main(["import", str(path), "-o", str(tmp_path / "o.csv"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "cannot recognise the format of" in err and "looked for the ACLED columns" in err
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.realdata
def test_reimport_merges_by_event_id_without_duplicates(tmp_path, gaz, provinces):
    out = tmp_path / "events.csv"
    kw = {"provinces": provinces, "gazetteer": gaz}
    first = importers.import_file(ACLED, out, **kw)
    assert (first.added, first.updated, first.unchanged, first.total) == (8, 0, 0, 8)
    again = importers.import_file(ACLED, out, **kw)
    assert (again.added, again.updated, again.unchanged, again.total) == (0, 0, 8, 8)
    changed = tmp_path / "again" / ACLED.name  # a new download of the same file
    changed.parent.mkdir()
    text = ACLED.read_text(encoding="utf-8")
    text = text.replace('NRF claimed 5 Taliban killed.",5,', 'NRF claimed 6 Taliban killed.",6,')
    changed.write_text(text, encoding="utf-8")
    update = importers.import_file(changed, out, **kw)
    assert (update.added, update.updated, update.unchanged, update.total) == (0, 1, 7, 8)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["event_id"].is_unique
    assert frame.loc[frame["event_id"] == "acled:AFG1001", "fatalities"].tolist() == ["6"]
    both = importers.import_file(UCDP, out, **kw)
    assert (both.added, both.updated, both.unchanged, both.total) == (6, 0, 0, 14)
    replaced = importers.import_file(UCDP, out, replace=True, **kw)
    assert (replaced.added, replaced.total) == (6, 6)
    assert pd.read_csv(out, dtype=str)["event_id"].str.startswith("ucdp:").all()


@pytest.mark.realdata
def test_import_into_the_project_events_keeps_the_other_rows(tmp_path, gaz, provinces):
    out = tmp_path / "events.csv"
    shutil.copy(settings.EVENTS_PATH, out)
    before = pd.read_csv(out, dtype=str, keep_default_na=False)
    summary = importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    after = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert summary.total == len(before) + 8
    pd.testing.assert_frame_equal(after.iloc[: len(before)], before)


def test_import_refuses_an_output_that_is_not_an_events_file(tmp_path, write_text):
    other = write_text("notes.csv", "a,b\n1,2\n")
    with pytest.raises(ImportFormatError, match=r"notes.csv exists but is not an events CSV "
                       r"\(its header has 2 columns, not the events columns\); choose another "
                       r"output file, or pass --replace"):  # fmt: skip
        importers.import_file(ACLED, other)
    assert other.read_text() == "a,b\n1,2\n"


def test_import_refuses_to_overwrite_its_input(tmp_path):
    copy = tmp_path / "acled.csv"
    shutil.copy(ACLED, copy)
    with pytest.raises(ImportFormatError, match=r"is the input file; choose another name"):
        importers.import_file(copy, copy, replace=True)


@pytest.mark.realdata
def test_progress_is_reported_per_stage(tmp_path, gaz, provinces):
    seen: list[str] = []
    importers.import_file(
        ACLED, tmp_path / "e.csv", provinces=provinces, gazetteer=gaz, progress=seen.append
    )
    assert seen == list(importers.IMPORT_STAGES)


@pytest.mark.realdata
def test_a_failed_import_leaves_the_output_untouched(tmp_path, monkeypatch, gaz, provinces):
    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    before = out.read_bytes()

    real = _csv.write_frame
    calls: list[int] = []

    def cut_short(fh, frame):
        if isinstance(fh, io.StringIO):  # the in-memory validation pass
            return real(fh, frame)
        calls.append(1)
        if len(calls) == 1:  # the rejection report is written first
            return real(fh, frame)
        fh.write("event_id,date_start\nucdp:501,2022")  # half a file, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_csv, "write_frame", cut_short)
    with pytest.raises(ExportError, match=r"cannot write .*events.csv: No space left on device"):
        importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "events.rejected.csv"]


def test_readme_documents_the_mapping_tables():
    readme = (settings.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Import: ACLED and UCDP GED", 1)[1].split("\n## ", 1)[0]
    for name in [*acled.ACLED_EVENT_TYPES, *acled.ACLED_SUB_EVENT_TYPES]:
        assert name in section, name
    for meaning in [*ucdp.UCDP_WHERE_MEANING.values(), *ucdp.UCDP_DATE_MEANING.values()]:
        assert meaning.split(",")[0].split(" ")[-1] in section, meaning
    for event_type in {*acled.ACLED_EVENT_TYPES.values()}:
        assert f"| {event_type} |" in section, event_type
