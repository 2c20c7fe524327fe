"""The shortcuts taken for speed (issue 9) find exactly what the plain code they replaced found.

Each test runs the plain form (kept here as the reference) and the fast one over small texts
that reach the corner cases: word starts cut by a range, underscores and digits as word
characters, case folding beyond lower case ("Straße" / "STRASSE"), unusual whitespace."""

from __future__ import annotations

import re

import pytest

from geo.language import sentences
from geo.language.words import alternation, group
from geo.meetings.dates_in_text import _WORD, _alias_starts
from geo.places import mentions

TEXTS = [
    "Talks in Vienna; the leaders met. Summit talks\u2003resumed!",
    "A press conference, then a conference in Geneva (convened by the hosts).",
    "ПЕРЕГОВОРЫ в Москве; встреча прошла. Rencontre à Paris, réunion.",
    "meetings_and talks2 met-in 'talks' «sommet»",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("name", "use"), [("cues", "meetings"), ("cues", "places"), ("status_words", "meetings.past")])
def test_a_word_group_finds_what_the_bare_alternation_finds(text, name, use):
    plain = re.compile(r"\b(?:" + alternation(name, use) + r")\b", re.IGNORECASE)
    fast = re.compile(r"\b" + group(name, use) + r"\b", re.IGNORECASE)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


ALIASES = {k: re.compile("x") for k in ("brics", "cis", "strasse", "a_1", "9")}


def _alias_starts_word_by_word(text: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(w.start(), w.group(0)) for w in _WORD.finditer(text, start, end) if w.group(0).casefold() in ALIASES]


@pytest.mark.parametrize(
    "text",
    ["BRICS and CIS; brics, Brics-CIS.", "Straße STRASSE strasse", "a_1 a_12 _a_1 9 99 x9", "CISCO cis_ BRICS"],
)
def test_alias_word_starts_are_the_words_the_word_loop_finds(text):
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert _alias_starts(text, start, end, ALIASES) == _alias_starts_word_by_word(text, start, end)


def _trim_by_character(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _last_token_by_regex(text: str, s: int, e: int) -> str:
    word = re.compile(r"(\S+)$").search(text, s, e)
    return word.group(1) if word else ""


def _previous_word_by_character(text: str, start: int) -> str:
    if start < 2 or text[start - 1] != " " or text[start - 2].isspace():
        return ""
    k = start - 2
    while k >= max(0, start - 32) and not text[k].isspace():
        k -= 1
    return text[k + 1 : start - 1]


SPACED = [
    "  Gen. Smith met\u00a0U.S. envoys.\n\n\u2003Next ",
    "x" * 70 + ". " + "y" * 3 + ".\u0085z",
    "\n \t\n",
    "A very-long-token-without-any-space-in-it-at-all-that-runs-past-the-window-of-sixty-four. Then",
]


@pytest.mark.parametrize("text", SPACED)
def test_sentence_helpers_match_their_character_loops(text):
    for s in range(len(text) + 1):
        for e in range(s, len(text) + 1):
            assert sentences._trim(text, s, e) == _trim_by_character(text, s, e)
            assert sentences._last_token(text, s, e) == _last_token_by_regex(text, s, e)
        assert mentions._previous_word(text, s) == _previous_word_by_character(text, s)


@pytest.mark.parametrize("name", ["_UNKNOWN_AFTER_IN", "_SMALL_AFTER_AT", "_SMALL_AFTER_SETTLEMENT"])
@pytest.mark.parametrize(
    "text",
    [
        "Talks in Camp Hill, at Cholpon-Ata and in the resort town of Sochi.",
        "Within Paris, chat Berlin; _in Rome, 2in Oslo, йin Kyiv, In Baku",
        "met at\tLake Sevan in\nYerevan",
    ],
)
def test_unknown_venue_scans_match_their_word_boundary_forms(name, text):
    fast = getattr(mentions, name)
    plain = re.compile(
        fast.pattern.replace("in(?<=\\bin)", "\\bin", 1)
        .replace("at(?<=\\bat)", "\\bat", 1)
        .replace("(?:in|at)(?<=\\b..)", "\\b(?:in|at)", 1)
    )
    assert plain.pattern != fast.pattern
    assert [(m.span(), m.span(1)) for m in fast.finditer(text)] == [(m.span(), m.span(1)) for m in plain.finditer(text)]


@pytest.mark.parametrize(
    "aliases",
    [
        {"Charles Michel": "Michel", "Michel": "Michel", "EU": "EU", "eu-summit": "x", "Пашинян": "Pashinyan"},
        {"İlham Aliyev": "Aliyev", "ilham": "Aliyev", "U.S.": "US"},  # İ and i: the plain alternation
    ],
)
def test_the_alias_matcher_finds_what_one_plain_alternation_finds(aliases):
    from geo.language.russian import inflected_pattern, is_cyrillic
    from geo.meetings.lexicon import _Matcher

    def part(alias: str) -> str:
        if alias.isupper() or "." in alias:
            return f"(?-i:{re.escape(alias)})"
        return inflected_pattern(alias) if is_cyrillic(alias) else re.escape(alias)

    alternation = "|".join(part(a) for a in sorted(aliases, key=len, reverse=True))
    plain = re.compile(r"(?<![\w.])(?:" + alternation + r")(?!\w)", re.IGNORECASE)
    text = "Charles Michel, MICHEL and the EU (not eu); eu-summit. Пашиняну, İlham ALIYEV, ilham, U.S., u.s., .EU"
    assert [m.span() for m in _Matcher(aliases).regex.finditer(text)] == [m.span() for m in plain.finditer(text)]
