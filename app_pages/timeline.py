"""Timeline: the filtered meetings over time (within the time window), coloured by mediator."""

from __future__ import annotations

import streamlit as st

from geo.present.filters import count_line, summary
from geo.present.timeline import MAX_POINTS, per_year_chart, timeline_chart
from ui import messages
from ui.view import current

view = current()
meetings = view.meetings

st.subheader("Meetings over time")
st.markdown(f"**{count_line(meetings)}** · {messages.plain(summary(view.filters, view.options, meetings))}")
if not len(meetings):
    messages.no_match()
else:
    every = view.unwindowed  # the axis spans every date in the filters; the window's end is marked
    span = (every["when"].min(), every["when"].max())
    st.altair_chart(timeline_chart(meetings, view.dataset.mediators, span=span, until=view.until), width="stretch")
    years = (int(every["year"].min()), int(every["year"].max()))
    st.altair_chart(per_year_chart(meetings, view.dataset.mediators, span=years), width="stretch")
    st.caption(
        "Dates given only to the month or year are drawn at the start of that month or year; the tooltip "
        "gives the date as known. The time window is set on the Map page."
    )
    if len(meetings) > MAX_POINTS:
        st.caption(
            f"More than {MAX_POINTS:,} meetings: each dot counts the meetings of one month at one level "
            "with one mediator (its size grows with the count; hover for the number)."
        )
