"""Build data/venues.csv (and places.csv, articles.csv) from a folder of articles, offline.

Finds the places the articles mention, resolves them with the offline gazetteer
(data/aliases.csv, data/region_prior.csv), gives each mention a role (venue or other), applies
data/venue_overrides.csv, and writes the tables plus a report of unresolved and ambiguous
mentions (venues_report.csv beside --out). Venues named in meetings.csv beside --out are kept.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from geo.core.errors import UsageError
from geo.core.paths import DATA, DEFAULT_CORPUS, display


def add_arguments(p) -> None:
    p.add_argument(
        "corpus",
        nargs="?",
        default=str(DEFAULT_CORPUS),
        help=f"folder of .txt/.md/.html articles (default: {display(DEFAULT_CORPUS)})",
    )
    p.add_argument(
        "--out",
        default=str(DATA / "venues.csv"),
        help="venue table to write; places.csv, articles.csv and the report go beside it",
    )
    p.add_argument(
        "--online", action="store_true", help="look up names the gazetteer lacks with Nominatim (network; cached)"
    )
    p.add_argument(
        "--overrides", default=None, help="analyst corrections, only read (default: data/venue_overrides.csv)"
    )
    p.add_argument(
        "--meetings",
        default=None,
        help="meetings table whose venues must stay in the venue table "
        "(default: meetings.csv beside --out, if present)",
    )


def meeting_venues(path: Path) -> list[str]:
    """The venue column of a meetings table (a missing file names none)."""
    if not path.exists():
        return []
    if path.is_dir():
        raise UsageError(f"--meetings {display(path)}: is a folder; give a meetings.csv file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [(r.get("venue") or "").strip() for r in csv.DictReader(fh)]
    except UnicodeDecodeError as exc:
        raise UsageError(f"--meetings {display(path)}: not a UTF-8 CSV file (byte {exc.start})") from None
    except csv.Error as exc:
        raise UsageError(f"--meetings {display(path)}: not a readable CSV file ({exc})") from None


def run(args) -> int:
    from geo.ingest.corpus import read_corpus
    from geo.places.gazetteer import get_gazetteer
    from geo.places.venues import OVERRIDES, build_venues, ensure_venues, write_outputs

    args.overrides = args.overrides or str(OVERRIDES)
    corpus = read_corpus(args.corpus)
    gaz = get_gazetteer()
    geocoder = None
    if args.online:
        from geo.places.online import OnlineGeocoder

        geocoder = OnlineGeocoder()
    result = build_venues(corpus, gaz, args.overrides, geocoder)
    out = Path(args.out)
    meetings = Path(args.meetings) if args.meetings else out.with_name("meetings.csv")
    result, missing = ensure_venues(result, meeting_venues(meetings), gaz, args.overrides)
    paths = write_outputs(result, out)

    for p in result.problems:
        print(f"warning: {p}", file=sys.stderr)
    for name in missing:
        print(
            f"warning: {display(meetings)}: venue {name!r} is not known to the gazetteer; "
            f"add it to {display(args.overrides)}",
            file=sys.stderr,
        )
    venue_mentions = sum(1 for m in result.mentions if m.role == "venue")
    print(f"articles read: {len(corpus.articles)} ({len(corpus.problems)} warnings)")
    print(
        f"mentions: {len(result.mentions)} ({venue_mentions} as venue, {len(result.mentions) - venue_mentions} other)"
    )
    print(
        f"venues: {len(result.venue_rows)}"
        + (f" ({len(result.added)} kept from {display(meetings)}: {', '.join(result.added)})" if result.added else "")
    )
    print(f"unresolved: {len(result.unresolved)}; ambiguous: {len(result.ambiguous)} (see {display(paths.report)})")
    if geocoder is not None:
        print(f"geocoder: {geocoder.calls} online lookups, {len(geocoder.failures)} failed")
    print(f"wrote {display(paths.venues)}, {display(paths.places)}, {display(paths.articles)}, {display(paths.report)}")
    return 0
