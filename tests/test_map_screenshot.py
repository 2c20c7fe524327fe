"""The Map page and the slide ready for a screenshot (issue 11): venue labels with their dates at
their precision, the numbered route, Armenia and Azerbaijan always highlighted, the inset locator
only when the venues are far from them, country names, the legend inside the map, accessible
marker names, the notice when online tiles fail."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from meeting_rows import frame

from geo.core.schema import load_dataset, load_mediators
from geo.present import basemap
from geo.present.brief import compose, page_html
from geo.present.filters import Filters
from geo.present.mapview import (
    HIGHLIGHT,
    TILE_FAILED,
    MapOptions,
    Stop,
    accessible_name,
    build_map,
    inset_data,
    label_data,
    map_html,
    number_ranges,
    route_data,
    route_stops,
    venue_countries,
    venue_dates,
    venue_markers,
)

MEDIATORS = load_mediators(Path(__file__).parent / "fixtures" / "data" / "mediators.csv")
VENUES = pd.DataFrame(
    [
        {"venue": "Geneva", "country": "CH", "lat": 46.2, "lon": 6.14},
        {"venue": "Tbilisi", "country": "GE", "lat": 41.69, "lon": 44.83},
        {"venue": "Sochi", "country": "RU", "lat": 43.6, "lon": 39.73},
        {"venue": "Washington", "country": "US", "lat": 38.9, "lon": -77.04},
        {"venue": "New York", "country": "US", "lat": 40.71, "lon": -74.01},
        {"venue": "Brussels", "country": "BE", "lat": 50.85, "lon": 4.35},
        {"venue": "Almaty", "country": "KZ", "lat": 43.25, "lon": 76.92},
    ]
)


def decor(page: str) -> dict:
    """The configuration map_decor.js draws from, read back from the page."""
    m = re.search(r"TalksMap\.decorate\(\w+, (\{.*?\}), (\w+)\);\n", page)
    assert m, "the map has no decoration script"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def dataset(fixture_data):
    return load_dataset(fixture_data)


# ---------------------------------------------------------------------------------------------
# Labels: the dates at their precision


@pytest.mark.parametrize(
    "dates, label, spoken",
    [
        ([("2022-10-06", "day")], "6 Oct 2022", "Geneva: 1 meeting, 6 Oct 2022"),
        ([("2024-09", "month")], "Sep 2024", "Geneva: 1 meeting, Sep 2024"),
        ([("2019", "year")], "2019", "Geneva: 1 meeting, 2019"),
        (
            [("2024-07", "month"), ("2024-09", "month")],
            "Jul 2024, Sep 2024",
            "Geneva: 2 meetings, Jul 2024 and Sep 2024",
        ),
        (
            [("2018-03", "month"), ("2019", "year"), ("2021-11-26", "day"), ("2024-11", "month")],
            "Mar 2018 – Nov 2024 (4)",
            "Geneva: 4 meetings, Mar 2018 to Nov 2024",
        ),
    ],
)
def test_labels_and_accessible_names_say_dates_at_their_precision(dates, label, spoken):
    meetings = frame(*({"date": d, "date_precision": p} for d, p in reversed(dates)))  # out of order on purpose
    assert venue_dates(meetings) == {"Geneva": label}
    markers = venue_markers(meetings, VENUES, MEDIATORS)
    assert [d["when"] for d in label_data(markers, meetings)] == [label]
    page = map_html(build_map(meetings, VENUES, MEDIATORS))
    assert json.dumps(spoken) in page  # the marker's accessible name (aria-label and SVG title)
    assert "aria-label" in page and "createElementNS" in page


def test_accessible_name_without_dates():
    assert accessible_name("Geneva", 1, []) == "Geneva: 1 meeting"


def test_the_slide_labels_and_the_map_labels_are_one_function(dataset):
    from geo.present.brief import venue_dates as slide_dates

    assert slide_dates(dataset.meetings) == venue_dates(dataset.meetings)


@pytest.mark.parametrize("mode", ["page", "slide"])
def test_every_venue_gets_a_label_with_its_dates_in_both_modes(dataset, mode):
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(mode=mode)))
    labels = decor(page)["labels"]
    assert sorted(x["name"] for x in labels) == sorted(dataset.meetings["venue"].unique())
    assert all(x["when"] and x["r"] > 0 for x in labels)


# ---------------------------------------------------------------------------------------------
# The route: order and numbers


def test_route_stops_are_in_date_order_numbered_by_meeting():
    meetings = frame(
        {"id": "c", "date": "2021-05-01", "venue": "Tbilisi"},
        {"id": "a", "date": "2020-01-01", "venue": "Geneva"},
        {"id": "b", "date": "2020-06", "date_precision": "month", "venue": "Geneva"},
        {"id": "d", "date": "2022-01-01", "venue": "Sochi"},
        {"id": "e", "date": "2023-01-01", "venue": "Geneva"},
    )
    stops = route_stops(meetings, VENUES)
    assert [(s.venue, s.numbers) for s in stops] == [
        ("Geneva", (1, 2)),
        ("Tbilisi", (3,)),
        ("Sochi", (4,)),
        ("Geneva", (5,)),
    ]
    data = route_data(stops)
    assert data["points"] == [[46.2, 6.14], [41.69, 44.83], [43.6, 39.73], [46.2, 6.14]]
    assert {b["venue"]: b["text"] for b in data["badges"]} == {"Geneva": "1, 2, 5", "Tbilisi": "3", "Sochi": "4"}


@pytest.mark.parametrize(
    "numbers, text",
    [
        ([1], "1"),
        ([2, 5], "2, 5"),
        ([1, 2, 3, 7], "1–3, 7"),
        ([9, 1, 2], "1, 2, 9"),
        ([1, 3, 5, 7, 9, 11], "1, 3, 5, 7, …"),
    ],
)
def test_badge_numbers_as_ranges(numbers, text):
    assert number_ranges(numbers) == text


def test_the_route_is_numbered_with_arrows_on_the_map_and_the_slide_only_when_on(dataset):
    on = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(route=True)))
    off = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(route=False)))
    route = decor(on)["route"]
    assert decor(off)["route"] is None and "meeting-route" not in off
    assert len(route["points"]) >= 2 and route["badges"][0]["text"] == "1"
    numbers = sorted(int(n) for b in route["badges"] for n in re.findall(r"\d+", b["text"]))
    assert numbers == list(range(1, len(dataset.meetings) + 1))  # every meeting numbered once

    with_route = compose(dataset, Filters(), route=True, as_of=date(2026, 11, 23))
    plain = compose(dataset, Filters(), as_of=date(2026, 11, 23))
    assert with_route.numbered and not plain.numbered
    assert "<b>1. 16 May 2016</b><span>Vienna</span>" in page_html(with_route)
    assert "<b>16 May 2016</b><span>Vienna</span>" in page_html(plain)
    assert "meeting-route" in with_route.map_html and "meeting-route" not in plain.map_html


def test_a_route_of_one_stop_is_not_drawn():
    meetings = frame({"id": "a", "venue": "Geneva"}, {"id": "b", "date": "2021-01-01", "venue": "Geneva"})
    page = map_html(build_map(meetings, VENUES, MEDIATORS, MapOptions(route=True)))
    assert decor(page)["route"] is None


# ---------------------------------------------------------------------------------------------
# Geography: the two countries, the inset, country names


@pytest.mark.parametrize("mode", ["page", "slide"])
@pytest.mark.parametrize("assets", ["served", "inline"])
def test_armenia_and_azerbaijan_are_highlighted_on_every_map(dataset, mode, assets):
    options = MapOptions(assets=assets, mode=mode)
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, options))
    assert f"var highlight = {json.dumps(list(HIGHLIGHT))}" in page and "country-highlight" in page


def test_the_slide_highlights_them_too(dataset):
    b = compose(dataset, Filters(), as_of=date(2026, 11, 23))
    assert "country-highlight" in b.map_html and '"Armenia", "Azerbaijan"' in b.map_html


def test_the_basemap_has_both_countries():
    names = {f["properties"]["name"] for f in json.loads(basemap.basemap_text())["features"]}
    assert set(HIGHLIGHT) <= names


@pytest.mark.parametrize(
    "venues, inset",
    [
        (["Washington", "New York"], True),  # only the United States: where are the two countries?
        (["Washington"], True),
        (["Brussels", "Geneva"], True),
        (["Tbilisi"], False),
        (["Sochi", "Tbilisi"], False),
        (["Washington", "Almaty"], False),  # the map spans the Caucasus
        ([], False),
    ],
)
def test_inset_only_when_the_venues_are_far_from_armenia_and_azerbaijan(venues, inset):
    meetings = frame(*({"id": f"m{v}", "venue": v} for v in venues)) if venues else frame().iloc[0:0]
    markers = venue_markers(meetings, VENUES, MEDIATORS)
    data = inset_data(markers)
    assert (data is not None) == inset
    if data:
        assert sorted(map(tuple, data["venues"])) == sorted((v.lat, v.lon) for v in markers)
        assert data["highlight"] == list(HIGHLIGHT)
    slide = decor(map_html(build_map(meetings, VENUES, MEDIATORS, MapOptions(mode="slide"))))
    assert (slide["inset"] is not None) == inset
    page = decor(map_html(build_map(meetings, VENUES, MEDIATORS, MapOptions(mode="page"))))
    assert "inset" not in page  # the Map page is interactive: no inset there


@pytest.mark.parametrize(
    "lat, lon, country",
    [
        (40.71, -74.01, "United States of America"),  # New York: just off the simplified coast
        (38.9, -77.04, "United States of America"),
        (59.94, 30.31, "Russia"),
        (50.09, 14.42, "Czechia"),
        (40.18, 44.51, "Armenia"),
        (40.41, 49.87, "Azerbaijan"),
        (35.0, -40.0, None),  # mid-Atlantic
    ],
)
def test_country_at_a_point(lat, lon, country):
    assert basemap.country_at(lat, lon) == country


def test_the_slide_names_the_venues_countries_in_short(dataset):
    meetings = frame({"id": "a", "venue": "Washington"}, {"id": "b", "venue": "New York"})
    markers = venue_markers(meetings, VENUES, MEDIATORS)
    assert venue_countries(markers) == ["United States of America", "Armenia", "Azerbaijan"]
    config = decor(map_html(build_map(meetings, VENUES, MEDIATORS, MapOptions(mode="slide"))))
    assert config["countries"][0] == ["United States of America", "United States"]


# ---------------------------------------------------------------------------------------------
# The Map page: legend, title line and tile notice inside the map


def test_the_legend_is_drawn_inside_the_map_on_the_page_only(dataset):
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators))
    config = decor(page)
    assert 'class="talks-legend"' in config["legend"] and "legendControl(map, config.legend)" in page
    for label in ("Russia", "European Union", "none (direct talks)"):
        assert label in config["legend"]
    slide = decor(map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(mode="slide"))))
    assert "legend" not in slide  # the slide's side column has it


def test_map_and_slide_use_one_legend_template(dataset):
    from geo.present.mapview import legend_html, legend_items

    items = legend_items(dataset.meetings, dataset.mediators)
    page_legend = legend_html(items)
    slide = page_html(compose(dataset, Filters(), as_of=date(2026, 11, 23)))
    for item in items:
        swatch = f'<span class="dot" style="background:{item.colour}"></span>{item.label}'
        hollow = f'<span class="dot hollow" style="border-color:{item.colour}"></span>{item.label}'
        assert (swatch in page_legend and swatch in slide) or (hollow in page_legend and hollow in slide)


def test_title_line_inside_the_map(dataset):
    options = MapOptions(title="Armenia–Azerbaijan talks, 2016–2024", subtitle="All meetings · 9 meetings")
    config = decor(map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, options)))
    assert (config["title"], config["subtitle"]) == (options.title, options.subtitle)


@pytest.mark.parametrize("online", [False, True])
def test_tile_failure_notice_only_with_online_tiles(dataset, online):
    page = map_html(build_map(dataset.meetings, dataset.venues, dataset.mediators, MapOptions(online_tiles=online)))
    m = re.search(r"TalksMap\.decorate\(\w+, \{.*?\}, (\w+)\);\n", page)
    assert (m.group(1) != "null") == online
    assert decor(page)["tile_failed"] == TILE_FAILED
    assert ("tileerror" in page) and ("see_through = true" in page) == online


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        MapOptions(mode="poster")


def test_stop_is_a_plain_tuple():
    assert Stop("Geneva", 46.2, 6.14, (1,))._asdict()["numbers"] == (1,)


# ---------------------------------------------------------------------------------------------
# In Chromium: what the slide's map draws


SLIDE_STATE = """
() => {
  const texts = (sel) => Array.from(document.querySelectorAll(sel)).map((el) => el.textContent);
  return {
    inset: document.querySelectorAll('.talks-inset').length,
    countries: texts('.country-label'),
    badges: texts('.route-badge'),
    arrows: document.querySelectorAll('.route-arrow').length,
    names: Array.from(document.querySelectorAll('.venue-marker')).map((el) => el.getAttribute('aria-label')),
    titles: texts('.venue-marker title'),
    highlighted: document.querySelectorAll('path.country-highlight').length,
    labels: texts('.venue-label .venue-name'),
  };
}
"""


def slide_map_state(browser, meetings: pd.DataFrame) -> dict:
    options = MapOptions(assets="inline", mode="slide", route=True, height="100%", zoom_control=False)  # type: ignore[arg-type]
    page_source = map_html(build_map(meetings, VENUES, MEDIATORS, options))
    with browser.new_context(viewport={"width": 1360, "height": 800}) as context:
        context.route(
            "**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_()
        )
        page = context.new_page()
        page.set_content(page_source, wait_until="load")
        page.wait_for_selector(".leaflet-container[data-decorated=slide]", state="attached", timeout=20_000)
        return page.evaluate(SLIDE_STATE)


@pytest.mark.browser
@pytest.mark.parametrize(
    "venues, inset, countries",
    [
        (["Washington", "New York"], 1, {"United States"}),
        (["Brussels", "Geneva"], 1, {"Belgium", "Switzerland"}),
        (["Sochi", "Tbilisi"], 0, {"Russia", "Georgia", "Armenia", "Azerbaijan"}),
    ],
)
def test_slide_map_draws_inset_countries_route_and_names(browser, venues, inset, countries):
    meetings = frame(
        *({"id": f"m{i}", "date": f"202{i}-05", "date_precision": "month", "venue": v} for i, v in enumerate(venues))
    )
    state = slide_map_state(browser, meetings)
    assert state["inset"] == inset
    assert countries <= set(state["countries"])
    assert state["highlighted"] >= 2 * (1 + inset)  # Armenia and Azerbaijan on the map (and in the inset)
    assert sorted(state["badges"]) == ["1", "2"] and state["arrows"] == 1
    assert sorted(state["labels"]) == sorted(venues)
    spoken = [f"{v}: 1 meeting, May 202{i}" for i, v in enumerate(venues)]
    assert sorted(state["names"]) == sorted(spoken) and sorted(state["titles"]) == sorted(spoken)


def test_briefing_page_route_toggle_numbers_the_slide():
    from streamlit.testing.v1 import AppTest

    from geo.core.paths import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/briefing.py")
    at.run()
    assert not at.exception

    def drawn() -> bool:
        frames = [c.proto.json_args for c in at.get("component_instance")] + [str(e.proto) for e in at.main]
        return any("meeting-route" in f for f in frames)

    assert not drawn()
    at.toggle(key="brief_route").set_value(True).run()
    assert not at.exception
    assert drawn()
