"""The build reads the decision store: a decision recorded (or undone) there changes the next
build; a fresh clone builds exactly what curation.csv says; a decision whose candidate is gone
is reported and kept; a build killed mid-way leaves one whole snapshot and an intact journal."""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from killpoints import killer

from geo.cli import main
from geo.core import snapshot
from geo.core.paths import ROOT
from geo.meetings.journal import STORE_NAME, Journal, export_text
from geo.publish.build import build

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
TABLES = ("venues.csv", "places.csv", "articles.csv", "venues_report.csv", "meetings.csv")


@pytest.fixture()
def corpus(tmp_path):
    c = tmp_path / "corpus"
    shutil.copytree(HARD, c)
    return c


def candidate_ids(result) -> dict[str, str]:
    """Venue -> candidate id, for the candidates of the hard fixtures that have one venue each."""
    return {c.venue: c.id for c in result.candidates}


def venues_of(data_dir: Path) -> set[str]:
    lines = (data_dir / "meetings.csv").read_text().splitlines()[1:]
    header = (data_dir / "meetings.csv").read_text().splitlines()[0].split(",")
    import csv

    return {r["venue"] for r in csv.DictReader([",".join(header), *lines])}


def test_a_decision_recorded_or_undone_in_the_store_changes_the_next_build(corpus, data_dir, gazetteer):
    first = build(corpus, data_dir, gazetteer)
    assert not (data_dir / STORE_NAME).exists()  # a build alone creates no store
    kazan = candidate_ids(first)["Kazan"]
    assert "Kazan" in venues_of(data_dir)
    j = Journal(data_dir=data_dir)
    j.record(analyst="Ana", id=kazan, action="reject", note="a phone call")
    result = build(corpus, data_dir, gazetteer)
    assert "Kazan" not in venues_of(data_dir) and result.curated.counts["rejected"] == 1
    j.undo_last("Ana")
    build(corpus, data_dir, gazetteer)
    assert "Kazan" in venues_of(data_dir)
    assert [e.action for e in j.entries()] == ["reject", "undo"]  # the journal keeps both


def test_a_fresh_clone_and_an_imported_store_build_the_same_tables(corpus, data_dir, gazetteer, tmp_path):
    ids = candidate_ids(build(corpus, data_dir, gazetteer))
    (data_dir / "curation.csv").write_text(
        f"id,action,field,value,note\n{ids['Kazan']},edit,event,autumn round,\n{ids['Chisinau']},reject,,,\n"
    )
    build(corpus, data_dir, gazetteer)  # no store yet: the file's decisions
    fresh = {n: (data_dir / n).read_bytes() for n in TABLES}
    assert not (data_dir / STORE_NAME).exists()
    Journal(data_dir=data_dir)  # the store imports the file
    build(corpus, data_dir, gazetteer)
    assert {n: (data_dir / n).read_bytes() for n in TABLES} == fresh


def test_a_decision_whose_candidate_is_gone_is_reported_and_kept(corpus, data_dir, gazetteer):
    j = Journal(data_dir=data_dir)
    j.record(analyst="Ana", id="vanished.txt#0123456789", action="accept")
    result = build(corpus, data_dir, gazetteer)
    (warning,) = [str(w) for w in result.warnings if "vanished.txt" in str(w)]
    assert "curation.csv, row 2, field 'id'" in warning and "no such candidate" in warning
    build(corpus, data_dir, gazetteer)
    assert [d.id for d in Journal(data_dir=data_dir).decisions()] == ["vanished.txt#0123456789"]
    assert "vanished.txt#0123456789" in (data_dir / "curation.csv").read_text()


def test_a_hand_edit_is_reported_by_the_build_that_records_it(corpus, data_dir, gazetteer):
    ids = candidate_ids(build(corpus, data_dir, gazetteer))
    Journal(data_dir=data_dir).record(analyst="Ana", id=ids["Kazan"], action="accept")
    with (data_dir / "curation.csv").open("a") as fh:
        fh.write(f"{ids['Granada']},reject,,,typed in by hand,,,\n")
    result = build(corpus, data_dir, gazetteer)
    assert any("edited by hand: recorded in the decision store" in str(w) for w in result.warnings)
    assert "Granada" not in venues_of(data_dir)


