"""Reviewing candidates: an uploaded article, the reviewer's decisions, the edited rows' problems.

The review page (``pages/claims_desk.py``) shows a table of candidates with an
``accept`` column (:func:`review_frame`); what the reviewer accepted, as edited, is
:func:`accepted_rows`; :func:`row_problems` checks those rows with the project's own
validation (:func:`geo.claims.read_claims`) and names each problem's row, column, value
and what was expected; :func:`quote_spans` finds each candidate's quotes in the text, so
the page can mark them. :func:`article_text` reads an uploaded article's bytes with the
same rules as :func:`geo.desk.read_article`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from geo import settings
from geo._csv import decode, frame_bytes
from geo.claims import read_claims
from geo.desk.article import MAX_ARTICLE_BYTES
from geo.errors import ArticleError

__all__ = [
    "ACCEPT",
    "PROBLEM_COLUMNS",
    "accepted_rows",
    "article_text",
    "quote_spans",
    "review_frame",
    "row_problems",
    "source_quotes",
    "unquoted",
    "with_edits",
]

#: The reviewer's column: True for a candidate to keep (nothing is kept by default).
ACCEPT: Final = "accept"
#: What :func:`row_problems` returns, one row per problem.
PROBLEM_COLUMNS: Final = ("row", "event_id", "column", "value", "expected")


def article_text(data: bytes, name: str) -> str:
    r"""Return an uploaded article's text: bounded, UTF-8, not empty, no NUL bytes.

    Parameters
    ----------
    data : bytes
        The upload's content.
    name : str
        Its file name, for messages.

    Returns
    -------
    str
        The text (a UTF-8 byte-order mark dropped).

    Raises
    ------
    ArticleError
        If it is larger than :data:`geo.desk.article.MAX_ARTICLE_BYTES`, empty (or only
        white space), not UTF-8 or holds NUL bytes; the message names the file.

    Examples
    --------
    >>> article_text(b"\xff", "a.txt")
    Traceback (most recent call last):
    ...
    geo.errors.ArticleError: a.txt is not valid UTF-8: byte 0xff at byte offset 0 (line 1); re-save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`)
    """  # noqa: E501
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"article {name} is {len(data):,} bytes; at most {MAX_ARTICLE_BYTES:,} are read "
            "(a news article is a few kilobytes: upload the article's text only)"
        )
    if not data.strip():
        raise ArticleError(f"article {name} is empty; expected the plain text of a news article")
    text = decode(data, name, error=ArticleError, bom=True)
    if "\x00" in text:
        raise ArticleError(f"article {name} holds NUL bytes: it is not plain text")
    return text


def review_frame(candidates: pd.DataFrame) -> pd.DataFrame:
    """Return candidates for the review table: an ``accept`` column (all False), then the rows.

    The index is the candidate's number (1, 2...), the number its quote's mark shows.

    >>> t = review_frame(pd.DataFrame({"event_id": ["c-01"]}))
    >>> t.columns.tolist()[:2], t.index.tolist()
    (['accept', 'event_id'], [1])
    """
    out = candidates.reset_index(drop=True).copy()
    out.index = pd.RangeIndex(1, len(out) + 1, name="#")
    out.insert(0, ACCEPT, False)
    return out


def with_edits(table: pd.DataFrame, edited_rows: Mapping[Any, Mapping[str, Any]]) -> pd.DataFrame:
    """Return the review table with a data editor's cell edits applied.

    So that "Accept all" (a new table) keeps what the reviewer typed.

    Parameters
    ----------
    table : pandas.DataFrame
        The review table (:func:`review_frame`).
    edited_rows : mapping
        ``{row position: {column: new value}}``, as ``st.data_editor`` records them
        (positions may be strings); an unknown column or position is ignored.

    Returns
    -------
    pandas.DataFrame
        A copy.

    Examples
    --------
    >>> t = review_frame(pd.DataFrame({"notes": ["a", "b"]}))
    >>> with_edits(t, {"1": {"notes": "checked", "accept": True}})["notes"].tolist()
    ['a', 'checked']
    """
    out = table.copy()
    for position, changes in edited_rows.items():
        i = int(position)
        if not 0 <= i < len(out):
            continue
        for column, value in changes.items():
            if column in out.columns:
                out.loc[out.index[i], column] = value
    return out


def accepted_rows(edited: pd.DataFrame) -> pd.DataFrame:
    """Return the rows the reviewer accepted, as edited: ``settings.EVENT_COLUMNS``, all text.

    Parameters
    ----------
    edited : pandas.DataFrame
        The review table (:func:`review_frame`) after the reviewer's edits; a missing
        value (an emptied cell) becomes "".

    Returns
    -------
    pandas.DataFrame
        In the table's order, index 0..n-1.

    Examples
    --------
    >>> t = review_frame(pd.DataFrame({c: ["x", "y"] for c in settings.EVENT_COLUMNS}))
    >>> t.loc[2, "accept"] = True  # candidate 2
    >>> accepted_rows(t)["event_id"].tolist()
    ['y']
    """
    keep = edited[ACCEPT].fillna(False).astype(bool).to_numpy()
    rows = edited.loc[keep, list(settings.EVENT_COLUMNS)].astype(object)
    rows = rows.where(rows.notna(), "").astype(str)
    return rows.reset_index(drop=True)


def row_problems(rows: pd.DataFrame, *, name: str = "accepted candidates") -> pd.DataFrame:
    """Check rows with the project's validation; return each problem with its row.

    Parameters
    ----------
    rows : pandas.DataFrame
        Events rows (``settings.EVENT_COLUMNS``, text), e.g. :func:`accepted_rows`.
    name : str
        What the rows are called in messages.

    Returns
    -------
    pandas.DataFrame
        :data:`PROBLEM_COLUMNS`: ``row`` (1 for the first of ``rows``), its
        ``event_id``, the ``column``, the ``value`` found and what was ``expected``;
        empty when every row passes (and for no rows).

    Examples
    --------
    >>> row_problems(bad_rows).iloc[0].to_dict()  # doctest: +SKIP
    {'row': 1, 'event_id': 'cand-a-01', 'column': 'latitude', 'value': '95.2', ...}
    """
    if rows.empty:
        return pd.DataFrame(columns=list(PROBLEM_COLUMNS))
    data = frame_bytes(rows[list(settings.EVENT_COLUMNS)])
    result = read_claims(io.BytesIO(data), name=name, kind="events", on_invalid="report")
    # Every row comes back, good or rejected, at the line it starts on: lines in order
    # are rows in order (a value with a line break moves the next row down).
    lines = sorted({*result.data["line"].tolist(), *result.rejected["line"].tolist()})
    row_of = {line: i for i, line in enumerate(lines)}
    out = []
    for p in result.problems:
        i = row_of.get(p.line)
        out.append(
            {
                "row": 0 if i is None else i + 1,  # 0: the header
                "event_id": "" if i is None else str(rows["event_id"].iloc[i]),
                "column": p.column,
                "value": p.value,
                "expected": p.expected,
            }
        )
    return pd.DataFrame(out, columns=list(PROBLEM_COLUMNS))


def source_quotes(sources: str) -> list[str]:
    """Return the quotes of a ``sources`` cell (none when it is not a JSON array of objects).

    >>> source_quotes('[{"quote": "They fought."}, {"file": "a.txt"}]')
    ['They fought.']
    """
    try:
        items = json.loads(sources)
    except (json.JSONDecodeError, TypeError):
        return []
    if not isinstance(items, list):
        return []
    return [s["quote"] for s in items if isinstance(s, dict) and isinstance(s.get("quote"), str)]


def unquoted(text: str, rows: pd.DataFrame) -> list[int]:
    """Return the positions (0, 1...) of the rows with a quote that is not in the article.

    >>> unquoted("They fought.", pd.DataFrame({"sources": ['[{"quote": "They"}]',
    ...                                                   '[{"quote": "won"}]', "[]"]}))
    [1]
    """
    spans = quote_spans(text, rows)
    cells = rows["sources"].tolist()
    return [i for i, (c, s) in enumerate(zip(cells, spans, strict=True))
            if len(source_quotes(c)) != len(s)]  # fmt: skip


def quote_spans(text: str, rows: pd.DataFrame) -> list[list[tuple[int, int]]]:
    """Return where each row's quotes stand in the article: ``(start, end)`` offsets.

    Parameters
    ----------
    text : str
        The article.
    rows : pandas.DataFrame
        Candidates with a ``sources`` column.

    Returns
    -------
    list of list of (int, int)
        One list per row, in order: the first place each of its quotes appears in
        ``text`` (a quote not found, e.g. edited by the reviewer, has no span, so an
        empty list means none of its quotes is in the article).

    Examples
    --------
    >>> quote_spans("A. They fought.", pd.DataFrame({"sources": ['[{"quote": "They"}]']}))
    [[(3, 7)]]
    """
    out = []
    for cell in rows["sources"].tolist():
        spans = []
        for quote in source_quotes(cell):
            at = text.find(quote) if quote else -1
            if at >= 0:
                spans.append((at, at + len(quote)))
        out.append(spans)
    return out
