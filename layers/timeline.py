"""The timeline under the map: claims per week by event type, with the window shaded.

A claim dated to a range is spread over the weeks it touches (``geo.join.claims_per_period``),
so bars hold fractions of claims; the y axis says so, and the tooltip rounds them.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from geo import settings

#: At most this many month labels on the time axis.
MAX_MONTH_TICKS = 12
#: The y axis title, one line per item (the chart is 170 px high).
#: One colour per event type (settings.EVENT_TYPES order), distinct under protanopia
#: and deuteranopia (Okabe & Ito 2008, and a dark grey for the ninth; checked in
#: tests/layers/test_palettes.py).
TYPE_PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#5c5c5c",
)
Y_TITLE = ["Claims per week", "(a claim dated to a range", "is spread over its weeks)"]


def month_axis(span: tuple[date, date]) -> alt.Axis:
    """Return a time axis with one tick every ``step`` months, labelled "Mon YYYY".

    Vega-Lite's default ticks fall inside months on short spans, and the "%b %Y"
    labels then repeat ("Sep 2021, Sep 2021"). Ticks on month boundaries, spaced so
    there are at most :data:`MAX_MONTH_TICKS`, never repeat.

    Examples
    --------
    >>> month_axis((date(2021, 9, 1), date(2022, 1, 15))).tickCount.step
    1
    >>> month_axis((date(2021, 8, 1), date(2023, 4, 1))).tickCount.step
    2
    """
    months = (span[1].year - span[0].year) * 12 + span[1].month - span[0].month + 1
    step = max(1, -(-months // MAX_MONTH_TICKS))
    return alt.Axis(format="%b %Y", tickCount=alt.TickCount(interval="month", step=step))


def _rounded(claims: pd.Series) -> pd.Series:
    """Show counts to 2 decimals without trailing zeros; a share below 0.01 as "< 0.01".

    Examples
    --------
    >>> _rounded(pd.Series([3.0, 1 / 3, 2.5, 0.004])).tolist()
    ['3', '0.33', '2.5', '< 0.01']
    """
    text = claims.round(2).map("{:,.2f}".format).str.replace(r"\.?0+$", "", regex=True)
    return text.where(claims >= 0.005, "< 0.01")


def timeline_chart(
    counts: pd.DataFrame, *, window: tuple[date, date], span: tuple[date, date]
) -> alt.LayerChart:
    """Return a stacked bar chart of claims per period and type, with the window shaded.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``period_start``, ``event_type``, ``claims`` (``geo.join.claims_per_period``:
        fractions where a claim's range is spread over several weeks).
    window : tuple of date
        The selected window (shaded).
    span : tuple of date
        The data's full span (the x axis never changes while the window moves).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> chart = timeline_chart(counts, window=(d0, d1), span=(d0, d2))  # doctest: +SKIP
    """
    data = counts.assign(
        type=counts["event_type"].map(settings.EVENT_TYPE_LABELS).fillna(counts["event_type"])
    )
    data = data[data["claims"] > 0]
    data = data.assign(shown=_rounded(data["claims"]))
    x_scale = alt.Scale(domain=[span[0].isoformat(), span[1].isoformat()])
    axis = month_axis(span)
    shade = (
        alt.Chart(pd.DataFrame({"start": [window[0].isoformat()], "end": [window[1].isoformat()]}))
        .mark_rect(color="#2b6cb0", opacity=0.15)
        .encode(x=alt.X("start:T", scale=x_scale, axis=axis), x2="end:T")
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("period_start:T", title=None, scale=x_scale, axis=axis),
            y=alt.Y("sum(claims):Q", title=Y_TITLE),
            color=alt.Color(
                "type:N",
                title="Event type",
                # Okabe & Ito's colour-blind-safe colours, one per type, in a fixed order
                scale=alt.Scale(
                    domain=[settings.EVENT_TYPE_LABELS[t] for t in settings.EVENT_TYPES],
                    range=list(TYPE_PALETTE),
                ),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("period_start:T", title="Week of"),
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("shown:N", title="Claims (ranges spread)"),
            ],
        )
    )
    return alt.LayerChart(layer=[shade, bars], height=170)
