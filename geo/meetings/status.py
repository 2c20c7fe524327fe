"""Tense and status of a meeting, as small named predicates over a sentence's wording, and
confidence from a table of weights.

- :func:`announces`: reported future ("will hold", "would meet", "is due to", "are expected to",
  "next week") — the meeting is planned and its date resolves forward;
- :func:`reports_held`: past wording ("met", "held", "took place");
- :func:`reports_cancelled`: "called off", "postponed", "did not take place", "pulled out";
- :func:`meeting_status`: held / planned / cancelled from the wording of a meeting's sentences and
  its date against the publication date. A meeting set for the publication day is held when the
  text says it took place, planned otherwise; a later date is planned whatever the tense.

The word lists are ``data/lexicon/en/status_words.csv`` (uses ``meetings.future``,
``meetings.past``, ``meetings.cancelled``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from geo.core.dates import When
from geo.language.words import word_scan

# word_scan: the lists of three languages tried only at words that can start one of their phrases
FUTURE = word_scan("status_words", "meetings.future")
PAST = word_scan("status_words", "meetings.past")
CANCELLED = word_scan("status_words", "meetings.cancelled")


def announces(sentence: str) -> bool:
    """Reported future: the sentence announces a meeting."""
    return bool(FUTURE.search(sentence))


def reports_held(sentence: str) -> bool:
    return bool(PAST.search(sentence))


def reports_cancelled(sentence: str) -> bool:
    return bool(CANCELLED.search(sentence))


NO_MEETING = word_scan("status_words", "meetings.no_meeting")


def denies_meeting(sentence: str, at: int, places: Iterable[int] = ()) -> bool:
    """The text says the sides do not meet at the place at ``at``: "no bilateral meeting is
    planned", "attended ... but did not meet", "двусторонняя встреча не планируется", "aucune
    rencontre n'est prévue" in the place's clause or in a following clause that names no other
    place. (A meeting called off is cancelled instead: :func:`reports_cancelled`.)"""
    s, e = clause_span(sentence, at)
    if NO_MEETING.search(sentence, s, e):
        return True
    while e < len(sentence):
        brk = CLAUSE_BREAK.match(sentence, e)
        if brk is None:
            return False
        s, e = clause_span(sentence, brk.end())
        if any(s <= p < e for p in places):
            return False
        if NO_MEETING.search(sentence, s, e):
            return True
    return False


@dataclass(frozen=True)
class Wording:
    """What one sentence about a meeting says about its tense."""

    future: bool
    past: bool
    cancelled: bool

    @staticmethod
    def of(sentence: str) -> Wording:
        return Wording(announces(sentence), reports_held(sentence), reports_cancelled(sentence))

    @property
    def says_anything(self) -> bool:
        return self.future or self.past or self.cancelled

    @property
    def only_future(self) -> bool:
        return self.future and not self.past

    @property
    def only_past(self) -> bool:
        return self.past and not self.future

    @property
    def resolves_forward(self) -> bool:
        """A bare weekday or month in this wording lies ahead of the article: announced and not
        reported in the past tense. Being called off says nothing about the direction ("planned
        for Dec. 7, has been called off" is ahead; "planned for Monday, did not take place" and
        "a planned meeting in October collapsed" are behind: those words are past wording too)."""
        return self.future and not self.past


# Where one clause of a sentence ends and the next, about another meeting, begins:
# "They met in Brussels, but a planned meeting in Granada collapsed."
# Reported speech is a break too: "said after talks in Moscow in April that they would meet again
# in Washington" (the talks are past, the meeting in Washington ahead).
CLAUSE_BREAK = re.compile(
    r",\s+(?:but|while|whereas|although|though|yet|но|однако|а|mais|alors que|tandis que)\b|;|\s[—–]\s"
    r"|,?\s(?:that|что|que|qu')(?=\s|(?<=')\w)",
    re.IGNORECASE,
)


def clause_span(sentence: str, at: int) -> tuple[int, int]:
    """The clause of ``sentence`` around offset ``at`` (offsets within the sentence)."""
    start, end = 0, len(sentence)
    for m in CLAUSE_BREAK.finditer(sentence):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


def wording_at(sentence: str, at: int, whole: Wording | None = None, places: Iterable[int] = ()) -> Wording:
    """The tense of the clause around ``at`` when that clause says anything about it, else the
    sentence's (``whole``, when the caller has read it already): in "met in Brussels, but a
    planned meeting in Granada collapsed" Brussels is held and Granada cancelled. A plan whose
    next clause says it fell through is cancelled (:func:`plan_called_off_after`; ``places``:
    offsets of the sentence's other places)."""
    s, e = clause_span(sentence, at)
    if s == 0 and e == len(sentence):
        return whole or Wording.of(sentence)  # one clause: the sentence's wording
    own = Wording.of(sentence[s:e])
    if not own.says_anything:
        return whole or Wording.of(sentence)
    if own.only_future and not own.cancelled and plan_called_off_after(sentence, e, places):
        return Wording(own.future, own.past, True)
    return own


def plan_called_off_after(sentence: str, end: int, places: Iterable[int] = ()) -> bool:
    """The clause after the one ending at ``end`` says a plan fell through and names no other
    place: "was due to take place in Brussels, but it never happened", "должна была пройти в
    Душанбе, но была отменена". (With another place it is that place's: "met in Brussels, but a
    planned meeting in Granada collapsed".)"""
    brk = CLAUSE_BREAK.match(sentence, end)
    if brk is None:
        return False
    s, e = clause_span(sentence, brk.end())
    if any(s <= p < e for p in places):
        return False
    return reports_cancelled(sentence[s:e])


def meeting_status(wordings: Iterable[Wording], when: When | None, published: date | None) -> str:
    """held | planned | cancelled for one meeting, from its sentences and its date."""
    wordings = list(wordings)
    if any(w.cancelled for w in wordings):
        return "cancelled"
    said_future = any(w.only_future for w in wordings) and not any(w.only_past for w in wordings)
    said_held = any(w.past for w in wordings)
    if when is not None and published is not None and when.precision == "day":
        if when.value > published:
            return "planned"
        if when.value == published:
            return "held" if said_held else "planned"
    return "planned" if said_future else "held"


# ---------------------------------------------------------------------------------------------
# Confidence: a base plus the weight of each feature a candidate has, clipped to [FLOOR, CEILING]

CONFIDENCE_BASE = 0.5
CONFIDENCE_FLOOR, CONFIDENCE_CEILING = 0.05, 0.95
WEIGHTS: dict[str, float] = {
    "both sides in the sentence": 0.15,
    "date to the day or month": 0.15,
    "no date, dated article": -0.2,
    "no date, undated article": -0.35,
    "participants named": 0.1,
    "several sentences": 0.05,
    "hypothetical wording": -0.25,
    "dated over a year after the article": -0.3,  # more likely a misread year (geo.core.dates.years_after)
    "sides joined in the next sentence": -0.1,  # "Putin met Pashinyan in Sochi. Aliyev then joined them"
    "date counted from an earlier date": -0.05,  # "two months later": only as good as the date before it
}


def confidence(features: Iterable[str]) -> float:
    """The base plus the weights of the features (names of :data:`WEIGHTS`), rounded."""
    total = CONFIDENCE_BASE + sum(WEIGHTS[f] for f in features)
    return round(min(CONFIDENCE_CEILING, max(CONFIDENCE_FLOOR, total)), 2)
