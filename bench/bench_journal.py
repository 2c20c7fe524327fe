"""Recording one decision in the decision store (SQLite, WAL) against a same-run baseline.

- **journal**: ``Journal.record`` — one write transaction (BEGIN IMMEDIATE, insert, commit) plus
  the re-export of curation.csv under the lock (read the journal, write the file atomically);
- **baseline**: what recording cost before the store: append one row to curation.csv and write
  the file atomically (geo.core.atomic: temp file, fsync, rename, fsync of the folder);
- **read**: ``Journal.decisions()`` (sync check + effective decisions) against
  ``load_curation`` of the same file (what the build read before).

Each is run at two journal sizes (the committed curation.csv, and a synthetic journal of
``--size`` decisions), ``--per-repeat`` operations per repeat; min/median/max over ``--repeat``
repeats of the time per operation, and the ratio of medians to the baseline.

    .venv/bin/python bench/bench_journal.py [--repeat 5] [--per-repeat 20] [--size 2000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from geo.core import atomic
from geo.core.paths import DATA
from geo.core.schema import load_curation
from geo.meetings.journal import Journal, export_text

HEADER = "id,action,field,value,note,analyst,time,source_url\n"


def synthetic(size: int) -> str:
    """``size`` decisions on made-up candidates (accepts and edits), as an exported curation.csv."""
    rows = []
    for n in range(size):
        cid = f"bench{n // 4:05d}.txt#{n:010x}"
        rows.append(
            f"{cid},accept,,,,bench,2026-01-01T00:00:00Z,\n"
            if n % 4 == 0
            else f"{cid},edit,event,round {n},,bench,2026-01-01T00:00:00Z,\n"
        )
    return HEADER + "".join(rows)


def folder_with(csv_text: str, root: Path, name: str) -> Path:
    d = root / name
    d.mkdir()
    for table in ("mediators.csv", "participants.csv"):
        shutil.copy(DATA / table, d / table)
    (d / "curation.csv").write_text(csv_text)
    return d


def timed(op: Callable[[int], object], per_repeat: int, repeat: int) -> list[float]:
    """Seconds per operation, one figure per repeat."""
    out, k = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(per_repeat):
            op(k)
            k += 1
        out.append((time.perf_counter() - start) / per_repeat)
    return out


def line(name: str, times: list[float], base: list[float] | None) -> str:
    ms = [t * 1000 for t in times]
    ratio = f"{statistics.median(times) / statistics.median(base):6.2f}x" if base else "  (base)"
    return f"  {name:<38} min {min(ms):8.3f}  median {statistics.median(ms):8.3f}  max {max(ms):8.3f} ms   {ratio}"


def bench(csv_text: str, label: str, root: Path, per_repeat: int, repeat: int) -> None:
    rows = csv_text.count("\n") - 1
    print(f"{label}: {rows} decisions")
    store = folder_with(csv_text, root, f"{label}-store")
    journal = Journal(data_dir=store)
    plain = folder_with(export_text(journal.entries()), root, f"{label}-csv")  # the same rows, every column

    def append_row(k: int) -> None:
        path = plain / "curation.csv"
        text = path.read_text() + f"new{k:06d}.txt#{k:010x},reject,,,,bench,2026-01-01T00:00:00Z,\n"
        atomic.write_text(path, text)

    def record(k: int) -> None:
        journal.record(analyst="bench", id=f"new{k:06d}.txt#{k:010x}", action="reject")

    base = timed(append_row, per_repeat, repeat)
    got = timed(record, per_repeat, repeat)
    print(line("append a CSV row atomically", base, None))
    print(line("record a decision (SQLite WAL + export)", got, base))
    read_base = timed(lambda k: load_curation(plain / "curation.csv"), per_repeat, repeat)
    read = timed(lambda k: journal.decisions(), per_repeat, repeat)
    print(line("load_curation (read the CSV)", read_base, None))
    print(line("Journal.decisions() (effective)", read, read_base))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--per-repeat", type=int, default=20)
    p.add_argument("--size", type=int, default=2000, help="decisions in the synthetic journal")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-journal-") as tmp:
        root = Path(tmp)
        bench((DATA / "curation.csv").read_text(), "committed", root, args.per_repeat, args.repeat)
        bench(synthetic(args.size), "synthetic", root, args.per_repeat, args.repeat)


if __name__ == "__main__":
    main()
