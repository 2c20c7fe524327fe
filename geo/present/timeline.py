"""The timeline chart (Altair; no streamlit): meetings over time, coloured by mediator.

Colours are the mediator vocabulary's (data/mediators.csv); a meeting with several mediators is
one dot, white with a dark outline ("several mediators"; its tooltip names them).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.core.dates import When
from geo.present.timewindow import LATER, SHOWN, Bins

SEVERAL = "several mediators"
SEVERAL_COLOUR = "#ffffff"  # every dot has a dark outline: a white one is visible, and no mediator's colour

LEVEL_ORDER = ["leaders", "foreign ministers", "other"]
IN_WINDOW_COLOUR, LATER_COLOUR = "#31572c", "#d9d9d9"  # the time control's histogram


MAX_POINTS = 2000  # meetings drawn one dot each; more would overlap: counted per month instead


def mediator_labels(meetings: pd.DataFrame, mediators: pd.DataFrame) -> pd.Series:
    """Each meeting's colour label: its mediator's, or "several mediators" (computed once per
    distinct list when the lists are categories)."""
    labels = dict(zip(mediators["name"], mediators["label"]))

    def mediator(ms: tuple[str, ...]) -> str:
        if len(ms) == 1:
            return labels.get(ms[0], ms[0])
        return SEVERAL if ms else labels.get("none", "none")

    return meetings["mediator_list"].map(mediator).astype(str)


def chart_frame(meetings: pd.DataFrame, mediators: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting with the fields the chart shows (plain strings and a timestamp)."""
    labels = dict(zip(mediators["name"], mediators["label"]))
    return pd.DataFrame(
        {
            "when": meetings["when"],
            "date": meetings["date"].map(lambda d: When.parse(d).human()),  # at its precision
            "venue": meetings["venue"],
            "level": meetings["level"],
            "status": meetings["status"],
            "mediator": mediator_labels(meetings, mediators),
            "mediators": meetings["mediator_list"].map(lambda ms: ", ".join(labels.get(m, m) for m in ms)),
            "participants": meetings["participant_list"].map(", ".join),
            "event": meetings["event"].fillna(""),
        }
    )


def colour_scale(frame: pd.DataFrame, mediators: pd.DataFrame) -> alt.Scale:
    present = set(frame["mediator"])
    domain, rng = [], []
    for label, colour in zip(mediators["label"], mediators["colour"]):
        if label in present:
            domain.append(label)
            rng.append(colour)
    if SEVERAL in present:
        domain.append(SEVERAL)
        rng.append(SEVERAL_COLOUR)
    return alt.Scale(domain=domain, range=rng)


def _iso(t: pd.Timestamp) -> str:
    """A scale bound as ISO text (numbers, milliseconds since 1970, collapse the axis in
    Streamlit's Vega: every dot drawn at the left edge, no ticks; seen in a screenshot)."""
    return t.isoformat()


def _time_scale(span: tuple[pd.Timestamp, pd.Timestamp] | None):
    if span is None:
        return alt.Undefined
    pad = pd.Timedelta(days=45)
    return alt.Scale(domain=[_iso(span[0] - pad), _iso(span[1] + pad)])


def _with_window(points: alt.Chart, title: str, width: int | str, until: When | None) -> alt.Chart | alt.LayerChart:
    """The chart titled and sized, with the time window's end as a dashed line when there is one."""
    if until is None:
        return points.properties(title=title, width=width, height=220)
    end = pd.DataFrame({"when": [pd.Timestamp(until.last_day)], "window": [f"up to {until.human()}"]})
    rule = (
        alt.Chart(end)
        .mark_rule(strokeDash=[5, 4], color=IN_WINDOW_COLOUR, strokeWidth=2)
        .encode(x="when:T", tooltip=[alt.Tooltip("window:N", title="time window")])
    )
    return alt.layer(points, rule).properties(title=title, width=width, height=220)


