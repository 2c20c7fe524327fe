"""The briefing page: composition, wording, escaping, self-containment, and the Chromium picture."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date

import pytest
from markupsafe import escape

from geo.core import atomic
from geo.core.errors import UsageError
from geo.core.paths import DATA
from geo.core.schema import ARTICLES, load_dataset
from geo.present.brief import (
    MAX_SOURCES,
    NO_MATCH,
    SIZES,
    Size,
    clean_title,
    compose,
    footer_text,
    page_html,
    parse_size,
    remote_references,
)
from geo.present.filters import FilterOptions, Filters, apply, default_title, describe

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def escaped(text: str) -> str:
    """``text`` as the page template writes it (Jinja autoescape: ``& < > " '`` as entities)."""
    return str(escape(text))


def srcdoc(page: str) -> str:
    """The map document in the slide's iframe, as the browser reads the attribute."""
    return html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))


def fake_map(meetings, ds) -> str:
    """A stand-in map document for template tests (the real map is tested below, in Chromium)."""
    return f"<!DOCTYPE html><html><body><p class='fake'>{len(meetings)} on the map</p></body></html>"


def no_legend(meetings, ds):
    from geo.present.mapview import Swatch

    return tuple(
        Swatch(str(n), ds.mediator_colour(n)) for n in sorted({m for ms in meetings["mediator_list"] for m in ms})
    )


@pytest.fixture()
def data_dir(tmp_path):
    for name in ("venues.csv", "meetings.csv", "mediators.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


@pytest.fixture()
def ds(data_dir):
    return load_dataset(data_dir)


def brief_of(ds, filters=None, title=None):
    return compose(
        ds, filters or Filters(), title, map_builder=fake_map, legend_builder=no_legend, as_of=date(2026, 11, 23)
    )


# --- sizes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1920x1080", Size(1920, 1080)),
        ("1280x720", Size(1280, 720)),
        (" 1280X720 ", Size(1280, 720)),
        ("1920×1080", Size(1920, 1080)),
    ],
)
def test_parse_size_good(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["800x600", "1920", "big", "", "1920x1080x2"])
def test_parse_size_bad_lists_valid_sizes(text):
    with pytest.raises(UsageError, match="valid sizes: 1920x1080, 1280x720"):
        parse_size(text)


# --- words -----------------------------------------------------------------------------------


def test_default_title_and_subtitle_come_from_the_filters(ds):
    f = Filters(mediators=("Russia",), year_from=2016, year_to=2024)
    b = brief_of(ds, f)
    opts = FilterOptions.from_data(ds.meetings, ds.mediators)
    shown = apply(ds.meetings, f)
    assert b.title == default_title(f, opts, shown) == "Armenia–Azerbaijan talks, 2016–2022, mediated by Russia"
    assert b.subtitle == describe(f, opts, shown)
    assert b.meetings == 2 and b.venues == 2
    assert b.count == "2 meetings at 2 venues, 2016–2022"


@pytest.mark.parametrize(
    "given, expected", [("  My   title \n", "My title"), ("", "DEFAULT"), ("   ", "DEFAULT"), (None, "DEFAULT")]
)
def test_clean_title(given, expected):
    assert clean_title(given, "DEFAULT") == expected


def test_overlong_title_is_refused():
    with pytest.raises(UsageError, match="at most 300"):
        clean_title("x" * 301, "DEFAULT")


def test_sources_are_file_names_without_articles_csv(ds):
    b = brief_of(ds, Filters(mediators=("USA",)))
    assert b.sources == ("000_59bdae873928b924.txt",)


def test_sources_are_article_titles_when_known_in_order_without_repeats(data_dir):
    atomic.write_csv(
        data_dir / "articles.csv",
        ARTICLES.names,
        [
            {"file": "001_bf05ee2c8b903cb5.txt", "title": "Kazan talks report"},
            {"file": "000_59bdae873928b924.txt", "title": ""},  # unknown title: the file name stands in
        ],
    )
    b = brief_of(load_dataset(data_dir), Filters(year_from=2024))
    assert b.sources == ("002_74800a960da49e83.txt", "000_59bdae873928b924.txt", "Kazan talks report")


