"""Extraction throughput on synthetic articles (>= 5 MB), against a same-run baseline.

  .venv/bin/python bench/bench_extract.py [--mb 5] [--gazetteer]

Baseline: a plain regex scan for meeting cues over the same text (the least any extractor
must do). Measured: ``Extractor.extract`` with venue mentions from a fixed name list
(``NameFinder``), and, with ``--gazetteer``, with the real gazetteer-backed mention finder.
Target: >= 1 MB/s. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from geo.ingest.corpus import Article
from geo.language.words import whole_words
from geo.meetings.extract import Extractor, NameFinder, extract_corpus

# the baseline: one plain regex of the cue list (extraction itself scans by word starts: WordScan)
CUE_REGEX = whole_words("cues", "meetings")

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--gazetteer", action="store_true", help="also time the gazetteer-backed mention finder")
    args = ap.parse_args()
    articles, gen_s = timed(lambda: synthetic(args.mb))
    mb = sum(len(a.text.encode("utf-8")) for a in articles) / 1_000_000
    print(f"corpus: {len(articles)} synthetic articles, {mb:.2f} MB (generated in {gen_s:.1f} s)")

    cues, base_s = timed(lambda: sum(1 for a in articles for _ in CUE_REGEX.finditer(a.text)))
    print(f"baseline  regex cue scan:                 {mb / base_s:8.2f} MB/s  ({cues} cues, {base_s:.2f} s)")

    ex = Extractor()
    finder = NameFinder(CITIES)
    ex.extract(articles[0], finder(articles[0]))  # warm caches (lexicons, dateparser)
    cands, ext_s = timed(lambda: extract_corpus(articles, finder, ex))
    rate = mb / ext_s
    print(
        f"extract   NameFinder + Extractor:         {rate:8.2f} MB/s  ({len(cands)} candidates, {ext_s:.2f} s, "
        f"{ext_s / base_s:.1f}x the baseline time)  target >= 1 MB/s: {'met' if rate >= 1 else 'NOT met'}"
    )
    if args.gazetteer:
        from geo.meetings.extract import gazetteer_finder
        from geo.places.gazetteer import get_gazetteer

        gfind = gazetteer_finder(get_gazetteer())
        cands_g, g_s = timed(lambda: extract_corpus(articles, gfind, ex))
        print(
            f"extract   gazetteer mentions + Extractor: {mb / g_s:8.2f} MB/s  ({len(cands_g)} candidates, {g_s:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
