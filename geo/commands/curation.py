"""Maintain data/curation.csv: `migrate` rewrites old-style candidate ids once, in place.

  python -m geo curation migrate ../shared/seeds

Candidate ids used to name the venue (FILE#venue-slug), so renaming a venue in
data/venue_overrides.csv orphaned the decisions made on it. They now hash the candidate's first
evidence sentence (FILE#3f2a9c01be). `migrate` extracts the candidates of CORPUS_DIR, rewrites
every old-style id that one of them still has to its new id (one atomic write; every other cell
and the row order kept) and prints each change. Run it before renaming venues: an old-style id
is only recognised under the venue name it was written with.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.core.errors import UsageError
from geo.core.paths import DATA, display


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("action", choices=("migrate",), help="migrate: rewrite old-style candidate ids")
    p.add_argument("corpus", metavar="CORPUS_DIR", help="the folder of articles the decisions were made on")
    p.add_argument("--data", metavar="DIR", help="data folder holding curation.csv (default: data/)")


def run(args: argparse.Namespace) -> int:
    from geo.core.schema import load_curation
    from geo.core.tables import CURATION
    from geo.meetings.curation import migrate
    from geo.publish.build import extract

    data_dir = Path(args.data) if args.data else DATA
    if not data_dir.is_dir():
        raise UsageError(f"--data {args.data}: no such folder")
    path = data_dir / CURATION.name
    if not path.is_file():
        raise UsageError(f"{display(path)}: no such file (nothing to migrate)")
    load_curation(path)  # a malformed file is reported before anything is rewritten
    got = extract(args.corpus, data_dir)
    changes, unknown = migrate(path, got.candidates)
    for p in unknown:
        print(f"warning: {p}", file=sys.stderr)
    for c in changes:
        print(f"{display(path)}, row {c.row}: {c.old} -> {c.new}")
    print(
        f"{len(changes)} decision(s) migrated in {display(path)}"
        if changes
        else f"{display(path)}: no old-style ids to migrate"
    )
    return 0
