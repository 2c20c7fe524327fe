"""The talks map: one circle marker per venue on a bundled country-outline basemap, offline.

``build_map`` takes meetings that are already filtered (``geo.present.filters.apply``) and returns a
``folium.Map``; the app shows it with ``st_folium``, the briefing export renders it to HTML.

- One marker per venue (never per meeting), radius by the number of meetings, fill colour by
  mediator (data/mediators.csv: a palette told apart with colour-vision deficiencies, see
  tests/test_palette.py). A venue whose meetings had several mediators is drawn as concentric
  rings, one per mediator in its colour, so filtering for any of them still shows its colour.
  Direct talks are a hollow ring (a second channel besides colour). Filled markers have a dark
  outline: visible on the land colour whatever the fill. The outer circle of every venue
  carries the CSS class ``venue-marker`` (inner rings: ``venue-ring``, not interactive).
- Popups list the venue's meetings (date at its precision, level, the place within the venue,
  participants, mediators, event, confidence and provenance (geo.present.provenance), source
  article, evidence text), each value an analyst gave flagged "(analyst)". Everything
  from the data or an article is escaped: article text is untrusted.
- No CDN: the map instance's ``default_js``/``default_css`` point at the app's own static URL
  (``assets="served"``) or the files are inlined (``assets="inline"``); no ``folium.Icon``;
  ``tiles=None`` with the Natural Earth outlines; OpenStreetMap tiles only when asked for.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import folium
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from jinja2 import Template

from geo.core.dates import When
from geo.core.paths import CORPUS_ENV, DEFAULT_CORPUS, ROOT, display
from geo.core.schema import parse_evidence, split_list
from geo.ingest.corpus import content_hash
from geo.present import assets, provenance
from geo.present.basemap import ATTRIBUTION, country_at, pixel_degrees, short_name, slide_basemap_text
from geo.present.brief import SIZE_NOTE
from geo.present.markup import (
    RawElement,
    SafeMacroElement,
    esc,
    render,
    script_json,
    script_safe,
    static_code,
    static_text,
)

MARKER_CLASS = "venue-marker"
RING_CLASS = "venue-ring"
ROUTE_CLASS = "meeting-route"
DIRECT = "none"  # the mediators value of direct talks: drawn hollow
UNKNOWN_COLOUR = "#444444"
LAND_COLOUR = "#eef1ee"  # the basemap's land fill
SEA_COLOUR = "#dce6ec"
OUTLINE_COLOUR = "#333333"  # every filled marker's outline: >= 3:1 on land and sea
HOLLOW_FILL = "#ffffff"
RING_MIN_RADIUS = 12  # px: a venue drawn as rings is at least this big
RING_NOTE = "Rings: a venue whose meetings had several mediators"
# The Map page labels its largest venues only (the markers come largest first): each label is tried
# in up to 16 places, each try a layout of the page, again after every zoom or move; 400 venues took
# minutes, and on a 560-pixel map a few dozen labels fill it anyway (every marker keeps its tooltip).
MAX_PAGE_LABELS = 40
# Above this many venues the markers are painted on one canvas instead of one SVG element per circle:
# 2,000 venues with 9 mediators each are 20,000 circles, and every layout of the page (each label
# tried, each zoom) then took seconds. SVG keeps each marker an element with its accessible name.
CANVAS_VENUES = 500
MAX_POPUP_MEETINGS = 12  # a venue with more lists the latest ones and says how many are left out
POPUP_BUDGET = 2000  # meetings listed in all popups together: thousands of venues list fewer each
MIN_POPUP_MEETINGS = 1
MAX_EVIDENCE_CHARS = 320
DEFAULT_CENTRE = (46.0, 30.0)  # between Europe and the South Caucasus: where most talks happen
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
HIGHLIGHT = ("Armenia", "Azerbaijan")  # Natural Earth names: always drawn in their own colour
HIGHLIGHT_FILL = "#efcf8f"  # pale sand: land, but not like the others; no marker colour
HIGHLIGHT_LINE = "#8c6a2f"
# The two countries' bounding box (south-west, north-east; Nakhchivan included): the slide shows an
# inset locator when the venues' map would not show them.
HIGHLIGHT_BOUNDS = ((38.39, 43.45), (41.91, 50.63))
INSET_CAPTION = "Armenia and Azerbaijan (ringed); dots: the venues"
TILE_FAILED = "Online tiles could not be loaded (no internet connection?): showing the offline country outlines."
LEGEND_TITLE = "Mediator"
MAX_BADGE_PARTS = 4  # a route badge lists at most this many numbers or ranges ("1–3, 7, 9, …")


MODES = ("page", "slide")


@dataclass(frozen=True)
class MapOptions:
    """How to draw the map. ``mode="page"`` (the Map page, interactive): the legend, a title
    line and venue labels that fit (placed again after each zoom) inside the map; ``"slide"``
    (the briefing's map document): markers grown with the map, every venue labelled, the venues'
    country names, an inset locator when Armenia and Azerbaijan are out of view; the legend and
    title are the slide's own."""

    online_tiles: bool = False  # OpenStreetMap tiles only when the user turns them on
    route: bool = False  # chronological route between venues: numbered, with arrows
    assets: str = "served"  # "served" (app static URL) or "inline" (self-contained HTML)
    width: str = "100%"
    height: int = 560
    zoom_control: bool = True
    mode: str = "page"
    title: str = ""  # page mode: the title line inside the map (plain text; escaped when drawn)
    subtitle: str = ""  # ...and the line under it

    def __post_init__(self) -> None:
        if self.assets not in ("served", "inline"):
            raise ValueError(f"MapOptions.assets must be 'served' or 'inline', not {self.assets!r}")
        if self.mode not in MODES:
            raise ValueError(f"MapOptions.mode must be one of {MODES}, not {self.mode!r}")


@dataclass(frozen=True)
class VenueMarker:
    """What one marker shows (also used by tests and the briefing legend)."""

    venue: str
    lat: float
    lon: float
    count: int
    mediators: tuple[str, ...]  # in vocabulary order
    colours: tuple[str, ...]  # one per mediator: the outer ring first
    radius: float

    @property
    def colour(self) -> str:
        """The outer ring's colour (the only one when a single mediator)."""
        return self.colours[0]

    def circles(self) -> list[dict]:
        """Leaflet circleMarker options, outer first: one ring per mediator, radii shrinking
        evenly (a venue with several is at least RING_MIN_RADIUS, so every ring shows); direct
        talks hollow (white with a thick ring in their colour). Colours are opaque: what the
        palette tests measure is what is drawn."""
        n = len(self.colours)
        outer = max(self.radius, RING_MIN_RADIUS) if n > 1 else self.radius
        out = []
        for i, (m, colour) in enumerate(zip(self.mediators, self.colours)):
            style = circle_style(colour, hollow=m == DIRECT)
            style.update(radius=round(outer * (n - i) / n, 1), className=MARKER_CLASS if i == 0 else RING_CLASS)
            if i:
                style["interactive"] = False  # clicks and hovers fall through to the outer circle
                if m != DIRECT:
                    style.update(color=HOLLOW_FILL, weight=1)  # a thin white line between two rings
            out.append(style)
        return out


def circle_style(colour: str, hollow: bool = False) -> dict:
    """Path options for one circle: filled with a dark outline, or hollow (direct talks)."""
    if hollow:
        return {"color": colour, "weight": 3, "fill": True, "fillColor": HOLLOW_FILL, "fillOpacity": 1}
    return {"color": OUTLINE_COLOUR, "weight": 1.5, "fill": True, "fillColor": colour, "fillOpacity": 1}


# ---------------------------------------------------------------------------------------------
# Evidence text from the articles


class EvidenceLookup:
    """Resolve ``FILE:START-END`` to the quoted text, reading each article once (again when the
    file changes).

    ``articles`` is data/articles.csv (``file``, ``path``, ``title``, ``sha256``); when it has no
    usable path the corpus folder is tried. Offsets index into ``geo.ingest.corpus`` ``Article.text``.
    Only files inside ``corpus_dir`` are read (a path elsewhere, or a link out of it, is refused);
    an article whose text no longer has the hash the build recorded is not quoted (its offsets
    point at other text). Returns None then, and :meth:`problem` says why (the popup shows the
    reference and that reason).
    """

    def __init__(
        self,
        articles: pd.DataFrame | None = None,
        corpus_dir: Path | None = DEFAULT_CORPUS,
        reader: Callable[[Path], tuple[str, str]] | None = None,
    ):
        self.paths: dict[str, Path] = {}
        self.titles: dict[str, str] = {}
        self.hashes: dict[str, str] = {}
        if articles is not None and len(articles):
            for row in articles.itertuples(index=False):
                f = str(getattr(row, "file", "") or "")
                t = str(getattr(row, "title", "") or "")
                p = str(getattr(row, "path", "") or "")
                h = getattr(row, "sha256", "")
                if t:
                    self.titles[f] = t
                if p:
                    self.paths[f] = _resolve(Path(p))
                if isinstance(h, str) and h:
                    self.hashes[f] = h
        self.corpus_dir = corpus_dir
        self.reader = reader or _article_text
        self._texts: dict[str, tuple[tuple, str | None, str | None]] = {}  # file -> (stamp, text, problem)

    def title(self, file: str) -> str:
        """The article's title: articles.csv, else the article itself, else the file name."""
        if file not in self.titles:
            self.text(file)
        return self.titles.get(file) or file

    def path(self, file: str) -> Path | None:
        if file in self.paths:
            return self.paths[file]
        if self.corpus_dir is not None:
            self.paths[file] = Path(self.corpus_dir) / file  # made once: popups ask thousands of times
            return self.paths[file]
        return None

    def version(self, file: str) -> tuple:
        """The article file's size and time: what a cached quote from it depends on."""
        return _stamp(self.path(file))

    def text(self, file: str) -> str | None:
        """The article's text as the build read it, or None (see :meth:`problem`)."""
        return self._read(file)[1]

    def problem(self, file: str) -> str | None:
        """Why the article's text is not quoted (plain text, untrusted parts included), or None."""
        return self._read(file)[2]

    def _read(self, file: str) -> tuple[tuple, str | None, str | None]:
        p = self.path(file)
        stamp = _stamp(p)
        cached = self._texts.get(file)
        if cached is None or cached[0] != stamp:
            cached = (stamp, *self._load(file, p))
            self._texts[file] = cached
        return cached

    def _load(self, file: str, p: Path | None) -> tuple[str | None, str | None]:
        if p is None:
            return None, "no corpus folder to read it from"
        refused = outside_corpus(p, self.corpus_dir)
        if refused:
            return None, refused
        if not p.is_file():
            return None, f"{display(p)} cannot be read (no such file)"
        try:
            text, title = self.reader(p)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return None, f"{display(p)} cannot be read ({getattr(exc, 'strerror', None) or exc})"
        self.titles.setdefault(file, title)
        recorded = self.hashes.get(file)
        if recorded and content_hash(text) != recorded:
            return None, CHANGED
        return text, None

    def __call__(self, ref: str) -> str | None:
        try:
            file, start, end = parse_evidence(ref)
        except ValueError:
            return None
        text = self.text(file)
        if text is None or end > len(text):
            return None
        return " ".join(text[start:end].split())


CHANGED = "the article changed since the build; rebuild"


def outside_corpus(path: Path, corpus_dir: Path | None) -> str | None:
    """None when ``path`` (links followed) is a file inside ``corpus_dir``, else why it is refused:
    the app reads articles from the corpus folder only, whatever articles.csv says."""
    if corpus_dir is None:
        return "no corpus folder to read it from"
    try:
        inside = path.resolve().is_relative_to(Path(corpus_dir).resolve())
    except (OSError, RuntimeError):  # a link loop
        inside = False
    if inside:
        return None
    return (
        f"not read: {display(path)} is outside the corpus folder {display(corpus_dir)} "
        f"(set {CORPUS_ENV} to the folder the tables were built from)"
    )


def _stamp(p: Path | None) -> tuple:
    try:
        st = p.stat() if p is not None else None
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns) if st else ()


