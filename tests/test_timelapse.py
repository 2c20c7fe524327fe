"""The time-lapse (GIF/MP4, one step per meeting), the picture's description and PNG metadata,
and the warm Chromium the app keeps (geo.present.render.Renderer)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.core.errors import UsageError
from geo.core.schema import load_dataset
from geo.present import timelapse
from geo.present.brief import SIZES, compose, page_html
from geo.present.filters import Filters, apply
from geo.present.picture import describe, png_text, png_with_text
from geo.present.timelapse import Timing

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
AS_OF = date(2026, 11, 23)
SIZE = SIZES["1280x720"]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FIXTURE_DATA)


def solid_png(rgb: tuple[int, int, int], size=(64, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, format="PNG")
    return out.getvalue()


# --- the plan: one slide per step ---------------------------------------------------------------


def test_plan_has_a_title_slide_and_one_slide_per_meeting_in_date_order(ds):
    plan = timelapse.plan(ds, Filters(), as_of=AS_OF)
    assert plan.meetings == len(ds.meetings) == 9
    captions = [s.frame for s in plan.slides]
    assert captions[0] == "9 meetings, 16 May 2016 – Nov 2024"
    # each at its precision: a month stays a month
    assert captions[1:4] == ["up to 16 May 2016", "up to Mar 2018", "up to 26 Nov 2021"]
    assert captions[-1] == "up to Nov 2024"
    assert [s.meetings for s in plan.slides] == [9, *range(1, 10)]  # the title slide counts them all


def test_every_step_keeps_title_subtitle_legend_and_footer_and_counts_what_it_shows(ds):
    filters = Filters(mediators=("Russia",))
    plan = timelapse.plan(ds, filters, title="Russia's table", as_of=AS_OF)
    full = compose(ds, filters, "Russia's table", as_of=AS_OF)
    for slide in plan.slides:
        assert (slide.title, slide.subtitle, slide.legend, slide.rings, slide.sources, slide.data_date) == (
            full.title,
            full.subtitle,
            full.legend,
            full.rings,
            full.sources,
            full.data_date,
        )
    assert [s.count for s in plan.slides[1:]] == [
        "1 meeting at 1 venue, 2016",
        "2 meetings at 2 venues, 2016–2018",
        "3 meetings at 2 venues, 2016–2021",
    ]
    assert plan.slides[0].dated == () and plan.slides[0].count == full.count
    assert [what for _, what in plan.slides[3].dated] == ["Sochi", "Sochi", "Vienna"]  # newest first


def test_a_full_dated_list_keeps_the_newest_meetings(ds):
    plan = timelapse.plan(ds, Filters(), as_of=AS_OF)
    room = len(compose(ds, Filters(), as_of=AS_OF).dated) + 1
    last = plan.slides[-1]
    assert len(last.dated) + (1 if last.more else 0) <= room
    assert last.dated[0] == ("Nov 2024", "Washington (cancelled)")  # the step's own meeting on top


def test_every_step_keeps_the_view_of_all_its_meetings(ds):
    """The map does not jump as venues appear: every step fits the same bounds."""
    plan = timelapse.plan(ds, Filters(), as_of=AS_OF)
    bounds = {re.search(r"fitBounds\(\s*(\[\[[^\]]*\],\s*\[[^\]]*\]\])", s.map_html).group(1) for s in plan.slides}
    assert len(bounds) == 1


def test_the_frame_caption_is_escaped_on_the_slide(ds):
    plan = timelapse.plan(ds, Filters(), as_of=AS_OF)
    page = page_html(replace(plan.slides[1], frame="up to <b>&"), SIZE)
    assert '<p class="frame" id="brief-frame">up to &lt;b&gt;&amp;</p>' in page


@pytest.mark.parametrize(
    "filters, message",
    [
        (Filters(mediators=("Germany",)), "no meetings match the filters"),
    ],
)
def test_nothing_to_animate_is_a_clear_refusal(ds, filters, message):
    with pytest.raises(UsageError, match=message):
        timelapse.plan(ds, filters)


def test_too_many_steps_is_a_clear_refusal(ds, monkeypatch):
    monkeypatch.setattr(timelapse, "MAX_STEPS", 3)
    with pytest.raises(UsageError, match="9 meetings match: a time-lapse takes at most 3 steps"):
        timelapse.plan(ds, Filters())


@pytest.mark.parametrize("frame, title", [(0, 1), (1, 0.01), (61, 1), (float("nan"), 1)])
def test_durations_outside_reason_are_refused(frame, title):
    with pytest.raises(UsageError, match="seconds from 0.05 to 60"):
        Timing(frame, title)


# --- encoding: frames read back ------------------------------------------------------------------

COLOURS = [(250, 250, 250), (200, 30, 30), (30, 200, 30), (30, 30, 200)]


@pytest.mark.parametrize(
    "fmt, timing, title_frames",
    [(".gif", Timing(1, 2), 1), (".mp4", Timing(1, 2), 2), (".mp4", Timing(0.5, 2), 4), (".mp4", Timing(2, 1), 1)],
)
def test_encoded_file_has_title_frames_plus_one_per_meeting(fmt, timing, title_frames):
    pngs = [solid_png(c) for c in COLOURS]  # a title frame and three meetings
    data = timelapse.encode(pngs, fmt, timing, "T", "D")
    frames = timelapse.read_frames(data, fmt)
    assert timing.title_frames(fmt) == title_frames
    assert len(frames) == title_frames + 3
    assert all(f.shape == (40, 64, 3) for f in frames)
    last = frames[-1].reshape(-1, 3).mean(axis=0)
    assert np.allclose(last, COLOURS[-1], atol=12)  # the last meeting's frame is the last frame


def test_gif_durations_and_comment():
    pngs = [solid_png(c) for c in COLOURS]
    title, text = "Talks <&> «Сочи»", "9 meetings; venues: Sochi"
    data = timelapse.encode(pngs, ".gif", Timing(0.5, 3), title, text)
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.n_frames == 4
        assert gif.info["comment"].decode() == f"{title}\n\n{text}"
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
    assert durations == [3000, 500, 500, 500]


def test_mp4_carries_title_and_comment_metadata():
    import imageio_ffmpeg

    pngs = [solid_png(c) for c in COLOURS]
    data = timelapse.encode(pngs, ".mp4", Timing(1, 1), "Talks <&> «Сочи»", "9 meetings")
    probe = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", "pipe:0"], input=data, capture_output=True
    )
    info = probe.stderr.decode("utf-8", "replace")
    assert re.search(r"title\s*: Talks <&> «Сочи»", info) and re.search(r"comment\s*: 9 meetings", info)


def test_unknown_format_is_refused():
    with pytest.raises(UsageError, match="valid: .gif, .mp4"):
        timelapse.encode([solid_png(COLOURS[0])], ".avi", Timing(), "T", "D")


# --- the description (alt text) and PNG metadata -------------------------------------------------


def test_description_says_count_span_mediators_and_venues(ds):
    filters = Filters(mediators=("Russia",))
    brief = compose(ds, filters, as_of=AS_OF)
    text = describe(brief, apply(ds.meetings, filters))
    assert text.startswith(f"Map slide: {brief.title}.")
    assert "3 meetings at 2 venues, 2016–2021; from 16 May 2016 to 26 November 2021." in text
    assert "Mediators (circle colours): " in text and "Russia" in text
    assert "Venues on the map: Vienna, Sochi (2 meetings)." in text
    assert "Data as of 23 November 2026" in text


def test_description_of_an_empty_slide_says_so(ds):
    filters = Filters(mediators=("Germany",))
    brief = compose(ds, filters, as_of=AS_OF)
    assert "No meetings match the filters" in describe(brief, apply(ds.meetings, filters))


HOSTILE = 'Talks <script>alert("x")</script> & «Сочи» — 100%'


@pytest.mark.parametrize("title", ["Plain Latin-1 title: café", HOSTILE], ids=["latin1-tEXt", "unicode-iTXt"])
def test_png_carries_title_and_description_as_written(title):
    png = solid_png((10, 120, 200), size=(32, 18))
    text = f"Map slide: {title}.\nVenues on the map: Sochi <b>."
    tagged = png_with_text(png, title, text)
    assert png_text(tagged) == {"Title": title, "Description": text}  # not HTML-escaped: plain text
    with Image.open(io.BytesIO(png)) as a, Image.open(io.BytesIO(tagged)) as b:
        assert a.tobytes() == b.tobytes()  # pixels unchanged
    if title.isascii() or all(ord(c) < 256 for c in title):
        assert b"tEXtTitle\x00" in tagged


# --- Chromium: frames, the warm renderer ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_frames(browser):
    """The fixture data's frames at 1280x720, rendered once in the session's Chromium."""
    plan = timelapse.plan(load_dataset(FIXTURE_DATA), Filters(), as_of=AS_OF)
    return plan, timelapse.frames(plan, SIZE, browser)


def changed_pixels(a: np.ndarray, b: np.ndarray, tol: int = 40) -> int:
    """Pixels that differ by more than ``tol`` in some channel (video compression moves the rest a little)."""
    return int((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > tol).sum())


@pytest.mark.browser
@pytest.mark.parametrize("fmt", timelapse.FORMATS)
def test_timelapse_of_real_frames_has_one_frame_per_meeting_that_change(seed_frames, fmt):
    plan, pngs = seed_frames
    timing = Timing(1, 2)
    data = timelapse.encode(pngs, fmt, timing, plan.title, plan.description)
    frames = timelapse.read_frames(data, fmt)
    assert len(frames) == plan.meetings + timing.title_frames(fmt)
    assert all(f.shape == (SIZE.height, SIZE.width, 3) for f in frames)
    steps = frames[timing.title_frames(fmt) - 1 :]  # the (last) title frame, then one per meeting
    changed = [changed_pixels(a, b) for a, b in zip(steps, steps[1:])]
    assert all(n > 200 for n in changed), changed  # a marker, a label, the caption: every step shows something new


@pytest.mark.browser
def test_frames_are_slides_of_the_requested_size_with_the_caption(seed_frames):
    _, pngs = seed_frames
    for png in pngs:
        with Image.open(io.BytesIO(png)) as img:
            assert img.size == (SIZE.width, SIZE.height)


def chromium_main_processes() -> list[int]:
    """Chromium browser processes (not its renderers, GPU or utility children) below this one."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, stack = [], list(children.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()  # children rewrite theirs: one string
        except OSError:
            continue
        if b"chromium" in cmdline.split(b"\0")[0].split(b" ")[0] and b"--type=" not in cmdline:
            found.append(pid)
    return found


