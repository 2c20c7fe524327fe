"""Date expressions and their resolution against the article date or an anchor event."""

from __future__ import annotations

from datetime import date

import pytest

from geo.core.dates import When
from geo.core.errors import DataError
from geo.meetings.dates_in_text import (
    Event,
    Reference,
    choose_event,
    default_events,
    find_dates,
    infer_reference,
    load_events,
    resolve,
)

SAT = Reference(date(2022, 10, 29), "day", "article")  # Saturday 29 October 2022


@pytest.mark.parametrize(
    "text, future, expected, precision",
    [
        ("will meet on Monday", True, "2022-10-31", "day"),
        ("said on Saturday", False, "2022-10-29", "day"),
        ("met on Thursday", False, "2022-10-27", "day"),
        ("held talks on Wednesday and Thursday", False, "2022-10-26", "day"),
        ("met earlier this month", False, "2022-10", "month"),
        ("will meet later this month", True, "2022-10", "month"),
        ("met on October 10 and 11", False, "2022-10-10", "day"),
        ("the leaders meet next Friday", False, "2022-11-04", "day"),
        ("the leaders met last Saturday", True, "2022-10-22", "day"),
        ("the leaders meet this coming Monday", False, "2022-10-31", "day"),
        ("met in August", False, "2022-08", "month"),
        ("met on June 20", False, "2022-06-20", "day"),
        ("will meet on May 10", True, "2023-05-10", "day"),
        ("clashes on Sept. 27, 2020", False, "2020-09-27", "day"),
        ("met on Oct. 31, 2022", False, "2022-10-31", "day"),
        ("the Prague meeting in October 2022", False, "2022-10", "month"),
        ("the April 2-6 flare-up", False, "2022-04-02", "day"),
        ("on 6 October 2022", False, "2022-10-06", "day"),
        ("this April", False, "2022-04", "month"),
        ("last month", False, "2022-09", "month"),
        ("the Astana process in 2017", False, "2017", "year"),
        # a weekday equal to the publication weekday is the publication day, in any tense
        ("will meet on Saturday", True, "2022-10-29", "day"),
        ("met on Saturday", False, "2022-10-29", "day"),
        # a past weekday backwards, a future one forwards
        ("met on Friday", False, "2022-10-28", "day"),
        ("will meet on Friday", True, "2022-11-04", "day"),
        ("earlier this year", False, "2022", "year"),
        ("later this year", True, "2022", "year"),
        ("the day before", False, "2022-10-28", "day"),
        ("in December this year", False, "2022-12", "month"),  # not pushed into the past
        ("in June this year", True, "2022-06", "month"),  # not pushed into the future
        ("in November last year", False, "2021-11", "month"),
        ("by the end of March", True, "2023-03", "month"),
        ("by the end of March", False, "2022-03", "month"),
        ("next week", True, "2022-11", "month"),
        ("last week", False, "2022-10", "month"),
    ],
)
def test_resolve_against_article_date(text, future, expected, precision):
    exprs = find_dates(text)
    assert len(exprs) == 1, exprs
    r = resolve(exprs[0], SAT, future=future)
    assert (r.iso, r.precision) == (expected, precision)


@pytest.mark.parametrize(
    "text",
    [
        "2 of 5 delegates",
        "after 10 days",
        "they may meet",
        "a 2024-13-40 code",
        "no dates here",
        "un cahier de propositions",  # "hier" inside a word is no "yesterday"
        "Le ministre a lu le cahier.",
    ],
)
def test_no_false_dates(text):
    assert find_dates(text) == []


def test_march_as_a_noun_is_not_a_date():
    # "the March on Washington" has no preposition before the month: not a date
    assert find_dates("the March on Washington") == []


def test_undated_article_leaves_the_date_unresolved():
    ref = infer_reference("Ministers met on March 3.", None, default_events())
    assert ref.value is None
    r = resolve(find_dates("on March 3")[0], ref)
    assert r.value is None and r.iso == "" and "undated" in r.note


@pytest.mark.parametrize(
    "text, venues, year, month",
    [
        ("Eight months into Putin's Ukraine offensive, talks resumed.", set(), 2022, 10),
        ("their second meeting after the Four-Day War this April", set(), 2016, 4),
        ("on the sidelines of the BRICS summit in Kazan", {"Kazan"}, 2024, 10),
    ],
)
def test_reference_from_anchor_events(text, venues, year, month):
    ref = infer_reference(text, None, default_events(), venues)
    assert (ref.value.year, ref.value.month, ref.precision, ref.source) == (year, month, "month", "anchor")


def test_venue_bound_event_needs_its_venue():
    # a BRICS summit elsewhere (or unnamed) says nothing about the year
    assert infer_reference("after the BRICS summit", None, default_events(), {"Johannesburg"}).value is None


def test_inferred_reference_gives_year_but_not_a_weekday():
    ref = infer_reference("Eight months into the Ukraine offensive", None, default_events())
    june = resolve(find_dates("on June 20")[0], ref)
    monday = resolve(find_dates("on Monday")[0], ref, future=True)
    assert (june.iso, june.precision) == ("2022-06-20", "day")
    assert (monday.iso, monday.precision) == ("2022-10", "month")


