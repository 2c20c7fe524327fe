"""The app's one top-level guard for what slips through: an unexpected error becomes a plain
message naming the page and the link's parameters, and its traceback goes to a log file
(geo.core.errors.record_crash) whose place the message gives.

Streamlit's own control flow (st.stop, st.rerun, st.switch_page) raises exceptions derived from
BaseException, not Exception, so it passes through the guard untouched."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from geo.core.errors import TalksAtlasError, clip, record_crash
from ui.messages import data_problem, plain

PARAMS_LIMIT = 200  # characters of the URL parameters named in the message (2,000 in the log)


def url_parameters() -> str:
    """The link's parameters as text: ``mediator=Russia&until=2022-10-31`` (or "none")."""
    pairs = [f"{k}={v}" for k in st.query_params for v in st.query_params.get_all(k)]
    return "&".join(pairs) or "none"


@contextmanager
def page_guard(where: str) -> Iterator[None]:
    """Run ``where`` ("the Map page"): errors a user can cause show their own message, anything
    else a short report instead of a traceback."""
    try:
        yield
    except TalksAtlasError as exc:
        data_problem(exc)
    except Exception as exc:  # noqa: BLE001 - the top-level guard: reported and logged, never silent
        crashed(exc, where)


def guarded_callback(where: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The same guard for a widget callback (``where``: "a filter change"): Streamlit runs
    callbacks before the script, outside :func:`page_guard`."""

    def wrap(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def run(*args, **kwargs) -> None:
            with page_guard(where):
                fn(*args, **kwargs)

        return run

    return wrap


def crashed(exc: Exception, where: str) -> None:
    params = url_parameters()
    log = record_crash(exc, f"Talks Atlas app, {where}, URL parameters: {clip(params, 2000)}")
    st.error(
        f"**An unexpected error stopped {plain(where)}** "
        f"({plain(type(exc).__name__)}). This is a fault in Talks Atlas, not in what you did.\n\n"
        f"Link parameters: {plain(params, PARAMS_LIMIT)}\n\n"
        f"The details were written to {plain(log)}; please send that file with the link. "
        "Other pages and filters may still work."
    )
