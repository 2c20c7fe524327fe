"""Dates in articles: find date expressions, resolve them against the article date, and
infer a reference date for undated articles. (A date as a value — parsing, the ISO and
human forms, comparing — is :class:`geo.core.dates.When`.)

- Expressions are found with our own patterns (``search_dates`` splits "Oct. 31, 2022" and
  sees dates in "2 of 5" or "10 days"); each one is then resolved with ``dateparser`` using
  ``RELATIVE_BASE`` = the article date, preferring the future for announced meetings ("will
  meet on Monday") and the past otherwise.
- ``data/events.csv`` is a researched calendar of summits and forums (CIS, EAEU, EPC, BRICS,
  MSC, COP, ...; aliases in English, Russian and French, first and last day, city, source) plus a
  few dated wars. :func:`choose_event` picks the row a named summit means at a venue ("on the
  sidelines of the BRICS summit in Kazan"): same city, agreeing with a date the text gives, else
  nearest the publication date.
- An undated article gets a *reference* from anchor events it names ("eight months into the
  Ukraine offensive", "the Four-Day War this April"), at month precision, when the name means one
  row only (a series alias such as "CIS summit" in St. Petersburg, held every December, does
  not); expressions without a year then take the reference year. No reference and no year in
  the expression: the date stays unresolved (``value=None``) instead of invented.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import dateparser

from geo.core.dates import When, coarser
from geo.core.errors import DataError, Problem
from geo.core.paths import DATA, display
from geo.core.tables import EVENTS, read_table
from geo.language.russian import is_cyrillic
from geo.language.words import group

FOREIGN_LANGUAGES = ("ru", "fr")  # month and weekday names read besides English


def _case_forms(word: str, month: bool) -> tuple[str, ...]:
    """A Russian month name and its locative ("января" -> "январе", "марта" -> "марте")."""
    if not month or not is_cyrillic(word):
        return (word,)
    return (word, (word[:-1] if word.endswith(("ь", "й", "я", "а")) else word) + "е")


@lru_cache(maxsize=1)
def foreign_calendar_words() -> dict[str, str]:
    """Russian and French month and weekday names (dateparser's own locale data, full forms
    only: "пт", "mer" — shorter than 3 letters or the start of a longer form — are too
    ambiguous) -> the English name the rules resolve."""
    from dateparser.languages.loader import default_loader

    out: dict[str, str] = {}
    names = [m.lower() for m in calendar.month_name[1:]] + [d.lower() for d in calendar.day_name]
    for code in FOREIGN_LANGUAGES:
        info = default_loader.get_locale(code).info
        for name in names:
            forms = [f.casefold() for f in info.get(name, ())]
            for form in forms:
                if _full_form(form, forms, name):
                    for f in _case_forms(form, name in names[:12]):
                        out.setdefault(f, name.capitalize())
    return out


def _full_form(form: str, forms: list[str], english: str) -> bool:
    """Not an abbreviation: 3 letters or more, no dot, not the start of a longer form or of the
    English name ("jul" would read English "Jul")."""
    return (
        len(form) >= 3
        and "." not in form
        and not english.startswith(form)
        and not any(o != form and o.startswith(form) for o in forms)
    )


def _foreign(kind: str) -> str:
    months = set(calendar.month_name[1:])
    return "|".join(
        sorted(
            (re.escape(w) for w, en in foreign_calendar_words().items() if (en in months) == (kind == "month")),
            key=len,
            reverse=True,
        )
    )


# Russian and French relative days and periods -> the English the rules resolve
RELATIVE_PHRASES = {
    "вчера": "yesterday",
    "сегодня": "today",
    "завтра": "tomorrow",
    "hier": "yesterday",
    "aujourd'hui": "today",
    "demain": "tomorrow",
    "накануне": "yesterday",  # "the day before" the report
    "la veille": "yesterday",
    "на прошлой неделе": "last week",
    "в конце прошлого года": "last year",
    "в начале прошлого года": "last year",
    "в начале года": "this year",
    "в начале этого года": "this year",
    "ранее в этом году": "this year",
    "в начале месяца": "this month",
    "ранее в этом месяце": "this month",
    "au début du mois": "this month",
    "plus tôt cette année": "this year",
    "en début d'année": "this year",
    "на этой неделе": "this week",
    "на следующей неделе": "next week",
    "в прошлом месяце": "last month",
    "в этом месяце": "this month",
    "в следующем месяце": "next month",
    "в прошлом году": "last year",
    "в этом году": "this year",
    "в следующем году": "next year",
    "la semaine dernière": "last week",
    "cette semaine": "this week",
    "la semaine prochaine": "next week",
    "le mois dernier": "last month",
    "ce mois-ci": "this month",
    "le mois prochain": "next month",
    "l'année dernière": "last year",
    "l'an dernier": "last year",
    "cette année": "this year",
    "l'année prochaine": "next year",
}


def english_calendar_words(text: str) -> str:
    """``text`` with Russian and French month and weekday names and relative days and periods
    in English ("26 ноября" -> "26 November", "на прошлой неделе" -> "last week")."""
    phrase = RELATIVE_PHRASES.get(text.strip().casefold())
    if phrase is not None:
        return phrase
    return _FOREIGN_WORD.sub(lambda m: foreign_calendar_words()[m.group(0).casefold()], text)


def _relative_alternation(english: tuple[str, ...]) -> str:
    found = [re.escape(k) for k, v in RELATIVE_PHRASES.items() if v.split()[-1] in english or v in english]
    return "|".join(sorted(found, key=len, reverse=True))


_FOREIGN_REL_DAY = _relative_alternation(("yesterday", "today", "tomorrow"))
_FOREIGN_REL_PERIOD = _relative_alternation(("week", "month", "year"))


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|(?i:" + _foreign("month") + r")\b)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?i:" + _foreign("weekday") + r")\b)"
_FOREIGN_WORD = re.compile(r"\b(?:" + _foreign("month") + "|" + _foreign("weekday") + r")\b", re.IGNORECASE)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"


def _after(words: str) -> str:
    """Fixed-width look-behinds, one per preceding word ("in August", "mid-May")."""
    alts = [rf"(?<=\b{re.escape(w)})" if w.endswith("-") else rf"(?<=\b{re.escape(w)} )" for w in words.split()]
    return "(?:" + "|".join(alts) + ")"


# Words that give a weekday its direction, before it ("next Friday", "в прошлую пятницу") or
# after it ("vendredi prochain", "mardi dernier")
FORWARD_WEEKDAY_WORDS = (
    "next",
    "coming",
    "this coming",
    "следующий",
    "следующую",
    "следующее",
    "ближайшую",
    "ближайший",
    "prochain",
)
BACKWARD_WEEKDAY_WORDS = ("last", "прошлую", "прошлый", "прошлое", "минувшую", "минувший", "минувшее", "dernier")
_WEEKDAY_BEFORE = "|".join(
    sorted(
        (w for w in FORWARD_WEEKDAY_WORDS + BACKWARD_WEEKDAY_WORDS if w not in ("prochain", "dernier")),
        key=len,
        reverse=True,
    )
)
_WEEKDAY_AFTER = "prochain|dernier"


def weekday_direction(text: str) -> bool | None:
    """Whether a weekday expression looks forward: its own word says so ("next Friday",
    "в прошлую пятницу", "mardi dernier"), else None (the sentence's tense decides)."""
    words = set(text.casefold().split())
    if words & {w.split()[-1] for w in FORWARD_WEEKDAY_WORDS}:
        return True
    if words & set(BACKWARD_WEEKDAY_WORDS):
        return False
    return None


# Words right before a month alone that make it a date ("in August", "mid-May", "в конце апреля",
# "fin septembre", "à la mi-juin"); "May" alone is a verb.
_MONTH_BEFORE = (
    "in In this This last next since until by early late mid- of в В en En "
    "конце начале середине концу началу fin Fin début Début mi- courant"
)


# Between the two days of a range: "10-11 May", "10 and 11 May", "du 10 au 11 mai", "с 10 по 11 мая"
_TO = r"(?:\s*[-–]\s*|\s+(?:and|to|et|au|и|по)\s+)"


# Order matters: longer forms first. Each named group tells the kind (and so the precision).
_PATTERNS = [
    ("iso", rf"(?<!\d){_YEAR}-(?:0[1-9]|1[0-2])-(?:[0-2]\d|3[01])(?!\d)"),
    ("mdy", rf"{_MONTH}\s+{_DAY}(?:{_TO}{_DAY})?,?\s+{_YEAR}(?!\d)"),
    ("dmy", rf"(?<!\d){_DAY}(?:{_TO}{_DAY})?\s+{_MONTH}\s+{_YEAR}(?!\d)"),
    ("my", rf"{_MONTH}\s+(?:of\s+)?{_YEAR}(?!\d)"),
    ("md", rf"{_MONTH}\s+{_DAY}(?:{_TO}{_DAY})?(?![\d,]*\d)"),
    ("dm", rf"(?<!\d){_DAY}(?:{_TO}{_DAY})?\s+{_MONTH}"),
    # "on Wednesday and Thursday", "в среду и четверг": the first of the two days; "next Friday",
    # "в прошлую пятницу", "vendredi prochain": a direction of its own (see weekday_direction)
    (
        "weekday",
        rf"(?:(?i:{_WEEKDAY_BEFORE})\s+)?{_WEEKDAY}(?:\s+(?:and|и|et)\s+{_WEEKDAY})?(?:\s+(?i:{_WEEKDAY_AFTER})\b)?",
    ),
    ("rel_day", r"(?:yesterday|today|tomorrow|(?<=\bthe )day before|(?i:" + _FOREIGN_REL_DAY + r")\b)"),
    (
        "rel_period",
        r"(?:(?:last|this|next|earlier this|later this)\s+(?:week|month|year)|(?i:" + _FOREIGN_REL_PERIOD + r"))",
    ),
    # "in June this year", "in November last year": the month of a year counted from the article
    ("m_rel_year", rf"{_after('in In')}{_MONTH}\s+(?:this|last|next)\s+year"),
    # a month alone needs a preposition or a determiner ("in August", "this April", "by the end
    # of March"); "May" alone is a verb
    # ("в конце апреля", "в середине июня", "fin septembre", "début mars", "à la mi-juin": the month)
    (
        "m",
        rf"{_after(_MONTH_BEFORE)}{_MONTH}(?!\s+{_DAY})",
    ),
    ("y", rf"{_after('in In of since until by early late в В en En fin Fin début Début')}{_YEAR}(?![-\d])"),
]
_REGEX = re.compile("|".join(f"(?P<{k}{i}>{p})" for i, (k, p) in enumerate(_PATTERNS)))
_KIND_OF_GROUP = {f"{k}{i}": k for i, (k, _) in enumerate(_PATTERNS)}
_KIND_PRECISION = {
    "iso": "day",
    "mdy": "day",
    "dmy": "day",
    "md": "day",
    "dm": "day",
    "weekday": "day",
    "rel_day": "day",
    "my": "month",
    "m": "month",
    "m_rel_year": "month",
    "y": "year",
    "rel_period": None,
    "later": None,
}
_HAS_YEAR = {"iso", "mdy", "dmy", "my", "y"}
_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_NUMBERS = {w: i for i, w in enumerate(_NUMBER_WORDS)}


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True)
class Reference:
    """What relative dates are resolved against: the article date, or one inferred from anchors."""

    value: date | None
    precision: str | None  # 'day' for a dated article; 'month'/'year' when inferred; None: unknown
    source: str  # 'article' | 'anchor' | 'none'
    note: str = ""


