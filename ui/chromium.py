"""One warm Chromium per server process for the Briefing page's pictures (st.cache_resource):
geo.present.render.Renderer runs it in a thread of its own, serialises the pictures and starts it
again when it died."""

from __future__ import annotations

import streamlit as st

from geo.present.render import Renderer


@st.cache_resource(show_spinner=False)
def renderer() -> Renderer:
    return Renderer()
