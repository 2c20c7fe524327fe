"""The app's briefing pictures from a warm Chromium (geo.present.render.Renderer), against
baselines measured in the same run:

- ``trivial warm``: a one-line page screenshotted in the same warm browser (the floor of any
  picture once Chromium runs);
- ``trivial cold``: a fresh Python that starts Chromium and screenshots a one-line page (what
  every PNG paid before the renderer was kept warm; bench_brief.py's baseline);
- ``png warm WxH``: what the Briefing page's PNG button does: the slide in the warm renderer
  (its warm page for that size), picture only, then its Title/Description written in
  (geo.present.picture);
- ``shot warm WxH``: the same without the Title/Description (Chromium's part alone);
- ``gif``/``mp4``: the seed data's whole time-lapse (plan, one slide per meeting, encoding) in
  the warm renderer, with frames and encoding timed apart.

Usage: .venv/bin/python bench/bench_brief_png.py [--runs 5] [--lapse-runs 2 (0: none)] [--data data]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.core.schema import load_dataset  # noqa: E402
from geo.present import timelapse  # noqa: E402
from geo.present.brief import SIZES, compose, page_html  # noqa: E402
from geo.present.filters import Filters, apply  # noqa: E402
from geo.present.picture import describe, png_with_text  # noqa: E402
from geo.present.render import Renderer  # noqa: E402

TRIVIAL_HTML = "<p>baseline</p>"
TRIVIAL_COLD = """
from geo.present.browser import launch
with launch() as browser:
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, device_scale_factor=1)
    page.set_content("<p>baseline</p>")
    page.screenshot(type="png")
"""


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def trivial_warm(renderer: Renderer) -> None:
    def shot(browser):
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, device_scale_factor=1)
        try:
            page.set_content(TRIVIAL_HTML)
            return page.screenshot(type="png")
        finally:
            page.close()

    renderer.run(shot)


def trivial_cold() -> None:
    res = subprocess.run([sys.executable, "-c", TRIVIAL_COLD], cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"bench: the cold baseline failed:\n{res.stderr.strip()}")


def row(name: str, ts: list[float], warm: float, cold: float) -> None:
    med = statistics.median(ts)
    print(f"{name:<24}{min(ts):>8.2f}{med:>8.2f}{max(ts):>8.2f}{med / warm:>10.1f}{med / cold:>10.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lapse-runs", type=int, default=2)
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    ds = load_dataset(args.data)
    brief = compose(ds, Filters())
    text = describe(brief, apply(ds.meetings, Filters()))
    pages = {key: page_html(brief, size) for key, size in SIZES.items()}
    times: dict[str, list[float]] = {"trivial warm": [], "trivial cold": []}
    times.update({f"png warm {key}": [] for key in SIZES})
    times.update({f"shot warm {key}": [] for key in SIZES})
    with Renderer() as renderer:
        trivial_warm(renderer)  # start it: the app's first picture pays this once per server
        for _ in range(args.runs):  # interleaved, so load changes hit every case alike
            times["trivial warm"].append(timed(lambda: trivial_warm(renderer)))
            times["trivial cold"].append(timed(trivial_cold))
            for key, size in SIZES.items():

                def png(key=key, size=size):
                    shot = renderer.capture(pages[key], size, inspect=False)
                    png_with_text(shot.png, brief.title, text)

                times[f"png warm {key}"].append(timed(png))
                times[f"shot warm {key}"].append(
                    timed(lambda key=key, size=size: renderer.capture(pages[key], size, inspect=False))
                )
        warm, cold = (statistics.median(times[k]) for k in ("trivial warm", "trivial cold"))
        print(f"{'case':<24}{'min s':>8}{'med s':>8}{'max s':>8}{'x warm':>10}{'x cold':>10}   ({args.runs} runs)")
        for name, ts in times.items():
            row(name, ts, warm, cold)
        plan = timelapse.plan(ds, Filters())
        for key in ("1280x720", "1920x1080") if args.lapse_runs > 0 else ():  # --lapse-runs 0: PNGs only
            frames_s, enc = [], {fmt: [] for fmt in timelapse.FORMATS}
            for _ in range(args.lapse_runs):
                t0 = time.perf_counter()
                pngs = timelapse.frames(plan, SIZES[key], renderer)
                frames_s.append(time.perf_counter() - t0)
                for fmt in timelapse.FORMATS:
                    enc[fmt].append(
                        timed(
                            lambda fmt=fmt, pngs=pngs: timelapse.encode(pngs, fmt, timelapse.Timing(), plan.title, "d")
                        )
                    )
            n = len(plan.slides)
            print(
                f"time-lapse {key}: {n} frames in {statistics.median(frames_s):.1f} s "
                f"({statistics.median(frames_s) / n:.2f} s a frame; min {min(frames_s):.1f}, max {max(frames_s):.1f}); "
                + "; ".join(f"encode {f[1:].upper()} {statistics.median(t):.2f} s" for f, t in enc.items())
                + f"   ({args.lapse_runs} runs)"
            )
        print(f"Chromium launches in this run: {renderer.launches}")
    worst = max(statistics.median(times[f"png warm {k}"]) for k in SIZES)
    print(
        f"slowest warm PNG median {worst:.2f} s = {worst / warm:.2f}x a warm trivial screenshot "
        f"({'within' if worst <= 1.5 * warm else 'OVER'} 1.5x), {worst / cold:.2f}x a cold one"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
