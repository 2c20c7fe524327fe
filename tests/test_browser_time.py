"""The time control's Play in a real browser (a fragment that reruns the app on a timer cannot be
driven by AppTest): it steps through the meetings' dates, Pause stops it, the last date ends it."""

from __future__ import annotations

import re
import time

import pytest

from geo.core.paths import DATA, ROOT
from geo.core.schema import load_dataset
from geo.present.browser import chromium_path
from geo.present.devserver import ServerDidNotStart, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a streamlit server process and Chromium

ARTIFACTS = ROOT / "tests" / "artifacts"
DS = load_dataset(DATA)


@pytest.fixture(scope="module")
def server():
    if chromium_path() is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")
    try:
        with serve(ROOT / "app.py", DATA, ARTIFACTS / "streamlit-time.log") as url:
            yield url
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


def _until(page) -> str | None:
    match = re.search(r"[?&]until=([^&]+)", page.url)
    return match.group(1) if match else None


def _watch(page, seconds: float, enough: int = 0) -> list[str | None]:
    """The window's values in the URL over ``seconds`` (or until ``enough`` are seen)."""
    seen, deadline = [], time.time() + seconds
    while time.time() < deadline and not (enough and len(seen) >= enough):
        page.wait_for_timeout(250)
        if not seen or seen[-1] != _until(page):
            seen.append(_until(page))
    return seen


def _playing(page) -> bool | None:
    """True with only Pause shown, False with only Play; None mid-rerun (the old button is still
    in the page beside the new one)."""
    play = page.get_by_role("button", name="Play").count()
    pause = page.get_by_role("button", name="Pause").count()
    return None if play == pause else bool(pause)


def _until_playing_is(page, wanted: bool, seconds: float) -> None:
    deadline = time.time() + seconds
    while _playing(page) is not wanted:
        assert time.time() < deadline, f"playing is not {wanted} after {seconds} s (until={_until(page)})"
        page.wait_for_timeout(200)


def test_play_steps_pause_stops_and_the_last_date_ends_it(server, browser):
    dates = list(dict.fromkeys(DS.meetings["date"]))
    with browser.new_page(viewport={"width": 1400, "height": 1000}) as page:
        page.goto(f"{server}/?until={dates[0]}")
        page.get_by_text("Show meetings up to").first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Play").click()
        seen = _watch(page, 30, enough=3)  # a step every 1.5 s, slower on a busy machine
        start = dates.index(seen[0])
        assert seen == dates[start : start + 3], seen  # one date per step, in order
        page.get_by_role("button", name="Pause").click()
        _until_playing_is(page, False, 10)
        stopped = _until(page)
        assert _watch(page, 4) == [stopped]  # paused: the window stays
        page.get_by_role("button", name="Play").click()
        _until_playing_is(page, True, 10)
        _until_playing_is(page, False, 60)  # Play is back after the last date
        assert _until(page) is None  # every meeting
        page.screenshot(path=str(ARTIFACTS / "time_control.png"))