def timeline_chart(
    meetings: pd.DataFrame,
    mediators: pd.DataFrame,
    width: int | str = "container",
    *,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    until: When | None = None,
) -> alt.Chart | alt.LayerChart:
    """Each meeting as a dot on a time axis, one row per level, coloured by mediator. ``span``:
    the axis' first and last dates (the meetings before the time window: the window's end is
    then a dashed line with the empty time after it); ``until``: that window. Beyond
    ``MAX_POINTS`` meetings the dots would overlap: one dot per month, level and mediator,
    sized by its number of meetings (:func:`monthly_chart`)."""
    if len(meetings) > MAX_POINTS:
        return monthly_chart(meetings, mediators, width, span=span, until=until)
    frame = chart_frame(meetings, mediators)
    points = (
        alt.Chart(frame)
        .mark_circle(size=140, opacity=0.9, stroke="#333333", strokeWidth=1)
        .encode(
            x=alt.X("when:T", title="date", scale=_time_scale(span), axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("level:N", title=None, sort=LEVEL_ORDER),
            color=alt.Color("mediator:N", title="mediator", scale=colour_scale(frame, mediators)),
            tooltip=[
                alt.Tooltip("date:N", title="date"),
                alt.Tooltip("venue:N"),
                alt.Tooltip("mediators:N"),
                alt.Tooltip("participants:N"),
                alt.Tooltip("event:N"),
                alt.Tooltip("status:N"),
            ],
        )
    )
    return _with_window(points, "Meetings over time", width, until)


def monthly_frame(meetings: pd.DataFrame, mediators: pd.DataFrame) -> pd.DataFrame:
    """Meetings counted per month (the month a meeting is dated in, or starts in), level and mediator."""
    keys = pd.DataFrame(
        {
            "when": meetings["when"].dt.to_period("M").dt.start_time,
            "level": meetings["level"].astype(str),
            "mediator": mediator_labels(meetings, mediators),
        }
    )
    return keys.groupby(["when", "level", "mediator"], sort=True).size().reset_index(name="meetings")


def monthly_chart(
    meetings: pd.DataFrame,
    mediators: pd.DataFrame,
    width: int | str = "container",
    *,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    until: When | None = None,
) -> alt.Chart | alt.LayerChart:
    frame = monthly_frame(meetings, mediators)
    points = (
        alt.Chart(frame)
        .mark_circle(opacity=0.8, stroke="#333333", strokeWidth=0.5)
        .encode(
            x=alt.X("when:T", title="month", scale=_time_scale(span), axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("level:N", title=None, sort=LEVEL_ORDER),
            size=alt.Size("meetings:Q", title="meetings in the month", scale=alt.Scale(range=[20, 400])),
            color=alt.Color("mediator:N", title="mediator", scale=colour_scale(frame, mediators)),
            tooltip=[
                alt.Tooltip("when:T", title="month", format="%B %Y"),
                alt.Tooltip("level:N"),
                alt.Tooltip("mediator:N"),
                alt.Tooltip("meetings:Q"),
            ],
        )
    )
    return _with_window(points, "Meetings over time (per month)", width, until)


def per_year_chart(
    meetings: pd.DataFrame,
    mediators: pd.DataFrame,
    width: int | str = "container",
    *,
    span: tuple[int, int] | None = None,
) -> alt.Chart:
    """Meetings per year, stacked by mediator; ``span``: the first and last year on the axis
    (default: the meetings'), so a time window leaves its later years empty, not gone. Counted
    here: the browser gets one row per year and mediator, not one per meeting."""
    counts = (
        pd.DataFrame({"year": meetings["year"].astype(int).values, "mediator": mediator_labels(meetings, mediators)})
        .groupby(["year", "mediator"], sort=True)
        .size()
        .reset_index(name="meetings")
    )
    if span is None and len(counts):
        span = (int(counts["year"].min()), int(counts["year"].max()))
    years = list(range(span[0], span[1] + 1)) if span else []
    return (
        alt.Chart(counts, title="Meetings per year")
        .mark_bar(stroke="#333333", strokeWidth=0.5)  # outlined: a white bar (several mediators) shows
        .encode(
            # every year of the span, so a gap of years without talks shows as a gap
            x=alt.X("year:O", title="year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(meetings):Q", title="meetings"),
            color=alt.Color("mediator:N", title="mediator", scale=colour_scale(counts, mediators)),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("mediator:N"),
                alt.Tooltip("sum(meetings):Q", title="meetings"),
            ],
        )
        .properties(width=width, height=220)
    )


def window_histogram(bins: Bins, width: int | str = "container") -> alt.Chart:
    """The time control's histogram: meetings per year or month, the part in the time window
    dark, the part after it light (its tooltip says which)."""
    frame = bins.frame.assign(order=bins.frame["start"].rank(method="dense"))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "label:O",
                title=None,
                sort=alt.SortField("order"),
                axis=alt.Axis(labelAngle=0, labelOverlap=True, ticks=False),
            ),
            y=alt.Y("meetings:Q", title=None, axis=alt.Axis(tickMinStep=1, labels=False, ticks=False, grid=False)),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=[SHOWN, LATER], range=[IN_WINDOW_COLOUR, LATER_COLOUR]),
                legend=alt.Legend(orient="right", labelExpr=f"datum.label == '{SHOWN}' ? 'in the window' : 'later'"),
            ),
            order=alt.Order("part:N", sort="descending"),
            tooltip=[
                alt.Tooltip("label:N", title=bins.unit),
                alt.Tooltip("part:N", title="meetings"),
                alt.Tooltip("meetings:Q", title="count"),
            ],
        )
        .properties(width=width, height=90)
    )
