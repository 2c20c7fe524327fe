"""Precision and recall of extracted meetings against a gold CSV, overall and per category,
with a reason code for every miss and every false proposal.

Gold (:data:`geo.core.tables.GOLD`): the short form ``date,venue`` (``id``, ``file``, ``note``
optional), or the development-set form with ``date_precision, country, mediators, host, level,
status, participants`` per article (an empty ``date`` for a meeting the article gives no year).

Extraction runs *before* curation. Two units of comparison:

- ``corpus``: candidates from all articles that describe the same meeting are merged first
  (:func:`geo.meetings.extract.merge`), so one meeting reported twice is one proposal;
- ``article``: each article's candidates (merged within the article) against that article's gold
  rows — for a gold that "describes what each article says", where one meeting has a row in
  every article that reports it.

The headline match is **city + month**: same venue, and dates that agree at month precision (or
at the coarser precision of the two when one is a year). A gold row without a date matches a
proposal at its venue that has no year either. Per category, a headline pair counts as correct
when that field is right too:

==========  ==================================================================================
venue       same venue, any date (one proposal per gold row)
city+month  the headline (a year-only proposal agrees with a month at the coarser precision)
month       ... and the proposed date is right to the month (to the gold's precision if coarser)
date        ... and the proposed date is right at the gold's precision (a day for a day)
status      ... and held / planned / cancelled is right
mediator    ... and the set of mediators is right ('none' for direct talks)
level       ... and leaders / foreign ministers / other is right
==========  ==================================================================================

Precision = correct / proposals, recall = correct / gold rows (for status, mediator, level: the
gold rows that give the field). Reason codes: see :data:`MISS_REASONS`, :data:`FALSE_REASONS`,
:data:`WRONG_REASONS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.core.dates import When, coarser, rank
from geo.core.errors import DataError, Problem
from geo.core.paths import display
from geo.core.tables import GOLD, SPLIT, GoldRow, read_table
from geo.core.text import fold
from geo.meetings.extract import Candidate, Proposal, merge

Gold = GoldRow  # one gold meeting: row, id, date (When | None), venue, file, note, ...

CATEGORIES = ("venue", "city+month", "month", "date", "status", "mediator", "level")
UNITS = ("article", "corpus")

MISS_REASONS = {
    "no-candidate": "nothing proposed at this venue",
    "wrong-date": "proposed at this venue with another date",
    "year-unknown": "proposed at this venue without a year",
    "wrong-venue": "proposed for this date at another venue",
}
FALSE_REASONS = {
    "not-a-venue": "no gold meeting at this venue",
    "wrong-date": "a gold meeting at this venue has another date",
    "year-unknown": "no year, and no gold meeting at this venue without one",
    "duplicate": "the gold meeting was already matched by another proposal",
}
WRONG_REASONS = {
    "wrong-month": "city right, the date only to the year where the gold gives the month",
    "wrong-day": "city and month right, date not at the gold's precision",
    "wrong-status": "held / planned / cancelled differs",
    "wrong-mediator": "mediators differ",
    "wrong-level": "level differs",
}


# ---------------------------------------------------------------------------------------------
# Comparing one gold row with one proposal (pure predicates)


def month_agrees(gold: When | None, proposed: When | None) -> bool:
    """The headline date test: both dates cut to month (or to the coarser precision of the two)
    are equal; a gold row without a year agrees only with a proposal without one."""
    if gold is None or proposed is None:
        return gold is None and proposed is None
    level = coarser("month", coarser(gold.precision, proposed.precision))
    return gold.coarsen(level) == proposed.coarsen(level)


def date_right(gold: When | None, proposed: When | None) -> bool:
    """The proposed date is right at the gold's precision (a day for a day, a month for a month)."""
    if gold is None or proposed is None:
        return gold is None and proposed is None
    return rank(proposed.precision) <= rank(gold.precision) and gold.agrees(proposed)


def month_right(gold: When | None, proposed: When | None) -> bool:
    """Right to the month: a year-only proposal for a dated month is not."""
    if gold is None or proposed is None:
        return gold is None and proposed is None
    return date_right(gold.coarsen(coarser("month", gold.precision)), proposed)


def mediators_right(gold: Sequence[str], proposed: Sequence[str]) -> bool:
    return (set(gold) - {"none"}) == (set(proposed) - {"none"})


