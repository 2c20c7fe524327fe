"""The briefing page: the filtered map as a 16:9 slide with title, subtitle, legend, count and sources.

One page template serves the PNG (rendered by :mod:`geo.present.render` in headless Chromium), the
self-contained HTML download and the app's briefing view. Every piece of text that reaches the
page is escaped here; the map is a complete document of its own (folium, assets inlined) shown
in an ``<iframe srcdoc>`` so its scripts and styles cannot clash with the slide's.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd

from geo.core.dates import human_day
from geo.core.errors import UsageError
from geo.present.filters import FilterOptions, Filters, apply, count_line, default_title, describe
from geo.core.schema import Dataset, split_list

NO_MATCH = "No meetings match"
MAP_CREDIT = "Map: Natural Earth"
SIZE_NOTE = "Larger circle: more meetings at that venue"
MAX_SOURCES = 6  # more titles than this become "and N more": a footer is one or two lines
SOURCE_CHARS = 190  # ...and so do titles past this many characters (two footer lines in all)
MAX_TITLE = 300  # characters; a slide title longer than this is a paragraph, not a title


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
    legend: tuple[tuple[str, str], ...]  # (label, #colour)
    sources: tuple[str, ...]  # article titles (or file names when titles are unknown)
    data_date: str  # "23 November 2026"
    meetings: int
    venues: int
    map_html: str  # a complete HTML document (folium), shown in an iframe

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
    seen: list[str] = []
    for docs in meetings["documents"]:
        for f in split_list(docs):
            name = titles.get(f, f)
            if name not in seen:
                seen.append(name)
    return tuple(seen)


def data_date(ds: Dataset) -> date:
    """When the data was last changed: the newest modification time of its tables (UTC)."""
    stamps = [p.stat().st_mtime for p in ds.data_dir.glob("*.csv")]
    if not stamps:
        return datetime.now(timezone.utc).date()
    return datetime.fromtimestamp(max(stamps), timezone.utc).date()


def clean_title(title: str | None, fallback: str) -> str:
    """An analyst's title: whitespace collapsed; empty means the default title."""
    text = re.sub(r"\s+", " ", title or "").strip()
    if not text:
        return fallback
    if len(text) > MAX_TITLE:
        raise UsageError(f"title is {len(text)} characters long; a slide title can have at most {MAX_TITLE}")
    return text


MapBuilder = Callable[[pd.DataFrame, Dataset], str]


def inline_map(meetings: pd.DataFrame, ds: Dataset) -> str:
    """The dashboard's map of ``meetings`` as one self-contained HTML document, made for a slide:
    no controls, no animation, markers sized for the slide and every venue named on the map."""
    from geo.present.mapview import MapOptions, build_map, venue_markers
    from geo.present.markup import RawElement, script_json

    # A slide is not interactive: no zoom buttons; the map fills the slide's map area (the iframe).
    options = MapOptions(assets="inline", height="100%", zoom_control=False)  # type: ignore[arg-type]
    m = build_map(meetings, ds.venues, ds.mediators, options)
    # No zoom animation: folium's fitBounds runs after the map is created and would animate,
    # and a screenshot taken mid-animation shows the markers scaled and misplaced.
    m.options.update(zoom_animation=False, fade_animation=False, marker_zoom_animation=False)
    m.get_root().header.add_child(RawElement(f"<style>{MAP_CSS}</style>"))
    # Venue names as permanent labels (a slide has no hover); text escaped, then JSON in a script.
    labels = [[v.lat, v.lon, html.escape(v.venue), v.radius] for v in venue_markers(meetings, ds.venues, ds.mediators)]
    script = SLIDE_MAP_JS.replace("%MAP", m.get_name()).replace("%LABELS", script_json(labels))
    m.get_root().script.add_child(RawElement(script))
    return m.get_root().render()


