"""No text from an article or a data file is ever evaluated as template code (issue: folium/branca
compile rendered scripts as Jinja templates, so ``{{ ... }}`` in a popup ran on the server).

Every text field that can reach a picture carries each payload; every output — the map as the
app serves it (through st_folium), the self-contained map, the briefing HTML, the exports, every
app page, and the PNG in Chromium — must show the text literally, evaluate nothing and not crash.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import uuid
from datetime import date
from pathlib import Path

import pytest

from geo.core import atomic, paths
from geo.core.provenance import Given, Provenance, encode
from geo.core.schema import ARTICLES, MEDIATORS, MEETINGS, VENUES, load_dataset
from geo.present import assets
from geo.present.basemap import pixel_degrees
from geo.present.brief import SIZES, compose, page_html
from geo.present.export import meetings_csv, meetings_geojson
from geo.present.filters import Filters
from geo.present.mapview import (
    FIT_MAX_ZOOM,
    EvidenceLookup,
    MapOptions,
    _outlines_literal,
    build_map,
    legend_html,
    legend_items,
    map_html,
)
from geo.present.markup import RawElement, SafeMacroElement, script_json, script_safe

CANARY = "canary-" + uuid.uuid4().hex
PAYLOADS = [
    "{{ 7*191 }}",
    "{% if true %}x{% endif %}",
    "{{",
    "{#",
    "}}%",
    "{{ lipsum.__globals__['os'].environ['TALKS_ATLAS_CANARY'] }}",
    "{{ cycler.__init__.__globals__.os.getpid() }}",
    "{%- raw %}{{ 1 }}{% endraw %}",
]
# Pages that inline a megabyte of libraries (the self-contained map, the slide) cost ten times a
# served map: the fast loop (-m "not slow") takes these three payloads there, the full suite all.
FAST_PAYLOADS = (
    "{{ 7*191 }}",
    "{% if true %}x{% endif %}",
    "{{ lipsum.__globals__['os'].environ['TALKS_ATLAS_CANARY'] }}",
)
HEAVY_PAYLOADS = [p if p in FAST_PAYLOADS else pytest.param(p, marks=pytest.mark.slow) for p in PAYLOADS]
# Where each field is shown (and so where its text must appear, literally).
FIELDS = [
    "venue",
    "venue_detail",
    "event",
    "participants",
    "mediator_label",
    "article_title",
    "source",
    "evidence",
    "slide_title",
    "note",  # an analyst's note, name and source URL (curation.csv, published as provenance)
    "analyst",
    "source_url",
]
ARTICLE = "wire.txt"


@pytest.fixture(autouse=True)
def canary(monkeypatch):
    monkeypatch.setenv("TALKS_ATLAS_CANARY", CANARY)


def hostile_data(folder: Path, field: str, payload: str) -> Path:
    """A minimal data folder (one venue, one meeting, one article) with ``payload`` in ``field``."""
    said = payload if field == "evidence" else "Talks went on."
    text = f"title: Ministers meet\n\nThe ministers met in Geneva. {said} End.\n"
    (folder / "corpus").mkdir()
    (folder / "corpus" / ARTICLE).write_text(text, encoding="utf-8")
    start = text.index("The ministers")
    end = text.index(" End.")
    venue = f"Geneva {payload}" if field == "venue" else "Geneva"
    atomic.write_csv(
        folder / VENUES.name,
        VENUES.names,
        [
            {
                "venue": venue,
                "country": "CH",
                "lat": 46.2,
                "lon": 6.14,
                "geonames_id": 2660646,
                "precision": "city",
                "resolved_by": "gazetteer",
                "mentions": 1,
                "documents": ARTICLE,
            }
        ],
    )
    atomic.write_csv(
        folder / MEDIATORS.name,
        MEDIATORS.names,
        [
            {
                "name": "Swiss",
                "label": f"Switzerland {payload}" if field == "mediator_label" else "Switzerland",
                "colour": "#0072b2",
                "aliases": "Swiss",
            },
            {"name": "none", "label": "none (direct talks)", "colour": "#9e9e9e", "aliases": ""},
        ],
    )
    atomic.write_csv(
        folder / MEETINGS.name,
        MEETINGS.names,
        [
            {
                "id": "m-1",
                "date": "2023-05-04",
                "date_precision": "day",
                "venue": venue,
                "venue_detail": f"Palais {payload}" if field == "venue_detail" else "",
                "mediators": "Swiss",
                "host": "CH",
                "level": "foreign ministers",
                "format": "trilateral",
                "participants": f"Mirzoyan;Bayramov;X {payload}" if field == "participants" else "Mirzoyan;Bayramov",
                "event": f"Talks {payload}" if field == "event" else "",
                "status": "held",
                "documents": ARTICLE,
                "evidence": f"{ARTICLE}:{start}-{end}",
                "confidence": "0.9",
                "notes": "",
                "provenance": encode(hostile_provenance(field, payload)),
            }
        ],
    )
    atomic.write_csv(
        folder / ARTICLES.name,
        ARTICLES.names,
        [
            {
                "file": ARTICLE,
                "title": f"Ministers meet {payload}" if field == "article_title" else "Ministers meet",
                "date": "2023-05-04",
                "date_source": "header",
                "source": f"https://example.org/a?{payload}" if field == "source" else "https://example.org/a",
                "path": str(folder / "corpus" / ARTICLE),
                "chars": len(text),
            }
        ],
    )
    return folder


def hostile_provenance(field: str, payload: str) -> Provenance:
    """The date given by an analyst whose name, note or source URL carries ``payload``."""
    given = Given(
        analyst=f"Ani {payload}" if field == "analyst" else "Ani",
        time="2026-11-23T19:45:00Z",
        note=f"Note {payload}" if field == "note" else "general knowledge",
        source_url=f"https://example.org/n?{payload}" if field == "source_url" else "https://example.org/n",
    )
    return Provenance(reviewed=(given,), fields=(("date", given),))


@functools.cache
def library_blobs() -> tuple[str, ...]:
    """Leaflet, jQuery, their CSS and the basemap as a page inlines them, and as they read once
    the map is escaped into a slide's srcdoc: a megabyte of constant, trusted text."""
    raw = [script_safe(assets.text(a)) for a in assets.ALL]
    # the basemap as a map inlines it: as it is, and simplified for a slide at each zoom
    raw += [_outlines_literal(None)] + [_outlines_literal(pixel_degrees(zoom)) for zoom in range(FIT_MAX_ZOOM + 1)]
    return tuple(sorted(raw + [html.escape(r, quote=True) for r in raw], key=len, reverse=True))


