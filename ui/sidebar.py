"""The shared sidebar: filters defined once, kept in the URL.

The URL (``st.query_params``) is the source of truth, so a link reproduces the view:
``?mediator=Russia&mediator=EU&from=2016&to=2024&level=leaders&status=held&host=RU&until=2022-10``.
``until`` is the time window every page and export shows (a day, a month or a year; the Map
page's time control sets it). Page settings ride along too (``route=1`` on the map, the
briefing's own ``title``): see :func:`url_toggle` and :func:`url_text`.

- When the URL changes from outside (first load, a pasted link, back/forward), the widgets
  follow it. Bad values are dropped with a small notice (geo.present.filters.from_query) and the URL is
  cleaned.
- When a widget changes, its callback writes the URL.
- Page links carry the current URL parameters (a plain navigation link would drop them).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.core.dates import When
from geo.present.filters import FilterOptions, Filters, from_query, to_query
from ui.guard import guarded_callback
from ui.messages import plain

PARAMS = ("mediator", "from", "to", "level", "status", "host", "until")
PAGE_PARAMS = ("route", "title")  # a page's own settings, kept in the URL and carried by the page links
MED, YEARS, LEVELS, STATUSES, UNTIL = "f_mediators", "f_years", "f_levels", "f_statuses", "f_until"
HOSTS = "f_hosts"
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
        hosts=tuple(ss.get(HOSTS) or ()),
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


def set_until(value: When | None) -> None:
    """The time window (the Map page's time control; kept in the URL with the filters)."""
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
    ss[HOSTS] = list(f.hosts)
    ss[UNTIL] = f.until
    clean = to_query(_widgets_to_filters(opts))
    if notices or _sig(clean) != _sig(raw):
        _set_params(clean)  # the link shown is the one that reproduces the view
    ss[_SIG] = _sig(clean)
    ss[_NOTICES] = notices


def filters(opts: FilterOptions) -> Filters:
    """Draw the filter widgets in the sidebar; return every filter, the time window included."""
    st.session_state[_OPTS] = opts
    _follow_url(opts)
    sb = st.sidebar
    sb.header("Filters")
    sb.multiselect(
        "Mediators",
        options=list(opts.offered_mediators()),
        format_func=opts.mediator_label,
        key=MED,
        on_change=write_url,
        placeholder="all mediators and direct talks",
        help="A meeting is shown when any of its mediators is chosen. (n): its meetings in the data; "
        "mediators with none are listed last, marked (0).",
    )
    if opts.year_min < opts.year_max:
        sb.slider("Years", min_value=opts.year_min, max_value=opts.year_max, step=1, key=YEARS, on_change=write_url)
    else:
        sb.caption(f"Years: {opts.year_min} (all meetings are from one year)")
    sb.multiselect("Level", options=list(opts.levels), key=LEVELS, on_change=write_url, placeholder="all levels")
    sb.multiselect("Status", options=list(opts.statuses), key=STATUSES, on_change=write_url, placeholder="all statuses")
    sb.multiselect(
        "Host country",
        options=list(opts.hosts),
        format_func=opts.host_label,
        key=HOSTS,
        on_change=write_url,
        placeholder="all host countries",
        help="The country where the meeting took place (meetings.csv `host`). (n): its meetings in the data.",
    )
    for notice in st.session_state.get(_NOTICES) or ():
        sb.caption(f"⚠ {plain(notice, NOTICE_LIMIT)}")
    return _widgets_to_filters(opts)


def page_links(pages: Sequence[st.Page], where=None) -> None:
    """Navigation that keeps the filters: each link carries the current URL parameters — the
    cleaned ones, so call it after :func:`filters` (``where``: a sidebar container drawn above)."""
    where = where if where is not None else st.sidebar
    params = {k: st.query_params.get_all(k) for k in PARAMS + PAGE_PARAMS if k in st.query_params}
    for page in pages:
        where.page_link(page, query_params=params or None)
    where.divider()


# ---------------------------------------------------------------------------------------------
# A page's own settings in the URL (not filters: they change how a page draws, not what it shows)


def url_toggle(where, label: str, param: str, key: str, help: str | None = None) -> bool:
    """A toggle kept in the URL as ``param=1`` (absent when off)."""
    st.session_state[key] = st.query_params.get(param) == "1"

    def write() -> None:
        if st.session_state[key]:
            st.query_params[param] = "1"
        elif param in st.query_params:
            del st.query_params[param]

    return where.toggle(label, key=key, help=help, on_change=guarded_callback(f"the {label} switch")(write))


def url_text(where, label: str, param: str, default: str, key: str, max_chars: int, help: str | None = None) -> str:
    """A text input kept in the URL when it differs from ``default`` (cleared: the default again)."""
    asked = (st.query_params.get(param) or "").strip()[:max_chars]
    st.session_state[key] = asked or default

    def write() -> None:
        value = (st.session_state[key] or "").strip()
        if value and value != default:
            st.query_params[param] = value
        elif param in st.query_params:
            del st.query_params[param]

    return where.text_input(
        label, key=key, max_chars=max_chars, help=help, on_change=guarded_callback(f"the {label} field")(write)
    )


ANALYST = "analyst_name"


def analyst() -> str:
    """The analyst's name, at the bottom of the sidebar: every decision on the Review page records
    it. Kept for the session (the field is drawn on every page, so its value stays)."""
    st.sidebar.text_input("Analyst", key=ANALYST, placeholder="your name", help="recorded with each review decision")
    return analyst_name()


def analyst_name() -> str:
    return str(st.session_state.get(ANALYST) or "").strip()
