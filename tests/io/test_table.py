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
