"""How long one briefing PNG takes from the command line (target: at most 5 s on this machine).

Measured against baselines taken in the same run, so a busy machine shows up as a slow baseline
rather than as a slow export:

- ``chromium-trivial``: a fresh Python that starts Chromium and screenshots a one-line page
  (the floor any PNG export through Chromium pays);
- ``brief-html``: ``python -m geo brief --out x.html`` (data, filters, map and page; no browser);
- ``brief-png``: ``python -m geo brief --out x.png`` at each size (what an analyst waits for).

Usage: .venv/bin/python bench/bench_brief.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 5.0
FILTER = ["--mediator", "Russia", "--from", "2016", "--to", "2024"]

TRIVIAL = """
from geo.present.browser import launch
with launch() as browser:
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, device_scale_factor=1)
    page.set_content("<p>baseline</p>")
    page.screenshot(type="png")
"""


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if res.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[1:])} failed (exit {res.returncode}):\n{res.stderr.strip()}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "chromium-trivial": [py, "-c", TRIVIAL],
            "brief-html": [py, "-m", "geo", "brief", *FILTER, "--out", f"{tmp}/b.html"],
            "brief-png 1920x1080": [py, "-m", "geo", "brief", *FILTER, "--out", f"{tmp}/b.png"],
            "brief-png 1280x720": [py, "-m", "geo", "brief", *FILTER, "--size", "1280x720", "--out", f"{tmp}/c.png"],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):  # interleaved, so load changes hit every case alike
            for name, cmd in cases.items():
                times[name].append(timed(cmd))
    base = statistics.median(times["chromium-trivial"])
    print(f"{'case':<22}{'median s':>10}{'min s':>8}{'max s':>8}{'x baseline':>12}   ({args.runs} runs each)")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<22}{med:>10.2f}{min(ts):>8.2f}{max(ts):>8.2f}{med / base:>12.2f}")
    worst = max(statistics.median(times[n]) for n in times if n.startswith("brief-png"))
    verdict = "within" if worst <= TARGET_S else "OVER"
    print(
        f"slowest PNG median {worst:.2f} s: {verdict} the {TARGET_S:.0f} s target; "
        f"{worst - base:.2f} s above a trivial Chromium screenshot"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
