"""Tests for geo/import_table.py: reading an ACLED or UCDP GED export and its format."""

from __future__ import annotations

import pytest

from geo.errors import ImportFormatError
from geo.io import _table, acled, ucdp


# --- reading ------------------------------------------------------------------------
def test_read_table_counts_lines_through_quoted_newlines_and_blank_lines(write_text):
    path = write_text("t.csv", 'a,b\n1,"x\ny"\n\n2,z\n3\n4,w,extra\n')
    header, rows, broken = _table.read_table(path)
    assert header == ["a", "b"]
    assert rows.index.tolist() == [2, 5]
    assert rows["b"].tolist() == ["x\ny", "z"]
    assert broken[["line", "reason"]].values.tolist() == [
        [6, "the row has 1 fields; expected 2, one per header column"],
        [7, "the row has 3 fields; expected 2, one per header column"],
    ]


def test_read_table_accepts_a_bom_and_a_complete_last_row_without_line_break(write_text):
    path = write_text("t.csv", "\ufeffa,b\n1,2")
    header, rows, broken = _table.read_table(path)
    assert header == ["a", "b"] and rows.values.tolist() == [["1", "2"]] and broken.empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"is empty; expected a header row"),
        ("a,b\n\xff", r"is not valid UTF-8: byte 0xff at byte offset 4 \(line 2\)"),
        ("a,a\n1,2\n", r"the header repeats the column\(s\) \['a'\]"),
    ],
)
def test_read_table_errors(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ImportFormatError, match=message):
        _table.read_table(path)


# --- format detection ---------------------------------------------------------------
def test_detect_format_recognises_both_headers():
    assert _table.detect_format(acled.ACLED_COLUMNS) == "acled"
    assert _table.detect_format(ucdp.UCDP_COLUMNS) == "ucdp"


def test_detect_format_names_the_columns_it_looked_for():
    with pytest.raises(ImportFormatError, match=r"looked for the ACLED columns event_id_cnty, "
                       r"event_date, time_precision, geo_precision, admin1 or the UCDP GED "
                       r"columns type_of_violence, side_a, where_prec, date_prec, adm_1; "
                       r"found 4 columns: date, place, lat, lon\. Give the format"):  # fmt: skip
        _table.detect_format(["date", "place", "lat", "lon"], name="x.csv")


# --- malformed rows: set aside with the reason, nothing lost, linear in width ----------
@pytest.mark.timeout(30)
def test_a_row_wider_than_the_header_keeps_its_extra_fields_in_one_cell(write_text):
    wide = ",".join(["9", "w", *(f"x{i}" for i in range(20_000))])
    path = write_text("t.csv", f'a,b\n1,2\n{wide}\n3,"p\nq"\n')
    _header, rows, broken = _table.read_table(path)
    assert rows.index.tolist() == [2, 4] and rows["b"].tolist() == ["2", "p\nq"]
    assert broken.columns.tolist() == ["line", "reason", "a", "b", "extra_fields"]
    row = broken.iloc[0]
    assert (row["line"], row["a"], row["b"]) == (3, "9", "w")
    assert row["reason"] == "the row has 20002 fields; expected 2, one per header column"
    assert row["extra_fields"].split(",") == [f"x{i}" for i in range(20_000)]


def test_a_value_over_the_limit_sets_its_row_aside_naming_the_column(write_text):
    path = write_text("t.csv", "a,notes\n1," + "y" * 131_073 + "\n2,ok\n")
    _header, rows, broken = _table.read_table(path)
    assert rows.index.tolist() == [3]
    assert broken[["line", "reason"]].values.tolist() == [
        [2, "notes: a value of 131,073 characters; at most 131,072 are read (is this the right "
         "file?)"]
    ]  # fmt: skip
    assert len(broken["notes"].iloc[0]) == 131_073  # kept for the report


def test_a_file_cut_inside_quotes_sets_its_last_row_aside(write_text):
    path = write_text("t.csv", 'a,b\n1,2\n3,"cut off')
    _header, rows, broken = _table.read_table(path)
    assert rows.index.tolist() == [2]
    assert broken["reason"].tolist() == [
        "the file ends inside a quoted value of this row (2 of 2 fields): it was cut off (an "
        "interrupted download or copy?); get the complete file"
    ]


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_line_breaks_in_values_read_as_line_feeds(write_text, ending):
    path = write_text("t.csv", ending.join(["a,b", '1,"x\ry\r\nz"', "2,w", ""]))
    _header, rows, broken = _table.read_table(path)
    assert rows["b"].tolist() == ["x\ny\nz", "w"] and broken.empty
    assert rows.index.tolist() == [2, 5]
