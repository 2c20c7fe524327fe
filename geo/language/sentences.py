"""Sentences: where they start and end in a text, as character offsets.

One splitter with two rule sets. The places step and the meetings step were tuned apart and
disagree on about one sentence start in ten (19 of 182 in the fixtures and seeds); what each
step finds depends on its own, so both are kept, and :class:`Rules` names what differs:

==================  ========================================  ======================================
                    ``GAPLESS`` (places: venue roles)          ``TRIMMED`` (meetings: evidence spans)
line breaks         only a blank line ends a sentence          a line break also does after end
                                                               punctuation or a short/Title Case line
a full stop ends    before a capital, digit or opening quote   before any space
abbreviations       ``abbreviations.csv`` ``sentences.places``  ``sentences.meetings`` as written, and
                    in any case ("st.", "Gen.")                initials ("U.S.")
spans               no gaps: whitespace stays with the         trimmed; empty ones dropped
                    sentence before; they cover the text
==================  ========================================  ======================================
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.language.words import alternation, folded, words

Span = tuple[int, int]


@dataclass(frozen=True)
class Rules:
    name: str
    headlines: bool  # a single line break ends a sentence after end punctuation or a headline
    capital_after: bool  # "." ends a sentence only before a capital, a digit or an opening quote;
    # then an abbreviation is the letters before the "." in any case, else the whole token as written
    abbreviations: str  # the use in abbreviations.csv
    trim: bool  # spans without surrounding whitespace, empty ones dropped (else they cover the text)


GAPLESS = Rules("gapless", headlines=False, capital_after=True, abbreviations="sentences.places", trim=False)
TRIMMED = Rules("trimmed", headlines=True, capital_after=False, abbreviations="sentences.meetings", trim=True)


def split(text: str, start: int = 0, rules: Rules = TRIMMED) -> list[Span]:
    """(start, end) of each sentence of ``text[start:]``, in order."""
    if rules.headlines:
        blocks = _blocks(text, start)
    else:
        blocks = [(start, len(text))]
    out: list[Span] = []
    for bs, be in blocks:
        out.extend(_in_block(text, bs, be, rules))
    if rules.trim:
        return [sp for sp in (_trim(text, s, e) for s, e in out) if sp[1] > sp[0]]
    return out


class Sentences:
    """Spans with a fast "which sentence is this offset in"."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def around(self, pos: int) -> Span:
        """The sentence holding ``pos`` (the first one for an offset before the text)."""
        k = max(0, bisect.bisect_right(self._starts, pos) - 1)
        return self.spans[k]


# ---------------------------------------------------------------------------------------------
# Within a block of text


# an end: . ! or ? (closing quotes after it, French "». »" with its space), then a capital in
# Latin (with accents: "À", "É") or Cyrillic script, a digit, or an opening quote ("« Nous")
_END_BEFORE_CAPITAL = re.compile(
    r"(?<=[.!?])(?:[\"”’)\]]|[ \u00a0]?»)*\s+(?=(?:[\"“‘(\[]|«[ \u00a0]?)?[A-Z0-9À-ÖØ-ÞА-ЯЁ])|\n[ \t]*\n"
)
_END_BEFORE_SPACE = re.compile(r"[.!?](?:[\"'”’)]|[ \u00a0]?»)*(?=\s)")
_LAST_LETTERS = re.compile(r"[A-Za-z]+\.?$")
_LAST_TOKEN = re.compile(r"(\S+)$")


def _in_block(text: str, bs: int, be: int, rules: Rules) -> list[Span]:
    if rules.capital_after:
        return _ends_before_capital(text, bs, be, _lower_abbreviations(rules.abbreviations))
    return _ends_before_space(text, bs, be, _abbreviation_token(rules.abbreviations))


def _ends_before_capital(text: str, bs: int, be: int, abbreviations: frozenset[str]) -> list[Span]:
    bounds = [bs]
    for m in _END_BEFORE_CAPITAL.finditer(text, bs, be):
        before = text[max(0, m.start() - 6) : m.start()]
        word = _LAST_LETTERS.findall(before)
        if word and word[0].rstrip(".").lower() in abbreviations and m.group().strip() == "":
            continue  # "St. Petersburg", "Gen. Smith"
        bounds.append(m.end())
    bounds.append(be)
    return list(zip(bounds, bounds[1:]))


