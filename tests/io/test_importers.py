"""Tests for geo/importers.py and `cli.py import`: ACLED and UCDP GED -> events CSV.

The fixture files are described in tests/helpers_importers.py; the conversions of each
source are in test_acled and test_ucdp, reading the file in test_import_table.
"""

from __future__ import annotations

import csv
import io
import re
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


# --- the README's import tables say what the mapping tables do ----------------------
def _readme_tables() -> dict[str, list[dict[str, str]]]:
    """The tables of the README's import section by their result column, rows as dicts."""
    readme = (settings.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Import: ACLED and UCDP GED", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, list[dict[str, str]]] = {}
    for block in re.findall(r"(?:^\|.*\|\n)+", section, flags=re.MULTILINE):
        header, _rule, *rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in block.splitlines()
        ]
        result = next(h for h in header if h.startswith("→"))
        tables[result] = [dict(zip(header, row, strict=True)) for row in rows]
    return tables


def _coded(cell: str) -> dict[str, str]:
    """'2 a span of 2-6 days; 5 the year' -> {'2': 'a span of 2-6 days', '5': 'the year'}."""
    if cell == "—":
        return {}
    return dict(re.fullmatch(r"(\d+) (.+)", part).groups() for part in cell.split("; "))


def _precision_differences(
    table: list[dict[str, str]], column: str, codes: dict, meanings: dict[str, str], label
) -> list[str]:
    """Each code's meaning and result in the README, against the code's two tables."""
    documented = {
        code: (meaning, row[next(h for h in row if h.startswith("→"))])
        for row in table
        for code, meaning in _coded(row[column]).items()
    }
    out = [f"{column}: README lists codes {sorted(documented)}, the code {sorted(codes)}"]
    out = out if set(documented) != set(codes) else []
    for code, result in codes.items():
        meaning, shown = documented.get(code, ("(missing)", "(missing)"))
        if meaning != meanings[code]:
            out.append(f"{column} {code}: README {meaning!r}, code {meanings[code]!r}")
        if not shown.startswith(label(result)):
            out.append(f"{column} {code}: README -> {shown!r}, code -> {label(result)!r}")
    return out


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="README paraphrases the geo_precision/where_prec meanings (coordinator updates it)",
)
def test_readme_documents_the_location_precision_mapping():
    table = _readme_tables()["→ `location_precision`"]
    label = lambda p: f"{p} {settings.LOCATION_PRECISIONS[p]}"  # noqa: E731
    differences = [
        *_precision_differences(
            table, "ACLED `geo_precision`", acled.ACLED_GEO_PRECISION, acled.ACLED_GEO_MEANING,
            label,
        ),
        *_precision_differences(
            table, "UCDP `where_prec`", ucdp.UCDP_WHERE_PREC, ucdp.UCDP_WHERE_MEANING, label
        ),
    ]  # fmt: skip
    assert not differences, "\n".join(differences)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="README paraphrases the time_precision/date_prec meanings (coordinator updates it)",
)
def test_readme_documents_the_date_precision_mapping():
    table = _readme_tables()["→ `date_precision`"]
    differences = [
        *_precision_differences(
            table, "ACLED `time_precision`", acled.ACLED_TIME_PRECISION,
            acled.ACLED_TIME_MEANING, str,
        ),
        *_precision_differences(
            table, "UCDP `date_prec`", ucdp.UCDP_DATE_PREC, ucdp.UCDP_DATE_MEANING, str
        ),
    ]  # fmt: skip
    assert not differences, "\n".join(differences)


def test_readme_documents_the_event_type_mapping():
    rows = _readme_tables()["→ `event_type`"]
    by_type = {row["→ `event_type`"]: row for row in rows}
    assert len(by_type) == len(rows), "an event type has two rows"
    acled_cells = {t: row["ACLED `event_type` (`sub_event_type`)"] for t, row in by_type.items()}
    named = {
        re.match(r"[^(:]+", part)[0].strip(): t
        for t, cell in acled_cells.items()
        for part in cell.split("; ")
        if cell != "—" and ":" not in part
    }
    assert named == acled.ACLED_EVENT_TYPES
    for sub_event_type, event_type in acled.ACLED_SUB_EVENT_TYPES.items():
        assert f"*{sub_event_type}*" in acled_cells[event_type], sub_event_type
    ucdp_codes = {
        code: t
        for t, row in by_type.items()
        for code in re.findall(r"(?:^|[,;] )(\d+) ", row["UCDP `type_of_violence`"])
    }
    assert ucdp_codes == ucdp.UCDP_VIOLENCE_TYPES
