"""The map's time control: "Show meetings up to" a date, kept in the URL (``until``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ui import messages, sidebar
from ui.view import View

# A date slider holds microseconds since 1970 as a JavaScript number: beyond about 1684–2255 it
# fails (StreamlitJSNumberBoundsError). Meetings dated outside this window (a typo such as
# 3024-10-23) stay on the map but are left out of the time control, with a warning.
SLIDER_FIRST, SLIDER_LAST = date(1700, 1, 1), date(2250, 12, 31)
NAMED = 10  # meetings named in the warning


def warn_off_slider(off: pd.DataFrame) -> None:
    named = ", ".join(f"{r.id} ({r.date})" for r in off.head(NAMED).itertuples(index=False))
    more = f" and {len(off) - NAMED} more" if len(off) > NAMED else ""
    st.warning(
        f"{len(off)} meeting{'s are' if len(off) != 1 else ' is'} dated outside "
        f"{SLIDER_FIRST.year}–{SLIDER_LAST.year} and left out of the time control: "
        f"{messages.plain(named, 600)}{more}. Check the date in data/meetings.csv (or curation.csv) and rebuild."
    )


def time_control(view: View, where=None) -> date | None:
    """Draw the "Show meetings up to" control (in ``where``, a container); return the chosen
    date, or None when every meeting is shown."""
    where = where if where is not None else st
    meetings = view.meetings
    on_slider = meetings[meetings["when"].between(pd.Timestamp(SLIDER_FIRST), pd.Timestamp(SLIDER_LAST))]
    if len(on_slider) < len(meetings):
        warn_off_slider(meetings.drop(on_slider.index))
    if not len(on_slider):
        return None
    first, last = on_slider["when"].min().date(), on_slider["when"].max().date()
    if not first < last:
        return None
    chosen = view.until if view.until is not None else last
    st.session_state["map_until"] = min(max(chosen, first), last)
    picked = where.slider(
        "Show meetings up to",
        min_value=first,
        max_value=last,
        key="map_until",
        format="D MMM YYYY",
        help="Cumulative: every meeting on or before this date.",
        on_change=lambda: sidebar.set_until(
            None if st.session_state["map_until"] >= last else st.session_state["map_until"]
        ),
    )
    return picked if picked < last else None