def _resolve(p: Path) -> Path:
    if p.is_absolute():
        return p
    for base in (ROOT, DEFAULT_CORPUS, DEFAULT_CORPUS.parent):
        if (base / p).exists():
            return base / p
    return ROOT / p


def _article_text(path: Path) -> tuple[str, str]:
    """(text, title): the text evidence offsets index into (geo.ingest.corpus: HTML stripped, .txt as
    on disk) and the article's title from its header or metadata.csv."""
    from geo.core.errors import TalksAtlasError
    from geo.ingest.corpus import read_corpus

    try:
        art = read_corpus(path).articles[0]
    except TalksAtlasError as exc:
        raise ValueError(str(exc)) from None
    return art.text, art.title


# ---------------------------------------------------------------------------------------------
# Markers


def _colours(mediators: pd.DataFrame) -> dict[str, str]:
    return dict(zip(mediators["name"], mediators["colour"]))


def _labels(mediators: pd.DataFrame) -> dict[str, str]:
    return dict(zip(mediators["name"], mediators["label"]))


def radius(count: int) -> float:
    """Marker radius in pixels: grows with the log of the count, so one huge venue does not
    swallow the map (1 → 8, 2 → 13, 4 → 18, 16 → 28, capped at 32)."""
    return round(min(8 + 5 * math.log2(max(count, 1)), 32), 1)


