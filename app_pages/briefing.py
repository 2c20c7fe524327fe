"""Briefing: the current filtered map as a slide (title, filters in words, legend, count, sources),
ready to download as a PNG (1920×1080 or 1280×720) or as one self-contained HTML file."""

from __future__ import annotations

import re

import streamlit as st

from geo.core.errors import UsageError
from geo.present.brief import SIZES, clean_title, compose, page_html, preview_html
from geo.present.browser import chromium_path
from geo.present.filters import default_title
from ui import sidebar
from ui.messages import plain
from ui.view import current

view = current()
ds = view.dataset
filters = view.filters  # the sidebar's and the time window: exactly what every page shows
default = default_title(filters, view.options, view.meetings)

st.subheader("Briefing")
st.caption("The current view as a slide: change the filters in the sidebar, edit the title, download.")

title = sidebar.url_text(  # an analyst's own title is kept in the URL (title=...)
    st,
    "Slide title",
    "title",
    default,
    key="brief_title",
    max_chars=300,
    help="Starts as a title made from the filters; clear it to get that title back.",
)
try:
    title = clean_title(title, default)
except UsageError as exc:
    st.warning(plain(exc, 300))
    title = default

route = st.toggle(
    "Route",
    key="brief_route",
    help="Draw the route between venues in date order: numbered, with arrows; the dated list gets the same numbers.",
)

brief = compose(ds, filters, title, route=route)
pages = {key: page_html(brief, size) for key, size in SIZES.items()}
slug = re.sub(r"[^A-Za-z0-9]+", "-", brief.title).strip("-").lower()
stem = (slug if len(slug) <= 60 else slug[:61].rsplit("-", 1)[0]) or "briefing"  # whole words


def png(key: str):
    """Rendered only when the button is clicked (a few seconds in headless Chromium)."""
    page = pages[key]

    def make() -> bytes:
        from geo.present.render import capture

        return capture(page, SIZES[key], expect_markers=not brief.empty).png

    return make


no_browser = chromium_path() is None
cols = st.columns(4)
for col, key in zip(cols, SIZES):
    col.download_button(
        f"PNG {key.replace('x', '×')}",
        png(key),
        file_name=f"{stem}-{key}.png",
        mime="image/png",
        key=f"brief_png_{key}",
        on_click="ignore",
        icon=":material/image:",
        disabled=no_browser,
        help="Needs Chromium (scripts/setup.sh installs it)" if no_browser else "Rendered offline in headless Chromium",
    )
cols[2].download_button(
    "HTML (offline)",
    pages["1920x1080"].encode("utf-8"),
    file_name=f"{stem}.html",
    mime="text/html",
    key="brief_html",
    on_click="ignore",
    icon=":material/code:",
    help="One file with the map, its scripts and the basemap inside: opens with no network.",
)
if no_browser:
    st.caption("PNG downloads are off: Chromium is not installed at /usr/bin/chromium (run scripts/setup.sh).")

# Sandboxed: the slide's scripts run in an opaque origin, never with the app's (geo.present.brief.preview_html)
st.iframe(preview_html(brief, SIZES["1920x1080"]), height="content")
