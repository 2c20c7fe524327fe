"""Briefing pages to PNG in headless Debian Chromium (through geo.present.browser), offline.

The slide is loaded from a loopback URL the page's route answers from memory (SLIDE_URL: no
socket is opened), its map document likewise from MAP_URL (not inline in the frame's srcdoc,
which Chromium would parse twice), with every other http(s) request blocked and recorded; the screenshot is
taken in the first frame where the map inside it has drawn its basemap and its venue markers,
at device scale 1, so a 1920x1080 slide gives a 1920x1080 picture.

``capture`` starts a Chromium for one call (the command line); ``Renderer`` keeps one warm for
many (the app keeps one per server process), started again when it died, with a warm page per
picture size (``Slot``).
"""

from __future__ import annotations

import base64
import contextlib
import html as htmllib
import re
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

# READY_JS checked at every frame, then SETTLE_JS; true when both are done, false when READY_JS
# still fails after the time limit. Sent over CDP (Slot.wait), not Playwright's wait_for_function:
# that injects Playwright's script into every new slide document (~40 ms of CPU a picture).
WAIT_JS = """
new Promise((resolve, reject) => {
  const ready = %(ready)s, settle = %(settle)s, until = performance.now() + %(timeout_ms)d;
  const tick = () => {
    let done = false;
    try { done = ready(%(expect)s); } catch (e) { reject(e); return; }
    if (done) { settle().then(() => resolve(true), reject); }
    else if (performance.now() > until) { resolve(false); }
    else { requestAnimationFrame(tick); }
  };
  tick();
})
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
        return _capture_jobs(browser, jobs, timeout_ms)
    with launch() as own:
        return _capture_jobs(own, jobs, timeout_ms)


def _capture_jobs(browser, jobs: Sequence[Job], timeout_ms: int) -> list[Capture]:
    """The jobs in order, in one page per size, closed after."""
    slots: dict[Size, Slot] = {}
    try:
        out = []
        for job in jobs:
            if job.size not in slots:
                slots[job.size] = Slot(browser, job.size)
            out.append(_capture_in(slots[job.size], job, timeout_ms))
        return out
    finally:
        for slot in slots.values():
            slot.close()


SLIDE_URL = "http://127.0.0.1/talks-atlas/slide.html"  # never fetched: the route answers it from memory
MAP_URL = "http://127.0.0.1/talks-atlas/map.html"  # the slide's map document, answered the same way

# The slide's map frame with its document inline (brief.page_html: the downloaded file is self-contained).
MAP_FRAME = re.compile(r'(<iframe id="brief-map"[^>]*?) srcdoc="([^"]*)"')


def split_map(html: str) -> tuple[str, str]:
    """The slide with its map frame pointing at MAP_URL, and the map document it held in
    ``srcdoc`` (unescaped); a page without such a frame comes back as it is, with ''.

    In srcdoc, Chromium parses the 1.1 MB map document twice (as the slide's attribute, then as
    the frame's document): ~0.1 s of a picture. Served at its own URL it is parsed once."""
    found = MAP_FRAME.search(html)
    if found is None:
        return html, ""
    page = html[: found.start()] + found.group(1) + f' src="{MAP_URL}"' + html[found.end() :]
    return page, htmllib.unescape(found.group(2))


class Slot:
    """A page of one size, ready for slides: opened once and kept (the Renderer keeps one per
    size), so a picture pays neither a new context nor a new renderer process: the same warm
    process (its V8 isolate, its caches) draws every slide of that size. Each slide is a fresh document at
    SLIDE_URL, a loopback address the route answers from memory; every other http(s) request
    is blocked and recorded."""

    def __init__(self, browser, size: Size):
        self.size = size
        self.html = ""
        self.map_html = ""
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": size.width, "height": size.height}, device_scale_factor=1)
        try:
            self.context.route("**/*", self._route)
            self.page = self.context.new_page()
            self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
            self.cdp = self.context.new_cdp_session(self.page)  # for the screenshot (see screenshot)
        except BaseException:
            self.close()
            raise

    def _route(self, route) -> None:
        request = route.request
        if request.url == SLIDE_URL and request.is_navigation_request():
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
        elif request.url == MAP_URL and request.is_navigation_request() and self.map_html:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.map_html)
        elif request.url.startswith(("http://", "https://")):
            self.blocked.append(request.url)
            route.abort()
        else:
            route.continue_()

    def load(self, html: str, timeout_ms: int) -> None:
        """The slide at SLIDE_URL, its map document at MAP_URL (see split_map); both are answered
        until the next load (the map frame is requested after the slide's navigation commits)."""
        (self.html, self.map_html), self.blocked[:], self.errors[:] = split_map(html), [], []
        self.page.goto(SLIDE_URL, wait_until="commit", timeout=timeout_ms)  # READY_JS waits for the rest

    def wait(self, expect_markers: bool, timeout_ms: int) -> bool:
        """Until the map has drawn (READY_JS, checked at every frame: the picture follows the first
        frame that shows it) and settled (SETTLE_JS); False when it has not drawn in time."""
        expression = WAIT_JS % {
            "ready": READY_JS.strip(),
            "settle": SETTLE_JS.strip(),
            "timeout_ms": timeout_ms,
            "expect": "true" if expect_markers else "false",
        }
        done = self.cdp.send(
            "Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True}
        )
        if "exceptionDetails" in done:
            self.errors.append(str(done["exceptionDetails"].get("exception", {}).get("description", "")))
            return False
        return done["result"].get("value") is True

    def screenshot(self) -> bytes:
        """The viewport as PNG, straight from Chromium's compositor with its fast PNG encoder:
        the same pixels as Playwright's page.screenshot, ~40 % sooner (no style injection, no
        extra round trips, a bigger file that picture.png_with_text writes again anyway). The
        slide has nothing to animate (the map is drawn without animation) and no caret."""
        shot = self.cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
        return base64.b64decode(shot["data"])

    def close(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):  # the browser is gone: so is the context
            self.context.close()


