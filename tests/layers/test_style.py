"""layers/style.py: classes, colours, labels and escaping, without a map."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from layers import style


def test_recency_classes_and_labels():
    assert style.class_labels("days_since_last", style.RECENCY_BREAKS)[0] == "≤ 1 week"
    assert math.isinf(style.RECENCY_BREAKS[-1])


@pytest.mark.parametrize(
    ("metric", "breaks", "labels"),
    [
        ("claims", (1, 2, 5, 10), ["1", "2-4", "5-10"]),
        ("fatalities", (1, 3, 10), ["1-2", "3-10"]),
        ("presence_level", (1, 2, 3, 4), ["Reported activity", "Sustained fighting", "Stronghold"]),
    ],
)
def test_class_labels(metric, breaks, labels):
    assert style.class_labels(metric, breaks) == labels


def test_palettes_fit_the_classes():
    assert len(style.palette_for("claims", 3)) == 3
    assert style.palette_for("claims", 2)[-1] == style.COUNT_PALETTE[-1]
    # Recency: recent is dark.
    assert style.palette_for("days_since_last", 5)[0] == "#08519c"


def test_group_colours_are_stable_whatever_the_order():
    expected = {"a": style.GROUP_PALETTE[0], "b": style.GROUP_PALETTE[1]}
    assert style.group_colors(["b", "a"]) == style.group_colors(["a", "b", "a", ""]) == expected
    assert style.GROUP_PALETTE[0] != style.GROUP_PALETTE[1]


def test_event_icons_by_type_status_and_precision():
    cls, inner = style.event_icon_html("ambush", "corroborated", "area")
    assert cls == "arm-ev arm-ev-area arm-ev-confirmed"
    assert inner == '<i class="fa-solid fa-person-rifle"></i>'
    assert style.event_icon_html("unknown", "claimed", "exact")[1].endswith(
        'fa-circle-question"></i>'
    )
    assert "dashed" in style.MAP_CSS.split(".arm-ev-area {")[1].split("}")[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('<img src=x onerror="a()">', "&lt;img src=x onerror=&quot;a()&quot;&gt;"),
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        ("O'Neil & co", "O&#x27;Neil &amp; co"),
    ],
)
def test_esc(value, expected):
    assert style.esc(value) == expected


def test_md_escape_and_plural():
    assert style.md_escape("[x](javascript:y) *b*") == r"\[x\]\(javascript\:y\) \*b\*"
    assert style.plural(2, "claim") == "2 claims"
