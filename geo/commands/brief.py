"""Export the filtered map as a slide-ready PNG or self-contained HTML (a briefing picture).

Same data (data/*.csv) and the same filters as the app's sidebar:

  python -m geo brief --mediator Russia --from 2016 --to 2024 --out russia.png
  python -m geo brief --level leaders --size 1280x720 --out leaders.png
  python -m geo brief --mediator EU --route --out eu-route.png   (numbered route with arrows)
  python -m geo brief --status held --out talks.html   (one file, opens with no network)
  python -m geo brief --host KZ --out kazakhstan.png  (meetings hosted by Kazakhstan)
  python -m geo brief --mediator EU --out eu.gif        (time-lapse: one step per meeting; or .mp4)
  python -m geo brief --out all.mp4 --frame-seconds 0.5 --title-seconds 3
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from geo.core.errors import UsageError
from geo.core.paths import DATA, display

FORMATS = (".png", ".html", ".gif", ".mp4")
ANIMATED = (".gif", ".mp4")


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
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE.png|FILE.html|FILE.gif|FILE.mp4",
        help="where to write; the suffix picks the format (.gif/.mp4: a time-lapse, one step per meeting)",
    )
    p.add_argument(
        "--frame-seconds", type=float, default=1.0, metavar="S", help="time-lapse: seconds per meeting (default 1)"
    )
    p.add_argument(
        "--title-seconds", type=float, default=2.0, metavar="S", help="time-lapse: title frame seconds (default 2)"
    )
    p.add_argument("--data", type=Path, default=DATA, metavar="DIR", help="data directory (default: data/)")


def check_output(path: Path) -> str:
    """Fail before any work when the output cannot be written; returns the format ('.png'/'.html')."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--out {display(path)}: the file name must end in .png, .html, .gif or .mp4")
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
    from geo.core.schema import load_dataset
    from geo.present.brief import compose, page_html, parse_size
    from geo.present.filters import FilterOptions, from_cli

    fmt = check_output(args.out)
    size = parse_size(args.size)
    timing = timelapse_timing(args) if fmt in ANIMATED else None
    ds = load_dataset(args.data)
    opts = FilterOptions.from_data(ds.meetings, ds.mediators)
    check_years(opts, args.year_from, args.year_to)
    filters = from_cli(opts, args.mediator, args.year_from, args.year_to, args.level, args.status, args.host)
    if timing is not None:
        return write_timelapse(args, ds, filters, fmt, size, timing)
    brief = compose(ds, filters, args.title, route=args.route)
    page = page_html(brief, size)
    if fmt == ".png":
        from geo.present.filters import apply
        from geo.present.picture import describe, png_with_text
        from geo.present.render import capture

        shot = capture(page, size, expect_markers=not brief.empty)
        data = png_with_text(shot.png, brief.title, describe(brief, apply(ds.meetings, filters)))
    else:
        data = page.encode("utf-8")
    write(args.out, data)
    what = brief.count if not brief.empty else "no meetings match the filters"
    print(f"wrote {display(args.out)} ({size.label if fmt == '.png' else 'HTML'}; {what})")
    return 0


def timelapse_timing(args: argparse.Namespace):
    from geo.present.timelapse import Timing

    try:
        return Timing(args.frame_seconds, args.title_seconds)
    except UsageError as exc:
        raise UsageError(f"--frame-seconds/--title-seconds: {exc}") from None


def write_timelapse(args: argparse.Namespace, ds, filters, fmt: str, size, timing) -> int:
    import sys

    from geo.present.render import Renderer
    from geo.present.timelapse import make

    def progress(done: int, total: int) -> None:
        print(f"\rframe {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    with Renderer() as renderer:
        data = make(ds, filters, fmt, size, renderer, title=args.title, timing=timing, progress=progress)
    write(args.out, data)
    print(f"wrote {display(args.out)} ({size.label} {fmt[1:].upper()} time-lapse)")
    return 0


def write(path: Path, data: bytes) -> None:
    from geo.core import atomic

    try:
        atomic.write_bytes(path, data)
        os.chmod(path, 0o666 & ~_umask())  # an export is an ordinary file, not a private temp file
    except OSError as exc:
        raise UsageError(f"--out {display(path)}: cannot write ({exc.strerror or exc})") from None