def _capture_in(slot: Slot, job: Job, timeout_ms: int) -> Capture:
    from playwright.sync_api import Error as PlaywrightError

    page = slot.page
    slot.load(job.html, timeout_ms)
    try:
        ready = slot.wait(job.expect_markers, timeout_ms)
    except PlaywrightError:  # the page went away under the wait (crashed, navigated)
        ready = False
    if not ready:
        state = page.evaluate(STATE_JS)
        detail = "; ".join(slot.errors[:3]) or "no script error reported"
        raise RenderError(
            f"the map did not finish drawing within {timeout_ms / 1000:.0f} s "
            f"(basemap shapes: {state['basemap']}, venue markers: {state['markers']}, "
            f"Leaflet loaded: {state['leaflet']}; {detail})"
        ) from None
    if not job.inspect:
        png = slot.screenshot()
        return Capture(png, job.size, "", 0, 0, (), 0, tuple(slot.blocked), tuple(slot.errors))
    state = page.evaluate(STATE_JS)
    text = page.inner_text("#slide")
    layout = tuple((k, Box(*v)) for k, v in page.evaluate(LAYOUT_JS).items())
    png = slot.screenshot()
    return Capture(
        png,
        job.size,
        text,
        int(state["markers"]),
        int(state["visible"]),
        tuple(state["labels"]),
        int(state["clashes"]),
        tuple(slot.blocked),
        tuple(slot.errors),
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
        self._slots: dict[Size, Slot] = {}  # a warm page per picture size, in self._browser
        self._closed = threading.Event()

    def capture(self, html: str, size: Size, expect_markers: bool = True, inspect: bool = True) -> Capture:
        """One slide to PNG in the warm browser (``inspect=False``: the picture only, see Job)."""
        job = Job(html, size, expect_markers, inspect)
        return self.run(lambda browser: self._capture(browser, job))

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

    def _capture(self, browser, job: Job) -> Capture:
        """In the size's warm page (opened on first use); a page whose slide failed is closed,
        so the next picture starts in a fresh one."""
        slot = self._slots.get(job.size)
        if slot is None:
            slot = self._slots[job.size] = Slot(browser, job.size)
        try:
            return _capture_in(slot, job, self.timeout_ms)
        except BaseException:
            self._slots.pop(job.size, None)
            slot.close()
            raise

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
        self._slots.clear()  # their pages belong to that browser
        if browser is not None and browser.is_connected():
            with contextlib.suppress(PlaywrightError):  # died between the check and the close: nothing to close
                browser.close()
        if playwright is not None:
            playwright.stop()
