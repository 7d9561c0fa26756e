"""Claims as cards for people: one card per claim, in plain words, with its sources.

The claims panel beside the map shows an area's or a clicked event's claims as
cards (:func:`claim_cards`): when and how precisely, what, who claims it and its
status, fatalities as claimed and by whom, where and how precisely, and every source
in full (quote, outlet, title, publication date, link) with a citation to copy. A
contested claim (a claim and a denial on record) shows both sides' stances side by
side, with the fatality figure each side states ("gives no figure" where it states
none) and a note where the figures disagree.
Every value is plain text; the page escapes it. :func:`panel_content` is what the
panel shows for a selection, :func:`data_summary` the page's header line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from geo import settings
from geo.views.tables import area_events, area_figures

__all__ = ["card_citation", "claim_cards", "data_summary", "panel_content"]


def _text(value: Any) -> str:
    return (
        ""
        if value is None or (not isinstance(value, list | dict) and pd.isna(value))
        else str(value)
    )


def _when(row: Mapping[Any, Any]) -> str:
    start, end = row["date_start"], row["date_end"]
    first = start.strftime("%Y-%m-%d")
    last = end.strftime("%Y-%m-%d") if not pd.isna(end) else "open"
    precision = str(row["date_precision"])
    label = settings.DATE_PRECISION_LABELS.get(precision, precision)
    if first == last:
        return f"{first} ({label})"
    return f"{first} – {last} ({label})"


def card_citation(source: dict[str, Any]) -> str:
    """Return a source as a one-line citation: outlet, "title", date, URL.

    Examples
    --------
    >>> card_citation({"outlet": "Ariana News", "title": "NRF claims", "published": "2022-05-09",
    ...                "quote": "q", "file": "f.txt"})
    'Ariana News, "NRF claims", 2022-05-09. Source file: f.txt.'
    """
    outlet, title = _text(source.get("outlet")), _text(source.get("title"))
    published, url = _text(source.get("published")), _text(source.get("url"))
    parts = [p for p in (outlet if outlet != "unknown" else "Outlet unknown", f'"{title}"') if p]
    if published:
        parts.append(published)
    text = ", ".join(parts) + "."
    if url:
        text += f" {url}"
    elif source.get("file"):
        text += f" Source file: {_text(source.get('file'))}."
    return text


def _sources(value: Any) -> list[dict[str, str]]:
    out = []
    for source in value if isinstance(value, list | tuple) else []:
        if not isinstance(source, dict):
            continue
        cites = _text(source.get("cites"))
        out.append(
            {
                "quote": _text(source.get("quote")),
                "outlet": _text(source.get("outlet")),
                "cites": cites,
                "title": _text(source.get("title")),
                "published": _text(source.get("published")) or "publication date unknown",
                "url": _text(source.get("url")),
                "citation": card_citation(source),
            }
        )
    return out


#: A stance in plain words, as a card says it.
STANCE_WORDS = {
    "claims": "claims it",
    "denies": "denies it",
    "acknowledges": "acknowledges it",
    "corroborates": "corroborates it",
}


def _figure(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _stances_of(stances: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    """Return claim id -> its stances, oldest first.

    Each: ``text`` in words, ``side`` ("claim" or "denial"), ``party``, ``quote``,
    ``fatalities`` (the figure the stance states, or None) and ``figure`` (it in
    words: "40 killed", or "gives no figure").
    """
    if stances is None or stances.empty:
        return {}
    first = {"claims": 0, "acknowledges": 1, "corroborates": 2, "denies": 3}  # on one day
    ordered = stances.assign(_order=stances["stance"].map(first)).sort_values(
        ["reported", "_order", "stance_id"]
    )
    none = pd.Series(None, index=ordered.index, dtype=object)
    quotes = ordered["quote"] if "quote" in ordered else none
    figures = ordered["fatalities"] if "fatalities" in ordered else none
    out: dict[str, list[dict[str, Any]]] = {}
    for claim, party, stance, reported, quote, fatal in zip(
        ordered["claim_id"], ordered["party"], ordered["stance"], ordered["reported"],
        quotes, figures, strict=True,
    ):  # fmt: skip
        day = "date unknown" if pd.isna(reported) else pd.Timestamp(reported).strftime("%Y-%m-%d")
        number = _figure(fatal)
        out.setdefault(str(claim), []).append(
            {
                "text": f"{party} {STANCE_WORDS.get(stance, stance)} (reported {day})",
                "side": "denial" if stance == "denies" else "claim",
                "party": _text(party),
                "quote": _text(quote),
                "fatalities": number,
                "figure": "gives no figure" if number is None else f"{number:,} killed",
            }
        )
    return out


def _figures(sides: Mapping[str, list[dict[str, Any]]]) -> tuple[str, str]:
    """Return the sides' fatality figures in one line, and a note where they disagree.

    >>> said = {"claim": [{"party": "A", "fatalities": 40, "figure": "40 killed"}],
    ...         "denial": [{"party": "B", "fatalities": 2, "figure": "2 killed"}]}
    >>> line, note = _figures(said)
    >>> line
    'A: 40 killed vs B: 2 killed'
    >>> print(note)
    The figures disagree: A states 40 killed, B states 2 killed; each is its party's word.
    """
    line = " vs ".join(
        "; ".join(f"{s['party']}: {s['figure']}" for s in sides[side])
        for side in ("claim", "denial")
        if sides.get(side)
    )
    stated = [s for side in ("claim", "denial") for s in sides.get(side, [])
              if s["fatalities"] is not None]  # fmt: skip
    if len({s["fatalities"] for s in stated}) < 2:
        return line, ""
    each = ", ".join(f"{s['party']} states {s['figure']}" for s in stated)
    return line, f"The figures disagree: {each}; each is its party's word."


def claim_cards(
    events_frame: pd.DataFrame,
    *,
    limit: int | None = None,
    stances: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Return one card per claim, newest first, every value in plain words.

    Parameters
    ----------
    events_frame : pandas.DataFrame
        Rows of ``layer_frame("events", ...)``.
    limit : int, optional
        At most this many cards (the newest).
    stances : pandas.DataFrame, optional
        The claims' stances (``MapData.stances``): each card lists its own.

    Returns
    -------
    list of dict
        ``id``, ``title`` (type), ``when``, ``status``, ``who`` (who claims what),
        ``fatalities`` (as claimed and by whom, or ""), ``where``, ``where_basis``,
        ``when_basis``, ``notes``, ``stances`` (who took which stance, when, in
        words), ``contested`` and ``sides`` (the claim's and the denial's stances,
        each with ``text`` and ``quote``, to show side by side) and ``sources``
        (each with ``quote``, ``outlet``, ``cites``, ``title``, ``published``, ``url``,
        ``citation``).

    Examples
    --------
    >>> claim_cards(frame)[0]["status"]  # doctest: +SKIP
    "Claimed (one side's word)"
    """
    frame = events_frame.sort_values(["date_start", "event_id"], ascending=[False, True])
    if limit is not None:
        frame = frame.head(limit)
    said = _stances_of(
        None if stances is None else stances[stances["claim_id"].isin(set(frame["event_id"]))]
    )
    cards = []
    for row in frame.drop(columns="geometry", errors="ignore").to_dict("records"):
        event_type, status = str(row["event_type"]), str(row["claim_status"])
        actor2 = _text(row.get("actor2"))
        fatal = row.get("fatalities")
        place = _text(row.get("location_name"))
        province = _text(row.get("province_name"))
        if province and province != place:
            place = f"{place}, {province}" if place else province
        precision = settings.LOCATION_PRECISIONS.get(int(row["location_precision"]), "?")
        own = said.get(str(row["event_id"]), [])
        sides = {side: [s for s in own if s["side"] == side] for side in ("claim", "denial")}
        figures, note = _figures(sides) if all(sides.values()) else ("", "")
        cards.append(
            {
                "id": str(row["event_id"]),
                "title": settings.EVENT_TYPE_LABELS.get(event_type, event_type),
                "when": _when(row),
                "when_basis": _text(row.get("date_basis")),
                "status": settings.CLAIM_STATUS_LABELS.get(status, status),
                "who": (
                    f"{_text(row.get('claimed_by'))} claims: {_text(row.get('actor1'))}"
                    + (f" against {actor2}" if actor2 else "")
                ),
                "fatalities": (
                    ""
                    if pd.isna(fatal)
                    else f"{int(fatal):,} killed, as claimed by "
                    f"{_text(row.get('fatalities_claimed_by')) or 'an unnamed source'}"
                ),
                "where": f"{place} (location known to: {precision})",
                "where_basis": _text(row.get("location_basis")),
                "notes": _text(row.get("notes")),
                "stances": [s["text"] for s in said.get(str(row["event_id"]), [])],
                "sides": sides,
                "contested": all(sides.values()),  # a claim and a denial on record
                "figures": figures,
                "figures_note": note,
                "sources": _sources(row.get("sources")),
            }
        )
    return cards


