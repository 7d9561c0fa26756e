"""Rules across the columns of a claims file, on whole columns.

Dates in order and matching their precision, a province code unless the place is a
region or the country, coordinates complete and only for an exact place, fatalities
and who claims them, and the ``sources`` JSON (parsed here for the loader). The point
and place-name rules are in :mod:`geo.claims.place_rules`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import orjson
import pandas as pd

from geo import settings
from geo.claims.formats import EVENTS, ClaimsFormat, Parsed, blank
from geo.errors import Problem


# --- rules across columns (whole columns, no per-row loops) ------------------------
def _rule(
    mask: pd.Series | np.ndarray,
    raw: pd.DataFrame,
    name: str,
    column: str,
    code: str,
    expected: str | Callable[[pd.Series], str],
    value: pd.Series | None = None,
) -> list[Problem]:
    hit = raw.index[np.asarray(mask, dtype=bool)]
    if not len(hit):
        return []
    values = (raw[column] if value is None else value).reindex(hit).astype(str)
    out = []
    for line, val in zip(hit, values, strict=True):
        text = expected(raw.loc[line]) if callable(expected) else expected
        out.append(Problem(name, int(line), column, val, text, code))
    return out


def date_rules(
    raw: pd.DataFrame, fmt: ClaimsFormat, name: str, *, parsed: Parsed | None = None
) -> list[Problem]:
    """Check that the end date is not before the start, and fits date_precision 'day'.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), indexed by line number.
    fmt : ClaimsFormat
        :data:`~geo.claims.formats.EVENTS` or :data:`~geo.claims.formats.PRESENCE`.
    name : str
        The file name shown in messages.
    parsed : Parsed, optional
        ``raw``'s columns parsed once, shared with the other checks.

    Returns
    -------
    list of Problem
        One per failing row (line numbers as in ``raw``'s index).
        Codes: ``date_order``, ``date_precision_mismatch``.

    Examples
    --------
    >>> date_rules(raw, EVENTS, "events.csv")  # doctest: +SKIP
    []
    """
    parsed = Parsed(raw) if parsed is None else parsed
    start, end = parsed.dates(fmt.start), parsed.dates(fmt.end)
    problems = _rule(
        end < start,
        raw,
        name,
        fmt.end,
        "date_order",
        lambda r: (
            f"a date on or after {fmt.start} ({r[fmt.start]}); swap the two dates "
            "or correct one of them"
        ),
    )
    day_mismatch = (raw["date_precision"] == "day") & (end > start)
    problems += _rule(
        day_mismatch,
        raw,
        name,
        fmt.end,
        "date_precision_mismatch",
        lambda r: (
            f"an empty value or {r[fmt.start]}: date_precision 'day' is a single day; "
            "use date_precision 'range' (or 'week') for a span"
        ),
    )
    return problems


def precision_rules(
    raw: pd.DataFrame, fmt: ClaimsFormat, name: str, *, parsed: Parsed | None = None
) -> list[Problem]:
    """Check the province code and the coordinates against location_precision.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), indexed by line number.
    fmt : ClaimsFormat
        :data:`~geo.claims.formats.EVENTS` or :data:`~geo.claims.formats.PRESENCE`.
    name : str
        The file name shown in messages.
    parsed : Parsed, optional
        ``raw``'s columns parsed once, shared with the other checks.

    Returns
    -------
    list of Problem
        One per failing row (line numbers as in ``raw``'s index).
        Codes: ``missing_value`` (province_code); for events also
        ``incomplete_coordinates``, ``coordinates_for_vague_place`` and
        ``missing_coordinates``.

    Examples
    --------
    >>> precision_rules(raw, EVENTS, "events.csv")  # doctest: +SKIP
    []
    """
    precision = (Parsed(raw) if parsed is None else parsed).numbers("location_precision")
    no_code = (raw["province_code"] == "") & precision.isin([1, 2, 3])
    problems = _rule(
        no_code,
        raw,
        name,
        "province_code",
        "missing_value",
        "an ISO 3166-2 province code such as AF-PAN; it may be empty only when "
        "location_precision is 4 (region/country)",
    )
    if fmt is not EVENTS:
        return problems
    has_lon, has_lat = raw["longitude"] != "", raw["latitude"] != ""
    pair = raw["longitude"] + ", " + raw["latitude"]
    for axis, present, other in (("longitude", has_lon, has_lat), ("latitude", has_lat, has_lon)):
        problems += _rule(
            other & ~present,
            raw,
            name,
            axis,
            "incomplete_coordinates",
            f"a {axis} too: give both longitude and latitude, or neither",
        )
    both = has_lon & has_lat
    problems += _rule(
        both & precision.isin([2, 3, 4]),
        raw,
        name,
        "longitude, latitude",
        "coordinates_for_vague_place",
        lambda r: (
            f"no coordinates: location_precision is {r['location_precision']} "
            f"({settings.LOCATION_PRECISIONS.get(int(r['location_precision']), '?')}) and "
            "coordinates are given only for an exact place (precision 1); remove them, or set "
            "location_precision to 1 if the point is the exact place"
        ),
        value=pair,
    )
    problems += _rule(
        ~has_lon & ~has_lat & (precision == 1),
        raw,
        name,
        "longitude, latitude",
        "missing_coordinates",
        "the coordinates of the exact place (location_precision 1); add longitude and "
        "latitude, or lower location_precision (2 district, 3 province) if the place is vague",
        value=pair,
    )
    return problems


def fatality_rules(raw: pd.DataFrame, name: str) -> list[Problem]:
    """Check that a fatality number and who claims it are given together.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), indexed by line number.
    name : str
        The file name shown in messages.

    Returns
    -------
    list of Problem
        One per failing row (line numbers as in ``raw``'s index).
        Codes: ``missing_fatalities_source``, ``fatalities_source_without_number``.

    Examples
    --------
    >>> fatality_rules(raw, "events.csv")  # doctest: +SKIP
    []
    """
    number, source = raw["fatalities"] != "", ~blank(raw["fatalities_claimed_by"])
    problems = _rule(
        number & ~source,
        raw,
        name,
        "fatalities_claimed_by",
        "missing_fatalities_source",
        lambda r: (
            f"who claims the {r['fatalities']} fatalities (e.g. the group or outlet "
            "that gives the number); fill in fatalities_claimed_by"
        ),
    )
    problems += _rule(
        ~number & source,
        raw,
        name,
        "fatalities_claimed_by",
        "fatalities_source_without_number",
        "an empty value when fatalities is empty; give the claimed number in fatalities "
        "or clear fatalities_claimed_by",
    )
    return problems


_QUOTE_MAX = settings.SOURCE_QUOTE_MAX
if settings.SOURCE_KEYS != ("file", "outlet", "title", "quote"):  # _well_formed names them
    raise ImportError("settings.SOURCE_KEYS changed: update geo.claims.rules._well_formed")


def _well_formed(value: Any) -> bool:
    """Check the common case quickly: a list of objects whose required keys are text."""
    if type(value) is not list or not value:
        return False
    for entry in value:
        if type(entry) is not dict:
            return False
        file, outlet = entry.get("file"), entry.get("outlet")
        title, quote = entry.get("title"), entry.get("quote")
        if type(file) is not str or type(outlet) is not str or type(title) is not str:
            return False
        if type(quote) is not str or len(quote) > _QUOTE_MAX:
            return False
        if not (file.strip() and outlet.strip() and title.strip() and quote.strip()):
            return False
    return True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are made.

    A million parsed cells are millions of lists, dicts and strings: without the
    pause, the collector walks them again and again as they are made (4x slower).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_REQUIRED = itemgetter(*settings.SOURCE_KEYS)
_QUOTE = settings.SOURCE_KEYS.index("quote")


def _all_well_formed(texts: list[str]) -> list[Any] | None:
    """Parse every cell; return the lists when all are well formed, else None.

    The same test as :func:`_well_formed`, made on all the cells' values at once
    (each step one pass in C over a whole list), for files where every cell is
    good; None sends the caller to the cell-by-cell check, which says what is wrong.
    The required values of every entry are read into one flat list (reading them
    from anything but an object that has them all raises), and ``str.strip`` on each
    tells in one pass that it is text (it raises on anything else), not empty and
    not only whitespace (it returns the value itself when there is nothing to strip,
    so no copies are made in the common case).
    """
    if not texts:
        return []
    with collector_paused():
        try:
            values = list(map(orjson.loads, texts))
        except orjson.JSONDecodeError:
            return None
        if set(map(type, values)) - {list} or not all(values):
            return None
        try:
            fields = list(chain.from_iterable(map(_REQUIRED, chain.from_iterable(values))))
            if not all(map(str.strip, fields)):
                return None
        except (KeyError, TypeError):  # not an object, a key missing, a value not text
            return None
        if max(map(len, fields[_QUOTE :: len(settings.SOURCE_KEYS)])) > _QUOTE_MAX:
            return None
    return values


def _check_sources(text: str) -> list[dict[str, Any]] | str:
    """Parse one ``sources`` cell; return the list, or a string saying what is wrong.

    orjson parses the common case; anything it refuses is parsed again by the json
    module, whose answer (and message) is the reference.
    """
    try:
        value = orjson.loads(text)
        if _well_formed(value):
            return value
    except orjson.JSONDecodeError:
        pass
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"valid JSON ({exc.msg} at character {exc.pos})"
    if _well_formed(value):
        return value
    if not isinstance(value, list) or not value:
        return "a non-empty JSON array of objects ([{...}]), not a single value"
    keys = ", ".join(settings.SOURCE_KEYS)
    for i, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            return f"source {i} to be a JSON object with the keys {keys}"
        missing = [k for k in settings.SOURCE_KEYS if not str(entry.get(k) or "").strip()]
        if missing:
            return (
                f"source {i} to have the keys {keys} filled in (missing or empty: "
                f'{", ".join(missing)}; outlet may be "unknown")'
            )
        quote = str(entry["quote"])
        if len(quote) > settings.SOURCE_QUOTE_MAX:
            return (
                f"the quote of source {i} to be at most {settings.SOURCE_QUOTE_MAX} "
                f"characters (it has {len(quote)}); quote a short phrase only"
            )
    return value


def parse_sources(raw: pd.DataFrame, name: str) -> tuple[pd.Series, list[Problem]]:
    """Parse every ``sources`` cell (a JSON array of source objects) and check it.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's values as text ("" when empty), indexed by line number.
    name : str
        The file name shown in messages.

    Returns
    -------
    sources : pandas.Series
        Per row, the parsed list of dicts (None where the cell is empty or bad).
    problems : list of Problem
        ``bad_sources`` or ``quote_too_long``, one per bad cell.

    Examples
    --------
    >>> sources, problems = parse_sources(raw, "events.csv")  # doctest: +SKIP
    """
    cells = raw["sources"]
    filled = (~blank(cells)).to_numpy()
    parsed = np.full(len(cells), None, dtype=object)
    good = _all_well_formed(cells.tolist() if filled.all() else cells[filled].tolist())
    if good is not None:
        parsed[filled] = np.fromiter(good, dtype=object, count=len(good))
        return pd.Series(parsed, index=raw.index, dtype=object), []
    problems = []
    seen: dict[str, list[dict[str, Any]] | str] = {}  # a repeated cell is parsed once
    lines = cells.index.to_numpy()[filled].tolist()
    for i, line, text in zip(
        np.flatnonzero(filled).tolist(), lines, cells[filled].tolist(), strict=True
    ):
        result = seen.get(text)
        if result is None:
            result = seen[text] = _check_sources(text)
        if not isinstance(result, str):
            parsed[i] = result
            continue
        code = "quote_too_long" if result.startswith("the quote") else "bad_sources"
        shown = text if len(text) <= 80 else text[:77] + "..."
        problems.append(Problem(name, line, "sources", shown, result, code))
    return pd.Series(parsed, index=raw.index, dtype=object), problems
