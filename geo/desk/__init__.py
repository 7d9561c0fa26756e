"""The claims desk: candidate events from a plain-text news article, for review.

The public face of the sub-package; everything outside it imports from here.

- :func:`read_article` reads an article file (bounded, UTF-8; empty or unreadable
  files raise :class:`~geo.errors.ArticleError`) and :class:`Article` holds its text
  with what the reviewer says about it (publication date, outlet, url, title);
- :func:`extract_candidates` turns it into events-CSV rows (``settings.EVENT_COLUMNS``)
  that :func:`geo.claims.read_claims` loads; :func:`write_candidates` writes them
  atomically.

Inside, in import order: ``article`` (reading, sentences), ``dates`` (date clues),
``mentions`` (place names via :class:`geo.places.Gazetteer`), ``parties`` (event
types, actors, claimants, status, numbers) and ``extract`` (candidates, merging, rows).
Rule-based: regular expressions and the gazetteer, nothing learnt, nothing invented.
"""

from __future__ import annotations

from geo.desk.article import Article, read_article
from geo.desk.extract import extract_candidates, write_candidates

__all__ = ["Article", "extract_candidates", "read_article", "write_candidates"]
