"""Synthetic data for benchmarks: N meetings (default 100,000) at V venues, valid against
geo.core.schema, written to bench/out/synthetic/ (gitignored) with the real mediator vocabulary,
published as the build publishes (CSV + Parquet copies in one snapshot).

    .venv/bin/python bench/gen_meetings.py [--meetings 100000] [--venues 400] [--out DIR]
    .venv/bin/python bench/gen_meetings.py --meetings 1000000 --venues 2000 --out bench/out/synthetic-1m
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from geo.core import atomic, snapshot
from geo.core.paths import DATA, ROOT
from geo.core.schema import LEVELS, MEETINGS, VENUES, load_mediators

OUT = ROOT / "bench" / "out" / "synthetic"
PEOPLE = ["Aliyev", "Pashinyan", "Bayramov", "Mirzoyan", "Putin", "Lavrov", "Michel", "Macron", "Blinken", "Tokayev"]


def generate(n_meetings: int, n_venues: int, out: Path, seed: int = 4) -> Path:
    rnd = random.Random(seed)
    mediators = load_mediators(DATA / "mediators.csv")
    names = list(mediators["name"])
    venues = []
    for i in range(n_venues):
        venues.append(
            {
                "venue": f"Venue {i:04d}",
                "country": rnd.choice(["RU", "BE", "US", "KZ", "FR", "CH", "TR", "GE"]),
                "lat": round(rnd.uniform(30, 62), 5),
                "lon": round(rnd.uniform(-80, 80), 5),
                "geonames_id": "",
                "precision": "city",
                "resolved_by": "gazetteer",
                "mentions": rnd.randint(1, 40),
                "documents": "",
                "first_date": "",
                "last_date": "",
            }
        )
    # a few busy capitals and a long tail, like real diplomacy
    weights = [1 / (k + 1) for k in range(n_venues)]
    start = date(1994, 5, 12)
    span = (date(2024, 12, 31) - start).days
    rows = []
    for i in range(n_meetings):
        d = start + timedelta(days=rnd.randrange(span))
        prec = rnd.choices(["day", "month", "year"], [8, 2, 1])[0]
        ds = d.isoformat() if prec == "day" else d.strftime("%Y-%m") if prec == "month" else str(d.year)
        meds = rnd.sample(names, rnd.choices([1, 2], [5, 1])[0])
        if "none" in meds and len(meds) > 1:
            meds = ["none"]
        doc = f"synthetic_{i % 5000:04d}.txt"
        rows.append(
            {
                "id": f"s{i:06d}",
                "date": ds,
                "date_precision": prec,
                "venue": rnd.choices(venues, weights)[0]["venue"],
                "venue_detail": "",
                "mediators": ";".join(meds),
                "host": "",
                "level": rnd.choice(LEVELS),
                "format": "trilateral",
                "participants": ";".join(rnd.sample(PEOPLE, 3)),
                "event": rnd.choice(["", "summit sidelines", "working dinner"]),
                "status": rnd.choices(["held", "planned", "cancelled"], [20, 2, 1])[0],
                "documents": doc,
                "evidence": f"{doc}:{(s := rnd.randrange(0, 3000))}-{s + rnd.randrange(40, 300)}",
                "confidence": "",
                "notes": "",
            }
        )
    atomic.write_text(out / "mediators.csv", (DATA / "mediators.csv").read_text(encoding="utf-8"))
    # one snapshot, as the build publishes it: the CSVs and their Parquet copies (geo.core.columnar)
    snapshot.publish(
        out,
        {
            VENUES.name: atomic.csv_text(VENUES.names, venues).encode("utf-8"),
            MEETINGS.name: atomic.csv_text(MEETINGS.names, rows).encode("utf-8"),
        },
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=100_000)
    ap.add_argument("--venues", type=int, default=400)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    out = generate(args.meetings, args.venues, args.out)
    print(f"wrote {args.meetings} meetings at {args.venues} venues to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