def test_build_command_takes_a_store_url(corpus, data_dir, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    Journal(url, data_dir=data_dir).record(analyst="Ana", id="vanished.txt#0123456789", action="reject")
    assert main(["build", str(corpus), "--data", str(data_dir), "--store", url, "--no-cache", "--jobs", "1"]) == 0
    assert "vanished.txt#0123456789" in capsys.readouterr().err  # the store's decision was read
    assert not (data_dir / STORE_NAME).exists()


KILLER = killer(
    """
    if sys.argv[4] == "build":  # every rename of the snapshot publish and of the curation.csv export
        from geo.publish.build import build
        build(sys.argv[1], Path(sys.argv[2]))
    else:
        from geo.meetings.journal import Journal
        Journal(data_dir=Path(sys.argv[2])).record(analyst="Kim", id="late.txt#0000000001", action="reject")
    print("finished")
    """,
    budget_arg=3,
    wait_fsync=False,
)


def digest(folder: Path) -> tuple[str, ...]:
    return tuple(hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in TABLES)


def journal_is_whole(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / STORE_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def kill_at(corpus: Path, data_dir: Path, k: int, what: str) -> bool:
    run = subprocess.run(
        [sys.executable, "-c", KILLER, str(corpus), str(data_dir), str(k), what],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    finished = "finished" in run.stdout
    assert finished or run.returncode == -signal.SIGKILL, run.stderr
    return finished


@pytest.mark.slow
def test_a_build_killed_at_any_step_leaves_one_snapshot_and_the_journal_whole(corpus, data_dir, gazetteer, tmp_path):
    ids = candidate_ids(build(corpus, data_dir, gazetteer))
    j = Journal(data_dir=data_dir)
    j.record(analyst="Ana", id=ids["Kazan"], action="accept")
    build(corpus, data_dir, gazetteer)
    old = digest(data_dir)
    j.record(analyst="Ana", id=ids["Kazan"], action="reject")  # the next build drops Kazan
    entries = j.entries()
    template = tmp_path / "template"
    shutil.copytree(data_dir, template)
    seen: list[tuple[str, ...]] = []
    for k in [*range(0, 30, 3), 1000]:  # kill points through the publish, then a run that finishes
        run_dir = tmp_path / f"run{k}"
        shutil.copytree(template, run_dir)
        finished = kill_at(corpus, run_dir, k, "build")
        with snapshot.reading(run_dir):  # what the app does before it loads (finishes or undoes the publish)
            seen.append(digest(run_dir))
        assert not (run_dir / snapshot.JOURNAL).exists()
        journal_is_whole(run_dir)
        assert Journal(data_dir=run_dir).entries() == entries  # a build never writes the journal
        if finished:
            break
    new = seen[-1]
    assert new != old and set(seen) <= {old, new}, "a kill left tables of two builds side by side"
    assert old in seen  # kills before the commit point were seen too


@pytest.mark.slow
def test_a_decision_killed_while_exported_is_whole_once_the_store_is_opened_again(corpus, data_dir):
    Journal(data_dir=data_dir).record(analyst="Ana", id="early.txt#0000000001", action="accept")
    outcomes = set()
    for k in range(12):
        run_dir = data_dir.parent / f"run{k}"
        shutil.copytree(data_dir, run_dir)
        Journal(data_dir=run_dir)  # its own store now: in step with its folder before the kill
        finished = kill_at(corpus, run_dir, k, "record")
        journal_is_whole(run_dir)
        j = Journal(data_dir=run_dir)
        ids = [e.id for e in j.entries()]
        assert ids in (["early.txt#0000000001"], ["early.txt#0000000001", "late.txt#0000000001"])
        assert j.problems == []  # an interrupted export is finished, never taken for a hand edit
        assert (run_dir / "curation.csv").read_text() == export_text(j.entries())
        outcomes.add(len(ids))
        if finished:
            break
    else:
        pytest.fail("the recording never finished")
    assert outcomes == {2}  # SQLite committed before the export's first step: the decision is never lost
    assert not list(data_dir.parent.rglob(".curation.csv.*.tmp"))  # a killed export's temp file is cleared


def test_migrating_old_ids_with_a_store_keeps_every_decision(corpus, data_dir, gazetteer, capsys):
    """`curation migrate` rewrites the file; the store records that as a hand edit (new ids in,
    old ids undone) and the next build applies the same decisions with no old-style warning."""
    legacy = {c.venue: c.legacy_id for c in build(corpus, data_dir, gazetteer).candidates}
    (data_dir / "curation.csv").write_text(
        f"id,action,field,value,note\n{legacy['Kazan']},edit,event,autumn round,\n{legacy['Granada']},reject,,,\n"
    )
    Journal(data_dir=data_dir)  # the store imports the old ids
    before = build(corpus, data_dir, gazetteer)
    assert sum("old-style candidate id" in str(w) for w in before.warnings) == 2
    tables = (data_dir / "meetings.csv").read_bytes()
    assert main(["curation", "migrate", str(corpus), "--data", str(data_dir)]) == 0
    assert "2 decision(s) migrated" in capsys.readouterr().out
    after = build(corpus, data_dir, gazetteer)
    assert not [w for w in after.warnings if "old-style candidate id" in str(w)]
    assert (data_dir / "meetings.csv").read_bytes() == tables
    entries = Journal(data_dir=data_dir).entries()
    assert [e.action for e in entries] == ["edit", "reject", "edit", "reject", "undo", "undo"]  # nothing deleted
