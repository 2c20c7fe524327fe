"""Map: where the talks took place, one circle per venue, up to a chosen date."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.present.filters import count_line, default_title, describe, window_words
from geo.present.mapview import MapOptions, app_map, venue_group
from ui import data, messages, sidebar
from ui.time_control import time_control
from ui.view import current

NAMED = 10  # venues named in the warning


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

shown = meetings  # the filters and the time window (applied once, in app.py)
controls = st.columns([3, 1, 1], vertical_alignment="center")
route = sidebar.url_toggle(
    controls[1], "Route", "route", key="map_route", help="Draw the chronological route between venues."
)
online = controls[2].toggle(
    "Online tiles",
    key="map_tiles",
    value=False,
    help="Off: fully offline country outlines. On: OpenStreetMap tiles (needs internet).",
)

controls[0].markdown(f"**{count_line(shown)}**" + (f" ({window_words(view.until)})" if view.until else ""))
if not len(shown):
    messages.no_match()

# The map carries its own title line (the filters in words), legend and venue labels: a screenshot
# of the map alone says what it shows.
shown_filters = view.filters  # the window included
options = MapOptions(
    online_tiles=online,
    route=route,
    title=default_title(shown_filters, view.options, shown),
    subtitle=describe(shown_filters, view.options, shown) + " · " + count_line(shown),
)
# The map itself stays the same across filter changes; only its layer (markers, route, labels,
# legend, title line) is swapped in place
st_folium(
    app_map(ds.venues, options),
    key="talks_map",
    feature_group_to_add=venue_group(shown, ds.venues, ds.mediators, options, layer=data.venue_layer(ds, shown)),
    height=560,
    use_container_width=True,
    returned_objects=[],
)
# The time control under the map (as in kepler.gl's playback): the map stays high on the page, so a
# 1280×720 screenshot holds its title line, legend and labels
time_control(view)
st.caption(
    "Circle size: number of meetings at the venue. Click a circle for the meetings, their "
    "sources and the evidence text. Armenia and Azerbaijan are shaded. Base map: Natural Earth (public domain)."
)
