"""geo/_csv.py: decoding, line-numbered records, limits, formula escaping, the writers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import _csv
from geo.errors import ClaimsFileError, GeoError

# Text a cell may hold (no NUL: the reader refuses it; no surrogates: not UTF-8).
CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
ROW = st.lists(CELL, min_size=3, max_size=3).filter(lambda r: any(c.strip() for c in r))


def read(text: str, **options) -> _csv.Records:
    return _csv.read_records(text, "f.csv", error=ClaimsFileError, **options)


# --- decode ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"^f\.csv is empty; expected a header row"),
        (b" \r\n\n", r"^f\.csv is empty"),
        (b"\xef\xbb\xbfa,b\n", r"f\.csv starts with a UTF-8 byte-order mark \(BOM\)"),
        (b"a,b\n1,\xe9\n", r"not valid UTF-8: byte 0xe9 at byte offset 6 \(line 2\)"),
        (b"a\r1\r\n2\r\xff", r"byte 0xff at byte offset 7 \(line 4\)"),  # CR, CRLF, CR
    ],
)
def test_decode_refuses_what_is_not_utf8_text(data, message):
    with pytest.raises(ClaimsFileError, match=message):
        _csv.decode(data, "f.csv", error=ClaimsFileError)


def test_decode_drops_a_bom_only_when_allowed():
    assert _csv.decode(b"\xef\xbb\xbfa\n", "f.csv", error=GeoError, bom=True) == "a\n"


# --- read_records ---------------------------------------------------------------------
def test_a_record_is_numbered_by_the_line_it_starts_on():
    text = 'a,b\n"x\ny",1\n\n2,"p\r\nq"\n3,4\n'
    records = read(text)
    assert records.header == ["a", "b"] and records.header_line == 1
    assert records.rows == [(2, ["x\ny", "1"]), (5, ["2", "p\r\nq"]), (7, ["3", "4"])]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_ending_counts_lines_alike(ending):
    text = ending.join(["a,b", '"1\n2",x', "", "3,y", ""])
    assert [line for line, _ in read(text).rows] == [2, 5]


def test_a_lone_cr_inside_quotes_is_kept_and_counted_as_a_line():
    records = read('a,b\n"x\ry",1\n2,3\n')
    assert records.rows == [(2, ["x\ry", "1"]), (4, ["2", "3"])]


def test_blank_records_are_no_rows_and_the_header_may_come_later():
    records = read("\n,,\n a , b \n , \n1,2\n")
    assert records.header == [" a ", " b "] and records.header_line == 3
    assert records.rows == [(5, ["1", "2"])]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a,b\n1,2\n3,"x"y\n', r"^f\.csv, line 3: the CSV cannot be parsed .*check the quotes"),
        ('a,b\n"1"x,2\n', r"^f\.csv, line 2: the CSV cannot be parsed"),
        ('a,b\n1,"open\n', r"^f\.csv, line 2: the CSV cannot be parsed \(unexpected end"),
        ("\n\n", r"^f\.csv has no header row"),
    ],
)
def test_broken_files_name_the_line(text, message):
    with pytest.raises(ClaimsFileError, match=message):
        read(text)


def test_lenient_reading_keeps_odd_quotes_and_a_record_cut_inside_quotes():
    records = read('a,b\n1,5" gun\n2,"cut\n', strict=False)
    assert records.rows == [(2, ["1", '5" gun']), (3, ["2", "cut\n"])]


@pytest.mark.timeout(20)
def test_a_header_wider_than_500_columns_is_refused_before_any_row():
    header = ",".join(f"c{i}" for i in range(20_000))
    text = header + '\n1,"broken"x\n' + "2\n" * 100_000
    with pytest.raises(ClaimsFileError, match=r"^f\.csv, line 1: the header has 20,000 columns; "
                       r"at most 500 are read\. Is this the right file"):  # fmt: skip
        read(text)
    assert len(read(",".join(["c"] * 500) + "\n").header) == 500


def test_long_fields_are_listed_with_line_column_and_length():
    big = "x" * (_csv.MAX_FIELD_CHARS + 1)
    records = read(f"a,b\n1,2\n3,{big}\n{big},4\n")
    assert _csv.long_fields(records) == [(3, 1, 131_073), (4, 0, 131_073)]
    assert _csv.long_fields(read("a\n" + "x" * _csv.MAX_FIELD_CHARS + "\n")) == []


def test_describe_header_never_echoes_what_is_not_column_names():
    assert _csv.describe_header(["date", "lat (deg)"]) == "2 columns: date, lat (deg)"
    assert _csv.describe_header([f"c{i}" for i in range(13)]).endswith("c11, ...")
    secret = ["root:x:0:0:root:/root:/bin/bash"]
    assert _csv.describe_header(secret) == "1 column, not column names"
    assert "PRIVATE" not in _csv.describe_header(["-----BEGIN PRIVATE KEY-----"])


def test_line_text_is_one_record():
    assert _csv.line_text(["a", 'b"c', "d,e"]) == 'a,"b""c","d,e"'
    assert _csv.line_text([]) == ""
    text = _csv.line_text(["x\ny", ""])
    assert next(csv.reader(io.StringIO(text, newline=""))) == ["x\ny", ""]


def test_a_nul_byte_is_text_for_the_caller_to_report():
    assert read('a,b\n1,"x\x00"\n').rows == [(2, ["1", "x\x00"])]


# --- formula escaping (OWASP CSV injection) ---------------------------------------------
@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("'=x", "''=x"),
        ("-", "'-"),
        ("-3\n", "'-3\n"),
        ("-3.5", "-3.5"),
        ("+12", "+12"),
        ("-.5e3", "-.5e3"),
        ("it's", "it's"),
        ("", ""),
    ],
)
def test_formula_cells_are_escaped_and_numbers_left_alone(value, written):
    assert _csv.escape_cell(value) == written
    assert _csv.unescape_cell(written) == value


@settings(max_examples=300, deadline=None)
@given(CELL)
def test_unescape_undoes_escape_for_any_text(value):
    escaped = _csv.escape_cell(value)
    assert _csv.unescape_cell(escaped) == value
    starts_live = escaped[:1] in ("=", "+", "-", "@", "\t", "\r")
    assert not starts_live or _csv._NUMBER.match(escaped)


def test_unescape_column_works_on_a_whole_column():
    values = pd.Series(["'=1", "''@x", "plain", "'x"])
    assert _csv.unescape_column(values).tolist() == ["=1", "'@x", "plain", "'x"]


# --- writers ------------------------------------------------------------------------------
def test_write_frame_ends_records_with_crlf_and_quotes_any_line_break():
    frame = pd.DataFrame({"a": ["x\ry", "=cmd", None], "b": [1.5, -2.0, float("nan")]})
    text = _csv.frame_bytes(frame).decode("utf-8")
    assert text == 'a,b\r\n"x\ry",1.5\r\n\'=cmd,-2.0\r\n,\r\n'
    assert [line for line, _ in read(text).rows] == [2, 4]  # the quoted CR is a line


def test_a_lone_cr_never_changes_the_number_of_records():
    frame = pd.DataFrame({"note": [f"row {i}\r" if i % 3 else "x\ry" for i in range(29)]})
    rows = list(csv.reader(io.StringIO(_csv.frame_bytes(frame).decode(), newline="")))
    assert len(rows) == 30 and {len(r) for r in rows} == {1}


def test_write_records_and_write_frame_agree():
    frame = pd.DataFrame({"a": ["=1", "x"], "b": ["y", "+z"]})
    buffer = io.StringIO(newline="")
    _csv.write_records(buffer, ["a", "b"], frame.to_numpy().tolist())
    assert buffer.getvalue().encode() == _csv.frame_bytes(frame)


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, max_size=8))
def test_any_table_written_reads_back_the_same(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=object)
    text = _csv.frame_bytes(frame).decode("utf-8")
    records = read(text)
    assert records.header == ["a", "b", "c"]
    assert [[_csv.unescape_cell(v) for v in f] for _, f in records.rows] == rows
    live = [v for _, f in records.rows for v in f if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert all(_csv._NUMBER.match(v) for v in live)
