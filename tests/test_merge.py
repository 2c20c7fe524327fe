"""Candidate merging is linear and groups exactly as the pairwise rule says: same venue, dates
agreeing at the coarser precision, the first agreeing group in order."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from geo.core.dates import When, rank
from geo.meetings.extract import Candidate, merge

BASE = Candidate(
    id="",
    file="a.txt",
    venue="",
    host="",
    date=None,
    mediators=(),
    participants=(),
    level="leaders",
    format="bilateral",
    status="held",
    event="",
    confidence=0.5,
    evidence=((0, 1),),
)


def pairwise(candidates):
    """The rule as first written: compare each candidate with every group formed so far."""
    groups = []
    for c in sorted(
        candidates, key=lambda c: (c.venue, rank(c.date_precision), c.date.value if c.date else date.min, c.id)
    ):
        if c.date:
            for g in groups:
                if g[0].venue == c.venue and g[0].date and all(x.date.agrees(c.date) for x in g):
                    g.append(c)
                    break
            else:
                groups.append([c])
        else:
            groups.append([c])
    return [tuple(x.id for x in g) for g in groups]


def random_candidates(seed: int, n: int) -> list[Candidate]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        prec = rnd.choice(["day", "day", "month", "year", "none"])
        y, m, d = rnd.choice([2022, 2023]), rnd.choice([1, 2, 10]), rnd.choice([1, 2, 15])
        when = None if prec == "none" else When(date(y, m, d), prec)
        out.append(replace(BASE, id=f"c{i:04d}", venue=rnd.choice(["Sochi", "Prague", "Brussels"]), date=when))
    return out


@pytest.mark.parametrize("seed", range(25))
def test_linear_merge_groups_like_the_pairwise_rule(seed):
    cands = random_candidates(seed, 60)
    assert [tuple(c.id for c in p.candidates) for p in merge(cands)] == pairwise(cands)


@pytest.mark.parametrize(
    "dates, groups",
    [
        (["2022-10-31", "2022-10", "2022"], [["a", "b", "c"]]),  # coarser dates join the precise one
        (["2022-10-30", "2022-10-31", "2022-10"], [["a", "c"], ["b"]]),  # the month joins the first day
        (["2022-10-31", "2022-11", "2022"], [["a", "c"], ["b"]]),  # the year joins the first group that agrees
        (["2022", "2023", ""], [["c"], ["a"], ["b"]]),  # year-less stays alone (sorted first)
    ],
)
def test_merge_examples(dates, groups):
    cands = [replace(BASE, id=i, venue="Sochi", date=When.parse(d) if d else None) for i, d in zip("abc", dates)]
    assert [[c.id for c in p.candidates] for p in merge(cands)] == groups
