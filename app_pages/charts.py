"""Charts that read the same with one interview and with fifty (Altair, drawn by Streamlit).

Counts are horizontal bars with their number beside them, so labels are never cut; dates are
on a real time axis, so one month of data is one bar among empty months, not the whole chart.
"""

from __future__ import annotations

from datetime import date

import altair as alt

from debrief.services.patterns import CausesByMonth, PlanProgress

_BAR_PX = 30  # height of one labelled bar
_AXIS_PX = 60  # room for the axis and its title under the bars
_MONTH_BAR_PX = 24  # width of a month's bar on the time axis
_MONTH_AXIS_PX = 600  # the narrowest the chart is drawn (the page is wide: about 870 px)


def _height(rows: int) -> int:
    return rows * _BAR_PX + _AXIS_PX


def cause_bars(counts: dict[str, int], total: int) -> alt.LayerChart:
    """How many interviews each cause was tagged in: one labelled bar per cause, most first."""
    rows = [{"cause": cause.replace("_", " "), "interviews": n} for cause, n in counts.items()]
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        y=alt.Y("cause:N", sort="-x", axis=alt.Axis(labelLimit=0, title=None)),  # never cut
        x=alt.X(
            "interviews:Q",
            # room beyond the longest bar for its number
            scale=alt.Scale(domain=[0, max(total, 1) * 1.25], nice=False),
            axis=alt.Axis(title=f"interviews, of {total} reflected on", tickMinStep=1),
        ),
        tooltip=["cause:N", "interviews:Q"],
    )
    bars = base.mark_bar(color="#4c78a8")
    labels = base.mark_text(align="left", dx=4).encode(text="interviews:Q")
    chart: alt.LayerChart = (bars + labels).properties(height=_height(len(rows)))
    return chart


def _month_start(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_bar_px(start: date, end: date) -> int:
    """A month's bar: 24 px, thinner when many months share the axis (50 months: 11 px)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(3, min(_MONTH_BAR_PX, _MONTH_AXIS_PX // max(months, 1)))


def causes_by_month(causes: CausesByMonth) -> alt.Chart:
    """Causes per month the interviews were held, stacked, on a time axis of at least six months."""
    rows = [
        {"month": _month_start(row.month).isoformat(), "cause": row.label, "count": row.count}
        for row in causes.counts
        if row.count
    ]
    first, last = _month_start(causes.months[0]), _month_start(causes.months[-1])
    start = min(_shift(first, -1), _shift(last, -5))  # a lone month sits among its neighbours
    end = _shift(last, 1)  # the last bar is centred on its month's first day: room after it
    # A bar of fixed width at each month (not one spanning the month): one month of data is
    # a bar among its empty neighbours, fifty months are fifty thin bars.
    chart: alt.Chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar(size=_month_bar_px(start, end))
        .encode(
            x=alt.X(
                "month:T",
                title=None,
                scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
                axis=alt.Axis(format="%b %Y", tickCount="month", labelAngle=0),
            ),
            y=alt.Y(
                "sum(count):Q",
                title="times tagged",
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "cause:N",
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=0, title=None),
            ),
            tooltip=[
                alt.Tooltip("month:T", title="month", format="%B %Y"),
                "cause:N",
                alt.Tooltip("sum(count):Q", title="times tagged"),
            ],
        )
        .properties(height=280)
    )
    return chart


def plan_completion(plans: tuple[PlanProgress, ...]) -> alt.LayerChart:
    """Share of each plan done: one labelled bar per interview, full names on the axis."""
    rows = [
        {"interview": p.label, "percent": p.percent, "steps": f"{p.done} of {p.total}"}
        for p in plans
    ]
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        y=alt.Y("interview:N", sort=None, axis=alt.Axis(labelLimit=0, title=None)),
        x=alt.X(
            "percent:Q",
            scale=alt.Scale(domain=[0, 125], nice=False),  # room for "3 of 4" beyond 100 %
            axis=alt.Axis(values=[0, 25, 50, 75, 100], title="% of steps done"),
        ),
        tooltip=["interview:N", "steps:N", "percent:Q"],
    )
    bars = base.mark_bar(color="#54a24b")
    labels = base.mark_text(align="left", dx=4).encode(text="steps:N")
    chart: alt.LayerChart = (bars + labels).properties(height=_height(len(rows)))
    return chart