def venue_markers(meetings: pd.DataFrame, venues: pd.DataFrame, mediators: pd.DataFrame) -> list[VenueMarker]:
    """One marker per venue in the meetings, largest first (small ones are drawn on top)."""
    if not len(meetings):
        return []
    colours = _colours(mediators)
    order = {name: i for i, name in enumerate(mediators["name"])}
    coords = dict(zip(venues["venue"], zip(venues["lat"], venues["lon"])))
    counts = meetings.groupby("venue", sort=False, observed=True).size()
    seen: dict[str, set[str]] = {}
    # per distinct (venue, mediators) pair, not per meeting: a million meetings have a few thousand
    for venue, ms in _venue_lists(meetings):
        seen.setdefault(venue, set()).update(ms)
    mset = {v: tuple(sorted(ms, key=lambda m: (order.get(m, len(order)), m))) for v, ms in seen.items()}
    out = []
    for venue, n in counts.items():
        if venue not in coords:
            continue  # schema.load_meetings guarantees venues exist; a hand-made frame may not
        ms = mset.get(venue) or (DIRECT,)
        lat, lon = coords[venue]
        out.append(
            VenueMarker(
                str(venue),
                float(lat),
                float(lon),
                int(n),
                ms,
                tuple(colours.get(m, UNKNOWN_COLOUR) for m in ms),
                radius(int(n)),
            )
        )
    out.sort(key=lambda v: (-v.count, v.venue))
    return out


class Swatch(NamedTuple):
    """One legend entry: the mediator's label and colour; direct talks are drawn hollow."""

    label: str
    colour: str
    hollow: bool = False


def legend_items(meetings: pd.DataFrame, mediators: pd.DataFrame) -> list[Swatch]:
    """The colours the map draws: every mediator among the meetings (each has a ring or a
    marker of its colour), in vocabulary order; unknown names last."""
    if not len(meetings):
        return []
    present = {m for ms in meetings["mediator_list"].unique() for m in ms} or {DIRECT}
    labels, colours = _labels(mediators), _colours(mediators)
    items = [Swatch(labels[n], colours[n], n == DIRECT) for n in mediators["name"] if n in present]
    items += [Swatch(m, UNKNOWN_COLOUR) for m in sorted(present - set(labels))]
    return items


def several_mediators(meetings: pd.DataFrame) -> bool:
    """Whether some venue's meetings had more than one mediator (drawn as rings)."""
    if not len(meetings):
        return False
    seen: dict[str, set[str]] = {}
    for venue, ms in _venue_lists(meetings):
        seen.setdefault(venue, set()).update(ms)
    return any(len(ms) > 1 for ms in seen.values())


def _venue_lists(meetings: pd.DataFrame):
    """The distinct (venue, mediator list) pairs: a million meetings have a few thousand."""
    return meetings.groupby(["venue", "mediator_list"], sort=False, observed=True).size().index


def legend_html(items: list[Swatch], rings: bool = False, sizes: bool = False) -> str:
    """The legend (escaped) the Map page draws inside the map: the same template, swatches and
    notes as the slide's side column (templates/legend.html.j2); with ``rings``, a line saying
    what concentric rings mean, with ``sizes`` one on circle sizes."""
    if not items:
        return ""
    return render(
        "legend.html.j2",
        title=LEGEND_TITLE,
        items=[Swatch(*i) for i in items],
        ring_note=RING_NOTE if rings else "",
        size_note=SIZE_NOTE if sizes else "",
    )


def several_meetings_somewhere(meetings: pd.DataFrame) -> bool:
    """Whether some venue had more than one meeting (then circle sizes differ: the legend says so)."""
    return bool(len(meetings) > meetings["venue"].nunique()) if len(meetings) else False


# ---------------------------------------------------------------------------------------------
# Venue labels and accessible names: the dates at their precision


def venue_shorts(meetings: pd.DataFrame) -> dict[str, list[str]]:
    """Each venue's meeting dates in date order at their precision: ['Jul 2024', '6 Oct 2024']."""
    ordered = chronological(meetings)
    short = {d: When.parse(d).short() for d in ordered["date"].unique()}  # each distinct date once
    out: dict[str, list[str]] = {}
    for venue, dates in ordered.groupby("venue", sort=False, observed=True)["date"]:
        out[str(venue)] = [short[d] for d in dates]
    return out


def dates_label(shorts: list[str]) -> str:
    """A venue label's second line: '6 Oct 2022', 'Mar 2018, 26 Nov 2021', or for more than
    three 'Mar 2018 – Nov 2024 (5)'."""
    if len(shorts) <= 3:
        return ", ".join(shorts)
    return f"{shorts[0]} – {shorts[-1]} ({len(shorts)})"