def test_footer_names_sources_data_date_and_map_credit(ds):
    text = footer_text(brief_of(ds, Filters(mediators=("EU",))))
    assert text == (
        "Sources: 004_347e82336e9202a9.txt; 002_74800a960da49e83.txt · Data as of 23 November 2026 · Map: Natural Earth"
    )


def test_footer_keeps_long_titles_to_two_lines(ds):
    from dataclasses import replace

    b = replace(
        brief_of(ds), sources=tuple(f"A rather long article title number {i} about the talks" for i in range(5))
    )
    text = footer_text(b)
    assert "number 2 about the talks; and 2 more ·" in text and "number 3" not in text


def test_footer_shortens_a_long_source_list(ds):
    from dataclasses import replace

    b = replace(brief_of(ds), sources=tuple(f"Article {i}" for i in range(MAX_SOURCES + 3)))
    assert f"Article {MAX_SOURCES - 1}; and 3 more ·" in footer_text(b)
    assert f"Article {MAX_SOURCES};" not in footer_text(b)


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
def test_page_has_every_part(ds, size):
    b = brief_of(ds, Filters(mediators=("Russia",), year_from=2016, year_to=2024))
    page = page_html(b, size)
    assert f"width:{size.width}px;height:{size.height}px" in page
    for part in (b.title, b.subtitle, b.count, "Map: Natural Earth", "Data as of 23 November 2026"):
        assert escaped(part) in page
    for label, colour, _hollow in b.legend:
        assert f'style="background:{colour}"' in page and escaped(label) in page
    assert srcdoc(page) == fake_map(range(b.meetings), ds)
    assert NO_MATCH not in page


@pytest.mark.parametrize("map_doc", ["<p class='fake'>1 on the map</p>", "<a href=\"x\">'&amp;' <b>&lt;</b></a>"])
def test_renderer_serves_the_map_document_at_its_own_url(ds, map_doc):
    """The PNG path moves the map out of srcdoc (parsed twice by Chromium) to MAP_URL, unescaped
    exactly as the browser would read the attribute; the slide's other parts stay as they were."""
    from geo.present.render import MAP_URL, split_map

    b = brief_of(ds)
    b = type(b)(**{**b.__dict__, "map_html": map_doc})
    page = page_html(b)
    slide, served = split_map(page)
    assert served == map_doc == srcdoc(page)
    assert f'<iframe id="brief-map" title="Map" src="{MAP_URL}">' in slide and "srcdoc" not in slide
    assert slide.replace(f' src="{MAP_URL}"', "") == re.sub(r' srcdoc="[^"]*"', "", page)
    assert split_map("<p>no map</p>") == ("<p>no map</p>", "")


def test_size_note_when_circles_differ(data_dir):
    import csv as _csv

    from geo.present.brief import SIZE_NOTE

    path = data_dir / "meetings.csv"
    rows = list(_csv.DictReader(path.open(encoding="utf-8")))
    rows[1]["venue"] = rows[0]["venue"]  # Brussels meeting moved to St. Petersburg: 2 there
    atomic.write_csv(path, list(rows[0].keys()), rows)
    ds = load_dataset(data_dir)
    b = brief_of(ds)
    assert b.meetings == b.venues + 1
    assert SIZE_NOTE in page_html(b)
    one = brief_of(ds, Filters(year_to=2016))  # the St. Petersburg meeting alone: one circle size
    assert (one.meetings, one.venues) == (1, 1) and SIZE_NOTE not in page_html(one)


def test_text_is_escaped_everywhere(data_dir):
    atomic.write_csv(
        data_dir / "articles.csv", ARTICLES.names, [{"file": "004_347e82336e9202a9.txt", "title": HOSTILE}]
    )
    b = brief_of(load_dataset(data_dir), Filters(mediators=("EU",)), title=HOSTILE)
    page = page_html(b)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count(escaped(HOSTILE)) >= 2  # title, <title>, footer


