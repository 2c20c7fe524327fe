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
  participants, mediators, event, source article, evidence text). Everything from the data or an article is escaped:
  article text is untrusted.
- No CDN: the map instance's ``default_js``/``default_css`` point at the app's own static URL
  (``assets="served"``) or the files are inlined (``assets="inline"``); no ``folium.Icon``;
  ``tiles=None`` with the Natural Earth outlines; OpenStreetMap tiles only when asked for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import folium
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from jinja2 import Template

from geo.core.dates import When
from geo.core.paths import CORPUS_ENV, DEFAULT_CORPUS, ROOT, display
from geo.core.schema import parse_evidence, split_list
from geo.ingest.corpus import content_hash
from geo.present import assets
from geo.present.basemap import ATTRIBUTION
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
MAX_POPUP_MEETINGS = 12  # a venue with more lists the latest ones and says how many are left out
POPUP_BUDGET = 2000  # meetings listed in all popups together: thousands of venues list fewer each
MIN_POPUP_MEETINGS = 1
MAX_EVIDENCE_CHARS = 320
DEFAULT_CENTRE = (46.0, 30.0)  # between Europe and the South Caucasus: where most talks happen
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"


@dataclass(frozen=True)
class MapOptions:
    online_tiles: bool = False  # OpenStreetMap tiles only when the user turns them on
    route: bool = False  # chronological route between venues
    assets: str = "served"  # "served" (app static URL) or "inline" (self-contained HTML)
    width: str = "100%"
    height: int = 560
    zoom_control: bool = True

    def __post_init__(self) -> None:
        if self.assets not in ("served", "inline"):
            raise ValueError(f"MapOptions.assets must be 'served' or 'inline', not {self.assets!r}")


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


def legend_html(items: list[Swatch], rings: bool = False) -> str:
    """A small legend block (escaped), the same swatches as the markers; with ``rings``, a line
    saying what concentric rings mean."""
    if not items:
        return ""
    return render("legend.html.j2", items=[Swatch(*i) for i in items], rings=RING_NOTE if rings else "")


# ---------------------------------------------------------------------------------------------
# Popups


