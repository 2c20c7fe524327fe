"""One time window for every page and export (issue 11), through AppTest: the same count on
every page for a given link, the time control (steps at the data's precision, previous/next,
play), the host filter with counts, route and the briefing's own title in the URL, and bad
link values as notices. Every test ends with no exception."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.paths import DATA, ROOT
from geo.core.schema import load_dataset
from geo.present.filters import FilterOptions, apply, from_query, window_line

pytestmark = pytest.mark.slow  # every test here runs the whole app (AppTest)

APP = str(ROOT / "app.py")
DS = load_dataset(DATA)
OPTS = FilterOptions.from_data(DS.meetings, DS.mediators)
PAGES = {
    "map": "app_pages/map.py",
    "timeline": "app_pages/timeline.py",
    "venues": "app_pages/venues.py",
    "sources": "app_pages/sources.py",
    "briefing": "app_pages/briefing.py",
    "meetings": "app_pages/meetings.py",
}
LINKS = [
    {"until": "2022-10-06"},
    {"until": "2024-09"},  # a month: the meeting dated "September 2024" is in
    {"until": "2024-09-15"},  # ... and not yet on the 15th
    {"until": "2024-10-23", "host": "RU"},
    {"host": "KZ"},
]


@pytest.fixture(autouse=True)
def _data_env(monkeypatch):
    monkeypatch.delenv("TALKS_ATLAS_DATA", raising=False)


def visit(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page != "map":
        at.switch_page(PAGES[page]).run()
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind)]
    parts += [e.value for e in at.sidebar.caption]
    text = "\n".join(str(p) for p in parts)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("\u2060", "").replace("**", "")


def qp(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def expected(params: dict) -> tuple[int, int, str]:
    """(meetings in the window, meetings in the filters, the window line) for a link."""
    f, notices = from_query(params, OPTS)
    assert not notices
    every = apply(DS.meetings, f.__class__(**{**f.__dict__, "until": None}))
    n = len(apply(DS.meetings, f))
    return n, len(every), window_line(f.until, n, len(every))


def page_count(page: str, at: AppTest) -> int | None:
    """The count the page itself shows (None for a page that shows no count of its own)."""
    text = shown(at)
    if page in ("map", "timeline"):
        match = re.search(r"(\d+) meetings? at \d+ venues?", text)
        return int(match.group(1)) if match else 0
    if page == "venues":
        return int(at.dataframe[0].value["meetings"].sum())
    if page == "meetings":
        return len(at.dataframe[0].value) if at.dataframe else 0
    if page == "briefing":
        (frame,) = at.get("iframe")
        match = re.search(r"(\d+) meetings? at \d+ venues?", frame.proto.srcdoc)
        return int(match.group(1)) if match else 0
    return None


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", LINKS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_every_page_applies_the_one_window(page, params):
    n, total, line = expected(params)
    at = visit(page, params)
    text = shown(at)
    assert line in text  # every page says the window it shows
    assert f"Download the {n} filtered meetings" in text  # and the export is the same meetings
    count = page_count(page, at)
    assert count is None or count == n
    assert not at.exception


def test_time_control_steps_are_the_meetings_own_dates():
    at = visit("map")
    control = at.select_slider(key="map_until")
    assert "Jul 2024" in control.options and "Sep 2024" in control.options  # not "1 Sep 2024"
    assert control.value == DS.meetings["date"].iloc[-1]  # the last date: every meeting
    control.set_value("2024-09").run()
    assert qp(at, "until") == ["2024-09"]
    assert "up to September 2024" in shown(at)
    assert not at.exception


def test_previous_and_next_meeting():
    at = visit("map", {"until": "2022-10-06"})
    at.button(key="time_next").click().run()
    assert qp(at, "until") == ["2022-10-31"]
    at.button(key="time_previous").click().run()
    at.button(key="time_previous").click().run()
    assert qp(at, "until") == ["2022-08-31"]
    at.select_slider(key="map_until").set_value(DS.meetings["date"].iloc[0]).run()
    assert at.button(key="time_previous").disabled
    assert not at.exception


def test_next_to_the_last_meeting_is_every_meeting():
    last_but_one = DS.meetings["date"].iloc[-2]
    at = visit("map", {"until": last_but_one})
    at.button(key="time_next").click().run()
    assert "until" not in at.query_params and at.button(key="time_next").disabled
    assert "Time window: all dates" in shown(at)
    assert not at.exception


def test_play_starts_from_the_first_meeting_and_pause_stops():
    at = visit("map")
    at.button(key="time_play").click().run()
    assert qp(at, "until") == [DS.meetings["date"].iloc[0]]  # at the end: play from the start
    assert at.session_state["time_playing"] is True
    at.button(key="time_pause").click().run()
    assert at.session_state["time_playing"] is False and qp(at, "until") == [DS.meetings["date"].iloc[0]]
    assert not at.exception


def test_a_window_before_every_meeting_in_the_filters_says_so():
    at = visit("map", {"until": DS.meetings["date"].iloc[0]})
    at.sidebar.multiselect(key="f_hosts").set_value(["US"]).run()
    assert "ends before the first meeting in the filters" in shown(at)
    assert "No meetings match" in shown(at)
    at.button(key="time_next").click().run()
    assert len(apply(DS.meetings, from_query(dict(at.query_params), OPTS)[0])) == 1
    assert not at.exception


def test_leaving_the_map_stops_play():
    at = visit("map")
    at.button(key="time_play").click().run()
    at.switch_page(PAGES["timeline"]).run()
    at.switch_page(PAGES["map"]).run()
    assert at.session_state["time_playing"] is False and at.button(key="time_play")
    assert not at.exception


def test_host_filter_offers_counts_and_writes_the_url():
    at = visit("map")
    hosts = at.sidebar.multiselect(key="f_hosts")
    assert "Kazakhstan (1)" in hosts.options and "Russia (4)" in hosts.options
    mediators = at.sidebar.multiselect(key="f_mediators")
    assert mediators.options[-1].endswith("(0)")  # mediators of no meeting come last, marked
    hosts.set_value(["KZ"]).run()
    assert qp(at, "host") == ["KZ"]
    assert "1 meeting at 1 venue, 2024" in shown(at)
    assert not at.exception


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "params, notice",
    [
        ({"host": "XX"}, "Ignored host 'XX' in the link: no meeting in the data was hosted there."),
        ({"until": "garbage"}, "Ignored until='garbage' in the link: not a date"),
        ({"until": "2024-13"}, "Ignored until='2024-13' in the link: not a date"),
    ],
)
def test_bad_window_and_host_values_are_notices(page, params, notice):
    at = visit(page, params)
    assert notice in shown(at)
    assert not at.exception


def test_route_is_kept_in_the_url():
    at = visit("map", {"route": "1"})
    assert at.toggle(key="map_route").value is True
    at.toggle(key="map_route").set_value(False).run()
    assert "route" not in at.query_params
    at.toggle(key="map_route").set_value(True).run()
    assert qp(at, "route") == ["1"]
    assert not at.exception


def test_the_briefings_own_title_is_kept_in_the_url():
    at = visit("briefing", {"title": "Talks in <b>2024</b>"})
    field = at.text_input(key="brief_title")
    assert field.value == "Talks in <b>2024</b>"
    field.set_value("Where they met").run()
    assert qp(at, "title") == ["Where they met"]
    at.text_input(key="brief_title").set_value("").run()
    assert "title" not in at.query_params
    assert at.text_input(key="brief_title").value.startswith("Armenia–Azerbaijan talks")
    assert not at.exception
