"""The claims desk: candidate events from a plain-text news article, for review.

The public face of the sub-package; everything outside it imports from here.

- :func:`read_article` reads an article file (bounded, UTF-8; empty or unreadable
  files raise :class:`~geo.errors.ArticleError`) and :class:`Article` holds its text
  with what the reviewer says about it (publication date, outlet, url, title);
- :func:`extract_candidates` turns it into events-CSV rows (``settings.EVENT_COLUMNS``)
  that :func:`geo.claims.read_claims` loads; :func:`write_candidates` writes them
  atomically.
- the review (``review``, ``stances``, ``append``): :func:`review_frame` and
  :func:`accepted_rows` (the reviewer's ``accept`` column), :func:`row_problems` (the
  project's validation, per row), :func:`quote_spans` (where the quotes stand),
  :func:`stances_for` (the stances a row's status needs) and :func:`append_events`
  (accepted rows, and their stances, appended atomically to an events file).

Inside, in import order: ``article`` (reading, sentences), ``dates`` (date clues),
``mentions`` (place names via :class:`geo.places.Gazetteer`), ``parties`` (event
types, actors, claimants, status, numbers), ``candidates`` (a candidate, merging,
rows), ``extract`` (sentence by sentence to candidates), then
``review``, ``stances`` and ``append`` (which also use :mod:`geo.claims`).
Rule-based: regular expressions and the gazetteer, nothing learnt, nothing invented.
"""

from __future__ import annotations

from geo.desk.append import Appended, append_events
from geo.desk.article import Article, read_article
from geo.desk.extract import extract_candidates, write_candidates
from geo.desk.review import (
    ACCEPT,
    accepted_rows,
    article_text,
    quote_spans,
    review_frame,
    row_problems,
    source_quotes,
    unquoted,
    with_edits,
)
from geo.desk.stances import stances_for

__all__ = [
    "ACCEPT",
    "Appended",
    "Article",
    "accepted_rows",
    "append_events",
    "article_text",
    "extract_candidates",
    "quote_spans",
    "read_article",
    "review_frame",
    "row_problems",
    "source_quotes",
    "stances_for",
    "unquoted",
    "with_edits",
    "write_candidates",
]
