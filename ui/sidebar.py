"""The shared sidebar: filters defined once, kept in the URL.

The URL (``st.query_params``) is the source of truth, so a link reproduces the view:
``?mediator=Russia&mediator=EU&from=2016&to=2024&level=leaders&status=held&until=2022-10-31``.

- When the URL changes from outside (first load, a pasted link, back/forward), the widgets
  follow it. Bad values are dropped with a small notice (geo.present.filters.from_query) and the URL is
  cleaned.
- When a widget changes, its callback writes the URL.
- Page links carry the current URL parameters (a plain navigation link would drop them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from geo.present.filters import FilterOptions, Filters, from_query, to_query
from ui.guard import guarded_callback
from ui.messages import plain

PARAMS = ("mediator", "from", "to", "level", "status", "until")
MED, YEARS, LEVELS, STATUSES, UNTIL = "f_mediators", "f_years", "f_levels", "f_statuses", "f_until"
_SIG, _NOTICES, _OPTS = "_url_sig", "_url_notices", "_filter_options"
NOTICE_LIMIT = 300  # characters of a notice shown (the values quoted in it are cut already)


def _sig(q: dict[str, list[str]]) -> str:
    return repr(sorted((k, list(v)) for k, v in q.items()))


def _url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in PARAMS if k in st.query_params}


def _widgets_to_filters(opts: FilterOptions) -> Filters:
    ss = st.session_state
    years = ss.get(YEARS) or (opts.year_min, opts.year_max)
    y0, y1 = int(years[0]), int(years[1])
    return Filters(
        mediators=tuple(ss.get(MED) or ()),
        year_from=y0 if y0 != opts.year_min else None,
        year_to=y1 if y1 != opts.year_max else None,
        levels=tuple(ss.get(LEVELS) or ()),
        statuses=tuple(ss.get(STATUSES) or ()),
        until=ss.get(UNTIL),
    )


def _set_params(q: dict[str, list[str]]) -> None:
    """Replace our parameters in the URL, key by key (other parameters, e.g. embed, stay)."""
    for k in PARAMS:
        if k in q:
            if st.query_params.get_all(k) != q[k]:
                st.query_params[k] = q[k]
        elif k in st.query_params:
            del st.query_params[k]


@guarded_callback("a filter change")
def write_url() -> None:
    """Widget callback: the widgets' state becomes the URL (defaults are left out)."""
    opts: FilterOptions = st.session_state[_OPTS]
    q = to_query(_widgets_to_filters(opts))
    _set_params(q)
    st.session_state[_SIG] = _sig(q)
    st.session_state[_NOTICES] = []


def set_until(value: date | None) -> None:
    """The map's time control (kept in the URL with the filters)."""
    st.session_state[UNTIL] = value
    write_url()


def _follow_url(opts: FilterOptions) -> None:
    """Bring the widgets in line with the URL if it changed since we last wrote it."""
    raw = _url_params()
    if st.session_state.get(_SIG) == _sig(raw):
        return
    f, notices = from_query(raw, opts)
    ss = st.session_state
    ss[MED] = list(f.mediators)
    ss[YEARS] = (
        f.year_from if f.year_from is not None else opts.year_min,
        f.year_to if f.year_to is not None else opts.year_max,
    )
    ss[LEVELS] = list(f.levels)
    ss[STATUSES] = list(f.statuses)
    ss[UNTIL] = f.until
    clean = to_query(_widgets_to_filters(opts))
    if notices or _sig(clean) != _sig(raw):
        _set_params(clean)  # the link shown is the one that reproduces the view
    ss[_SIG] = _sig(clean)
    ss[_NOTICES] = notices


def filters(opts: FilterOptions) -> tuple[Filters, date | None]:
    """Draw the filter widgets in the sidebar; return (shared filters, the map's until)."""
    st.session_state[_OPTS] = opts
    _follow_url(opts)
    sb = st.sidebar
    sb.header("Filters")
    sb.multiselect(
        "Mediators",
        options=list(opts.mediators),
        format_func=lambda n: str(opts.labels.get(n, n)),
        key=MED,
        on_change=write_url,
        placeholder="all mediators and direct talks",
        help="A meeting is shown when any of its mediators is chosen.",
    )
    if opts.year_min < opts.year_max:
        sb.slider("Years", min_value=opts.year_min, max_value=opts.year_max, step=1, key=YEARS, on_change=write_url)
    else:
        sb.caption(f"Years: {opts.year_min} (all meetings are from one year)")
    sb.multiselect("Level", options=list(opts.levels), key=LEVELS, on_change=write_url, placeholder="all levels")
    sb.multiselect("Status", options=list(opts.statuses), key=STATUSES, on_change=write_url, placeholder="all statuses")
    for notice in st.session_state.get(_NOTICES) or ():
        sb.caption(f"⚠ {plain(notice, NOTICE_LIMIT)}")
    f = _widgets_to_filters(opts)
    until = f.until
    return Filters(f.mediators, f.year_from, f.year_to, f.levels, f.statuses), until


def page_links(pages: Sequence[st.Page], where=None) -> None:
    """Navigation that keeps the filters: each link carries the current URL parameters — the
    cleaned ones, so call it after :func:`filters` (``where``: a sidebar container drawn above)."""
    where = where if where is not None else st.sidebar
    params = {k: st.query_params.get_all(k) for k in PARAMS if k in st.query_params}
    for page in pages:
        where.page_link(page, query_params=params or None)
    where.divider()


ANALYST = "analyst_name"


def analyst() -> str:
    """The analyst's name, at the bottom of the sidebar: every decision on the Review page records
    it. Kept for the session (the field is drawn on every page, so its value stays)."""
    st.sidebar.text_input("Analyst", key=ANALYST, placeholder="your name", help="recorded with each review decision")
    return analyst_name()


def analyst_name() -> str:
    return str(st.session_state.get(ANALYST) or "").strip()
