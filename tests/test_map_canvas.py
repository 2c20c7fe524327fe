"""Above mapview.CANVAS_VENUES venues the markers are painted on one canvas: the same circles,
rings and colours as the SVG markers, a name for the canvas, and labels kept off the markers.
Here the threshold is lowered so three venues take the canvas path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from meeting_rows import frame, venue_layers

from geo.core.schema import load_mediators
from geo.present import mapview
from geo.present.mapview import MapOptions, build_map, canvas_name, map_html

MEDIATORS = load_mediators(Path(__file__).parent / "fixtures" / "data" / "mediators.csv")
VENUES = pd.DataFrame(
    [
        {"venue": "Geneva", "country": "CH", "lat": 46.2, "lon": 6.14},
        {"venue": "Sochi", "country": "RU", "lat": 43.6, "lon": 39.73},
        {"venue": "Almaty", "country": "KZ", "lat": 43.25, "lon": 76.92},
    ]
)
MEETINGS = frame(
    *[{"venue": "Geneva", "mediators": "EU"}] * 4,
    {"venue": "Geneva", "mediators": "Russia;USA"},
    {"venue": "Sochi", "mediators": "Russia"},
    {"venue": "Almaty", "mediators": "none"},
)


def page_of(canvas: bool, monkeypatch) -> str:
    monkeypatch.setattr(mapview, "CANVAS_VENUES", 2 if canvas else 500)
    return map_html(build_map(MEETINGS, VENUES, MEDIATORS, MapOptions(assets="inline")))


@pytest.mark.parametrize("canvas", [False, True])
def test_the_layer_says_how_it_is_drawn(canvas, monkeypatch):
    (layer,) = venue_layers(page_of(canvas, monkeypatch))
    assert layer["canvas"] is canvas and layer["canvas_name"] == canvas_name(3)
    assert [len(v[2]) for v in layer["venues"]] == [3, 1, 1]  # Geneva: EU, Russia, USA rings; largest first


STATE = """
() => {
  const map = window[Object.keys(window).find((k) => k.startsWith('map_') && window[k] instanceof L.Map)];
  const frame = map.getContainer().getBoundingClientRect();
  const centre = (v) => {
    const p = map.latLngToContainerPoint(v);
    return [Math.round(frame.left + p.x), Math.round(frame.top + p.y)];
  };
  const boxes = map._talksMarkerBoxes ? map._talksMarkerBoxes() : Array.from(
    document.querySelectorAll('.venue-marker')).map((el) => el.getBoundingClientRect());
  const labels = Array.from(document.querySelectorAll('.venue-label')).map((el) => el.getBoundingClientRect());
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const canvas = map.getContainer().querySelector('canvas');
  return {
    elements: document.querySelectorAll('.venue-marker, .venue-ring').length,
    canvas: canvas ? [canvas.getAttribute('role'), canvas.getAttribute('aria-label')] : null,
    drawn: map.getContainer().getAttribute('data-venues-drawn'),
    centres: [[46.2, 6.14], [43.6, 39.73], [43.25, 76.92]].map(centre),
    edges: [[46.2, 6.14], [43.6, 39.73], [43.25, 76.92]].map((v) => { const c = centre(v); return [c[0] + 4, c[1]]; }),
    labels: labels.length,
    covered: labels.filter((l) => boxes.some((b) => hit(l, b))).length,
  };
}
"""


def drawn_state(browser, page_source: str) -> tuple[dict, list, list]:
    """What the page drew, and the screenshot's colours at each venue's centre and 4 px right of it."""
    with browser.new_context(viewport={"width": 1000, "height": 700}) as context:
        context.route(
            "**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_()
        )
        page = context.new_page()
        page.set_content(page_source, wait_until="load")
        drawn = ".leaflet-container[data-decorated][data-venues-drawn]"
        page.wait_for_selector(drawn, state="attached", timeout=20_000)
        page.wait_for_timeout(1000)  # the view fitted (zoom animation over), labels placed again after it
        state = page.evaluate(STATE)
        shot = page.screenshot()
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(shot)).convert("RGB")
    centres, edges = ([image.getpixel(tuple(c)) for c in state[k]] for k in ("centres", "edges"))
    return state, centres, edges


@pytest.mark.browser
def test_canvas_paints_what_the_svg_markers_show(browser, monkeypatch):
    svg, svg_centres, svg_edges = drawn_state(browser, page_of(False, monkeypatch))
    canvas, canvas_centres, canvas_edges = drawn_state(browser, page_of(True, monkeypatch))
    assert svg["elements"] == 5 and svg["canvas"] is None  # 3 outer circles + 2 inner rings, each an element
    assert canvas["elements"] == 0 and canvas["canvas"] == ["img", canvas_name(3)]
    assert svg["drawn"] == canvas["drawn"] == "3"
    # the same colours at each venue's centre (innermost ring or the only circle) and near its edge
    for a, b in zip(svg_centres + svg_edges, canvas_centres + canvas_edges):
        assert max(abs(x - y) for x, y in zip(a, b)) <= 48, (svg_centres, canvas_centres, svg_edges, canvas_edges)
    colours = dict(zip(MEDIATORS["name"], MEDIATORS["colour"]))
    rgb = tuple(int(colours["Russia"][i : i + 2], 16) for i in (1, 3, 5))
    assert max(abs(x - y) for x, y in zip(canvas_centres[1], rgb)) <= 40  # Sochi: one Russia-mediated circle
    # labels placed, none over a marker, in both
    assert (svg["labels"], canvas["labels"], svg["covered"], canvas["covered"]) == (3, 3, 0, 0)