@dataclass(frozen=True)
class ResolvedDate:
    value: date | None  # None: could not be resolved (no year known)
    precision: str  # day | month | year
    text: str
    start: int
    end: int
    note: str = ""

    @property
    def when(self) -> When | None:
        return None if self.value is None else When(self.value, self.precision)

    @property
    def iso(self) -> str:
        return "" if self.value is None else When(self.value, self.precision).iso()


@dataclass(frozen=True)
class Event:
    name: str
    aliases: tuple[str, ...]
    venue: str  # the city ('' for a virtual summit or a war)
    start: date
    end: date
    series: str = ""
    country: str = ""  # ISO-2 of the city ('' with no city)

    @property
    def precision(self) -> str:
        if self.start == self.end:
            return "day"
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return "month"
        return "year"


# Where an expression can start: at the start of a word, a month, a weekday, a relative word or
# a number. Trying the full pattern only there is ~10x faster than letting it scan every
# position; the leading word boundary lets the scan skip the inside of words at once (and keeps
# "hier" out of "cahier").
# The look-ahead of the letters those can start with (a superset: the foreign words in either
# case) rejects most word starts with one test instead of trying every alternative there.
_ENGLISH_TRIGGERS = (
    "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    "Sunday|yesterday|today|tomorrow|day before|last|this|next|coming|earlier|later"
)
_RUSSIAN_RELATIVE = "прошл|следующ|ближайш|минувш"  # "в прошлую пятницу", "в ближайшие дни"
_FOREIGN_TRIGGER_WORDS = (*foreign_calendar_words(), *RELATIVE_PHRASES, *_RUSSIAN_RELATIVE.split("|"))
_TRIGGER_FIRST = (
    r"(?=[\d"
    + "".join(sorted({w[0] for w in _ENGLISH_TRIGGERS.split("|")}))
    + "]|(?i:["
    + "".join(re.escape(c) for c in sorted({w[0] for w in _FOREIGN_TRIGGER_WORDS}))
    + "]))"
)
_TRIGGER = re.compile(
    r"\b"
    + _TRIGGER_FIRST
    + r"(?:"
    + _ENGLISH_TRIGGERS
    + r"|\d|(?i:"
    + _RUSSIAN_RELATIVE
    + "|"
    + _FOREIGN_WORD.pattern
    + "|"
    + _FOREIGN_REL_DAY
    + "|"
    + _FOREIGN_REL_PERIOD
    + "))"
)


