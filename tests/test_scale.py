"""Every page at 100,000 meetings (400 venues), synthetic tables published as a build publishes
them (CSV + Parquet copies): the pages draw without an exception, the timeline counts per month
instead of drawing 100,000 marks, the tables stay bounded, and in Chromium the map's markers
follow a filter change. Timings are benchmarks (bench/bench_scale.py), never asserted here."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest
from meeting_rows import drawn_circles
from streamlit.testing.v1 import AppTest

from geo.core import columnar
from geo.core.paths import ROOT
from geo.core.schema import load_dataset
from geo.present.filters import Filters, apply
from geo.present.meetings_table import MAX_ROWS
from geo.present.timeline import MAX_POINTS

pytestmark = pytest.mark.slow
APP = str(ROOT / "app.py")
N_MEETINGS, N_VENUES = 100_000, 400
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _generator():
    spec = importlib.util.spec_from_file_location("gen_meetings", ROOT / "bench" / "gen_meetings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """100,000 synthetic meetings at 400 venues (bench/gen_meetings.py), with their Parquet copies."""
    folder = tmp_path_factory.mktemp("big") / "data"
    _generator().generate(N_MEETINGS, N_VENUES, folder)
    return folder


@pytest.fixture()
def app(big, monkeypatch):
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(big))

    def run(page: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        return at

    return run


def test_the_generator_publishes_parquet_copies_the_loader_reads(big):
    for table in columnar.columnar_tables():
        assert (big / columnar.parquet_name(table)).is_file()
    ds = load_dataset(big, copies=True)
    assert len(ds.meetings) == N_MEETINGS and not ds.fresh_copies


def test_map_page_swaps_a_layer_of_every_venue(app):
    at = app()
    (comp,) = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    args = json.loads(comp.proto.json_args)
    assert "venue-marker" not in args["script"]  # the map itself has no markers...
    assert drawn_circles(args["feature_group"], "venue-marker") == N_VENUES  # ...its layer has them
    # ...and the decor that follows the filters: labels, legend and title line, drawn when it joins the map
    assert "TalksMap.decorateGroup(" in args["feature_group"] and "TalksMap.decorate(" not in args["script"]
    assert not at.exception


def test_timeline_counts_per_month(app):
    at = app("app_pages/timeline.py")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    over_time, per_year = (json.loads(c.proto.spec) for c in charts)
    assert "per month" in json.dumps(over_time["title"]) and over_time["encoding"]["size"]["field"] == "meetings"
    assert per_year["encoding"]["y"]["field"] == "meetings"
    assert N_MEETINGS > MAX_POINTS
    assert not at.exception


def test_meetings_page_shows_a_bounded_table(app):
    at = app("app_pages/meetings.py")
    assert len(at.dataframe[0].value) == MAX_ROWS
    assert not at.exception


@pytest.mark.parametrize("page", ["app_pages/venues.py", "app_pages/sources.py", "app_pages/briefing.py"])
def test_other_pages_draw(app, page):
    at = app(page)
    assert not at.exception


@pytest.mark.browser
def test_markers_follow_a_filter_in_chromium(big, browser):
    from geo.present.devserver import serve

    ds = load_dataset(big)
    everything = ds.meetings["venue"].nunique()
    russia = apply(ds.meetings, Filters(mediators=("Russia",)))["venue"].nunique()
    log = ROOT / "tests" / "artifacts" / "streamlit-scale.log"
    with (
        serve(ROOT / "app.py", big, log, timeout=120) as url,
        browser.new_page(viewport={"width": 1400, "height": 950}) as page,
    ):
        page.goto(url + "/")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".venue-marker").first.wait_for(state="attached", timeout=180_000)
        assert settled(frame, ".venue-marker", everything) == everything
        frame.locator(".venue-marker").evaluate_all("els => els.forEach(e => e.setAttribute('data-old', '1'))")
        box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        box.click()
        page.keyboard.type("Russia")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        # a new layer: every marker replaced, the map itself not reloaded
        assert settled(frame, ".venue-marker:not([data-old])", russia, timeout=120) == russia
        # the decor came with the new layer, the old one's taken away: one legend, one title line naming Russia
        frame.locator(".leaflet-container[data-decorated='page']").wait_for(state="attached", timeout=60_000)
        assert frame.locator(".talks-legend-box").count() == 1
        assert "Russia" in frame.locator(".talks-title").inner_text()
        assert frame.locator(".talks-title").count() == 1
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "map_100k_russia.png"))


def settled(frame, selector: str, expected: int, timeout: float = 60) -> int:
    deadline = time.time() + timeout
    n = -1
    while time.time() < deadline:
        n = frame.locator(selector).count()
        if n == expected:
            return n
        time.sleep(0.2)
    return n
