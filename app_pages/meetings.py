"""Meetings: the filtered meetings (up to the map's "up to" date) as a searchable, sortable table
with the evidence quoted, the source, a link to the article on the Sources page, the confidence
and where each field came from (the article or an analyst). The table is built in
geo.present.meetings_table; a dataframe shows text as text."""

from __future__ import annotations

import streamlit as st

from geo.present.filters import window_words
from geo.present.meetings_table import MAX_ROWS, search, table
from ui import data, messages
from ui.view import current

view = current()
ds = view.dataset
ev = data.evidence(ds)
meetings = view.meetings  # the filters and the time window (applied once, in app.py)

st.subheader("Meetings")
query = st.text_input(
    "Search", key="meetings_search", placeholder="venue, participant, mediator, event or source title"
)
found = search(meetings, query, ev)
shown = table(found, ev, ds.articles)

st.caption(
    f"{len(found)} of {len(meetings)} meetings in the filters"
    + (f", {window_words(view.until)}" if view.until else "")
    + ". Click a column's header to sort."
)
if len(found) > MAX_ROWS:
    st.info(
        f"Showing the {MAX_ROWS:,} most recent of {len(found):,} meetings: narrow them with the search box "
        "or the filters."
    )
if not len(meetings):
    messages.no_match()
elif not len(found):
    st.info("No meeting matches the search.")
else:
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "date": st.column_config.TextColumn("date", help="at its precision: a day, a month or a year"),
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "source URL": st.column_config.LinkColumn("source URL"),
            "evidence": st.column_config.TextColumn("evidence", width="large"),
            "article": st.column_config.LinkColumn(
                "article", display_text="on Sources", help="the article with its evidence highlighted"
            ),
            "by analyst": st.column_config.TextColumn(
                "by analyst", help="fields an analyst gave, not the article (data/curation.csv)"
            ),
            "provenance": st.column_config.TextColumn(
                "provenance",
                width="large",
                help="from the article (reviewed or not) or added by an analyst; then who gave which field, "
                "when, from which source and why",
            ),
        },
    )
