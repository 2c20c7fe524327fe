"""The app in a real browser against a minimal Streamlit + st_folium app, in the same run.

Both apps are served by `streamlit run` on 127.0.0.1 with the same offline assets (Leaflet,
jQuery and the Natural Earth basemap from static serving) and the same data; headless Debian
Chromium (geo.present.browser.launch) measures:

- start → markers visible: page opened until the first `.venue-marker` is in the map iframe;
- filter change → markers redrawn: "Russia" chosen in the sidebar mediator multiselect until
  the marker count equals the venues with Russia-mediated meetings.

The minimal app is what any st_folium dashboard costs: load the CSVs (cached), filter by
mediator, draw one plain circle per venue. Target from issue 4: the real app ≤ 1.3× the
minimal one. Exit code 1 when missed.

    .venv/bin/python bench/bench_app.py [--repeat 5] [--data bench/out/synthetic]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import textwrap
import time
from pathlib import Path

from geo.core.paths import DATA, ROOT
from geo.core.schema import load_dataset
from geo.present import assets
from geo.present.browser import launch
from geo.present.devserver import serve
from geo.present.filters import Filters, apply

OUT = ROOT / "bench" / "out"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TARGET_RATIO = 1.3

MINIMAL_APP = textwrap.dedent(
    '''
    """Minimal Streamlit + st_folium app: the baseline for bench/bench_app.py (generated)."""
    import os

    import folium
    import pandas as pd
    import streamlit as st
    from streamlit_folium import st_folium

    from geo.present import assets
    from geo.present.mapview import _Basemap

    DATA = os.environ["TALKS_ATLAS_DATA"]


    @st.cache_data
    def load():
        meetings = pd.read_csv(os.path.join(DATA, "meetings.csv"), dtype=str, keep_default_na=False)
        venues = pd.read_csv(os.path.join(DATA, "venues.csv"), keep_default_na=False)
        meetings["mediator_list"] = meetings["mediators"].str.split(";")
        return meetings, venues


    meetings, venues = load()
    names = sorted({m for ms in meetings["mediator_list"] for m in ms})
    chosen = st.sidebar.multiselect("Mediators", names)
    if chosen:
        meetings = meetings[meetings["mediator_list"].map(lambda ms: bool(set(ms) & set(chosen)))]
    m = folium.Map(tiles=None)
    m.default_js = assets.default_js("served")
    m.default_css = assets.default_css("served")
    m.add_child(_Basemap(inline=False))
    where = venues.set_index("venue")
    for venue, n in meetings.groupby("venue").size().items():
        folium.CircleMarker((where.at[venue, "lat"], where.at[venue, "lon"]), radius=8,
                            class_name="venue-marker", popup=venue).add_to(m)
    st.write(f"{len(meetings)} meetings")
    st_folium(m, height=560, use_container_width=True, returned_objects=[], key="map")
    '''
)


def minimal_app() -> Path:
    folder = OUT / "minimal"
    assets.ensure_static(folder / "static" / "vendor")
    script = folder / "minimal_app.py"
    script.write_text(MINIMAL_APP, encoding="utf-8")
    return script


def _wait_count(frame, expected: int, timeout: float = 60, selector: str = ".venue-marker") -> None:
    deadline = time.time() + timeout
    while frame.locator(selector).count() != expected:
        if time.time() > deadline:
            raise SystemExit(f"error: expected {expected} markers, saw {frame.locator(selector).count()}")
        time.sleep(0.01)


# Markers drawn before the filter change are tagged; the redraw is done when the expected number
# of untagged markers is there (at a million meetings every venue has a Russia-mediated meeting:
# the count alone would not change). Both apps replace their marker elements on a redraw.
TAG_OLD = "els => els.forEach(e => e.setAttribute('data-old', '1'))"
NEW_MARKERS = ".venue-marker:not([data-old])"


def measure(browser, url: str, everything: int, russia: int, timeout: float = 60) -> tuple[float, float]:
    """(seconds start → markers, seconds filter change → markers redrawn) for one fresh page."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    try:
        frame.locator(".venue-marker").first.wait_for(state="attached", timeout=max(180, timeout) * 1000)
    except Exception:
        page.screenshot(path=str(OUT / "bench_app_failed.png"))
        raise
    start = time.perf_counter() - t0
    _wait_count(frame, everything, timeout)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    box.click()
    page.keyboard.type("Russia")
    frame.locator(".venue-marker").evaluate_all(TAG_OLD)
    t1 = time.perf_counter()
    page.keyboard.press("Enter")
    _wait_count(frame, russia, timeout, selector=NEW_MARKERS)
    redraw = time.perf_counter() - t1
    context.close()
    return start, redraw


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    args.data = args.data.resolve()  # the apps run in different folders
    OUT.mkdir(parents=True, exist_ok=True)
    ds = load_dataset(args.data)
    everything = ds.meetings["venue"].nunique()
    russia = apply(ds.meetings, Filters(mediators=("Russia",)))["venue"].nunique()
    print(f"data: {args.data} ({len(ds.meetings):,} meetings, {everything} venues; {russia} with Russia)")
    assets.ensure_static()
    apps = {"talks atlas": ROOT / "app.py", "minimal": minimal_app()}
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in apps}
    with (
        serve(apps["talks atlas"], args.data, OUT / "bench_app_real.log") as real,
        serve(apps["minimal"], args.data, OUT / "bench_app_minimal.log") as mini,
        launch() as browser,
    ):
        urls = {"talks atlas": real, "minimal": mini}
        for name, url in urls.items():  # warm-up: first compile, caches filled; not counted
            s, r = measure(browser, url, everything, russia)
            print(f"warm-up {name}: start {s:.2f} s, filter change {r:.2f} s (not counted)", flush=True)
        for _ in range(args.repeat):
            for name, url in urls.items():  # alternate so drift hits both alike
                results[name].append(measure(browser, url, everything, russia))
    med = {k: (statistics.median(s for s, _ in v), statistics.median(r for _, r in v)) for k, v in results.items()}
    print(f"{'app':<14}{'start → markers s':>20}{'filter → redrawn s':>20}   (median of {args.repeat})")
    for name, (s, r) in med.items():
        print(f"{name:<14}{s:>20.2f}{r:>20.2f}")
    ratio_start = med["talks atlas"][0] / med["minimal"][0]
    ratio_redraw = med["talks atlas"][1] / med["minimal"][1]
    ok = ratio_start <= TARGET_RATIO and ratio_redraw <= TARGET_RATIO
    print(
        f"ratio talks atlas / minimal: start {ratio_start:.2f}×, filter change {ratio_redraw:.2f}× "
        f"(target ≤ {TARGET_RATIO}×: {'met' if ok else 'MISSED'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
