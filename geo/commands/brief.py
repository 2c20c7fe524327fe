"""Export the filtered map as a slide-ready PNG or self-contained HTML (a briefing picture).

Same data (data/*.csv) and the same filters as the app's sidebar:

  python -m geo brief --mediator Russia --from 2016 --to 2024 --out russia.png
  python -m geo brief --level leaders --size 1280x720 --out leaders.png
  python -m geo brief --mediator EU --route --out eu-route.png   (numbered route with arrows)
  python -m geo brief --status held --out talks.html   (one file, opens with no network)
  python -m geo brief --host KZ --out kazakhstan.png  (meetings hosted by Kazakhstan)
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from geo.core.errors import UsageError
from geo.core.paths import DATA, display

FORMATS = (".png", ".html")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument(
        "--mediator",
        action="append",
        default=[],
        metavar="NAME",
        help="keep meetings with this mediator (name or label; 'none' = direct talks); repeatable",
    )
    p.add_argument("--from", dest="year_from", type=int, metavar="YEAR", help="first year (inclusive)")
    p.add_argument("--to", dest="year_to", type=int, metavar="YEAR", help="last year (inclusive)")
    p.add_argument(
        "--level", action="append", default=[], metavar="LEVEL", help="leaders, foreign ministers or other; repeatable"
    )
    p.add_argument(
        "--status", action="append", default=[], metavar="STATUS", help="held, planned or cancelled; repeatable"
    )
    p.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="COUNTRY",
        help="keep meetings hosted by this country (ISO-2 code or name, e.g. KZ or Kazakhstan); repeatable",
    )
    p.add_argument("--title", help="slide title (default: made from the filters)")
    p.add_argument(
        "--route", action="store_true", help="draw the route between venues in date order, numbered, with arrows"
    )
    p.add_argument("--size", default="1920x1080", help="picture size: 1920x1080 (default) or 1280x720")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.png|FILE.html", help="where to write")
    p.add_argument("--data", type=Path, default=DATA, metavar="DIR", help="data directory (default: data/)")


def check_output(path: Path) -> str:
    """Fail before any work when the output cannot be written; returns the format ('.png'/'.html')."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--out {display(path)}: the file name must end in .png or .html")
    if path.is_dir():
        raise UsageError(f"--out {display(path)}: is a directory; give a file name ending in {suffix}")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"--out {display(path)}: the file exists and is not writable")
    parent = path.parent if str(path.parent) else Path(".")
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"--out {display(path)}: cannot create it, {display(probe)} is a file, not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"--out {display(path)}: cannot write in {display(probe)} (permission denied)")
    return suffix


def check_years(opts, year_from: int | None, year_to: int | None) -> None:
    """A lone --from after the data's last year (or --to before its first) makes an impossible
    range with the default for the other end; say so instead of drawing "2030–2024"."""
    span = f"the data covers {opts.year_min}–{opts.year_max}"
    if year_to is None and year_from is not None and year_from > opts.year_max:
        raise UsageError(f"impossible year range: --from {year_from} is after the last year in the data; {span}")
    if year_from is None and year_to is not None and year_to < opts.year_min:
        raise UsageError(f"impossible year range: --to {year_to} is before the first year in the data; {span}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def run(args: argparse.Namespace) -> int:
    from geo.core import atomic
    from geo.core.schema import load_dataset
    from geo.present.brief import compose, page_html, parse_size
    from geo.present.filters import FilterOptions, from_cli

    fmt = check_output(args.out)
    size = parse_size(args.size)
    ds = load_dataset(args.data)
    opts = FilterOptions.from_data(ds.meetings, ds.mediators)
    check_years(opts, args.year_from, args.year_to)
    filters = from_cli(opts, args.mediator, args.year_from, args.year_to, args.level, args.status, args.host)
    brief = compose(ds, filters, args.title, route=args.route)
    page = page_html(brief, size)
    if fmt == ".png":
        from geo.present.render import capture

        shot = capture(page, size, expect_markers=not brief.empty)
        data = shot.png
    else:
        data = page.encode("utf-8")
    try:
        atomic.write_bytes(args.out, data)
        os.chmod(args.out, 0o666 & ~_umask())  # an export is an ordinary file, not a private temp file
    except OSError as exc:
        raise UsageError(f"--out {display(args.out)}: cannot write ({exc.strerror or exc})") from None
    what = brief.count if not brief.empty else "no meetings match the filters"
    print(f"wrote {display(args.out)} ({size.label if fmt == '.png' else 'HTML'}; {what})")
    return 0
