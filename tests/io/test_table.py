"""Tests for geo/io/_table.py: reading an ACLED or UCDP GED export in chunks, its format."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from geo import _csv, _files
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


# --- reading in chunks: the same records and lines, whatever the boundaries ------------
_AWKWARD = (
    "\ufeffid,country,notes\r\n"
    '1,Afghanistan,"two\nlines"\r\n'
    "\r\n"  # a blank line still counts
    '2,Pakistan,"three\r\nlines\rhere"\n'
    ",,\n"  # a record of blanks is no row, but a line
    '3,afghanistan ,"x"\r'
    '4,Afghanistan,"a quoted ""quote"", a comma"\n'
    "5,India\n"  # too short: set aside
    '6,Afghanistan,"é, 😀 and\n\nblank lines inside"\n'
    "7, Iran ,plain\n"
    "8,,no country\n"
)


def _lines(reader_rows) -> list[int]:
    return [int(x) for x in reader_rows.index]


def _chunked(path, *, block_bytes, rows, country=None):
    with _table.ExportReader(path, block_bytes=block_bytes) as reader:
        chunks = list(reader.chunks(rows, country=country))
    frame = pd.concat([c.rows for c in chunks])
    broken = pd.concat([c.broken for c in chunks], ignore_index=True)
    others = sum((c.others for c in chunks), Counter())
    return reader.header, frame, broken, others, sum(c.records for c in chunks)


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 5, 8, 13, 64, 1 << 22])
@pytest.mark.parametrize("rows", [1, 2, 3, 1000])
def test_chunks_read_what_the_strict_reader_reads_whatever_the_boundaries(
    write_text, block_bytes, rows
):
    path = write_text("t.csv", _AWKWARD)
    records = _csv.read_records(_AWKWARD.removeprefix("\ufeff"), "t.csv", error=ValueError)
    header, frame, broken, others, count = _chunked(path, block_bytes=block_bytes, rows=rows)
    assert header == ["id", "country", "notes"]
    expected = [(line, f) for line, f in records.rows if len(f) == 3]
    assert _lines(frame) == [line for line, _ in expected] == [2, 5, 9, 10, 12, 15, 16]
    assert frame["notes"].tolist() == [f[2].replace("\r\n", "\n").replace("\r", "\n").strip()
                                       for _, f in expected]  # fmt: skip
    assert broken[["line", "id", "country"]].values.tolist() == [[11, "5", "India"]]
    assert count == len(records.rows) == 8 and not others


@pytest.mark.parametrize("block_bytes", [1, 7, 64, 1 << 22])
def test_a_quoted_line_break_straddling_a_chunk_and_a_block_keeps_the_lines_right(
    write_text, block_bytes
):
    # Chunks of one record: every record boundary is a chunk boundary, and the quoted
    # value of record 2 (lines 4-6) is split across blocks of a few bytes.
    broken_lines = ["line\r\n" * (i % 3) for i in range(1, 40)]
    body = "".join(f'{i},Afghanistan,"{text}end"\n' for i, text in enumerate(broken_lines, 1))
    path = write_text("t.csv", "id,country,notes\n" + body)
    _header, frame, broken, _others, count = _chunked(path, block_bytes=block_bytes, rows=1)
    starts, line = [], 2
    for i in range(1, 40):
        starts.append(line)
        line += 1 + i % 3
    assert _lines(frame) == starts and broken.empty and count == 39
    assert frame.loc[starts[1], "notes"] == "line\nline\nend"


@pytest.mark.parametrize("rows", [1, 2, 1000])
@pytest.mark.parametrize("block_bytes", [1, 5, 1 << 22])
def test_rows_of_other_countries_are_counted_not_kept(write_text, rows, block_bytes):
    path = write_text("t.csv", _AWKWARD)
    _header, frame, broken, others, count = _chunked(
        path, block_bytes=block_bytes, rows=rows, country="country"
    )
    assert frame["id"].tolist() == ["1", "3", "4", "6", "8"]  # an empty country is kept
    assert others == Counter({"Pakistan": 1, "Iran": 1}) and broken["id"].tolist() == ["5"]
    assert count == len(frame) + len(broken) + others.total()  # no row lost


@pytest.mark.parametrize("block_bytes", [1, 3, 1 << 22])
def test_text_that_is_not_utf8_is_named_with_its_offset_and_line_in_any_block(
    tmp_path, block_bytes
):
    data = b'a,b\n1,"x\r\ny"\n2,\xff\n'
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as whole:
        _csv.decode(data, str(path), error=ImportFormatError)
    assert "byte 0xff at byte offset 15 (line 4)" in str(whole.value)
    with (
        pytest.raises(ImportFormatError, match=re.escape(str(whole.value))),
        _table.ExportReader(path, block_bytes=block_bytes) as reader,
    ):
        list(reader.chunks(1))


@pytest.mark.parametrize("block_bytes", [1, 4, 1 << 22])
def test_a_file_cut_inside_quotes_is_found_in_the_last_chunk(write_text, block_bytes):
    path = write_text("t.csv", 'a,b\n1,2\n3,4\n5,"cut\noff')
    _header, frame, broken, _others, _count = _chunked(path, block_bytes=block_bytes, rows=1)
    assert _lines(frame) == [2, 3] and broken["line"].tolist() == [4]
    assert broken["reason"].iloc[0].startswith("the file ends inside a quoted value")


def test_a_file_without_line_breaks_is_refused_by_its_size(write_text, monkeypatch):
    monkeypatch.setattr(_table, "MAX_LINE_BYTES", 100)
    path = write_text("t.csv", "a,b\n" + "x" * 500)
    with (
        pytest.raises(
            ImportFormatError,
            match=r"t.csv, line 2: no line break in 1\d\d bytes; is this a CSV export",
        ),
        _table.ExportReader(path, block_bytes=64) as reader,
    ):
        list(reader.chunks())


def test_an_export_over_the_whole_file_limit_is_read(write_text, monkeypatch):
    monkeypatch.setattr(_files, "MAX_INPUT_BYTES", 10)  # whole-file reads stop at 1 GiB
    path = write_text("t.csv", "a,b\n1,2\n3,4\n")
    assert _table.read_table(path)[1].index.tolist() == [2, 3]
