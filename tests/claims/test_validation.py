"""Tests for geo/validation.py: a claims file's bytes, CSV quoting, header, and all row checks.

Rows, `csv_text` and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import pytest

from geo import claims, settings
from geo.errors import ClaimsFileError, SchemaError
from tests.helpers_claims import csv_text, event, only


# --- files that cannot be read ------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_empty_file_is_a_claims_file_error(write_text, tmp_path, content):
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    with pytest.raises(ClaimsFileError, match=r"events\.csv is empty; expected a header row"):
        claims.read_claims(kind="events", source=path, gazetteer=None)


def test_bom_is_a_claims_file_error(write_text):
    path = write_text("events.csv", "\ufeff" + csv_text([event()]))
    with pytest.raises(ClaimsFileError, match=r"byte-order mark \(BOM\); save it as UTF-8 without"):
        claims.read_claims(kind="events", source=path, gazetteer=None)


def test_non_utf8_names_the_byte_offset_and_line(write_text):
    text = csv_text([event(), event(2, notes="Café")])
    path = write_text("events.csv", text, encoding="cp1252")
    offset = text.encode("cp1252").index(b"\xe9")
    line = text[: text.index("é")].count("\n") + 1
    with pytest.raises(
        ClaimsFileError,
        match=rf"not valid UTF-8: byte 0xe9 at byte offset {offset} \(line {line}\)",
    ):
        claims.read_claims(kind="events", source=path, gazetteer=None)


def test_unclosed_quote_is_a_claims_file_error():
    data = (",".join(settings.EVENT_COLUMNS) + '\nt-01,"2022-01-01\n').encode()
    with pytest.raises(
        ClaimsFileError, match=r"events\.csv, line 2: the CSV cannot be parsed .*check the quotes"
    ):
        claims.read_claims(kind="events", source=data, name="events.csv", gazetteer=None)


# --- header problems ----------------------------------------------------------------
def test_missing_columns_are_named_and_every_row_is_rejected(load):
    columns = [c for c in settings.EVENT_COLUMNS if c not in ("latitude", "sources")]
    result = load(event(1), event(2), columns=columns)
    problem = only(result, "missing_columns")
    assert problem.line == 1
    assert "missing column(s) 'latitude', 'sources'" in str(problem)
    assert "expected the 21 columns event_id, date_start, date_end" in str(problem)
    assert len(result.data) == 0 and result.rejected["line"].tolist() == [2, 3]


def test_missing_columns_raise_by_default(write_text, provinces):
    columns = [c for c in settings.EVENT_COLUMNS if c != "notes"]
    path = write_text("events.csv", csv_text([event()], columns=columns))
    with pytest.raises(SchemaError, match=r"line 1 \(header\): missing column\(s\) 'notes'"):
        claims.read_claims(kind="events", source=path, provinces=provinces, gazetteer=None)


def test_extra_columns_are_named_and_good_rows_still_load(load):
    columns = [*settings.EVENT_COLUMNS, "comment"]
    result = load(event(1), columns=columns)
    problem = only(result, "extra_columns")
    assert "unexpected column(s) 'comment'" in str(problem)
    assert "remove the extra column(s)" in str(problem)
    assert len(result.data) == 1 and "comment" not in result.data.columns


def test_repeated_columns_are_a_problem(load):
    result = load(event(1), columns=[*settings.EVENT_COLUMNS, "notes"])
    assert "repeated column(s) 'notes'" in str(only(result, "duplicate_columns"))


# --- rows ---------------------------------------------------------------------------
def test_line_numbers_count_quoted_newlines(load):
    result = load(
        event(1, notes="first\nsecond\nthird"), event(2, event_type="bad"), event(3, notes="a\nb")
    )
    problem = only(result, "bad_vocabulary")
    assert problem.line == 5


def test_several_problems_in_one_row_are_all_reported(load):
    result = load(event(date_start="2022-02-30", claim_status="?", sources="[]"))
    assert {p.code for p in result.problems} == {"impossible_date", "bad_vocabulary", "bad_sources"}
    assert all(p.line == 2 for p in result.problems)
