"""Precision and recall of meeting extraction against a gold CSV (date, venue).

  python -m geo evaluate ../shared/seeds tests/fixtures/seeds_gold.csv

Extraction runs before curation; a proposal matches a gold meeting on the same venue with
dates agreeing at the coarser precision of the two.
"""
from __future__ import annotations

import argparse
import sys

from geo.core.errors import UsageError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("corpus", metavar="CORPUS_DIR", help="folder of .txt/.md/.html articles")
    p.add_argument("gold", metavar="GOLD.csv", help="gold meetings: columns date, venue (id, file, note optional)")
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="count only proposals with confidence >= X (default 0: every proposal)")


def run(args: argparse.Namespace) -> int:
    from geo.ingest.corpus import read_corpus
    from geo.meetings.evaluate import evaluate, load_gold
    from geo.meetings.extract import Extractor, extract_corpus, gazetteer_finder, merge
    from geo.places.gazetteer import get_gazetteer

    if not 0.0 <= args.min_confidence <= 1.0:
        raise UsageError(f"--min-confidence {args.min_confidence}: expected a number from 0 to 1")
    gold = load_gold(args.gold)
    corpus = read_corpus(args.corpus)
    for p in corpus.problems:
        print(f"warning: {p}", file=sys.stderr)
    candidates = extract_corpus(corpus.articles, gazetteer_finder(get_gazetteer()), Extractor())
    result = evaluate(merge(candidates), gold, args.min_confidence)
    print(result.report())
    return 0
