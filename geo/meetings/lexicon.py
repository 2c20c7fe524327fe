"""Lexicons kept as data: mediators (``data/mediators.csv``) and participants
(``data/participants.csv``), compiled once into fast matchers.

A participant row names a person (or one of the two sides as a country) with the spellings
articles use (``Pashinyan;Pashinian``), the country, the side (``armenia``, ``azerbaijan`` or
``third``), the office (``leader``, ``foreign minister``, ``other``; ``country`` rows only tell
which side a sentence talks about) and, for third parties, the mediator they stand for
(Putin -> Russia).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.core.errors import DataError, Problem
from geo.core.paths import DATA, display
from geo.core.tables import MEDIATORS, PARTICIPANTS, MediatorRow, ParticipantRow, read_table
from geo.language.russian import base_form, inflected_pattern, is_cyrillic

Participant = (
    ParticipantRow  # name, aliases, country, side, office, mediator ('' unless a third party standing for one)
)


@dataclass(frozen=True)
class Hit:
    """One lexicon match in a text: the entry's canonical name and the span."""

    name: str
    start: int
    end: int


def _letters(first_letters) -> str:
    """A character class body of the letters, in either case."""
    return "".join(re.escape(c) for c in sorted({c for k in first_letters for c in k.lower() + k.upper()}))


def _by_first_letter(parts: list[tuple[str, str]]) -> str:
    """The alternation of (first character, pattern) parts, grouped by first letter, each group
    behind a look-ahead of its letter: a word start tries one group, not every alias (a scan
    28 % faster). Only aliases with the same first letter can match at one place, so the
    order within a group is all that counts; when two letters could match one character
    (``re``'s case folding: "s" and the long s), the plain alternation is kept."""
    groups: dict[str, list[str]] = {}
    for letter, part in parts:
        groups.setdefault(letter.lower(), []).append(part)
    firsts = {letter for letter, _ in parts}
    if "" in firsts or any(
        a.lower() != b.lower() and re.fullmatch(re.escape(a), b, re.IGNORECASE) for a in firsts for b in firsts
    ):
        return "|".join(part for _, part in parts)
    return "|".join(f"(?=[{_letters(k)}])(?:" + "|".join(v) + ")" for k, v in groups.items())


class _Matcher:
    """One alternation regex over every alias; longest alias first so 'Charles Michel' wins.
    A Cyrillic alias matches in any Russian case form (:mod:`geo.language.russian`)."""

    def __init__(self, aliases: dict[str, str]):
        self.by_alias = {a.casefold(): name for a, name in aliases.items()}
        # acronyms in capitals (US, EU) match case-sensitively; words case-insensitively
        parts = []  # (first character, pattern), longest alias first
        for alias in sorted(aliases, key=len, reverse=True):
            body = re.escape(alias)
            if alias.isupper() or "." in alias:
                parts.append((alias[:1], f"(?-i:{body})"))
            elif is_cyrillic(alias):
                parts.append((alias[:1], inflected_pattern(alias)))
            else:
                parts.append((alias[:1], body))
        # the look-ahead of the aliases' first letters (either case) rejects most positions at once
        first = _letters(letter for letter, _ in parts)
        pattern = rf"(?=[{first}])(?<![\w.])(?:" + _by_first_letter(parts) + r")(?!\w)" if parts else r"(?!x)x"
        self.regex = re.compile(pattern, re.IGNORECASE)
        # the same alternation split by the first letters of the aliases: tried only at words that
        # can start one (one alternation of every alias, tried at every position, was slow)
        by_key: dict[str, list[str]] = {}
        for alias, (_, part) in zip(sorted(aliases, key=len, reverse=True), parts, strict=True):
            by_key.setdefault(_key(alias), []).append(part)
        self._by_key = {
            k: re.compile(r"(?<![\w.])(?:" + "|".join(ps) + r")(?!\w)", re.IGNORECASE) for k, ps in by_key.items()
        }
        self._names: dict[str, str | None] = {}  # spelling -> entry: a corpus repeats its few names

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        end = len(text) if end is None else end
        names = self._names
        out = []
        for m in self._matches(text, start, end):
            spelling = m.group(0)
            name = names.get(spelling)
            if name is None:
                name = names[spelling] = self.name_of(spelling)
            out.append(Hit(name, m.start(), m.end()))
        return out

    def _matches(self, text: str, start: int, end: int):
        """What ``self.regex.finditer`` finds, trying only the aliases a word's first letters allow."""
        after = start
        by_key = self._by_key
        for t in _TOKEN.finditer(text, start, end):
            if t.start() < after:
                continue
            rx = by_key.get(t.group(0)[:KEY_LETTERS].casefold())
            if rx is None:
                continue
            m = rx.match(text, t.start(), end)
            if m is not None:
                yield m
                after = m.end()

    def name_of(self, spelling: str) -> str | None:
        """The entry a spelling stands for: an alias, or a Cyrillic alias with a case ending."""
        key = spelling.strip().casefold()
        base = base_form(key, self.by_alias.__contains__)
        return self.by_alias[base] if base is not None else None