def wrong_fields(gold: Gold, c: Candidate) -> list[str]:
    """Reason codes for a headline pair whose other fields are wrong (fields the gold leaves
    empty are not judged)."""
    out = []
    if not month_right(gold.date, c.date):
        out.append("wrong-month")
    if not date_right(gold.date, c.date):
        out.append("wrong-day")
    if gold.status and gold.status != c.status:
        out.append("wrong-status")
    if gold.mediators and not mediators_right(gold.mediators, c.mediators):
        out.append("wrong-mediator")
    if gold.level and gold.level != c.level:
        out.append("wrong-level")
    return out


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Match:
    gold: Gold
    proposal: Proposal

    @property
    def exact(self) -> bool:
        return date_right(self.gold.date, self.proposal.best.date)

    @property
    def wrong(self) -> tuple[str, ...]:
        return tuple(wrong_fields(self.gold, self.proposal.best))


@dataclass(frozen=True)
class Miss:
    gold: Gold
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class FalseProposal:
    proposal: Proposal
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Score:
    correct: int
    proposals: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.proposals if self.proposals else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0


@dataclass(frozen=True)
class Evaluation:
    matches: tuple[Match, ...]
    false: tuple[FalseProposal, ...]
    misses: tuple[Miss, ...]
    venue_matches: int = 0  # one-to-one pairs on the venue alone
    unit: str = "corpus"

    @property
    def false_positives(self) -> tuple[Proposal, ...]:
        return tuple(f.proposal for f in self.false)

    @property
    def missed(self) -> tuple[Gold, ...]:
        return tuple(m.gold for m in self.misses)

    @property
    def n_proposals(self) -> int:
        return len(self.matches) + len(self.false)

    @property
    def n_gold(self) -> int:
        return len(self.matches) + len(self.misses)

    @property
    def precision(self) -> float:
        return self.score("city+month").precision

    @property
    def recall(self) -> float:
        return self.score("city+month").recall

    @property
    def exact(self) -> int:
        return sum(m.exact for m in self.matches)

    @property
    def held_by_mistake(self) -> tuple[Match, ...]:
        """Announced or cancelled meetings proposed as held."""
        return tuple(
            m for m in self.matches if m.gold.status in ("planned", "cancelled") and m.proposal.best.status == "held"
        )

    def score(self, category: str) -> Score:
        golds = [m.gold for m in self.matches] + [m.gold for m in self.misses]
        if category == "venue":
            return Score(self.venue_matches, self.n_proposals, self.n_gold)
        if category == "city+month":
            return Score(len(self.matches), self.n_proposals, self.n_gold)
        code = {
            "month": "wrong-month",
            "date": "wrong-day",
            "status": "wrong-status",
            "mediator": "wrong-mediator",
            "level": "wrong-level",
        }[category]
        field = {"month": None, "date": None, "status": "status", "mediator": "mediators", "level": "level"}[category]
        judged = [m for m in self.matches if field is None or getattr(m.gold, field)]
        n_gold = len(golds) if field is None else sum(1 for g in golds if getattr(g, field))
        return Score(sum(code not in m.wrong for m in judged), self.n_proposals, n_gold)

    def report(self) -> str:
        lines = [
            f"proposals: {self.n_proposals}   gold meetings: {self.n_gold}   (compared per {self.unit})",
            f"found {len(self.matches)} of {self.n_gold} (recall {self.recall:.2f}); "
            f"false proposals {len(self.false)} (precision {self.precision:.2f}); "
            f"date as precise as gold in {self.exact} of {len(self.matches)}",
            "",
            f"  {'category':<11} {'correct':>7} {'precision':>9} {'recall':>6}",
        ]
        for cat in CATEGORIES:
            s = self.score(cat)
            if s.gold or cat in ("venue", "city+month", "month", "date"):
                lines.append(f"  {cat:<11} {s.correct:>7} {s.precision:>9.2f} {s.recall:>6.2f}")
            else:
                lines.append(f"  {cat:<11} {'-':>7} {'-':>9} {'-':>6}   (the gold does not give it)")
        lines.append(f"  announced or cancelled proposed as held: {len(self.held_by_mistake)}")
        lines.append("")
        for m in self.matches:
            b = m.proposal.best
            wrong = f"  [{' '.join(m.wrong)}: {_fields(b)} vs gold {_gold_fields(m.gold)}]" if m.wrong else ""
            lines.append(
                f"  ok      {m.gold.venue} {_iso(m.gold.date)}  <- {_iso(b.date)} "
                f"({b.date_precision}, conf {b.confidence:.2f}) "
                f"{', '.join(c.id for c in m.proposal.candidates)}{wrong}"
            )
        for miss in self.misses:
            where = f"{miss.gold.file}, " if miss.gold.file else ""
            detail = f"  {miss.detail}" if miss.detail else ""
            lines.append(
                f"  MISSED  {miss.gold.venue} {_iso(miss.gold.date)}  {miss.reason}  "
                f"({where}gold row {miss.gold.row}){detail}"
            )
        for f in self.false:
            b = f.proposal.best
            detail = f"  {f.detail}" if f.detail else ""
            lines.append(
                f"  FALSE   {b.venue} {_iso(b.date)} conf {b.confidence:.2f}  {f.reason}  "
                f"{', '.join(c.id for c in f.proposal.candidates)}{detail}"
            )
        return "\n".join(lines)