def venue_dates(meetings: pd.DataFrame) -> dict[str, str]:
    """Each venue's label dates (see :func:`dates_label`)."""
    return {v: dates_label(shorts) for v, shorts in venue_shorts(meetings).items()}


def accessible_name(venue: str, count: int, shorts: list[str]) -> str:
    """What a screen reader says for a marker: 'Washington: 2 meetings, Jul 2024 and Sep 2024'
    (more than three dates: 'Mar 2018 to Nov 2024'). Plain text: set as an attribute value."""
    if len(shorts) > 3:
        when = f"{shorts[0]} to {shorts[-1]}"
    elif len(shorts) > 1:
        when = ", ".join(shorts[:-1]) + " and " + shorts[-1]
    else:
        when = "".join(shorts)
    head = f"{venue}: {count} meeting{'s' if count != 1 else ''}"
    return f"{head}, {when}" if when else head


def label_data(markers: list[VenueMarker], meetings: pd.DataFrame) -> list[dict]:
    """What the map's script writes next to each marker (largest venues first: they get the best
    places): name, dates and the marker's radius (labels keep clear of it)."""
    when = venue_dates(meetings)
    return [
        {"at": [v.lat, v.lon], "name": v.venue, "when": when.get(v.venue, ""), "r": v.circles()[0]["radius"]}
        for v in markers
    ]


# ---------------------------------------------------------------------------------------------
# Geography: the two countries, where they are when the venues are far away


def shows_highlight(markers: list[VenueMarker]) -> bool:
    """Whether the map fitted to these venues also shows Armenia and Azerbaijan: the middle of the
    two countries lies within the venues' box, widened by a margin (the map's padding; a single
    venue is shown at zoom 5, some 8° around it)."""
    if not markers:
        return True  # an empty map shows the default view, the South Caucasus included
    (s, w), (n, e) = HIGHLIGHT_BOUNDS
    mid_lat, mid_lon = (s + n) / 2, (w + e) / 2
    lats = [v.lat for v in markers]
    lons = [v.lon for v in markers]
    if len(markers) == 1:
        pad_lat = pad_lon = 8.0
    else:
        pad_lat = max(0.15 * (max(lats) - min(lats)), 3.0)
        pad_lon = max(0.15 * (max(lons) - min(lons)), 3.0)
    return (min(lats) - pad_lat <= mid_lat <= max(lats) + pad_lat) and (
        min(lons) - pad_lon <= mid_lon <= max(lons) + pad_lon
    )


def inset_data(markers: list[VenueMarker]) -> dict | None:
    """The slide's inset locator when the venues' map would not show Armenia and Azerbaijan:
    the venues' points (drawn small beside the two countries), else None."""
    if shows_highlight(markers):
        return None
    return {
        "venues": [[v.lat, v.lon] for v in markers],
        "highlight": list(HIGHLIGHT),
        "bounds": [list(corner) for corner in HIGHLIGHT_BOUNDS],
        "line": HIGHLIGHT_LINE,
        "caption": INSET_CAPTION,
    }


def venue_countries(markers: list[VenueMarker]) -> list[str]:
    """The basemap names of the countries the venues are in (Natural Earth spelling, in marker
    order, without repeats), plus Armenia and Azerbaijan (named wherever they are in view)."""
    out: list[str] = []
    for v in markers:
        name = country_at(v.lat, v.lon)
        if name and name not in out:
            out.append(name)
    return out + [h for h in HIGHLIGHT if h not in out]


def country_labels(markers: list[VenueMarker]) -> list[list[str]]:
    """[basemap name, name as written on the slide] for :func:`venue_countries`."""
    return [[name, short_name(name)] for name in venue_countries(markers)]


# ---------------------------------------------------------------------------------------------
# The route: numbered stops in date order, with arrows


class Stop(NamedTuple):
    """One stop of the route: a venue and the numbers (1 = the first meeting shown, in date order)
    of the meetings held there in a row."""

    venue: str
    lat: float
    lon: float
    numbers: tuple[int, ...]


def route_stops(meetings: pd.DataFrame, venues: pd.DataFrame) -> list[Stop]:
    """The route in the order the meetings happened; meetings in a row at the same venue are one
    stop. Numbers count every meeting shown (as the slide's dated list does)."""
    coords = venues.drop_duplicates("venue").set_index("venue")[["lat", "lon"]]
    seq = chronological(meetings)["venue"].astype(object).to_numpy()
    numbers = np.arange(1, len(seq) + 1)
    known = pd.Series(seq).isin(coords.index).to_numpy()
    seq, numbers = seq[known], numbers[known]
    if not len(seq):
        return []
    first = np.r_[True, seq[1:] != seq[:-1]]  # vectorised: a hundred thousand meetings in a moment
    at = coords.loc[seq[first]]
    runs = np.split(numbers, np.flatnonzero(first)[1:])
    return [
        Stop(str(v), float(lat), float(lon), tuple(int(n) for n in run))
        for v, lat, lon, run in zip(seq[first], at["lat"], at["lon"], runs)
    ]


def number_ranges(numbers: list[int]) -> str:
    """'1–3, 7, 9': runs of consecutive numbers as ranges; more than MAX_BADGE_PARTS parts end in '…'."""
    parts: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)))
        run = [n]
    if run:
        parts.append(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)))
    text = ", ".join(parts).split(", ")
    return ", ".join(text[:MAX_BADGE_PARTS]) + (", …" if len(text) > MAX_BADGE_PARTS else "")


def route_data(stops: list[Stop]) -> dict:
    """What the map's script draws for the route: the line's points and one numbered badge per venue
    (a venue visited twice gets both numbers: '2, 5')."""
    per_venue: dict[str, list[int]] = {}
    at: dict[str, list[float]] = {}
    for s in stops:
        per_venue.setdefault(s.venue, []).extend(s.numbers)
        at[s.venue] = [s.lat, s.lon]
    return {
        "points": [[s.lat, s.lon] for s in stops],
        "badges": [{"at": at[v], "text": number_ranges(ns), "venue": v} for v, ns in per_venue.items()],
    }


# ---------------------------------------------------------------------------------------------
# Popups


