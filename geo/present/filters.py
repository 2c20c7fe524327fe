"""Filter semantics shared by the app (sidebar + URL) and the briefing CLI.

A meeting passes when:
- any of its mediators is among the chosen ones ("none" = direct talks), or none are chosen;
- its year is within [year_from, year_to];
- its level / status / host country is among the chosen ones (or none are chosen);
- its dated period has ended by the end of ``until`` (the time window, a day, a month or a
  year; see geo.present.timewindow), when set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from geo.core.dates import When
from geo.core.errors import UsageError, quoted
from geo.core.schema import LEVELS, STATUSES
from geo.present.countries import country_name
from geo.present.timewindow import in_window, steps


@dataclass(frozen=True)
class Filters:
    mediators: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    levels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    until: When | None = None  # the time window (a plain date is taken as that day)
    hosts: tuple[str, ...] = ()  # ISO-2 codes of host countries

    def __post_init__(self) -> None:
        if isinstance(self.until, date):
            object.__setattr__(self, "until", When(self.until))


@dataclass(frozen=True)
class FilterOptions:
    """What the data allows: the choices offered in the sidebar and accepted in the URL/CLI."""

    mediators: tuple[str, ...]  # vocabulary names, in display order
    labels: Mapping[str, str]  # name -> label ("none" -> "none (direct talks)")
    year_min: int
    year_max: int
    levels: tuple[str, ...] = LEVELS
    statuses: tuple[str, ...] = STATUSES
    first: When | None = None  # the first and last steps of the time window (None: no meetings)
    last: When | None = None
    hosts: tuple[str, ...] = ()  # ISO-2 codes of the host countries in the data, by name
    counts: Mapping[str, int] = field(default_factory=dict)  # meetings per mediator name, in the data
    host_counts: Mapping[str, int] = field(default_factory=dict)  # meetings per host code, in the data

    @classmethod
    def from_data(cls, meetings: pd.DataFrame, mediators: pd.DataFrame) -> FilterOptions:
        years = meetings["year"] if len(meetings) else pd.Series([date.today().year])
        all_steps = steps(meetings)
        hosts = meetings["host"][meetings["host"] != ""].value_counts()
        hosts = hosts[hosts > 0]  # a category column counts its unused values too
        return cls(
            mediators=tuple(mediators["name"]),
            labels=dict(zip(mediators["name"], mediators["label"])),
            year_min=int(years.min()),
            year_max=int(years.max()),
            first=all_steps[0] if all_steps else None,
            last=all_steps[-1] if all_steps else None,
            hosts=tuple(sorted(hosts.index, key=lambda h: (country_name(h), h))),
            counts=mediator_counts(meetings),
            host_counts={str(h): int(n) for h, n in hosts.items()},
        )

    def mediator_label(self, name: str) -> str:
        """'Russia (5)', 'Germany (0)': the label with the meetings in the data."""
        return f"{self.labels.get(name, name)} ({self.counts.get(name, 0)})"

    def offered_mediators(self) -> tuple[str, ...]:
        """The vocabulary with the mediators of no meeting at the end (still offered, marked (0))."""
        return tuple(sorted(self.mediators, key=lambda n: self.counts.get(n, 0) == 0))

    def host_label(self, code: str) -> str:
        """'Kazakhstan (1)'."""
        return f"{country_name(code)} ({self.host_counts.get(code, 0)})"

    def host_code(self, text: str) -> str | None:
        """Accept a host's ISO-2 code or country name in any case ('kz', 'Kazakhstan')."""
        key = text.strip().casefold()
        for code in self.hosts:
            if key in (code.casefold(), country_name(code).casefold()):
                return code
        return None

    def mediator_name(self, text: str) -> str | None:
        """Accept a mediator's name or label in any case ('russia', 'European Union')."""
        key = text.strip().casefold()
        for name in self.mediators:
            if key in (name.casefold(), str(self.labels.get(name, name)).casefold()):
                return name
        return None


# ---------------------------------------------------------------------------------------------
# Applying


def mediator_counts(meetings: pd.DataFrame) -> dict[str, int]:
    """Meetings per mediator, counted once per distinct list (the lists may be categories of tuples)."""
    counts: dict[str, int] = {}
    for ms, n in meetings["mediator_list"].value_counts(sort=False).items():
        for m in ms:
            counts[m] = counts.get(m, 0) + int(n)
    return {m: n for m, n in counts.items() if n}


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
    if f.hosts:
        mask &= meetings["host"].isin(f.hosts)
    if f.until is not None:
        mask &= in_window(meetings, f.until)
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

    hosts: list[str] = []
    for v in _values(params, "host"):
        code = opts.host_code(v)
        if code is None:
            notices.append(f"Ignored host {quoted(v)} in the link: no meeting in the data was hosted there.")
        elif code not in hosts:
            hosts.append(code)

    until = None
    for v in _values(params, "until")[-1:]:
        try:
            until = When.parse(v)
        except ValueError:
            notices.append(f"Ignored until={quoted(v)} in the link: not a date (YYYY-MM-DD, YYYY-MM or YYYY).")
    until = _until_in_data(until, opts, notices)
    f = Filters(
        mediators=tuple(mediators),
        year_from=y_from,
        year_to=y_to,
        levels=choice("level", opts.levels),
        statuses=choice("status", opts.statuses),
        until=until,
        hosts=tuple(hosts),
    )
    return f, notices


