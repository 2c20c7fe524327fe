"""The briefing page: the filtered map as a 16:9 slide with title, subtitle, legend, count and sources.

One page template, ``templates/slide.html.j2`` (with ``slide.css.j2`` and ``fit.js.j2``), serves
the PNG (rendered by :mod:`geo.present.render` in headless Chromium), the self-contained HTML
download and the app's briefing view. Every piece of text reaches the template as a value and is
escaped there (autoescape); the map is a complete document of its own (folium, assets inlined,
``map_decor.js`` for the venue labels, route, country names and inset) shown in an
``<iframe srcdoc>`` so its scripts and styles cannot clash with the slide's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from geo.core.dates import When, human_day
from geo.core.errors import UsageError
from geo.core.schema import Dataset, split_list
from geo.present.filters import FilterOptions, Filters, apply, count_line, default_title, describe, summary
from geo.present.markup import RawElement, render

if TYPE_CHECKING:
    from geo.present.mapview import Swatch

NO_MATCH = "No meetings match"
MAP_CREDIT = "Map: Natural Earth"
SIZE_NOTE = "Larger circle: more meetings at that venue"
MAX_SOURCES = 6  # more titles than this become "and N more": a footer is one or two lines
SOURCE_CHARS = 190  # ...and so do titles past this many characters (two footer lines in all)
LIST_ROWS = 14  # legend entries, notes and dated meetings share the side column: this many rows in all
MIN_LISTED = 3
MAX_TITLE = 300  # characters; a slide title longer than this is a paragraph, not a title
FITS = ("window", "width", None)  # how page_html scales the slide (see there)


@dataclass(frozen=True)
class Size:
    width: int
    height: int

    @property
    def label(self) -> str:
        return f"{self.width}x{self.height}"


SIZES: dict[str, Size] = {"1920x1080": Size(1920, 1080), "1280x720": Size(1280, 720)}
DEFAULT_SIZE = SIZES["1920x1080"]


def parse_size(text: str) -> Size:
    """'1920x1080' (or '1920×1080') -> Size; anything else is a UsageError listing the sizes."""
    key = text.strip().lower().replace("×", "x")
    if key not in SIZES:
        raise UsageError(f"unknown size {text!r}; valid sizes: {', '.join(SIZES)}")
    return SIZES[key]


@dataclass(frozen=True)
class Brief:
    """Everything the slide shows, as plain (unescaped) text plus the map document."""

    title: str
    subtitle: str
    count: str
    legend: tuple[Swatch, ...]  # (label, #colour, hollow)
    sources: tuple[str, ...]  # article titles (or file names when titles are unknown)
    data_date: str  # "23 November 2026": the day of the build (build.csv)
    meetings: int
    venues: int
    map_html: str  # a complete HTML document (folium), shown in an iframe
    rings: bool = False  # some venue is drawn as rings (several mediators): the legend says so
    dated: tuple[tuple[str, str], ...] = ()  # ("6 Oct 2022", "Geneva") for the meetings listed, in date order
    more: int = 0  # meetings shown on the map but not listed ("and N more")
    numbered: bool = False  # the route is drawn: the dated list carries its numbers (1 = first meeting)
    frame: str = ""  # a time-lapse frame's caption over the map ("up to 6 Oct 2022"); '' on a still slide

    @property
    def empty(self) -> bool:
        return self.meetings == 0


# ---------------------------------------------------------------------------------------------
# Composing: data + filters -> Brief


def sources(ds: Dataset, meetings: pd.DataFrame) -> tuple[str, ...]:
    """The articles behind the shown meetings: titles from articles.csv when known, else file names.

    In order of first use (meetings are sorted by date), without repeats.
    """
    titles: dict[str, str] = {}
    if len(ds.articles):
        titles = {f: t for f, t in zip(ds.articles["file"], ds.articles["title"]) if t}
    seen: dict[str, None] = {}  # ordered, and a lookup that stays fast for thousands of articles
    for docs in pd.unique(meetings["documents"]):  # distinct lists, in order of first use
        for f in split_list(docs):
            seen.setdefault(titles.get(f, f))
    return tuple(seen)


NOT_RECORDED = "Build date not recorded"


def data_date(ds: Dataset) -> str:
    """When the build wrote the tables, as recorded in build.csv ("23 November 2026"), or ''
    for tables built before it was recorded (the files' modification time is the clone's date)."""
    return human_day(ds.built) if ds.built else ""


def clean_title(title: str | None, fallback: str) -> str:
    """An analyst's title: whitespace collapsed; empty means the default title."""
    text = re.sub(r"\s+", " ", title or "").strip()
    if not text:
        return fallback
    if len(text) > MAX_TITLE:
        raise UsageError(f"title is {len(text)} characters long; a slide title can have at most {MAX_TITLE}")
    return text