@pytest.mark.browser
def test_warm_renderer_is_reused_and_recovers_after_its_browser_is_killed(ds):
    import threading

    from geo.present.browser import chromium_path
    from geo.present.render import Renderer

    if chromium_path() is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    page = page_html(compose(ds, Filters(), as_of=AS_OF), SIZE)
    others = set(chromium_main_processes())  # the session's shared Chromium, say
    with Renderer() as renderer:
        assert renderer.capture(page, SIZE).markers > 0
        assert renderer.capture(page, SIZE, inspect=False).png.startswith(b"\x89PNG")
        assert renderer.launches == 1  # one browser for both
        results: list[int] = []  # from other threads too (Streamlit runs each session in its own)
        threads = [
            threading.Thread(target=lambda: results.append(renderer.capture(page, SIZE).markers)) for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 2 and all(results) and renderer.launches == 1
        victims = [pid for pid in chromium_main_processes() if pid not in others]
        assert len(victims) == 1
        os.kill(victims[0], signal.SIGKILL)
        assert renderer.capture(page, SIZE).markers > 0  # started again
        assert renderer.launches == 2


# --- the command line ------------------------------------------------------------------------------


def brief_cli(*args: str) -> tuple[int, str, str]:
    """`python -m geo brief ARGS --data tests/fixtures/data` in this process, output captured."""
    import contextlib

    from geo.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["brief", *args, "--data", str(FIXTURE_DATA)])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "make_out, extra, message",
    [
        (lambda d: d / "talks.avi", [], "talks.avi: the file name must end in .png, .html, .gif or .mp4"),
        (lambda d: (d / "a-file").write_text("x") and d / "a-file" / "t.gif", [], "is a file, not a directory"),
        (lambda d: d / "t.mp4", ["--frame-seconds", "0"], "frame duration 0 s: give a number of seconds"),
        (lambda d: d / "t.gif", ["--title-seconds", "abc"], "invalid float value: 'abc'"),
    ],
    ids=["avi", "parent-is-a-file", "zero-seconds", "not-a-number"],
)
def test_cli_refuses_bad_time_lapse_requests_with_exit_2(tmp_path, make_out, extra, message):
    out = make_out(tmp_path)
    code, _, err = brief_cli("--out", str(out), *extra)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_cli_names_an_unwritable_time_lapse_path(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: permissions do not stop writes")
        code, _, err = brief_cli("--out", str(locked / "t.gif"))
    finally:
        locked.chmod(0o700)
    assert code == 2 and "locked" in err and "permission denied" in err


def test_cli_refuses_a_time_lapse_of_nothing(tmp_path):
    code, _, err = brief_cli("--mediator", "Germany", "--out", str(tmp_path / "t.gif"))
    assert code == 2 and "no meetings match the filters" in err


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("fmt", [".gif", ".png"])
def test_cli_writes_a_time_lapse_and_a_png_with_metadata(tmp_path, fmt, browser, monkeypatch):
    import contextlib

    from geo.present import render

    # The PNG is drawn in the session's Chromium (a second sync Playwright cannot start in this
    # thread while it runs); the time-lapse's Renderer starts its own in a thread of its own.
    monkeypatch.setattr(render, "launch", lambda: contextlib.nullcontext(browser))
    out = tmp_path / f"russia{fmt}"
    code, stdout, err = brief_cli("--mediator", "Russia", "--size", "1280x720", "--out", str(out))
    assert code == 0, err
    data = out.read_bytes()
    if fmt == ".gif":
        assert timelapse.frame_count(data, fmt) == 1 + 3  # title + Vienna, Sochi, Sochi
        assert "time-lapse" in stdout
    else:
        text = png_text(data)
        assert text["Title"] == "Armenia–Azerbaijan talks, 2016–2021, mediated by Russia"
        assert "3 meetings at 2 venues" in text["Description"] and "Sochi (2 meetings)" in text["Description"]


# --- the Briefing page (AppTest: no Chromium output, the buttons and the alt text) -----------------


@pytest.mark.slow  # runs the whole app (AppTest)
def test_briefing_page_offers_alt_text_and_a_time_lapse_download(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from geo.core.paths import ROOT

    made = []

    def fake_make(ds, filters, fmt, size, renderer, **kw):  # the frames need Chromium: tested above
        kw["progress"](1, 2)
        kw["progress"](2, 2)
        made.append((fmt, size, kw["timing"]))
        return b"GIF89a-not-really"

    monkeypatch.setattr(timelapse, "make", fake_make)
    monkeypatch.setattr("ui.chromium.renderer", lambda: None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["mediator"] = "Russia"
    at.run()
    at.switch_page("app_pages/briefing.py").run()
    assert not at.exception, at.exception
    alt = at.text_area(key=[k for k in (w.key for w in at.text_area) if k.startswith("brief_alt::")][0])
    assert alt.value.startswith("Map slide: Armenia–Azerbaijan talks, 2016–2022, mediated by Russia.")
    assert "2 meetings at 2 venues" in alt.value and "Venues on the map: " in alt.value
    assert [b.label for b in at.button] == ["Make time-lapse"]
    assert not at.button(key="brief_lapse_make").disabled or not Path("/usr/bin/chromium").exists()
    at.button(key="brief_lapse_make").click().run()
    assert not at.exception, at.exception
    assert made and made[0][0] == ".gif" and made[0][1] == SIZES["1280x720"]
    labels = [b.label for b in at.main.get("download_button")]
    assert labels[-1].startswith("Download GIF")
    assert not at.exception
