"""The app at archive scale in a real browser: a million meetings at 2,000 venues
(bench/gen_meetings.py), against the minimal Streamlit + st_folium app on the same data, same run.

Measured in headless Debian Chromium (geo.present.browser), as bench/bench_app.py does:

- cold start → markers: the first page after the server started (the data is read then);
- start → markers: a new session on a warm server;
- filter change → markers redrawn ("Russia" chosen in the sidebar): the server's first one (the
  venue layer is laid out) and the later ones (the app keeps the layer of recent selections).
  Above mapview.CANVAS_VENUES venues the app paints its markers on one canvas (no element per
  marker): it is done when the map says which layer it painted and how many venues
  (``data-venue-layer``, ``data-venues-drawn`` on the map, set in the frame after painting); the
  minimal app when its marker elements are there;
- server memory: the streamlit process's resident set (VmRSS) after the runs and its peak (VmHWM).

Also, in this process: loading the dataset from its Parquet copies against validating the CSVs
(the fallback), so the gain of the columnar copy is measured on the same files.

Targets (issue 13): first map ≤ 3 s, filter → redraw ≤ 1 s, server memory ≤ 400 MB.
Exit code 1 when one is missed.

    PYTHONPATH=. .venv/bin/python bench/gen_meetings.py --meetings 1000000 --venues 2000 --out bench/out/synthetic-1m
    PYTHONPATH=. .venv/bin/python bench/bench_scale.py [--data bench/out/synthetic-1m] [--repeat 3] [--no-baseline]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench_app import MAP_FRAME, OUT, measure, minimal_app

from geo.core import columnar
from geo.core.paths import ROOT
from geo.core.schema import load_dataset, load_meetings, load_venues
from geo.present import assets
from geo.present.browser import launch
from geo.present.devserver import serve
from geo.present.filters import Filters, apply

SCALE = ROOT / "bench" / "out" / "synthetic-1m"
TARGET_FIRST, TARGET_REDRAW, TARGET_MB = 3.0, 1.0, 400
TIMEOUT = 300  # seconds for one page or redraw before an app is given up


def server_memory(port: str) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB of the streamlit process serving ``port``."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            if b"--server.port" in cmd and cmd[cmd.index(b"--server.port") + 1].decode() == port:
                status = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines() if ":" in line)
                return tuple(int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]
        except (OSError, IndexError, ValueError):
            continue
    return float("nan"), float("nan")


def drawn(frame, venues: int, but_not: str | None = None) -> str:
    """Wait until the map has painted a venue layer of ``venues`` venues (another than ``but_not``):
    its layer id."""
    layer = f'.leaflet-container[data-venues-drawn="{venues}"]'
    if but_not is not None:
        layer += f':not([data-venue-layer="{but_not}"])'
    found = frame.locator(layer).first
    found.wait_for(state="attached", timeout=TIMEOUT * 1000)
    return found.get_attribute("data-venue-layer")


def measure_layer(browser, url: str, everything: int, russia: int) -> tuple[float, float]:
    """(seconds start → venue layer painted, seconds filter change → new layer painted) for one fresh page."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    old = drawn(frame, everything)
    start = time.perf_counter() - t0
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    box.click()
    page.keyboard.type("Russia")
    t1 = time.perf_counter()
    page.keyboard.press("Enter")
    drawn(frame, russia, but_not=old)
    redraw = time.perf_counter() - t1
    context.close()
    return start, redraw


def timed(name: str, browser, url: str, everything: int, russia: int) -> tuple[float, float]:
    """(start, redraw) seconds: the minimal app by its marker elements, ours by its painted layer."""
    if name == "minimal":
        return measure(browser, url, everything, russia, TIMEOUT)
    return measure_layer(browser, url, everything, russia)


