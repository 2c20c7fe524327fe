"""Extraction throughput on synthetic articles (>= 5 MB), against a same-run baseline.

  PYTHONPATH=. .venv/bin/python bench/bench_extract.py [--mb 5] [--gazetteer] [--repeat 5]

Baseline: a plain regex scan for meeting cues over the same text (the least any extractor
must do; the cue alternation without the look-ahead ``words.group`` adds). Measured:
``Extractor.extract`` with venue mentions from a fixed name list (``NameFinder``), and, with
``--gazetteer``, with the real gazetteer-backed mention finder. Each repeat times the baseline
and the extractors one after the other in CPU time (``time.process_time``: the machine is
shared, so wall time mostly measures the neighbours) and prints MB/s per core min / median /
max over the repeats, and the median ratio of each extractor's time to the baseline's in the
same repeat. Target: >= 1 MB/s per core. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from geo.ingest.corpus import Article
from geo.language.words import alternation
from geo.meetings.extract import Extractor, NameFinder, extract_corpus

# The baseline scans for the meeting cues as ``CUE`` did before its look-ahead (so figures stay
# comparable with earlier runs: the look-ahead made ``CUE`` itself 2.5 times faster).
PLAIN_CUE = re.compile(r"\b(?:" + alternation("cues", "meetings") + r")\b", re.IGNORECASE)

CITIES = {
    "Geneva": ("Geneva", "CH"),
    "Vienna": ("Vienna", "AT"),
    "Brussels": ("Brussels", "BE"),
    "Prague": ("Prague", "CZ"),
    "Sochi": ("Sochi", "RU"),
    "Almaty": ("Almaty", "KZ"),
    "Moscow": ("Moscow", "RU"),
    "Kazan": ("Kazan", "RU"),
    "Washington": ("Washington", "US"),
    "Paris": ("Paris", "FR"),
    "Tbilisi": ("Tbilisi", "GE"),
}
A_SIDE = ["Pashinyan", "Armenian Prime Minister Nikol Pashinyan", "Mirzoyan", "Armenia's foreign minister"]
B_SIDE = ["Aliyev", "Azerbaijani President Ilham Aliyev", "Bayramov", "Azerbaijan's top diplomat"]
THIRD = ["Charles Michel", "Emmanuel Macron", "Vladimir Putin", "Antony Blinken", ""]
WHEN = ["on Monday", "on March 3", "in August", "last month", "on 12 June 2023", "next week", "on Oct. 31, 2022", ""]
MEETING = [
    "{a} and {b} met in {city} {when}{with_}.",
    "{a} will meet {b} in {city} {when}, officials said.",
    "Talks between {a} and {b} in {city} {when} ended without a deal.",
    "In {city}, {a} and {b} held a closed-door meeting{with_}.",
    "The {city} talks {when} were hosted by {t}.",
]
NOISE = [
    "{city} insists that the border commission must finish its work before any treaty is signed.",
    "{city} said the ceasefire along the line of contact had mostly held during the week.",
    "Observers recalled the 1991 Alma-Ata Declaration and the borders it recognised.",
    "Prices for grain rose 2 of 5 weeks this quarter, and shipments took 10 days longer.",
    "{a} posted photographs from {city} on social media, drawing comment at home.",
    "Analysts in {city} expect the process to take years rather than months.",
    "Residents of border villages described shelling that damaged several houses.",
]


def synthetic(megabytes: float, seed: int = 7, count: int | None = None) -> list[Article]:
    """Articles until ``megabytes`` of text (or exactly ``count`` articles, when given)."""
    rnd = random.Random(seed)
    target = int(megabytes * 1_000_000)
    articles, size, n = [], 0, 0
    day = date(2019, 1, 1)
    while (n < count) if count is not None else (size < target):
        parts = []
        for _ in range(rnd.randint(8, 20)):
            city = rnd.choice(list(CITIES))
            t = rnd.choice(THIRD)
            fields = dict(
                a=rnd.choice(A_SIDE),
                b=rnd.choice(B_SIDE),
                city=city,
                when=rnd.choice(WHEN),
                t=t or "the hosts",
                with_=f" with {t}" if t else "",
            )
            pool = MEETING if rnd.random() < 0.35 else NOISE
            parts.append(rnd.choice(pool).format(**fields).replace("  ", " "))
        paragraphs = [" ".join(parts[i : i + 3]) for i in range(0, len(parts), 3)]
        text = f"Peace talks update {n}\n\n" + "\n\n".join(paragraphs) + "\n"
        dated = None if rnd.random() < 0.2 else day + timedelta(days=n % 2000)
        articles.append(
            Article(
                f"syn{n:06d}.txt",
                Path(f"syn{n:06d}.txt"),
                f"Peace talks update {n}",
                dated,
                "metadata" if dated else "none",
                "",
                "",
                text,
                0,
            )
        )
        size += len(text.encode("utf-8"))
        n += 1
    return articles


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def cpu_timed(fn):
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


def spread(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]:.2f} / {statistics.median(ordered):.2f} / {ordered[-1]:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--gazetteer", action="store_true", help="also time the gazetteer-backed mention finder")
    ap.add_argument("--repeat", type=int, default=5, help="repeats of each measurement (default 5)")
    args = ap.parse_args()
    articles, gen_s = timed(lambda: synthetic(args.mb))
    mb = sum(len(a.text.encode("utf-8")) for a in articles) / 1_000_000
    print(f"corpus: {len(articles)} synthetic articles, {mb:.2f} MB (generated in {gen_s:.1f} s)")

    ex = Extractor()
    finder = NameFinder(CITIES)
    ex.extract(articles[0], finder(articles[0]))  # warm caches (lexicons, dateparser)
    runs = {"baseline  regex cue scan": lambda: sum(1 for a in articles for _ in PLAIN_CUE.finditer(a.text))}
    runs["extract   NameFinder + Extractor"] = lambda: len(extract_corpus(articles, finder, ex))
    if args.gazetteer:
        from geo.meetings.extract import gazetteer_finder
        from geo.places.gazetteer import get_gazetteer

        gfind = gazetteer_finder(get_gazetteer())
        runs["extract   gazetteer mentions + Extractor"] = lambda: len(extract_corpus(articles, gfind, ex))
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    counts: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, run in runs.items():
            counts[name], s = cpu_timed(run)
            seconds[name].append(s)
    base = seconds["baseline  regex cue scan"]
    print(f"CPU time, {args.repeat} repeats; MB/s per core min / median / max")
    for name, times in seconds.items():
        rates = [mb / s for s in times]
        found = "cues" if times is base else "candidates"
        line = f"{name:42s} {spread(rates)} MB/s  ({counts[name]} {found})"
        if times is not base:
            ratio = statistics.median(s / b for s, b in zip(times, base))
            met = "met" if statistics.median(rates) >= 1 else "NOT met"
            line += f"  {ratio:.1f}x the baseline's time; target >= 1 MB/s: {met}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
