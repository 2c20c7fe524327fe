"""One very long article (1, 5, 50 MB): extraction and candidate merging stay linear.

  .venv/bin/python bench/bench_long_article.py [--sizes 1 5 50]

Baseline in the same run: a regex scan for meeting cues over the same text. For each size it
prints the time of extraction (NameFinder + Extractor) and of merging, per MB, and the ratio of
the per-MB time to the smallest size's (1.0 = perfectly linear). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

from bench_extract import CITIES, synthetic  # same folder: run as a script

from geo.language.words import whole_words
from geo.meetings.extract import Extractor, NameFinder, merge

# the baseline: one plain regex of the cue list (extraction itself scans by word starts: WordScan)
CUE_REGEX = whole_words("cues", "meetings")


def one_article(megabytes: float):
    parts = synthetic(megabytes)
    text = "\n\n".join(a.text for a in parts)
    return replace(parts[0], file="long.txt", text=text, body_start=0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 50])
    args = ap.parse_args()
    ex, finder = Extractor(), NameFinder(CITIES)
    first = None
    for mb in args.sizes:
        art = one_article(mb)
        size = len(art.text.encode("utf-8")) / 1e6
        t0 = time.perf_counter()
        cues = sum(1 for _ in CUE_REGEX.finditer(art.text))
        base = time.perf_counter() - t0
        t0 = time.perf_counter()
        cands = ex.extract(art, finder(art))
        ext = time.perf_counter() - t0
        t0 = time.perf_counter()
        props = merge(cands)
        mer = time.perf_counter() - t0
        per_mb = (ext + mer) / size
        first = first or per_mb
        print(
            f"{size:6.1f} MB: baseline cue scan {base:6.2f} s ({cues} cues); extraction {ext:7.2f} s, "
            f"{len(cands)} candidates; merge {mer:5.2f} s -> {len(props)} proposals; "
            f"{per_mb:5.2f} s/MB ({per_mb / first:.2f}x the first size; {ext / base:.0f}x the baseline)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
