"""Provenance in words: what every output (map popups, the Meetings and Sources pages, the CSV and
GeoJSON exports, the slide) says about where a meeting's fields came from — the article text, or
an analyst ("date: analyst Ani, 23 Nov 2026, from https://… (held a week later)") — and its
confidence.

The facts come from the ``prov`` column of the app's frame (:class:`geo.core.provenance.Provenance`,
parsed from meetings.csv); this module only words them. Text here is plain and untrusted (names,
notes, URLs come from curation.csv): HTML goes through the ``provenance.html.j2`` template
(autoescaped; a link only for an http(s) address), Markdown through ``ui.messages.plain()``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from geo.core.dates import When
from geo.core.provenance import NOT_RECORDED, Given, Provenance, decode, parse_time
from geo.core.tables import MEETING_FIELDS
from geo.present.markup import esc, render

MAX_NOTE = 200  # characters of an analyst's note quoted
WEB = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)

ARTICLE_TEXT = "from the article"
UNREVIEWED = "from the article, unreviewed"
ADDED = "added by an analyst"
NOT_KNOWN = "provenance not recorded (tables built before it was published: rebuild)"


def is_web(url: str) -> bool:
    """Only an http(s) address becomes a link (never javascript:, data:, file:...)."""
    return bool(WEB.match((url or "").strip()))


def when(time: str) -> str:
    """'23 Nov 2026' for an ISO 8601 time (UTC), '' for none; the text as given if unreadable."""
    if not time:
        return ""
    try:
        return When(parse_time(time).date()).short()
    except (TypeError, ValueError):
        return time


def who(g: Given) -> str:
    """'analyst Ani, 23 Nov 2026', or 'analyst' for a hand-written row that names nobody."""
    name = "analyst " + g.analyst if g.analyst else "analyst"
    day = when(g.time)
    return f"{name}, {day}" if day else name


def _note(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_NOTE else text[: MAX_NOTE - 1].rstrip() + "…"


@dataclass(frozen=True)
class Line:
    """One analyst decision behind a meeting: ``label`` is a field, 'added' or 'reviewed'."""

    label: str
    who: str
    url: str = ""
    note: str = ""

    @property
    def link(self) -> bool:
        return is_web(self.url)

    def text(self) -> str:
        """'date: analyst Ani, 23 Nov 2026, from https://… (held a week later)'."""
        out = f"{self.label}: {self.who}"
        if self.url:
            out += f", from {self.url}"
        return out + (f" ({self.note})" if self.note else "")


def _line(label: str, g: Given) -> Line:
    return Line(label, who(g), g.source_url.strip(), _note(g.note))


@lru_cache(maxsize=4096)
def lines(p: Provenance) -> tuple[Line, ...]:
    """The decisions behind a meeting, in reading order: who added it, the fields an analyst
    gave (for an added meeting, only those another row gave), who reviewed it."""
    out = []
    if p.added is not None:
        out.append(_line("added", p.added))
    out += [_line(name, g) for name, g in p.fields if p.added is None or g != p.added]
    out += [_line("reviewed", g) for g in p.reviewed]
    return tuple(out)


def headline(p: Provenance) -> str:
    """Where the meeting as a whole comes from: 'from the article' (unreviewed or not),
    'added by an analyst' or that the table does not say."""
    if not p.recorded:
        return NOT_KNOWN
    if p.origin == "analyst":
        return ADDED
    return UNREVIEWED if p.unreviewed else ARTICLE_TEXT


@lru_cache(maxsize=4096)
def describe(p: Provenance) -> str:
    """One line for tables and CSV: the headline, then each analyst decision ('; ' between)."""
    return "; ".join([headline(p), *(x.text() for x in lines(p))])


def of(row: dict) -> Provenance:
    """A meeting's provenance: the frame's parsed ``prov``, else its ``provenance`` cell."""
    p = row.get("prov")
    if isinstance(p, Provenance):
        return p
    cell = row.get("provenance")
    return decode(cell, MEETING_FIELDS) if isinstance(cell, str) else NOT_RECORDED


def by_analyst(p: Provenance | None, field: str) -> bool:
    """Whether an analyst gave ``field`` (an added meeting: every field)."""
    p = p if isinstance(p, Provenance) else NOT_RECORDED
    return p.origin == "analyst" or p.given(field) is not None


def confidence_text(value: object) -> str:
    """'0.30', or '' when the meeting has none."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return "" if math.isnan(x) else f"{x:.2f}"


def popup_block(p: Provenance | None, confidence: object) -> str:
    """The provenance part of a meeting's popup (escaped HTML: template values)."""
    p = p if isinstance(p, Provenance) else NOT_RECORDED
    return render(
        "provenance.html.j2",
        confidence=confidence_text(confidence),
        headline=headline(p),
        from_article=p.recorded and p.origin == "article",
        lines=[_escaped(x) for x in lines(p)],
    )


def _escaped(line: Line) -> dict:
    """A line's text as :func:`geo.present.markup.esc` escapes it (``$`` and backticks too, as
    every popup value), marked safe so the template does not escape it twice."""
    out = {k: Markup(esc(getattr(line, k))) for k in ("label", "who", "url", "note")}
    return {**out, "link": line.link}


def as_json(p: Provenance | None) -> dict:
    """For the GeoJSON export: the facts (``origin``, ``added``, ``reviewed``, ``fields``) and
    the same words as the other outputs."""
    p = p if isinstance(p, Provenance) else NOT_RECORDED
    facts = p.as_dict() if p.recorded else {}
    return {**facts, "recorded": p.recorded, "text": describe(p)}


__all__ = [
    "Line",
    "as_json",
    "by_analyst",
    "confidence_text",
    "describe",
    "headline",
    "is_web",
    "lines",
    "of",
    "popup_block",
    "who",
]
