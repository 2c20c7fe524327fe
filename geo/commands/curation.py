"""The analysts' decisions: the decision store and its export, data/curation.csv.

  python -m geo curation log                 the last 20 decisions of the journal
  python -m geo curation log --last 100 --analyst anna
  python -m geo curation export              write data/curation.csv again from the store
  python -m geo curation export --to review.csv
  python -m geo curation undo 42 --analyst anna
  python -m geo curation migrate ../shared/seeds

Decisions live in an append-only journal (geo.meetings.journal): data/atlas.sqlite, or the
SQLAlchemy URL of --store / TALKS_ATLAS_STORE (e.g. postgresql+psycopg://atlas@db/atlas). It
imports data/curation.csv on first use and re-exports it after every decision, so the file stays
what reviewers read in version control. `undo SEQ` cancels one journal row (itself an undo row:
nothing is deleted; undoing an undo brings the decision back).

`migrate`: candidate ids used to name the venue (FILE#venue-slug), so renaming a venue in
data/venue_overrides.csv orphaned the decisions made on it. They now hash the candidate's first
evidence sentence (FILE#3f2a9c01be). `migrate` extracts the candidates of CORPUS_DIR, rewrites
every old-style id that one of them still has to its new id (one atomic write; every other cell
and the row order kept) and prints each change; the decision store records the rewrite the next
time it is opened (as an edit of curation.csv). Run it before renaming venues: an old-style id
is only recognised under the venue name it was written with.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.core.errors import UsageError
from geo.core.paths import DATA, display

ACTIONS = ("log", "export", "undo", "migrate")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument(
        "action",
        choices=ACTIONS,
        help="log: recent decisions; export: write curation.csv from the store; undo SEQ: cancel a journal row; "
        "migrate CORPUS_DIR: rewrite old-style candidate ids",
    )
    p.add_argument("target", nargs="?", metavar="SEQ|CORPUS_DIR", help="undo: the journal row; migrate: the corpus")
    p.add_argument("--data", metavar="DIR", help="data folder holding curation.csv (default: data/)")
    p.add_argument(
        "--store",
        metavar="URL",
        help="decision store, a SQLAlchemy URL (default: $TALKS_ATLAS_STORE or sqlite:///DATA/atlas.sqlite)",
    )
    p.add_argument("--last", type=_count, default=20, metavar="N", help="log: how many decisions (default 20)")
    p.add_argument("--analyst", metavar="NAME", help="log: only this analyst's; undo: who undoes (required)")
    p.add_argument("--to", metavar="FILE", help="export: another file than DATA/curation.csv")


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of decisions (1 or more)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    data_dir = Path(args.data) if args.data else DATA
    if not data_dir.is_dir():
        raise UsageError(f"--data {args.data}: no such folder")
    if args.action == "migrate":
        return _migrate(args, data_dir)
    from geo.meetings.journal import Journal

    journal = Journal(args.store, data_dir=data_dir)
    for w in journal.problems:
        print(f"warning: {w}", file=sys.stderr)
    if args.action == "log":
        return _log(journal, args)
    if args.action == "undo":
        return _undo(journal, args)
    path = journal.export_csv(Path(args.to) if args.to else None)
    print(f"wrote {display(path)}: {len(journal.decisions())} decision(s) in effect, journal at #{journal.version()}")
    return 0


def _log(journal, args: argparse.Namespace) -> int:
    from geo.meetings.journal import live

    entries = journal.entries()
    alive = live(entries)
    shown = [e for e in entries if not args.analyst or e.analyst == args.analyst][-args.last :]
    if not shown:
        print("no decisions recorded" + (f" by {args.analyst!r}" if args.analyst else ""))
    for e in shown:
        print(e.describe() + ("" if e.seq in alive else "  (undone)"))
    return 0


def _undo(journal, args: argparse.Namespace) -> int:
    if not args.target or not args.target.isdigit():
        raise UsageError("undo needs the journal row to cancel, e.g. 'curation undo 42 --analyst NAME' (see 'log')")
    if not args.analyst:
        raise UsageError("undo needs --analyst NAME (the journal says who undid what)")
    entry = journal.undo(int(args.target), args.analyst)
    print(f"recorded {entry.describe()}; curation.csv written again")
    return 0


def _migrate(args: argparse.Namespace, data_dir: Path) -> int:
    from geo.core.schema import load_curation
    from geo.core.tables import CURATION
    from geo.meetings.curation import migrate
    from geo.publish.build import extract

    if not args.target:
        raise UsageError("migrate needs CORPUS_DIR, the folder of articles the decisions were made on")
    path = data_dir / CURATION.name
    if not path.is_file():
        raise UsageError(f"{display(path)}: no such file (nothing to migrate)")
    load_curation(path)  # a malformed file is reported before anything is rewritten
    got = extract(args.target, data_dir)
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
