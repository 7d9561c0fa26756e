"""Tests for geo/_fastcsv.py: pyarrow's records are the strict reader's, or it is not used."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import _csv, _fastcsv
from geo.errors import ClaimsFileError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _strict(data: bytes) -> _fastcsv.Table:
    return _fastcsv._from_records(
        _csv.read_records(_csv.decode(data, "f.csv", error=ClaimsFileError), "f.csv",
                          error=ClaimsFileError)
    )  # fmt: skip


def _same(a: _fastcsv.Table, b: _fastcsv.Table) -> None:
    assert (a.header, a.header_line, a.misfits) == (b.header, b.header_line, b.misfits)
    assert a.frame.index.tolist() == b.frame.index.tolist()
    assert a.frame.columns.tolist() == b.frame.columns.tolist()
    assert a.frame.to_numpy(dtype=object).tolist() == b.frame.to_numpy(dtype=object).tolist()


def _outcome(data: bytes, fast: bool) -> tuple[str, object]:
    try:
        if fast:
            table = _fastcsv._fast(data, "f.csv", ClaimsFileError)
            if table is None:
                return ("declined", None)
        else:
            table = _strict(data)
    except ClaimsFileError as exc:
        return ("error", str(exc))
    return ("table", table)


@pytest.fixture
def big_events() -> bytes:
    """The map fixture's rows repeated past the size where pyarrow is used."""
    head, *rows = (FIXTURES / "map" / "events.csv").read_bytes().splitlines(keepends=True)
    body = b"".join(rows)
    return head + body * (_fastcsv.FAST_FROM_BYTES // len(body) + 1)


def test_a_large_file_is_read_by_pyarrow_with_the_strict_readers_records(big_events):
    fast = _fastcsv._fast(big_events, "f.csv", ClaimsFileError)
    assert fast is not None
    assert len(fast.frame) > 1000
    _same(fast, _strict(big_events))
    _same(_fastcsv.read_table(big_events, "f.csv", error=ClaimsFileError), fast)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda b: b.replace(b',"', b',x"', 1), "a quote inside an unquoted value"),
        (lambda b: b + b'e-99,"open', "the file ends inside quotes"),
        (lambda b: b.replace(b"\n", b"\n\n", 3), "blank lines"),
        (lambda b: b.replace(b"\n", b"\n  \n", 2), "a line of spaces"),
        (lambda b: b + b"a,b,c\n", "a row of the wrong width"),
        (lambda b: b.replace(b"\n", b"\x00\n", 1), "a NUL byte"),
        (lambda b: b"\n" + b, "a blank line before the header"),
        (lambda b: b"\xef\xbb\xbf" + b, "a byte-order mark"),
        (lambda b: b.replace(b"capital", b"capit\xe1l", 1), "a value that is not UTF-8"),
        (lambda b: b.replace(b"date", b"d\xe1te", 1), "a header that is not UTF-8"),
        (lambda b: b[:-200] + b"\xff" + b[-200:], "a byte UTF-8 never holds"),
        (lambda b: b.replace(b"notes,", b"actor1,", 1), "a repeated column"),
    ],
)
def test_pyarrow_declines_what_it_would_read_differently(big_events, change, why):
    data = change(big_events)
    assert _outcome(data, fast=True) == ("declined", None), why
    # read_table then gives the strict reader's answer, error or records.
    kind, strict = _outcome(data, fast=False)
    try:
        table = _fastcsv.read_table(data, "f.csv", error=ClaimsFileError)
    except ClaimsFileError as exc:
        assert (kind, strict) == ("error", str(exc))
    else:
        assert kind == "table"
        _same(table, strict)


