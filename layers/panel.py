"""The claims panel beside the map: an area's figures and its claims as cards, in Markdown.

The app shows each card in a bordered box (``st.container``) with its sources'
citations in code blocks (which carry a copy button). Every value from the data is
escaped (:func:`layers.style.md_escape`) and a link is only made of an ``http(s)``
URL, so nothing in a file becomes markup.
"""

from __future__ import annotations

from typing import Any

from layers.style import md_escape


def _link(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        return ""
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f" · [open the article]({safe})"


def _sides(sides: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Return a two-column Markdown table: the claim's stances beside the denial's.

    Each cell: who took the stance and when, its quote, and the fatality figure it
    states ("gives no figure" where it states none).
    """

    def cell(stance: dict[str, Any] | None) -> str:
        if stance is None:
            return ""
        quote = f": “{md_escape(stance['quote'])}”" if stance.get("quote") else ""
        figure = f" · Fatalities: {md_escape(stance['figure'])}" if stance.get("figure") else ""
        return md_escape(stance["text"]) + quote + figure

    claims, denials = sides.get("claim", []), sides.get("denial", [])
    rows = ["| Claimed | Denied |", "|---|---|"]
    for i in range(max(len(claims), len(denials))):
        left = cell(claims[i] if i < len(claims) else None)
        right = cell(denials[i] if i < len(denials) else None)
        rows.append(f"| {left} | {right} |")
    return rows


def card_markdown(card: dict[str, Any], *, selected: bool = False) -> str:
    r"""Return one claim card (from :func:`geo.views.claim_cards`) as escaped Markdown.

    Examples
    --------
    >>> card = {"id": "e1", "title": "Clash", "when": "2022-05-01 (exact day)", "when_basis": "",
    ...         "status": "Denied by the other side", "who": "NRF claims: NRF against Taliban",
    ...         "fatalities": "", "where": "Panjshir (location known to: province)",
    ...         "where_basis": "", "notes": "", "sources": []}
    >>> print(card_markdown(card).splitlines()[0])
    **Clash** · 2022\-05\-01 \(exact day\)
    """
    e = md_escape
    lines = [f"**{e(card['title'])}** · {e(card['when'])}"]
    if selected:
        lines[0] = "📍 Selected on the map · " + lines[0]
    lines += ["", f"*{e(card['status'])}* · {e(card['who'])}"]
    if card["fatalities"]:
        lines += ["", f"Fatalities: {e(card['fatalities'])}"]
    lines += ["", f"Where: {e(card['where'])}"]
    if card.get("stances"):
        lines += ["", "Who says what: " + "; ".join(e(s) for s in card["stances"])]
    if card.get("contested"):
        lines += ["", "**Contested**: the claim and its denial, side by side", ""]
        lines += _sides(card["sides"])
        if card.get("figures_note"):
            lines += ["", f"**{e(card['figures_note'])}**"]
    for source in card["sources"]:
        outlet = source["outlet"] if source["outlet"] != "unknown" else "outlet unknown"
        cites = f" (citing {source['cites']})" if source["cites"] else ""
        lines += [
            "",
            f"> “{e(source['quote'])}”",
            "",
            f"— {e(outlet)}{e(cites)}, *{e(source['title'])}*, {e(source['published'])}"
            + _link(source["url"]),
        ]
    basis = {
        "How the date was read": card["when_basis"],
        "How the place was read": card["where_basis"],
        "Notes": card["notes"],
    }
    for label, text in basis.items():
        if text:
            lines += ["", f":gray[{label}: {e(text)}]"]
    lines += ["", f":gray[ID {e(card['id'])}]"]
    return "\n".join(lines)