# "two months later", "спустя два месяца", "deux mois plus tard": counted from the
# date the article stated before it (kind 'later', resolved by the caller: see shift_later)
_COUNT_WORDS = {
    **_NUMBERS,
    "a": 1,
    "an": 1,
    "один": 1,
    "одну": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
}
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + r")"
_UNITS = {
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
    "year": "year", "years": "year",
    "день": "day", "дня": "day", "дней": "day", "неделю": "week", "недели": "week", "недель": "week",
    "месяц": "month", "месяца": "month", "месяцев": "month", "год": "year", "года": "year", "лет": "year",
    "jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month", "an": "year",
    "ans": "year", "année": "year", "années": "year",
}  # fmt: skip
_UNIT = r"(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
_LATER_HINT = re.compile(r"later\b|plus tard|спустя", re.IGNORECASE)
_LATER = re.compile(
    rf"\b(?:{_COUNT}\s+{_UNIT}\s+(?:later|plus tard)|спустя\s+(?:{_COUNT.replace('<n>', '<n2>')}\s+)?"
    rf"{_UNIT.replace('<unit>', '<unit2>')})(?!\w)",
    re.IGNORECASE,
)


def later_amount(expr: DateExpr) -> tuple[int, str] | None:
    """(count, unit) of a 'later' expression: "two months later" -> (2, 'month')."""
    m = _LATER.fullmatch(expr.text)
    if m is None:
        return None
    n = m["n"] or m["n2"]
    count = 1 if n is None else int(n) if n.isdigit() else _COUNT_WORDS[n.casefold()]
    return count, _UNITS[(m["unit"] or m["unit2"]).casefold()]