POPUP_CSS = static_text("popup.css")
ANALYST_MARK = ' <span class="by-analyst" title="given by an analyst, not the article">(analyst)</span>'


def popup_rows(venues: int) -> int:
    """Meetings listed per popup: 12 up to about 170 venues, then fewer (at least the latest one),
    so the layer sent to the browser stays a few megabytes at thousands of venues (each popup
    still says how many meetings it leaves out; the Meetings page lists them all)."""
    return max(MIN_POPUP_MEETINGS, min(MAX_POPUP_MEETINGS, POPUP_BUDGET // max(venues, 1)))


def popup_html(
    venue: str, total: int, rows: list[dict], labels: dict[str, str], evidence: EvidenceLookup | None
) -> str:
    """A venue's popup: its ``total`` meetings, the latest ``rows`` listed (oldest first)."""
    parts = [f'<div class="venue-popup"><b>{esc(venue)}</b> &middot; {total} meeting{"s" if total != 1 else ""}']
    if total > len(rows):
        parts.append(f"<div><i>latest {len(rows)} shown; {total - len(rows)} earlier not listed</i></div>")
    for r in rows:
        meds = ", ".join(labels.get(m, m) for m in r["mediator_list"]) or "none"
        prov = r.get("prov")

        def mark(*fields: str, prov=prov) -> str:
            """Flag a value an analyst gave (not the article)."""
            return ANALYST_MARK if any(provenance.by_analyst(prov, f) for f in fields) else ""

        lines = [
            f"<b>{esc(When.parse(r['date']).human())}</b>{mark('date', 'date_precision')}"
            f" &middot; {esc(r['level'])}{mark('level')}"
            + (f" &middot; {esc(r['status'])}{mark('status')}" if r["status"] != "held" or mark("status") else "")
        ]
        if r.get("venue_detail"):
            lines.append("At: " + esc(r["venue_detail"]) + mark("venue_detail"))
        if r["participant_list"]:
            lines.append("Participants: " + esc(", ".join(r["participant_list"])) + mark("participants"))
        lines.append("Mediators: " + esc(meds) + mark("mediators"))
        if r.get("event"):
            lines.append("Event: " + esc(r["event"]) + mark("event"))
        facts, block = len(lines), provenance.popup_block(prov, r.get("confidence"))  # a block: no <br> around it
        refs = split_list(r["evidence"])
        docs = split_list(r["documents"]) or [parse_evidence(x)[0] for x in refs if _ok(x)]
        if docs:
            titles = [evidence.title(d) if evidence else d for d in docs]
            lines.append("Source: " + esc("; ".join(titles)))
        for ref in refs[:2]:
            quote = evidence(ref) if evidence else None
            if quote:
                if len(quote) > MAX_EVIDENCE_CHARS:
                    quote = quote[: MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
                lines.append(f"<q>{esc(quote)}</q>")
            else:
                why = evidence.problem(parse_evidence(ref)[0]) if evidence and _ok(ref) else None
                lines.append(f"Evidence: <code>{esc(ref)}</code>" + (f" <i>({esc(why)})</i>" if why else ""))
        parts.append('<div class="m">' + "<br>".join(lines[:facts]) + block + "<br>".join(lines[facts:]) + "</div>")
    parts.append("</div>")
    return "".join(parts)


def _ok(ref: str) -> bool:
    try:
        parse_evidence(ref)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------
# The map


class _Basemap(SafeMacroElement):
    """Natural Earth country outlines in their own pane under the markers, Armenia and Azerbaijan
    in their own colour, plus the neutral attribution. Served: fetched from the app's static URL;
    inline: embedded. With online tiles the land is see-through (the tiles show) until a tile
    fails to load (map_decor.js makes it opaque again). The layer is ``map._talksBasemap``.
    Inline, the outlines are a JSON string given to JSON.parse (parsed faster than the same
    object as a script literal); on a slide, simplified within ``tolerance`` degrees (a pixel at
    the slide's zoom: basemap.slide_basemap_text); None: the outlines as they are."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function() {
    var map = {{ this._parent.get_name() }};
    if (!map.getPane('basemap')) {
        map.createPane('basemap');
        map.getPane('basemap').style.zIndex = 250;
        map.getPane('basemap').style.pointerEvents = 'none';
    }
    map.attributionControl.setPrefix({{ this.prefix|tojson }});
    map.getContainer().style.background = {{ this.sea|tojson }};
    var highlight = {{ this.highlight|tojson }}, see_through = {{ this.see_through|tojson }};
    var layer = L.geoJSON(null, {pane: 'basemap', interactive: false, style: function(f) {
        var opacity = see_through && !map._talksLandOpaque ? 0 : 1;
        if (highlight.indexOf(f.properties && f.properties.name) >= 0) {
            return {color: {{ this.highlight_line|tojson }}, weight: 1.6, fillColor: {{ this.highlight_fill|tojson }},
                    fillOpacity: see_through && !map._talksLandOpaque ? 0.5 : 1, className: 'country-highlight'};
        }
        return {color: '#9aa5ad', weight: 0.7, fillColor: {{ this.land|tojson }}, fillOpacity: opacity};
    }}).addTo(map);
    map._talksBasemap = layer;
    {% if this.inline %}
    map._talksBasemapData = JSON.parse({{ this.data }});
    layer.addData(map._talksBasemapData);
    {% else %}
    fetch({{ this.url|tojson }}).then(function(r) { return r.json(); })
        .then(function(d) { map._talksBasemapData = d; layer.addData(d); map.fire('talkslayout'); });
    {% endif %}
})();
{% endmacro %}
"""
    )

    def __init__(self, inline: bool, see_through: bool = False, tolerance: float | None = None):
        super().__init__()
        self._name = "Basemap"
        self.inline = inline
        self.see_through = see_through
        self.prefix = ATTRIBUTION
        self.land, self.sea = LAND_COLOUR, SEA_COLOUR
        self.highlight = list(HIGHLIGHT)
        self.highlight_fill, self.highlight_line = HIGHLIGHT_FILL, HIGHLIGHT_LINE
        self.url = assets.BASEMAP_JSON.url
        self.data = _outlines_literal(tolerance) if inline else ""


@lru_cache(maxsize=8)
def _outlines_literal(tolerance: float | None) -> str:
    """The basemap GeoJSON (simplified within ``tolerance`` degrees unless None) as a JavaScript
    string literal, safe inside <script> (made once per tolerance)."""
    outlines = assets.text(assets.BASEMAP_JSON) if tolerance is None else slide_basemap_text(tolerance=tolerance)
    return script_safe(json.dumps(outlines))


class _Decor(SafeMacroElement):
    """Everything drawn over the markers, by one script of ours (templates/map_decor.js, shared by
    the Map page and the slide): venue labels with their dates placed where they cover no marker
    and no other label, the numbered route with arrows, and per mode the legend, title line and
    tile-failure notice (page) or the country names and the inset locator (slide). Every text
    reaches the script as JSON (script_json) and is set with textContent; the legend is HTML our
    autoescaping template made."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this.code }}
{% if this.swapped %}
TalksMap.decorateGroup({{ this._parent.get_name() }}, {{ this.config }});
{% else %}
TalksMap.decorate({{ this._parent.get_name() }}, {{ this.config }}, {{ this.tiles }});
{% endif %}
{% endmacro %}
"""
    )

    def __init__(self, config: dict, tiles: str = "null", swapped: bool = False):
        """``swapped``: the parent is the app's layer swapped in place (venue_group): drawn when it
        joins the map, removed with it."""
        super().__init__()
        self._name = "Decor"
        self.code = script_safe(static_text("map_decor.js"))
        self.config = script_json(config)
        self.tiles = tiles  # the tile layer's JavaScript name (ours, from folium), or null
        self.swapped = swapped


class _VenueLayer(SafeMacroElement):
    """All venue markers in one script of ours (templates/venue_layer.js) fed with compact data: the
    distinct circle styles once, then one array per venue (see :func:`venue_layer_data`); popup
    and tooltip HTML escaped beforehand. Up to CANVAS_VENUES venues every circle is an SVG element
    (class ``venue-marker``, rings ``venue-ring``) with an accessible name; above, one canvas."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this.code }}
TalksVenues.draw({{ this._parent.get_name() }}, {{ this.data }}, {{ this.fit|tojson }}, {{ this.css|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, data: str, fit: bool = False):
        """``data``: the markers as :func:`venue_layer_data` gives them (script-safe JSON);
        ``fit``: zoom the map to them when the layer is added (a layer swapped into a map)."""
        super().__init__()
        self._name = "VenueLayer"
        self.code = script_safe(static_text("venue_layer.js"))
        self.css = POPUP_CSS
        self.data = data
        self.fit = fit


POPUP_COLUMNS = [
    "venue",
    "venue_detail",
    "date",
    "date_precision",
    "level",
    "status",
    "mediator_list",
    "participant_list",
    "event",
    "evidence",
    "documents",
]
OPTIONAL_POPUP_COLUMNS = ("confidence", "prov")  # a hand-made frame may lack them


def canvas_name(venues: int) -> str:
    """The accessible name of the canvas the markers are painted on above CANVAS_VENUES venues (its
    circles are no elements, so they have no names of their own): what it shows and where to read it."""
    return (
        f"Map of {venues:,} venues, one circle each (size: number of meetings; colours: mediators), "
        "painted as one picture: the Venues and Meetings pages list them"
    )


def venue_layer_data(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame,
    evidence: EvidenceLookup | None = None,
    markers: list[VenueMarker] | None = None,
) -> str:
    """Every venue marker with its popup and tooltip, as script-safe JSON (escaped beforehand):
    the part of the map that costs time at scale, so the app can keep it per filter. Compact:
    ``styles`` holds each distinct circle style once (Leaflet path options of
    :meth:`VenueMarker.circles` without the radius), ``venues`` one array per venue, largest first:
    ``[lat, lon, [[style, radius], ...] (outer circle first), popup HTML, tooltip HTML, accessible
    name]``; ``canvas``: painted on one canvas (more than CANVAS_VENUES venues)."""
    markers = venue_markers(meetings, venues, mediators) if markers is None else markers
    labels = _labels(mediators)
    ordered = chronological(meetings)
    # the latest meetings of each venue, picked on the venue column alone (no copy of every column)
    rank = ordered.groupby("venue", sort=False, observed=True).cumcount(ascending=False).to_numpy()
    cols = POPUP_COLUMNS + [c for c in OPTIONAL_POPUP_COLUMNS if c in meetings]
    latest = ordered.loc[rank < popup_rows(len(markers)), cols]
    rows: dict[str, list[dict]] = {}
    for r in latest.to_dict("records"):
        for text in ("event", "venue_detail"):
            if not isinstance(r[text], str):
                r[text] = ""
        rows.setdefault(r["venue"], []).append(r)
    styles: dict[str, int] = {}  # each distinct circle style once (a few dozen), by its JSON
    drawn = []
    shorts = venue_shorts(meetings)
    for mk in markers:
        meds = ", ".join(labels.get(x, x) for x in mk.mediators) or "none"
        circles = []
        for c in mk.circles():
            r = c.pop("radius")
            circles.append([styles.setdefault(json.dumps(c, sort_keys=True), len(styles)), r])
        drawn.append(
            [
                mk.lat,
                mk.lon,
                circles,
                popup_html(mk.venue, mk.count, rows.get(mk.venue, []), labels, evidence),
                esc(f"{mk.venue}: {mk.count} meeting{'s' if mk.count != 1 else ''} ({meds})"),
                accessible_name(mk.venue, mk.count, shorts.get(mk.venue, [])),
            ]
        )
    data = {
        "styles": [json.loads(s) for s in styles],
        "venues": drawn,
        "canvas": len(markers) > CANVAS_VENUES,
        "canvas_name": canvas_name(len(markers)),
    }
    return script_json(data)  # text from articles and data: no template delimiter, no </script>


def _inline_assets(m: folium.Map, scripts: tuple[assets.Asset, ...] = assets.SCRIPTS) -> None:
    page_part = render(
        "inline_assets.html.j2",
        styles=[static_code(assets.text(a)) for a in assets.STYLES],
        scripts=[static_code(assets.text(a)) for a in scripts],
    )
    m.get_root().header.add_child(RawElement(page_part), name="talks_atlas_assets", index=0)


def build_map(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame,
    options: MapOptions = MapOptions(),
    evidence: EvidenceLookup | None = None,
    extent: pd.DataFrame | None = None,
) -> folium.Map:
    """The folium map of the (already filtered) meetings. No network resource unless
    ``options.online_tiles``. The view fits the venues of ``extent`` (default: ``meetings``):
    a time-lapse keeps one view while its meetings appear."""
    layer = venue_layer(meetings, venues, mediators, evidence)
    framed = layer.markers if extent is None else venue_markers(extent, venues, mediators)
    # The view first: the basemap is then drawn once, in it (fitted after, every outline was drawn twice).
    m = base_map(options, view=([v.lat for v in framed], [v.lon for v in framed]))
    route = _add_layers(m, meetings, venues, options, layer)
    # Last: labels, route numbers and the inset are placed in the view the map was fitted to.
    m.add_child(_Decor(decor_config(layer, options, route), _tiles_name(m)))
    return m


def app_map(venues: pd.DataFrame, options: MapOptions = MapOptions()) -> folium.Map:
    """The app's map without its venue layer, zoomed to every venue of the data (not only the
    filtered ones): it stays the same while the filters change, so the browser keeps it and only
    swaps the layer from :func:`venue_group`."""
    m = base_map(options)
    fit(m, [float(x) for x in venues["lat"]], [float(x) for x in venues["lon"]])
    return m


def base_map(options: MapOptions = MapOptions(), view: tuple[list[float], list[float]] | None = None) -> folium.Map:
    """The map without its venue layer: basemap, optional tiles, our offline assets; with
    ``view`` (latitudes, longitudes), fitted to those points before the basemap is added."""
    m = folium.Map(
        location=DEFAULT_CENTRE,
        zoom_start=START_ZOOM,
        tiles=None,
        width=options.width,
        height=options.height,
        control_scale=False,
        zoom_control=options.zoom_control,
        prefer_canvas=False,  # SVG: each marker is an element with the venue-marker class
        world_copy_jump=False,
    )
    if options.mode == "slide":
        # No zoom animation: folium's fitBounds runs after the map is created and would animate, and
        # a screenshot (or the labels and inset, placed once) taken mid-animation sees the wrong view.
        m.options.update(zoom_animation=False, fade_animation=False, marker_zoom_animation=False)
    # Offline: our own Leaflet/jQuery (instance attributes; the class lists point at CDNs).
    m.default_js = assets.default_js(options.assets)
    m.default_css = assets.default_css(options.assets)
    if view is not None:
        fit(m, *view, animate=options.mode != "slide")
    if options.assets == "inline":
        # a slide's popups are Leaflet's own: no jQuery to parse (88 kB) in every picture
        _inline_assets(m, (assets.LEAFLET_JS,) if options.mode == "slide" else assets.SCRIPTS)
    inline = options.assets == "inline"
    tolerance = pixel_degrees(slide_zoom_bound(*(view or ([], [])))) if options.mode == "slide" else None
    m.add_child(_Basemap(inline=inline, see_through=options.online_tiles, tolerance=tolerance))
    if options.online_tiles:
        folium.TileLayer(OSM_URL, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    return m


def _tiles_name(m: folium.Map) -> str:
    """The JavaScript name of the map's tile layer (ours, from folium), or null."""
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    return tiles[0].get_name() if tiles else "null"


