"""Map: where the talks took place, one circle per venue, up to a chosen date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.core.dates import human_day
from geo.present.filters import apply, count_line, with_until
from geo.present.mapview import MapOptions, app_map, legend_html, legend_items, several_mediators, venue_group
from ui import data, messages, sidebar
from ui.view import current

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


def warn_null_island(venues: pd.DataFrame) -> None:
    """0°, 0° is where a missing coordinate lands (in the Gulf of Guinea): say which venues."""
    names = ", ".join(venues["venue"].head(NAMED))
    st.warning(
        f"{len(venues)} venue{'s have' if len(venues) != 1 else ' has'} the coordinates 0, 0 "
        f"(probably missing): {messages.plain(names, 600)}. Check data/venues.csv (or "
        "venue_overrides.csv) and rebuild."
    )


view = current()
ds = view.dataset
meetings = view.meetings

st.subheader("Where the talks took place")
null_island = ds.venues[(ds.venues["lat"] == 0) & (ds.venues["lon"] == 0)]
if len(null_island):
    warn_null_island(null_island)

controls = st.columns([3, 1, 1])
until: date | None = None
in_window = meetings["when"].between(pd.Timestamp(SLIDER_FIRST), pd.Timestamp(SLIDER_LAST))
on_slider = meetings if in_window.all() else meetings[in_window]  # no copy of a million rows
if len(on_slider) < len(meetings):
    warn_off_slider(meetings.drop(on_slider.index))
if len(on_slider):
    first, last = on_slider["when"].min().date(), on_slider["when"].max().date()
    chosen = view.until if view.until is not None else last
    chosen = min(max(chosen, first), last)
    if first < last:
        st.session_state["map_until"] = chosen
        picked = controls[0].slider(
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
        until = picked if picked < last else None
    shown = apply(meetings, with_until(view.filters, until)) if until else meetings
else:
    shown = meetings
route = controls[1].toggle("Route", key="map_route", help="Draw the chronological route between venues.")
online = controls[2].toggle(
    "Online tiles",
    key="map_tiles",
    value=False,
    help="Off: fully offline country outlines. On: OpenStreetMap tiles (needs internet).",
)

st.markdown(f"**{count_line(shown)}**" + (f" (up to {human_day(until)})" if until else ""))
if not len(shown):
    messages.no_match()

options = MapOptions(online_tiles=online, route=route)
# The map itself stays the same across filter changes; only its venue layer is swapped in place
st_folium(
    app_map(ds.venues, options),
    key="talks_map",
    feature_group_to_add=venue_group(shown, ds.venues, ds.mediators, options, layer=data.venue_layer(ds, shown)),
    height=560,
    use_container_width=True,
    returned_objects=[],
)

legend = legend_items(shown, ds.mediators)
if legend:
    st.html(legend_html(legend, rings=several_mediators(shown)))
st.caption(
    "Circle size: number of meetings at the venue. Click a circle for the meetings, their "
    "sources and the evidence text. Base map: Natural Earth (public domain)."
)
