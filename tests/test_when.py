"""A date at its precision (geo.core.dates.When): parsing, the two written forms, comparing."""

from __future__ import annotations

from datetime import date

import pytest

from geo.core.dates import When, human_day


@pytest.mark.parametrize(
    "text, value, precision",
    [
        ("2024-10-23", date(2024, 10, 23), "day"),
        ("2024-07", date(2024, 7, 1), "month"),
        ("2016", date(2016, 1, 1), "year"),
    ],
)
def test_parse(text, value, precision):
    assert When.parse(text) == When(value, precision)
    assert When.parse(text).iso() == text


@pytest.mark.parametrize("text", ["2022-13-01", "2022-02-30", "22-01-01", "October 2022", ""])
def test_parse_bad(text):
    with pytest.raises(ValueError, match="bad date"):
        When.parse(text)


@pytest.mark.parametrize(
    "text, human",
    [("2022-10-06", "6 October 2022"), ("2024-09", "September 2024"), ("2024", "2024"), ("2016-06-20", "20 June 2016")],
)
def test_human_form_has_no_zero_padding_and_full_month(text, human):
    assert When.parse(text).human() == human


@pytest.mark.parametrize(
    "text, short",
    [("2022-10-06", "6 Oct 2022"), ("2024-09", "Sep 2024"), ("2024", "2024"), ("2016-06-20", "20 Jun 2016")],
)
def test_short_form_keeps_the_precision(text, short):
    assert When.parse(text).short() == short


def test_human_day():
    assert human_day(date(2026, 11, 3)) == "3 November 2026"


def test_value_is_the_first_day_of_the_period():
    assert When(date(2022, 10, 24), "month") == When.parse("2022-10")
    assert (When.parse("2024-02").first_day, When.parse("2024-02").last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    assert When.parse("2023").last_day == date(2023, 12, 31)


@pytest.mark.parametrize(
    "a, b, agree",
    [
        ("2024", "2024-07", True),
        ("2022-10", "2022-10-31", True),
        ("2024-09", "2024-10-23", False),
        ("2024-10-22", "2024-10-23", False),
        ("2023", "2024-01", False),
    ],
)
def test_agrees_at_the_coarser_precision(a, b, agree):
    assert When.parse(a).agrees(When.parse(b)) is agree
    assert When.parse(b).agrees(When.parse(a)) is agree


def test_coarsen_never_refines():
    day = When.parse("2024-10-23")
    assert day.coarsen("month") == When.parse("2024-10")
    assert When.parse("2024").coarsen("day") == When.parse("2024")


def test_sorts_by_date_then_finer_first():
    dates = [When.parse(t) for t in ("2024-10-23", "2024", "2023-12", "2024-01-01")]
    assert [d.iso() for d in sorted(dates)] == ["2023-12", "2024-01-01", "2024", "2024-10-23"]


def test_bad_precision():
    with pytest.raises(ValueError, match="bad precision"):
        When(date(2024, 1, 1), "week")  # type: ignore[arg-type]
