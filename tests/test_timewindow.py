"""The time window (issue 11): meetings "up to" a day, a month or a year at the data's own
precision, the time control's steps, previous/next, the histogram; the host filter; the URL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.core.dates import When
from geo.core.errors import UsageError
from geo.core.schema import MEETINGS, load_dataset, meetings_frame
from geo.present.filters import (
    FilterOptions,
    Filters,
    apply,
    from_cli,
    from_query,
    to_query,
    window_line,
    window_words,
)
from geo.present.timewindow import (
    LATER,
    SHOWN,
    as_window,
    histogram,
    in_window,
    next_step,
    period_ends,
    position,
    previous_step,
    steps,
)

W = When.parse


@pytest.fixture(scope="module")
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.fixture(scope="module")
def opts(ds):
    return FilterOptions.from_data(ds.meetings, ds.mediators)


def frame(*dates: str) -> pd.DataFrame:
    """Meetings with only these dates (the other cells plausible)."""
    rows = []
    for i, d in enumerate(dates):
        rows.append(
            {
                "id": f"t-{i}",
                "date": d,
                "date_precision": W(d).precision,
                "venue": "Vienna",
                "mediators": "none",
                "host": "AT",
                "level": "leaders",
                "format": "bilateral",
                "status": "held",
                "confidence": "0.9",
            }
        )
    return meetings_frame([{**{c: "" for c in MEETINGS.names}, **r} for r in rows])


# ---------------------------------------------------------------------------------------------
# Which meetings a window holds


@pytest.mark.parametrize(
    "text, end",
    [("2024-09-15", date(2024, 9, 15)), ("2024-02", date(2024, 2, 29)), ("2023", date(2023, 12, 31))],
)
def test_a_period_ends_on_its_last_day(text, end):
    assert period_ends(frame(text)).iloc[0].date() == end


@pytest.mark.parametrize(
    "until, shown",
    [
        (None, 9),
        ("2016-05-15", 0),  # the day before the first meeting
        ("2016-05-16", 1),
        ("2018-03-15", 1),  # "March 2018" may have been later in the month: not yet
        ("2018-03-31", 2),  # ... by the end of March it has taken place
        ("2018-03", 2),
        ("2018", 2),
        ("2022-10", 5),
        ("2024", 9),
    ],
)
def test_a_meeting_is_in_the_window_once_its_dated_period_is_over(ds, until, shown):
    window = W(until) if until else None
    assert int(in_window(ds.meetings, window).sum()) == shown
    assert len(apply(ds.meetings, Filters(until=window))) == shown


def test_a_plain_date_is_a_day_window():
    assert Filters(until=date(2022, 6, 1)).until == W("2022-06-01")


# ---------------------------------------------------------------------------------------------
# Steps, previous and next


def test_steps_are_the_meetings_own_dates_at_their_precision(ds):
    labels = [s.short() for s in steps(ds.meetings)]
    assert labels == [
        "16 May 2016",
        "Mar 2018",
        "26 Nov 2021",
        "22 May 2022",
        "Oct 2022",
        "May 2023",
        "10 May 2024",
        "Aug 2024",
        "Nov 2024",
    ]


@pytest.mark.parametrize(
    "dates, labels",
    [
        (("2024-09-30", "2024-09"), ["Sep 2024"]),  # both over by 30 September: one step, the coarser label
        (("2024-12-31", "2024-12", "2024"), ["2024"]),
        (("2024-09-15", "2024-09"), ["15 Sep 2024", "Sep 2024"]),
        (("2024-09-15", "2024-09-15"), ["15 Sep 2024"]),  # two meetings on one day: one step
        ((), []),
    ],
)
def test_one_step_per_end_of_period(dates, labels):
    assert [s.short() for s in steps(frame(*dates))] == labels


STEPS = tuple(W(d) for d in ("2016-05-16", "2018-03", "2021-11-26"))


@pytest.mark.parametrize(
    "until, index, earlier, later",
    [
        (None, 2, "2018-03", None),
        ("2021-11-26", 2, "2018-03", None),
        ("2018-03", 1, "2016-05-16", "2021-11-26"),
        ("2019-06-01", 1, "2016-05-16", "2021-11-26"),  # between steps: the one before
        ("2018-03-15", 0, None, "2018-03"),
        ("2016-05-16", 0, None, "2018-03"),
        ("2015", -1, None, "2016-05-16"),
    ],
)
def test_previous_and_next_meeting(until, index, earlier, later):
    window = W(until) if until else None
    assert position(STEPS, window) == index
    assert previous_step(STEPS, window) == (W(earlier) if earlier else None)
    assert next_step(STEPS, window) == (W(later) if later else None)


@pytest.mark.parametrize("step, kept", [(None, None), ("2021-11-26", None), ("2018-03", "2018-03")])
def test_the_last_step_is_every_meeting(step, kept):
    assert as_window(STEPS, W(step) if step else None) == (W(kept) if kept else None)


# ---------------------------------------------------------------------------------------------
# The histogram


def test_yearly_histogram_splits_each_year_at_the_window(ds):
    bins = histogram(ds.meetings, W("2022-10"))
    f = bins.frame
    assert bins.unit == "year"
    assert list(f[f["part"] == SHOWN]["label"]) == [str(y) for y in range(2016, 2025)]  # gaps included
    by = f.pivot(index="label", columns="part", values="meetings")
    assert by.loc["2022", SHOWN] == 2 and by.loc["2022", LATER] == 0
    assert by.loc["2017", SHOWN] == 0 and by[SHOWN].sum() == 5 and by[LATER].sum() == 4


def test_a_short_span_is_binned_by_month():
    bins = histogram(frame("2022-05-22", "2022-10", "2023-05"), W("2022-10-15"))
    f = bins.frame[bins.frame["part"] == SHOWN]
    assert bins.unit == "month" and len(f) == 13 and f["label"].iloc[0] == "May 2022"
    assert int(f["meetings"].sum()) == 1  # "October 2022" is not over on 15 October


def test_an_empty_histogram():
    bins = histogram(frame(), None)
    assert bins.frame.empty


# ---------------------------------------------------------------------------------------------
# Host filter, counts, the URL and the command line


def test_options_count_meetings_and_put_mediators_without_any_last(opts):
    assert opts.mediator_label("Russia") == "Russia (3)" and opts.mediator_label("Germany") == "Germany (0)"
    assert opts.offered_mediators()[-1] == "Germany"
    assert opts.hosts == ("AT", "BE", "GE", "KZ", "RU", "CH", "US")  # by country name
    assert opts.host_label("KZ") == "Kazakhstan (1)" and opts.host_label("US") == "United States (2)"


@pytest.mark.parametrize("hosts, venues", [(("KZ",), {"Almaty"}), (("RU", "BE"), {"Sochi", "Brussels"})])
def test_host_filter(ds, hosts, venues):
    assert set(apply(ds.meetings, Filters(hosts=hosts))["venue"]) == venues


@pytest.mark.parametrize(
    "f",
    [
        Filters(hosts=("KZ",)),
        Filters(hosts=("RU", "US"), mediators=("Russia",)),
        Filters(until=W("2022-10")),
        Filters(until=W("2018")),
        Filters(until=W("2022-05-22"), hosts=("BE",), levels=("leaders",)),
    ],
)
def test_url_round_trip(opts, f):
    assert from_query(to_query(f), opts) == (f, [])


@pytest.mark.parametrize(
    "params, expected, notice",
    [
        ({"host": "kazakhstan"}, Filters(hosts=("KZ",)), None),
        ({"host": ["kz", "KZ"]}, Filters(hosts=("KZ",)), None),
        ({"host": "XX"}, Filters(), "Ignored host 'XX' in the link: no meeting in the data was hosted there."),
        ({"host": "DE"}, Filters(), "Ignored host 'DE'"),  # a country, but no meeting there
        ({"until": "garbage"}, Filters(), "Ignored until='garbage' in the link: not a date"),
        ({"until": "2022-13"}, Filters(), "Ignored until='2022-13'"),
        ({"until": "1990"}, Filters(until=W("2016-05-16")), "before the first meeting (16 May 2016)"),
        ({"until": "2030-01"}, Filters(), "after the last meeting (November 2024); showing every meeting"),
    ],
)
def test_bad_link_values_are_notices(opts, params, expected, notice):
    f, notices = from_query(params, opts)
    assert f == expected
    assert (notice is None and not notices) or (notice and any(notice in n for n in notices))


def test_cli_host(opts):
    assert from_cli(opts, hosts=["KZ", "Russia"]).hosts == ("KZ", "RU")
    with pytest.raises(UsageError, match=r"unknown host 'Narnia'; hosts in the data: AT \(Austria\), BE"):
        from_cli(opts, hosts=["Narnia"])


@pytest.mark.parametrize(
    "until, shown, total, line",
    [
        (None, 9, 9, "Time window: all dates — 9 meetings in the filters"),
        (W("2024-09"), 4, 9, "Time window: up to September 2024 — 4 of 9 meetings in the filters"),
        (W("2016"), 1, 1, "Time window: up to 2016 — 1 of 1 meeting in the filters"),
    ],
)
def test_window_words(until, shown, total, line):
    assert window_line(until, shown, total) == line
    assert window_words(until) in line


# ---------------------------------------------------------------------------------------------
# The charts that show the window


def test_timeline_marks_the_windows_end_and_keeps_the_whole_span(ds):
    from geo.present.timeline import per_year_chart, timeline_chart

    shown = apply(ds.meetings, Filters(until=W("2022-10")))
    span = (ds.meetings["when"].min(), ds.meetings["when"].max())
    spec = timeline_chart(shown, ds.mediators, span=span, until=W("2022-10")).to_dict()
    points, rule = spec["layer"]
    assert points["encoding"]["x"]["scale"]["domain"][0].startswith("2016-04")  # the span, padded
    assert "2022-10-31" in str(spec["datasets"]) and "up to October 2022" in str(spec["datasets"])
    assert "October 2022" in str(spec["datasets"]) and "August 2024" not in str(spec["datasets"])  # shown only
    years = per_year_chart(shown, ds.mediators, span=(2016, 2024)).to_dict()["encoding"]["x"]["scale"]["domain"]
    assert years == list(range(2016, 2025))


def test_the_histogram_chart_colours_the_window(ds):
    from geo.present.timeline import IN_WINDOW_COLOUR, window_histogram

    spec = window_histogram(histogram(ds.meetings, W("2022-10"))).to_dict()
    assert spec["encoding"]["color"]["scale"]["range"][0] == IN_WINDOW_COLOUR
    assert spec["encoding"]["x"]["field"] == "label"