# Runs after folium's map script. Markers are sized for the app's 560 px map: on a bigger slide
# map they grow with it. Labels go right of their marker, else left, above or below, whichever
# covers no marker and no label placed before (largest venues first); failing all, right.
SLIDE_MAP_JS = """
document.addEventListener('DOMContentLoaded', function() {
    var map = %MAP, k = Math.max(1, Math.min(2, map.getSize().y / 560));
    map.eachLayer(function(layer) {
        if (layer instanceof L.CircleMarker && /venue-marker/.test(layer.options.className || '')) {
            layer.setRadius(layer.getRadius() * k);
        }
    });
    document.documentElement.style.setProperty('--label-px', Math.round(15 * k) + 'px');
    var placed = Array.from(document.querySelectorAll('.venue-marker')).map(function(el) {
        return el.getBoundingClientRect();  // labels cover no marker...
    });
    function clash(el) {
        var r = el.getBoundingClientRect();
        return placed.some(function(q) {
            return r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom;
        });
    }
    %LABELS.forEach(function(v) {
        var gap = v[3] * k + 3, tries = [['right', [gap, 0]], ['left', [-gap, 0]], ['top', [0, -gap]], ['bottom', [0, gap]]];
        var tip = null;
        for (var i = 0; i < tries.length; i++) {
            if (tip) { map.removeLayer(tip); }
            tip = L.tooltip({permanent: true, interactive: false, direction: tries[i][0], offset: tries[i][1],
                             className: 'venue-label'}).setLatLng([v[0], v[1]]).setContent(v[2]).addTo(map);
            if (!clash(tip.getElement())) { break; }
            if (i === tries.length - 1) {
                map.removeLayer(tip);
                tip = L.tooltip({permanent: true, interactive: false, direction: 'right', offset: tries[0][1],
                                 className: 'venue-label'}).setLatLng([v[0], v[1]]).setContent(v[2]).addTo(map);
            }
        }
        placed.push(tip.getElement().getBoundingClientRect());  // ...and no other label
    });
});
"""


MAP_CSS = ("html,body{margin:0;padding:0;width:100%;height:100%;overflow:hidden}"
           ".venue-label{font:600 var(--label-px,15px)/1.2 'Liberation Sans','DejaVu Sans',Arial,sans-serif;color:#1d2630;"
           "background:rgba(255,255,255,.88);border:0;border-radius:3px;box-shadow:0 0 0 1px rgba(0,0,0,.18);"
           "padding:2px 6px}.venue-label:before{display:none}"
           ".leaflet-container{background:#d6e4ee}")  # sea: pale blue, so land outlines read as land


def legend(meetings: pd.DataFrame, ds: Dataset) -> tuple[tuple[str, str], ...]:
    """(label, colour) for the marker colours actually drawn: a mediator appears only when a
    venue's marker carries its colour; venues mixing mediators are one "several mediators"
    entry naming them (a swatch with no marker of its colour would mislead on a slide)."""
    from geo.present.mapview import SEVERAL, SEVERAL_COLOUR, venue_markers

    labels = dict(zip(ds.mediators["name"], ds.mediators["label"]))
    single: dict[str, str] = {}
    mixed: list[str] = []
    order = list(ds.mediators["name"])
    for mk in venue_markers(meetings, ds.venues, ds.mediators):
        if len(mk.mediators) == 1:
            single[mk.mediators[0]] = mk.colour
        else:
            mixed.extend(m for m in mk.mediators if m not in mixed)
    rank = {m: i for i, m in enumerate(order)}
    items = [(str(labels.get(m, m)), c) for m, c in sorted(single.items(), key=lambda kv: rank.get(kv[0], len(rank)))]
    if mixed:
        names = ", ".join(str(labels.get(m, m)) for m in sorted(mixed, key=lambda m: rank.get(m, len(rank))))
        items.append((f"{SEVERAL} ({names})", SEVERAL_COLOUR))
    return tuple(items)


def compose(
    ds: Dataset,
    filters: Filters,
    title: str | None = None,
    *,
    map_builder: MapBuilder = inline_map,
    legend_builder: Callable[[pd.DataFrame, Dataset], tuple[tuple[str, str], ...]] = legend,
    as_of: date | None = None,
) -> Brief:
    """The briefing for ``filters`` over the dataset (same semantics as the app's sidebar)."""
    opts = FilterOptions.from_data(ds.meetings, ds.mediators)
    shown = apply(ds.meetings, filters)
    when = as_of or data_date(ds)
    return Brief(
        title=clean_title(title, default_title(filters, opts)),
        subtitle=describe(filters, opts),
        count=count_line(shown),
        legend=legend_builder(shown, ds) if len(shown) else (),
        sources=sources(ds, shown),
        data_date=human_day(when),
        meetings=len(shown),
        venues=int(shown["venue"].nunique()),
        map_html=map_builder(shown, ds),
    )


# ---------------------------------------------------------------------------------------------
# The page


def _e(text: str) -> str:
    return html.escape(text, quote=True)


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
    parts.append(f"Data as of {brief.data_date}")
    parts.append(MAP_CREDIT)
    return " · ".join(parts)