def test_bad_events_file_names_row_and_field(tmp_path):
    p = tmp_path / "events.csv"
    p.write_text(
        "name,aliases,start,end,city,country,series,source_url,note\n"
        "X,x,2022-13-01,2022-01-01,,,war,https://example.org/x,\nY,y,2022-02-01,2022-01-01,,,war,https://example.org/y,\n"
    )
    with pytest.raises(DataError) as err:
        load_events(p)
    msg = str(err.value)
    assert "row 2, field 'start'" in msg and "bad date" in msg


# -- the summit calendar -----------------------------------------------------------------------


def _ev(name, city, start, end=None, series="CIS"):
    return Event(name, ("CIS summit",), city, date.fromisoformat(start), date.fromisoformat(end or start), series)


SPB_2022 = _ev("CIS informal 2022", "St. Petersburg", "2022-12-26", "2022-12-27")
SPB_2023 = _ev("CIS informal 2023", "St. Petersburg", "2023-12-26")
MOSCOW_2024 = _ev("CIS 2024", "Moscow", "2024-10-08")
CALENDAR = (SPB_2022, SPB_2023, MOSCOW_2024)


def _ref(iso):
    return Reference(date.fromisoformat(iso), "day", "article") if iso else Reference(None, None, "none")


@pytest.mark.parametrize(
    "venue, text_date, published, future, expected",
    [
        ("Moscow", None, "2024-10-09", False, MOSCOW_2024),
        ("Kazan", None, "2024-10-09", False, None),  # the summit's city differs from the venue
        ("St. Petersburg", None, "2023-01-10", False, SPB_2022),  # last one before the article
        ("St. Petersburg", None, "2023-01-10", True, SPB_2023),  # announced: the next one
        ("St. Petersburg", "2023-12", "2023-01-10", False, SPB_2023),  # a date in the text decides
        ("St. Petersburg", "2021", "2023-01-10", False, None),  # no summit that year
        ("St. Petersburg", None, "2019-01-10", False, None),  # none within a year of the article
        ("Moscow", None, "", False, MOSCOW_2024),  # undated article: one row only
        ("St. Petersburg", None, "", False, None),  # undated article, a yearly series: unknown
    ],
)
def test_choose_event(venue, text_date, published, future, expected):
    when = When.parse(text_date) if text_date else None
    assert choose_event(CALENDAR, venue, when, _ref(published), future) == expected


def test_calendar_rows_have_sources_and_cities_the_gazetteer_spells():
    events = default_events()
    assert len(events) > 150
    assert {"Kazan", "Moscow", "Prague", "St. Petersburg", "Woodstock"} <= {e.venue for e in events}
    assert "Saint Petersburg" not in {e.venue for e in events}


def test_series_alias_does_not_date_an_undated_article():
    ref = infer_reference("after the informal CIS summit", None, default_events(), {"St. Petersburg"})
    assert ref.value is None


@pytest.mark.parametrize(
    ("text", "future", "expected", "precision"),
    [
        ("Министры встретились в пятницу.", False, "2022-10-28", "day"),
        ("Лидеры встретятся в субботу.", True, "2022-10-29", "day"),  # the publication weekday
        ("Переговоры прошли 12 октября.", False, "2022-10-12", "day"),
        ("Встреча состоится 3 ноября.", True, "2022-11-03", "day"),
        ("Предыдущая встреча прошла в марте.", False, "2022-03", "month"),
        ("Саммит прошёл в мае.", False, "2022-05", "month"),
        ("Les ministres se sont rencontrés jeudi soir.", False, "2022-10-27", "day"),
        ("Ils se rencontreront en novembre.", True, "2022-11", "month"),
        ("Le sommet a eu lieu le 31 août.", False, "2022-08-31", "day"),
        ("Une rencontre en mai.", False, "2022-05", "month"),
        ("Встреча должна была пройти в конце августа.", False, "2022-08", "month"),
        ("Переговоры намечены в середине ноября.", True, "2022-11", "month"),
        ("Ils s'étaient parlé fin septembre.", False, "2022-09", "month"),
        ("Une rencontre envisagée à la mi-juin.", False, "2022-06", "month"),
        ("Les ministres se verront début décembre.", True, "2022-12", "month"),
        ("Министры провели переговоры в среду и четверг.", False, "2022-10-26", "day"),
        ("Les ministres se sont réunis mercredi et jeudi.", False, "2022-10-26", "day"),
        # a weekday's own direction word wins over the sentence's tense and the publication day
        ("Лидеры встретились в прошлую субботу.", False, "2022-10-22", "day"),
        ("Лидеры встретятся в следующую субботу.", False, "2022-11-05", "day"),
        ("Ils se rencontrent vendredi prochain.", False, "2022-11-04", "day"),
        ("Ils se sont rencontrés mardi dernier.", True, "2022-10-25", "day"),
        ("Переговоры прошли накануне.", False, "2022-10-28", "day"),
        ("Les ministres s'étaient vus la veille.", False, "2022-10-28", "day"),
        ("Les ministres se sont réunis du 10 au 11 octobre.", False, "2022-10-10", "day"),
        ("Министры встречались с 10 по 11 октября.", False, "2022-10-10", "day"),
        ("Встреча прошла в начале года.", False, "2022", "year"),
        ("Переговоры прошли в конце прошлого года.", False, "2021", "year"),
        ("Les dirigeants se sont vus fin 2021.", False, "2021", "year"),
        ("Une rencontre a eu lieu au début du mois.", False, "2022-10", "month"),
    ],
)
def test_russian_and_french_month_and_weekday_names_resolve(text, future, expected, precision):
    exprs = find_dates(text)
    assert len(exprs) == 1, exprs
    r = resolve(exprs[0], SAT, future=future)
    assert (r.iso, r.precision) == (expected, precision)


