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

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from geo import settings
from geo._csv import write_frame
from geo._files import atomic_write
from geo.desk import parties
from geo.desk.article import Article, Sentence, quote_of, split_sentences
from geo.desk.candidates import NO_PLACE, Candidate, Where, compatible, fold, merge, to_frame
from geo.desk.dates import DateReading, find_dateline, read_date, reference_day
from geo.desk.mentions import (
    Mention,
    find_places,
    in_time_clause,
    most_precise,
    unknown_places,
    vague_area,
)
from geo.places import Gazetteer

__all__ = ["CONTEXT_SENTENCES", "extract_candidates", "write_candidates"]

#: How many sentences back a sentence may borrow a place, a party or a group from.
CONTEXT_SENTENCES = 3
_ENDS_SENTENCE = re.compile(r"[.!?][”’\"')]*\s*$")
#: Words that say a sentence tells of another event than the one before it.
_ANOTHER = re.compile(r"\b(?:separate(?:ly)?|elsewhere|meanwhile|another|second)\b", re.I)


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
    >>> from datetime import date
    >>> art = Article("Kabul, May 2  Fighters clashed with the Taliban in Andrab on Sunday.",
    ...               file="a.txt", published=date(2022, 5, 2))
    >>> row = extract_candidates(art, gazetteer=Gazetteer.load()).iloc[0]
    >>> row["date_start"], row["province_code"], row["event_type"]
    ('2022-05-01', 'AF-BGL', 'clash')
    """
    text = article.text
    ref = reference_day(text, article.published)
    dateline = find_dateline(text)
    line = (dateline.start(), dateline.end()) if dateline is not None else (0, 0)
    sentences = split_sentences(text)
    # each sentence without the dateline: the dateline is no clue, no place, no quote
    bodies = [_without(s, line) for s in sentences]
    places = [
        most_precise(
            [
                m
                for m in find_places(s.text, gazetteer)
                if not line[0] <= s.start + m.start < line[1] and not in_time_clause(s.text, m)
            ]
        )
        for s in sentences
    ]
    denials = [s for s in sentences if _is_taliban_denial(s.text)]
    found: list[Candidate] = []
    by_sentence: dict[int, list[Candidate]] = {}
    for i, s in enumerate(sentences):
        body = bodies[i]
        if _is_heading(s) or parties.is_background(body):
            continue
        if not any(parties.mentions_party(bodies[k]) for k in _context(i, with_self=True)):
            continue
        kinds = _kinds(body)
        if not kinds:
            _deny_before(i, body, by_sentence)
            continue
        when = read_date(body, ref)
        own = _own_places(i, sentences, places, gazetteer)
        for kind, status in kinds:
            base = _base(s, body, kind, when=when, article=article, group=_group(i, bodies))
            base.status = status or base.status
            others = [d for d in denials if d.number != s.number]
            if others and base.status == "claimed" and _resistance_claim(base):
                base.status = "denied"
                base.notes.append(
                    f"status 'denied' from the article's sentence {others[0].number + 1} "
                    f"('{_start(others[0].text)}'): check that the denial covers this claim"
                )
            targets = [] if own or when.clue else _follow_up(i, body, base, by_sentence)
            if targets:
                for t in targets:
                    fold(t, base, figure=len(targets) == 1)
                continue
            for where in _places_for(i, sentences, places, gazetteer):
                made = replace(base, where=where, notes=[*base.notes, *where.notes])
                found.append(made)
                by_sentence.setdefault(i, []).append(made)
    source = {"file": article.file, "outlet": article.outlet or "unknown"}
    source["title"] = article.title or "untitled"
    if article.published is not None:
        source["published"] = article.published.isoformat()
    if article.url:
        source["url"] = article.url
    return to_frame(merge(found), file=article.file, source=source)


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
    the denier's own claim (``claimed``). Fighting and reinforcements sent in the same
    sentence ("moved fighters into X after attacks") are two candidates.
    """
    kind = parties.event_type(text)
    if kind is None:
        return []
    if not _is_taliban_denial(text) or kind not in ("clash", "attack"):
        sent = kind in ("clash", "attack") and _SENT_TO.search(text) is not None
        return [(kind, None), *([("reinforcement", None)] if sent else [])]
    other = parties.event_type(text, skip=("clash", "attack"))
    return [(kind, "denied"), *([(other, "claimed")] if other else [])]


#: Forces sent to a named place: "moved hundreds of fighters into the Panjshir valley".
_SENT_TO = re.compile(
    r"\b(?:deploy\w*|sen[dt]\w*|mov(?:ed|ing))\s+(?:[\w-]+\s+){0,4}?(?:fighters|forces|troops"
    r"|reinforcements)\s+(?:in)?to\s+(?:the\s+)?[A-Z]"
)


def _base(
    s: Sentence, body: str, kind: str, *, when: DateReading, article: Article, group: str | None
) -> Candidate:
    actor1, actor2 = parties.actors(body, kind, group=group)
    who = parties.claimant(body)
    if who is None:
        who = f"{article.outlet} (the article's own statement)" if article.outlet else ""
        who = who or "the article (no source named)"
    casualties = parties.fatalities(body)
    notes: list[str] = []
    if group is not None and group in (actor1, actor2) and parties.named_group(body) is None:
        notes.append(f"'{group}' is named in the sentences before this one: check it")
    if casualties.killed is not None and casualties.approximate:
        notes.append(f"the figure is approximate: '{casualties.killed_text}'")
    if casualties.wounded is not None:
        notes.append(f"wounded: {casualties.wounded} ('{casualties.wounded_text}')")
    if casualties.killed is None and re.search(r"\bkilled\b|\bdead\b", body, re.IGNORECASE):
        notes.append("deaths are mentioned without a number: fatalities left empty")
    return Candidate(
        sentence=s,
        quote=quote_of(body),
        kind=kind,
        actor1=actor1,
        actor2=actor2,
        claimed_by=who,
        status=parties.status(body),
        where=Where("Afghanistan"),
        when=when,
        killed=casualties.killed,
        notes=notes,
        killed_by=who,
    )


