"""What every page draws from: the dataset, the filter options, the shared filters and the
filtered meetings. app.py builds it once per run (after the sidebar) and pages read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from geo.core.schema import Dataset
from geo.present.filters import FilterOptions, Filters

_KEY = "_talks_atlas_view"


@dataclass(frozen=True)
class View:
    dataset: Dataset
    options: FilterOptions
    filters: Filters  # the shared sidebar filters (without the map's time control)
    until: date | None  # the map's time control (also in the URL)
    meetings: pd.DataFrame  # dataset.meetings through the shared filters


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