@functools.lru_cache(maxsize=4)  # a page is checked for the canary, then for the text it shows
def decoded(page: str, rounds: int = 3) -> str:
    """The text a reader would see: JSON \\u escapes and HTML entities undone (several layers:
    popup HTML inside JSON inside a srcdoc attribute). Exact copies of the inlined libraries are
    cut first: no data can be inside them, and decoding them is most of these tests' time."""
    for blob in library_blobs():
        page = page.replace(blob, "")
    for _ in range(rounds):
        page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
        page = html.unescape(page)
    return page


def assert_nothing_evaluated(page: str) -> None:
    assert CANARY not in page, "a template payload read the environment"
    assert CANARY not in decoded(page)


def expected_text(field: str, payload: str) -> str:
    return {
        "venue": f"Geneva {payload}",
        "venue_detail": f"Palais {payload}",
        "event": f"Talks {payload}",
        "participants": f"X {payload}",
        "mediator_label": f"Switzerland {payload}",
        "article_title": f"Ministers meet {payload}",
        "evidence": payload,
        "note": f"Note {payload}",
        "analyst": f"Ani {payload}",
        "source_url": f"https://example.org/n?{payload}",
    }.get(field, payload)


# Fields the map popups, tooltips and legend show (the source URL and the slide title are not on the map).
ON_MAP = ["venue", "venue_detail", "event", "participants", "mediator_label", "article_title", "evidence"]
ON_MAP += ["note", "analyst", "source_url"]  # the popup's provenance