def _until_in_data(until: When | None, opts: FilterOptions, notices: list[str]) -> When | None:
    """The time window within the data, with a notice when the link's is not: ending before
    the first meeting's date -> that date; ending on or after the last -> every meeting."""
    if until is None or opts.first is None or opts.last is None:
        return until
    if until.last_day < opts.first.last_day:
        notices.append(
            f"until={until.iso()} in the link is before the first meeting "
            f"({opts.first.human()}); showing meetings up to {opts.first.human()}."
        )
        return opts.first
    if until.last_day > opts.last.last_day:
        notices.append(
            f"until={until.iso()} in the link is after the last meeting ({opts.last.human()}); showing every meeting."
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
    if f.hosts:
        q["host"] = list(f.hosts)
    if f.until is not None:
        q["until"] = [f.until.iso()]
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
    hosts: Iterable[str] = (),
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
    codes: list[str] = []
    for h in hosts:
        code = opts.host_code(h)
        if code is None:
            valid = ", ".join(f"{c} ({country_name(c)})" for c in opts.hosts) or "none (no meeting names its host)"
            raise UsageError(f"unknown host {h!r}; hosts in the data: {valid}")
        codes.append(code)
    return Filters(tuple(names), year_from, year_to, tuple(levels), tuple(statuses), hosts=tuple(codes))


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


def chosen_hosts(f: Filters, opts: FilterOptions) -> tuple[str, ...]:
    """The host filter as it matters: choosing every host in the data chooses nothing."""
    if f.hosts and opts.hosts and set(opts.hosts) <= set(f.hosts):
        return ()
    return f.hosts


def _hosts_shown(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> list[str]:
    """The chosen hosts among the meetings shown (all chosen when none is shown)."""
    chosen = chosen_hosts(f, opts)
    if len(meetings):
        present = set(meetings["host"])
        return [h for h in chosen if h in present]
    return list(chosen)


def _host_words(codes: list[str]) -> str:
    """', hosted by Russia or Kazakhstan' (or '')."""
    return ", hosted by " + _join_or([country_name(c) for c in codes]) if codes else ""


def default_title(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> str:
    """'Armenia–Azerbaijan talks, 2016–2021, mediated by Russia, hosted by Kazakhstan': the years
    of the meetings shown (``meetings``: already filtered) and the chosen mediators and hosts
    among them. With no meeting shown the chosen ones are named without years (the subtitle
    says what was asked for)."""
    chosen = chosen_mediators(f, opts)
    if len(meetings):
        present = _present(meetings)
        chosen = tuple(m for m in chosen if m in present)
    years = shown_years(meetings)
    title = "Armenia–Azerbaijan talks" + (f", {years}" if years else "")
    title += _mediator_words([m for m in chosen if m != "none"], "none" in chosen, opts)
    return title + _host_words(_hosts_shown(f, opts, meetings))


def summary(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> str:
    """The filters in words for a page without a title (the timeline): the mediators and hosts
    shown, then the subtitle's words ('Mediated by Russia, hosted by Russia; Leaders level')."""
    chosen = chosen_mediators(f, opts)
    if len(meetings):
        present = _present(meetings)
        chosen = tuple(m for m in chosen if m in present)
    who = _mediator_words([m for m in chosen if m != "none"], "none" in chosen, opts)
    who = (who + _host_words(_hosts_shown(f, opts, meetings))).removeprefix(", ")
    rest = describe(f, opts, meetings)
    return f"{who[0].upper()}{who[1:]}; {rest}" if who else rest


def shown_statuses(meetings: pd.DataFrame) -> list[str]:
    """The statuses among the meetings shown, in the vocabulary's order."""
    present = set(meetings["status"])
    return [s for s in STATUSES if s in present]


def describe(f: Filters, opts: FilterOptions, meetings: pd.DataFrame) -> str:
    """The subtitle: the filters the title does not already say, in words, and only those that
    are not defaults; statuses are the ones among the meetings shown. Never repeats the title
    (years, mediators and hosts shown are the title's; a chosen host with no meeting shown is
    said here: 'no meetings hosted by Germany')."""
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
    hosts = chosen_hosts(f, opts)
    if len(meetings) and hosts:
        absent = [country_name(h) for h in hosts if h not in set(meetings["host"])]
        if absent:
            parts.append("no meetings hosted by " + _join_or(absent))
    if f.levels and set(f.levels) != set(opts.levels):
        parts.append(_join_or(list(f.levels)) + " level")
    statuses = shown_statuses(meetings) if len(meetings) else [s for s in STATUSES if s in f.statuses]
    if statuses and (statuses != ["held"] or (f.statuses and set(f.statuses) != set(opts.statuses))):
        parts.append(_join_and(statuses))
    if f.until is not None:
        parts.append(f"up to {f.until.human()}")
    if not parts:
        return "All meetings in the data" if not (chosen or hosts or narrowed) else "All levels and statuses"
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


def with_until(f: Filters, until: When | date | None) -> Filters:
    return replace(f, until=until)


def window_words(until: When | None) -> str:
    """'up to September 2024' or 'all dates': the time window in words."""
    return f"up to {until.human()}" if until is not None else "all dates"


def window_line(until: When | None, shown: int, total: int) -> str:
    """What every page says about the time window: 'Time window: up to September 2024 — 4 of 9
    meetings in the filters' (or 'Time window: all dates — 9 meetings in the filters')."""
    if until is None:
        return f"Time window: all dates — {total} meeting{'s' if total != 1 else ''} in the filters"
    return f"Time window: {window_words(until)} — {shown} of {total} meeting{'s' if total != 1 else ''} in the filters"
