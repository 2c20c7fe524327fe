"""The review loop in a real browser: an article uploaded on /add gives a candidate in the /review
queue; the analyst accepts it with the keyboard (A) and rejects the next one (X); the map and
the Meetings page show the decisions on their next view, from the same server (no restart).

Everything runs on a copy: a small data folder made here (the project's vocabularies, one article
of our own words built into tables) and an upload folder that is the map's corpus, so an upload
rebuilds the tables the map reads (docs/dashboard.md, "Adding articles: where they go")."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from geo.core.paths import DATA, ROOT
from geo.core.schema import load_meetings
from geo.meetings.review import meetings_by_candidate
from geo.present.browser import chromium_path
from geo.present.devserver import ServerDidNotStart, serve
from geo.publish.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).parent / "artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
VOCABULARIES = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")
FIRST = (
    "date: 2025-02-10\n\nPresident Vladimir Putin hosted Prime Minister Nikol Pashinyan and President "
    "Ilham Aliyev in Sochi on Friday for trilateral talks.\n"
)
UPLOAD = (
    "date: 2025-03-14\n\nThe foreign ministers of Armenia and Azerbaijan, Ararat Mirzoyan and Jeyhun "
    "Bayramov, held talks in Vienna on March 12 about the border commission.\n"
)


@pytest.fixture()
def app_url(tmp_path, monkeypatch, gazetteer):
    """A server on a data folder of its own whose corpus is the upload folder."""
    if chromium_path() is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")
    data, corpus = tmp_path / "data", tmp_path / "corpus"
    data.mkdir()
    corpus.mkdir()
    for name in VOCABULARIES:
        shutil.copy(DATA / name, data / name)
    shutil.copytree(DATA / "lexicon", data / "lexicon")
    (corpus / "sochi_evening.txt").write_text(FIRST, encoding="utf-8")
    build(corpus, data, gazetteer)
    monkeypatch.setenv("TALKS_ATLAS_CORPUS", str(corpus))
    monkeypatch.setenv("TALKS_ATLAS_UPLOADS", str(corpus))
    monkeypatch.delenv("TALKS_ATLAS_STORE", raising=False)
    (tmp_path / "vienna_round.txt").write_text(UPLOAD, encoding="utf-8")
    try:
        with serve(ROOT / "app.py", data, ARTIFACTS / "streamlit-review.log") as url:
            yield url, data, tmp_path / "vienna_round.txt"
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


def _markers(page, expected: int, timeout: float = 30) -> int:
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".venue-marker").first.wait_for(state="attached", timeout=60_000)
    deadline, n = time.time() + timeout, -1
    while time.time() < deadline:
        n = frame.locator(".venue-marker").count()
        if n == expected:
            return n
        time.sleep(0.2)
    return n


def _popup_text(page, tries: int = 5) -> str:
    """Click the first marker until its popup opens (the map may still be fitting its bounds)."""
    frame = page.frame_locator(MAP_FRAME)
    popup = frame.locator(".venue-popup")
    for _ in range(tries):
        page.wait_for_timeout(700)
        frame.locator(".venue-marker").first.click(force=True)
        try:
            popup.wait_for(timeout=5_000)
            return popup.inner_text()
        except PlaywrightTimeout:
            continue
    return ""


def _go(page, title: str, heading: str) -> None:
    """Follow the sidebar link (the session, and the analyst's name, stay)."""
    page.get_by_test_id("stSidebar").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)


def _candidate_on_screen(page) -> str:
    return page.get_by_test_id("stSelectbox").first.inner_text()


def test_upload_review_with_the_keyboard_and_see_it_on_the_map(app_url, browser):
    url, data, article = app_url
    with browser.new_page(viewport={"width": 1400, "height": 1000}) as page:
        page.goto(url + "/add")
        page.get_by_role("heading", name="Add articles").first.wait_for(timeout=60_000)
        name = page.get_by_test_id("stSidebar").get_by_label("Analyst", exact=True)
        name.fill("Ana")
        name.press("Enter")
        uploader = page.get_by_test_id("stFileUploader")
        uploader.locator("input[type=file]").set_input_files(str(article))
        uploader.get_by_text(article.name).first.wait_for(timeout=60_000)  # the file reached the server
        page.get_by_role("button", name="Add these articles").click()
        try:
            page.get_by_text("Saved and built").first.wait_for(timeout=300_000)  # the build loads the gazetteer
        finally:
            page.screenshot(path=str(ARTIFACTS / "review_upload.png"), full_page=True)

        _go(page, "Review", "Review")
        page.get_by_text("2 undecided").first.wait_for(timeout=30_000)
        box = page.get_by_test_id("stSelectbox").first  # the queue: pick the uploaded article's candidate
        box.click()
        page.keyboard.type("Vienna")
        page.keyboard.press("Enter")
        expect(box.get_by_role("combobox")).to_have_value(re.compile("vienna_round.txt#"), timeout=30_000)
        expect(page.get_by_label("Date", exact=True).first).to_have_value("2025-03-12", timeout=30_000)  # redrawn
        assert page.locator("mark.evidence").first.inner_text().startswith("The foreign ministers")
        page.screenshot(path=str(ARTIFACTS / "review_queue.png"), full_page=True)

        page.get_by_role("heading", name="Review").first.click()  # no text field has the focus
        page.keyboard.press("a")
        page.get_by_text("Accepted vienna_round.txt#").first.wait_for(timeout=30_000)
        expect(box.get_by_role("combobox")).to_have_value(re.compile("sochi_evening.txt#"), timeout=30_000)  # next
        page.keyboard.press("x")
        page.get_by_text("Rejected sochi_evening.txt#").first.wait_for(timeout=30_000)
        page.get_by_text("Every candidate is decided").first.wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "review_decided.png"), full_page=True)

        meetings = load_meetings(data / "meetings.csv")
        assert list(meetings["venue"]) == ["Vienna"]  # accepted and published; the rejected one gone
        assert "(unreviewed)" not in meetings["notes"].iloc[0]
        assert set(meetings_by_candidate(meetings.to_dict("records"))) == {
            c for c in meetings["notes"].iloc[0].removeprefix("candidates ").split(", ")
        }

        _go(page, "Map", "Where the talks took place")
        assert _markers(page, 1) == 1  # Sochi's marker went with the rejection
        page.get_by_text("1 meetings at 1 venues").or_(page.get_by_text("1 meeting at 1 venue")).first.wait_for(
            timeout=30_000
        )
        assert "Vienna" in _popup_text(page)

        _go(page, "Meetings", "Meetings")
        page.get_by_role("textbox", name="Search").fill("Vienna")
        page.get_by_role("textbox", name="Search").press("Enter")
        page.get_by_text("1 of 1 meetings in the filters").first.wait_for(timeout=30_000)
