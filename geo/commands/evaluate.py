"""Precision and recall of meeting extraction against a gold CSV, overall and per category
(venue, city + month, date at the gold's precision, status, mediator, level), with a reason code
for each miss and each false proposal.

  python -m geo evaluate ../shared/seeds tests/fixtures/seeds_gold.csv
  python -m geo evaluate tests/fixtures/devset/articles tests/fixtures/devset/gold.csv \\
      --split tests/fixtures/devset/split.csv --part dev

Extraction runs before curation. The unit is 'article' (each article against its own gold rows)
when the gold gives a date_precision column (the per-article form), else 'corpus' (candidates
merged across articles); --unit overrides. A not_venues.csv beside the gold file (file,place,why)
explains false proposals at places that are not venues.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from geo.core.errors import UsageError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("corpus", metavar="CORPUS_DIR", help="folder of .txt/.md/.html articles")
    p.add_argument(
        "gold",
        metavar="GOLD.csv",
        help="gold meetings: columns date, venue (id, file, note, date_precision, "
        "mediators, host, level, status ... optional)",
    )
    p.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        metavar="X",
        help="count only proposals with confidence >= X (default 0: every proposal)",
    )
    p.add_argument("--split", metavar="SPLIT.csv", help="file,part: evaluate only the articles of one part")
    p.add_argument("--part", choices=("dev", "heldout"), help="the part of --split to evaluate")
    p.add_argument(
        "--unit",
        choices=("auto", "article", "corpus"),
        default="auto",
        help="compare per article or across the corpus (default: article for per-article gold)",
    )


def run(args: argparse.Namespace) -> int:
    from geo.ingest.corpus import read_corpus
    from geo.meetings.evaluate import evaluate, evaluate_by_article, load_gold, load_not_venues, load_split
    from geo.meetings.extract import Extractor, extract_corpus, gazetteer_finder, merge
    from geo.places.gazetteer import get_gazetteer

    if not 0.0 <= args.min_confidence <= 1.0:
        raise UsageError(f"--min-confidence {args.min_confidence}: expected a number from 0 to 1")
    if bool(args.split) != bool(args.part):
        raise UsageError("--split and --part go together (e.g. --split split.csv --part dev)")
    gold = load_gold(args.gold)
    articles = read_corpus(args.corpus)
    for p in articles.problems:
        print(f"warning: {p}", file=sys.stderr)
    chosen = list(articles.articles)
    if args.split:
        files = load_split(args.split, args.part)
        gold = [g for g in gold if g.file in files]
        chosen = [a for a in chosen if a.file in files]
        print(f"part {args.part}: {len(chosen)} articles, {len(gold)} gold rows")
    unit = args.unit if args.unit != "auto" else "article" if _per_article(Path(args.gold)) else "corpus"
    candidates = extract_corpus(chosen, gazetteer_finder(get_gazetteer()), Extractor())
    not_venues = load_not_venues(Path(args.gold).with_name("not_venues.csv"))
    if unit == "article":
        result = evaluate_by_article(candidates, gold, args.min_confidence, not_venues)
    else:
        result = evaluate(merge(candidates), gold, args.min_confidence, not_venues)
    print(result.report())
    return 0


def _per_article(gold: Path) -> bool:
    with gold.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return "date_precision" in header