def _ends_before_space(text: str, bs: int, be: int, abbreviation: re.Pattern) -> list[Span]:
    spans = []
    s = bs
    for m in _END_BEFORE_SPACE.finditer(text, bs, be):
        # "Sept. 27", "U.S. did", "St. Petersburg": an abbreviation is not an end
        token = _last_token(text, s, m.start() + 1)
        if abbreviation.fullmatch(token):
            continue
        spans.append((s, m.end()))
        s = m.end()
    if text[s:be].strip():
        spans.append((s, be))
    return spans


def _last_token(text: str, s: int, e: int) -> str:
    """The last whitespace-free token of ``text[s:e]`` ('' when it ends in a space): looked for in
    the last 64 characters first, not from the sentence start each time (long sentences made the
    splitter quadratic)."""
    if e <= s or text[e - 1] == "\n":
        return _last_token_regex(text, s, e)  # (where "$" also matches before a final line break)
    if text[e - 1].isspace():
        return ""
    lo = max(s, e - 64)
    token = text[lo:e].rsplit(None, 1)[-1]  # str.split's whitespace is the regex's \s
    if len(token) == e - lo and lo > s:
        token = text[s:e].rsplit(None, 1)[-1]  # a token longer than the window: read it whole
    return token


def _last_token_regex(text: str, s: int, e: int) -> str:
    lo = max(s, e - 64)
    word = _LAST_TOKEN.search(text, lo, e)
    if word is not None and word.start() == lo and lo > s:
        word = _LAST_TOKEN.search(text, s, e)
    return word.group(1) if word else ""


@lru_cache(maxsize=4)
def _lower_abbreviations(use: str) -> frozenset[str]:
    return folded(words("abbreviations", use))


@lru_cache(maxsize=4)
def _abbreviation_token(use: str) -> re.Pattern:
    return re.compile(r"(?:[A-Z]\.)+|(?:" + alternation("abbreviations", use) + r")\.")


def _trim(text: str, s: int, e: int) -> Span:
    """The span without the whitespace around it (``str.strip``'s whitespace is ``isspace``'s);
    ``(e, e)`` for whitespace only."""
    body = text[s:e]
    lead = len(body) - len(body.lstrip())
    if lead == len(body):
        return e, e
    return s + lead, s + len(body.rstrip())


# ---------------------------------------------------------------------------------------------
# Blocks: lines grouped into paragraphs, a headline on its own


_LINE_END = re.compile(r"[.!?:\"”]$")
_HEADLINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
SHORT_LINE = 45  # characters: a shorter line followed by a capitalised one is a headline


def _blocks(text: str, start: int) -> list[Span]:
    """Blank lines always split; a single line break splits after sentence punctuation or
    after a short headline-like line (hard-wrapped paragraphs stay whole)."""
    lines = []
    pos = start
    for line in text[start:].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    blocks: list[Span] = []
    cur: Span | None = None
    for s, e in lines:
        body = text[s:e].strip()
        if not body:
            if cur:
                blocks.append(cur)
            cur = None
            continue
        if cur is None:
            cur = (s, e)
            continue
        prev_line = text[cur[0] : cur[1]].rstrip().rsplit("\n", 1)[-1].strip()
        if _LINE_END.search(prev_line) or (
            not prev_line.endswith(",") and (len(prev_line) < SHORT_LINE or _headline(prev_line)) and body[:1].isupper()
        ):
            blocks.append(cur)
            cur = (s, e)
        else:
            cur = (cur[0], e)
    if cur:
        blocks.append(cur)
    return blocks


@lru_cache(maxsize=1)
def _small_words() -> frozenset[str]:
    return frozenset(words("function_words", "sentences.headline"))


def _headline(line: str) -> bool:
    """Title Case Line Without A Full Stop (most words capitalised)."""
    small = _small_words()
    found = [w for w in _HEADLINE_WORD.findall(line) if w.lower() not in small]
    return len(found) >= 2 and sum(w[0].isupper() for w in found) >= 0.8 * len(found)
