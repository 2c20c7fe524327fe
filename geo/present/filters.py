"""Filter semantics shared by the app (sidebar + URL) and the briefing CLI.

A meeting passes when:
- any of its mediators is among the chosen ones ("none" = direct talks), or none are chosen;
- its year is within [year_from, year_to];
- its level / status is among the chosen ones (or none are chosen);
- it started on or before ``until`` (the cumulative time control), when set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from geo.core.dates import human_day, parse_day
from geo.core.errors import UsageError, quoted
from geo.core.schema import LEVELS, STATUSES


@dataclass(frozen=True)
class Filters:
    mediators: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    levels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    until: date | None = None


@dataclass(frozen=True)
class FilterOptions:
    """What the data allows: the choices offered in the sidebar and accepted in the URL/CLI."""

    mediators: tuple[str, ...]  # vocabulary names, in display order
    labels: Mapping[str, str]  # name -> label ("none" -> "none (direct talks)")
    year_min: int
    year_max: int
    levels: tuple[str, ...] = LEVELS
    statuses: tuple[str, ...] = STATUSES
    first: date | None = None  # the first and last meeting dates (None: no meetings)
    last: date | None = None

    @classmethod
    def from_data(cls, meetings: pd.DataFrame, mediators: pd.DataFrame) -> FilterOptions:
        years = meetings["year"] if len(meetings) else pd.Series([date.today().year])
        return cls(
            mediators=tuple(mediators["name"]),
            labels=dict(zip(mediators["name"], mediators["label"])),
            year_min=int(years.min()),
            year_max=int(years.max()),
            first=meetings["when"].min().date() if len(meetings) else None,
            last=meetings["when"].max().date() if len(meetings) else None,
        )

    def mediator_name(self, text: str) -> str | None:
        """Accept a mediator's name or label in any case ('russia', 'European Union')."""
        key = text.strip().casefold()
        for name in self.mediators:
            if key in (name.casefold(), str(self.labels.get(name, name)).casefold()):
                return name
        return None


# ---------------------------------------------------------------------------------------------
# Applying