MapBuilder = Callable[[pd.DataFrame, Dataset], str]


def inline_map(meetings: pd.DataFrame, ds: Dataset, *, route: bool = False, extent: pd.DataFrame | None = None) -> str:
    """The dashboard's map of ``meetings`` as one self-contained HTML document, made for a slide:
    no controls, no animation, markers sized for the slide, every venue named on the map with its
    dates, the venues' countries named, Armenia and Azerbaijan highlighted (with an inset locator
    when the venues are far from them), and with ``route`` the numbered route with arrows
    (geo.present.mapview, mode "slide"; drawn by templates/map_decor.js). ``extent``: the meetings
    whose venues the view fits (default: ``meetings``; a time-lapse passes all of its meetings so
    the view stays put)."""
    from geo.present.mapview import MapOptions, build_map

    # A slide is not interactive: no zoom buttons; the map fills the slide's map area (the iframe).
    options = MapOptions(assets="inline", height="100%", zoom_control=False, mode="slide", route=route)  # type: ignore[arg-type]
    # mode "slide": no zoom animation either (a screenshot mid-animation shows markers misplaced)
    m = build_map(meetings, ds.venues, ds.mediators, options, evidence=_evidence(ds), extent=extent)
    m.get_root().header.add_child(RawElement(render("slide_map_style.html.j2")))
    return m.get_root().render()


def _evidence(ds: Dataset):
    """Article titles and evidence quotes for the exported map's popups (not file names and
    offsets), read from the corpus folder the app reads."""
    from geo.core import paths
    from geo.present.mapview import EvidenceLookup

    return EvidenceLookup(ds.articles, paths.DEFAULT_CORPUS)


def legend(meetings: pd.DataFrame, ds: Dataset) -> tuple[Swatch, ...]:
    """The map's legend (geo.present.mapview.legend_items): every mediator among the meetings
    shown, each drawn in its colour on some marker or ring; direct talks hollow."""
    from geo.present.mapview import legend_items

    return tuple(legend_items(meetings, ds.mediators))


def dated_list(meetings: pd.DataFrame, room: int) -> tuple[tuple[tuple[str, str], ...], int]:
    """The meetings in date order as ("6 Oct 2022", "Geneva (planned)") at their precision (a
    date, venue or status an analyst gave says so: "Geneva (date by analyst)"),
    at most ``room`` of them (the first ones; one row goes to "and N more"), and how many are
    left out."""
    keep = len(meetings) if len(meetings) <= room else max(room - 1, 1)
    head = meetings.head(keep)  # only the rows shown are formatted (a million are not)
    provs = head["prov"] if "prov" in head else [None] * len(head)
    rows = [
        (When.parse(d).short(), v + _aside(st, prov))
        for d, v, st, prov in zip(head["date"], head["venue"], head["status"], provs)
    ]
    return tuple(rows), len(meetings) - keep


def _aside(status: str, prov) -> str:
    """' (planned)', ' (date by analyst)', ' (cancelled; status by analyst)' or '': what the
    list says besides the venue (a fact an analyst gave, not the article, is said so)."""
    from geo.present.provenance import by_analyst

    given = [f for f in ("date", "venue", "status") if by_analyst(prov, f)]
    parts = ([status] if status != "held" else []) + ([", ".join(given) + " by analyst"] if given else [])
    return f" ({'; '.join(parts)})" if parts else ""


def venue_dates(meetings: pd.DataFrame) -> dict[str, str]:
    """Each venue's meeting dates for its map label (geo.present.mapview.venue_dates: one home)."""
    from geo.present.mapview import venue_dates as dates

    return dates(meetings)


def _rings(meetings: pd.DataFrame) -> bool:
    from geo.present.mapview import several_mediators

    return several_mediators(meetings)


def compose(
    ds: Dataset,
    filters: Filters,
    title: str | None = None,
    *,
    map_builder: MapBuilder = inline_map,
    legend_builder: Callable[[pd.DataFrame, Dataset], tuple[Swatch, ...]] = legend,
    as_of: date | None = None,
    route: bool = False,
) -> Brief:
    """The briefing for ``filters`` over the dataset (same semantics as the app's sidebar); with
    ``route`` the map draws the numbered route and the dated list carries the same numbers."""
    opts = FilterOptions.from_data(ds.meetings, ds.mediators)
    shown = apply(ds.meetings, filters)
    default = default_title(filters, opts, shown)
    chosen = clean_title(title, default)
    # The subtitle says what the title does not: an analyst's own title may not name the mediators.
    words = describe(filters, opts, shown) if chosen == default else summary(filters, opts, shown)
    swatches = legend_builder(shown, ds) if len(shown) else ()
    rings = _rings(shown)
    notes = int(rings) + int(len(shown) > shown["venue"].nunique())
    dated, more = dated_list(shown, max(LIST_ROWS - len(swatches) - notes, MIN_LISTED))
    return Brief(
        title=chosen,
        subtitle=words,
        count=count_line(shown),
        legend=swatches,
        sources=sources(ds, shown),
        data_date=human_day(as_of) if as_of else data_date(ds),
        meetings=len(shown),
        venues=int(shown["venue"].nunique()),
        map_html=(partial(map_builder, route=True) if route and map_builder is inline_map else map_builder)(shown, ds),
        rings=rings,
        dated=dated,
        more=more,
        numbered=route and len(shown) > 1,
    )


