"""The offline map: markers per venue, colours, escaping, no network resource, basemap, assets."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import folium
import pandas as pd
import pytest
from meeting_rows import drawn_circles, frame

from geo.core.errors import DataError
from geo.core.paths import ROOT
from geo.core.schema import load_dataset, load_mediators
from geo.present import assets, basemap
from geo.present.filters import Filters, apply
from geo.present.mapview import (
    MARKER_CLASS,
    RING_CLASS,
    EvidenceLookup,
    MapOptions,
    Swatch,
    build_map,
    esc,
    external_resources,
    legend_html,
    legend_items,
    map_html,
    radius,
    route_points,
    slide_zoom_bound,
    venue_markers,
)
from geo.present.markup import script_safe

MEDIATORS = load_mediators(Path(__file__).parent / "fixtures" / "data" / "mediators.csv")
VENUES = pd.DataFrame(
    [
        {"venue": "Geneva", "country": "CH", "lat": 46.2, "lon": 6.14},
        {"venue": "Astana", "country": "KZ", "lat": 51.17, "lon": 71.45},
        {"venue": "Tbilisi", "country": "GE", "lat": 41.69, "lon": 44.83},
    ]
)
EVIL = "<img src=x onerror=alert(1)> ${alert(2)} `tick` \\u0041 </script>"


def markers_in(page: str) -> int:
    return drawn_circles(page, MARKER_CLASS)


@pytest.fixture(scope="module")
def dataset(fixture_data):
    return load_dataset(fixture_data)


# ---------------------------------------------------------------------------------------------
# Offline


@pytest.mark.parametrize("mode", ["served", "inline"])
def test_map_loads_nothing_from_the_network_by_default(dataset, mode):
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(assets=mode)))
    assert external_resources(page) == []
    assert "folium.Icon" not in page and "awesome" not in page.lower()
    assert "Leaflet | Natural Earth" in page


def test_served_map_points_at_the_apps_own_static_files(dataset):
    m = build_map(dataset.meetings, dataset.venues, dataset.mediators)
    page = map_html(m)
    for asset in (assets.LEAFLET_JS, assets.JQUERY_JS, assets.LEAFLET_CSS):
        assert asset.url in page
    assert assets.BASEMAP_JSON.url in page
    assert not re.search(r"https?://", page)  # not even a link
    # the class lists folium ships keep their CDN URLs; only the instance changed
    assert any("cdn" in url for _, url in folium.Map.default_js)


def test_inline_map_is_self_contained(dataset):
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(assets="inline")))
    assert "/app/static" not in page
    for asset in (*assets.SCRIPTS, *assets.STYLES):  # Leaflet, jQuery and Leaflet's CSS, whole
        assert script_safe(assets.text(asset)) in page, asset.name
    assert '\\"FeatureCollection\\"' in page  # and the basemap (a JSON string for JSON.parse)


def test_slide_map_is_quick_to_draw(dataset):
    """A slide's map (drawn for every PNG and time-lapse frame): no jQuery, the simplified
    basemap as a JSON string, and a fitted view without Leaflet's pan animation (labels are
    placed, and the picture taken, in the final view)."""
    slide = map_html(
        build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(assets="inline", mode="slide"))
    )
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(assets="inline")))
    assert (
        script_safe(assets.text(assets.JQUERY_JS)) not in slide and script_safe(assets.text(assets.JQUERY_JS)) in page
    )
    assert script_safe(assets.text(assets.LEAFLET_JS)) in slide
    zoom = slide_zoom_bound(list(dataset.venues["lat"]), list(dataset.venues["lon"]))
    assert script_safe(json.dumps(basemap.slide_basemap_text(tolerance=basemap.pixel_degrees(zoom)))) in slide
    assert '"animate": false' in slide and '"animate": false' not in page


def test_slide_basemap_keeps_every_country_with_fewer_points():
    full, slide = (json.loads(t) for t in (basemap.basemap_text(), basemap.slide_basemap_text()))

    def points(gj):
        return sum(len(ring) for f in gj["features"] for poly in polygons(f) for ring in poly)

    def polygons(f):
        g = f["geometry"]
        return g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]

    assert [f["properties"] for f in slide["features"]] == [f["properties"] for f in full["features"]]
    assert [len(polygons(f)) for f in slide["features"]] == [len(polygons(f)) for f in full["features"]]
    assert points(slide) < 0.8 * points(full)
    for f in slide["features"]:
        for poly in polygons(f):
            assert all(len(ring) >= 4 and ring[0] == ring[-1] for ring in poly)


@pytest.mark.parametrize(
    "ring, kept",
    [
        ([[0, 0], [1, 0.001], [2, 0], [2, 2], [0, 0]], [[0, 0], [2, 0], [2, 2], [0, 0]]),  # a bump under tolerance
        ([[0, 0], [1, 0.5], [2, 0], [2, 2], [0, 0]], [[0, 0], [1, 0.5], [2, 0], [2, 2], [0, 0]]),  # a corner
        ([[0, 0], [1, 0], [1, 1], [0, 0]], [[0, 0], [1, 0], [1, 1], [0, 0]]),  # a triangle stays whole
        (
            [[0, 0], [0.001, 0], [0.001, 0.001], [0, 0.001], [0, 0]],
            [[0, 0], [0.001, 0], [0.001, 0.001], [0, 0.001], [0, 0]],
        ),
    ],
    ids=["bump", "corner", "triangle", "islet"],
)
def test_simplify_ring(ring, kept):
    assert basemap.simplify_ring(ring, 0.01) == kept


def test_online_tiles_only_when_asked(dataset):
    off = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(online_tiles=False)))
    on = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(online_tiles=True)))
    assert "openstreetmap" not in off.lower()
    assert external_resources(on) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]


@pytest.mark.parametrize(
    "page, found",
    [
        ('<script src="https://cdn.example/x.js"></script>', ["https://cdn.example/x.js"]),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', ["//cdn.example/x.css"]),
        ("<style>a{background:url('http://e.example/i.png')}</style>", ["http://e.example/i.png"]),
        ('L.tileLayer("https://t.example/{z}/{x}/{y}.png")', ["https://t.example/{z}/{x}/{y}.png"]),
        ('<a href="https://leafletjs.com">Leaflet</a>', []),  # a link is not a load
        ('<script src="/app/static/vendor/leaflet.js"></script>', []),
    ],
)
def test_external_resources_finds_loads_not_links(page, found):
    assert external_resources(page) == found


def test_bad_assets_mode_is_refused():
    with pytest.raises(ValueError, match="served"):
        MapOptions(assets="cdn")


# ---------------------------------------------------------------------------------------------
# Markers


def test_one_marker_per_venue_not_per_meeting():
    meetings = frame(*[{"venue": "Geneva"}] * 40, *[{"venue": "Astana"}] * 3, {"venue": "Tbilisi"})
    page = map_html(build_map(meetings, VENUES, MEDIATORS))
    assert markers_in(page) == 3
    marks = {m.venue: m for m in venue_markers(meetings, VENUES, MEDIATORS)}
    assert {v: m.count for v, m in marks.items()} == {"Geneva": 40, "Astana": 3, "Tbilisi": 1}
    assert marks["Geneva"].radius > marks["Astana"].radius > marks["Tbilisi"].radius


@pytest.mark.parametrize("column, value", [("mediator", ("Russia",)), ("year", 2024), ("level", "leaders")])
def test_filters_change_the_markers(dataset, column, value):
    f = {"mediator": Filters(mediators=value), "year": Filters(year_from=value), "level": Filters(levels=(value,))}[
        column
    ]
    shown = apply(dataset.meetings, f)
    assert 0 < len(shown) < len(dataset.meetings)
    page = map_html(build_map(shown, dataset.venues, dataset.mediators))
    assert markers_in(page) == shown["venue"].nunique()


def test_empty_meetings_give_an_empty_map(dataset):
    empty = dataset.meetings.iloc[0:0]
    page = map_html(build_map(empty, dataset.venues, dataset.mediators))
    assert markers_in(page) == 0
    assert legend_items(empty, dataset.mediators) == []
    assert legend_html([]) == ""


def test_colour_by_mediator_and_mixed_venues_show_every_colour():
    meetings = frame(
        {"venue": "Geneva", "mediators": "EU"},
        {"venue": "Astana", "mediators": "Russia"},
        {"venue": "Astana", "mediators": "EU"},  # Astana mixes two mediators
        {"venue": "Tbilisi", "mediators": "USA;France"},  # one meeting with two
    )
    colours = dict(zip(MEDIATORS["name"], MEDIATORS["colour"]))
    marks = {m.venue: m for m in venue_markers(meetings, VENUES, MEDIATORS)}
    assert marks["Geneva"].colours == (colours["EU"],)
    assert marks["Astana"].colours == (colours["Russia"], colours["EU"])  # vocabulary order, outer first
    assert marks["Tbilisi"].colours == (colours["France"], colours["USA"])
    labels = dict(zip(MEDIATORS["name"], MEDIATORS["label"]))
    assert legend_items(meetings, MEDIATORS) == [
        Swatch(labels[m], colours[m]) for m in ("Russia", "EU", "France", "USA")
    ]


def test_several_mediators_are_concentric_rings_only_the_outer_one_interactive():
    meetings = frame({"venue": "Astana", "mediators": "Russia"}, {"venue": "Astana", "mediators": "EU;none"})
    (mark,) = venue_markers(meetings, VENUES, MEDIATORS)
    outer, *rings = mark.circles()
    assert outer["className"] == MARKER_CLASS and "interactive" not in outer
    assert [r["className"] for r in rings] == [RING_CLASS, RING_CLASS] and all(r["interactive"] is False for r in rings)
    assert [c["radius"] for c in mark.circles()] == sorted((c["radius"] for c in mark.circles()), reverse=True)
    assert (
        rings[-1]["fillColor"] == "#ffffff" and rings[-1]["color"] == MEDIATORS.set_index("name").loc["none", "colour"]
    )
    page = map_html(build_map(meetings, VENUES, MEDIATORS))
    assert markers_in(page) == 1 and drawn_circles(page, RING_CLASS) == 2


def test_direct_talks_are_hollow_in_the_map_and_the_legend():
    meetings = frame({"venue": "Geneva", "mediators": "none"})
    (mark,) = venue_markers(meetings, VENUES, MEDIATORS)
    (outer,) = mark.circles()
    assert outer["fillColor"] == "#ffffff" and outer["weight"] >= 3
    assert legend_items(meetings, MEDIATORS) == [Swatch("none (direct talks)", mark.colour, True)]


def test_legend_lists_only_colours_drawn():
    meetings = frame({"venue": "Geneva", "mediators": "none"})
    assert [label for label, *_ in legend_items(meetings, MEDIATORS)] == ["none (direct talks)"]


def test_legend_html_is_escaped():
    out = legend_html([("<b>EU</b>", "#123456"), ("x", '"><script>alert(1)</script>')])
    assert "<b>EU</b>" not in out and "&lt;b&gt;EU&lt;/b&gt;" in out
    assert "<script>" not in out


def test_radius_grows_and_is_capped():
    sizes = [radius(n) for n in (1, 2, 5, 50)]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert radius(10_000) == radius(1_000_000) <= 32


def test_route_follows_dates_and_skips_repeats():
    meetings = frame(
        {"id": "c", "date": "2021-05-01", "venue": "Tbilisi"},
        {"id": "a", "date": "2020-01-01", "venue": "Geneva"},
        {"id": "b", "date": "2020-06-01", "venue": "Geneva"},
        {"id": "d", "date": "2022-01-01", "venue": "Astana"},
    )
    assert route_points(meetings, VENUES) == [(46.2, 6.14), (41.69, 44.83), (51.17, 71.45)]
    on = map_html(build_map(meetings, VENUES, MEDIATORS, MapOptions(route=True)))
    off = map_html(build_map(meetings, VENUES, MEDIATORS, MapOptions(route=False)))
    assert "meeting-route" in on and "meeting-route" not in off


# ---------------------------------------------------------------------------------------------
# Popups: everything escaped, evidence read from the article


@pytest.fixture()
def evil_article(tmp_path):
    text = (
        "Ministers met again this week. " + EVIL + " The venue was a lakeside hotel outside the city, "
        "officials said, and a further round is planned."
    )
    path = tmp_path / "evil.txt"
    path.write_text(text, encoding="utf-8")
    start = text.index("<img")
    end = text.index("</script>") + len("</script>")
    articles = pd.DataFrame([{"file": "evil.txt", "title": "Talks <b>resume</b> `now`", "path": str(path)}])
    return articles, f"evil.txt:{start}-{end}", text[start:end]


def test_popup_escapes_data_and_article_text(evil_article, tmp_path):
    articles, ref, quoted = evil_article
    meetings = frame({"participants": EVIL, "event": EVIL, "documents": "evil.txt", "evidence": ref})
    page = map_html(build_map(meetings, VENUES, MEDIATORS, evidence=EvidenceLookup(articles, corpus_dir=tmp_path)))
    body = page.split("</script>")  # the only real closing tags are folium's own
    assert all("<img src=x" not in part for part in body)
    assert "${alert" not in page and "`tick`" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown, as text
    assert "&#36;\\u007balert(2)\\u007d" in page  # "$" an entity; braces JSON-escaped (no template delimiter)
    assert "Talks &lt;b&gt;resume&lt;/b&gt; &#96;now&#96;" in page  # the title, escaped too
    assert page.count("&lt;/script&gt;") >= 2  # from the participants/event and from the quote


def test_popup_shows_reference_when_article_cannot_be_read(tmp_path):
    meetings = frame({"documents": "gone.txt", "evidence": "gone.txt:5-25"})
    page = map_html(build_map(meetings, VENUES, MEDIATORS, evidence=EvidenceLookup(None, corpus_dir=tmp_path)))
    assert "Evidence: <code>gone.txt:5-25</code>" in page


@pytest.mark.parametrize("ref", ["a.txt:0-10", "a.txt:5-9", "a.txt:0-999", "nope", "b.txt:0-4"])
def test_evidence_lookup(tmp_path, ref):
    (tmp_path / "a.txt").write_text("Line one.\nLine  two.", encoding="utf-8")
    ev = EvidenceLookup(None, corpus_dir=tmp_path)
    expected = {"a.txt:0-10": "Line one.", "a.txt:5-9": "one.", "a.txt:0-999": None, "nope": None, "b.txt:0-4": None}
    assert ev(ref) == expected[ref]


def test_popup_lists_at_most_a_dozen_meetings():
    meetings = frame(*[{"id": f"m{i:03d}", "date": f"{2000 + i % 20}-01-01"} for i in range(50)])
    page = map_html(build_map(meetings, VENUES, MEDIATORS))
    assert "38 earlier not listed" in page


def test_evidence_is_quoted_in_popups(dataset):
    ev = EvidenceLookup(dataset.articles, corpus_dir=dataset.data_dir / "articles")  # the articles' folder
    row = dataset.meetings.iloc[0]
    ref = row["evidence"].split(";")[0]
    quote = ev(ref)
    assert quote and quote.startswith("The presidents of Armenia and Azerbaijan sat down together in Vienna")
    page = map_html(build_map(dataset.meetings.iloc[:1], dataset.venues, dataset.mediators, evidence=ev))
    assert esc(quote[:60]) in page


# ---------------------------------------------------------------------------------------------
# Basemap and assets


def test_committed_basemap_is_small_valid_and_flat():
    text = basemap.basemap_text(str(basemap.BASEMAP))
    assert len(text.encode()) <= 2_000_000
    gj = json.loads(text)
    names = {f["properties"]["name"] for f in gj["features"]}
    assert {"Armenia", "Azerbaijan", "Russia", "United States of America"} <= names
    for f in gj["features"]:
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                assert ring[0] == ring[-1]
                # no jump across the antimeridian: a flat map would draw it across the world
                assert all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:])), f["properties"]["name"]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "basemap file not found"),
        ("{nope", "not valid GeoJSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_bad_basemap_is_named(tmp_path, content, message):
    path = tmp_path / "countries.geojson"
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataError, match=message) as info:
        basemap.basemap_text(str(path))
    assert "countries.geojson" in str(info.value) and "make_basemap.py" in str(info.value)


@pytest.fixture(scope="module")
def make_basemap():
    """scripts/make_basemap.py as a module (scripts/ is a folder of commands, not a package)."""
    spec = importlib.util.spec_from_file_location("make_basemap", ROOT / "scripts" / "make_basemap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_basemap_converts_topojson(tmp_path, make_basemap):
    # two quantized, delta-encoded arcs forming a square; the second is used reversed
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[0, 0], [0, 2], [2, 0]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, ~1]], "properties": {"name": "Squareland"}},
                    {"type": None, "properties": {"name": "Nowhere"}},
                ],
            }
        },
    }
    gj = make_basemap.convert(topo, digits=2)
    assert [f["properties"]["name"] for f in gj["features"]] == ["Squareland"]
    assert gj["features"][0]["geometry"]["coordinates"] == [[[[10, 20], [11, 20], [11, 21], [10, 21], [10, 20]]]]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(topo))
    out = tmp_path / "out.geojson"
    assert make_basemap.main([str(src), "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == gj
    (tmp_path / "bad.json").write_text("[]")
    assert make_basemap.main([str(tmp_path / "bad.json"), "--out", str(out)]) == 2


def test_unwrap_crossing_ring_and_drop_polar_ring(make_basemap):
    crossing = [[179.0, 65.0], [-179.0, 65.0], [-179.0, 66.0], [179.0, 66.0], [179.0, 65.0]]
    assert make_basemap.unwrap(crossing) == [[179.0, 65.0], [181.0, 65.0], [181.0, 66.0], [179.0, 66.0], [179.0, 65.0]]
    polar = [[-180.0, -90.0], [0.0, -80.0], [179.0, -85.0], [-180.0, -90.0]]
    assert make_basemap.unwrap(polar) == []


def test_ensure_static_copies_each_asset_once(tmp_path):
    vendor = assets.ensure_static(tmp_path / "vendor")
    names = sorted(p.name for p in vendor.iterdir())
    assert names == sorted(a.name for a in assets.ALL)
    before = {p.name: p.stat().st_mtime_ns for p in vendor.iterdir()}
    assets.ensure_static(vendor)
    assert {p.name: p.stat().st_mtime_ns for p in vendor.iterdir()} == before
    (vendor / "leaflet.js").write_text("truncated")
    assets.ensure_static(vendor)
    assert (vendor / "leaflet.js").read_bytes() == assets.LEAFLET_JS.source.read_bytes()
    assert re.search(r"^[\d.]+$", assets.LEAFLET_VERSION)


@pytest.mark.parametrize(
    "lats, lons, zoom",
    [
        ([], [], 3),  # no venue: the map's starting zoom
        ([46.2], [6.14], 5),  # one venue
        ([46.2, 46.2], [6.14, 6.14], 6),  # one place twice: as close as fit goes
        ([38.9, 59.9], [-77.0, 76.9], 4),  # Washington to Almaty on a 1920 px slide: zoom 3 or less in fact
        ([40.7, 38.9], [-74.0, -77.0], 6),  # New York and Washington
        ([-40.0, 60.0], [-170.0, 170.0], 2),  # nearly the whole world
    ],
)
def test_slide_zoom_bound(lats, lons, zoom):
    """The zoom the slide's basemap is simplified for: never below the zoom Leaflet fits the
    slide to (checked in Chromium for the seed filters at both sizes while it was written)."""
    assert slide_zoom_bound(lats, lons) == zoom