def _iso(d: When | None) -> str:
    return d.iso() if d else "(no year)"


def _fields(c: Candidate) -> str:
    return f"{_iso(c.date)} {c.status} {';'.join(c.mediators)} {c.level}"


def _gold_fields(g: Gold) -> str:
    return f"{_iso(g.date)} {g.status or '-'} {';'.join(g.mediators) or '-'} {g.level or '-'}"


# ---------------------------------------------------------------------------------------------
# Reading gold and split files


def load_gold(path: Path | str) -> list[Gold]:
    path = Path(path)
    rows = read_table(path, GOLD, hint=None)
    if not rows:
        raise DataError(Problem(display(path), "has no gold meetings (expected rows with date and venue)", 2))
    problems = [p for r in rows for p in _gold_row_problems(display(path), r)]
    if problems:
        raise DataError(problems)
    return rows


def _gold_row_problems(shown: str, r: Gold) -> list[Problem]:
    if not r.date_precision:
        return []
    if r.date is None and r.date_precision != "none":
        return [
            Problem(
                shown, f"no date but date_precision {r.date_precision!r} (expected 'none')", r.row, "date_precision"
            )
        ]
    if r.date is not None and r.date.precision != r.date_precision:
        return [
            Problem(
                shown,
                f"date {r.date.iso()} is at {r.date.precision} precision, not {r.date_precision!r}",
                r.row,
                "date_precision",
            )
        ]
    return []


def load_split(path: Path | str, part: str) -> set[str]:
    """The files of one part (dev / heldout) of a split CSV."""
    rows = read_table(Path(path), SPLIT, hint=None)
    return {r.file for r in rows if r.part == part}


def load_not_venues(path: Path | str) -> dict[tuple[str, str], str]:
    """Optional ``not_venues.csv`` (file,place,why) beside a gold file: (file, place) -> why."""
    import csv

    path = Path(path)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {
            (r["file"], r["place"]): r.get("why", "") for r in csv.DictReader(fh) if r.get("file") and r.get("place")
        }


# ---------------------------------------------------------------------------------------------
# Matching


def evaluate(
    proposals: Iterable[Proposal], gold: list[Gold], min_confidence: float = 0.0, not_venues: dict | None = None
) -> Evaluation:
    """Corpus unit: merged proposals against every gold row."""
    pool = _confident(proposals, min_confidence)
    matches, false, misses, venue = _match(pool, gold, not_venues or {})
    return _evaluation(matches, false, misses, venue, "corpus")


def evaluate_by_article(
    candidates: Iterable[Candidate], gold: list[Gold], min_confidence: float = 0.0, not_venues: dict | None = None
) -> Evaluation:
    """Article unit: each article's candidates (merged within the article) against its gold rows."""
    by_file: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_file.setdefault(c.file, []).append(c)
    gold_by_file: dict[str, list[Gold]] = {}
    for g in gold:
        gold_by_file.setdefault(g.file, []).append(g)
    matches, false, misses, venue = [], [], [], 0
    for f in sorted(set(by_file) | set(gold_by_file)):
        pool = _confident(merge(by_file.get(f, [])), min_confidence)
        m, fp, ms, v = _match(pool, gold_by_file.get(f, []), not_venues or {})
        matches += m
        false += fp
        misses += ms
        venue += v
    return _evaluation(matches, false, misses, venue, "article")


