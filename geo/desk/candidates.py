"""Candidate events as the desk holds them, how they are merged, and their events-CSV rows.

A reviewer reads every candidate, so what the article says twice is one candidate:
:func:`merge` folds a candidate into an earlier one with the same place, dates, type
and figure, and an undated one (the sentence gives no date) into a dated one of the
same place and a compatible type whose dates fall inside its range; :func:`fold`
adds a follow-up sentence's details to the candidates it continues. The folded
sentence is named in the notes; its figure or status is taken only where it does not
contradict the first. :func:`to_frame` writes the rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from geo import settings
from geo.desk.article import Sentence
from geo.desk.dates import DateReading
from geo.desk.parties import RESISTANCE, TALIBAN

__all__ = ["FIGHTING", "NO_PLACE", "Candidate", "Where", "compatible", "fold", "merge", "to_frame"]

#: The start of the location basis of a candidate whose sentence names no place at all.
NO_PLACE = "the sentence names no place the gazetteer knows"
_POINTS_TO_PLACE = re.compile(r"\bthe (?:area|region|valley|province|district)s?\b")
#: Event types that may describe the same fighting (an attack, its casualties).
FIGHTING = frozenset({"clash", "attack", "ambush", "casualty_claim"})


@dataclass
class Where:
    """Where a candidate happened, with the precision and basis the row will carry."""

    name: str
    province: str = ""
    district: str = ""
    lon: str = ""
    lat: str = ""
    precision: int = 4
    basis: str = ""
    notes: list[str] = field(default_factory=list)
    place_id: str = ""

    def key(self) -> tuple[object, ...]:
        """Return what makes two places the same place."""
        return (self.place_id or self.name.casefold(), self.province, self.precision)


@dataclass
class Candidate:
    """One candidate event: the sentence and quote, what it says, where and when."""

    sentence: Sentence
    quote: str
    kind: str
    actor1: str
    actor2: str
    claimed_by: str
    status: str
    where: Where
    when: DateReading
    killed: int | None
    notes: list[str]
    killed_by: str = ""
    also: list[int] = field(default_factory=list)

    def key(self) -> tuple[object, ...]:
        """Return what makes two candidates the same claim."""
        d = self.when
        return (*self.where.key(), d.start, d.end, self.kind, self.killed)


def compatible(first: Candidate, other: Candidate) -> bool:
    """Whether ``other`` may be the same event as ``first``: type and figure agree."""
    kinds = first.kind == other.kind or {first.kind, other.kind} <= FIGHTING
    return kinds and (first.killed is None or other.killed in (None, first.killed))


def fold(target: Candidate, other: Candidate, *, figure: bool = True) -> None:
    """Fold ``other`` (a later sentence saying the same or more) into ``target``.

    The folded sentence is listed in ``also``; a status other than ``claimed``, a
    named group where the target names none, and (with ``figure``) a death toll the
    target lacks, with who states it, are taken from it, each with a note.
    """
    n = other.sentence.number + 1
    if other.sentence.number != target.sentence.number:
        target.also.append(other.sentence.number)
    target.also.extend(k for k in other.also if k != target.sentence.number)
    if other.status != "claimed" and target.status == "claimed":
        target.status = other.status
        target.notes.append(f"status '{other.status}' from sentence {n}")
    if target.actor1 == RESISTANCE and other.actor1 not in (RESISTANCE, TALIBAN):
        if other.actor2 == target.actor2:
            target.actor1 = other.actor1
            target.notes.append(f"actor1 from sentence {n}")
    if figure and target.killed is None and other.killed is not None:
        target.killed, target.killed_by = other.killed, other.killed_by
        target.notes.append(f"fatalities from sentence {n} ({other.killed_by})")
    for note in other.notes:
        if note.startswith(("wounded:", "the figure is approximate")):
            target.notes.append(f"sentence {n}: {note}")


def merge(found: list[Candidate]) -> list[Candidate]:
    """Return the candidates with repeats folded into the first (see the module docstring)."""
    merged: dict[tuple[object, ...], Candidate] = {}
    for c in found:
        first = merged.get(c.key())
        if first is None:
            merged[c.key()] = c
        elif c.sentence.number != first.sentence.number:
            fold(first, c)
    kept = list(merged.values())
    out: list[Candidate] = []
    for c in kept:
        target = None if c.when.clue else _dated_twin(c, kept) or _placed_twin(c, kept)
        if target is None:
            out.append(c)
        else:
            fold(target, c, figure=False)
    return out


def _placed_twin(c: Candidate, kept: list[Candidate]) -> Candidate | None:
    """Return the first placed candidate of the same type as ``c``, which names no place.

    Only for an undated candidate without a figure whose sentence names no place but
    points to one ("sending reinforcements to the area" beside "reinforcements to
    Panjshir and Baghlan").
    """
    if c.killed is not None or not c.where.basis.startswith(NO_PLACE):
        return None
    if not _POINTS_TO_PLACE.search(c.sentence.text):
        return None
    for d in kept:
        if d is not c and d.kind == c.kind and d.where.precision < 4 and _within(d.when, c.when):
            return d
    return None


def _dated_twin(c: Candidate, kept: list[Candidate]) -> Candidate | None:
    """Return a dated candidate of the same place and event inside the undated ``c``'s range."""
    for d in kept:
        if d is c or not d.when.clue or d.when.end is None or d.where.key() != c.where.key():
            continue
        if _within(d.when, c.when) and compatible(d, c):
            return d
    return None


def _within(inner: DateReading, outer: DateReading) -> bool:
    """Whether ``inner``'s dates lie inside ``outer``'s (an end None is open)."""
    if inner.start < outer.start:
        return False
    return outer.end is None or (inner.end is not None and inner.end <= outer.end)


def to_frame(found: list[Candidate], *, file: str, source: dict[str, str]) -> pd.DataFrame:
    """Return the candidates as events-CSV rows (``settings.EVENT_COLUMNS``, all strings).

    ``source`` holds what every row's source says (file, outlet, title, published, url);
    each row adds its quote.
    """
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(file).stem).strip("-") or "article"
    rows = []
    for n, c in enumerate(found, start=1):
        notes = list(c.notes)
        if c.also:
            shown = ", ".join(str(k + 1) for k in sorted(set(c.also)))
            notes.append(f"the article says this again in sentence(s) {shown}")
        notes.append(f"candidate from sentence {c.sentence.number + 1}; review before use")
        w, d = c.where, c.when
        rows.append(
            {
                "event_id": f"cand-{stem}-{n:02d}",
                "date_start": d.start.isoformat(),
                "date_end": _end_text(d),
                "date_precision": d.precision,
                "date_basis": d.basis,
                "event_type": c.kind,
                "actor1": c.actor1,
                "actor2": c.actor2,
                "claimed_by": c.claimed_by,
                "claim_status": c.status,
                "location_name": w.name,
                "province_code": w.province,
                "district": w.district,
                "longitude": w.lon,
                "latitude": w.lat,
                "location_precision": str(w.precision),
                "location_basis": w.basis,
                "fatalities": "" if c.killed is None else str(c.killed),
                "fatalities_claimed_by": "" if c.killed is None else c.killed_by,
                "notes": "; ".join(notes),
                "sources": json.dumps([{**source, "quote": c.quote}], ensure_ascii=False),
            }
        )
    return pd.DataFrame(rows, columns=list(settings.EVENT_COLUMNS), dtype=object).fillna("")


def _end_text(d: DateReading) -> str:
    if d.end is None:
        return ""
    implied: date | None = {
        "day": d.start,
        "week": d.start + timedelta(days=6),
        "month": (pd.Timestamp(d.start) + pd.offsets.MonthEnd(0)).date(),
    }.get(d.precision)
    return "" if implied == d.end else d.end.isoformat()
