"""An article as the desk reads it: its text, what the command line says about it, its sentences.

:func:`read_article` reads a plain-text file through the project's bounded reader and
refuses what is not an article (missing, a folder, empty, not UTF-8) with
:class:`~geo.errors.ArticleError`. :func:`split_sentences` cuts the text into sentences
that keep their offsets, so every quote is a verbatim slice of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo import settings
from geo._csv import decode
from geo._files import read_bytes
from geo.errors import ArticleError

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "Sentence",
    "quote_of",
    "read_article",
    "split_sentences",
]

#: The largest article read (10 MB: a news article is a few kilobytes).
MAX_ARTICLE_BYTES = 10 << 20
_ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Capt|Sgt|Gov|Sen|Rep|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug"
    r"|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|e\.g|i\.e|vs)\.$"
)
#: A sentence ends at . ! ? (and a closing quote) followed by space and a capital or quote.
_END = re.compile(r"[.!?][”’\"')]*(\s+)(?=[“‘\"'(A-Z0-9])")


@dataclass(frozen=True)
class Article:
    """A plain-text news article and what the command line says about it.

    ``file`` is the file name written into each source; ``published``, ``outlet``,
    ``url`` and ``title`` are the reviewer's own statements (None when not given).
    """

    text: str
    file: str
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text (a slice of the article), offset, number and paragraph."""

    text: str
    start: int
    number: int
    paragraph: int


def read_article(path: Path | str) -> str:
    """Return an article's text.

    Parameters
    ----------
    path : Path or str
        A UTF-8 plain-text file (a BOM is accepted and dropped).

    Returns
    -------
    str

    Raises
    ------
    ArticleError
        If the file is missing, not a regular file, over :data:`MAX_ARTICLE_BYTES`,
        empty (or only white space), or not UTF-8; the message names the file.

    Examples
    --------
    >>> read_article("/etc")
    Traceback (most recent call last):
    ...
    geo.errors.ArticleError: cannot read article /etc: it is a folder, not a regular file
    """
    data = read_bytes(path, what="article", error=ArticleError, limit=MAX_ARTICLE_BYTES)
    if not data.strip():
        raise ArticleError(f"article {path} is empty; expected the plain text of a news article")
    text = decode(data, str(path), error=ArticleError, bom=True)
    if "\x00" in text:
        raise ArticleError(f"article {path} holds NUL bytes: it is not plain text")
    return text


def split_sentences(text: str) -> list[Sentence]:
    """Cut ``text`` into sentences; paragraphs end at line breaks.

    Parameters
    ----------
    text : str
        The article.

    Returns
    -------
    list of Sentence
        In order; ``text[s.start : s.start + len(s.text)] == s.text`` for each.

    Examples
    --------
    >>> [s.text for s in split_sentences("Kabul, April 29 Hi there. It rained.")]
    ['Kabul, April 29 Hi there.', 'It rained.']
    """
    out: list[Sentence] = []
    for paragraph, block in enumerate(re.finditer(r"[^\n]+", text)):
        line, offset = block.group(0), block.start()
        cut = 0
        for end in _END.finditer(line):
            piece = line[cut : end.start(1)]
            if _ABBREVIATIONS.search(piece.rstrip("”’\"')")):
                continue
            _add(out, piece, offset + cut, paragraph)
            cut = end.end()
        _add(out, line[cut:], offset + cut, paragraph)
    return out


def _add(out: list[Sentence], piece: str, start: int, paragraph: int) -> None:
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append(Sentence(stripped, start + lead, len(out), paragraph))


def quote_of(sentence: str) -> str:
    """Return the sentence, or its first quote-length characters cut at a word.

    Always a slice of the sentence (``settings.SOURCE_QUOTE_MAX`` characters at most).

    >>> quote_of("Rebels attacked.")
    'Rebels attacked.'
    """
    limit = settings.SOURCE_QUOTE_MAX
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut
