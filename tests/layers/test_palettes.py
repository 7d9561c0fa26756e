"""Colours a colour-blind viewer can tell apart: groups, event types, claim statuses.

Each palette is seen as under protanopia and deuteranopia (Machado, Oliveira and
Fernandes 2009, severity 1, applied in linear RGB), and every pair of its colours must
stay apart by at least ``MIN_DELTA_E`` (CIE76 in Lab). Tableau's ten colours, which the
timeline used, fail this (red and green merge): the check can fail.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from layers import style, timeline

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
}  # fmt: skip
MIN_DELTA_E = 12.0
TABLEAU10 = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
             "#ff9da6", "#9d755d", "#bab0ac")  # fmt: skip


def _linear(hex_colors) -> np.ndarray:
    rgb = np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hex_colors])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                             [0.0193, 0.1192, 0.9505]]).T / [0.95047, 1.0, 1.08883]  # fmt: skip
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], 1)


def _closest_pair(hex_colors, deficiency: str) -> float:
    seen = np.clip(_linear(hex_colors) @ np.array(MACHADO[deficiency]).T, 0, 1)
    lab = _lab(seen)
    return min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(lab, 2))


PALETTES = {
    "presence groups": (*style.GROUP_PALETTE, style.UNNAMED_GROUP_COLOR),
    "event types on the timeline": timeline.TYPE_PALETTE,
    "claim statuses": tuple(style.STATUS_COLORS.values()),
}


@pytest.mark.parametrize("deficiency", sorted(MACHADO))
@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palettes_stay_apart_under_colour_blindness(name, deficiency):
    assert _closest_pair(PALETTES[name], deficiency) >= MIN_DELTA_E


@pytest.mark.parametrize("deficiency", sorted(MACHADO))
def test_the_check_fails_on_a_palette_that_merges(deficiency):
    assert _closest_pair(TABLEAU10, deficiency) < MIN_DELTA_E