# ---------------------------------------------------------------------------------------------
# The page


def footer_text(brief: Brief) -> str:
    """'Sources: A; B; and 2 more · Data as of 23 November 2026 · Map: Natural Earth' (plain text)."""
    parts = []
    if brief.sources:
        listed: list[str] = []
        for title in brief.sources[:MAX_SOURCES]:
            if listed and sum(len(t) + 2 for t in listed) + len(title) > SOURCE_CHARS:
                break
            listed.append(title)
        rest = len(brief.sources) - len(listed)
        text = "; ".join(listed) + (f"; and {rest} more" if rest else "")
        parts.append(f"Source{'s' if len(brief.sources) != 1 else ''}: {text}")
    parts.append(f"Data as of {brief.data_date}" if brief.data_date else NOT_RECORDED)
    parts.append(MAP_CREDIT)
    return " · ".join(parts)


def title_size(title: str) -> int:
    """Font size (px at 1080 high) for a title: long titles get smaller type, so they wrap onto
    at most three lines instead of being cut (300 characters fit three lines at 34 px)."""
    n = len(title)
    return 54 if n <= 64 else 46 if n <= 120 else 40 if n <= 200 else 34


def page_html(brief: Brief, size: Size = DEFAULT_SIZE, *, fit: str | None = "window") -> str:
    """The slide as one HTML document, exactly ``size`` pixels.

    ``fit="window"`` scales it down to fit the browser window (the downloaded file; the PNG's
    viewport is the slide size, so the picture is unscaled); ``fit="width"`` scales it to the
    frame's width and sets the page height to match (the app's preview frame sizes itself to
    the content); ``None``: no script (and the dated list is not shortened to fit: see
    templates/dated.js.j2)."""
    if fit not in FITS:
        raise ValueError(f"fit must be one of {FITS}, not {fit!r}")
    u = size.height / 1080  # every length is designed for 1080 px high and scaled

    def px(n: float) -> str:
        return f"{n * u:.1f}px"

    from geo.present.mapview import LEGEND_TITLE, OUTLINE_COLOUR, RING_NOTE

    return render(
        "slide.html.j2",
        brief=brief,
        size=size,
        fit=fit,
        px=px,
        title_px=title_size(brief.title),
        footer=footer_text(brief),
        no_match=NO_MATCH,
        size_note=SIZE_NOTE,
        ring_note=RING_NOTE,
        legend_title=LEGEND_TITLE,
        outline=OUTLINE_COLOUR,
    )


def preview_html(brief: Brief, size: Size = DEFAULT_SIZE) -> str:
    """The slide for the app's preview: scaled to the frame's width, inside a frame sandboxed
    without same-origin (``sandbox="allow-scripts"``): the app's own frame (st.iframe) is
    same-origin with the app, the slide's is not."""
    return render("preview.html.j2", page=page_html(brief, size, fit="width"), size=size)


# ---------------------------------------------------------------------------------------------
# Checking that a file is self-contained

RESOURCE_REF = re.compile(
    r"""(?:\b(?:src|href|srcset|poster|data|action|xlink:href)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["']?)(https?:)?//""",
    re.IGNORECASE,
)


SCRIPT_BODY = re.compile(r"<script\b([^>]*)>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def remote_references(document: str, depth: int = 3) -> list[str]:
    """Every http(s):// (or protocol-relative //) resource reference in an HTML document,
    including those inside ``srcdoc`` documents; plain text mentioning a URL is not a resource."""
    found = []
    # Script bodies are code, not markup: Leaflet's source carries its home page as a string.
    # What scripts fetch at run time is checked in Chromium (geo.present.render records every request).
    markup = SCRIPT_BODY.sub(r"<script\1></script>", document)
    for m in RESOURCE_REF.finditer(markup):
        found.append(markup[m.start() : m.start() + 120])
    if depth > 0:
        for m in re.finditer(r'srcdoc="([^"]*)"', markup):
            found.extend(remote_references(html.unescape(m.group(1)), depth - 1))
    return found
