"""The timeline under the map: claims per week by event type, with the window shaded."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from geo import settings

#: At most this many month labels on the time axis.
MAX_MONTH_TICKS = 12


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


def timeline_chart(
    counts: pd.DataFrame, *, window: tuple[date, date], span: tuple[date, date]
) -> alt.LayerChart:
    """Return a stacked bar chart of claims per period and type, with the window shaded.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``period_start``, ``event_type``, ``claims`` (``geo.join.claims_per_period``).
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
            y=alt.Y("sum(claims):Q", title="Claims per week"),
            color=alt.Color(
                "type:N",
                title="Event type",
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("period_start:T", title="Week of"),
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("claims:Q", title="Claims"),
            ],
        )
    )
    return alt.LayerChart(layer=[shade, bars], height=170)