# --- context: the sentences before one ------------------------------------------------
def _context(i: int, *, with_self: bool = False) -> range:
    """Return the indices of the sentence ``i`` (if asked) and the ones before it, nearest first."""
    return range(i if with_self else i - 1, max(-1, i - CONTEXT_SENTENCES - 1), -1)


def _group(i: int, bodies: list[str]) -> str | None:
    """Return the group named nearest before sentence ``i`` ("its fighters"), or None."""
    return next((g for k in _context(i) if (g := parties.named_group(bodies[k]))), None)


def _own_places(
    i: int, sentences: list[Sentence], places: list[list[Mention]], gazetteer: Gazetteer
) -> bool:
    """Whether sentence ``i`` names a place of its own (known, unknown or a vague area)."""
    s = sentences[i]
    own = [m for m in places[i] if not (m.place is not None and m.place.kind == "country")]
    return bool(own or unknown_places(s.text, places[i], gazetteer) or vague_area(s.text))


def _follow_up(
    i: int, body: str, c: Candidate, by_sentence: dict[int, list[Candidate]]
) -> list[Candidate]:
    """Return the candidates a sentence naming no place and no date continues, or [].

    "Four guards were killed in the raid, he said." after "Gunmen stormed an outpost in
    Khenj on Tuesday.": the nearest sentence before it (within ``CONTEXT_SENTENCES``)
    that gave candidates, when their type and figure agree with this one's and the
    sentence does not announce another event ("separately", "another").
    """
    if _ANOTHER.search(body):
        return []
    for k in _context(i):
        if k in by_sentence:
            targets = by_sentence[k]
            return targets if all(compatible(t, c) for t in targets) else []
    return []


def _deny_before(i: int, body: str, by_sentence: dict[int, list[Candidate]]) -> None:
    """Mark denied the claims just before a Taliban denial that names no event of its own."""
    if not (parties.is_denial(body) and re.search(r"\bTaliban\b|\bIslamic Emirate\b", body)):
        return
    for k in _context(i):
        if k in by_sentence:
            for t in by_sentence[k]:
                if t.actor1 != parties.TALIBAN and t.status == "claimed":
                    t.status = "denied"
                    t.notes.append(
                        f"status 'denied' from the article's sentence {i + 1} ('{_start(body)}')"
                    )
            return


def _places_for(
    i: int, sentences: list[Sentence], places: list[list[Mention]], gazetteer: Gazetteer
) -> list[Where]:
    s = sentences[i]
    unknown = unknown_places(s.text, places[i], gazetteer)
    own = [m for m in places[i] if not (m.place is not None and m.place.kind == "country")]
    vague = vague_area(s.text)
    if not own and places[i] and not unknown:  # "He left Afghanistan": the country, no more
        why = f"the sentence names only '{places[i][0].text}'"
        return [Where("Afghanistan", precision=4, basis=f"{why}: country level, no point")]
    if own:
        out = [_where(m, "the sentence names") for m in own]
    elif vague is not None and not unknown:
        why = f"the sentence names only a vague area ('{vague}')"
        return [Where("Afghanistan", precision=4, basis=f"{why}: country level, no point")]
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
        why = NO_PLACE
        if unknown:
            why = f"the text names {_names(unknown)}, which the gazetteer does not know"
        return [Where("Afghanistan", precision=4, basis=f"{why}: country level, no point")]
    if unknown:
        for w in out:
            w.basis += (
                f"; the sentence also names {_names(unknown)}, which the gazetteer does not "
                "know, so the place is no more precise than this"
            )
    return out


def _where(m: Mention, how: str) -> Where:
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
            return Where(m.text, codes[0], precision=3, basis=basis, notes=[note])
        return Where(
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
    out = Where(m.text, place.province_code or "", precision=precision, basis=basis)
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


# --- helpers --------------------------------------------------------------------------
def _start(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _without(s: Sentence, line: tuple[int, int]) -> str:
    """Return the sentence's text after the dateline when it holds it (a slice of it)."""
    start, end = line
    if start < end and s.start <= start < s.start + len(s.text):
        return s.text[end - s.start :].lstrip()
    return s.text


def _is_heading(s: Sentence) -> bool:
    return not _ENDS_SENTENCE.search(s.text)


def _is_taliban_denial(text: str) -> bool:
    return bool(
        parties.is_denial(text)
        and re.search(r"\bTaliban\b|\bIslamic Emirate\b", text)
        and re.search(r"\b(?:offensive|attack|fighting|clash)\w*", text, re.IGNORECASE)
    )


def _resistance_claim(c: Candidate) -> bool:
    return c.kind in _CLAIMS_OF_FIGHTING and c.actor1 != parties.TALIBAN


_CLAIMS_OF_FIGHTING = ("clash", "attack", "ambush", "casualty_claim", "strategic_development")