def shift_later(expr: DateExpr, before: ResolvedDate) -> ResolvedDate:
    """A 'later' expression counted from the date stated ``before`` it, at the coarser of the two
    precisions ("In October 2022 ... Two months later": December 2022, month)."""
    amount = later_amount(expr)
    if amount is None or before.value is None:
        return ResolvedDate(None, before.precision, expr.text, expr.start, expr.end, "not understood")
    n, unit = amount
    value = _shift(before.value, n, unit) if unit != "day" else before.value + timedelta(days=n)
    precision = coarser(before.precision, "day" if unit in ("day", "week") else unit)
    note = f"{n} {unit}(s) after {before.text!r}"
    return ResolvedDate(value, precision, expr.text, expr.start, expr.end, note)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateExpr]:
    """Date expressions in ``text[start:end]`` with absolute offsets."""
    end = len(text) if end is None else end
    out = []
    if _LATER_HINT.search(text, start, end):
        out = [DateExpr(m.start(), m.end(), m.group(0), "later") for m in _LATER.finditer(text, start, end)]
        taken = [(m.start, m.end) for m in out]
        found = find_dates_plain(text, start, end)
        return sorted(
            out + [x for x in found if not any(s < x.end and x.start < e for s, e in taken)], key=lambda x: x.start
        )
    return find_dates_plain(text, start, end)


def find_dates_plain(text: str, start: int, end: int) -> list[DateExpr]:
    out = []
    pos = start
    while True:
        t = _TRIGGER.search(text, pos, end)
        if t is None:
            break
        m = _REGEX.match(text, t.start(), end)
        if m is None:
            pos = t.end()
            continue
        kind = _KIND_OF_GROUP[m.lastgroup]
        out.append(DateExpr(m.start(), m.end(), m.group(0), kind))
        pos = m.end()
    return out


