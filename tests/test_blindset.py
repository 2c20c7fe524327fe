"""The blind held-out set (tests/fixtures/blindset) is consistent with itself: every gold and
not-venue row names an existing article, fields are valid, every article is in the split as
'heldout', and every gold row cites a source. No extraction scores here (the set is for measuring)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from geo.core.paths import ROOT
from geo.core.tables import MEDIATORS, SPLIT, read_table
from geo.ingest.corpus import read_corpus
from geo.meetings.evaluate import load_gold, load_not_venues

BLIND = Path(__file__).parent / "fixtures" / "blindset"
ARTICLES = BLIND / "articles"
GOLD = load_gold(BLIND / "gold.csv")
NOT_VENUES = load_not_venues(BLIND / "not_venues.csv")
FILES = sorted(p.name for p in ARTICLES.iterdir())
SOURCE = re.compile(r"source: (https?://\S+)$")
NAME = re.compile(r"^[A-Z][A-Za-z.'-]+$")


def _language(file: str) -> str:
    return "ru" if "_ru_" in file else "fr" if "_fr_" in file else "en"


def _row_id(g) -> str:
    return f"{g.file}:{g.venue}:{g.date.iso() if g.date else 'none'}"


def test_articles_read_without_problems_and_languages_balanced():
    corpus = read_corpus(ARTICLES)
    assert not corpus.problems
    assert sorted(a.file for a in corpus.articles) == FILES
    assert Counter(_language(f) for f in FILES) == {"en": 12, "ru": 9, "fr": 9}
    assert sum(a.date is None for a in corpus.articles) == 5


def test_every_article_is_heldout_in_the_split():
    rows = read_table(BLIND / "split.csv", SPLIT, hint=None)
    assert sorted(r.file for r in rows) == FILES
    assert {r.part for r in rows} == {"heldout"}


@pytest.mark.parametrize("g", GOLD, ids=_row_id)
def test_gold_row_is_valid(g):
    vocabulary = {m.name for m in read_table(ROOT / "data" / "mediators.csv", MEDIATORS, hint=None)}
    assert g.file in FILES
    assert g.date_precision in ("day", "month", "year", "none")
    assert g.venue and g.country and g.host and g.level and g.status
    assert set(g.mediators) <= vocabulary, g.mediators
    assert "none" not in g.mediators or g.mediators == ("none",)
    assert len(g.participants) >= 2 and len(set(g.participants)) == len(g.participants)
    assert all(NAME.match(p) for p in g.participants), g.participants
    assert SOURCE.search(g.note), "each gold row ends its note with 'source: URL'"


def test_gold_rows_are_not_repeated():
    keys = Counter((g.file, g.venue, g.date.iso() if g.date else "", g.level, g.status) for g in GOLD)
    assert [k for k, n in keys.items() if n > 1] == []


def test_gold_counts_by_language_and_status():
    assert Counter(_language(g.file) for g in GOLD) == {"en": 30, "ru": 22, "fr": 21}
    assert Counter(g.status for g in GOLD) == {"held": 60, "planned": 11, "cancelled": 2}


def _not_venue_rows() -> list[dict]:
    with (BLIND / "not_venues.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _not_venue_rows(), ids=lambda r: f"{r['file']}:{r['place']}")
def test_not_venue_row_names_a_place_of_its_article(row):
    assert row["file"] in FILES
    assert row["why"].strip()
    text = (ARTICLES / row["file"]).read_text(encoding="utf-8")
    assert row["place"].casefold() in text.casefold()
    assert row["place"] not in {g.venue for g in GOLD if g.file == row["file"]}


def test_not_venues_load_without_duplicates():
    assert len(NOT_VENUES) == len(_not_venue_rows())