@dataclass(frozen=True)
class VenueLayer:
    """The venue markers of some meetings, laid out once: what the filters change and what costs
    time at scale (the app keeps it per selection: ui.data.venue_layer). The route is not in it
    (drawn only when asked for)."""

    markers: tuple[VenueMarker, ...]  # largest first
    data: str  # venue_layer_data: the markers, popups and tooltips as script-safe JSON
    labels: list[dict]  # label_data: what the decor writes next to the markers
    legend: str  # the page's legend (HTML from our autoescaping template)


def venue_layer(
    meetings: pd.DataFrame, venues: pd.DataFrame, mediators: pd.DataFrame, evidence: EvidenceLookup | None = None
) -> VenueLayer:
    """The venue layer of these (already filtered) meetings: markers, their script data, labels and legend."""
    markers = venue_markers(meetings, venues, mediators)
    legend = legend_html(
        legend_items(meetings, mediators), rings=several_mediators(meetings), sizes=several_meetings_somewhere(meetings)
    )
    return VenueLayer(
        tuple(markers),
        venue_layer_data(meetings, venues, mediators, evidence, markers),
        label_data(markers, meetings),
        legend,
    )


def venue_group(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame,
    options: MapOptions = MapOptions(),
    evidence: EvidenceLookup | None = None,
    layer: VenueLayer | None = None,
) -> folium.FeatureGroup:
    """What the filters change as one layer: route, venue markers, and the decor (labels, route
    numbers, legend, title line). The app hands it to ``st_folium(feature_group_to_add=...)``,
    which swaps this layer in the map already shown instead of reloading the map (:func:`app_map`
    stays the same across filter changes); the decor is drawn when the layer joins the map and
    taken away with it. ``layer``: :func:`venue_layer` of these meetings, kept by the caller."""
    group = folium.FeatureGroup(name="venues", control=False)
    layer = venue_layer(meetings, venues, mediators, evidence) if layer is None else layer
    route = _add_layers(group, meetings, venues, options, layer, fit=True)
    group.add_child(_Decor(decor_config(layer, options, route), "null", swapped=True))
    return group


