"""The time window: "meetings up to" a date, at the precision the data gives (no streamlit).

A meeting is in the window "up to W" when its dated period has ended by the end of W: a
meeting dated "September 2024" is shown up to "September 2024" or "30 September 2024", not up
to "15 September 2024" (it may have been later in the month). The steps of the time control
are the meetings' own dates: one step per distinct end of period, labelled with the coarsest
date that ends there ("September 2024" covers a meeting on 30 September and one dated only to
the month). Each step adds the meetings of that date.

Also here: the previous/next step from a window, and the histogram of meetings per year or
month with the window's share marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from geo.core.dates import When, rank

MONTHLY_SPAN = 3  # years: a shorter span is binned by month, a longer one by year


def period_ends(meetings: pd.DataFrame) -> pd.Series:
    """The last day of each meeting's dated period (Timestamp), vectorised: the day itself, the
    month's last day or the year's last day. ``when`` is the period's first day."""
    when = meetings["when"]
    precision = meetings["date_precision"]
    ends = when.copy()
    month, year = precision == "month", precision == "year"
    if month.any():
        ends[month] = when[month] + pd.offsets.MonthEnd(0)
    if year.any():
        ends[year] = when[year] + pd.offsets.YearEnd(0)
    return ends


def in_window(meetings: pd.DataFrame, until: When | None) -> pd.Series:
    """True for the meetings shown "up to ``until``" (every meeting when None)."""
    if until is None:
        return pd.Series(True, index=meetings.index)
    return period_ends(meetings) <= pd.Timestamp(until.last_day)


def steps(meetings: pd.DataFrame) -> tuple[When, ...]:
    """The time control's steps: one per distinct end of period, oldest first, each labelled
    with the coarsest date of its meetings that ends there."""
    if not len(meetings):
        return ()
    frame = pd.DataFrame({"end": period_ends(meetings), "date": meetings["date"]}).drop_duplicates()
    by_end: dict[date, When] = {}
    for end, text in zip(frame["end"], frame["date"]):
        when = When.parse(text)
        day = end.date()
        best = by_end.get(day)
        if best is None or rank(when.precision) > rank(best.precision):
            by_end[day] = when
    return tuple(by_end[d] for d in sorted(by_end))


def position(all_steps: tuple[When, ...], until: When | None) -> int:
    """The index of the step the window shows (the last one when ``until`` is None; the last
    step ending on or before ``until``; -1 when ``until`` ends before the first step)."""
    if until is None:
        return len(all_steps) - 1
    end = until.last_day
    index = -1
    for i, step in enumerate(all_steps):
        if step.last_day <= end:
            index = i
    return index


def previous_step(all_steps: tuple[When, ...], until: When | None) -> When | None:
    """The window one meeting date earlier; None when there is none."""
    i = position(all_steps, until)
    return all_steps[i - 1] if i >= 1 else None


def next_step(all_steps: tuple[When, ...], until: When | None) -> When | None:
    """The window one meeting date later; None when the window already shows every step."""
    i = position(all_steps, until)
    return all_steps[i + 1] if i + 1 < len(all_steps) else None


def as_window(all_steps: tuple[When, ...], step: When | None) -> When | None:
    """The ``until`` to keep for a step: None (every meeting) for the last step."""
    if step is None or not all_steps or step.last_day >= all_steps[-1].last_day:
        return None
    return step


# ---------------------------------------------------------------------------------------------
# The histogram


@dataclass(frozen=True)
class Bins:
    """Meetings per period: ``frame`` has columns start (Timestamp), label, part ('shown' or
    'later') and meetings; ``unit`` is 'year' or 'month'."""

    frame: pd.DataFrame
    unit: str


SHOWN, LATER = "shown", "later"


def histogram(meetings: pd.DataFrame, until: When | None) -> Bins:
    """Meetings per year (per month when they span fewer than ``MONTHLY_SPAN`` years), each
    period split into the meetings in the window and those after it. Every period of the span
    is there, with zeros, so a gap shows as a gap."""
    columns = ["start", "label", "part", "meetings"]
    if not len(meetings):
        return Bins(pd.DataFrame(columns=columns), "year")
    first, last = meetings["when"].min(), meetings["when"].max()
    monthly = last.year - first.year < MONTHLY_SPAN
    freq = "MS" if monthly else "YS"
    starts = meetings["when"].dt.to_period("M" if monthly else "Y").dt.to_timestamp()
    shown = in_window(meetings, until)
    span = pd.date_range(starts.min(), starts.max(), freq=freq)
    rows = []
    for part, mask in ((SHOWN, shown), (LATER, ~shown)):
        counts = starts[mask].value_counts()
        for start in span:
            rows.append((start, _label(start, monthly), part, int(counts.get(start, 0))))
    return Bins(pd.DataFrame(rows, columns=columns), "month" if monthly else "year")


def _label(start: pd.Timestamp, monthly: bool) -> str:
    return When(start.date(), "month" if monthly else "year").short()
