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


def chart_frame(meetings: pd.DataFrame, mediators: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting with the fields the chart shows (plain strings and a timestamp)."""
    labels = dict(zip(mediators["name"], mediators["label"]))

    def mediator(ms: tuple[str, ...]) -> str:
        if len(ms) == 1:
            return labels.get(ms[0], ms[0])
        return SEVERAL if ms else labels.get("none", "none")

    return pd.DataFrame(
        {
            "when": meetings["when"],
            "date": meetings["date"].map(lambda d: When.parse(d).human()),  # at its precision
            "venue": meetings["venue"],
            "level": meetings["level"],
            "status": meetings["status"],
            "mediator": meetings["mediator_list"].map(mediator),
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
    then a dashed line with the empty time after it); ``until``: that window."""
    frame = chart_frame(meetings, mediators)
    scale = alt.Undefined
    if span is not None:
        pad = pd.Timedelta(days=45)
        scale = alt.Scale(domain=[_iso(span[0] - pad), _iso(span[1] + pad)])
    points = (
        alt.Chart(frame)
        .mark_circle(size=140, opacity=0.9, stroke="#333333", strokeWidth=1)
        .encode(
            x=alt.X("when:T", title="date", scale=scale, axis=alt.Axis(format="%Y", tickCount="year")),
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
    if until is None:
        return points.properties(title="Meetings over time", width=width, height=220)
    end = pd.DataFrame({"when": [pd.Timestamp(until.last_day)], "window": [f"up to {until.human()}"]})
    rule = (
        alt.Chart(end)
        .mark_rule(strokeDash=[5, 4], color=IN_WINDOW_COLOUR, strokeWidth=2)
        .encode(x="when:T", tooltip=[alt.Tooltip("window:N", title="time window")])
    )
    return alt.layer(points, rule).properties(title="Meetings over time", width=width, height=220)


def per_year_chart(
    meetings: pd.DataFrame,
    mediators: pd.DataFrame,
    width: int | str = "container",
    *,
    span: tuple[int, int] | None = None,
) -> alt.Chart:
    """Meetings per year, stacked by mediator; ``span``: the first and last year on the axis
    (default: the meetings'), so a time window leaves its later years empty, not gone."""
    frame = chart_frame(meetings, mediators)
    frame["year"] = meetings["year"].astype(int).values
    if span is None and len(frame):
        span = (int(frame["year"].min()), int(frame["year"].max()))
    years = list(range(span[0], span[1] + 1)) if span else []
    return (
        alt.Chart(frame, title="Meetings per year")
        .mark_bar(stroke="#333333", strokeWidth=0.5)  # outlined: a white bar (several mediators) shows
        .encode(
            # every year of the span, so a gap of years without talks shows as a gap
            x=alt.X("year:O", title="year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count():Q", title="meetings"),
            color=alt.Color("mediator:N", title="mediator", scale=colour_scale(frame, mediators)),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("mediator:N"), alt.Tooltip("count():Q", title="meetings")],
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
