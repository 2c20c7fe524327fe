"""A date as the project knows it: a day, a month or a year (:class:`When`).

Articles say "on 6 October 2022", "in September 2024" or "in 2016"; the tables write
``2022-10-06``, ``2024-09`` and ``2016``; people read "6 October 2022", "September 2024" and
"2016". One value carries the date and its precision from extraction to the CSV writer, and
this module is the only place that parses or formats it.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from geo.core.errors import UsageError

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")  # finest first

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def rank(precision: str) -> int:
    """0 for 'day', 1 for 'month', 2 for 'year': larger is coarser."""
    return PRECISIONS.index(precision)  # type: ignore[arg-type]


def coarser(a: str, b: str) -> Precision:
    """The coarser of two precisions ('day' and 'month' -> 'month')."""
    return PRECISIONS[max(rank(a), rank(b))]


@dataclass(frozen=True, order=True)
class When:
    """A date at a precision. ``value`` is the first day of the period (2024-07 -> 2024-07-01).

    Ordered by ``value``, then precision (finer first).
    """

    value: date
    precision: Precision = "day"

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"bad precision {self.precision!r} (expected one of: {', '.join(PRECISIONS)})")
        start = _first_day(self.value, self.precision)
        if start != self.value:
            object.__setattr__(self, "value", start)

    # -- reading and writing --------------------------------------------------------------------

    @staticmethod
    def parse(text: str) -> When:
        """'2024-10-23' -> day; '2024-07' -> month; '2024' -> year. ValueError with a readable reason."""
        return _parse(text)

    def iso(self) -> str:
        """'2024-10-23', '2024-07' or '2024': the form the tables use."""
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def human(self) -> str:
        """'6 October 2022', 'September 2024' or '2024': the one form people read."""
        if self.precision == "year":
            return str(self.value.year)
        month = f"{calendar.month_name[self.value.month]} {self.value.year}"
        return f"{self.value.day} {month}" if self.precision == "day" else month

    def short(self) -> str:
        """'6 Oct 2022', 'Sep 2024' or '2024': the short form for map labels and lists."""
        if self.precision == "year":
            return str(self.value.year)
        month = f"{calendar.month_abbr[self.value.month]} {self.value.year}"
        return f"{self.value.day} {month}" if self.precision == "day" else month

    def __str__(self) -> str:
        return self.iso()

    # -- comparing ------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.value.year

    @property
    def first_day(self) -> date:
        return self.value

    @property
    def last_day(self) -> date:
        v = self.value
        if self.precision == "year":
            return date(v.year, 12, 31)
        if self.precision == "month":
            return date(v.year, v.month, calendar.monthrange(v.year, v.month)[1])
        return v

    def coarsen(self, precision: str) -> When:
        """This date at ``precision`` or coarser (never finer than it is)."""
        return When(self.value, coarser(self.precision, precision))

    def agrees(self, other: When) -> bool:
        """Same period at the coarser of the two precisions ('2024' agrees with '2024-07')."""
        p = coarser(self.precision, other.precision)
        return self.coarsen(p) == other.coarsen(p)

    def at_least_as_precise(self, other: When) -> bool:
        return rank(self.precision) <= rank(other.precision)


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> When:
    # Memoised: a large meetings table repeats its dates, and is checked, validated and framed.
    m = _ISO.match(text.strip())
    if not m:
        raise ValueError(f"bad date {text!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        value = date(int(y), int(mo or 1), int(d or 1))
    except ValueError as exc:
        raise ValueError(f"bad date {text!r} ({exc})") from None
    return When(value, "day" if d else "month" if mo else "year")


def parse_day(text: str) -> date:
    """'2024-10-08' -> that day; a month or a year is not enough. ValueError with a readable reason."""
    if not _ISO_DAY.match(text.strip()):
        raise ValueError(f"bad date {text!r} (expected YYYY-MM-DD)")
    return When.parse(text).value


def human_day(value: date) -> str:
    """A calendar day as people read it: '6 October 2022'."""
    return When(value).human()


def _first_day(value: date, precision: str) -> date:
    if precision == "year":
        return date(value.year, 1, 1)
    if precision == "month":
        return date(value.year, value.month, 1)
    return value


# ---------------------------------------------------------------------------------------------
# The plausible window: dates a meeting, an article or a venue's first/last meeting can have

WINDOW_ENV = "TALKS_ATLAS_DATE_WINDOW"  # "1991:2030" (years) or "1991-01-01:2030-06-30" (days)
EARLIEST = date(1991, 1, 1)  # Armenia and Azerbaijan became independent in 1991: no talks before
YEARS_AHEAD = 2  # the latest plausible date: today + 2 years (talks are announced months ahead)


@dataclass(frozen=True)
class Window:
    """The dates a table may hold (inclusive): a one-digit typo (``3024-10-23``) falls outside."""

    first: date
    last: date

    def holds(self, when: When) -> bool:
        """The period of ``when`` overlaps the window ('2028' is in a window ending 2028-11-23)."""
        return when.last_day >= self.first and when.first_day <= self.last

    def __str__(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def plausible_window(today: date | None = None) -> Window:
    """1991-01-01 .. today + 2 years, or what ``TALKS_ATLAS_DATE_WINDOW`` says (read at call
    time). UsageError naming the variable when its value cannot be read."""
    return _window(os.environ.get(WINDOW_ENV, "").strip(), today or date.today())


def outside_window(when: When, window: Window | None = None) -> str | None:
    """None when ``when`` is plausible, else the message an error shows (with the window)."""
    window = window or plausible_window()
    if window.holds(when):
        return None
    return (
        f"{when.iso()} is outside the plausible dates {window} (a typo? the window is "
        f"{WINDOW_ENV}=FIRST:LAST, default 1991 to today + {YEARS_AHEAD} years)"
    )


@lru_cache(maxsize=8)
def _window(text: str, today: date) -> Window:
    if not text:
        return Window(EARLIEST, _years_later(today, YEARS_AHEAD))
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError("expected FIRST:LAST")
        first, last = (When.parse(p) for p in parts)
    except ValueError as exc:
        raise UsageError(f"{WINDOW_ENV}={text!r}: {exc} (e.g. 1991:2030 or 1991-01-01:2030-06-30)") from None
    if first.first_day > last.last_day:
        raise UsageError(f"{WINDOW_ENV}={text!r}: the first date is after the last")
    return Window(first.first_day, last.last_day)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_after(day: date, when: When, years: int = 1) -> bool:
    """Whether the period of ``when`` starts more than ``years`` after ``day`` (a meeting
    dated more than a year after the article that reports it)."""
    return when.first_day > _years_later(day, years)