@pytest.mark.parametrize("text", ["The Jul report", "Mai Tai", "Jun and Mar"])
def test_abbreviations_and_words_that_look_like_months_are_not_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Вчера министры встретились.", "2022-10-28", "day"),
        ("Ils se sont vus hier.", "2022-10-28", "day"),
        ("На прошлой неделе лидеры встретились.", "2022-10", "month"),
        ("Ils se sont rencontrés la semaine dernière.", "2022-10", "month"),
        ("Переговоры прошли в прошлом году.", "2021", "year"),
        ("Le sommet a eu lieu l'année dernière.", "2021", "year"),
    ],
)
def test_russian_and_french_relative_days_and_periods_resolve(text, expected, precision):
    (expr,) = find_dates(text)
    r = resolve(expr, SAT)
    assert (r.iso, r.precision) == (expected, precision)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They met on 3 March 2019 in Paris. On November 26 of the same year they met in Sochi.", "2019-11-26"),
        ("Переговоры прошли 11 января 2021 года. 26 ноября того же года Путин принял коллег в Сочи.", "2021-11-26"),
        ("Ils se sont vus en 2018. Le 5 juin de la même année, ils se sont revus à Vienne.", "2018-06-05"),
        ("31 октября прошлого года лидеры встретились в Сочи.", "2021-10-31"),
        ("They met on October 31 of last year in Sochi.", "2021-10-31"),
        ("Встреча прошла 5 мая этого года.", "2022-05-05"),
    ],
)
def test_words_after_a_date_give_its_year(text, expected):
    from geo.meetings.dates_in_text import resolve_in_year, year_named_after

    published = Reference(date(2022, 10, 29), "day", "article")
    exprs = [x for x in find_dates(text) if year_named_after(text, x, published)]
    assert len(exprs) == 1, exprs
    assert resolve_in_year(exprs[0], *year_named_after(text, exprs[0], published)).iso == expected


@pytest.mark.parametrize(
    "text",
    [
        "On November 26 the leaders met in Sochi.",  # no words about the year
        "On November 26 of the same year they met.",  # no year stated before it
    ],
)
def test_no_year_words_or_no_stated_year_leaves_the_date_alone(text):
    from geo.meetings.dates_in_text import year_named_after

    published = Reference(date(2022, 10, 29), "day", "article")
    assert all(year_named_after(text, x, published) is None for x in find_dates(text))


def test_the_publication_date_in_the_header_is_no_stated_year():
    from geo.meetings.dates_in_text import year_named_after

    text = "date: 2023-06-01\n\nOn November 26 of the same year they met."
    body = text.index("On")
    published = Reference(date(2023, 6, 1), "day", "article")
    assert [year_named_after(text, x, published, body) for x in find_dates(text, body)] == [None]


@pytest.mark.parametrize(
    "text, before, expected, precision",
    [
        ("Two months later he hosted them again.", ("In October 2022", "2022-10-01", "month"), "2022-12", "month"),
        ("A week later they met again.", ("on 3 May 2024", "2024-05-03", "day"), "2024-05-10", "day"),
        (
            "Спустя два месяца лидеры встретились снова.",
            ("в октябре 2022 года", "2022-10-01", "month"),
            "2022-12",
            "month",
        ),
        ("Deux mois plus tard, ils se sont revus.", ("le 6 octobre 2022", "2022-10-06", "day"), "2022-12", "month"),
        ("Three years later the talks resumed.", ("in 2016", "2016-01-01", "year"), "2019", "year"),
    ],
)
def test_a_period_later_counts_from_the_date_stated_before(text, before, expected, precision):
    from geo.meetings.dates_in_text import ResolvedDate, shift_later

    (x,) = find_dates(text)
    assert x.kind == "later" and resolve(x, SAT).value is None  # alone it says nothing
    words, value, prec = before
    r = shift_later(x, ResolvedDate(date.fromisoformat(value), prec, words, 0, 1))
    assert (r.iso, r.precision) == (expected, precision)


@pytest.mark.parametrize("text", ["later this month", "Later, in 2019, they met.", "через Москву", "the later talks"])
def test_what_is_no_period_later(text):
    assert all(x.kind != "later" for x in find_dates(text))
