"""layers/desk.py: the article as escaped HTML with each candidate's quote marked."""

from __future__ import annotations

import html
import json
import re

import pandas as pd

from layers.desk import article_html
from tests.helpers_desk import quotes, run_seed, seed

HOSTILE = (
    'Kabul <script>alert("x")</script> & co.\n'
    "Rebels said \"we <b>won</b>\" at O'Brien's <img src=x onerror=alert(1)>. It rained."
)


def _rows(*quoted: str) -> pd.DataFrame:
    return pd.DataFrame({"sources": [json.dumps([{"quote": q}]) for q in quoted]})


def test_a_hostile_article_is_text_and_its_quote_is_marked():
    quote = "Rebels said \"we <b>won</b>\" at O'Brien's <img src=x onerror=alert(1)>."
    out = article_html(HOSTILE, _rows(quote))
    assert "<script" not in out and "<b>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co." in out
    (mark,) = re.findall(r"<mark [^>]*>.*?</mark>", out, re.DOTALL)
    assert 'data-candidates="1"' in mark
    assert "&lt;img src=x onerror=alert(1)&gt;." in mark and "O&#x27;Brien&#x27;s" in mark
    # Only the page's own tags: the div, the marks, their numbers.
    assert set(re.findall(r"<(\w+)", out)) == {"div", "mark", "span"}
    assert out.count("\n") == HOSTILE.count("\n")  # line breaks kept, shown by CSS


def test_overlapping_quotes_share_one_mark_numbered_with_both():
    text = "Fighting in Andarab. The NRF said it killed five. Later, calm."
    out = article_html(
        text, _rows("The NRF said it killed five.", "it killed five.", "not in the article")
    )
    marks = re.findall(r'<mark data-candidates="([\d ]+)"[^>]*>(.*?)</mark>', out)
    assert [m[0] for m in marks] == ["1", "1 2"]
    assert marks[0][1].endswith("The NRF said ") and marks[1][1].endswith("it killed five.")
    assert ">1, 2</span>" in marks[1][1]
    assert "3" not in "".join(m[0] for m in marks)  # a quote not in the text marks nothing


def test_every_seed_quote_is_marked(desk_gazetteer):
    rows = run_seed("004", desk_gazetteer)
    text = seed("004").read_text(encoding="utf-8")
    out = article_html(text, rows)
    numbers = {int(n) for m in re.findall(r'data-candidates="([\d ]+)"', out) for n in m.split()}
    assert numbers == set(range(1, len(rows) + 1))
    plain = re.sub(r'<span class="arm-mark-number"[^>]*>[^<]*</span>|<[^>]+>', "", out)
    assert html.unescape(plain) == text
    assert all(q in text for q in quotes(rows))