def resolve(expr: DateExpr, ref: Reference, future: bool = False) -> ResolvedDate:
    """Resolve one expression. ``future``: the sentence announces something ("will meet").

    ``dateparser`` reads every expression; its answers are memoised on what they depend on
    (the text; for "Monday" the weekday of the base; for "last month" nothing else), so a
    large corpus costs one parse per distinct expression, not one per article.
    """
    kind = expr.kind
    if kind == "later":  # counted from an earlier date the caller knows (shift_later)
        return ResolvedDate(None, "month", expr.text, expr.start, expr.end, "counted from an earlier date")
    text = english_calendar_words(_first_of_range(expr.text))
    explicit = None
    if kind == "weekday":
        explicit = weekday_direction(expr.text)
        future = future if explicit is None else explicit
        text = _FIRST_WEEKDAY.search(text).group(0)  # "Wednesday and Thursday": the first day
    if kind in _HAS_YEAR:
        return _done(expr, _parse_plain(text), _KIND_PRECISION[kind], "")
    if kind == "rel_period":
        precision = "year" if text.endswith("year") else "month"
    else:
        precision = _KIND_PRECISION[kind]
    if ref.value is None:
        return ResolvedDate(None, precision, expr.text, expr.start, expr.end, "no year: the article is undated")
    if ref.precision != "day" and kind in ("weekday", "rel_day", "rel_period"):
        # an inferred reference: relative days cannot be pinned down
        return _done(expr, ref.value, _coarser(ref.precision, precision), f"relative to an inferred date ({ref.note})")
    if kind == "m_rel_year":
        return _done(expr, month_of_relative_year(text, ref.value), precision, "")
    if kind == "rel_period":
        text = _EARLIER_LATER.sub("", text)  # "earlier this month": this month
    if kind == "rel_period" and precision == "year":
        return _done(expr, date(ref.value.year + _year_offset(text), 1, 1), precision, "")
    if kind == "rel_day" and text.lower() == "day before":
        return _done(expr, ref.value - timedelta(days=1), precision, "")
    if kind in ("weekday", "rel_day", "rel_period"):
        if kind == "weekday" and explicit is None and is_publication_weekday(text, ref.value):
            return _done(expr, ref.value, precision, "")  # "on Saturday" in a Saturday article, in any tense
        return _done(expr, _relative(text.lower(), kind, ref.value, "future" if future else "past"), precision, "")
    parsed = _parse_plain(text)  # month (and day); the year comes from the reference
    if parsed is None:
        return _done(expr, None, precision, "")
    base = ref.value
    prefer = "current_period" if ref.precision != "day" else "future" if future else "past"
    value = _with_year(parsed, base.year, precision)
    if value is not None and prefer != "current_period":
        key = (lambda d: (d.year, d.month)) if precision == "month" else (lambda d: d)
        if prefer == "future" and key(value) < key(base):
            value = _with_year(parsed, base.year + 1, precision)
        elif prefer == "past" and key(value) > key(base):
            value = _with_year(parsed, base.year - 1, precision)
    note = f"year inferred ({ref.note})" if ref.precision != "day" else ""
    return _done(expr, value, precision, note)


def is_publication_weekday(weekday: str, published: date) -> bool:
    """A weekday equal to the publication weekday is the publication day ("on Saturday" in a
    Saturday article), whether the sentence reports or announces."""
    return weekday.strip().lower() == calendar.day_name[published.weekday()].lower()


_EARLIER_LATER = re.compile(r"^(?:earlier|later)\s+", re.IGNORECASE)
_FIRST_WEEKDAY = re.compile("|".join(calendar.day_name))


_YEAR_WORD = re.compile(r"\b(last|this|next)\s+year\b", re.IGNORECASE)
_YEAR_OFFSET = {"last": -1, "this": 0, "next": 1}


def _year_offset(text: str) -> int:
    """'last year' -1, 'this year' / 'earlier this year' / 'later this year' 0, 'next year' +1."""
    m = _YEAR_WORD.search(text)
    return _YEAR_OFFSET[m[1].lower()] if m else 0


def month_of_relative_year(text: str, published: date) -> date | None:
    """'June this year', 'November last year': that month of the year counted from the article."""
    parsed = _parse_plain(text.split()[0])
    return None if parsed is None else date(published.year + _year_offset(text), parsed.month, 1)


