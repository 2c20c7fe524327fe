"""Briefing pages to PNG in headless Debian Chromium (through geo.present.browser), offline.

The slide is loaded with every http(s) request blocked and recorded; the screenshot is taken
only once the map inside it has drawn its basemap and its venue markers, at device scale 1,
so a 1920x1080 slide gives a 1920x1080 picture.

``capture`` starts a Chromium for one call (the command line); ``Renderer`` keeps one warm for
many (the app keeps one per server process), started again when it died.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from geo.core.errors import TalksAtlasError
from geo.present.brief import Size
from geo.present.browser import launch, start

T = TypeVar("T")

TIMEOUT_MS = 20_000

# Run in the slide page: has the map iframe drawn its basemap (and, when expected, its markers)?
READY_JS = """
(expectMarkers) => {
  const frame = document.getElementById('brief-map');
  const doc = frame && frame.contentDocument;
  if (!doc || doc.readyState !== 'complete') return false;
  const basemap = doc.querySelectorAll(
    '.leaflet-map-pane path:not(.venue-marker), .leaflet-map-pane canvas, img.leaflet-tile-loaded').length;
  const markers = doc.querySelectorAll('.venue-marker').length;
  const moving = doc.querySelector('.leaflet-zoom-anim');  // mid zoom animation: scaled, misplaced
  return basemap > 0 && (!expectMarkers || markers > 0) && !moving;
}
"""

STATE_JS = """
() => {
  const frame = document.getElementById('brief-map');
  const doc = frame && frame.contentDocument;
  const q = (s) => doc ? doc.querySelectorAll(s).length : -1;
  return {
    basemap: q('.leaflet-map-pane path:not(.venue-marker), .leaflet-map-pane canvas, img.leaflet-tile-loaded'),
    markers: q('.venue-marker'),
    visible: doc ? Array.from(doc.querySelectorAll('.venue-marker')).filter((el) => {
      const r = el.getBoundingClientRect(), w = doc.documentElement.clientWidth, h = doc.documentElement.clientHeight;
      return r.width > 0 && r.right > 0 && r.bottom > 0 && r.left < w && r.top < h;
    }).length : 0,
    leaflet: !!(frame && frame.contentWindow && frame.contentWindow.L),
    labels: doc ? Array.from(doc.querySelectorAll('.venue-label'))
      .map((el) => (el.querySelector('.venue-name') || el).textContent) : [],
    cut: doc ? Array.from(doc.querySelectorAll('.venue-label')).filter((el) => {
      const r = el.getBoundingClientRect(), w = doc.documentElement.clientWidth, h = doc.documentElement.clientHeight;
      return r.left < 0 || r.top < 0 || r.right > w || r.bottom > h;
    }).length : 0,
    label_dates: doc ? Array.from(doc.querySelectorAll('.venue-label'))
      .map((el) => (el.querySelector('.venue-when') || {}).textContent || '') : [],
    clashes: (() => {  // label/label and label/marker overlaps
      if (!doc) return 0;
      const box = (el) => el.getBoundingClientRect();
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const labels = Array.from(doc.querySelectorAll('.venue-label')).map(box);
      const marks = Array.from(doc.querySelectorAll('.venue-marker')).map(box);
      let n = 0;
      labels.forEach((a, i) => {
        labels.slice(i + 1).forEach((b) => { if (hit(a, b)) n++; });
        marks.forEach((m) => { if (hit(a, m)) n++; });
      });
      return n;
    })(),
  };
}
"""

# Where each part of the slide ended up (CSS pixels), for layout checks: nothing overlaps or spills.
LAYOUT_JS = """
() => {
  const out = {};
  for (const [name, sel] of Object.entries({slide: '#slide', title: '#brief-title', subtitle: '#brief-subtitle',
      map: '.map', legend: 'aside', footer: '#brief-footer'})) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const r = el.getBoundingClientRect();
    out[name] = [r.left, r.top, r.right, r.bottom, el.scrollHeight > el.clientHeight + 1];
  }
  return out;
}
"""

SETTLE_JS = """
async () => {
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}
"""


class RenderError(TalksAtlasError):
    """Chromium could not produce the picture (the map never drew, the page broke)."""


@dataclass(frozen=True)
class Capture:
    png: bytes
    size: Size
    text: str  # the slide's visible text at the moment of capture
    markers: int  # venue markers drawn in the map
    visible: int  # of which inside the map's visible area (all of them, once the view has settled)
    labels: tuple[str, ...]  # venue names written on the map
    clashes: int  # venue labels overlapping another label or a marker
    blocked: tuple[str, ...]  # http(s) requests the page tried to make (all blocked)
    errors: tuple[str, ...]  # JavaScript errors raised in the page
    layout: tuple[tuple[str, Box], ...] = ()  # part name -> box, in page order
    label_dates: tuple[str, ...] = ()  # the dates under each venue label ('' for none), as labels
    cut: int = 0  # venue labels reaching past the map's edge

    def box(self, name: str) -> Box:
        return dict(self.layout)[name]


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    clipped: bool  # content taller than the box (cut off)

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def inside(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.right <= other.right
            and self.top >= other.top
            and self.bottom <= other.bottom
        )


@dataclass(frozen=True)
class Job:
    html: str
    size: Size
    expect_markers: bool = True
    inspect: bool = True  # read the slide's text, labels and layout (checks); off, only the picture (faster)


def capture(html: str, size: Size, expect_markers: bool = True, timeout_ms: int = TIMEOUT_MS, browser=None) -> Capture:
    """One slide to PNG."""
    return capture_all([Job(html, size, expect_markers)], timeout_ms, browser)[0]


def capture_all(jobs: Sequence[Job], timeout_ms: int = TIMEOUT_MS, browser=None) -> list[Capture]:
    """Several slides (e.g. both sizes) with one Chromium start; in ``browser`` when one is given
    (the tests share one per session), else in a Chromium started and closed here."""
    if browser is not None:
        return [_capture(browser, job, timeout_ms) for job in jobs]
    with launch() as own:
        return [_capture(own, job, timeout_ms) for job in jobs]


def _capture(browser, job: Job, timeout_ms: int) -> Capture:
    from playwright.sync_api import Error as PlaywrightError

    blocked: list[str] = []
    errors: list[str] = []

    def block(route):
        url = route.request.url
        if url.startswith(("http://", "https://")):
            blocked.append(url)
            route.abort()
        else:
            route.continue_()

    context = browser.new_context(viewport={"width": job.size.width, "height": job.size.height}, device_scale_factor=1)
    try:
        context.route("**/*", block)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_content(job.html, wait_until="load", timeout=timeout_ms)
        try:
            page.wait_for_function(READY_JS, arg=job.expect_markers, timeout=timeout_ms, polling=50)
        except PlaywrightError:
            state = page.evaluate(STATE_JS)
            detail = "; ".join(errors[:3]) or "no script error reported"
            raise RenderError(
                f"the map did not finish drawing within {timeout_ms / 1000:.0f} s "
                f"(basemap shapes: {state['basemap']}, venue markers: {state['markers']}, "
                f"Leaflet loaded: {state['leaflet']}; {detail})"
            ) from None
        page.evaluate(SETTLE_JS)
        if not job.inspect:
            png = page.screenshot(type="png", full_page=False, animations="disabled")
            return Capture(png, job.size, "", 0, 0, (), 0, tuple(blocked), tuple(errors))
        state = page.evaluate(STATE_JS)
        text = page.inner_text("#slide")
        layout = tuple((k, Box(*v)) for k, v in page.evaluate(LAYOUT_JS).items())
        png = page.screenshot(type="png", full_page=False, animations="disabled")
    finally:
        context.close()
    return Capture(
        png,
        job.size,
        text,
        int(state["markers"]),
        int(state["visible"]),
        tuple(state["labels"]),
        int(state["clashes"]),
        tuple(blocked),
        tuple(errors),
        layout,
        tuple(state["label_dates"]),
        int(state["cut"]),
    )


class Renderer:
    """One Chromium kept running for many pictures, safe to call from any thread.

    Playwright's sync API belongs to the thread that started it, so the browser lives in a worker
    thread of its own and every call is queued to it (one picture at a time). The browser starts
    on first use, with the same offline flags as ``launch``; when it has died (killed, crashed)
    it is started again and the work run once more."""

    def __init__(self, timeout_ms: int = TIMEOUT_MS):
        self.timeout_ms = timeout_ms
        self.launches = 0  # how many times a Chromium was started (tests, benchmarks)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="talks-atlas-chromium")
        self._playwright = None
        self._browser = None
        self._closed = threading.Event()

    def capture(self, html: str, size: Size, expect_markers: bool = True, inspect: bool = True) -> Capture:
        """One slide to PNG in the warm browser (``inspect=False``: the picture only, see Job)."""
        job = Job(html, size, expect_markers, inspect)
        return self.run(lambda browser: _capture(browser, job, self.timeout_ms))

    def run(self, work: Callable[..., T]) -> T:
        """``work(browser)`` in the browser's thread; its result (or its exception) here."""
        if self._closed.is_set():
            raise RenderError("the renderer was closed")
        return self._worker.submit(self._run, work).result()

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._worker.submit(self._stop).result()
            self._worker.shutdown()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- in the worker thread only --

    def _run(self, work: Callable[..., T]) -> T:
        from playwright.sync_api import Error as PlaywrightError

        browser = self._alive()
        try:
            return work(browser)
        except PlaywrightError:
            if browser.is_connected():
                raise  # the page's fault, not a dead browser
        return work(self._alive())  # the browser died under the work: once more in a new one

    def _alive(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self._stop()
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = start(self._playwright)
        except BaseException:
            self._stop()
            raise
        self.launches += 1
        return self._browser

    def _stop(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None and browser.is_connected():
            with contextlib.suppress(PlaywrightError):  # died between the check and the close: nothing to close
                browser.close()
        if playwright is not None:
            playwright.stop()
