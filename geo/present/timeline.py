"""The timeline chart (Altair; no streamlit): meetings over time, coloured by mediator.

Colours are the mediator vocabulary's (data/mediators.csv); a meeting with several mediators is
one dot, white with a dark outline ("several mediators"; its tooltip names them).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

SEVERAL = "several mediators"
SEVERAL_COLOUR = "#ffffff"  # every dot has a dark outline: a white one is visible, and no mediator's colour

LEVEL_ORDER = ["leaders", "foreign ministers", "other"]


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
            "date": meetings["date"],
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


def timeline_chart(meetings: pd.DataFrame, mediators: pd.DataFrame, width: int | str = "container") -> alt.Chart:
    """Each meeting as a dot on a time axis, one row per level, coloured by mediator; beyond
    ``MAX_POINTS`` meetings the dots would overlap: one dot per month, level and mediator,
    sized by its number of meetings (:func:`monthly_chart`)."""
    if len(meetings) > MAX_POINTS:
        return monthly_chart(meetings, mediators, width)
    frame = chart_frame(meetings, mediators)
    return (
        alt.Chart(frame, title="Meetings over time")
        .mark_circle(size=140, opacity=0.9, stroke="#333333", strokeWidth=1)
        .encode(
            x=alt.X("when:T", title="date"),
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
        .properties(width=width, height=220)
    )


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


def monthly_chart(meetings: pd.DataFrame, mediators: pd.DataFrame, width: int | str = "container") -> alt.Chart:
    frame = monthly_frame(meetings, mediators)
    return (
        alt.Chart(frame, title="Meetings over time (per month)")
        .mark_circle(opacity=0.8, stroke="#333333", strokeWidth=0.5)
        .encode(
            x=alt.X("when:T", title="month"),
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
        .properties(width=width, height=220)
    )


def per_year_chart(meetings: pd.DataFrame, mediators: pd.DataFrame, width: int | str = "container") -> alt.Chart:
    """Meetings per year, stacked by mediator (counted here: the browser gets one row per year
    and mediator, not one per meeting)."""
    counts = (
        pd.DataFrame({"year": meetings["year"].astype(int).values, "mediator": mediator_labels(meetings, mediators)})
        .groupby(["year", "mediator"], sort=True)
        .size()
        .reset_index(name="meetings")
    )
    years = list(range(int(counts["year"].min()), int(counts["year"].max()) + 1)) if len(counts) else []
    return (
        alt.Chart(counts, title="Meetings per year")
        .mark_bar()
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