def _confident(proposals: Iterable[Proposal], min_confidence: float) -> list[Proposal]:
    return [p for p in proposals if max(c.confidence for c in p.candidates) >= min_confidence]


def _evaluation(matches, false, misses, venue, unit) -> Evaluation:
    matches.sort(key=lambda m: m.gold.row)
    misses.sort(key=lambda m: m.gold.row)
    return Evaluation(tuple(matches), tuple(false), tuple(misses), venue, unit)


def _match(
    pool: list[Proposal], gold: list[Gold], not_venues: dict
) -> tuple[list[Match], list[FalseProposal], list[Miss], int]:
    # most precise gold first, so a coarse gold row does not take a proposal a precise one needs
    order = sorted(gold, key=lambda g: (rank(g.date.precision) if g.date else 3, g.row))
    used: set[int] = set()
    matches: list[Match] = []
    unmatched: list[Gold] = []
    for g in order:
        options = []
        for i, p in enumerate(pool):
            b = p.best
            if i in used or not same_venue(b.venue, g.venue) or not month_agrees(g.date, b.date):
                continue
            preference = (
                not date_right(g.date, b.date),
                bool(g.status) and g.status != b.status,
                rank(b.date_precision),
                -b.confidence,
            )
            options.append((preference, i))
        if options:
            i = min(options)[1]
            used.add(i)
            matches.append(Match(g, pool[i]))
        else:
            unmatched.append(g)
    left = [p for i, p in enumerate(pool) if i not in used]
    misses = [_why_missed(g, pool, left) for g in unmatched]
    false = [_why_false(p, gold, matches, not_venues) for p in left]
    return matches, false, misses, _venue_pairs(pool, gold)


def same_venue(a: str, b: str) -> bool:
    """One venue however the gold spells it: case, accents and "St."/"Saint" do not count
    ("Krakow" is "Kraków", "Burgenstock" is "Bürgenstock")."""
    return fold(a) == fold(b)


def _venue_pairs(pool: list[Proposal], gold: list[Gold]) -> int:
    proposed: dict[str, int] = {}
    for p in pool:
        proposed[fold(p.venue)] = proposed.get(fold(p.venue), 0) + 1
    wanted: dict[str, int] = {}
    for g in gold:
        wanted[fold(g.venue)] = wanted.get(fold(g.venue), 0) + 1
    return sum(min(n, proposed.get(v, 0)) for v, n in wanted.items())


def _why_missed(g: Gold, pool: list[Proposal], left: list[Proposal]) -> Miss:
    here = [p.best for p in pool if same_venue(p.venue, g.venue)]
    if here:
        if g.date is not None and all(c.date is None for c in here):
            return Miss(g, "year-unknown")
        return Miss(g, "wrong-date", "proposed " + ", ".join(sorted({_iso(c.date) for c in here})))
    elsewhere = [p.best for p in left if month_agrees(g.date, p.best.date)]
    if g.date is not None and elsewhere:
        return Miss(g, "wrong-venue", "proposed " + ", ".join(sorted({c.venue for c in elsewhere})))
    return Miss(g, "no-candidate")


def _why_false(p: Proposal, gold: list[Gold], matches: list[Match], not_venues: dict) -> FalseProposal:
    b = p.best
    at_venue = [g for g in gold if same_venue(g.venue, b.venue)]
    if not at_venue:
        why = _not_venue_why(b, not_venues)
        return FalseProposal(p, "not-a-venue", why)
    if any(same_venue(m.proposal.venue, b.venue) and month_agrees(m.gold.date, b.date) for m in matches):
        return FalseProposal(p, "duplicate")
    if b.date is None:
        return FalseProposal(p, "year-unknown")
    return FalseProposal(p, "wrong-date", "gold " + ", ".join(sorted({_iso(g.date) for g in at_venue})))


def _not_venue_why(c: Candidate, not_venues: dict) -> str:
    for (file, place), why in not_venues.items():
        if file == c.file and place == c.venue:
            return f"({why})" if why else ""
    return ""
