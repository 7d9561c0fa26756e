"""Tests for geo/validation.py: a claims file's bytes, CSV quoting, header, and all row checks.

Rows, `csv_text` and the `load` fixture: tests/helpers_claims.py.
"""

from __future__ import annotations

import csv
import io

import pytest

from geo import claims, settings
from geo.errors import ClaimsFileError, SchemaError
from tests.helpers_claims import EVENT, csv_text, event, only


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


# --- malformed text: line endings, control characters, long values, wide rows ----------
def _kept(result) -> list[int]:
    """Every row's line, good or rejected (each exactly once)."""
    lines = [*result.data["line"], *result.rejected["line"]]
    assert len(lines) == len(set(lines))
    return sorted(lines)


def test_a_lone_cr_inside_quotes_is_a_control_character_problem(write_text, provinces):
    text = csv_text([event(1), event(2, notes="NOTE, quoted"), event(3)])
    path = write_text("events.csv", text.replace("NOTE", "an attack\rin the capital"))
    result = claims.read_claims(
        kind="events", source=path, on_invalid="report", provinces=provinces, gazetteer=None
    )
    problem = only(result, "control_character")
    assert str(problem).startswith(
        "events.csv, line 3, column 'notes': found 'an attack\\rin the capital, quoted'; "
        "expected text without control characters (found U+000D"
    )
    assert "a lone \\r (old Mac line ending) is not allowed" in str(problem)
    assert result.data["event_id"].tolist() == ["t-01", "t-03"] and _kept(result) == [2, 3, 5]


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_any_line_ending_reads_the_same_rows(write_text, provinces, ending):
    text = csv_text([event(1, notes="two\nlines"), event(2, date_start="x"), event(3)])
    path = write_text("events.csv", text.replace("\n", ending))
    result = claims.read_claims(
        kind="events", source=path, on_invalid="report", provinces=provinces, gazetteer=None
    )
    assert [(p.line, p.code) for p in result.problems] == [
        *([(2, "control_character")] if ending == "\r" else []),  # a lone CR inside a value
        (4, "bad_date"),
    ]
    assert result.data["notes"].tolist() == ([""] if ending == "\r" else ["two\nlines", ""])
    assert _kept(result) == [2, 4, 5]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_nul_and_other_control_characters_are_problems(load, char):
    problem = only(load(event(actor2=f"Tali{char}ban")), "control_character")
    assert problem.column == "actor2" and f"U+{ord(char):04X}" in problem.expected


def test_a_value_over_131072_characters_is_rejected_with_its_length(load):
    result = load(event(1, notes="x" * 200_000), event(2))
    problem = only(result, "value_too_long")
    assert str(problem) == (
        "events.csv, line 2, column 'notes': found '" + "x" * 40 + "... (200,000 characters)'; "
        "expected at most 131,072 characters; quote a short passage and keep long texts in the "
        "source"
    )
    assert result.data["event_id"].tolist() == ["t-02"] and _kept(result) == [2, 3]


@pytest.mark.timeout(30)
def test_a_header_with_20000_extra_columns_is_refused_at_once(write_text):
    header = ",".join([*settings.EVENT_COLUMNS, *(f"x{i}" for i in range(20_000))])
    path = write_text("events.csv", header + "\n" + csv_text([event()]).split("\n", 1)[1])
    with pytest.raises(ClaimsFileError, match=r"^events\.csv, line 1: the header has 20,021 "
                       r"columns; at most 500 are read"):  # fmt: skip
        claims.read_claims(kind="events", source=path, gazetteer=None)


@pytest.mark.timeout(30)
def test_a_row_of_20000_fields_is_one_rejected_row_with_its_extra_fields(write_text, provinces):
    text = csv_text([event(1), event(2)])
    path = write_text("events.csv", text.replace("t-02,", "t-02," + "x," * 20_000, 1))
    result = claims.read_claims(
        kind="events", source=path, on_invalid="report", provinces=provinces, gazetteer=None
    )
    assert "found '20021 fields'; expected 21 fields" in str(only(result, "field_count"))
    assert result.rejected.shape == (1, 1 + 21 + 1)  # line, the columns, extra_fields
    extra = next(csv.reader(io.StringIO(result.rejected["extra_fields"].iloc[0], newline="")))
    assert result.rejected["event_id"].tolist() == ["t-02"]
    assert len(extra) == 20_000 and extra[:19_980] == ["x"] * 19_980  # nothing lost
    assert extra[-1] == EVENT["sources"]
    assert _kept(result) == [2, 3]


def test_formula_escapes_written_by_the_project_read_back_as_written(provinces):
    rows = [event(1, notes="=HYPERLINK(x)", actor2="@SUM(A1)", claimed_by="-2+3")]
    text = csv_text(rows)
    escaped = text.replace(",@SUM", ",'@SUM").replace(",=HYP", ",'=HYP").replace(",-2+3", ",'-2+3")
    loaded = claims.read_claims(
        escaped.encode(), kind="events", name="e.csv", provinces=provinces, gazetteer=None
    ).data
    assert loaded[["notes", "actor2", "claimed_by"]].iloc[0].tolist() == [
        "=HYPERLINK(x)",
        "@SUM(A1)",
        "-2+3",
    ]
    twice = claims.read_claims(
        escaped.replace(",'=HYP", ",''=HYP").encode(),
        kind="events", name="e.csv", provinces=provinces, gazetteer=None,
    ).data  # fmt: skip
    assert twice["notes"].iloc[0] == "'=HYPERLINK(x)"


@pytest.mark.parametrize(
    ("data", "plain"),
    [
        (b"a,b\n1,2\n", True),
        (b"a,b\r\n1,2\r\n", False),  # a carriage return: the full pass
        (b'a,b\n1,"x\x07"\n', False),
        (b"a,b\n1,'=1+1\n", False),
        (b'a,b\n1,"\'=1+1"\n', False),
        (b"'a,b\n1,2\n", False),
        (b"a,b\n1,it's\n", True),
        (b"a,b\n'=1,2\n", False),  # a formula escape at the start of a record
        (b"a,b\n1,x\x7f\n", False),
        (b"a,b\n1,x\x1f\n", False),
        (b"a,b\n1,\tx\n", True),  # a tab is text
    ],
)
def test_plain_text_says_when_no_cell_needs_a_second_look(data, plain):
    from geo.claims.validation import plain_text

    assert plain_text(data) is plain
