"""The slide's words say what the meetings shown say (issue 11): title span = count-line span,
a subtitle without repeats or defaults, statuses only when present, the build's own date."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date

import pytest

from geo.core.dates import When
from geo.core.errors import DataError
from geo.core.schema import load_dataset
from geo.present.brief import compose, footer_text
from geo.present.filters import FilterOptions, Filters, apply, count_line, default_title, describe

SPAN = re.compile(r"\b(\d{4}(?:–\d{4})?)\b")

FILTERS = {
    "all": Filters(),
    "Russia": Filters(mediators=("Russia",)),
    "EU, whole range": Filters(mediators=("EU",), year_from=2016, year_to=2024),
    "France": Filters(mediators=("France",)),
    "USA": Filters(mediators=("USA",)),
    "direct talks": Filters(mediators=("none",)),
    "Russia and direct": Filters(mediators=("Russia", "none")),
    "select all": Filters(mediators=("Russia", "EU", "France", "USA", "OSCE Minsk Group", "Germany", "none")),
    "2017-2023": Filters(year_from=2017, year_to=2023),
    "leaders": Filters(levels=("leaders",)),
    "planned": Filters(statuses=("planned",)),
    "up to 2022": Filters(until=date(2022, 6, 1)),
    "Germany (no meetings)": Filters(mediators=("Germany",)),
    "hosted by Kazakhstan": Filters(hosts=("KZ",)),
    "hosted by Russia or the US": Filters(hosts=("RU", "US")),
    "Russia, hosted by Belgium (none)": Filters(mediators=("Russia",), hosts=("BE", "RU")),
    "up to August 2024, hosted by the US": Filters(hosts=("US",), until=When.parse("2024-08")),
}
HOSTED = [key for key, f in FILTERS.items() if f.hosts]


def fake_map(meetings, ds) -> str:
    return "<!DOCTYPE html><html><body></body></html>"


def no_legend(meetings, ds):
    return ()


@pytest.fixture(scope="module")
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.fixture(scope="module")
def opts(ds):
    return FilterOptions.from_data(ds.meetings, ds.mediators)


def brief(ds, f):
    return compose(ds, f, map_builder=fake_map, legend_builder=no_legend)


@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
def test_title_span_is_the_count_line_span(ds, f):
    b = brief(ds, f)
    title_spans, count_spans = SPAN.findall(b.title), SPAN.findall(b.count)
    assert title_spans == count_spans  # both empty when nothing is shown
    shown = apply(ds.meetings, f)
    if len(shown):
        y0, y1 = shown["year"].min(), shown["year"].max()
        assert count_spans == [f"{y0}–{y1}" if y0 != y1 else str(y0)]


@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
def test_subtitle_never_repeats_the_title(ds, opts, f):
    b = brief(ds, f)
    assert b.subtitle
    for span in SPAN.findall(b.title):
        assert span not in b.subtitle
    shown = apply(ds.meetings, f)
    for name in {m for ms in shown["mediator_list"] for m in ms} - {"none"}:
        assert opts.labels[name] not in b.subtitle


def test_the_eu_title_says_the_years_of_the_eu_meetings(ds):
    b = brief(ds, FILTERS["EU, whole range"])
    assert b.title == "Armenia–Azerbaijan talks, 2022, mediated by European Union"
    assert b.count == "2 meetings at 2 venues, 2022"
    assert b.subtitle == "All levels and statuses"  # 2016–2024 is the whole data: a default, not named


@pytest.mark.parametrize(
    "key, subtitle",
    [
        ("all", "Held, planned and cancelled"),
        ("Russia", "All levels and statuses"),  # every Russia meeting was held: no statuses named
        ("USA", "Held and cancelled"),
        ("planned", "Planned"),
        ("leaders", "Leaders level"),
        ("up to 2022", "Up to 1 June 2022"),
        ("2017-2023", "Years 2017–2023 chosen"),  # the meetings shown span 2018–2023
        ("Germany (no meetings)", "All levels and statuses"),
    ],
)
def test_subtitle_names_non_default_filters_and_statuses_present(ds, key, subtitle):
    assert brief(ds, FILTERS[key]).subtitle == subtitle


@pytest.mark.parametrize("key", HOSTED)
def test_a_chosen_host_is_in_the_words(ds, opts, key):
    """The title names the hosts of the meetings shown, the subtitle those with none shown
    (never both: no repeat), and a page without a title (the summary) names them too."""
    from geo.present.countries import country_name
    from geo.present.filters import summary

    f = FILTERS[key]
    shown = apply(ds.meetings, f)
    title, words, rest = default_title(f, opts, shown), summary(f, opts, shown), describe(f, opts, shown)
    for code in f.hosts:
        name = country_name(code)
        hosted = code in set(shown["host"])
        assert (name in title) == hosted and (name in rest) != hosted
        assert name in words


@pytest.mark.parametrize(
    "key, title, subtitle",
    [
        (
            "hosted by Kazakhstan",
            "Armenia–Azerbaijan talks, 2024, hosted by Kazakhstan",
            "All levels and statuses",
        ),
        (
            "hosted by Russia or the US",
            "Armenia–Azerbaijan talks, 2018–2024, hosted by Russia or United States",
            "Held and cancelled",
        ),
        (
            "Russia, hosted by Belgium (none)",
            "Armenia–Azerbaijan talks, 2018–2021, mediated by Russia, hosted by Russia",
            "No meetings hosted by Belgium",
        ),
        (
            "up to August 2024, hosted by the US",
            "Armenia–Azerbaijan talks, 2023, hosted by United States",
            "Up to August 2024",
        ),
    ],
)
def test_host_words(ds, key, title, subtitle):
    b = brief(ds, FILTERS[key])
    assert (b.title, b.subtitle) == (title, subtitle)


def test_select_all_names_no_mediator(ds, opts):
    f = Filters(mediators=opts.mediators)
    shown = apply(ds.meetings, f)
    assert default_title(f, opts, shown) == "Armenia–Azerbaijan talks, 2016–2024"
    assert "Germany" not in describe(f, opts, shown)


def test_a_chosen_mediator_without_meetings_is_said_in_the_subtitle_not_the_title(ds, opts):
    f = Filters(mediators=("Russia", "Germany"))
    b = brief(ds, f)
    assert "Germany" not in b.title and b.subtitle == "No meetings mediated by Germany"


def test_nothing_shown_names_what_was_asked_for_without_years(ds):
    b = brief(ds, FILTERS["Germany (no meetings)"])
    assert b.title == "Armenia–Azerbaijan talks, mediated by Germany"
    assert b.count == count_line(ds.meetings.iloc[0:0])


def test_data_date_is_the_build_date_in_the_data_not_the_file_time(fixture_data, tmp_path):
    shutil.copytree(fixture_data, tmp_path / "d")
    for p in (tmp_path / "d").glob("*.csv"):
        os.utime(p, (0, 0))  # a clone: file times say nothing about the data
    b = brief(load_dataset(tmp_path / "d"), Filters())
    assert "Data as of 20 November 2026" in footer_text(b)


def test_tables_without_a_build_date_say_so(fixture_data, tmp_path):
    shutil.copytree(fixture_data, tmp_path / "d")
    (tmp_path / "d" / "build.csv").unlink()
    text = footer_text(brief(load_dataset(tmp_path / "d"), Filters()))
    assert "Build date not recorded" in text and "Data as of" not in text


def test_a_broken_build_table_names_file_and_row(fixture_data, tmp_path):
    shutil.copytree(fixture_data, tmp_path / "d")
    (tmp_path / "d" / "build.csv").write_text("built,articles,meetings\n2026-13-01,4,9\n")
    with pytest.raises(DataError, match=r"build.csv, row 2, field 'built'"):
        load_dataset(tmp_path / "d")


@pytest.mark.parametrize(
    "key, words",
    [
        ("all", "Held, planned and cancelled"),
        ("Russia and direct", "Mediated by Russia, and direct talks; Held and planned"),
        ("France", "Mediated by France; All levels and statuses"),
    ],
)
def test_summary_for_a_page_without_a_title_names_the_mediators_too(ds, opts, key, words):
    from geo.present.filters import summary

    f = FILTERS[key]
    assert summary(f, opts, apply(ds.meetings, f)) == words


def test_an_analysts_own_title_keeps_the_mediators_in_the_subtitle(ds):
    b = compose(ds, Filters(mediators=("EU",)), "EU-mediated talks", map_builder=fake_map, legend_builder=no_legend)
    assert b.title == "EU-mediated talks" and b.subtitle == "Mediated by European Union; All levels and statuses"


# --- when: dates beside the venues and a dated list (the slide's side column) ----------------


def test_dated_list_is_in_date_order_at_each_meetings_precision(ds):
    from geo.present.brief import dated_list

    rows, more = dated_list(ds.meetings, 20)
    assert more == 0 and rows[:2] == (("16 May 2016", "Vienna"), ("Mar 2018", "Sochi"))
    assert ("Aug 2024", "Tbilisi (planned)") in rows and ("Nov 2024", "Washington (cancelled)") in rows


@pytest.mark.parametrize("room, listed, more", [(9, 9, 0), (8, 7, 2), (3, 2, 7), (1, 1, 8)])
def test_a_long_dated_list_ends_with_and_n_more(ds, room, listed, more):
    from geo.present.brief import dated_list

    rows, rest = dated_list(ds.meetings, room)
    assert (len(rows), rest) == (listed, more) and len(rows) + rest == len(ds.meetings)


def test_venue_dates_for_the_labels(ds):
    from geo.present.brief import venue_dates

    when = venue_dates(ds.meetings)
    assert when["Sochi"] == "Mar 2018, 26 Nov 2021" and when["Geneva"] == "Oct 2022"


def test_the_slide_lists_the_meetings_shown_and_says_how_many_more(ds):
    from geo.present.brief import LIST_ROWS, page_html

    b = brief(ds, Filters())
    assert len(b.dated) + b.more == 9 and len(b.dated) + len(b.legend) + 2 <= LIST_ROWS
    page = page_html(b)
    assert "<b>16 May 2016</b><span>Vienna</span>" in page
    assert (f"and {b.more} more" in page) == (b.more > 0)