def load_times(data: Path) -> tuple[float, float]:
    """(seconds from the Parquet copies, seconds validating the CSVs) for the same files."""
    t = time.perf_counter()
    load_dataset(data)
    fast = time.perf_counter() - t
    t = time.perf_counter()
    venues = load_venues(data / "venues.csv")
    load_meetings(data / "meetings.csv", set(venues["venue"]))
    return fast, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SCALE)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-baseline", action="store_true", help="skip the minimal app (it needs GBs at 1M)")
    ap.add_argument("--csv-load", action="store_true", help="also time validating the CSVs (minutes at 1M)")
    args = ap.parse_args()
    args.data = args.data.resolve()
    if not all((args.data / columnar.parquet_name(t)).exists() for t in columnar.columnar_tables()):
        print(f"error: no Parquet copies in {args.data}; run bench/gen_meetings.py (see --help)", file=sys.stderr)
        return 2
    t = time.perf_counter()
    ds = load_dataset(args.data)
    print(
        f"data: {args.data}: {len(ds.meetings):,} meetings at {len(ds.venues):,} venues, read in "
        f"{time.perf_counter() - t:.2f} s from the Parquet copies"
    )
    if args.csv_load:
        fast, slow = load_times(args.data)
        print(f"load: Parquet {fast:.2f} s, CSV validated {slow:.2f} s ({slow / fast:.0f}×)")
    everything = ds.meetings["venue"].nunique()
    russia = apply(ds.meetings, Filters(mediators=("Russia",)))["venue"].nunique()
    del ds
    assets.ensure_static()
    apps = {"talks atlas": ROOT / "app.py"}
    if not args.no_baseline:
        apps["minimal"] = minimal_app()
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in apps}
    cold: dict[str, float] = {}
    first_redraw: dict[str, float] = {}  # the first "Russia" of the server: nothing kept yet
    memory: dict[str, tuple[float, float]] = {}
    with launch() as browser:
        for name, script in apps.items():  # one server at a time: two at a million meetings do not fit
            with serve(script, args.data, OUT / f"bench_scale_{name.replace(' ', '_')}.log", timeout=120) as url:
                try:
                    cold[name], first_redraw[name] = timed(name, browser, url, everything, russia)
                    for _ in range(args.repeat):
                        results[name].append(timed(name, browser, url, everything, russia))
                except SystemExit as exc:  # the minimal app may not draw a million meetings in time
                    print(f"{name}: gave up after {TIMEOUT:.0f} s ({exc})", flush=True)
                    results.pop(name)
                    continue
                memory[name] = server_memory(url.rsplit(":", 1)[1])
            print(
                f"{name}: cold start {cold[name]:.2f} s, first redraw {first_redraw[name]:.2f} s; "
                f"runs {[(round(a, 2), round(b, 2)) for a, b in results[name]]}",
                flush=True,
            )
    print(
        f"\n{'app':<14}{'cold start s':>14}{'start s':>10}{'redraw s':>10}{'RSS MB':>9}{'peak MB':>9}"
        f"   (start/redraw: median of {args.repeat})"
    )
    med = {}
    for name, runs in results.items():
        med[name] = (statistics.median(s for s, _ in runs), statistics.median(r for _, r in runs))
        spread = f"redraw min/max {min(r for _, r in runs):.2f}/{max(r for _, r in runs):.2f}"
        print(
            f"{name:<14}{cold[name]:>14.2f}{med[name][0]:>10.2f}{med[name][1]:>10.2f}"
            f"{memory[name][0]:>9.0f}{memory[name][1]:>9.0f}   {spread}"
        )
    if "minimal" in med:
        print(
            f"ratio talks atlas / minimal: cold start {cold['talks atlas'] / cold['minimal']:.2f}×, "
            f"start {med['talks atlas'][0] / med['minimal'][0]:.2f}×, "
            f"redraw {med['talks atlas'][1] / med['minimal'][1]:.2f}×"
        )
    ours = med["talks atlas"]
    print(
        f"first redraw of the server (nothing kept): talks atlas {first_redraw['talks atlas']:.2f} s"
        + (f", minimal {first_redraw['minimal']:.2f} s" if "minimal" in first_redraw else "")
    )
    ok = cold["talks atlas"] <= TARGET_FIRST and ours[1] <= TARGET_REDRAW and memory["talks atlas"][1] <= TARGET_MB
    print(
        f"targets: first map ≤ {TARGET_FIRST} s, redraw ≤ {TARGET_REDRAW} s, memory ≤ {TARGET_MB} MB: "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
