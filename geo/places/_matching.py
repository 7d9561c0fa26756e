"""Matching a query against the gazetteer's spellings, and the rules that rank the hits.

Private to :mod:`geo.places.gazetteer`. :class:`SpellingIndex` finds the places whose spelling
key equals a query's key (:meth:`~SpellingIndex.exact`) or scores close to it
(:meth:`~SpellingIndex.scored`, rapidfuzz over all keys, see :func:`score`), one
:class:`Hit` per place; :func:`apply_rules` applies rules 2-5 of the
:mod:`geo.places.gazetteer` docstring to the hits; :func:`ordered` sorts them best first.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.places.files import KIND_RANK, KINDS
from geo.places.names import parse_name

#: Lowest fuzzy score accepted as a match, and lowest offered as a suggestion.
FUZZY_CUTOFF = 85.0
SUGGEST_CUTOFF = 65.0
#: A key found inside a query this many times longer scores PARTIAL_WEIGHT x partial_ratio.
PARTIAL_LENGTH = 1.3
PARTIAL_WEIGHT = 0.9
#: Keys shorter than this are never matched fuzzily (only suggested).
FUZZY_MIN_LENGTH = 4
#: How a spelling names its place; lower is stronger (rules 3 and 4).
VIA_ORDER = {"alias": 0, "name": 1, "alt": 2}


class Hit(NamedTuple):
    """One candidate place for a query (internal)."""

    place: int  # row of Gazetteer._places
    via: int  # VIA_ORDER value of the spelling that matched
    spelling: str
    score: float
    ratio: float
    rank: int  # KIND_RANK of the place
    code: str | None
    name: str

    def kind_is(self, kind: str) -> bool:
        """Whether the place is of ``kind``."""
        return KINDS[self.rank] == kind


class SpellingIndex:
    """The spellings table indexed by key, and the hits a query gets from it.

    Parameters
    ----------
    names : pandas.DataFrame
        The spellings table (``place``, ``via``, ``hint``, ``spelling``, ``key``).
    places : pandas.DataFrame
        The places table (its ``kind`` column ranks the places).
    records : list of dict
        The places as records (``province_code``, ``name``), row by row.
    """

    def __init__(
        self, names: pd.DataFrame, places: pd.DataFrame, records: Sequence[Mapping[Hashable, Any]]
    ) -> None:
        groups = names.groupby("key").indices
        self._index: dict[str, np.ndarray] = {str(k): np.asarray(v) for k, v in groups.items()}
        self._keys = list(self._index)
        self._key_lengths = np.array([len(k) for k in self._keys])
        # Plain columns for the query side: a query touches a handful of rows.
        self._spelling_cols = (
            names["place"].to_numpy(dtype=np.intp),
            names["via"].map(VIA_ORDER).to_numpy(dtype=np.intp),
            names["hint"].to_numpy(dtype=object),
            names["spelling"].to_numpy(dtype=object),
        )
        self._rank = places["kind"].map(KIND_RANK).to_numpy(dtype=np.intp)
        self._records = records

    def exact(self, key: str, query: str) -> list[Hit]:
        """Every place with a spelling whose key is ``key`` (score 100)."""
        rows = self._index.get(key, np.empty(0, dtype=np.intp))
        full = np.full(len(rows), 100.0)
        return self._hits(rows, full, full, query)

    def scored(self, key: str, query: str) -> list[Hit]:
        """Every place with a key scoring >= SUGGEST_CUTOFF against ``key`` (:func:`score`)."""
        scores, ratios = score(key, self._keys, self._key_lengths)
        found = np.flatnonzero(scores >= SUGGEST_CUTOFF)
        if not len(found):
            return []
        counts = [len(self._index[self._keys[i]]) for i in found]
        rows = np.concatenate([self._index[self._keys[i]] for i in found])
        return self._hits(
            rows, np.repeat(scores[found], counts), np.repeat(ratios[found], counts), query
        )

    def _hits(
        self, rows: np.ndarray, scores: np.ndarray, ratios: np.ndarray, query: str
    ) -> list[Hit]:
        """One hit per place matched through ``rows`` of the spellings table, best first.

        Per place the best score wins, then the strongest spelling (alias, own name,
        alternative), then the query's own spelling. An alias spelling with a kind word
        ("Fayzabad town") is a curated decision only for a query with the same kind
        word; for other queries it counts as an alternative name.
        """
        place, via, hint, spelling = (col[rows] for col in self._spelling_cols)
        wanted = parse_name(query)[1] or "" if query else ""
        via = np.where((via == VIA_ORDER["alias"]) & (hint != wanted), VIA_ORDER["alt"], via)
        same = np.array([s.casefold() == query.casefold() for s in spelling], dtype=bool)
        order = np.lexsort((~same, via, -ratios, -scores))
        best: dict[int, Hit] = {}
        for i in order:
            p = int(place[i])
            if p not in best:
                record = self._records[p]
                code = record["province_code"]
                best[p] = Hit(
                    place=p,
                    via=int(via[i]),
                    spelling=str(spelling[i]),
                    score=float(scores[i]),
                    ratio=float(ratios[i]),
                    rank=int(self._rank[p]),
                    code=code if isinstance(code, str) else None,
                    name=str(record["name"]),
                )
        return list(best.values())


def in_province(hits: list[Hit], code: str | None) -> list[Hit]:
    """Keep the hits in province ``code`` and those in no single province."""
    if code is None:
        return hits
    return [h for h in hits if h.code is None or h.code == code]


def apply_rules(
    hits: list[Hit], hint: str | None, *, fuzzy_match: bool = False
) -> tuple[list[Hit], list[str]]:
    """Apply rules 2-5 of the :mod:`geo.places.gazetteer` docstring.

    Parameters
    ----------
    hits : list of Hit
        The candidates (rule 1, the province, already applied).
    hint : str or None
        The kind named by a kind word in the query ("district"...).
    fuzzy_match : bool, default False
        The hits are fuzzy matches (said first in the rules).

    Returns
    -------
    chosen : list of Hit
        The hits left: one when a rule picked a place, several when the name is
        ambiguous (rule 6 is the caller's).
    rules : list of str
        The rules that applied, for :attr:`geo.places.gazetteer.Match.rule`.
    """
    chosen, rules = hits, []
    if hint is not None:
        if any(h.kind_is(hint) for h in hits):
            chosen = [h for h in hits if h.kind_is(hint)]
            rules.append(f"kind word: {hint}")
        else:
            rules.append(f"no {hint} of that name, so the kind word was ignored")
    alias, own, alt = VIA_ORDER["alias"], VIA_ORDER["name"], VIA_ORDER["alt"]
    if len(chosen) > 1 and any(h.via == alias for h in chosen):
        chosen = [h for h in chosen if h.via == alias]
        rules.append("alias (data/aliases.csv)")
    vias = {h.via for h in chosen}
    if len(chosen) > 1 and own in vias and alt in vias:
        chosen = [h for h in chosen if h.via != alt]
        rules.append("own name over another place's alternative name")
    codes = {h.code for h in chosen}
    if len(chosen) > 1 and len(codes) == 1 and None not in codes:
        top = min(h.rank for h in chosen)
        if sum(h.rank == top for h in chosen) == 1:
            chosen = [h for h in chosen if h.rank == top]
            rules.append("larger unit in one province (province > district > populated place)")
    if fuzzy_match:
        rules.insert(0, f"fuzzy match (score {chosen[0].score:.1f})")
    return chosen, rules


def ordered(hits: list[Hit]) -> list[Hit]:
    """Best first: score, then alias/own name/alternative, larger kind, province, name."""
    return sorted(hits, key=lambda h: (-h.score, h.via, h.rank, h.code or "~", h.name))


def score(key: str, keys: list[str], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score ``key`` against every key: ``(score, ratio)`` arrays, 0-100.

    The score is rapidfuzz's normalised Indel ``ratio``, or :data:`PARTIAL_WEIGHT` times
    the ``partial_ratio`` when the query is at least :data:`PARTIAL_LENGTH` times longer
    than a key of 5+ letters (a name inside a longer phrase: "remote Panjshir valleys"),
    whichever is higher. A short query is never matched to the start of a longer name.
    """
    ratios = process.cdist([key], keys, scorer=fuzz.ratio, dtype=np.float64)[0]
    scores = ratios.copy()
    inside = np.flatnonzero((lengths >= 5) & (len(key) >= PARTIAL_LENGTH * lengths))
    if len(inside):
        subset = [keys[i] for i in inside]
        partial = process.cdist([key], subset, scorer=fuzz.partial_ratio, dtype=np.float64)[0]
        scores[inside] = np.maximum(scores[inside], PARTIAL_WEIGHT * partial)
    return np.round(scores, 1), ratios