@pytest.mark.parametrize(
    "fit, scripted",
    [("window", "window.innerWidth / 1920"), ("width", "document.documentElement.clientWidth / 1920"), (None, None)],
)
def test_fit_script_matches_the_choice(ds, fit, scripted):
    page = page_html(brief_of(ds), SIZES["1920x1080"], fit=fit)
    assert ("<script>" in page) == (scripted is not None)
    assert scripted is None or scripted in page


def test_unknown_fit_is_refused(ds):
    with pytest.raises(ValueError, match="fit must be one of"):
        page_html(brief_of(ds), fit="height")


def test_empty_result_says_no_meetings_match(ds):
    b = brief_of(ds, Filters(year_from=2030))
    assert b.empty and b.legend == () and b.sources == ()
    page = page_html(b)
    assert NO_MATCH in page and "No meetings match the filters" in page


# --- self-containment checker ----------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        '<script src="https://cdn.example/leaflet.js"></script>',
        "<link rel='stylesheet' href='http://cdn.example/a.css'>",
        "<img src=//cdn.example/x.png>",
        '<style>.a{background:url("https://tiles.example/1.png")}</style>',
        '<style>@import "https://fonts.example/f.css";</style>',
        '<div style="background: url(http://x.example/a.png)"></div>',
        '<iframe srcdoc="&lt;script src=&quot;https://cdn.example/x.js&quot;&gt;&lt;/script&gt;"></iframe>',
    ],
)
def test_remote_references_are_found(doc):
    assert remote_references(doc)


@pytest.mark.parametrize(
    "doc",
    [
        "<p>See https://example.org for more</p>",
        '<script>var a = "<a href=\\"https://leafletjs.com\\">Leaflet</a>";</script>',
        '<img src="data:image/png;base64,AAAA"><a href="#top">top</a>',
        "<style>.a{background:url(data:image/svg+xml;base64,AAA)}</style>",
    ],
)
def test_inline_documents_pass(doc):
    assert remote_references(doc) == []


# --- in Chromium: the real map, the text on the page at capture time, the layout -------------

from geo.present.browser import chromium_path  # noqa: E402

needs_chromium = pytest.mark.skipif(
    chromium_path() is None, reason="Chromium not installed (scripts/setup.sh installs it)"
)
LONG_TITLE = (
    "Where Armenian and Azerbaijani leaders and foreign ministers met, with and without mediators, "
    "from the St. Petersburg summit of June 2016 to the Kazan meeting at the BRICS "
    "summit in October 2024"
)


def real_brief(ds, filters, title=None):
    return compose(ds, filters, title, as_of=date(2026, 11, 23))


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def assert_laid_out(shot):
    slide = shot.box("slide")
    parts = ["title", "subtitle", "map", "legend", "footer"]
    for name in parts:
        assert shot.box(name).inside(slide), name
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            assert not shot.box(a).overlaps(shot.box(b)), (a, b)
    for name in ("title", "subtitle", "legend", "footer"):
        assert not shot.box(name).clipped, f"{name} is cut off"
    m = shot.box("map")
    assert m.bottom - m.top >= 0.5 * shot.size.height and m.right - m.left >= 0.6 * shot.size.width


@pytest.fixture(scope="module")
def committed():
    return load_dataset(DATA)


