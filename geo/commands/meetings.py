"""Propose candidate meetings from articles (extraction only, before curation).

  python -m geo meetings ../shared/seeds                 # table on stdout
  python -m geo meetings ../shared/seeds --out cand.csv  # CSV for review

Each candidate has a stable id (FILE#KEY, a hash of its first evidence sentence, so a venue
rename keeps it) that data/curation.csv decisions refer to,
a confidence, and evidence spans FILE:START-END into the article text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.core import atomic
from geo.core.errors import UsageError
from geo.core.paths import display
from geo.core.tables import MEETINGS

# The candidate's meeting columns (no analyst-only fields) and why it was proposed.
COLUMNS = (*(name for name in MEETINGS.names if name not in ("venue_detail", "notes", "provenance")), "reasons")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("corpus", metavar="CORPUS_DIR", help="folder of .txt/.md/.html articles")
    p.add_argument("--out", metavar="FILE", help="write candidates as CSV here (default: a table on stdout)")


def candidate_rows(candidates) -> list[dict]:
    return [
        {
            "id": c.id,
            "date": c.date.iso() if c.date else "",
            "date_precision": c.date_precision if c.date else "",
            "venue": c.venue,
            "mediators": ";".join(c.mediators),
            "host": c.host,
            "level": c.level,
            "format": c.format,
            "participants": ";".join(c.participants),
            "event": c.event,
            "status": c.status,
            "documents": c.file,
            "evidence": ";".join(c.evidence_refs),
            "confidence": f"{c.confidence:.2f}",
            "reasons": "; ".join(c.reasons),
        }
        for c in candidates
    ]


def run(args: argparse.Namespace) -> int:
    from geo.ingest.corpus import read_corpus
    from geo.meetings.extract import Extractor, extract_corpus, gazetteer_finder
    from geo.places.gazetteer import get_gazetteer

    if args.out and Path(args.out).is_dir():
        raise UsageError(f"--out {args.out}: is a folder (expected a CSV file name)")
    corpus = read_corpus(args.corpus)
    for p in corpus.problems:
        print(f"warning: {p}", file=sys.stderr)
    candidates = extract_corpus(corpus.articles, gazetteer_finder(get_gazetteer()), Extractor())
    rows = candidate_rows(candidates)
    if args.out:
        atomic.write_csv(args.out, COLUMNS, rows)
        print(f"{len(rows)} candidate meetings from {len(corpus.articles)} articles -> {display(args.out)}")
        return 0
    for r in rows:
        print(
            f"{r['id']:<42} {r['date'] or '(no year)':<10} {r['venue']:<16} {r['status']:<8} "
            f"{r['mediators']:<14} conf {r['confidence']}  {r['evidence']}"
        )
    print(f"{len(rows)} candidate meetings from {len(corpus.articles)} articles")
    return 0