_TOKEN = re.compile(r"\w+")
KEY_LETTERS = 3


def _key(alias: str) -> str:
    """The first letters of an alias's first word, folded: where its pattern can start."""
    first = _TOKEN.match(alias)
    return (first.group(0) if first else alias)[:KEY_LETTERS].casefold()


@dataclass(frozen=True)
class Lexicon:
    mediators: tuple[str, ...]  # controlled vocabulary, incl. 'none'
    participants: dict[str, Participant]  # name -> its row of participants.csv
    mediator_matcher: _Matcher
    participant_matcher: _Matcher

    def find_mediators(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self.mediator_matcher.find(text, start, end)

    def find_participants(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        return self.participant_matcher.find(text, start, end)

    def participant(self, name: str) -> Participant:
        return self.participants[name]

    def normalise_participant(self, spelling: str) -> str | None:
        """'Pashinian' -> 'Pashinyan', 'Пашиняном' -> 'Pashinyan'; None when unknown."""
        return self.participant_matcher.name_of(spelling)


def load_lexicon(data_dir: Path | str | None = None) -> Lexicon:
    data_dir = Path(data_dir or DATA)
    med_path = data_dir / MEDIATORS.name
    part_path = data_dir / PARTICIPANTS.name
    med_rows = read_table(med_path, MEDIATORS, hint=None)
    part_rows = read_table(part_path, PARTICIPANTS, hint=None)
    problems: list[Problem] = []
    mediators = tuple(r.name for r in med_rows)
    med_aliases: dict[str, str] = {}
    _collect(med_rows, display(med_path), med_aliases, problems)
    part_aliases: dict[str, str] = {}
    _collect(part_rows, display(part_path), part_aliases, problems)
    participants = {}
    for r in part_rows:
        if r.mediator and r.mediator not in mediators:
            problems.append(
                Problem(
                    display(part_path), f"unknown mediator {r.mediator!r} (not in mediators.csv)", r.row, "mediator"
                )
            )
        if r.side != "third" and r.mediator:
            problems.append(
                Problem(display(part_path), "only third parties can stand for a mediator", r.row, "mediator")
            )
        participants[r.name] = r
    if problems:
        raise DataError(problems)
    return Lexicon(mediators, participants, _Matcher(med_aliases), _Matcher(part_aliases))


def _collect(
    rows: list[MediatorRow] | list[ParticipantRow], shown: str, into: dict[str, str], problems: list[Problem]
) -> None:
    for r in rows:
        for alias in r.aliases:
            prior = into.get(alias)
            if prior is not None and prior != r.name:
                problems.append(Problem(shown, f"alias {alias!r} is already used by {prior!r}", r.row, "aliases"))
            into[alias] = r.name


@lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    return load_lexicon(DATA)


__all__ = ["Hit", "Lexicon", "Participant", "load_lexicon", "default_lexicon"]