@needs_chromium
@pytest.mark.browser
def test_both_sizes_show_title_filters_count_legend_and_sources_when_captured(committed, browser):
    from geo.present.render import Job, capture_all

    f = Filters(mediators=("Russia",), year_from=2016, year_to=2024)
    b = real_brief(committed, f)
    page_sizes = list(SIZES.values())
    shots = capture_all([Job(page_html(b, s), s) for s in page_sizes], browser=browser)
    for size, shot in zip(page_sizes, shots):
        assert png_size(shot.png) == (size.width, size.height)
        assert shot.blocked == () and shot.errors == ()
        assert shot.markers == shot.visible == 2  # St. Petersburg and Sochi, both in view
        assert sorted(shot.labels) == ["Sochi", "St. Petersburg"] and shot.clashes == 0
        assert dict(zip(shot.labels, shot.label_dates)) == {"St. Petersburg": "20 Jun 2016", "Sochi": "31 Oct 2022"}
        assert "20 Jun 2016\tSt. Petersburg" in shot.text or "20 Jun 2016\nSt. Petersburg" in shot.text  # the list
        for text in (
            "Armenia–Azerbaijan talks, 2016–2022, mediated by Russia",  # the years shown, not the filter's
            "All levels and statuses",
            "2 meetings at 2 venues, 2016–2022",
            "Map: Natural Earth",
            "Data as of 23 November 2026",
            *b.sources,
        ):
            assert text in shot.text
        assert len(b.sources) == 2  # the St. Petersburg and the Sochi articles
        assert "Russia" in shot.text and "OSCE Minsk Group" in shot.text  # St. Petersburg's inner ring
        assert "Rings: a venue whose meetings had several mediators" in shot.text
        assert_laid_out(shot)


@needs_chromium
@pytest.mark.browser
def test_long_hostile_title_wraps_as_text_and_empty_result_says_so(committed, browser):
    from dataclasses import replace

    from geo.present.render import Job, capture_all

    hostile = LONG_TITLE + " " + HOSTILE
    long_sources = tuple(
        f"A rather long article title number {i} about the peace talks and their venues" for i in range(9)
    )
    crowded = replace(real_brief(committed, Filters(), hostile), sources=long_sources)
    pages = [
        Job(page_html(crowded, SIZES["1280x720"]), SIZES["1280x720"]),
        Job(
            page_html(real_brief(committed, Filters(mediators=("Germany",))), SIZES["1920x1080"]),
            SIZES["1920x1080"],
            expect_markers=False,
        ),
    ]
    long_shot, empty_shot = capture_all(pages, browser=browser)
    assert HOSTILE in long_shot.text  # shown as text, never run
    assert long_shot.errors == ()
    title = long_shot.box("title")
    assert title.bottom - title.top > 2 * 0.9 * 34 * 720 / 1080  # wrapped onto several lines
    assert_laid_out(long_shot)
    assert "No meetings match" in empty_shot.text and empty_shot.markers == 0
    assert_laid_out(empty_shot)


@needs_chromium
@pytest.mark.browser
@pytest.mark.parametrize(
    "map_doc, detail",
    [
        ("<p>no map here</p>", "Leaflet loaded: False; no script error reported"),
        ("<script>throw new Error('broken map script')</script>", "broken map script"),
    ],
    ids=["no-map", "script-error"],
)
def test_a_map_that_never_draws_is_a_render_error_naming_what_was_missing(ds, browser, map_doc, detail):
    """The wait for the drawn map gives up at its time limit with what it saw, not a hang."""
    from geo.present.render import RenderError, capture

    b = brief_of(ds)
    b = type(b)(**{**b.__dict__, "map_html": map_doc})
    with pytest.raises(RenderError, match="did not finish drawing within 1 s") as info:
        capture(page_html(b, SIZES["1280x720"]), SIZES["1280x720"], timeout_ms=1000, browser=browser)
    assert "basemap shapes: 0, venue markers: 0" in str(info.value) and detail in str(info.value)


@pytest.mark.browser
def test_every_venue_is_named_on_the_map_without_labels_covering_markers(committed, browser):
    from geo.present.render import capture

    shot = capture(page_html(real_brief(committed, Filters()), SIZES["1280x720"]), SIZES["1280x720"], browser=browser)
    assert sorted(shot.labels) == sorted(committed.meetings["venue"].unique())
    assert shot.clashes == 0 and shot.cut == 0  # Washington/New York and the European cluster are the hard cases


def test_legend_lists_only_colours_drawn(committed):
    from geo.present.brief import legend

    shown = committed.meetings[committed.meetings["year"] == 2022]  # Brussels EU, Prague EU+France, Sochi Russia
    colour = dict(zip(committed.mediators["name"], committed.mediators["colour"]))
    assert [(s.label, s.colour) for s in legend(shown, committed)] == [
        ("Russia", colour["Russia"]),
        ("European Union", colour["EU"]),
        ("France", colour["France"]),
    ]  # Prague: rings