def _with_year(d: date, year: int, precision: str) -> date | None:
    try:
        return date(year, d.month, 1 if precision == "month" else d.day)
    except ValueError:  # 29 February in a common year
        return None


def _done(expr: DateExpr, value: date | None, precision: str, note: str) -> ResolvedDate:
    if value is None:
        return ResolvedDate(None, precision, expr.text, expr.start, expr.end, note or "not understood")
    return ResolvedDate(value, precision, expr.text, expr.start, expr.end, note)


def _coarser(a: str | None, b: str) -> str:
    return b if a is None else coarser(a, b)


def _first_of_range(text: str) -> str:
    # "April 2-6" -> "April 2"; "2-3 October 2024" -> "2 October 2024"
    return _RANGE.sub(r"\1", text) if _RANGE_HINT.search(text) else text


_RANGE = re.compile(r"(\d+)(?:st|nd|rd|th)?" + _TO + r"\d+(?:st|nd|rd|th)?")
_RANGE_HINT = re.compile(r"\d(?:st|nd|rd|th)?" + _TO + r"\d")


_CANON = datetime(2001, 6, 15)  # a neutral base for expressions that carry their own month/year
_MONDAY = date(2001, 1, 1)  # a Monday: weekday answers depend only on the base's weekday


def _parse_plain(text: str) -> date | None:
    return _dateparser(text, _CANON, "current_period")


def _relative(text: str, kind: str, base: date, prefer: str) -> date | None:
    """'Monday', 'yesterday', 'last month' relative to ``base``, via dateparser on a canonical base."""
    if kind in ("weekday", "rel_day") or text.endswith("week"):
        canon = _MONDAY + timedelta(days=base.weekday())
        got = _dateparser(text, datetime(canon.year, canon.month, canon.day), prefer)
        return None if got is None else base + (got - canon)
    got = _dateparser(text, _CANON, prefer)
    if got is None:
        return None
    months = (got.year - _CANON.year) * 12 + got.month - _CANON.month
    y, m = divmod(base.month - 1 + months, 12)
    return date(base.year + y, m + 1, 1)


@lru_cache(maxsize=8192)
def _dateparser(text: str, base: datetime, prefer: str) -> date | None:
    settings = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": base}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


# ---------------------------------------------------------------------------------------------
# Anchors and the reference date


def load_events(path: Path | str | None = None) -> tuple[Event, ...]:
    path = Path(path or DATA / EVENTS.name)
    rows = read_table(path, EVENTS, hint=None)
    problems = []
    events = []
    for r in rows:
        if r.end.value < r.start.value:
            problems.append(Problem(display(path), f"end {r.end.iso()} is before start {r.start.iso()}", r.row, "end"))
        events.append(Event(r.name, r.aliases, r.city, r.start.value, r.end.value, r.series, r.country))
    if problems:
        raise DataError(problems)
    return tuple(events)


@lru_cache(maxsize=2)
def default_events() -> tuple[Event, ...]:
    return load_events()


@dataclass(frozen=True)
class EventHit:
    event: Event
    start: int
    end: int


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8)
def alias_regexes(events: tuple[Event, ...]) -> dict[str, re.Pattern]:
    """One regex per word that starts an alias ("cis" -> "CIS summit|CIS Heads of State
    Council|..."), longest alias first: the text is scanned word by word and only the aliases
    that can start at a word are tried there (one 500-alias alternation tried at every position
    ran at 0.6 MB/s)."""
    by_first: dict[str, set[str]] = {}
    for e in events:
        for a in e.aliases:
            m = _WORD.match(a.strip())
            if m:
                by_first.setdefault(m.group(0).casefold(), set()).add(a.strip())
    return {
        w: re.compile(
            r"(?:" + "|".join(_alias_pattern(a) for a in sorted(aliases, key=len, reverse=True)) + r")(?!\w)",
            re.IGNORECASE,
        )
        for w, aliases in by_first.items()
    }


# "Commonwealth of Independent States (CIS) summit": an abbreviation in brackets may sit between
# an alias's words; it is dropped again when the hit is looked up.
_BRACKETED = r"(?:\s*\([^()\n]{1,12}\))?\s+"


def _alias_pattern(alias: str) -> str:
    return _BRACKETED.join(re.escape(w) for w in alias.split())


def _alias_key(found: str) -> str:
    return " ".join(re.sub(r"\([^()\n]{1,12}\)", " ", found).split()).casefold()