def test_line_numbers_count_line_breaks_inside_values(big_events):
    crlf = big_events.replace(b"\n", b"\r\n")
    lone_cr = big_events.replace(b"\n", b"\r")
    quoted = big_events.replace(b"an attack in the capital", b'"an attack\r\nin\nthe\rcapital"')
    for data in (crlf, lone_cr, quoted, big_events.rstrip(b"\n")):
        fast = _fastcsv._fast(data, "f.csv", ClaimsFileError)
        assert fast is not None
        _same(fast, _strict(data))
    fast = _fastcsv._fast(quoted, "f.csv", ClaimsFileError)
    assert fast is not None and fast.frame.index.to_series().diff().max() == 4  # 3 breaks
    # A CRLF split by the closing quote: the \r is the value's, the \n ends the record.
    split = b"a,b\n" + b'1,"v\r"\n' * (_fastcsv.FAST_FROM_BYTES // 6)
    fast = _fastcsv._fast(split, "f.csv", ClaimsFileError)
    assert fast is not None
    _same(fast, _strict(split))
    assert fast.frame["b"].iloc[0] == "v\r" and fast.frame.index[:2].tolist() == [2, 4]


_CELL = st.text(alphabet=st.sampled_from(list('ab ,"\r\n=é')), max_size=6)


def _write(field: str, how: float) -> str:
    if how < 0.5:  # quoted as a writer would
        return '"' + field.replace('"', '""') + '"'
    return f'"{field}"' if how < 0.7 else field  # naive: often broken


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=8),
    odd=st.lists(st.lists(_CELL, min_size=1, max_size=4), max_size=2),
)
def test_random_files_read_the_same_or_are_declined(rows, odd):
    """Whatever the bytes, pyarrow's answer is the strict reader's, or pyarrow declines."""
    rnd = random.Random(len(rows) * 7 + len(odd))
    records = rows + odd
    rnd.shuffle(records)
    lines = [",".join(_write(f, rnd.random()) for f in fields) for fields in records]
    data = ("h1,h2,h3\n" + rnd.choice(["\n", "\r\n", "\r"]).join(lines)).encode()
    kind, fast = _outcome(data, fast=True)
    if kind == "declined":
        return
    strict_kind, strict = _outcome(data, fast=False)
    assert kind == strict_kind
    if kind == "table":
        _same(fast, strict)


def test_small_files_use_the_strict_reader(monkeypatch):
    called = []
    monkeypatch.setattr(_fastcsv, "_fast", lambda *a: called.append(1))
    table = _fastcsv.read_table(b"a,b\n1,2\n", "f.csv", error=ClaimsFileError)
    assert not called and table.frame.to_dict("list") == {"a": ["1"], "b": ["2"]}
    assert isinstance(table.frame, pd.DataFrame) and table.frame.index.name == "line"


def _quoting_byte_by_byte(data: bytes) -> tuple[bool, bool]:
    """Read the quotes one byte at a time, as csv does in strict mode: the expected answer."""
    edges, quoted, breaks_inside, i = b",\r\n", False, False, 0
    while i < len(data):
        byte = data[i : i + 1]
        if quoted and byte == b'"' and data[i + 1 : i + 2] == b'"':
            i += 2  # "" inside a quoted value
            continue
        if quoted and byte == b'"':
            if data[i + 1 : i + 2] not in (b"", *(edges[k : k + 1] for k in range(3))):
                return False, False  # "x"y
            quoted = False
        elif quoted:
            breaks_inside |= byte in (b"\r", b"\n")
        elif byte == b'"':
            if i and data[i - 1 : i] not in (edges[k : k + 1] for k in range(3)):
                return False, False  # x"y"
            quoted = True
        i += 1
    return (False, False) if quoted else (True, breaks_inside)


@settings(max_examples=500, deadline=None)
@given(
    data=st.binary(max_size=40).map(lambda b: bytes(b'a,"\r\n'[x % 5] for x in b)),
    step=st.integers(min_value=1, max_value=8),
)
def test_quoting_read_a_few_bytes_at_a_time_is_read_byte_by_byte(data, step):
    """The quoting's answer is the byte-by-byte reading's, whatever the chunks' size."""
    strict, inside, newlines = _fastcsv._quoting(data, step=step)
    assert (strict, inside) == _quoting_byte_by_byte(data)
    assert newlines is None or newlines == data.count(b"\n")
    if strict and b'"' in data and b"\r" not in data:
        assert newlines == data.count(b"\n")  # counted on the way: no second pass
