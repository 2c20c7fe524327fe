"""Build the tables: venues + meeting extraction + analyst curation -> data/*.csv.

  python -m geo build ../shared/seeds
  python -m geo build ARCHIVE --jobs 4

Reads the analysts' decisions from the decision store (data/atlas.sqlite, or --store URL /
TALKS_ATLAS_STORE; it imports data/curation.csv on first use) and data/venue_overrides.csv, and
writes data/venues.csv, places.csv, articles.csv, venues_report.csv and meetings.csv as one
snapshot, only after every check passed (a failed or killed build changes nothing). A build
that would empty meetings.csv or venues.csv stops unless --allow-empty is given.

The per-article work (place mentions, candidate meetings) runs in --jobs processes (default:
all cores) and is kept in cache/ (per article, by content): a rebuild only works on added or
changed articles. The tables are the same whatever --jobs, with or without the cache.

  python -m geo build ARCHIVE --engine dask --scheduler tcp://10.0.0.5:8786

runs the per-article work on a Dask cluster instead (docs/meetings.md: on a cluster).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.core.errors import UsageError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("corpus", metavar="CORPUS_DIR", help="folder of .txt/.md/.html articles")
    p.add_argument(
        "--data", metavar="DIR", help="data folder to read decisions from and write tables to (default: data/)"
    )
    p.add_argument(
        "--store",
        metavar="URL",
        help="decision store, a SQLAlchemy URL (default: $TALKS_ATLAS_STORE or sqlite:///DATA/atlas.sqlite)",
    )
    p.add_argument(
        "--allow-empty", action="store_true", help="let the build replace a table that has rows with an empty one"
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="work on every article again, without reading or writing the per-article results kept in cache/",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="worker processes for the per-article work (default: all cores); the tables are the same whatever N",
    )
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where the per-article work runs: worker processes here (local), or a Dask cluster (dask)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the Dask scheduler's address (e.g. tcp://10.0.0.5:8786); "
        "default: a local cluster of --jobs processes",
    )


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return n


def run(args: argparse.Namespace) -> int:
    from geo.publish.build import build

    if args.data and not Path(args.data).is_dir():
        raise UsageError(f"--data {args.data}: no such folder")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler is for --engine dask")
    from geo.places.gazetteer import CACHE_DIR
    from geo.publish.work import default_jobs

    jobs = args.jobs or default_jobs()
    result = build(
        args.corpus,
        args.data,
        allow_empty=args.allow_empty,
        progress=True,
        jobs=jobs,
        cache_dir=None if args.no_cache else CACHE_DIR,
        engine=args.engine,
        scheduler=args.scheduler,
        store=args.store,
    )
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(result.summary())
    return 0