def _add_layers(parent, meetings, venues, options, layer: VenueLayer, fit=False) -> dict | None:
    """The route line and the venue layer on ``parent`` (a map, or the app's swapped group); the
    route's stops for the decor (None without a route)."""
    route = None
    if options.route and len(meetings) > 1:
        stops = route_stops(meetings, venues)
        if len(stops) > 1:
            folium.PolyLine(
                [(s.lat, s.lon) for s in stops],
                color="#37474f",
                weight=2.5,
                opacity=0.8,
                dash_array="7 5",
                class_name=ROUTE_CLASS,
            ).add_to(parent)
            route = route_data(stops)
    parent.add_child(_VenueLayer(layer.data, fit))
    return route


FIT_PADDING, FIT_MAX_ZOOM, ONE_VENUE_ZOOM = 40, 6, 5  # px around the venues; zooms (see fit)
START_ZOOM = 3  # the map's zoom before it is fitted (and with no venue)
LARGEST_SLIDE = (1920, 1080)  # px: a slide's map is smaller, so it is never zoomed in further


def slide_zoom_bound(lats: list[float], lons: list[float]) -> int:
    """The highest zoom :func:`fit` can choose for these points on a slide's map: Leaflet's
    fitBounds zoom (whole zoom levels, rounded down) on a map as big as the largest slide, which
    the map is not. The slide's basemap is simplified within a pixel at this zoom."""
    if not lats:
        return START_ZOOM
    if len(lats) == 1:
        return ONE_VENUE_ZOOM

    def y(lat: float) -> float:  # Web Mercator, 256 px world at zoom 0
        s = math.sin(math.radians(max(-85.0511, min(85.0511, lat))))
        return 128 - 128 * math.log((1 + s) / (1 - s)) / (2 * math.pi)

    dx = (max(lons) - min(lons)) / 360 * 256
    dy = y(min(lats)) - y(max(lats))
    room = [(side - 2 * FIT_PADDING) / span for side, span in zip(LARGEST_SLIDE, (dx, dy)) if span > 0]
    if not room:
        return FIT_MAX_ZOOM
    return max(0, min(FIT_MAX_ZOOM, math.floor(math.log2(min(room)) + 0.01)))