@pytest.mark.parametrize("payload", HEAVY_PAYLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_self_contained_map_shows_untrusted_text_literally(tmp_path, field, payload):
    check_map(tmp_path, field, payload, "inline")


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_served_map_shows_untrusted_text_literally(tmp_path, field, payload):
    check_map(tmp_path, field, payload, "served")


def check_map(tmp_path, field, payload, assets):
    ds = load_dataset(hostile_data(tmp_path, field, payload))
    m = build_map(
        ds.meetings,
        ds.venues,
        ds.mediators,
        MapOptions(assets=assets, route=True),
        evidence=EvidenceLookup(ds.articles, ds.data_dir / "corpus"),
    )
    page = map_html(m)
    assert_nothing_evaluated(page)
    if field in ON_MAP:
        assert expected_text(field, payload) in decoded(page)
    for delimiter in ("{{", "{%", "{#"):  # no template delimiter from the data reaches the page source
        assert delimiter not in page.split("var group = L.featureGroup();", 1)[-1].split("group.addTo(map)")[0]


def decor_config(page: str) -> dict:
    """What the map's decoration script (labels, legend, title, route, countries) is given."""
    found = re.search(r"TalksMap\.decorate\(\w+, (\{.*?\}), \w+\);\n", page)
    assert found, "no decoration script"
    return json.loads(found.group(1))


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("mode", ["page", "slide"])
def test_labels_legend_and_title_inside_the_map_keep_untrusted_text_literally(tmp_path, mode, payload):
    """The venue labels, the route badges' venues, the legend drawn inside the map and the map's
    title line: data as JSON (no template delimiter in the page source), the legend as escaped HTML."""
    folder = tmp_path / "venue"
    folder.mkdir()
    ds = load_dataset(hostile_data(folder, "venue", payload))
    folder = tmp_path / "label"
    folder.mkdir()
    labelled = load_dataset(hostile_data(folder, "mediator_label", payload))
    options = MapOptions(mode=mode, route=True, title=f"Title {payload}", subtitle=f"Sub {payload}")
    page = map_html(build_map(ds.meetings, ds.venues, labelled.mediators, options))
    assert_nothing_evaluated(page)
    script = page.split("TalksMap.decorate(", 1)[1].split(");\n", 1)[0]
    for delimiter in ("{{", "{%", "{#"):
        assert delimiter not in script
    config = decor_config(page)
    assert [x["name"] for x in config["labels"]] == [f"Geneva {payload}"]
    if mode == "page":
        assert (config["title"], config["subtitle"]) == (f"Title {payload}", f"Sub {payload}")
        assert f"Switzerland {payload}" in html.unescape(config["legend"])
        assert "<script" not in config["legend"]


@pytest.mark.parametrize("payload", ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>"])
def test_legend_inside_the_map_escapes_markup(tmp_path, payload):
    ds = load_dataset(hostile_data(tmp_path, "mediator_label", payload))
    page = map_html(build_map(ds.meetings, ds.venues, ds.mediators))
    legend = decor_config(page)["legend"]
    assert "<img" not in legend and "<script" not in legend and f"Switzerland {payload}" in html.unescape(legend)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_map_through_st_folium_shows_untrusted_text_literally(tmp_path, field, payload):
    """What the app hands the browser: streamlit-folium renders the figure and re-reads each
    element's script macro."""
    from streamlit_folium import _get_header, _get_map_string

    ds = load_dataset(hostile_data(tmp_path, field, payload))
    evidence = EvidenceLookup(ds.articles, ds.data_dir / "corpus")
    m = build_map(ds.meetings, ds.venues, ds.mediators, MapOptions(), evidence=evidence)
    m.get_root().render()
    m.render()
    script = _get_map_string(m) + _get_header(m)
    assert_nothing_evaluated(script)
    if field in ON_MAP:
        assert expected_text(field, payload) in decoded(script)


@pytest.mark.parametrize("payload", HEAVY_PAYLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_briefing_html_shows_untrusted_text_literally(tmp_path, field, payload):
    ds = load_dataset(hostile_data(tmp_path, field, payload))
    title = f"Slide {payload}" if field == "slide_title" else None
    brief = compose(ds, Filters(), title, as_of=date(2026, 11, 23))
    for size in SIZES.values():
        page = page_html(brief, size)
        assert_nothing_evaluated(page)
        if field in ("venue", "mediator_label", "article_title", "slide_title"):  # label, legend, footer, title
            assert (expected_text(field, payload) if field != "slide_title" else f"Slide {payload}") in decoded(page)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "field",
    [
        "venue",
        "venue_detail",
        "event",
        "participants",
        "mediator_label",
        "article_title",
        "note",
        "analyst",
        "source_url",
    ],
)
def test_exports_and_legend_keep_untrusted_text_literally(tmp_path, field, payload):
    ds = load_dataset(hostile_data(tmp_path, field, payload))
    evidence = EvidenceLookup(ds.articles, ds.data_dir / "corpus")
    csv_text = meetings_csv(ds.meetings, evidence, ds.articles)
    geojson = meetings_geojson(ds.meetings, ds.venues, ds.mediators, evidence, ds.articles)
    legend = legend_html(legend_items(ds.meetings, ds.mediators))
    for out in (csv_text, geojson, legend):
        assert_nothing_evaluated(out)
    props = json.loads(geojson)["features"][0]["properties"]
    flat = json.dumps(props, ensure_ascii=False)
    if field != "mediator_label":
        assert expected_text(field, payload) in flat or expected_text(field, payload) in json.loads(flat).values()
        assert expected_text(field, payload) in csv_text.replace('""', '"')
    else:
        assert expected_text(field, payload) in props["mediator_labels"]
        assert expected_text(field, payload) in decoded(legend)


# --- the building blocks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", PAYLOADS + ["</script><script>alert(1)</script>", "</SCRIPT >", "<!-- x", "a & b < c > d", "é ü ж 🙂"]
)
def test_script_json_round_trips_and_has_no_delimiter(text):
    out = script_json({"t": text, "n": [1, 2.5], "nested": {"t": text}})
    assert json.loads(out) == {"t": text, "n": [1, 2.5], "nested": {"t": text}}
    for bad in ("{{", "{%", "{#", "</script", "<!--"):
        assert bad not in out.replace('{"t"', "").replace('"nested": {', "")


def test_raw_element_is_never_compiled():
    import folium

    m = folium.Map(tiles=None)
    m.get_root().header.add_child(RawElement("<!-- {{ 7*191 }} {% if %} -->"))
    page = m.get_root().render()
    assert "{{ 7*191 }} {% if %}" in page and "1337" not in page


def test_safe_macro_element_renders_its_attributes_as_data():
    import folium
    from jinja2 import Template

    class Probe(SafeMacroElement):
        _template = Template("{% macro script(this, kwargs) %}var x = {{ this.text|tojson }};{% endmacro %}")

        def __init__(self, text):
            super().__init__()
            self.text = text

    m = folium.Map(tiles=None)
    m.add_child(Probe("{{ 7*191 }}"))
    page = m.get_root().render()
    assert '"{{ 7*191 }}"' in page and "1337" not in page


def test_every_element_of_ours_is_safe():
    """A review aid that cannot rot: every branca element class defined in geo/ derives from
    SafeMacroElement or is a RawElement."""
    import importlib
    import inspect
    import pkgutil

    import branca.element

    import geo

    unsafe = []
    for info in pkgutil.walk_packages(geo.__path__, "geo."):
        if info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        for name, obj in vars(mod).items():
            if (
                inspect.isclass(obj)
                and obj.__module__ == mod.__name__
                and issubclass(obj, branca.element.Element)
                and not issubclass(obj, (SafeMacroElement, RawElement))
            ):
                unsafe.append(f"{mod.__name__}.{name}")
    assert unsafe == []


# --- the app --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "payload", ["{{ 7*191 }}", "{{", "{{ lipsum.__globals__['os'].environ['TALKS_ATLAS_CANARY'] }}"]
)
@pytest.mark.parametrize(
    "field",
    ["venue", "event", "mediator_label", "article_title", "source", "evidence", "note", "analyst", "source_url"],
)
def test_every_app_page_shows_untrusted_text_literally(tmp_path, monkeypatch, field, payload):
    from streamlit.testing.v1 import AppTest

    folder = hostile_data(tmp_path, field, payload)
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(folder))
    monkeypatch.setattr(paths, "DEFAULT_CORPUS", folder / "corpus")
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    pages = [f"app_pages/{name}.py" for name in ("map", "timeline", "venues", "sources", "briefing", "meetings")]
    for page in pages:
        at.switch_page(page)
        at.run()
        assert not at.exception, page
        seen = json.dumps([str(e.proto) for e in at.main] + [str(e.proto) for e in at.sidebar])
        assert CANARY not in seen, page
        for comp in at.get("component_instance"):
            assert_nothing_evaluated(comp.proto.json_args)
        if page == "app_pages/map.py" and field in ON_MAP:
            comp = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")][0]
            args = json.loads(comp.proto.json_args)  # the map and the venue layer swapped into it
            assert expected_text(field, payload) in decoded(args["script"] + (args.get("feature_group") or ""))


@pytest.mark.browser
def test_png_shows_untrusted_text_literally(tmp_path, browser):
    from geo.present.render import capture

    payload = "{{ 7*191 }} {% if true %}x{% endif %}"
    ds = load_dataset(hostile_data(tmp_path, "venue", payload))
    brief = compose(ds, Filters(), f"Slide {payload}", as_of=date(2026, 11, 23))
    shot = capture(page_html(brief, SIZES["1280x720"]), SIZES["1280x720"], browser=browser)
    assert shot.labels == (f"Geneva {payload}",)
    assert f"Slide {payload}" in shot.text
    assert shot.errors == () and shot.blocked == ()
    assert os.environ["TALKS_ATLAS_CANARY"] not in shot.text