# Scale the slide down (never up) to the window, or to the width with a matching page height.
FIT_JS = {
    "window": "<script>(function(){var s=document.getElementById('slide');function fit(){"
              "var k=Math.min(1,window.innerWidth/%W,window.innerHeight/%H);"
              "s.style.transform=k<1?'scale('+k+')':'none';}"
              "window.addEventListener('resize',fit);fit();})();</script>",
    "width": "<script>(function(){var s=document.getElementById('slide');function fit(){"
             "var k=Math.min(1,document.documentElement.clientWidth/%W);"
             "s.style.position='absolute';s.style.left='0';s.style.top='0';"
             "s.style.transform=k<1?'scale('+k+')':'none';"
             "document.body.style.height=Math.ceil(%H*k)+'px';}"
             "window.addEventListener('resize',fit);fit();})();</script>",
}


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
    the content); ``None``: no script."""
    u = size.height / 1080  # every length is designed for 1080 px high and scaled
    title_px = title_size(brief.title)
    px = lambda n: f"{n * u:.1f}px"  # noqa: E731
    legend_rows = "".join(
        f'<li><span class="dot" style="background:{_e(colour)}"></span>{_e(label)}</li>'
        for label, colour in brief.legend
    )
    legend_block = (
        f'<h2>Mediator</h2><ul class="legend">{legend_rows}</ul>' if legend_rows else ""
    )
    if brief.meetings > brief.venues:  # some venue had several meetings: circles differ in size
        legend_block += f'<p class="note">{_e(SIZE_NOTE)}</p>'
    empty = (
        f'<div class="nomatch" role="status"><strong>{_e(NO_MATCH)}</strong>'
        f"<span>{_e(brief.subtitle)}</span></div>"
        if brief.empty
        else ""
    )
    fit_script = FIT_JS[fit].replace("%W", str(size.width)).replace("%H", str(size.height)) if fit else ""
    css = f"""
*{{box-sizing:border-box}}
html,body{{margin:0;padding:0;background:#ffffff;overflow:hidden}}
#slide{{width:{size.width}px;height:{size.height}px;transform-origin:0 0;display:flex;flex-direction:column;
 padding:{px(44)} {px(64)} {px(28)};background:#ffffff;color:#1d2630;
 font-family:"Liberation Sans","DejaVu Sans",Arial,Helvetica,sans-serif}}
header{{flex:none;margin-bottom:{px(20)}}}
h1{{margin:0;font-size:{px(title_px)};line-height:1.15;font-weight:700;overflow-wrap:anywhere;
 display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}}
.subtitle{{margin:{px(10)} 0 0;font-size:{px(28)};line-height:1.3;color:#4a5560;overflow-wrap:anywhere}}
main{{flex:1 1 auto;min-height:0;display:flex;gap:{px(32)}}}
.map{{position:relative;flex:1 1 auto;min-width:0;border:1px solid #c9d1d9;border-radius:{px(6)};overflow:hidden;
 background:#eef2f5}}
.map iframe{{position:absolute;inset:0;width:100%;height:100%;border:0;display:block}}
aside{{flex:0 0 {px(400)};display:flex;flex-direction:column;gap:{px(18)};min-height:0;overflow:hidden}}
.count{{margin:0;font-size:{px(34)};line-height:1.25;font-weight:700;color:#1d2630}}
h2{{margin:{px(6)} 0 0;font-size:{px(22)};text-transform:uppercase;letter-spacing:.06em;color:#4a5560}}
ul.legend{{list-style:none;margin:0;padding:0;font-size:{px(28)};line-height:1.25}}
ul.legend li{{display:flex;align-items:center;gap:{px(14)};margin:0 0 {px(12)};overflow-wrap:anywhere}}
.note{{margin:0;font-size:{px(22)};line-height:1.3;color:#4a5560}}
.dot{{flex:none;width:{px(26)};height:{px(26)};border-radius:50%;border:{px(2.5)} solid #ffffff;
 box-shadow:0 0 0 1px rgba(0,0,0,.35)}}
.nomatch{{position:absolute;inset:0;z-index:10;display:flex;flex-direction:column;align-items:center;justify-content:center;
 gap:{px(12)};background:rgba(255,255,255,.72);text-align:center;padding:{px(40)}}}
.nomatch strong{{font-size:{px(64)};color:#1d2630}}
.nomatch span{{font-size:{px(26)};color:#4a5560;max-width:80%}}
footer{{flex:none;margin-top:{px(16)};font-size:{px(21)};line-height:1.35;color:#4a5560;overflow-wrap:anywhere;
 display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}}
"""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(brief.title)}</title>
<style>{css}</style></head>
<body><div id="slide" data-meetings="{brief.meetings}" data-venues="{brief.venues}">
<header><h1 id="brief-title">{_e(brief.title)}</h1><p class="subtitle" id="brief-subtitle">{_e(brief.subtitle)}</p></header>
<main><div class="map"><iframe id="brief-map" title="Map" srcdoc="{_e(brief.map_html)}"></iframe>{empty}</div>
<aside><p class="count" id="brief-count">{_e(brief.count)}</p>{legend_block}</aside></main>
<footer id="brief-footer">{_e(footer_text(brief))}</footer>
</div>{fit_script}</body></html>
"""


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
