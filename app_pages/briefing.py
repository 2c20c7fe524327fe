"""Briefing: the current filtered map as a slide (title, filters in words, legend, count, sources),
ready to download as a PNG (1920×1080 or 1280×720, with its description inside), as one
self-contained HTML file, or as a time-lapse (GIF or MP4, one step per meeting); with the
picture's description as alt text to copy."""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from geo.core.errors import TalksAtlasError, UsageError
from geo.present import timelapse
from geo.present.brief import SIZES, clean_title, compose, page_html, preview_html
from geo.present.browser import chromium_path
from geo.present.filters import default_title
from geo.present.picture import describe, png_with_text
from ui import sidebar
from ui.chromium import renderer
from ui.messages import plain
from ui.view import current

view = current()
ds = view.dataset
filters = view.filters  # the sidebar's and the time window: exactly what every page shows
shown = view.meetings
default = default_title(filters, view.options, shown)

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
description = describe(brief, shown)
pages = {key: page_html(brief, size) for key, size in SIZES.items()}
slug = re.sub(r"[^A-Za-z0-9]+", "-", brief.title).strip("-").lower()
stem = (slug if len(slug) <= 60 else slug[:61].rsplit("-", 1)[0]) or "briefing"  # whole words


def png(key: str):
    """Rendered only when the button is clicked, in the server's warm Chromium (ui.chromium)."""
    page = pages[key]

    def make() -> bytes:
        shot = renderer().capture(page, SIZES[key], expect_markers=not brief.empty, inspect=False)
        return png_with_text(shot.png, brief.title, description)

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

# Plain text in a text area (never Markdown): names from the data are shown as they are.
st.text_area(
    "Alt text",
    value=description,
    key=f"brief_alt::{hashlib.sha1(description.encode()).hexdigest()}",
    height=200,  # the whole description of a typical slide without scrolling
    help="A description of the picture for readers who cannot see it; the PNG carries it too. Copy it.",
)

with st.expander("Time-lapse: the meetings appearing in date order", icon=":material/movie:"):
    st.caption(
        "One step per meeting after a title frame; every frame keeps the title, legend and footer and "
        "says the date it shows. Rendered offline, about a second per meeting."
    )
    c1, c2, c3 = st.columns(3)
    fmt = c1.radio("Format", timelapse.FORMATS, format_func=lambda f: f[1:].upper(), horizontal=True)
    size_key = c2.radio("Size", list(SIZES), index=1, format_func=lambda k: k.replace("x", "×"), horizontal=True)
    seconds = c3.number_input("Seconds per meeting", min_value=0.1, max_value=10.0, value=1.0, step=0.1)
    # What the file is made of: a made file is offered only while nothing it depends on changed.
    recipe = (fmt, size_key, seconds, brief.title, repr(filters), str(ds.data_dir), ds.built)
    too_many = len(shown) > timelapse.MAX_STEPS
    if st.button(
        "Make time-lapse",
        icon=":material/movie:",
        key="brief_lapse_make",
        disabled=no_browser or brief.empty or too_many,
        help="No meetings match the filters"
        if brief.empty
        else f"At most {timelapse.MAX_STEPS} meetings"
        if too_many
        else None,
    ):
        bar = st.progress(0.0, text="Rendering frames…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        try:
            data = timelapse.make(
                ds,
                filters,
                fmt,
                SIZES[size_key],
                renderer(),
                title=brief.title,
                timing=timelapse.Timing(frame_seconds=seconds, title_seconds=2 * seconds),
                progress=progress,
            )
        except TalksAtlasError as exc:
            bar.empty()
            st.error(plain(exc, 500))
        else:
            bar.progress(1.0, text="Encoded")
            st.session_state["brief_lapse"] = (recipe, data)
    made = st.session_state.get("brief_lapse")
    if made and made[0] == recipe:
        st.download_button(
            f"Download {fmt[1:].upper()} ({len(made[1]) / 1e6:.1f} MB)",
            made[1],
            file_name=f"{stem}-timelapse-{size_key}{fmt}",
            mime="image/gif" if fmt == ".gif" else "video/mp4",
            key="brief_lapse_download",
            on_click="ignore",
            icon=":material/download:",
        )

# Sandboxed: the slide's scripts run in an opaque origin, never with the app's (geo.present.brief.preview_html)
st.iframe(preview_html(brief, SIZES["1920x1080"]), height="content")
