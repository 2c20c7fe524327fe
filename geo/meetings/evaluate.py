"""Precision and recall of extracted meetings against a gold CSV.

Gold columns: ``date`` (ISO at its precision) and ``venue`` (canonical name), optionally
``id``, ``file``, ``note``. Extraction is run *before* curation; candidates from several
articles that describe the same meeting are merged first (:func:`geo.meetings.extract.merge`), so one
meeting reported twice is one proposal.

A proposal matches a gold meeting when the venue is the same and the dates agree at the coarser
of the two precisions ("2024" agrees with "2024-07"; "2022-10" with "2022-10-31"). A year-less
proposal matches nothing. ``exact`` counts matches whose date is at least as precise as the
gold date, so loose matches stay visible.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.core.errors import DataError, Problem
from geo.core.dates import rank
from geo.meetings.extract import Proposal
from geo.core.paths import display
from geo.core.tables import GOLD, GoldRow, read_table

Gold = GoldRow  # one gold meeting: row, id, date (When), venue, file, note



@dataclass(frozen=True)
class Match:
    gold: Gold
    proposal: Proposal

    @property
    def exact(self) -> bool:
        return self.proposal.best.date.at_least_as_precise(self.gold.date)


@dataclass(frozen=True)
class Evaluation:
    matches: tuple[Match, ...]
    false_positives: tuple[Proposal, ...]
    missed: tuple[Gold, ...]

    @property
    def precision(self) -> float:
        n = len(self.matches) + len(self.false_positives)
        return len(self.matches) / n if n else 0.0

    @property
    def recall(self) -> float:
        n = len(self.matches) + len(self.missed)
        return len(self.matches) / n if n else 0.0

    @property
    def exact(self) -> int:
        return sum(m.exact for m in self.matches)

    def report(self) -> str:
        lines = [
            f"proposals: {len(self.matches) + len(self.false_positives)}   gold meetings: {len(self.matches) + len(self.missed)}",
            f"found {len(self.matches)} of {len(self.matches) + len(self.missed)} (recall {self.recall:.2f}); "
            f"false proposals {len(self.false_positives)} (precision {self.precision:.2f}); "
            f"date as precise as gold in {self.exact} of {len(self.matches)}",
        ]
        for m in self.matches:
            b = m.proposal.best
            lines.append(f"  ok      {m.gold.venue} {m.gold.date.iso()}  <- {b.date.iso()} ({b.date_precision}, conf {b.confidence:.2f}) {', '.join(c.id for c in m.proposal.candidates)}")
        for g in self.missed:
            lines.append(f"  MISSED  {g.venue} {g.date.iso()}  (gold row {g.row})")
        for p in self.false_positives:
            b = p.best
            lines.append(f"  FALSE   {b.venue} {b.date.iso() if b.date else '(no year)'} conf {b.confidence:.2f}  {', '.join(c.id for c in p.candidates)}")
        return "\n".join(lines)


def load_gold(path: Path | str) -> list[Gold]:
    path = Path(path)
    rows = read_table(path, GOLD, hint=None)
    if not rows:
        raise DataError(Problem(display(path), "has no gold meetings (expected rows with date and venue)", 2))
    return rows


def evaluate(proposals: Iterable[Proposal], gold: list[Gold], min_confidence: float = 0.0) -> Evaluation:
    pool = [p for p in proposals if max(c.confidence for c in p.candidates) >= min_confidence]
    # most precise gold first, so a coarse gold row does not take a proposal a precise one needs
    order = sorted(gold, key=lambda g: rank(g.date.precision))
    used: set[int] = set()
    matches: list[Match] = []
    missed: list[Gold] = []
    for g in order:
        options = []
        for i, p in enumerate(pool):
            b = p.best
            if i in used or b.venue != g.venue or not b.date:
                continue
            if g.date.agrees(b.date):
                options.append((rank(b.date.precision), -b.confidence, i))
        if options:
            i = min(options)[2]
            used.add(i)
            matches.append(Match(g, pool[i]))
        else:
            missed.append(g)
    fps = tuple(p for i, p in enumerate(pool) if i not in used)
    matches.sort(key=lambda m: m.gold.row)
    missed.sort(key=lambda g: g.row)
    return Evaluation(tuple(matches), fps, tuple(missed))
