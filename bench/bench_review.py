"""The Review page's two waits, each against a same-run baseline (min/median/max of repeats):

1. **decision -> next candidate on screen** (AppTest, the whole app on a copy of data/ with the
   decisions cleared): pressing Accept records the decision in the journal, publishes the
   meetings again (recurate) and draws the next candidate, in one rerun. Baseline: a bare rerun
   of the same page (no decision). Each timed accept is undone afterwards (not timed), so every
   repeat decides on the same queue. Also timed alone: ``recurate`` and ``Journal.record_many``.
   With ``--browser``, the same in headless Chromium against ``streamlit run``: the A key ->
   the next candidate's form on screen, against the S key (skip: the same redraw, no decision).
2. **upload of 20 articles -> their candidates queued**: ``build_uploads`` (the Add articles
   page's build, into the data folder, since the upload folder is the map's corpus) and the
   candidates read back as the queue reads them. Baselines: a bare copy of the 20 files, and a
   rebuild of the corpus without them (what the upload adds to a build).

  .venv/bin/python bench/bench_review.py [--repeat 9] [--uploads 20] [--upload-repeat 3] [--browser]

Articles are bench/bench_extract.py's synthetic ones, written under bench/out/ (gitignored).
Prints figures; asserts nothing about time (the target: the next candidate within 1 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1])]  # this checkout's geo/

from bench_extract import synthetic  # noqa: E402

from geo.core.paths import DATA, ROOT  # noqa: E402
from geo.core.tables import CANDIDATES, CURATION  # noqa: E402

OUT = Path(__file__).parent / "out"
VOCABULARIES = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")
TARGET = 1.0  # seconds from a decision to the next candidate on screen


def spread(xs: list[float], unit: str = "s", digits: int = 3) -> str:
    return f"min {min(xs):.{digits}f} / median {statistics.median(xs):.{digits}f} / max {max(xs):.{digits}f} {unit}"


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------
# 1. decision -> next candidate


def review_data(root: Path) -> Path:
    """data/ copied with the decisions cleared: every candidate undecided."""
    from geo.publish.build import recurate

    d = root / "data"
    shutil.copytree(DATA, d, ignore=shutil.ignore_patterns("corpus", ".*", "atlas.sqlite*"))
    (d / CURATION.name).write_text("id,action,field,value,note\n", encoding="utf-8")
    recurate(d)
    return d


def bench_decision(repeat: int) -> float:
    from streamlit.testing.v1 import AppTest

    from geo.meetings.journal import Journal
    from geo.publish.build import recurate

    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        data = review_data(Path(tmp))
        os.environ["TALKS_ATLAS_DATA"] = str(data)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.sidebar.text_input(key="analyst_name").input("bench")
        at.switch_page("app_pages/review.py")
        at.run()
        at.run()  # warm: caches filled
        bare, decide = [], []
        for _ in range(repeat):  # paired: a bare rerun, then a decision
            bare.append(timed(at.run))
            first = at.selectbox(key="rv_pick").value
            decide.append(timed(lambda: at.button(key="rv_accept").click().run()))
            if at.exception or at.selectbox(key="rv_pick").value == first:
                raise SystemExit(f"the accept did not move the queue on: {at.exception}")
            at.button(key="rv_undo").click().run()  # back to the same queue (not timed)
        journal = Journal(data_dir=data)
        cid = at.selectbox(key="rv_pick").value
        record, publish = [], []
        for _ in range(repeat):
            record.append(timed(lambda: journal.record_many([{"id": cid, "action": "accept"}], analyst="bench")))
            publish.append(timed(lambda: recurate(data)))
            journal.undo_last("bench")
        os.environ.pop("TALKS_ATLAS_DATA", None)
    ratio = statistics.median(decide) / statistics.median(bare)
    print(f"\n1. decision -> next candidate on screen (AppTest, committed data, {repeat} repeats)")
    print(f"   bare rerun of the Review page (baseline): {spread(bare)}")
    print(f"   accept -> next candidate drawn:          {spread(decide)}  ({ratio:.2f}x the bare rerun)")
    print(f"     of which Journal.record_many:          {spread(record)}")
    print(f"     of which recurate (meetings published): {spread(publish)}")
    return statistics.median(decide)


def bench_decision_browser(repeat: int) -> float:
    """A -> next candidate on screen, against S (skip), in Chromium; each accept undone (U)."""
    import re

    from playwright.sync_api import expect

    from geo.present.browser import launch
    from geo.present.devserver import serve

    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        data = review_data(Path(tmp))
        with serve(ROOT / "app.py", data, Path(tmp) / "streamlit.log") as url, launch() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/review")
            page.get_by_role("heading", name="Review").first.wait_for(timeout=120_000)
            name = page.get_by_test_id("stSidebar").get_by_label("Analyst", exact=True)
            name.fill("bench")
            name.press("Enter")
            box = page.get_by_test_id("stSelectbox").first.get_by_role("combobox")
            skip, accept = [], []

            def press(key: str, then: str | None = None) -> float:
                before = box.input_value()
                page.get_by_role("heading", name="Review").first.click()  # no field has the focus
                t0 = time.perf_counter()
                page.keyboard.press(key)
                expect(box).not_to_have_value(before, timeout=30_000)
                if then:  # the flash of the decision is drawn too
                    page.get_by_text(then).first.wait_for(timeout=30_000)
                return time.perf_counter() - t0

            page.wait_for_timeout(1000)
            for _ in range(repeat):  # paired: a skip, then an accept (undone afterwards)
                skip.append(press("s"))
                accept.append(press("a", "Accepted"))
                page.keyboard.press("u")
                page.get_by_text("Undid your last decision").first.wait_for(timeout=30_000)
                expect(box).to_have_value(re.compile("."), timeout=30_000)
    ratio = statistics.median(accept) / statistics.median(skip)
    print(f"\n1b. the same in Chromium (streamlit run, {repeat} repeats)")
    print(f"   S (skip) -> next candidate on screen (baseline): {spread(skip)}")
    print(f"   A (accept) -> next candidate on screen:         {spread(accept)}  ({ratio:.2f}x the skip)")
    return statistics.median(accept)


# ---------------------------------------------------------------------------------------------
# 2. upload of N articles -> candidates queued


def write_articles(folder: Path, count: int, seed: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for a in synthetic(0, seed=seed, count=count):
        header = f"date: {a.date.isoformat()}\n" if a.date else ""
        path = folder / f"s{seed}-{a.file}"
        path.write_text(f"{header}title: {a.title}\n\n{a.text}", encoding="utf-8")
        out.append(path)
    return out


def bench_uploads(count: int, repeat: int) -> None:
    from geo.meetings.candidates import read_candidates
    from geo.places.gazetteer import get_gazetteer
    from geo.publish.build import build
    from geo.publish.intake import build_uploads

    gazetteer = get_gazetteer()  # loaded once, as the app's process keeps it
    copy, upload, rebuild, queued = [], [], [], []
    for k in range(repeat):
        root = OUT / f"review-uploads-{k}"
        shutil.rmtree(root, ignore_errors=True)
        corpus, data, incoming = root / "corpus", root / "data", root / "incoming"
        data.mkdir(parents=True)
        for name in VOCABULARIES:
            shutil.copy(DATA / name, data / name)
        write_articles(corpus, 5, seed=100 + k)  # what the map showed before the upload
        build(corpus, data, gazetteer)
        files = write_articles(incoming, count, seed=200 + k)
        rebuild.append(timed(lambda c=corpus, d=data: build(c, d, gazetteer)))
        copy.append(timed(lambda fs=files, c=corpus: [shutil.copy(f, c / f.name) for f in fs]))
        names = [f.name for f in files]

        def upload_and_queue(n=names, c=corpus, d=data) -> None:
            intake = build_uploads(n, c, d, c, gazetteer)
            if intake.failed:
                raise SystemExit(intake.summary)
            mine = [x for x in read_candidates(d / CANDIDATES.name) if x.file in set(n)]
            queued.append(len(mine))

        upload.append(timed(upload_and_queue))
    print(f"\n2. upload of {count} articles -> their candidates queued ({repeat} repeats, corpus of 5 before)")
    print(f"   bare copy of the {count} files (baseline):   {spread(copy, digits=4)}")
    print(f"   rebuild without them (baseline):          {spread(rebuild)}")
    ratio = statistics.median(upload) / statistics.median(rebuild)
    print(
        f"   build_uploads + candidates read back:     {spread(upload)}  "
        f"({ratio:.2f}x the rebuild; {statistics.median(upload) / statistics.median(copy):,.0f}x the copy); "
        f"candidates queued from them: {sorted(set(queued))}"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=9, help="decisions timed (default 9)")
    p.add_argument("--uploads", type=int, default=20, help="articles per upload (default 20)")
    p.add_argument("--upload-repeat", type=int, default=3, help="uploads timed (default 3)")
    p.add_argument("--browser", action="store_true", help="also time the keys in headless Chromium")
    args = p.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    median = bench_decision(args.repeat)
    if args.browser:
        median = max(median, bench_decision_browser(args.repeat))
    bench_uploads(args.uploads, args.upload_repeat)
    verdict = "met" if median <= TARGET else "MISSED"
    print(f"\ntarget: the next candidate within {TARGET:.0f} s of a decision (median): {verdict}")
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