def apply(meetings: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The meetings that pass the filters (same order as the input)."""
    mask = pd.Series(True, index=meetings.index)
    if f.mediators:
        chosen = set(f.mediators)
        # per distinct list when the lists are categories (a million meetings share a few hundred)
        mask &= meetings["mediator_list"].map(lambda ms: bool(chosen.intersection(ms))).astype(bool)
    if f.year_from is not None:
        mask &= meetings["year"] >= f.year_from
    if f.year_to is not None:
        mask &= meetings["year"] <= f.year_to
    if f.levels:
        mask &= meetings["level"].isin(f.levels)
    if f.statuses:
        mask &= meetings["status"].isin(f.statuses)
    if f.until is not None:
        mask &= meetings["when"] <= pd.Timestamp(f.until)
    return meetings if mask.all() else meetings[mask]  # no filter: the frame itself, not a copy


# ---------------------------------------------------------------------------------------------
# URL query parameters  (?mediator=Russia&mediator=EU&from=2016&to=2024&level=leaders)


def _values(params: Mapping[str, object], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]  # type: ignore[union-attr]


def from_query(params: Mapping[str, object], opts: FilterOptions) -> tuple[Filters, list[str]]:
    """Filters from URL params. Unknown or bad values are ignored, each with a notice."""
    notices: list[str] = []
    mediators: list[str] = []
    for v in _values(params, "mediator"):
        name = opts.mediator_name(v)
        if name is None:
            notices.append(f"Ignored unknown mediator {quoted(v)} in the link.")
        elif name not in mediators:
            mediators.append(name)

    def year(key: str) -> int | None:
        vals = _values(params, key)
        if not vals:
            return None
        try:
            y = int(vals[-1])
        except ValueError:
            notices.append(f"Ignored {key}={quoted(vals[-1])} in the link: not a year.")
            return None
        if not 1000 <= y <= 9999:
            notices.append(f"Ignored {key}={y} in the link: not a year.")
            return None
        clamped = min(max(y, opts.year_min), opts.year_max)
        if clamped != y:
            notices.append(
                f"{key}={y} in the link is outside the data ({opts.year_min}–{opts.year_max}); using {clamped}."
            )
        return clamped

    y_from, y_to = year("from"), year("to")
    if y_from is not None and y_to is not None and y_from > y_to:
        notices.append(f"Ignored the year range {y_from}–{y_to} in the link: it is empty.")
        y_from = y_to = None

    def choice(key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for v in _values(params, key):
            if v in allowed:
                if v not in out:
                    out.append(v)
            else:
                notices.append(f"Ignored unknown {key} {quoted(v)} in the link.")
        return tuple(out)

    until = None
    for v in _values(params, "until")[-1:]:
        try:
            until = parse_day(v)
        except ValueError:
            notices.append(f"Ignored until={quoted(v)} in the link: not a date (YYYY-MM-DD).")
    until = _until_in_data(until, opts, notices)
    f = Filters(
        mediators=tuple(mediators),
        year_from=y_from,
        year_to=y_to,
        levels=choice("level", opts.levels),
        statuses=choice("status", opts.statuses),
        until=until,
    )
    return f, notices


def _until_in_data(until: date | None, opts: FilterOptions, notices: list[str]) -> date | None:
    """The map's "up to" date within the data, with a notice when the link's date is not:
    before the first meeting -> the first meeting's date; after the last -> every meeting."""
    if until is None or opts.first is None or opts.last is None:
        return until
    if until < opts.first:
        notices.append(
            f"until={until.isoformat()} in the link is before the first meeting "
            f"({opts.first.isoformat()}); showing meetings up to {opts.first.isoformat()}."
        )
        return opts.first
    if until > opts.last:
        notices.append(
            f"until={until.isoformat()} in the link is after the last meeting "
            f"({opts.last.isoformat()}); showing every meeting."
        )
        return None
    return until


def to_query(f: Filters) -> dict[str, list[str]]:
    """URL params for the filters; defaults are left out so links stay short."""
    q: dict[str, list[str]] = {}
    if f.mediators:
        q["mediator"] = list(f.mediators)
    if f.year_from is not None:
        q["from"] = [str(f.year_from)]
    if f.year_to is not None:
        q["to"] = [str(f.year_to)]
    if f.levels:
        q["level"] = list(f.levels)
    if f.statuses:
        q["status"] = list(f.statuses)
    if f.until is not None:
        q["until"] = [f.until.isoformat()]
    return q


# ---------------------------------------------------------------------------------------------
# Strict checking for the command line (bad values are errors there, not notices)


def from_cli(
    opts: FilterOptions,
    mediators: Iterable[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    levels: Iterable[str] = (),
    statuses: Iterable[str] = (),
) -> Filters:
    """Filters from command-line values; raises UsageError listing the valid values."""
    names: list[str] = []
    for m in mediators:
        name = opts.mediator_name(m)
        if name is None:
            raise UsageError(f"unknown mediator {m!r}; valid mediators: {', '.join(opts.mediators)}")
        names.append(name)
    for lv in levels:
        if lv not in opts.levels:
            raise UsageError(f"unknown level {lv!r}; valid levels: {', '.join(opts.levels)}")
    for st in statuses:
        if st not in opts.statuses:
            raise UsageError(f"unknown status {st!r}; valid statuses: {', '.join(opts.statuses)}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise UsageError(
            f"impossible year range {year_from}–{year_to}: --from must not be after --to "
            f"(the data covers {opts.year_min}–{opts.year_max})"
        )
    return Filters(tuple(names), year_from, year_to, tuple(levels), tuple(statuses))


# ---------------------------------------------------------------------------------------------
# Words


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def year_span(f: Filters, opts: FilterOptions) -> tuple[int, int]:
    """The years the filter allows (the data's range where it sets no bound)."""
    return (
        f.year_from if f.year_from is not None else opts.year_min,
        f.year_to if f.year_to is not None else opts.year_max,
    )


def _years(y0: int, y1: int) -> str:
    return f"{y0}–{y1}" if y0 != y1 else str(y0)


def shown_years(meetings: pd.DataFrame) -> str | None:
    """'2016–2021' (or '2022'): the years of the meetings shown; None when there are none.
    The title and the count line both say this, so they cannot disagree."""
    if not len(meetings):
        return None
    return _years(int(meetings["year"].min()), int(meetings["year"].max()))


def chosen_mediators(f: Filters, opts: FilterOptions) -> tuple[str, ...]:
    """The mediator filter as it matters: choosing every value ("Select all") chooses nothing."""
    if f.mediators and set(opts.mediators) <= set(f.mediators):
        return ()
    return f.mediators


def _present(meetings: pd.DataFrame) -> set[str]:
    return {m for ms in meetings["mediator_list"] for m in ms}


def _mediator_words(names: list[str], direct: bool, opts: FilterOptions) -> str:
    """', mediated by Russia or European Union, and direct talks' (or ', direct talks'; or '')."""
    labels = [str(opts.labels.get(m, m)) for m in names]
    if labels:
        return ", mediated by " + _join_or(labels) + (", and direct talks" if direct else "")
    return ", direct talks" if direct else ""


def default_title(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> str:
    """'Armenia–Azerbaijan talks, 2016–2021, mediated by Russia': the years of the meetings
    shown (``meetings``: already filtered) and the chosen mediators among them. With no meeting
    shown the chosen mediators are named without years (the subtitle says what was asked for)."""
    chosen = chosen_mediators(f, opts)
    if len(meetings):
        present = _present(meetings)
        chosen = tuple(m for m in chosen if m in present)
    years = shown_years(meetings)
    title = "Armenia–Azerbaijan talks" + (f", {years}" if years else "")
    return title + _mediator_words([m for m in chosen if m != "none"], "none" in chosen, opts)


def summary(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> str:
    """The filters in words for a page without a title (the timeline): the mediators shown,
    then the subtitle's words ('Mediated by Russia; Leaders level')."""
    chosen = chosen_mediators(f, opts)
    if len(meetings):
        present = _present(meetings)
        chosen = tuple(m for m in chosen if m in present)
    who = _mediator_words([m for m in chosen if m != "none"], "none" in chosen, opts).removeprefix(", ")
    rest = describe(f, opts, meetings)
    return f"{who[0].upper()}{who[1:]}; {rest}" if who else rest


def shown_statuses(meetings: pd.DataFrame) -> list[str]:
    """The statuses among the meetings shown, in the vocabulary's order."""
    present = set(meetings["status"])
    return [s for s in STATUSES if s in present]


def describe(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> str:
    """The subtitle: the filters the title does not already say, in words, and only those that
    are not defaults; statuses are the ones among the meetings shown. Never repeats the title
    (years and mediators are the title's)."""
    parts: list[str] = []
    years = shown_years(meetings)
    y0, y1 = year_span(f, opts)
    narrowed = (y0, y1) != (opts.year_min, opts.year_max)
    if narrowed and _years(y0, y1) != years:
        parts.append(f"years {_years(y0, y1)} chosen")
    chosen = chosen_mediators(f, opts)
    if len(meetings) and chosen:
        missing = [m for m in chosen if m not in _present(meetings)]
        named = [str(opts.labels.get(m, m)) for m in missing if m != "none"]
        if named:
            parts.append("no meetings mediated by " + _join_or(named))
        if "none" in missing:
            parts.append("no direct talks")
    if f.levels and set(f.levels) != set(opts.levels):
        parts.append(_join_or(list(f.levels)) + " level")
    statuses = shown_statuses(meetings) if len(meetings) else [s for s in STATUSES if s in f.statuses]
    if statuses and (statuses != ["held"] or (f.statuses and set(f.statuses) != set(opts.statuses))):
        parts.append(_join_and(statuses))
    if f.until is not None:
        parts.append(f"up to {human_day(f.until)}")
    if not parts:
        return "All meetings in the data" if not (chosen or narrowed) else "All levels and statuses"
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count_line(meetings: pd.DataFrame) -> str:
    """'9 meetings at 9 venues, 2016–2024' (or 'No meetings match')."""
    n = len(meetings)
    if n == 0:
        return "No meetings match the filters"
    venues = meetings["venue"].nunique()
    return f"{n} meeting{'s' if n != 1 else ''} at {venues} venue{'s' if venues != 1 else ''}, {shown_years(meetings)}"


def with_until(f: Filters, until: date | None) -> Filters:
    return replace(f, until=until)