def _month(day: Any) -> str:
    return pd.Timestamp(day).strftime("%b %Y")


def data_summary(events: pd.DataFrame, span: tuple[Any, Any]) -> str:
    """Say in one line what the map holds: claims, articles, span; what a claim is.

    Articles are the distinct source files (or, without one, outlet and title) the
    claims cite.

    Examples
    --------
    >>> data_summary(events, span)  # doctest: +SKIP
    "29 claims from 5 articles, Aug 2021–Apr 2023. A claim is one side's word."
    """
    articles = set()
    for sources in events["sources"]:
        for s in sources if isinstance(sources, list) else []:
            if isinstance(s, dict):
                articles.add(s.get("file") or (s.get("outlet"), s.get("title")))
    n, k = len(events), len(articles)
    claims = f"{n:,} claim" + ("" if n == 1 else "s")
    cited = f" from {k:,} article" + ("" if k == 1 else "s") if k else ""
    return (
        f"{claims}{cited}, {_month(span[0])}–{_month(span[1])}. A claim is one side's word "
        "unless the other side acknowledges it or an independent source corroborates it."
    )


def panel_content(
    frames: Mapping[str, pd.DataFrame] | Callable[[], Mapping[str, pd.DataFrame]],
    *,
    selected: tuple[str, str] | None,
    claim: str | None,
    limit: int,
    stances: pd.DataFrame | None = None,
) -> dict[str, Any] | None:
    """Return what the claims panel shows for a selected area or claim (None: nothing).

    Parameters
    ----------
    frames : dict, or a function that makes it
        ``map_frames`` of the window: "events" and the area layers (made only when
        something is selected).
    selected : tuple of str, optional
        The selected area's code and kind ("province" or "district").
    claim : str, optional
        The selected claim's event id: its card comes first, then the other claims
        of its province (or of ``selected``).
    limit : int
        At most this many cards (the newest); ``total`` says how many there are.
    stances : pandas.DataFrame, optional
        The claims' stances, listed on their cards.

    Returns
    -------
    dict or None
        ``area`` (code, kind) or None, ``figures`` (:func:`area_figures`) or None,
        ``cards``, ``total`` and ``note`` (why the claim shows no card, or "").
    """
    if not (selected or claim):
        return None
    frames = frames() if callable(frames) else frames
    events = frames.get("events")
    if events is None:
        return None
    cards: list[dict[str, Any]] = []
    note = ""
    if claim:
        own = events[events["event_id"] == claim]
        if own.empty:
            note = f"Claim {claim} is not in the window or the filters."
        else:
            cards = claim_cards(own, stances=stances)
            code = own["province_code"].iloc[0]
            selected = None if pd.isna(code) or not str(code) else (str(code), "province")
    figures = None
    if selected:
        code, kind = selected
        layer = frames.get(f"{kind}s")
        figures = area_figures(layer, area_code=code) if layer is not None else None
        others = claim_cards(area_events(events, area_code=code, kind=kind), stances=stances)
        cards += [c for c in others if c["id"] != claim]
    return {
        "area": selected,
        "figures": figures,
        "cards": cards[:limit],
        "total": len(cards),
        "note": note,
    }
