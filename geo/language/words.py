"""Word lists kept as data: ``data/lexicon/<language>/<list>.csv``, one word or phrase a row.

A row says which rules read the word in ``used_by`` (";"-separated). A use is a step
(``places``: venue roles in :mod:`geo.places.mentions`; ``meetings``: :mod:`geo.meetings.extract`;
``sentences``: :mod:`geo.language.sentences`), optionally with the rule after a dot
(``places.metonymy``, ``meetings.future``). Where the two steps read a list differently a word
names only one of them, so the disagreement is visible in one table.

Each language has its folder (``en``, ``fr``, ``ru``); a folder holds only the lists that
language needs. The rules read every language's copy of a list at once (``language=EVERY``, the
default): a French or Russian cue cannot match an English sentence, so one rule serves articles
in every supported language, and a language is supported when it has a folder.

The lists are part of the program, not of the analyst's tables: they are read from the
repository's ``data/lexicon`` whatever ``TALKS_ATLAS_DATA`` says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.core.errors import DataError, Problem
from geo.core.paths import ROOT, display
from geo.core.tables import read_table, word_list_table

LEXICON_DIR = ROOT / "data" / "lexicon"
LANGUAGE = "en"  # the language every list exists in
EVERY = "*"  # every language that has the list, English first


@dataclass(frozen=True)
class Word:
    word: str
    used_by: tuple[str, ...]
    unless_after: str = ""


@cache
def supported_languages() -> frozenset[str]:
    """The languages the rules can read: a folder of word lists each (``en``, ...)."""
    return frozenset(p.name for p in LEXICON_DIR.iterdir() if p.is_dir())


def list_path(name: str, language: str = LANGUAGE) -> Path:
    return LEXICON_DIR / language / f"{name}.csv"


def languages_with(name: str) -> tuple[str, ...]:
    """The languages that have list ``name``, English first."""
    others = sorted(code for code in supported_languages() if code != LANGUAGE and list_path(name, code).exists())
    return (LANGUAGE, *others)


@cache
def word_list(name: str, language: str = EVERY) -> tuple[Word, ...]:
    """Every row of one list, in file order (read and validated once per process); with
    ``EVERY`` the rows of each language's copy, English first."""
    if language == EVERY:
        return tuple(w for code in languages_with(name) for w in word_list(name, code))
    rows = read_table(list_path(name, language), word_list_table(name), hint=None)
    return tuple(Word(r.word, r.used_by, r.unless_after) for r in rows)


def entries(name: str, use: str, language: str = EVERY) -> tuple[Word, ...]:
    """The rows of a list that ``use`` reads; a use no row names is an error (a typo in code or data)."""
    found = tuple(w for w in word_list(name, language) if use in w.used_by)
    if not found:
        shown = display(list_path(name, LANGUAGE if language == EVERY else language))
        raise DataError(Problem(shown, f"no word is used by {use!r}", field="used_by"))
    return found


def words(name: str, use: str, language: str = EVERY) -> tuple[str, ...]:
    """The words of a list that ``use`` reads, in file order."""
    return tuple(w.word for w in entries(name, use, language))


def alternation(name: str, use: str, language: str = EVERY) -> str:
    """A regex alternation of the words (escaped, longest first, no group around it).

    A trailing ``*`` stands for any ending (``mediat*``: mediated, mediation); a word with
    ``unless_after`` gets a look-behind: ``(?<!press )conference``; several words, ``;``-separated,
    one each (``phone;telephone`` before ``conversation``)."""
    rows = sorted(entries(name, use, language), key=lambda w: (-len(w.word), w.word))
    return "|".join(_one(w) for w in rows)


def group(name: str, use: str, language: str = EVERY) -> str:
    """The words as one regex group behind a look-ahead for their first letters:
    ``(?=[MmTt])(?:talks|met|...)``.

    The look-ahead matches nothing by itself, so the group finds what it found without it; but
    the regex engine then rejects most positions with one test instead of trying every word
    there (a scan for the meeting cues runs 2.5 times faster)."""
    return _first_letters(entries(name, use, language)) + "(?:" + alternation(name, use, language) + ")"