def find_events(
    text: str, events: tuple[Event, ...], start: int = 0, end: int | None = None, venues: set[str] | None = None
) -> list[EventHit]:
    """Events named in the text: one hit per row the name may mean (a series alias such as
    "CIS summit" means every CIS summit). A row tied to a city counts only when its city is
    among ``venues`` (the venues the text names); a virtual summit (no city) never dates a
    meeting at a venue, so it is left out when ``venues`` is given."""
    regexes, by_alias = _event_index(events)
    out = []
    for m in _alias_matches(text, start, len(text) if end is None else end, regexes):
        for e in by_alias.get(_alias_key(m.group(0)), []):
            if e.venue and (venues is None or e.venue not in venues):
                continue
            if not e.venue and e.series != "war" and venues is not None:
                continue
            out.append(EventHit(e, m.start(), m.end()))
    return out


def _alias_matches(text: str, start: int, end: int, regexes: dict[str, re.Pattern]):
    """Alias matches, tried only at words that start some alias; never overlapping."""
    pos = start
    for at, word in _alias_starts(text, start, end, regexes):
        if at < pos:
            continue
        m = regexes[word.casefold()].match(text, at, end)
        if m is not None:
            yield m
            pos = m.end()


_SPELLINGS: dict[int, tuple[dict[str, re.Pattern], set[str], set[str]]] = {}


def _alias_starts(text: str, start: int, end: int, regexes: dict[str, re.Pattern]) -> list[tuple[int, str]]:
    """(offset, spelling) of the words of ``text[start:end]`` (``_WORD`` runs) that start some
    alias, in order. Which spellings start one is remembered, so an article's distinct words are
    sorted out with set operations and only those spellings are looked for (a Python step for
    every word cost a tenth of extraction time)."""
    known = _SPELLINGS.get(id(regexes))
    if known is None or known[0] is not regexes or len(known[2]) > 500_000:
        if len(_SPELLINGS) >= 8:
            _SPELLINGS.clear()
        known = _SPELLINGS[id(regexes)] = (regexes, set(), set())
    _, starting, seen = known
    segment = text[start:end]
    distinct = set(_WORD.findall(segment))
    for word in distinct - seen:
        if word.casefold() in regexes:
            starting.add(word)
        seen.add(word)
    out = []
    for word in distinct & starting:
        at = segment.find(word)
        while at >= 0:
            after = at + len(word)
            if (at == 0 or not _is_word_char(segment[at - 1])) and (
                after == len(segment) or not _is_word_char(segment[after])
            ):
                out.append((start + at, word))
            at = segment.find(word, at + 1)
    out.sort()
    return out


def _is_word_char(c: str) -> bool:
    """What ``\\w`` matches (in a str pattern: alphanumeric or "_")."""
    return c.isalnum() or c == "_"


EVENT_WINDOW_DAYS = 400  # a summit named without a date is the one within about a year of the article


def choose_event(
    events: Iterable[Event], venue: str, text_date: When | None, ref: Reference, future: bool
) -> Event | None:
    """The calendar row that dates a meeting at ``venue`` from the summits the article names.

    Only rows held in that city count (a BRICS summit in Kazan does not date talks in Moscow).
    A date the text gives must agree with the row; without one, the row nearest the publication
    date within :data:`EVENT_WINDOW_DAYS` — the last one before it, or for an announced meeting
    the next one after it. An undated article: only a row the name means unambiguously."""
    here = list(dict.fromkeys(e for e in events if e.venue and e.venue == venue))
    if text_date is not None:
        here = [e for e in here if event_agrees(e, text_date)]
        if len(here) <= 1:
            return here[0] if here else None
    if ref.value is None:
        return here[0] if len(here) == 1 else None
    near = [e for e in here if _near(e, ref.value)]
    if ref.precision == "day":
        side = [e for e in near if (e.end >= ref.value if future else e.start <= ref.value)]
        near = side or near
    return min(near, key=lambda e: abs((e.start - ref.value).days), default=None)


def event_agrees(e: Event, when: When) -> bool:
    """The event's days overlap the date at its precision."""
    return when.first_day <= e.end and e.start <= when.last_day


def _near(e: Event, ref: date) -> bool:
    return abs((e.start - ref).days) <= EVENT_WINDOW_DAYS


_INDEXES: dict[int, tuple[tuple[Event, ...], dict[str, re.Pattern], dict[str, list[Event]]]] = {}


