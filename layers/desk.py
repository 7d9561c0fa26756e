"""The claims desk's article: its text, every character escaped, each candidate's quote marked.

:func:`article_html` returns one ``<div>`` for ``st.html``: the article as text (line
breaks kept by CSS, never parsed as markup) with a ``<mark>`` around every stretch a
candidate quotes, numbered with the candidates it belongs to (a sentence two candidates
quote is one mark, numbered "2, 3"). Nothing from the article, nor from the rows, reaches
the page unescaped.
"""

from __future__ import annotations

import html
import itertools
from typing import Final

import pandas as pd

from geo.desk import quote_spans

__all__ = ["ARTICLE_STYLE", "article_html"]

ARTICLE_STYLE: Final = (
    "white-space:pre-wrap;font-family:Georgia,serif;font-size:1rem;line-height:1.6;"
    "max-height:26rem;overflow-y:auto;padding:0.75rem 1rem;border:1px solid #d0d0d0;"
    "border-radius:0.5rem;background:#fff;color:#222"
)
_MARK: Final = "background:#ffe58a;color:#222;padding:0 2px;border-radius:3px"
_NUMBER: Final = (
    "font:bold 0.75rem/1.2 sans-serif;color:#fff;background:#8a5a00;border-radius:0.6rem;"
    "padding:0.05rem 0.4rem;margin-right:0.25rem;vertical-align:0.1rem"
)


def article_html(text: str, rows: pd.DataFrame) -> str:
    """Return the article as HTML with each candidate's quotes marked and numbered.

    Parameters
    ----------
    text : str
        The article (any text: it is escaped).
    rows : pandas.DataFrame
        The candidates in the review table's order (a ``sources`` column): candidate
        ``k`` is row ``k - 1``.

    Returns
    -------
    str
        ``<div class="arm-article">`` holding the escaped text, with
        ``<mark data-candidates="2 3">`` around every quoted stretch; its first
        stretch starts with a ``<span class="arm-mark-number">`` naming the candidates.

    Examples
    --------
    >>> rows = pd.DataFrame({"sources": ['[{"quote": "<b>x</b>"}]']})
    >>> article_html("A <b>x</b>.", rows)  # doctest: +ELLIPSIS
    '<div ...>A <mark data-candidates="1" ...><span ...>1</span>&lt;b&gt;x&lt;/b&gt;</mark>.</div>'
    """
    spans = quote_spans(text, rows)
    cuts = {0, len(text)}
    for row in spans:
        for start, end in row:
            cuts |= {start, end}
    edges = sorted(cuts)
    parts = [f'<div class="arm-article" style="{ARTICLE_STYLE}">']
    previous: tuple[int, ...] = ()
    for start, end in itertools.pairwise(edges):
        covering = tuple(
            k
            for k, row in enumerate(spans, start=1)
            if any(s <= start and end <= e for s, e in row)
        )
        piece = html.escape(text[start:end], quote=True)
        if not covering:
            parts.append(piece)
            previous = ()
            continue
        numbers = ", ".join(map(str, covering))
        label = (
            f'<span class="arm-mark-number" style="{_NUMBER}">{numbers}</span>'
            if covering != previous
            else ""
        )
        parts.append(
            f'<mark data-candidates="{" ".join(map(str, covering))}" style="{_MARK}">'
            f"{label}{piece}</mark>"
        )
        previous = covering
    parts.append("</div>")
    return "".join(parts)
