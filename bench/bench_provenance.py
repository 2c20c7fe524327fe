"""What the provenance column costs when the app loads a large table, against the same-run baseline
of framing that table without it.

100,000 meeting cells (default): most say ``{"origin":"article"}``, a share (``--decided``, 10 %
by default) carries an analyst decision, each one distinct (the worst case for the per-distinct-
cell parsing of ``geo.core.schema.provenance_column``). Measured, each ``--repeat`` times with
the parse cache cleared: ``meetings_frame`` (the app's frame, provenance included) and the same
frame without the provenance column (the baseline). Prints min/median/max and the ratio of the
medians.

    .venv/bin/python bench/bench_provenance.py [--meetings 100000] [--decided 0.1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from geo.core import schema
from geo.core.provenance import Given, Provenance, decode, encode


def cells(n: int, decided: float) -> list[dict[str, str]]:
    article = encode(Provenance())
    every = max(int(1 / decided), 1) if decided > 0 else n + 1
    rows = []
    for i in range(n):
        prov = (
            encode(Provenance(fields=(("date", Given("Ani", "2026-11-23T19:45:00Z", f"note {i}")),)))
            if i % every == 0
            else article
        )
        rows.append(
            {
                **dict.fromkeys(schema.MEETINGS.names, ""),
                "id": f"m{i}",
                "date": f"{2016 + i % 9}-{1 + i % 12:02d}",
                "date_precision": "month",
                "venue": "Geneva",
                "mediators": "EU",
                "level": "leaders",
                "format": "bilateral",
                "status": "held",
                "documents": "a.txt",
                "evidence": "a.txt:0-10",
                "confidence": "0.9",
                "provenance": prov,
            }
        )
    return rows


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        decode.cache_clear()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=100_000)
    ap.add_argument("--decided", type=float, default=0.1)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = cells(args.meetings, args.decided)
    without = [{**r, "provenance": ""} for r in rows]
    real_column = schema.provenance_column

    def baseline() -> None:
        schema.provenance_column = lambda col: col  # the same frame, the column left unparsed
        try:
            schema.meetings_frame(without)
        finally:
            schema.provenance_column = real_column

    base = timed(baseline, args.repeat)
    full = timed(lambda: schema.meetings_frame(rows), args.repeat)
    for name, t in (("frame without provenance (baseline)", base), ("frame with provenance", full)):
        print(f"{name:<38} min {min(t):.3f} s  median {statistics.median(t):.3f} s  max {max(t):.3f} s")
    print(f"ratio of medians: {statistics.median(full) / statistics.median(base):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