def _first_letters(rows: Iterable[Word]) -> str:
    """``(?=[...])`` of the letters the words start with, in either case (a superset is harmless)."""
    letters = {c for w in rows for c in w.word[0].lower() + w.word[0].upper()}
    return "(?=[" + "".join(re.escape(c) for c in sorted(letters)) + "])"


def whole_words(name: str, use: str, flags: int = re.IGNORECASE) -> re.Pattern:
    """A regex that finds any of the words as a whole word."""
    return re.compile(r"\b" + group(name, use) + r"\b", flags)


_TOKEN = re.compile(r"\w+")
KEY_LETTERS = 3  # a phrase is tried at words whose first letters are its first word's


def _key(token: str) -> str:
    return token[:KEY_LETTERS].casefold()


class WordScan:
    """A whole-word search over one word list that tries the list only at the words that can
    start one of its phrases (by their first three letters): the same matches as
    :func:`whole_words`, without trying a long alternation at every position of the text (the
    status and cue lists of three languages made that a fifth of extraction time).

    ``search``, ``finditer`` and ``findall`` take ``(text, pos, endpos)`` like a compiled regex."""

    def __init__(self, rows: Iterable[Word], flags: int = re.IGNORECASE):
        by_key: dict[str, list[Word]] = {}
        anywhere: list[Word] = []  # a wildcard whose first word is shorter than the key ("un*")
        for w in rows:
            first = _TOKEN.match(w.word.rstrip("*"))
            token = first.group(0) if first else ""
            if not token or (w.word.endswith("*") and token == w.word[:-1] and len(token) < KEY_LETTERS):
                anywhere.append(w)
            else:
                by_key.setdefault(_key(token), []).append(w)
        for w in anywhere:
            for key in by_key:
                by_key[key].append(w)
        self._anywhere = _compiled(anywhere, flags) if anywhere else None
        self._by_key = {k: _compiled(ws, flags) for k, ws in by_key.items()}

    def _matches(self, text: str, pos: int, endpos: int):
        end = pos
        for t in _TOKEN.finditer(text, pos, endpos):
            if t.start() < end:
                continue
            rx = self._by_key.get(_key(t.group(0)), self._anywhere)
            if rx is None:
                continue
            m = rx.match(text, t.start(), endpos)
            if m is not None:
                yield m
                end = m.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return next(self._matches(text, pos, len(text) if endpos is None else endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self._matches(text, pos, len(text) if endpos is None else endpos)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[str]:
        return [m.group(0) for m in self.finditer(text, pos, endpos)]


def _compiled(rows: list[Word], flags: int) -> re.Pattern:
    ordered = sorted(rows, key=lambda w: (-len(w.word), w.word))
    return re.compile("(?:" + "|".join(_one(w) for w in ordered) + r")\b", flags)


def word_scan(name: str, use: str, flags: int = re.IGNORECASE) -> WordScan:
    """The fast equivalent of :func:`whole_words` for a long list (see :class:`WordScan`)."""
    return WordScan(entries(name, use), flags)


def _one(w: Word) -> str:
    body = re.escape(w.word[:-1]) + r"\w*" if w.word.endswith("*") else re.escape(w.word)
    cancels = [c.strip() for c in w.unless_after.split(";") if c.strip()]  # "phone;telephone": any of them
    if w.word.endswith("*"):
        return "".join(f"(?<!{re.escape(c + ' ')})" for c in cancels) + body
    # after the word, so the alternation still starts with a letter (a look-behind first keeps
    # the regex engine from skipping the positions where no word of the list can start)
    return body + "".join(f"(?<!{re.escape(c + ' ' + w.word)})" for c in cancels)


def folded(items: Iterable[str]) -> frozenset[str]:
    """A set for case-insensitive membership tests."""
    return frozenset(i.lower() for i in items)
