"""Tests for geo/importers.py and `cli.py import`: ACLED and UCDP GED -> events CSV.

The fixture files are described in tests/helpers_importers.py; the conversions of each
source are in test_acled and test_ucdp, reading the file in test_import_table.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections import Counter
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
def test_html_in_imported_text_travels_as_data_to_the_map(tmp_path, gaz, provinces):
    """Imported text reaches the browser as data (the page escapes it: test_browser)."""
    from geo.views.payload import decode_events, encode_events

    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    loaded = claims.read_claims(kind="events", source=out, provinces=provinces, gazetteer=gaz).data
    presence = claims.read_claims(
        kind="presence", source=settings.PRESENCE_PATH, provinces=provinces
    ).data
    frame = views.layer_frame("events", events=loaded, presence=presence, provinces=provinces)
    blob = encode_events(frame, province_codes=list(provinces["province_code"]), district_ids=[])
    titles = decode_events(blob)["dicts"]["title"] + decode_events(blob)["dicts"]["actor1"]
    assert any('<img src=x onerror="window.__xss=1">' in t for t in titles), titles[:5]


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
    ("path", "label", "read", "converted", "rejected", "skipped"),
    [
        (ACLED, "ACLED", 14, 8, ACLED_REJECTED, ""),
        (
            UCDP, "UCDP GED", 12, 6, UCDP_REJECTED,
            ", 1 row of other countries skipped (by country: Pakistan 1)",
        ),
    ],
)  # fmt: skip
def test_cli_import_auto_summary_and_rejection_report(
    tmp_path, capsys, path, label, read, converted, rejected, skipped
):
    out = tmp_path / "imported.csv"
    assert cli.main(["import", str(path), "-o", str(out), "--format", "auto", "--quiet"]) == 0
    report = tmp_path / "imported.rejected.csv"
    assert capsys.readouterr().out.splitlines() == [
        f"{label} {path.name}: {read} rows read, {converted} converted, {len(rejected)} rejected"
        + skipped,
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


# --- the stances beside the output -------------------------------------------------
def _shipped_copy(folder: Path) -> Path:
    for name in ("events.csv", "presence.csv", "stances.csv"):
        shutil.copy(settings.DATA_DIR / name, folder / name)
    return folder / "events.csv"


@pytest.mark.realdata
def test_an_import_beside_stances_gives_each_row_the_dataset_s_stance(
    tmp_path, capsys, gaz, provinces
):
    out = _shipped_copy(tmp_path)
    kw = {"provinces": provinces, "gazetteer": gaz}
    shipped = claims.read_stances((tmp_path / "stances.csv").read_bytes(), "s.csv").stances
    summary = importers.import_file(ACLED, out, **kw)
    assert (summary.stances, summary.stance_rows) == (tmp_path / "stances.csv", 8)
    assert "stances.csv: 8 stances from the dataset written" in str(summary)
    stances = claims.read_stances((tmp_path / "stances.csv").read_bytes(), "s.csv").stances
    mine = stances[stances["claim_id"].str.startswith("acled:")]
    assert len(stances) == len(shipped) + 8 and len(mine) == 8
    assert set(mine["party"]) == {"ACLED"} and set(mine["stance"]) == {"claims"}
    # Reported on ACLED's timestamp of the row (its source's published date).
    assert mine["reported"].min() > pd.Timestamp("2022-01-01")
    assert cli.main(["validate", str(out), str(tmp_path / "presence.csv")]) == 0
    assert "no problems" in capsys.readouterr().out
    # A re-import replaces the stances of the rows it updates: no duplicates.
    importers.import_file(ACLED, out, **kw)
    again = claims.read_stances((tmp_path / "stances.csv").read_bytes(), "s.csv").stances
    assert len(again) == len(stances)
    # --replace: the removed rows leave every stance (a blanket denial keeps the
    # presence rows it also addresses), and validate stays clean.
    importers.import_file(UCDP, out, replace=True, **kw)
    left = claims.read_stances((tmp_path / "stances.csv").read_bytes(), "s.csv").stances
    assert not left["claim_id"].str.startswith(("seed-", "acled:")).any()
    assert left["claim_id"].str.startswith("pres-").any()
    assert cli.main(["validate", str(out), str(tmp_path / "presence.csv")]) == 0


def test_an_import_without_stances_beside_writes_none(tmp_path, gaz, provinces):
    summary = importers.import_file(ACLED, tmp_path / "events.csv", provinces=provinces,
                                    gazetteer=gaz)  # fmt: skip
    assert summary.stances is None and not (tmp_path / "stances.csv").exists()
    assert "stances from the dataset" not in str(summary)


def test_a_broken_stances_file_beside_stops_the_import_before_any_write(
    tmp_path, gaz, provinces, write_text
):
    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    before = out.read_bytes()
    broken = write_text("stances.csv", "stance_id,party\nst-1,NRF\n")
    with pytest.raises(ImportFormatError, match=r"stances.csv: the stances file beside the "
                       r"output lacks the column\(s\) addresses, stance, reported"):  # fmt: skip
        importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    assert out.read_bytes() == before and broken.read_text() == "stance_id,party\nst-1,NRF\n"


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
    seen: list[tuple[str, int, int]] = []
    importers.import_file(
        ACLED,
        tmp_path / "e.csv",
        provinces=provinces,
        gazetteer=gaz,
        progress=lambda *tick: seen.append(tick),
    )
    size = ACLED.stat().st_size
    assert list(dict.fromkeys(stage for stage, _, _ in seen)) == list(importers.IMPORT_STAGES)
    assert {total for _, _, total in seen} == {size} and seen[-1] == ("write", size, size)
    done = [d for _, d, _ in seen]
    assert done == sorted(done)


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
        result = next((h for h in header if h.startswith("→")), None)
        if result is None:  # a table of figures, not a mapping
            continue
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


# --- malformed exports, case by case: a clear message, no row lost ------------------------
def _acled_with(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    text = ACLED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "acled.csv"
    path.write_text(text.replace(old, new, count), encoding="utf-8", newline="")
    return path


def _import(path: Path, tmp_path: Path, gaz, provinces) -> tuple[importers.ImportSummary, dict]:
    summary = importers.import_file(path, tmp_path / "out.csv", provinces=provinces, gazetteer=gaz)
    assert summary.rows_read == summary.converted + summary.rejected  # no row lost
    report = dict((line, reason) for line, _id, reason in _report(summary.report))
    assert len(report) == summary.rejected
    claims.read_claims(tmp_path / "out.csv", kind="events", provinces=provinces, gazetteer=gaz)
    return summary, report


FIRST_NOTE = "On 12 May 2022, NRF fighters clashed"


@pytest.mark.realdata
def test_a_lone_cr_inside_a_quoted_value_is_a_line_break(tmp_path, gaz, provinces):
    path = _acled_with(tmp_path, "NRF fighters clashed", "NRF fighters\rclashed")
    summary, report = _import(path, tmp_path, gaz, provinces)
    assert (summary.rows_read, summary.converted) == (14, 8)
    assert min(report) == 8  # the row after the CR starts a line later
    notes = claims.read_claims(tmp_path / "out.csv", kind="events", gazetteer=gaz).data["notes"]
    assert notes.str.contains("NRF fighters\nclashed", regex=False).sum() == 1


@pytest.mark.realdata
def test_cr_only_line_endings_import_like_any_other(tmp_path, gaz, provinces):
    path = tmp_path / "acled.csv"
    path.write_bytes(ACLED.read_bytes().replace(b"\n", b"\r"))
    summary, report = _import(path, tmp_path, gaz, provinces)
    assert (summary.rows_read, summary.converted, sorted(report)) == (
        14,
        8,
        [line for line, _id, _reason in ACLED_REJECTED],
    )


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (FIRST_NOTE, "x" * 200_000, "notes: a value of 200,062 characters; at most 131,072 are "
         "read (is this the right file?)"),
        (",5,,1653000000", ",99999999999999999999999,,1653000000", "fatalities: found "
         "'99999999999999999999999'; expected at most 1,000,000"),
        (",5,,1653000000", ",٥,,1653000000", "fatalities: found '٥'; expected a whole number"),
        ("35.31292,69.51519,1,", "35.31292,inf,1,", "latitude/longitude (lat 35.31292, lon inf) "
         "are not two numbers"),
        ("AFG1001,2022-05-12,2022", "AFG1001,1700-05-12,1700", "date_start: found '1700-05-12'; "
         "expected a date on or after 1900-01-01"),
    ],
    ids=["huge-field", "huge-fatalities", "arabic-digits", "inf", "before-1900"],
)  # fmt: skip
def test_values_a_program_cannot_hold_reject_their_row_with_the_reason(
    tmp_path, gaz, provinces, old, new, reason
):
    summary, report = _import(_acled_with(tmp_path, old, new), tmp_path, gaz, provinces)
    assert (summary.rows_read, summary.converted, summary.rejected) == (14, 7, 7)
    assert reason in report[2]


@pytest.mark.realdata
def test_template_syntax_and_formulas_are_kept_as_text_and_escaped_in_the_output(
    tmp_path, gaz, provinces
):
    path = _acled_with(tmp_path, FIRST_NOTE, "=HYPERLINK(x) {% broken end {{ 7*7 }}")
    path.write_text(path.read_text().replace("Afghanistan International,", "@cmd,", 1))
    summary, _ = _import(path, tmp_path, gaz, provinces)
    assert summary.converted == 8
    raw = (tmp_path / "out.csv").read_text(encoding="utf-8")
    cells = [c for row in csv.reader(io.StringIO(raw, newline="")) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "@", "+") or c.startswith("-=")]
    data = claims.read_claims(tmp_path / "out.csv", kind="events", gazetteer=gaz).data
    first = data.set_index("event_id").loc["acled:AFG1001"]
    assert first["notes"].startswith("=HYPERLINK(x) {% broken end {{ 7*7 }}")
    assert first["sources"][0]["outlet"] == "@cmd"


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("header", r"acled\.csv: nothing to import: it has a header but no rows\. .*out\.csv was "
         r"not changed"),
        ("cut", r"acled\.csv: nothing to import: none of its 1 row\(s\) could be converted; each "
         r"is listed with its line and the reason in .*out\.rejected\.csv"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("source", [ACLED, UCDP], ids=["acled", "ucdp"])
def test_a_file_with_no_complete_row_is_nothing_to_import(tmp_path, capsys, text, message, source):
    header, first = source.read_text(encoding="utf-8").splitlines()[:2]
    path = tmp_path / "acled.csv"
    path.write_text(header + "\n" + (first[:60] if text == "cut" else ""), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli.main(["import", str(path), "-o", str(out), "--quiet"]) == 1
    assert re.search(message, capsys.readouterr().err) and not out.exists()
    reported = _report(tmp_path / "out.rejected.csv")
    assert [line for line, _, _ in reported] == ([2] if text == "cut" else [])
    if text == "cut":
        width = len(header.split(","))
        fields = len(first[:60].split(","))
        assert (
            f"the file ends in the middle of this row ({fields} of {width} fields)"
            in (reported[0][2])
        )


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: (p.mkdir(), p)[1], r"cannot read import file .*: it is a folder"),
        (lambda p: (os.mkfifo(p), p)[1], r"cannot read import file .*: it is a FIFO"),
        (lambda p: (os.symlink(p, p), p)[1], r"a symbolic link that points back to itself"),
        (lambda p: Path("/dev/zero"), r"cannot read import file /dev/zero: it is a device"),
        (lambda p: Path("/etc/passwd"), r"cannot recognise the format of /etc/passwd from its "
         r"header: .* found 1 column, not column names\."),
        (
            lambda p: (p.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n"), p)[1],
            r"acled\.csv, line 1: the header has 20,000 columns; at most 500 are read",
        ),
    ],
    ids=["folder", "fifo", "symlink-loop", "dev-zero", "passwd", "wide-header"],
)  # fmt: skip
def test_cli_import_refuses_what_it_cannot_read(tmp_path, capsys, make, message):
    path = make(tmp_path / "acled.csv")
    assert cli.main(["import", str(path), "-o", str(tmp_path / "out.csv"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err) and "root:" not in err


@pytest.mark.realdata
def test_cli_import_into_a_read_only_folder_is_a_clear_error(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    out = folder / "out.csv" if not os.access(folder, os.W_OK) else Path("/sys/out.csv")
    assert cli.main(["import", str(ACLED), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err  # root may pass the early check: the first write fails
    assert re.search(rf"^error: cannot write {out.parent}/out(\.rejected)?\.csv.*(not writable|"
                     "denied)", err), err  # fmt: skip


# --- reading in chunks, converting in batches: the whole-file result, byte for byte -----
def _import_bytes(path, out, gaz, provinces, **sizes) -> tuple[bytes, bytes, tuple]:
    summary = importers.import_file(
        path, out, replace=True, provinces=provinces, gazetteer=gaz, **sizes
    )
    figures = (summary.rows_read, summary.converted, summary.rejected, summary.others)
    return out.read_bytes(), importers.report_path(out).read_bytes(), figures


WHOLE = {"chunk_rows": 1 << 62, "batch_rows": 1 << 62}


@pytest.mark.realdata
@pytest.mark.parametrize("path", [ACLED, UCDP], ids=["acled", "ucdp"])
@pytest.mark.parametrize(("chunk_rows", "batch_rows"), [(1, 1), (2, 3), (5, 2)])
def test_fixtures_import_the_same_in_chunks_as_whole(
    tmp_path, gaz, provinces, path, chunk_rows, batch_rows
):
    whole = _import_bytes(path, tmp_path / "whole.csv", gaz, provinces, **WHOLE)
    sizes = {"chunk_rows": chunk_rows, "batch_rows": batch_rows}
    assert _import_bytes(path, tmp_path / "chunked.csv", gaz, provinces, **sizes) == whole


@pytest.mark.realdata
@pytest.mark.parametrize(("chunk_rows", "batch_rows"), [(97, 40), (1000, 300)])
def test_a_generated_global_export_imports_the_same_in_chunks_as_whole(
    tmp_path, gaz, provinces, global_acled, chunk_rows, batch_rows
):
    whole = _import_bytes(global_acled, tmp_path / "whole.csv", gaz, provinces, **WHOLE)
    sizes = {"chunk_rows": chunk_rows, "batch_rows": batch_rows}
    chunked = _import_bytes(global_acled, tmp_path / "chunked.csv", gaz, provinces, **sizes)
    assert chunked == whole
    read, converted, rejected, others = whole[2]
    with global_acled.open(encoding="utf-8", newline="") as fh:
        records = sum(1 for _ in csv.reader(fh)) - 1
    assert read == records == converted + rejected + others.total()  # no row lost
    assert converted > 800 and others.total() > 1900 and rejected >= 12
    reasons = _report(importers.report_path(tmp_path / "whole.csv"))
    assert any("duplicate event_id_cnty" in reason for _, _, reason in reasons)
    assert any("look swapped" in reason for _, _, reason in reasons)


@pytest.mark.realdata
def test_rows_of_other_countries_are_counted_in_the_summary(tmp_path, gaz, provinces):
    summary = importers.import_file(UCDP, tmp_path / "e.csv", provinces=provinces, gazetteer=gaz)
    assert summary.others == {"Pakistan": 1}
    assert summary.rows_read == summary.converted + summary.rejected + 1
    assert "507" not in {sid for _, sid, _ in _report(summary.report)}
    assert (
        str(summary)
        .splitlines()[0]
        .endswith(", 1 row of other countries skipped (by country: Pakistan 1)")
    )


def test_a_file_of_other_countries_only_is_nothing_to_import(tmp_path, write_text):
    lines = ACLED.read_text(encoding="utf-8").splitlines()[:4]
    text = "\n".join(lines).replace("Afghanistan,", "Pakistan,") + "\n"
    path = write_text("pak.csv", text)
    with pytest.raises(
        ImportFormatError,
        match=r"pak.csv: nothing to import: all its rows are of other countries: 3 rows of "
        r"other countries skipped \(by country: Pakistan 3\)\. .*e.csv was not changed",
    ):
        importers.import_file(path, tmp_path / "e.csv")
    assert _report(tmp_path / "e.rejected.csv") == []


def test_the_summary_lists_the_largest_countries_first():
    others = importers.others_text(
        Counter({"Pakistan": 400_000, "India": 300_000, "Syria": 5, "Iraq": 5}), limit=3
    )
    assert others == (
        "700,010 rows of other countries skipped (by country: Pakistan 400,000, India "
        "300,000, Iraq 5 and 1 more)"
    )
