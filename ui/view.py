"""What every page draws from: the dataset, the filter options, the shared filters and the
filtered meetings. app.py builds it once per run (after the sidebar) and pages read it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
import sys

import pandas as pd
import streamlit as st

from geo.present.filters import FilterOptions, Filters
from geo.core.schema import Dataset

_KEY = "_talks_atlas_view"
GOTO = "_talks_atlas_goto_page"


@dataclass(frozen=True)
class View:
    dataset: Dataset
    options: FilterOptions
    filters: Filters  # the shared sidebar filters (without the map's time control)
    until: date | None  # the map's time control (also in the URL)
    meetings: pd.DataFrame  # dataset.meetings through the shared filters


def publish(view: View) -> None:
    st.session_state[_KEY] = view


def url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def current(page_file: str | None = None) -> View:
    """The view app.py published for this run.

    A page can run without app.py: Streamlit treats the first session of a fresh server as an
    old-style multipage app (there is a ``pages/`` folder) until app.py has called
    st.navigation once, so a bookmarked ``/timeline?...`` opened first runs the page alone.
    Then we go through app.py (keeping the URL parameters) and app.py comes back to the page.
    """
    view = st.session_state.get(_KEY)
    if view is None:
        if page_file is None:  # the calling page's own file
            page_file = sys._getframe(1).f_globals.get("__file__")
        if page_file:
            from geo.core.paths import ROOT

            try:
                st.session_state[GOTO] = Path(page_file).resolve().relative_to(ROOT).as_posix()
            except ValueError:
                st.session_state[GOTO] = None
            if st.session_state[GOTO]:
                st.switch_page("app.py", query_params=url_params())
        st.info("Open Talks Atlas with `streamlit run app.py`.")
        st.stop()
    return view
