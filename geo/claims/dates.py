"""What a claim's dates mean for counting: its span spread over periods, its report date.

A claim is dated to a day, a week, a month or a range (``date_start`` to ``date_end``,
filled per precision on loading; ``date_end`` is NaT only for an open range). Two
questions that the map asks of those dates are answered here, a whole column at a time:

- :func:`spread_over_periods`: how much of a claim falls in each week or month. A claim
  whose span touches ``k`` periods adds ``1/k`` to each, so a claim dated "sometime
  21 March-21 June 2022" is spread over 14 weeks instead of being a spike in one, and the
  sum over all periods stays the number of claims. An open range counts at its start
  only: spreading it to the last day of the data would invent a duration that changes
  whenever a later claim is added.
- :func:`report_dates`: when a claim was last reported: the latest ``published`` date
  among its sources; where no source gives one, the claim's own latest date
  (``date_end``, ``date_start`` for an open range), flagged as such.
"""

from __future__ import annotations

from itertools import chain
from typing import Final

import numpy as np
import pandas as pd

__all__ = ["report_dates", "spread_over_periods"]

#: The period lengths that can be spread over: weeks (Monday to Sunday) and months.
PERIODS: Final = ("W", "M")
#: Cumulative sums leave rounding residue; no true share is this small (a claim spread
#: over every week since 1900 still adds 1/6,500 to each), so smaller values are zero.
_RESIDUE: Final = 1e-6


def _period_numbers(days: np.ndarray, freq: str) -> np.ndarray:
    """Return each day's period as an integer: weeks from Monday 1969-12-29, or months."""
    if freq == "W":
        # 1970-01-01 was a Thursday: day 0 lies in the week that starts 3 days earlier.
        return (days.astype("datetime64[D]").astype(np.int64) + 3) // 7
    return days.astype("datetime64[M]").astype(np.int64)


def _period_starts(numbers: np.ndarray, freq: str) -> np.ndarray:
    if freq == "W":
        return (numbers * 7 - 3).astype("datetime64[D]").astype("datetime64[us]")
    return numbers.astype("datetime64[M]").astype("datetime64[us]")


def spread_over_periods(
    start: pd.Series, end: pd.Series, labels: pd.Series, *, freq: str = "W"
) -> pd.DataFrame:
    """Spread each claim evenly over the weeks or months its span touches, per label.

    Parameters
    ----------
    start, end : pandas.Series
        The claims' ``date_start`` and ``date_end`` (datetime64; an end that is NaT, or
        before the start, counts as the start day). Rows without a start are not counted
        (loaded claims always have one).
    labels : pandas.Series
        What to count separately (``event_type``), aligned with ``start``.
    freq : {"W", "M"}, default "W"
        Weeks (Monday to Sunday) or calendar months.

    Returns
    -------
    pandas.DataFrame
        Indexed by the period's first day (datetime64[us], every period from the first
        touched to the last, zeros included), one float column per label (sorted): a
        claim touching ``k`` periods adds ``1/k`` to each, so every row of the input
        adds exactly 1 to the total. Empty (no rows, no columns) without claims.

    Raises
    ------
    ValueError
        If ``freq`` is not "W" or "M".

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2022-01-03", "2022-01-03"]))
    >>> e = pd.Series(pd.to_datetime(["2022-01-03", "2022-01-23"]))
    >>> spread_over_periods(s, e, pd.Series(["clash", "clash"]))["clash"].round(2).tolist()
    [1.33, 0.33, 0.33]
    """
    if freq not in PERIODS:
        raise ValueError(f"freq must be one of {sorted(PERIODS)}, not {freq!r}")
    dated = start.notna().to_numpy()
    first_day = start.to_numpy(dtype="datetime64[ns]")[dated]
    last_day = end.fillna(start).to_numpy(dtype="datetime64[ns]")[dated]
    if not len(first_day):
        return pd.DataFrame(index=pd.DatetimeIndex([], dtype="datetime64[us]"), dtype=float)
    first = _period_numbers(first_day, freq)
    last = np.maximum(_period_numbers(last_day, freq), first)
    codes, names = pd.factorize(labels.to_numpy(dtype=object)[dated], sort=True)
    base, width = int(first.min()), int(last.max() - first.min()) + 2
    share = 1.0 / (last - first + 1)
    # A difference array per label: +share where the span begins, -share after it ends.
    size = len(names) * width
    steps = np.bincount(codes * width + (first - base), weights=share, minlength=size)
    steps -= np.bincount(codes * width + (last - base + 1), weights=share, minlength=size)
    table = steps.reshape(len(names), width).cumsum(axis=1)[:, :-1]
    table[np.abs(table) < _RESIDUE] = 0.0
    index = pd.DatetimeIndex(_period_starts(np.arange(base, base + width - 1), freq))
    return pd.DataFrame(table.T, index=index, columns=pd.Index(names, dtype=object))


def report_dates(events: pd.DataFrame) -> pd.DataFrame:
    """Return each claim's latest report date, and whether a source gives it.

    Parameters
    ----------
    events : pandas.DataFrame
        Loaded events: ``sources`` (lists of dicts, an optional ``published`` key),
        ``date_start`` and ``date_end``.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``events``: ``reported`` (datetime64), the latest ``published``
        date among the claim's sources, or, where none has one, the claim's own
        latest date (``date_end``; ``date_start`` for an open range); and
        ``from_source`` (bool), False where ``reported`` is that fallback. A
        ``published`` value that is not a ``YYYY-MM-DD`` date (optionally followed by
        a time) counts as missing.

    Examples
    --------
    >>> report_dates(events)["from_source"].mean()  # doctest: +SKIP
    0.97
    """
    sources = events["sources"].to_numpy(dtype=object)
    lists = [s if isinstance(s, list | tuple) else () for s in sources]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    text = [s.get("published") if isinstance(s, dict) else None for s in chain.from_iterable(lists)]
    # Report dates repeat (one a day at most): parse each distinct text once.
    codes, distinct = pd.factorize(pd.Series(text, dtype=object))
    parsed = pd.to_datetime(
        pd.Series(distinct, dtype=object).astype("string").str.slice(0, 10),
        format="%Y-%m-%d",
        errors="coerce",
    ).to_numpy(dtype="datetime64[ns]")
    published = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    published[codes >= 0] = parsed[codes[codes >= 0]]
    owner = np.repeat(np.arange(len(lists)), lengths)
    latest = pd.Series(published).groupby(owner).max().reindex(range(len(lists)))
    from_source = latest.notna().to_numpy()
    fallback = events["date_end"].fillna(events["date_start"]).to_numpy(dtype="datetime64[ns]")
    reported = np.where(from_source, latest.to_numpy(dtype="datetime64[ns]"), fallback)
    out = pd.DataFrame({"reported": reported, "from_source": from_source}, index=events.index)
    return out.astype({"reported": events["date_start"].dtype})
