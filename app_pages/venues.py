"""Venues: the geocoded places (data/venues.csv) with mentions, precision and articles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.core.schema import split_list
from ui import data
from ui.view import current

view = current()
ds = view.dataset
ev = data.evidence(ds)

st.subheader("Venues")
st.caption(
    "The geocoded table `data/venues.csv`. *Meetings* counts the meetings in the current "
    "filters and time window; *meetings (all)* every meeting in the data; *mentions* counts every "
    "mention in the articles."
)

in_filter = view.meetings.groupby("venue").size()
total = ds.meetings.groupby("venue").size()
table = pd.DataFrame(
    {
        "venue": ds.venues["venue"],
        "country": ds.venues["country"],
        "meetings": ds.venues["venue"].map(in_filter).fillna(0).astype(int),
        "meetings (all)": ds.venues["venue"].map(total).fillna(0).astype(int),
        "mentions": ds.venues["mentions"],
        "precision": ds.venues["precision"],
        "resolved by": ds.venues["resolved_by"],
        "lat": ds.venues["lat"],
        "lon": ds.venues["lon"],
        "articles": ds.venues["documents"].map(lambda s: "; ".join(ev.title(f) for f in split_list(s))),
    }
).sort_values(["meetings", "mentions", "venue"], ascending=[False, False, True])
only = st.toggle("Only venues with meetings in the filters and time window", key="venues_only", value=False)
if only:
    table = table[table["meetings"] > 0]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "lat": st.column_config.NumberColumn(format="%.4f"),
        "lon": st.column_config.NumberColumn(format="%.4f"),
    },
)
st.caption(f"{len(table)} venue{'s' if len(table) != 1 else ''}")
