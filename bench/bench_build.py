"""The build at archive scale: time per article across corpus sizes, --jobs 2 against --jobs 1,
and a rebuild after adding one article against the full build. Same-run baselines.

  .venv/bin/python bench/bench_build.py [--sizes 1000 3000 10000] [--repeat 3] [--jobs 2]

Corpora are bench/bench_extract.py's synthetic news-like articles written as files to
bench/out/build-N/ (gitignored), built into bench/out/build-N-data/ with the project's tables.
For each size, each measurement is repeated ``--repeat`` times; min/median/max are printed, of
wall time and of CPU time (this process and its worker processes: steadier on a shared machine).

- full build, 1 process, no cache: the baseline (and the time per article across sizes);
- full build, ``--jobs`` processes, no cache: the speed-up over the baseline (paired by repeat);
- add one article to the built corpus and rebuild with the cache: against the baseline's median.

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1])]  # this checkout's geo/

from bench_extract import synthetic  # noqa: E402

from geo.core.paths import DATA  # noqa: E402
from geo.publish.build import build  # noqa: E402

OUT = Path(__file__).parent / "out"
TABLES = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")


def write_corpus(n: int) -> tuple[Path, Path]:
    """A corpus of ``n`` synthetic articles and a data folder with the project's tables."""
    corpus, data = OUT / f"build-{n}", OUT / f"build-{n}-data"
    for d in (corpus, data):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    for a in synthetic(0, count=n):
        header = f"date: {a.date.isoformat()}\n" if a.date else ""
        (corpus / a.file).write_text(f"{header}title: {a.title}\n\n{a.text}", encoding="utf-8")
    for name in TABLES:
        shutil.copy(DATA / name, data / name)
    return corpus, data


def extra_article(corpus: Path, k: int) -> Path:
    """One more article (new content each time), as an analyst adds the day's news."""
    (a,) = synthetic(0, seed=1000 + k, count=1)
    path = corpus / f"added{k:03d}.txt"
    path.write_text(f"date: 2024-12-0{1 + k % 9}\ntitle: added {k}\n\n{a.text}", encoding="utf-8")
    return path


def cpu() -> float:
    """CPU seconds of this process and its finished children (the worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Times:
    def __init__(self):
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, fn) -> None:
        c0, t0 = cpu(), time.perf_counter()
        fn()
        self.wall.append(time.perf_counter() - t0)
        self.cpu.append(cpu() - c0)


def spread(xs: list[float], unit: str = "s", digits: int = 2) -> str:
    return f"min {min(xs):.{digits}f} / median {statistics.median(xs):.{digits}f} / max {max(xs):.{digits}f} {unit}"


def bench_size(n: int, repeat: int, jobs: int) -> dict:
    corpus, data = write_corpus(n)
    cache = OUT / f"build-{n}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    one, many, added = Times(), Times(), Times()
    for _ in range(repeat):  # paired: the two builds of a pair run back to back
        one.run(lambda: build(corpus, data, jobs=1))
        many.run(lambda: build(corpus, data, jobs=jobs))
    build(corpus, data, jobs=jobs, cache_dir=cache)  # fill the cache (not timed)
    for k in range(repeat):
        extra_article(corpus, k)
        added.run(lambda: build(corpus, data, jobs=jobs, cache_dir=cache))
    base, base_cpu = statistics.median(one.wall), statistics.median(one.cpu)
    print(
        f"\n{n:,} articles ({sum(p.stat().st_size for p in corpus.iterdir()) / 1e6:.1f} MB), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"  full build, 1 process:    wall {spread(one.wall)}; CPU {spread(one.cpu)}")
    print(
        f"                            -> {1000 * base / n:.2f} ms wall, "
        f"{1000 * base_cpu / n:.2f} ms CPU per article (medians)"
    )
    print(f"  full build, {jobs} processes:  wall {spread(many.wall)}; CPU (all processes) {spread(many.cpu)}")
    print(f"  speed-up {jobs} vs 1, paired:  {spread([a / b for a, b in zip(one.wall, many.wall)], 'x')}")
    print(f"  add 1 article + rebuild:  wall {spread(added.wall)}; CPU {spread(added.cpu)}")
    print(
        f"                            -> wall {spread([100 * t / base for t in added.wall], '%', 1)}, "
        f"CPU {spread([100 * t / base_cpu for t in added.cpu], '%', 1)} of the full 1-process build"
    )
    return {"n": n, "per_article": base / n, "cpu_per_article": base_cpu / n}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from geo.places.gazetteer import get_gazetteer

    get_gazetteer()  # loaded once, before any timing (worker processes inherit it)
    rows = [bench_size(n, args.repeat, args.jobs) for n in args.sizes]
    first = rows[0]["per_article"]
    first_cpu = rows[0]["cpu_per_article"]
    print("\ntime per article (1 process, medians), relative to the smallest corpus:")
    for r in rows:
        print(
            f"  {r['n']:>7,} articles: {1000 * r['per_article']:.2f} ms wall ({r['per_article'] / first:.2f}x), "
            f"{1000 * r['cpu_per_article']:.2f} ms CPU ({r['cpu_per_article'] / first_cpu:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