POPUP_CSS = static_text("popup.css")


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
        lines = [
            f"<b>{esc(When.parse(r['date']).human())}</b> &middot; {esc(r['level'])}"
            + (f" &middot; {esc(r['status'])}" if r["status"] != "held" else "")
        ]
        if r.get("venue_detail"):
            lines.append("At: " + esc(r["venue_detail"]))
        if r["participant_list"]:
            lines.append("Participants: " + esc(", ".join(r["participant_list"])))
        lines.append("Mediators: " + esc(meds))
        if r.get("event"):
            lines.append("Event: " + esc(r["event"]))
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
        parts.append('<div class="m">' + "<br>".join(lines) + "</div>")
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
    """Natural Earth country outlines in their own pane under the markers, plus the neutral
    attribution. Served: fetched from the app's static URL; inline: embedded."""

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
    var layer = L.geoJSON(null, {pane: 'basemap', interactive: false, style: function() {
        return {color: '#9aa5ad', weight: 0.7, fillColor: {{ this.land|tojson }}, fillOpacity: 1};
    }}).addTo(map);
    {% if this.inline %}
    layer.addData({{ this.data }});
    {% else %}
    fetch({{ this.url|tojson }}).then(function(r) { return r.json(); })
        .then(function(d) { layer.addData(d); });
    {% endif %}
})();
{% endmacro %}
"""
    )

    def __init__(self, inline: bool):
        super().__init__()
        self._name = "Basemap"
        self.inline = inline
        self.prefix = ATTRIBUTION
        self.land, self.sea = LAND_COLOUR, SEA_COLOUR
        self.url = assets.BASEMAP_JSON.url
        self.data = script_safe(assets.text(assets.BASEMAP_JSON)) if inline else ""


class _VenueLayer(SafeMacroElement):
    """All venue markers in one script: data as JSON, one L.circleMarker each (class
    ``venue-marker``) plus one inner ring per further mediator, popup and tooltip HTML escaped
    beforehand. One template instead of three
    folium elements per marker keeps 400 venues fast to build and small to send."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function() {
    var map = {{ this._parent.get_name() }};
    if (!document.getElementById('venue-popup-css')) {
        var css = document.createElement('style');
        css.id = 'venue-popup-css';
        css.textContent = {{ this.css|tojson }};
        document.head.appendChild(css);
    }
    var group = L.featureGroup();
    var data = {{ this.data }};
    data.forEach(function(d) {
        L.circleMarker(d.at, d.options)
            .bindPopup(d.popup, {maxWidth: 380})
            .bindTooltip(d.tip, {sticky: true})
            .addTo(group);
        d.rings.forEach(function(o) { L.circleMarker(d.at, o).addTo(group); });
    });
    {% if this.fit %}
    // swapped into a map already shown: zoom to the new markers, as a freshly drawn map would
    group.on('add', function() {
        var points = data.map(function(d) { return d.at; });
        if (points.length === 1) {
            this._map.setView(points[0], 5);
        } else if (points.length > 1) {
            this._map.fitBounds(L.latLngBounds(points), {padding: [40, 40], maxZoom: 6});
        }
    });
    {% endif %}
    group.addTo(map);
})();
{% endmacro %}
"""
    )

    def __init__(self, data: str, fit: bool = False):
        """``data``: the markers as :func:`venue_layer_data` gives them (script-safe JSON);
        ``fit``: zoom the map to them when the layer is added (a layer swapped into a map)."""
        super().__init__()
        self._name = "VenueLayer"
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


def venue_layer_data(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame,
    evidence: EvidenceLookup | None = None,
    markers: list[VenueMarker] | None = None,
) -> str:
    """Every venue marker with its popup and tooltip, as script-safe JSON (escaped beforehand):
    the part of the map that costs time at scale, so the app can keep it per filter."""
    markers = venue_markers(meetings, venues, mediators) if markers is None else markers
    labels = _labels(mediators)
    ordered = chronological(meetings)
    # the latest meetings of each venue, picked on the venue column alone (no copy of every column)
    rank = ordered.groupby("venue", sort=False, observed=True).cumcount(ascending=False).to_numpy()
    latest = ordered.loc[rank < popup_rows(len(markers)), POPUP_COLUMNS]
    rows: dict[str, list[dict]] = {}
    for r in latest.to_dict("records"):
        for text in ("event", "venue_detail"):
            if not isinstance(r[text], str):
                r[text] = ""
        rows.setdefault(r["venue"], []).append(r)
    data = []
    for mk in markers:
        meds = ", ".join(labels.get(x, x) for x in mk.mediators) or "none"
        outer, *rings = mk.circles()
        data.append(
            {
                "venue": mk.venue,
                "at": [mk.lat, mk.lon],
                "options": outer,
                "rings": rings,
                "popup": popup_html(mk.venue, mk.count, rows.get(mk.venue, []), labels, evidence),
                "tip": esc(f"{mk.venue}: {mk.count} meeting{'s' if mk.count != 1 else ''} ({meds})"),
            }
        )
    return script_json(data)  # text from articles and data: no template delimiter, no </script>


def _inline_assets(m: folium.Map) -> None:
    page_part = render(
        "inline_assets.html.j2",
        styles=[static_code(assets.text(a)) for a in assets.STYLES],
        scripts=[static_code(assets.text(a)) for a in assets.SCRIPTS],
    )
    m.get_root().header.add_child(RawElement(page_part), name="talks_atlas_assets", index=0)


def build_map(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame,
    options: MapOptions = MapOptions(),
    evidence: EvidenceLookup | None = None,
) -> folium.Map:
    """The folium map of the (already filtered) meetings. No network resource unless
    ``options.online_tiles``."""
    markers = venue_markers(meetings, venues, mediators)
    m = base_map(options)
    _add_layers(m, meetings, venues, mediators, options, evidence, markers)
    fit(m, [v.lat for v in markers], [v.lon for v in markers])
    return m


def app_map(venues: pd.DataFrame, options: MapOptions = MapOptions()) -> folium.Map:
    """The app's map without its venue layer, zoomed to every venue of the data (not only the
    filtered ones): it stays the same while the filters change, so the browser keeps it and only
    swaps the layer from :func:`venue_group`."""
    m = base_map(options)
    fit(m, [float(x) for x in venues["lat"]], [float(x) for x in venues["lon"]])
    return m


def base_map(options: MapOptions = MapOptions()) -> folium.Map:
    """The map without its venue layer: basemap, optional tiles, our offline assets."""
    m = folium.Map(
        location=DEFAULT_CENTRE,
        zoom_start=3,
        tiles=None,
        width=options.width,
        height=options.height,
        control_scale=False,
        zoom_control=options.zoom_control,
        prefer_canvas=False,  # SVG: each marker is an element with the venue-marker class
        world_copy_jump=False,
    )
    # Offline: our own Leaflet/jQuery (instance attributes; the class lists point at CDNs).
    m.default_js = assets.default_js(options.assets)
    m.default_css = assets.default_css(options.assets)
    if options.assets == "inline":
        _inline_assets(m)
    m.add_child(_Basemap(inline=options.assets == "inline"))
    if options.online_tiles:
        folium.TileLayer(OSM_URL, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    return m


def venue_group(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame,
    options: MapOptions = MapOptions(),
    evidence: EvidenceLookup | None = None,
    layer: str | None = None,
) -> folium.FeatureGroup:
    """What the filters change (route and venue markers) as one layer: the app hands it to
    ``st_folium(feature_group_to_add=...)``, which swaps this layer in the map already shown
    instead of reloading the map (``base_map`` stays the same across filter changes)."""
    group = folium.FeatureGroup(name="venues", control=False)
    if layer is None:
        markers = venue_markers(meetings, venues, mediators)
        _add_layers(group, meetings, venues, mediators, options, evidence, markers, fit=True)
    else:  # ``layer``: venue_layer_data of these meetings, kept by the caller
        _add_layers(group, meetings, venues, mediators, options, evidence, [], layer, fit=True)
    return group


def _add_layers(parent, meetings, venues, mediators, options, evidence, markers, layer=None, fit=False) -> None:
    if options.route and len(meetings) > 1:
        pts = route_points(meetings, venues)
        if len(pts) > 1:
            folium.PolyLine(
                pts, color="#455a64", weight=2, opacity=0.7, dash_array="6 6", class_name=ROUTE_CLASS
            ).add_to(parent)
    parent.add_child(
        _VenueLayer(
            layer if layer is not None else venue_layer_data(meetings, venues, mediators, evidence, markers), fit
        )
    )


def fit(m: folium.Map, lats: list[float], lons: list[float]) -> None:
    """Zoom to these points (one: centred at zoom 5)."""
    if lats:
        if len(lats) == 1:
            m.location = [lats[0], lons[0]]
            m.options["zoom"] = 5
        else:
            m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(40, 40), max_zoom=6)


def route_points(meetings: pd.DataFrame, venues: pd.DataFrame) -> list[tuple[float, float]]:
    """Venue coordinates in the order the meetings happened (a repeat of the same venue in a
    row is one point)."""
    coords = venues.set_index("venue")[["lat", "lon"]]
    seq = chronological(meetings)["venue"].astype(object)
    seq = seq[seq.isin(coords.index)]
    seq = seq[seq.ne(seq.shift())]  # vectorised: a million meetings take a fraction of a second
    at = coords.loc[seq]
    return [(float(lat), float(lon)) for lat, lon in zip(at["lat"], at["lon"])]


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
    "LAND_COLOUR",
    "DIRECT",
]
