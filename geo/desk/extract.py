"""From an article to candidate events in the claims format, for a person to review.

:func:`extract_candidates` reads the article sentence by sentence. A sentence becomes a
candidate when it reports an event (:func:`geo.desk.parties.event_type`), names a
party, and is neither history, a forecast nor a heading. Each place it names is one
candidate (a sentence naming no place borrows the places of the nearest of the three
sentences before it, and says so); the date comes from its own clues
(:mod:`geo.desk.dates`). Candidates for the same place, dates, type and figure are
merged, so a reviewer reads each claim once. Nothing is invented: every quote is a
slice of the article, every number is written in it, coordinates appear only for an
exact place the text names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from geo import settings
from geo._csv import write_frame
from geo._files import atomic_write
from geo.desk import parties
from geo.desk.article import Article, Sentence, split_sentences
from geo.desk.dates import DateReading, find_dateline, read_date, reference_day
from geo.desk.mentions import Mention, find_places, most_precise, unknown_places
from geo.places import Gazetteer

__all__ = ["CONTEXT_SENTENCES", "extract_candidates", "write_candidates"]

#: How many sentences back a sentence without a place may borrow one from.
CONTEXT_SENTENCES = 3
_ENDS_SENTENCE = re.compile(r"[.!?][”’\"')]*\s*$")


@dataclass
class _Where:
    name: str
    province: str = ""
    district: str = ""
    lon: str = ""
    lat: str = ""
    precision: int = 4
    basis: str = ""
    notes: list[str] = field(default_factory=list)
    place_id: str = ""


@dataclass
class _Candidate:
    sentence: Sentence
    quote: str
    kind: str
    actor1: str
    actor2: str
    claimed_by: str
    status: str
    where: _Where
    when: DateReading
    killed: int | None
    notes: list[str]
    also: list[int] = field(default_factory=list)

    def key(self) -> tuple[object, ...]:
        w, d = self.where, self.when
        return (
            w.place_id or w.name.casefold(),
            w.province,
            w.precision,
            d.start,
            d.end,
            self.kind,
            self.killed,
        )


def extract_candidates(article: Article, *, gazetteer: Gazetteer) -> pd.DataFrame:
    """Return the candidate events an article states, as events-CSV rows.

    Parameters
    ----------
    article : Article
        The text and what the reviewer says about it (file name, publication date,
        outlet, url, title).
    gazetteer : Gazetteer
        Resolves place names (:meth:`Gazetteer.load`).

    Returns
    -------
    pandas.DataFrame
        Exactly ``settings.EVENT_COLUMNS``, every value a string, one row per
        candidate, ids ``cand-<file stem>-01``, ``-02``... in the order of the text.

    Examples
    --------
    >>> art = Article("Kabul, May 2  Fighters clashed with the Taliban in Andrab on Sunday.",
    ...               file="a.txt", published=date(2022, 5, 2))
    >>> row = extract_candidates(art, gazetteer=Gazetteer.load()).iloc[0]
    >>> row["date_start"], row["province_code"], row["event_type"]
    ('2022-05-01', 'AF-BGL', 'clash')
    """
    text = article.text
    ref = reference_day(text, article.published)
    dateline = find_dateline(text)
    skip_to = dateline.end() if dateline is not None else 0
    sentences = split_sentences(text)
    places = [
        most_precise([m for m in find_places(s.text, gazetteer) if s.start + m.start >= skip_to])
        for s in sentences
    ]
    denials = [s for s in sentences if _is_taliban_denial(s.text)]
    found: list[_Candidate] = []
    for i, s in enumerate(sentences):
        if _is_heading(s) or parties.is_background(s.text):
            continue
        before = sentences[i - 1] if i and sentences[i - 1].paragraph == s.paragraph else None
        if not parties.mentions_party(s.text + " " + (before.text if before else "")):
            continue
        clues = s.text[max(0, skip_to - s.start) :]  # the dateline is no clue
        when = read_date(clues, ref)
        for kind, status in _kinds(s.text):
            base = _base(s, kind, ref_reading=when, article=article)
            base.status = status or base.status
            others = [d for d in denials if d.number != s.number]
            if others and base.status == "claimed" and _resistance_claim(base):
                base.status = "denied"
                base.notes.append(
                    f"status 'denied' from the article's sentence {others[0].number + 1} "
                    f"('{_start(others[0].text)}'): check that the denial covers this claim"
                )
            for where in _places_for(i, sentences, places, gazetteer):
                found.append(replace(base, where=where, notes=[*base.notes, *where.notes]))
    return _frame(_merge(found), article)


def write_candidates(frame: pd.DataFrame, path: Path | str, *, force: bool = False) -> None:
    """Write candidates as an events CSV, atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`extract_candidates`.
    path : Path or str
        The CSV file.
    force : bool, default False
        Replace an existing file.

    Raises
    ------
    ExportError
        If ``path`` exists without ``force``, is a folder, or cannot be written.
    """
    with atomic_write(Path(path), force=force) as fh:
        write_frame(fh, frame)


# --- one sentence ----------------------------------------------------------------------
def _kinds(text: str) -> list[tuple[str, str | None]]:
    """Return the event types a sentence reports, each with a status that overrides its own.

    A Taliban denial of clashes or attacks is the denied claim (status ``denied``) and,
    when the same sentence states something else (reinforcements sent), that too, as
    the denier's own claim (``claimed``).
    """
    kind = parties.event_type(text)
    if kind is None:
        return []
    if not _is_taliban_denial(text) or kind not in ("clash", "attack"):
        return [(kind, None)]
    other = parties.event_type(text, skip=("clash", "attack"))
    return [(kind, "denied"), *([(other, "claimed")] if other else [])]


def _base(s: Sentence, kind: str, *, ref_reading: DateReading, article: Article) -> _Candidate:
    actor1, actor2 = parties.actors(s.text, kind)
    who = parties.claimant(s.text)
    if who is None:
        who = f"{article.outlet} (the article's own statement)" if article.outlet else ""
        who = who or "the article (no source named)"
    casualties = parties.fatalities(s.text)
    notes: list[str] = []
    if casualties.killed is not None and re.match(
        r"(?:around|about|nearly|almost|at least|more than|over|some|up to)\b",
        casualties.killed_text,
        re.IGNORECASE,
    ):
        notes.append(f"the figure is approximate: '{casualties.killed_text}'")
    if casualties.wounded is not None:
        notes.append(f"wounded: {casualties.wounded} ('{casualties.wounded_text}')")
    if casualties.killed is None and re.search(r"\bkilled\b|\bdead\b", s.text, re.IGNORECASE):
        notes.append("deaths are mentioned without a number: fatalities left empty")
    return _Candidate(
        sentence=s,
        quote=_quote(s.text),
        kind=kind,
        actor1=actor1,
        actor2=actor2,
        claimed_by=who,
        status=parties.status(s.text),
        where=_Where("Afghanistan"),
        when=ref_reading,
        killed=casualties.killed,
        notes=notes,
    )


def _places_for(
    i: int, sentences: list[Sentence], places: list[list[Mention]], gazetteer: Gazetteer
) -> list[_Where]:
    s = sentences[i]
    unknown = unknown_places(s.text, places[i], gazetteer)
    own = [m for m in places[i] if not (m.place is not None and m.place.kind == "country")]
    if own:
        out = [_where(m, "the sentence names") for m in own]
    else:
        out = []
        for back in range(1, CONTEXT_SENTENCES + 1):
            if i - back < 0:
                break
            earlier = [
                m
                for m in places[i - back]
                if not (m.place is not None and m.place.kind == "country")
            ]
            if len(earlier) == 1 and not unknown:  # a list of places is not carried over
                how = f"the sentence names no place; {back} sentence(s) before it, the text names"
                out = [_where(m, how) for m in earlier]
                for w in out:
                    w.notes.append("place taken from the text before the quote: check it")
                break
    if not out:
        why = "the sentence names no place the gazetteer knows"
        if unknown:
            why = f"the text names {_names(unknown)}, which the gazetteer does not know"
        return [_Where("Afghanistan", precision=4, basis=f"{why}: country level, no point")]
    if unknown:
        for w in out:
            w.basis += (
                f"; the sentence also names {_names(unknown)}, which the gazetteer does not "
                "know, so the place is no more precise than this"
            )
    return out


def _where(m: Mention, how: str) -> _Where:
    place = m.place
    if place is None:  # ambiguous: every reading listed, none picked
        codes = sorted({p.province_code or "" for p in m.candidates})
        listed = "; ".join(
            f"{p.name} ({p.kind.replace('_', ' ')}, {p.province_code or 'no province'})"
            for p in m.candidates
        )
        note = f"'{m.text}' is ambiguous; the gazetteer's readings: {listed}. Pick one"
        if len(codes) == 1 and codes[0]:
            basis = f"{how} '{m.text}', ambiguous within one province: province level, no point"
            return _Where(m.text, codes[0], precision=3, basis=basis, notes=[note])
        return _Where(
            m.text,
            precision=4,
            basis=f"{how} '{m.text}', ambiguous across provinces: country level, no point",
            notes=[note],
        )
    precision = place.location_precision
    where = f"{place.province_code} {place.province_name}" if place.province_code else "none"
    basis = (
        f"{how} '{m.text}': {place.name} in the gazetteer ({place.kind.replace('_', ' ')}, "
        f"province {where}); {settings.LOCATION_PRECISIONS[precision]} level"
    )
    out = _Where(m.text, place.province_code or "", precision=precision, basis=basis)
    out.place_id = place.place_id
    if place.kind == "district":
        out.district = place.name
    elif place.district and precision == 1:
        out.district = place.district
    if precision == 1 and place.longitude is not None and place.latitude is not None:
        out.lon, out.lat = repr(place.longitude), repr(place.latitude)
        out.basis += (
            f"; point = the gazetteer's point for {place.name} ({place.place_id}), "
            "which stands for the place, not the site of the event"
        )
    elif precision == 1:
        out.precision = 2 if place.district else 3
        out.basis += "; the gazetteer has no point for it, so no point and a lower precision"
    if precision == 4:
        out.province = ""
    return out


# --- merging and rows ---------------------------------------------------------------------
def _merge(found: list[_Candidate]) -> list[_Candidate]:
    merged: dict[tuple[object, ...], _Candidate] = {}
    for c in found:
        first = merged.get(c.key())
        if first is None:
            merged[c.key()] = c
        elif c.sentence.number != first.sentence.number:
            first.also.append(c.sentence.number)
            if c.status != "claimed" and first.status == "claimed":
                first.status = c.status
    return list(merged.values())


def _frame(found: list[_Candidate], article: Article) -> pd.DataFrame:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(article.file).stem).strip("-") or "article"
    rows = []
    for n, c in enumerate(found, start=1):
        source: dict[str, str] = {
            "file": article.file,
            "outlet": article.outlet or "unknown",
            "title": article.title or "untitled",
        }
        if article.published is not None:
            source["published"] = article.published.isoformat()
        if article.url:
            source["url"] = article.url
        source["quote"] = c.quote
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
                "fatalities_claimed_by": "" if c.killed is None else c.claimed_by,
                "notes": "; ".join(notes),
                "sources": json.dumps([source], ensure_ascii=False),
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


# --- helpers --------------------------------------------------------------------------
def _quote(text: str) -> str:
    """Return the sentence, or its first 300 characters cut at a word: always a slice of it."""
    limit = settings.SOURCE_QUOTE_MAX
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _start(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _is_heading(s: Sentence) -> bool:
    return not _ENDS_SENTENCE.search(s.text)


def _is_taliban_denial(text: str) -> bool:
    return bool(
        parties.is_denial(text)
        and re.search(r"\bTaliban\b|\bIslamic Emirate\b", text)
        and re.search(r"\b(?:offensive|attack|fighting|clash)\w*", text, re.IGNORECASE)
    )


def _resistance_claim(c: _Candidate) -> bool:
    return c.kind in ("clash", "attack", "ambush") and c.actor1 != parties.TALIBAN
