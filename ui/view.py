"""What every page draws from: the dataset, the filter options, the filters (the time window
included) and the meetings they let through. app.py builds it once per run (after the sidebar)
and pages read it: the time window is applied here, once, so every page and export agrees."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo.core.dates import When
from geo.core.schema import Dataset
from geo.present.filters import FilterOptions, Filters
from ui.data import selection

_KEY = "_talks_atlas_view"


@dataclass(frozen=True)
class View:
    dataset: Dataset
    options: FilterOptions
    filters: Filters  # every filter: the sidebar's and the time window (``until``)
    unwindowed: pd.DataFrame  # dataset.meetings through the sidebar filters, every date (the time control's steps)
    meetings: pd.DataFrame  # ... and within the time window: what every page and export shows

    @property
    def until(self) -> When | None:
        """The time window: meetings up to this day, month or year (None: every date)."""
        return self.filters.until

    @classmethod
    def of(cls, dataset: Dataset, options: FilterOptions, filters: Filters) -> View:
        """The view of these filters; the filtered frames are shared by every session (ui.data.selection)."""
        unwindowed, meetings = selection(dataset, filters)
        return cls(dataset, options, filters, unwindowed, meetings)


def publish(view: View) -> None:
    st.session_state[_KEY] = view


def current() -> View:
    """The view app.py published for this run (app.py runs before every page).

    Without it the page was run on its own, not through ``streamlit run app.py``: say so and stop.
    """
    view = st.session_state.get(_KEY)
    if view is None:
        st.info("Open Talks Atlas with `streamlit run app.py`.")
        st.stop()
    return view