def _event_index(events: tuple[Event, ...]) -> tuple[dict[str, re.Pattern], dict[str, list[Event]]]:
    """The alias regexes and the rows by alias of a calendar, found by the calendar's identity:
    an lru_cache keyed by the tuple hashes every row on every call (a tenth of extraction time)."""
    known = _INDEXES.get(id(events))
    if known is None or known[0] is not events:
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        known = _INDEXES[id(events)] = (events, alias_regexes(events), _by_alias(events))
    return known[1], known[2]


@lru_cache(maxsize=8)
def _by_alias(events: tuple[Event, ...]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for e in events:
        for a in e.aliases:
            out.setdefault(_alias_key(a), []).append(e)
    return out


_INTO = re.compile(
    r"(?P<n>\d+|" + "|".join(_NUMBERS) + r")[\s-]+(?P<unit>months?|years?|weeks?)\s+(?:into|after|since)\s+",
    re.IGNORECASE,
)


def infer_reference(
    text: str, article_date: date | None, events: tuple[Event, ...], venues: set[str] | None = None
) -> Reference:
    """The article date when known; otherwise the latest anchor event the text names
    (shifted by "N months into ..."), at month precision."""
    if article_date is not None:
        return Reference(article_date, "day", "article")
    best: tuple[date, str] | None = None
    hits = find_events(text, events, venues=venues)
    meanings: dict[int, set[Event]] = {}
    for hit in hits:
        meanings.setdefault(hit.start, set()).add(hit.event)
    for hit in hits:
        if len(meanings[hit.start]) > 1:
            continue  # a series alias: which year's summit is what we do not know
        when = hit.event.end
        note = f"mentions {hit.event.name}"
        m = None
        for m in _INTO.finditer(text, max(0, hit.start - 60), hit.start):  # noqa: B007 - the last match
            pass
        if m is not None and text[m.end() : hit.start].count(" ") <= 3:
            n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
            unit = m["unit"].lower().rstrip("s")
            when = _shift(hit.event.start, n, unit)
            note = f"{m.group(0).strip()} {hit.event.name}"
        if best is None or when > best[0]:
            best = (when, note)
    if best is None:
        return Reference(None, None, "none", "undated and no anchor event named")
    return Reference(best[0], "month", "anchor", best[1])


# ---------------------------------------------------------------------------------------------
# A year named after a date that has none: "26 ноября того же года", "October 31 of last year"

_YEAR_AFTER = {
    use: re.compile(r"\s*,?\s*" + group("year_words", f"meetings.{use}") + r"(?!\w)", re.IGNORECASE)
    for use in ("same_year", "last_year", "this_year")
}
_STATED_YEAR = re.compile(r"(?<![\d.,])(?:19[5-9]\d|20\d\d)(?![\d-])")
_YEARLESS = frozenset({"md", "dm", "m"})


def year_named_after(text: str, expr: DateExpr, ref: Reference, body_start: int = 0) -> tuple[int, str] | None:
    """The year the words right after a date without one give it, with a note: "of the same
    year" / "того же года" is the last year the article stated before the date (from
    ``body_start``: never the header's publication date); "of last year" / "прошлого года" and
    "of this year" count from the article's date. None when no such words follow."""
    if expr.kind not in _YEARLESS:
        return None
    if _YEAR_AFTER["same_year"].match(text, expr.end, expr.end + 40):
        stated = _STATED_YEAR.findall(text, body_start, expr.start)
        return (int(stated[-1]), f"of the same year as {stated[-1]}, stated earlier") if stated else None
    if ref.value is None:
        return None
    if _YEAR_AFTER["last_year"].match(text, expr.end, expr.end + 40):
        return ref.value.year - 1, "of the year before the article's"
    if _YEAR_AFTER["this_year"].match(text, expr.end, expr.end + 40):
        return ref.value.year, "of the article's year"
    return None


def resolve_in_year(expr: DateExpr, year: int, note: str) -> ResolvedDate:
    """A date without a year ("26 ноября", "in March") put in ``year``."""
    r = resolve(expr, Reference(date(year, 12, 31), "day", "sentence", note))
    return ResolvedDate(r.value, r.precision, r.text, r.start, r.end, note) if r.value is not None else r


def _shift(d: date, n: int, unit: str) -> date:
    if unit == "week":
        return d + timedelta(weeks=n)
    months = n if unit == "month" else 12 * n
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
