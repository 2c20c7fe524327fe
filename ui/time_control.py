"""The time control (Map page): "Show meetings up to" one of the meetings' own dates, at their
precision; ◀ previous / next ▶ meeting; ▶ play (one meeting date per step); a histogram of the
meetings per year or month with the window's share marked. The window is ``until`` in the URL
and every page applies it (ui.view.View). The logic is geo.present.timewindow's.

Play: while playing, a fragment with ``run_every`` ticks; each tick moves the window one step
and reruns the app (the map is drawn by the page, not the fragment). The fragment is defined
only while playing, so pausing — or reaching the last date — stops the timer with the run.
"""

from __future__ import annotations

import streamlit as st

from geo.core.dates import When
from geo.present.timeline import window_histogram
from geo.present.timewindow import as_window, histogram, next_step, position, previous_step, steps
from ui import sidebar
from ui.guard import guarded_callback
from ui.view import View

KEY = "map_until"  # the select slider (the iso form of a step)
PLAYING = "time_playing"
_INLINE = "_time_tick_inline"
INTERVAL = 1.5  # seconds per step while playing


@guarded_callback("the time control")
def _go(window: When | None, playing: bool = False) -> None:
    st.session_state[PLAYING] = playing
    sidebar.set_until(window)


def stop_playing() -> None:
    """Play belongs to the page that shows the control: leaving it stops (no surprise resume)."""
    st.session_state[PLAYING] = False


def _picked(all_steps: tuple[When, ...]) -> None:
    _go(as_window(all_steps, When.parse(st.session_state[KEY])))


def _ticker(all_steps: tuple[When, ...], until: When | None) -> None:
    """While playing: every INTERVAL seconds, one step later (and stop after the last)."""
    st.session_state[_INLINE] = True

    @st.fragment(run_every=INTERVAL)
    def tick() -> None:
        if st.session_state.pop(_INLINE, False):
            return  # run with the page: the next step waits for the timer
        window = as_window(all_steps, next_step(all_steps, until))
        _go(window, playing=window is not None)
        st.rerun()

    tick()


def time_control(view: View) -> None:
    """Draw the time control for the meetings in the sidebar filters (every date)."""
    all_steps = steps(view.unwindowed)
    if len(all_steps) < 2:
        if all_steps:
            st.caption(f"Every meeting in the filters is dated {all_steps[0].human()}: no time control.")
        return
    until = view.until
    here = all_steps[max(position(all_steps, until), 0)]
    playing = bool(st.session_state.get(PLAYING))
    earlier, later = previous_step(all_steps, until), next_step(all_steps, until)

    buttons, slider = st.columns([1, 1], vertical_alignment="bottom")  # room for "Previous"
    b1, b2, b3 = buttons.columns(3)
    b1.button(
        "Previous",
        icon=":material/skip_previous:",
        key="time_previous",
        help="previous meeting date" + (f": {earlier.human()}" if earlier else ""),
        disabled=earlier is None,
        on_click=_go,
        args=(as_window(all_steps, earlier),),
        width="stretch",
    )
    if playing:
        b2.button(
            "Pause",
            icon=":material/pause:",
            key="time_pause",
            help="stop here",
            on_click=_go,
            args=(until,),
            width="stretch",
        )
    else:
        start = until if until is not None else all_steps[0]  # at the end: play from the first date
        b2.button(
            "Play",
            icon=":material/play_arrow:",
            key="time_play",
            help="one meeting date every 1.5 seconds",
            on_click=_go,
            args=(start, True),
            width="stretch",
        )
    b3.button(
        "Next",
        icon=":material/skip_next:",
        key="time_next",
        help="next meeting date" + (f": {later.human()}" if later else ""),
        disabled=later is None,
        on_click=_go,
        args=(as_window(all_steps, later),),
        width="stretch",
    )
    st.session_state[KEY] = here.iso()
    slider.select_slider(
        "Show meetings up to",
        options=[s.iso() for s in all_steps],
        format_func=lambda iso: When.parse(iso).short(),
        key=KEY,
        on_change=_picked,
        args=(all_steps,),
        help="The meetings' own dates, at their precision. Cumulative: every meeting dated on or before "
        "this date (a meeting dated only to the month or year is shown once that month or year is over).",
    )
    if position(all_steps, until) < 0 and until is not None:
        st.caption(
            f"The time window (up to {until.human()}) ends before the first meeting in the filters "
            f"({all_steps[0].human()}): no meeting is shown. Press Next or pick a date."
        )
    st.altair_chart(window_histogram(histogram(view.unwindowed, until)), width="stretch")
    if playing:
        _ticker(all_steps, until)
