"""The real thing: `streamlit run app.py` on 127.0.0.1, opened in Debian Chromium (Playwright).

Markers are counted in the map's iframe, the mediator filter is changed through the sidebar, a
screenshot is saved to tests/artifacts/, and no request may leave 127.0.0.1.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geo.core.paths import DATA, ROOT
from geo.core.schema import load_dataset
from geo.present.browser import chromium_path
from geo.present.devserver import ServerDidNotStart, serve
from geo.present.filters import Filters, apply

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a streamlit server process and Chromium

ARTIFACTS = Path(__file__).parent / "artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DS = load_dataset(DATA)
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@contextmanager
def _app_server(log_name: str) -> Iterator[str]:
    """A new ``streamlit run app.py`` on the real data (skips without Chromium)."""
    if chromium_path() is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")
    try:
        with serve(ROOT / "app.py", DATA, ARTIFACTS / log_name) as url:
            yield url
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def server():
    with _app_server("streamlit.log") as url:
        yield url


@pytest.fixture
def fresh_server():
    """A server no test has visited yet."""
    with _app_server("streamlit-fresh.log") as url:
        yield url


def _count_when_settled(frame, expected: int, timeout: float = 30) -> int:
    """Marker count once it equals ``expected`` (or whatever it is at the timeout)."""
    deadline = time.time() + timeout
    n = -1
    while time.time() < deadline:
        n = frame.locator(".venue-marker").count()
        if n == expected:
            return n
        time.sleep(0.2)
    return n


def test_bookmarked_page_on_a_fresh_server(fresh_server, browser):
    """A bookmarked link is the first request a new server gets: the page comes up with the
    shared sidebar and the filters of the link (its own server, so no other test ran before)."""
    n = len(apply(DS.meetings, Filters(mediators=("Russia",))))
    with browser.new_page(viewport={"width": 1200, "height": 900}) as page:  # the session's Chromium
        page.goto(fresh_server + "/timeline?mediator=Russia")
        page.get_by_text("Meetings over time").first.wait_for(timeout=60_000)
        page.get_by_text(f"{n} meetings at").first.wait_for(timeout=30_000)
        page.get_by_test_id("stSidebar").get_by_text("Russia").first.wait_for(timeout=30_000)
        assert "/timeline" in page.url and "mediator=Russia" in page.url


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/", "Where the talks took place"),
        ("/timeline", "Meetings over time"),
        ("/venues", "Venues"),
        ("/sources", "Sources"),
        ("/briefing", "Briefing"),
    ],
)
def test_every_page_answers_at_its_path(server, browser, path, heading):
    with browser.new_page(viewport={"width": 1200, "height": 900}) as page:
        page.goto(server + path + "?mediator=EU")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        assert urlparse(page.url).path == path and "mediator=EU" in page.url


def test_markers_filter_and_no_outside_requests(server, browser):
    everything = DS.meetings["venue"].nunique()
    russia = apply(DS.meetings, Filters(mediators=("Russia",)))["venue"].nunique()
    assert 0 < russia < everything
    requests: list[str] = []
    with browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True) as context:
        context.on("request", lambda r: requests.append(r.url))  # every frame, every worker
        page = context.new_page()
        page.goto(server + "/")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".venue-marker").first.wait_for(state="attached", timeout=60_000)
        assert _count_when_settled(frame, everything) == everything

        # change the mediator filter the way an analyst does: the sidebar multiselect
        box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        box.click()
        page.keyboard.type("Russia")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        assert _count_when_settled(frame, russia) == russia
        page.wait_for_function("() => location.search.includes('mediator=Russia')", timeout=10_000)

        # the export is the filtered meetings (made on click)
        with page.expect_download() as info:
            page.get_by_test_id("stSidebar").get_by_role("button", name="CSV").click()
        lines = Path(info.value.path()).read_text(encoding="utf-8").strip().splitlines()
        assert len(lines) - 1 == len(apply(DS.meetings, Filters(mediators=("Russia",))))
        assert lines[0].startswith("id,date,date_precision,venue")

        page.wait_for_timeout(800)  # let the basemap finish drawing
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map_russia.png"), full_page=True)

        # a page link keeps the filters; the map comes back with them
        page.get_by_test_id("stSidebar").get_by_text("Timeline", exact=True).click()
        page.wait_for_function("() => location.pathname.endsWith('/timeline')", timeout=10_000)
        assert "mediator=Russia" in page.url
        page.get_by_test_id("stSidebar").get_by_text("Map", exact=True).click()
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".venue-marker").first.wait_for(state="attached", timeout=60_000)
        assert _count_when_settled(frame, russia) == russia

    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert requests and hosts == {"127.0.0.1"}, sorted(u for u in requests if urlparse(u).hostname != "127.0.0.1")


def test_url_link_reproduces_the_view(server, browser):
    params = "?mediator=none&from=2024&level=leaders"
    expected = apply(DS.meetings, Filters(mediators=("none",), year_from=2024, levels=("leaders",)))["venue"].nunique()
    assert expected > 0
    with browser.new_page(viewport={"width": 1200, "height": 900}) as page:
        page.goto(server + "/" + params)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".venue-marker").first.wait_for(state="attached", timeout=60_000)
        assert _count_when_settled(frame, expected) == expected
        # a popup opens on click and shows escaped meeting details (the map in view first: the time
        # control above it puts the map's lower half below the fold, and a click that scrolls misses)
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        frame.locator(".venue-marker").first.click(force=True)
        popup = frame.locator(".venue-popup")
        popup.wait_for(timeout=10_000)
        assert "Mediators:" in popup.inner_text()
        page.wait_for_timeout(700)  # popup fade-in and auto-pan
        page.screenshot(path=str(ARTIFACTS / "map_popup.png"))


def test_briefing_preview_is_sandboxed_and_still_draws_the_map(server, browser):
    """The slide runs in a frame without the app's origin (sandbox="allow-scripts"): its scripts
    still draw the map, but window.origin is opaque ("null") for the slide and its map."""
    russia = apply(DS.meetings, Filters(mediators=("Russia",)))["venue"].nunique()
    with browser.new_page(viewport={"width": 1400, "height": 1000}) as page:  # the session's Chromium
        page.goto(server + "/briefing?mediator=Russia")
        page.get_by_role("heading", name="Briefing").first.wait_for(timeout=60_000)
        deadline, drawn = time.time() + 30, []
        while time.time() < deadline and not drawn:
            drawn = [
                f
                for f in page.frames
                if f.evaluate("() => document.querySelectorAll('.venue-marker, path.leaflet-interactive').length")
                == russia
            ]
            time.sleep(0.3)
        assert drawn, "the slide's map drew no markers in the sandboxed frame"
        assert drawn[0].evaluate("() => window.origin") == "null"
        assert drawn[0].parent_frame.evaluate("() => window.origin") == "null"  # the slide itself
        page.screenshot(path=str(ARTIFACTS / "briefing_preview.png"), full_page=True)


@pytest.mark.parametrize("width, height", [(1280, 720), (1600, 1000)])
def test_map_page_is_ready_for_a_screenshot(server, browser, width, height):
    """The legend and the title line are drawn inside the map, and at 1280x720 the legend is in
    the window without scrolling; venues are labelled with their dates; markers have accessible
    names."""
    with browser.new_context(viewport={"width": width, "height": height}) as context:
        page = context.new_page()
        page.goto(server + "/")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-container[data-decorated=page]").wait_for(state="attached", timeout=60_000)
        legend = frame.locator(".talks-legend-box")
        box = legend.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
        map_box = page.locator(MAP_FRAME).bounding_box()
        assert map_box["x"] <= box["x"] and box["x"] + box["width"] <= map_box["x"] + map_box["width"]
        assert "Russia" in legend.inner_text()
        assert frame.locator(".talks-title b").inner_text().startswith("Armenia–Azerbaijan talks")
        assert frame.locator(".venue-label .venue-when").count() >= 1
        names = frame.locator(".venue-marker").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        assert names and all(n and " meeting" in n for n in names)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"map_{width}x{height}.png"))


def test_failed_online_tiles_are_said_on_the_map(server, browser):
    """Tiles are blocked here (offline): turning them on shows a notice on the map instead of a
    blank map, and the offline outlines fill the land again."""
    with browser.new_context(viewport={"width": 1280, "height": 720}) as context:
        context.route("**/*", lambda r: r.abort() if urlparse(r.request.url).hostname != "127.0.0.1" else r.continue_())
        page = context.new_page()
        page.goto(server + "/")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".venue-marker").first.wait_for(state="attached", timeout=60_000)
        assert frame.locator(".talks-notice").count() == 0
        page.get_by_text("Online tiles", exact=True).click()
        # the map's frame is replaced when the toggle changes: wait for the new one's notice
        notice = page.locator(MAP_FRAME).last.content_frame.locator(".talks-notice")
        notice.wait_for(state="visible", timeout=60_000)
        assert "could not be loaded" in notice.inner_text()
        box = notice.bounding_box()
        assert box and box["y"] + box["height"] <= 720
