"""Tests for geo/importers.py and `cli.py import`: ACLED and UCDP GED -> events CSV.

The fixtures in tests/fixtures/ are small hand-written files with the real column sets
in the real order, and awkward rows: province-only precision, unknown places, other
spellings (Panjsher, Hilmand, Sari Pul, Maidan Wardak), swapped coordinates, a point
in the wrong province or outside Afghanistan, missing fatalities, an HTML payload, a
quoted newline, both ACLED date formats, and a last row cut off by a truncated file.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cli
from geo import claims, importers, settings, views
from geo.errors import ImportFormatError
from geo.gazetteer import Gazetteer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ACLED = FIXTURES / "acled" / "acled_afghanistan.csv"
UCDP = FIXTURES / "ucdp" / "ged_afghanistan.csv"
XSS = '<img src=x onerror="window.__xss=1">'
CUT = "it was cut off (an interrupted download or copy?); get the complete file"

ACLED_REJECTED = [
    (
        7,
        "AFG1006",
        "latitude and longitude look swapped: (lat 69.51519, lon 35.31292) lies outside "
        "Afghanistan, but exchanged it falls in Panjshir (AF-PAN); correct the file and "
        "import it again",
    ),
    (
        8,
        "AFG1007",
        "province 'Narnia' is not one of the 34 provinces (in any spelling the gazetteer knows)",
    ),
    (
        9,
        "AFG1008",
        "coordinates (lat 35.31292, lon 69.51519) fall in Panjshir (AF-PAN), not in the "
        "province named, 'Kabul' (AF-KAB)",
    ),
    (10, "AFG1009", "coordinates (lat 34.0151, lon 71.5249) are outside Afghanistan"),
    (12, "AFG1011", "event_date: found '31 Febuary 2022'; expected YYYY-MM-DD or '12 May 2022'"),
    # Line 14 holds a quoted newline, so the cut-off row starts on line 16.
    (16, "AFG1014", f"the file ends in the middle of this row (19 of 31 fields): {CUT}"),
]
UCDP_REJECTED = [
    (
        6,
        "505",
        "latitude and longitude look swapped: (lat 69.51519, lon 35.31292) lies outside "
        "Afghanistan, but exchanged it falls in Panjshir (AF-PAN); correct the file and "
        "import it again",
    ),
    (
        7,
        "506",
        "province 'Gondor' is not one of the 34 provinces (in any spelling the gazetteer knows)",
    ),
    (
        8,
        "507",
        "country is 'Pakistan', not Afghanistan: this project maps Afghanistan only; "
        "province 'Khyber Pakhtunkhwa' is not one of the 34 provinces (in any spelling the "
        "gazetteer knows); coordinates (lat 34.0151, lon 71.5249) are outside Afghanistan",
    ),
    (10, "501", "duplicate id '501' (first on line 2)"),
    (
        12,
        "511",
        "type_of_violence: found '9'; expected 1 (state-based), 2 (non-state) or 3 (one-sided)",
    ),
    (13, "512", f"the file ends inside a quoted value of this row (23 of 47 fields): {CUT}"),
]


@pytest.fixture(scope="module")
def gaz(districts) -> Gazetteer:
    """The project gazetteer with the installed districts (skips without them)."""
    return Gazetteer.load()


@pytest.fixture(scope="module")
def acled(gaz, provinces) -> importers.Conversion:
    return importers.convert_file(ACLED, provinces=provinces, gazetteer=gaz)


@pytest.fixture(scope="module")
def ucdp(gaz, provinces) -> importers.Conversion:
    return importers.convert_file(UCDP, provinces=provinces, gazetteer=gaz)


def _rejections(conv: importers.Conversion) -> list[tuple[int, str, str]]:
    rows = conv.rejected[["line", "source_id", "reason"]].itertuples(index=False)
    return [(int(line), str(sid), str(reason)) for line, sid, reason in rows]


def _row(conv: importers.Conversion, event_id: str) -> dict[str, str]:
    hit = conv.events[conv.events["event_id"] == event_id]
    assert len(hit) == 1, event_id
    return hit.iloc[0].to_dict()


# --- the fixtures' columns are the real ones -----------------------------------------------
@pytest.mark.parametrize(
    ("path", "columns"), [(ACLED, importers.ACLED_COLUMNS), (UCDP, importers.UCDP_COLUMNS)]
)
def test_fixtures_have_the_real_columns_in_order(path, columns):
    with path.open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == columns


def test_mapping_tables_use_the_project_vocabularies():
    types = {*importers.ACLED_EVENT_TYPES.values(), *importers.ACLED_SUB_EVENT_TYPES.values()}
    assert types | set(importers.UCDP_VIOLENCE_TYPES.values()) <= set(settings.EVENT_TYPES)
    precisions = {*importers.ACLED_GEO_PRECISION.values(), *importers.UCDP_WHERE_PREC.values()}
    assert precisions == set(settings.LOCATION_PRECISIONS)
    dates = {*importers.ACLED_TIME_PRECISION.values(), *importers.UCDP_DATE_PREC.values()}
    assert dates == set(settings.DATE_PRECISIONS)


# --- ACLED ----------------------------------------------------------------------------------
@pytest.mark.realdata
def test_acled_rejects_exactly_the_bad_rows_with_their_reasons(acled):
    assert acled.fmt == "acled"
    assert acled.rows_read == 14
    assert _rejections(acled) == ACLED_REJECTED
    assert len(acled.events) == 14 - len(ACLED_REJECTED)
    assert list(acled.events.columns) == list(settings.EVENT_COLUMNS)


@pytest.mark.realdata
def test_acled_exact_place_keeps_its_coordinates(acled):
    row = _row(acled, "acled:AFG1001")
    assert (row["longitude"], row["latitude"], row["location_precision"]) == (
        "69.51519",
        "35.31292",
        "1",
    )
    assert (row["location_name"], row["province_code"], row["district"]) == (
        "Bazarak",
        "AF-PAN",
        "Bazarak",
    )
    assert (row["date_start"], row["date_end"], row["date_precision"]) == ("2022-05-12", "", "day")
    assert (row["event_type"], row["claim_status"], row["claimed_by"]) == (
        "clash",
        "claimed",
        "ACLED",
    )
    assert (row["fatalities"], row["fatalities_claimed_by"]) == ("5", "ACLED (reported figure)")
    source = json.loads(row["sources"])
    assert source == [
        {
            "file": "acled_afghanistan.csv",
            "outlet": "Afghanistan International",
            "title": "ACLED AFG1001: Armed clash",
            "quote": "On 12 May 2022, NRF fighters clashed with Taliban forces in Bazarak; NRF "
            "claimed 5 Taliban killed.",
            "original_id": "AFG1001",
        }
    ]


@pytest.mark.realdata
def test_acled_near_a_town_is_district_precision_without_coordinates(acled):
    row = _row(acled, "acled:AFG1002")  # "Panjsher", geo_precision 2, "14 May 2022", week
    assert (row["province_code"], row["district"], row["location_precision"]) == (
        "AF-PAN",
        "Dara",
        "2",
    )
    assert (row["longitude"], row["latitude"]) == ("", "")
    assert "ACLED's point (lat 35.21585, lon 69.7667) is kept here only" in row["location_basis"]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        "2022-05-11",
        "2022-05-17",
        "week",
    )


@pytest.mark.realdata
def test_acled_province_only_and_month_precision(acled):
    row = _row(acled, "acled:AFG1003")  # "Hilmand", geo_precision 3, time_precision 3
    assert (row["location_name"], row["province_code"], row["district"]) == (
        "Helmand",
        "AF-HEL",
        "",
    )
    assert (row["longitude"], row["latitude"], row["location_precision"]) == ("", "", "3")
    assert "'Lashkar Gah'; only the province is known" in row["location_basis"]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        "2022-06-01",
        "2022-06-30",
        "month",
    )
    assert "event_date is a coded mid-month day, not a real day" in row["date_basis"]
    assert row["event_type"] == "attack"


@pytest.mark.realdata
def test_acled_spellings_missing_fatalities_and_html_payload(acled):
    sari_pul = _row(acled, "acled:AFG1004")
    assert sari_pul["province_code"] == "AF-SAR"
    assert (sari_pul["fatalities"], sari_pul["fatalities_claimed_by"]) == ("", "")
    wardak = _row(acled, "acled:AFG1005")
    assert (wardak["province_code"], wardak["district"]) == ("AF-WAR", "Maydan Shahr")
    assert XSS in wardak["notes"]  # carried as text, verbatim
    assert XSS in json.loads(wardak["sources"])[0]["quote"]
    assert wardak["event_type"] == "strategic_development"


@pytest.mark.realdata
def test_acled_unknown_village_is_named_by_its_district_and_keeps_its_point(acled):
    row = _row(acled, "acled:AFG1010")
    assert (row["location_name"], row["district"], row["location_precision"]) == (
        "Andarab",
        "Andarab",
        "1",
    )
    assert (row["longitude"], row["latitude"]) == ("69.26019", "35.63348")
    assert (
        "the gazetteer does not know 'Qarya-e Nowhere', so the row is named by its district"
        in (row["location_basis"])
    )


@pytest.mark.realdata
def test_acled_near_a_town_in_an_unknown_district_falls_back_to_the_province(acled):
    row = _row(acled, "acled:AFG1012")
    assert (row["location_name"], row["district"], row["location_precision"]) == (
        "Baghlan",
        "",
        "3",
    )
    assert (
        "admin2 'Nowhere' is not a district the gazetteer knows in Baghlan" in row["location_basis"]
    )


@pytest.mark.realdata
def test_acled_long_notes_are_kept_whole_and_quoted_in_300_characters(acled):
    row = _row(acled, "acled:AFG1013")
    assert "\nLocal sources said" in row["notes"] and "could not be verified." in row["notes"]
    quote = json.loads(row["sources"])[0]["quote"]
    assert len(quote) <= settings.SOURCE_QUOTE_MAX and quote.endswith("…")
    assert row["notes"].startswith(quote[:-1])
    assert json.loads(row["sources"])[0]["outlet"] == "Afghanistan International; Hasht-e Subh"


# --- UCDP GED -------------------------------------------------------------------------------
@pytest.mark.realdata
def test_ucdp_rejects_exactly_the_bad_rows_with_their_reasons(ucdp):
    assert ucdp.fmt == "ucdp"
    assert ucdp.rows_read == 12
    assert _rejections(ucdp) == UCDP_REJECTED
    assert sorted(ucdp.events["event_id"]) == [
        "ucdp:501",
        "ucdp:502",
        "ucdp:503",
        "ucdp:504",
        "ucdp:508",
        "ucdp:510",
    ]


@pytest.mark.realdata
def test_ucdp_precision_codes_and_sources(ucdp):
    exact = _row(ucdp, "ucdp:501")  # "Panjsher province", "Bazarak town", 2 sources
    assert (exact["location_name"], exact["province_code"], exact["district"]) == (
        "Bazarak",
        "AF-PAN",
        "Bazarak",
    )
    assert (exact["longitude"], exact["latitude"], exact["claim_status"]) == (
        "69.51519",
        "35.31292",
        "corroborated",
    )
    assert (exact["fatalities"], exact["fatalities_claimed_by"]) == ("3", "UCDP GED best estimate")
    assert "best 3 (low 2, high 5)" in exact["notes"]
    assert json.loads(exact["sources"]) == [
        {
            "file": "ged_afghanistan.csv",
            "outlet": "Pajhwok Afghan News 2022-05-13",
            "title": "Taliban say fighters killed in Panjshir",
            "quote": "Taliban spokesman",
            "original_id": "501",
            "cites": "Taliban spokesman",
            "published": "2022-05-12",
        }
    ]
    centroid = _row(ucdp, "ucdp:502")  # where_prec 3, date_prec 2
    assert (centroid["district"], centroid["location_precision"], centroid["longitude"]) == (
        "Dara",
        "2",
        "",
    )
    assert (centroid["date_start"], centroid["date_end"], centroid["date_precision"]) == (
        "2022-05-10",
        "2022-05-13",
        "range",
    )
    province = _row(ucdp, "ucdp:503")  # "Hilmand province", where_prec 4, date_prec 4
    assert (province["province_code"], province["location_precision"], province["latitude"]) == (
        "AF-HEL",
        "3",
        "",
    )
    assert (province["date_start"], province["date_end"], province["date_precision"]) == (
        "2022-06-01",
        "2022-06-30",
        "month",
    )
    country = _row(ucdp, "ucdp:504")  # where_prec 6, date_prec 5, one-sided violence
    assert (country["location_name"], country["province_code"], country["location_precision"]) == (
        "Afghanistan",
        "",
        "4",
    )
    assert (country["date_precision"], country["event_type"]) == (
        "range",
        "violence_against_civilians",
    )


@pytest.mark.realdata
def test_ucdp_spellings_missing_best_and_misfit_week(ucdp):
    sari_pul = _row(ucdp, "ucdp:508")  # "Sari Pul province", where_prec 2, best empty
    assert (sari_pul["province_code"], sari_pul["district"], sari_pul["location_precision"]) == (
        "AF-SAR",
        "Sayyad",
        "2",
    )
    assert (sari_pul["fatalities"], sari_pul["fatalities_claimed_by"]) == ("", "")
    wardak = _row(ucdp, "ucdp:510")  # "Maidan Wardak province"; date_prec 3 over 10 days
    assert wardak["province_code"] == "AF-WAR"
    assert (wardak["date_precision"], wardak["date_end"]) == ("range", "2022-05-10")
    assert "the dates do not fit that precision" in wardak["date_basis"]
    assert XSS in json.loads(wardak["sources"])[0]["title"]


@pytest.mark.realdata
def test_without_districts_district_precision_falls_back_to_the_province(provinces):
    gaz = Gazetteer.load(districts_path=None)
    conv = importers.convert_file(UCDP, provinces=provinces, gazetteer=gaz)
    row = _row(conv, "ucdp:502")
    assert (row["location_precision"], row["district"], row["location_name"]) == (
        "3",
        "",
        "Panjshir",
    )
    assert "adm_2 'Dara' is not a district the gazetteer knows in Panjshir" in row["location_basis"]


# --- output validity and HTML ----------------------------------------------------------------
@pytest.mark.realdata
def test_imported_files_pass_read_events(tmp_path, gaz, provinces):
    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    result = claims.read_events(out, provinces=provinces, gazetteer=gaz)  # raises on a problem
    assert len(result.data) == 14
    assert out.read_bytes()[:3] != b"\xef\xbb\xbf"


@pytest.mark.realdata
def test_html_payload_is_escaped_in_the_map_popups(tmp_path, gaz, provinces):
    from layers import events as event_layer

    out = tmp_path / "events.csv"
    importers.import_file(ACLED, out, provinces=provinces, gazetteer=gaz)
    importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    loaded = claims.read_events(out, provinces=provinces, gazetteer=gaz).data
    presence = claims.read_presence(settings.PRESENCE_PATH, provinces=provinces).data
    frame = views.layer_frame("events", events=loaded, presence=presence, provinces=provinces)
    html = "".join(event_layer.event_popups(frame))
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in html


# --- reading ----------------------------------------------------------------------------------
def test_read_table_counts_lines_through_quoted_newlines_and_blank_lines(write_text):
    path = write_text("t.csv", 'a,b\n1,"x\ny"\n\n2,z\n3\n4,w,extra\n')
    header, rows, broken = importers.read_table(path)
    assert header == ["a", "b"]
    assert rows.index.tolist() == [2, 5]
    assert rows["b"].tolist() == ["x\ny", "z"]
    assert broken[["line", "reason"]].values.tolist() == [
        [6, "the row has 1 fields; expected 2, one per header column"],
        [7, "the row has 3 fields; expected 2, one per header column"],
    ]


def test_read_table_accepts_a_bom_and_a_complete_last_row_without_line_break(write_text):
    path = write_text("t.csv", "\ufeffa,b\n1,2")
    header, rows, broken = importers.read_table(path)
    assert header == ["a", "b"] and rows.values.tolist() == [["1", "2"]] and broken.empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"is empty; expected a CSV with a header row"),
        ("a,b\n\xff", r"is not UTF-8 text \(byte 0xff on line 2\)"),
        ("a,a\n1,2\n", r"the header repeats the column\(s\) \['a'\]"),
    ],
)
def test_read_table_errors(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ImportFormatError, match=message):
        importers.read_table(path)


# --- format detection ---------------------------------------------------------------------------
def test_detect_format_recognises_both_headers():
    assert importers.detect_format(importers.ACLED_COLUMNS) == "acled"
    assert importers.detect_format(importers.UCDP_COLUMNS) == "ucdp"


def test_detect_format_names_the_columns_it_looked_for():
    with pytest.raises(ImportFormatError, match=r"looked for the ACLED columns event_id_cnty, "
                       r"event_date, time_precision, geo_precision, admin1 or the UCDP GED "
                       r"columns type_of_violence, side_a, where_prec, date_prec, adm_1; "
                       r"found date, place, lat, lon\. Give the format"):  # fmt: skip
        importers.detect_format(["date", "place", "lat", "lon"], name="x.csv")


def test_wrong_format_names_the_missing_columns(tmp_path):
    with pytest.raises(ImportFormatError, match=r"is not in ACLED format: its header lacks "
                       r"event_id_cnty, event_date, time_precision"):  # fmt: skip
        importers.convert_file(UCDP, fmt="acled")
    with pytest.raises(ValueError, match=r"fmt must be one of auto, acled, ucdp; not 'gdelt'"):
        importers.convert_file(UCDP, fmt="gdelt")


# --- the command line: summary, report, merge ---------------------------------------------------
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
    claims.read_events(out)  # the output passes validation


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
                       r"\(its header is a, b\.\.\.\); choose another output file, or pass "
                       r"--replace"):  # fmt: skip
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

    real = pd.DataFrame.to_csv
    calls: list[int] = []

    def cut_short(self, buf=None, *args, **kwargs):
        if isinstance(buf, io.StringIO):  # the in-memory validation pass
            return real(self, buf, *args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # the rejection report is written first
            return real(self, buf, *args, **kwargs)
        buf.write("event_id,date_start\nucdp:501,2022")  # half a file, then the disk fills
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", cut_short)
    with pytest.raises(OSError, match="disk full"):
        importers.import_file(UCDP, out, provinces=provinces, gazetteer=gaz)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "events.rejected.csv"]


def test_readme_documents_the_mapping_tables():
    readme = (settings.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Import: ACLED and UCDP GED", 1)[1].split("\n## ", 1)[0]
    for name in [*importers.ACLED_EVENT_TYPES, *importers.ACLED_SUB_EVENT_TYPES]:
        assert name in section, name
    for meaning in [*importers.UCDP_WHERE_MEANING.values(), *importers.UCDP_DATE_MEANING.values()]:
        assert meaning.split(",")[0].split(" ")[-1] in section, meaning
    for event_type in {*importers.ACLED_EVENT_TYPES.values()}:
        assert f"| {event_type} |" in section, event_type