def test_real_map_page_has_no_remote_resources(committed):
    page = page_html(real_brief(committed, Filters()))
    assert remote_references(page) == []
    assert "venue-marker" in html.unescape(page)


# --- the app's briefing page (AppTest: no browser) -------------------------------------------


def briefing_page(**params):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DATA.parent / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("app_pages/briefing.py")
    at.run()
    assert not at.exception, at.exception
    return at


def slide_of(at) -> str:
    """The slide inside the preview's sandboxed frame (scripts yes, same origin as the app no)."""
    import html

    frames = at.get("iframe")
    assert len(frames) == 1
    outer = frames[0].proto.srcdoc
    inner = re.findall(r'<iframe sandbox="allow-scripts" title="Briefing preview" srcdoc="([^"]*)"', outer)
    assert len(inner) == 1 and outer.count("<iframe") == 1
    return html.unescape(inner[0])


@pytest.mark.slow  # runs the whole app (AppTest)
def test_app_page_shows_the_filtered_slide_with_downloads():
    at = briefing_page(mediator="Russia")
    assert at.text_input[0].value == "Armenia–Azerbaijan talks, 2016–2022, mediated by Russia"  # the years shown
    assert [b.label for b in at.main.get("download_button")] == ["PNG 1920×1080", "PNG 1280×720", "HTML (offline)"]
    assert [b.label for b in at.sidebar.get("download_button")] == ["CSV", "GeoJSON"]  # app.py ran too
    slide = slide_of(at)
    assert '<h1 id="brief-title">Armenia–Azerbaijan talks, 2016–2022, mediated by Russia</h1>' in slide
    assert "2 meetings at 2 venues, 2016–2022" in slide
    at.text_input[0].set_value(HOSTILE).run()
    slide = slide_of(at)
    assert escaped(HOSTILE) in slide and HOSTILE not in slide


@pytest.mark.slow  # runs the whole app (AppTest)
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"mediator": "Germany"}, "No meetings match"),
        ({"until": "2022-09-01"}, "up to 1 September 2022"),
    ],
)
def test_app_page_follows_every_filter_including_the_map_time(params, expected):
    slide = slide_of(briefing_page(**params))
    assert expected.casefold() in slide.casefold()  # the subtitle starts with a capital
    if "until" in params:
        assert "2 meetings at 2 venues, 2016–2022" in slide  # St. Petersburg 2016, Brussels Aug 2022


@needs_chromium
@pytest.mark.browser
def test_hostile_venue_name_is_shown_as_text_in_the_map_label(data_dir, browser):
    import csv as _csv

    from geo.present.render import capture

    bad = "Sochi<img src=x onerror=alert(1)>"
    for name in ("venues.csv", "meetings.csv"):
        path = data_dir / name
        rows = list(_csv.DictReader(path.open(encoding="utf-8")))
        for r in rows:
            if r["venue"] == "Sochi":
                r["venue"] = bad
        atomic.write_csv(path, list(rows[0].keys()), rows)
    b = real_brief(load_dataset(data_dir), Filters(mediators=("Russia",), year_from=2022))
    shot = capture(page_html(b, SIZES["1280x720"]), SIZES["1280x720"], browser=browser)
    assert shot.labels == (bad,)  # parsed as markup, the label would read just "Sochi"
    assert shot.errors == ()


@needs_chromium
@pytest.mark.browser
def test_labels_near_the_map_edge_keep_their_dates_inside_the_map(fixture_data, browser):
    """Almaty is the easternmost venue: its label goes left rather than past the map's edge."""
    from geo.present.render import capture

    ds = load_dataset(fixture_data)
    shot = capture(
        page_html(real_brief(ds, Filters(mediators=("none",))), SIZES["1280x720"]), SIZES["1280x720"], browser=browser
    )
    assert dict(zip(shot.labels, shot.label_dates)) == {"Almaty": "10 May 2024", "Tbilisi": "Aug 2024"}
    assert shot.clashes == 0 and shot.cut == 0 and "Tbilisi (planned)" in shot.text
