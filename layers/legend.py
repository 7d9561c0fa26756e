"""Legends of the map: foldable titled boxes of swatch rows, all text escaped."""

from __future__ import annotations

from collections.abc import Sequence

from layers.style import esc


def legend_html(
    title: str, rows_html: Sequence[str], *, note: str = "", folded: bool = False
) -> str:
    """Return a legend's HTML: a foldable title, its rows and a note (text escaped).

    The map page shows it in a Leaflet control (``layers/js/claims_map.js``).

    Parameters
    ----------
    title : str
        Plain text, escaped here.
    rows_html : sequence of str
        Rows already built as safe HTML (see :func:`swatch_row`).
    note : str, optional
        Plain text under the rows, escaped here.
    folded : bool, default False
        Start folded (the title shows; a click opens it).

    Examples
    --------
    >>> legend_html("Claims <b>", [swatch_row("#bd0026", "20-50")])[:49]
    '<details open><summary>Claims &lt;b&gt;</summary>'
    """
    note_html = f'<div class="arm-note">{esc(note)}</div>' if note else ""
    opened = "" if folded else " open"
    return (
        f"<details{opened}><summary>{esc(title)}</summary>{''.join(rows_html)}{note_html}</details>"
    )


def swatch_row(color: str, label: str, *, opacity: float = 1.0, dashed: bool = False) -> str:
    """Return a legend row: a colour swatch and a plain-text label (escaped).

    Examples
    --------
    >>> swatch_row("#fff", "<b>").endswith("&lt;b&gt;</div>")
    True
    """
    border = ";border-style:dashed" if dashed else ""
    style = f"background:{esc(color)};opacity:{opacity:.2}{border}"
    return (
        f'<div class="arm-row"><span class="arm-swatch" style="{style}"></span>{esc(label)}</div>'
    )