def fit(m: folium.Map, lats: list[float], lons: list[float], animate: bool = True) -> None:
    """Zoom to these points (one: centred at zoom 5). ``animate=False`` (a slide): the map jumps
    to the view; at an unchanged zoom Leaflet would otherwise pan there over a quarter second, in
    which the labels, country names and inset are placed and the picture may be taken."""
    if lats:
        if len(lats) == 1:
            m.location = [lats[0], lons[0]]
            m.options["zoom"] = ONE_VENUE_ZOOM
        else:
            box = [[min(lats), min(lons)], [max(lats), max(lons)]]
            view = folium.map.FitBounds(box, padding=(FIT_PADDING, FIT_PADDING), max_zoom=FIT_MAX_ZOOM)
            if not animate:
                view.options["animate"] = False
            m.add_child(view)  # what m.fit_bounds does, with Leaflet's animate option


def decor_config(layer: VenueLayer, options: MapOptions, route: dict | None) -> dict:
    """What map_decor.js draws (plain data; text escaped by script_json and set as text)."""
    markers = list(layer.markers)
    config: dict = {
        "mode": options.mode,
        "css": static_text("map_decor.css"),
        "labels": layer.labels,
        "route": route,
    }
    if options.mode == "page":
        config["legend"] = layer.legend
        config["max_labels"] = MAX_PAGE_LABELS
        config["title"] = options.title
        config["subtitle"] = options.subtitle
        config["tile_failed"] = TILE_FAILED
    else:
        config["countries"] = country_labels(markers)
        config["inset"] = inset_data(markers)
        config["highlight"] = list(HIGHLIGHT)
    return config


def route_points(meetings: pd.DataFrame, venues: pd.DataFrame) -> list[tuple[float, float]]:
    """Venue coordinates in the order the meetings happened (a repeat of the same venue in a
    row is one point)."""
    return [(s.lat, s.lon) for s in route_stops(meetings, venues)]


def chronological(meetings: pd.DataFrame) -> pd.DataFrame:
    """The meetings by date then id. The loaded frame already is, and so is any filtered part of
    it: checked (ids compared in Arrow, not as a million Python strings) rather than sorted."""
    if len(meetings) < 2:
        return meetings
    when = meetings["when"].to_numpy()
    later, same = when[1:] > when[:-1], when[1:] == when[:-1]
    if (later | same).all():
        if not same.any():
            return meetings
        ids = pa.array(meetings["id"], type=pa.large_string())
        ordered = pc.greater_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)
        if (later | (same & ordered)).all():
            return meetings
    return meetings.sort_values(["when", "id"])


def map_html(m: folium.Map) -> str:
    """The complete HTML document of a map (what the briefing export writes)."""
    return m.get_root().render()


_RESOURCE = re.compile(
    r"""(?:\bsrc\s*=|<link\b[^>]*?\bhref\s*=)\s*["']?((?:https?:)?//[^"'\s>]+)"""  # script/img src, <link href>
    r"""|url\(\s*["']?((?:https?:)?//[^)"'\s]+)"""  # CSS url(...)
    r"""|(?:tileLayer|fetch|import)\(\s*["'`]((?:https?:)?//[^"'`\s]+)""",  # tiles, fetch, import()
    re.IGNORECASE,
)


def external_resources(page: str) -> list[str]:
    """Every network resource a rendered page would load from another host: script/style/image
    sources, CSS url(), tile templates, fetch() targets. Inlined Leaflet mentions URLs in its
    comments and attribution link; those are not loads and are not reported."""
    return sorted({next(g for g in m.groups() if g) for m in _RESOURCE.finditer(page)})


__all__ = [
    "MapOptions",
    "VenueMarker",
    "EvidenceLookup",
    "build_map",
    "base_map",
    "app_map",
    "venue_group",
    "venue_layer_data",
    "venue_layer",
    "VenueLayer",
    "canvas_name",
    "CANVAS_VENUES",
    "fit",
    "legend_items",
    "legend_html",
    "venue_markers",
    "route_points",
    "map_html",
    "external_resources",
    "esc",
    "MARKER_CLASS",
    "RING_CLASS",
    "Swatch",
    "several_mediators",
    "several_meetings_somewhere",
    "venue_dates",
    "accessible_name",
    "route_stops",
    "Stop",
    "inset_data",
    "shows_highlight",
    "venue_countries",
    "HIGHLIGHT",
    "LAND_COLOUR",
    "DIRECT",
]
