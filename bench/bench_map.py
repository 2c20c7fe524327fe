"""Filter → map built, on a synthetic table of 100,000 meetings (bench/gen_meetings.py).

Prints, for a few filters: meetings kept, venues, seconds to filter + build + render the map
HTML, and its size; against a baseline measured in the same run: the same number of bare
folium CircleMarkers (no popups, no legend logic) on the same offline map. Targets from issue 4:
≤ 1.5 s and ≤ 2 MB. Exit code 1 when a target is missed.

    .venv/bin/python bench/gen_meetings.py && .venv/bin/python bench/bench_map.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import folium

from geo.core.schema import load_dataset
from geo.present import assets
from geo.present.filters import Filters, apply
from geo.present.mapview import EvidenceLookup, MapOptions, build_map, map_html

SYNTHETIC = Path(__file__).resolve().parent / "out" / "synthetic"
TARGET_SECONDS = 1.5
TARGET_BYTES = 2_000_000
FILTERS = {
    "everything": Filters(),
    "Russia or EU": Filters(mediators=("Russia", "EU")),
    "2016-2024 leaders": Filters(year_from=2016, year_to=2024, levels=("leaders",)),
    "direct talks, held": Filters(mediators=("none",), statuses=("held",)),
}


def baseline(meetings, venues) -> str:
    """Bare folium: one plain circle per venue, our offline assets, no popups."""
    coords = venues.set_index("venue")
    m = folium.Map(tiles=None)
    m.default_js = assets.default_js("served")
    m.default_css = assets.default_css("served")
    for v in meetings["venue"].unique():
        folium.CircleMarker((coords.at[v, "lat"], coords.at[v, "lon"]), radius=8, class_name="venue-marker").add_to(m)
    return m.get_root().render()


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SYNTHETIC)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not (args.data / "meetings.csv").exists():
        print(
            f"error: {args.data}/meetings.csv not found; run: .venv/bin/python bench/gen_meetings.py", file=sys.stderr
        )
        return 2
    t = time.perf_counter()
    ds = load_dataset(args.data)
    print(
        f"loaded {len(ds.meetings):,} meetings at {len(ds.venues)} venues in {time.perf_counter() - t:.2f} s "
        "(once per data version in the app: st.cache_resource)"
    )
    ev = EvidenceLookup(ds.articles)  # articles are read from the corpus folder only
    ok = True
    print(f"{'filter':<22}{'meetings':>10}{'venues':>8}{'map s':>8}{'base s':>8}{'ratio':>7}{'HTML MB':>9}")
    for name, f in FILTERS.items():

        def ours(f=f):
            shown = apply(ds.meetings, f)
            return shown, map_html(build_map(shown, ds.venues, ds.mediators, MapOptions(), evidence=ev))

        secs, (shown, html) = timed(ours, args.repeat)
        base_secs, _ = timed(lambda f=f: baseline(apply(ds.meetings, f), ds.venues), args.repeat)
        size = len(html.encode())
        ok &= secs <= TARGET_SECONDS and size <= TARGET_BYTES
        print(
            f"{name:<22}{len(shown):>10,}{shown['venue'].nunique():>8}{secs:>8.2f}{base_secs:>8.2f}"
            f"{secs / base_secs:>7.1f}{size / 1e6:>9.2f}"
        )
    inline = map_html(build_map(ds.meetings, ds.venues, ds.mediators, MapOptions(assets="inline"), evidence=ev))
    print(
        f"self-contained (inline) HTML of everything: {len(inline.encode()) / 1e6:.2f} MB "
        "(Leaflet, jQuery and the basemap inside)"
    )
    print(
        f"targets: map built ≤ {TARGET_SECONDS} s, map HTML ≤ {TARGET_BYTES / 1e6:.0f} MB: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
