"""Talks Atlas: where the Armenia–Azerbaijan peace talks took place, offline.

    streamlit run app.py      (or: bash scripts/app.sh)

This file builds what every page shares, once: the data (cached), the sidebar filters (kept in
the URL), the navigation, the exports. Each page in ``app_pages/`` then draws from ``ui.view``.
"""

from __future__ import annotations

import streamlit as st

from geo.present import assets
from geo.present.export import meetings_csv, meetings_geojson
from geo.present.filters import window_line, window_words
from ui import data, sidebar, time_control
from ui.guard import page_guard
from ui.view import View, publish

st.set_page_config(page_title="Talks Atlas", page_icon="🗺️", layout="wide")

# The pages, in menu order, each at its own URL path (/timeline?mediator=Russia is a bookmark).
# The map is the default, at /. The folder is app_pages/, not pages/: with st.navigation a
# pages/ folder would make Streamlit run a page file alone on a fresh server.
PAGES = [
    st.Page("app_pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("app_pages/venues.py", title="Venues", icon=":material/place:", url_path="venues"),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/article:", url_path="sources"),
    st.Page("app_pages/briefing.py", title="Briefing", icon=":material/slideshow:", url_path="briefing"),
    st.Page("app_pages/meetings.py", title="Meetings", icon=":material/table_rows:", url_path="meetings"),
    st.Page("app_pages/review.py", title="Review", icon=":material/fact_check:", url_path="review"),
    st.Page("app_pages/add.py", title="Add articles", icon=":material/upload_file:", url_path="add"),
]

nav = st.navigation(PAGES, position="hidden")  # drawn below with links that keep the filters


def main() -> None:
    """Data, sidebar, exports, then the chosen page."""
    assets.ensure_static()  # Leaflet, jQuery and the basemap, served by the app itself
    ds = data.dataset()  # a DataError (file, row, field) is shown by the guard below

    opts = data.filter_options(ds)  # once per data version, not on every rerun
    links = st.sidebar.container()  # drawn above the filters, filled after them: links carry the cleaned URL
    chosen = sidebar.filters(opts)
    sidebar.page_links(PAGES, links)
    view = View.of(ds, opts, chosen)  # the time window applied once, here, for every page and export
    publish(view)

    # Exports are what every page shows: the filters and the time window
    exported = view.meetings
    evidence = data.evidence(ds)  # titles and quotes in the exports, read once per data version
    with st.sidebar:
        st.divider()
        st.caption(f"Download the {len(exported)} filtered meetings, {window_words(view.until)}")
        c1, c2 = st.columns(2)
        # Callables: the files are made when clicked, not on every rerun (100k meetings take seconds)
        c1.download_button(
            "CSV",
            lambda f=exported, e=evidence, a=ds.articles: meetings_csv(f, e, a),
            file_name="meetings.csv",
            mime="text/csv",
            key="dl_csv",
            on_click="ignore",
        )
        c2.download_button(
            "GeoJSON",
            lambda f=exported, v=ds.venues, m=ds.mediators, e=evidence, a=ds.articles: meetings_geojson(f, v, m, e, a),
            file_name="meetings.geojson",
            mime="application/geo+json",
            key="dl_geojson",
            on_click="ignore",
        )
    sidebar.analyst()  # at the bottom: who takes the Review page's decisions

    if nav.title != "Add articles":
        st.caption(window_line(view.until, len(view.meetings), len(view.unwindowed)))
    if nav.title != "Map":
        time_control.stop_playing()
    nav.run()


with page_guard(f"the {nav.title} page"):  # one guard for what slips through: a message and a log, never a traceback
    main()
