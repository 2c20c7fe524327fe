"""The decision store: an append-only journal (SQLite in WAL mode here) that imports curation.csv
once, keeps it as its export, never deletes a row (an undo is a row), takes hand edits of the
file into account, and stays whole when many writers record at once."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.errors import DataError
from geo.core.paths import ROOT
from geo.core.schema import load_curation
from geo.meetings import journal as journal_mod
from geo.meetings.journal import IMPORTER, STORE_NAME, Journal, export_text

FIXTURES = Path(__file__).parent / "fixtures" / "data"

# Decisions in our own words on made-up candidates (tests/fixtures/data has the mediators).
CSV = (
    "id,action,field,value,note\n"
    "lake.txt#0a1b2c3d4e,accept,,,the communique names both ministers\n"
    "lake.txt#0a1b2c3d4e,edit,venue_detail,Lakeside Hall,\n"
    "hill.txt#5f6a7b8c9d,reject,,,a press call rather than a meeting\n"
)
ADD = [
    {"id": "m-ferry", "action": "add", "field": f, "value": v}
    for f, v in [
        ("date", "2024-05-06"),
        ("venue", "Geneva"),
        ("mediators", "EU"),
        ("level", "leaders"),
        ("format", "trilateral"),
        ("status", "held"),
        ("evidence", "lake.txt:10-40"),
    ]
]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(FIXTURES / "mediators.csv", d / "mediators.csv")
    shutil.copy(FIXTURES / "participants.csv", d / "participants.csv")
    (d / "curation.csv").write_text(CSV)
    return d


def triples(rows) -> list[tuple[str, str, str, str]]:
    return [(r.id, r.action, r.field, r.value) for r in rows]


def test_a_fresh_store_imports_curation_csv_once_and_leaves_the_file_as_it_is(folder):
    j = Journal(data_dir=folder)
    assert (folder / STORE_NAME).is_file()
    assert (folder / "curation.csv").read_text() == CSV  # a fresh clone's build rewrites nothing
    assert triples(j.decisions()) == triples(load_curation(folder / "curation.csv"))
    assert [d.row for d in j.decisions()] == [2, 3, 4]  # as in the file: messages point at its rows
    assert {e.analyst for e in j.entries()} == {IMPORTER}
    assert all(e.time == "" for e in j.entries())  # the file gives no time: none is made up
    assert all(d.analyst == "" for d in j.decisions())  # nor a name (provenance: "analyst", unnamed)
    assert Journal(data_dir=folder).version() == 3  # imported once
    mode = sqlite3.connect(folder / STORE_NAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_fresh_store_without_curation_csv_starts_empty(tmp_path):
    j = Journal(data_dir=tmp_path / "data")
    assert j.entries() == [] and j.decisions() == [] and j.version() == 0
    assert not (tmp_path / "data" / "curation.csv").exists()


def test_the_store_url_comes_from_the_argument_then_the_environment(folder, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("TALKS_ATLAS_STORE", f"sqlite:///{elsewhere}")
    Journal(data_dir=folder)
    assert elsewhere.is_file() and not (folder / STORE_NAME).exists()
    given = tmp_path / "given.sqlite"
    Journal(f"sqlite:///{given}", data_dir=folder)
    assert given.is_file()


def test_record_supersede_undo_and_the_effective_decisions(folder):
    j = Journal(data_dir=folder)
    j.record(analyst="Ana", id="hill.txt#5f6a7b8c9d", action="accept", source_url="https://example.org/call")
    j.record(analyst="Ana", id="lake.txt#0a1b2c3d4e", action="edit", field="venue_detail", value="Pier Hall")
    got = {(d.id, d.action, d.field): d for d in j.decisions()}
    assert ("hill.txt#5f6a7b8c9d", "reject", "") not in got  # the later verdict supersedes
    assert got[("hill.txt#5f6a7b8c9d", "accept", "")].analyst == "Ana"
    assert got[("hill.txt#5f6a7b8c9d", "accept", "")].source_url == "https://example.org/call"
    assert got[("lake.txt#0a1b2c3d4e", "edit", "venue_detail")].value == "Pier Hall"

    undo = j.undo_last("Ana")
    assert undo.action == "undo" and undo.undoes == 5
    assert {d.value for d in j.decisions() if d.field == "venue_detail"} == {"Lakeside Hall"}  # the earlier one again
    j.undo_last("Ana")
    assert ("hill.txt#5f6a7b8c9d", "reject") in {(d.id, d.action) for d in j.decisions()}
    assert j.undo_last("Ana") is None  # nothing of Ana's left to undo
    assert j.undo_last("Ben") is None
    assert len(j.entries()) == 7  # nothing was deleted: 3 imported, 2 decisions, 2 undos
    j.undo(undo.seq, "Ben")  # an undo of an undo brings the decision back
    assert {d.value for d in j.decisions() if d.field == "venue_detail"} == {"Pier Hall"}


def test_a_group_is_recorded_and_undone_together(folder):
    j = Journal(data_dir=folder)
    entries = j.record_many(ADD, analyst="Ana")
    assert len({e.group for e in entries}) == 1 and len(entries) == 7
    assert sum(d.id == "m-ferry" for d in j.decisions()) == 7
    j.record(analyst="Ben", id="lake.txt#0a1b2c3d4e", action="edit", field="event", value="spring round")
    j.undo_last("Ana")
    ids = [d.id for d in j.decisions()]
    assert "m-ferry" not in ids and ids.count("lake.txt#0a1b2c3d4e") == 3  # Ben's edit stays


def test_every_decision_is_exported_and_the_export_reads_back(folder):
    j = Journal(data_dir=folder)
    j.record_many(ADD, analyst="Ana")
    j.record(analyst="Ben", id="hill.txt#5f6a7b8c9d", action="accept", note='a note, with "quotes"')
    text = (folder / "curation.csv").read_text()
    assert text == export_text(j.entries())
    assert text.splitlines()[0] == "id,action,field,value,note,analyst,time,source_url"
    back = load_curation(folder / "curation.csv")
    assert [(r.id, r.action, r.field, r.value, r.note, r.analyst, r.time) for r in back] == [
        (d.id, d.action, d.field, d.value, d.note, d.analyst, d.time) for d in j.decisions()
    ]
    other = folder.parent / "other"
    other.mkdir()
    assert j.export_csv(other / "curation.csv") == other / "curation.csv"
    clone = Journal(data_dir=other)  # a clone that only has the export: the same decisions
    assert triples(clone.decisions()) == triples(j.decisions())
    assert [d.analyst for d in clone.decisions()] == [d.analyst for d in j.decisions()]


@pytest.mark.parametrize(
    ("decision", "field", "message"),
    [
        ({"action": "edit", "field": "level", "value": "ambassadors"}, "value", "value for level"),
        ({"action": "edit", "field": "date", "value": "sometime"}, "value", "value for date"),
        ({"action": "edit", "field": "mediators", "value": "Atlantis"}, "value", "unknown mediator 'Atlantis'"),
        ({"action": "edit", "field": "colour", "value": "red"}, "field", "unknown field 'colour'"),
        ({"action": "edit"}, "field", "'edit' needs a field"),
        ({"action": "accept", "field": "venue", "value": "Bern"}, "field", "takes no field"),
        ({"action": "approve"}, "action", "'approve' is not one of"),
        ({"action": "accept", "id": ""}, "id", "is empty"),
        ({"action": "accept", "colour": "red"}, "colour", "unknown key"),
        ({"action": "add", "field": "venue", "value": "Geneva", "id": "m-new"}, "date", "lacks date"),
    ],
)
def test_a_bad_decision_is_refused_with_a_message_naming_the_field(folder, decision, field, message):
    j = Journal(data_dir=folder)
    before = j.version()
    with pytest.raises(DataError) as err:
        j.record_many([{"id": "lake.txt#0a1b2c3d4e", **decision}], analyst="Ana")
    text = str(err.value)
    assert f"field '{field}'" in text and message in text, text
    assert j.version() == before and (folder / "curation.csv").read_text() == CSV  # nothing recorded


def test_an_analyst_name_is_required(folder):
    with pytest.raises(DataError, match="field 'analyst'"):
        Journal(data_dir=folder).record(analyst=" ", id="hill.txt#5f6a7b8c9d", action="accept")


def test_a_bad_curation_csv_is_named_before_anything_is_imported(folder):
    (folder / "curation.csv").write_text(CSV + "hill.txt#5f6a7b8c9d,edit,level,ambassadors,\n")
    with pytest.raises(DataError, match=r"curation.csv, row 5, field 'value'"):
        Journal(data_dir=folder)
    (folder / "curation.csv").write_text(CSV)
    assert Journal(data_dir=folder).version() == 3  # imported once the file is right


def test_a_row_added_or_changed_by_hand_is_recorded_as_a_decision_of_curation_csv(folder):
    j = Journal(data_dir=folder)
    j.record(analyst="Ana", id="hill.txt#5f6a7b8c9d", action="accept")
    text = (folder / "curation.csv").read_text()
    text = text.replace("Lakeside Hall", "Lakeside Pavilion") + "dune.txt#aaaabbbbcc,reject,,,duplicate report,,,\n"
    (folder / "curation.csv").write_text(text)
    k = Journal(data_dir=folder)
    warnings = [str(p) for p in k.problems]
    assert len(warnings) == 2 and all("edited by hand: recorded in the decision store" in w for w in warnings)
    assert "row 3, field 'id'" in warnings[0] and "row 5, field 'id'" in warnings[1]
    new = k.entries()[-2:]
    assert [(e.analyst, e.id, e.value) for e in new] == [
        (IMPORTER, "lake.txt#0a1b2c3d4e", "Lakeside Pavilion"),
        (IMPORTER, "dune.txt#aaaabbbbcc", ""),
    ]
    assert (folder / "curation.csv").read_text() == export_text(k.entries())  # written again from the store
    assert Journal(data_dir=folder).problems == []  # recorded once


def test_a_row_deleted_by_hand_is_reported_and_cancelled_with_an_undo_never_lost(folder):
    j = Journal(data_dir=folder)
    j.record(analyst="Ana", id="dune.txt#aaaabbbbcc", action="reject")
    lines = (folder / "curation.csv").read_text().splitlines(keepends=True)
    (folder / "curation.csv").write_text("".join(line for line in lines if "hill.txt" not in line))
    k = Journal(data_dir=folder)
    (warning,) = [str(p) for p in k.problems]
    assert "#3" in warning and "hill.txt#5f6a7b8c9d reject" in warning and "deleted from the file by hand" in warning
    assert "python -m geo curation undo 5" in warning  # how to bring it back
    assert "hill.txt#5f6a7b8c9d" not in {d.id for d in k.decisions()}
    assert k.entries()[2].id == "hill.txt#5f6a7b8c9d"  # still in the journal
    assert k.entries()[-1].action == "undo" and k.entries()[-1].analyst == IMPORTER
    assert main(["curation", "undo", "5", "--analyst", "Ana", "--data", str(folder)]) == 0
    assert "hill.txt#5f6a7b8c9d" in {d.id for d in Journal(data_dir=folder).decisions()}


def test_a_deleted_curation_csv_is_written_again_not_taken_as_cancelling_everything(folder):
    j = Journal(data_dir=folder)
    j.record(analyst="Ana", id="dune.txt#aaaabbbbcc", action="reject")
    (folder / "curation.csv").unlink()
    k = Journal(data_dir=folder)
    assert "the file is gone: written again" in str(k.problems[0])
    assert len(k.decisions()) == 4 and (folder / "curation.csv").read_text() == export_text(k.entries())


def test_an_export_interrupted_after_the_decision_is_finished_by_the_next_use(folder, monkeypatch):
    j = Journal(data_dir=folder)

    def crash(self, conn):
        raise OSError("disk full")

    monkeypatch.setattr(Journal, "_export", crash)
    with pytest.raises(OSError):
        j.record(analyst="Ana", id="dune.txt#aaaabbbbcc", action="reject")
    monkeypatch.undo()
    assert (folder / "curation.csv").read_text() == CSV  # stale, but the decision is in the journal
    k = Journal(data_dir=folder)
    assert k.problems == []  # not mistaken for a hand edit deleting it
    assert "dune.txt#aaaabbbbcc" in (folder / "curation.csv").read_text()


def test_a_store_that_cannot_be_opened_is_a_message(folder, capsys):
    assert main(["curation", "log", "--data", str(folder), "--store", "nosuchdb://x"]) == 2
    assert "not a database URL" in capsys.readouterr().err
    url = "postgresql+psycopg://atlas:secret-word@127.0.0.1:9/atlas"
    assert main(["curation", "log", "--data", str(folder), "--store", url]) == 2
    err = capsys.readouterr().err
    assert "decision store postgresql+psycopg://atlas:***@127.0.0.1:9/atlas" in err and "secret-word" not in err


def test_cli_log_export_undo(folder, capsys):
    j = Journal(data_dir=folder)
    j.record(analyst="Ana", id="dune.txt#aaaabbbbcc", action="reject", note="seen twice")
    assert main(["curation", "log", "--data", str(folder), "--last", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[-1].startswith("#4 ") and "Ana: dune.txt#aaaabbbbcc reject" in out[-1]
    assert main(["curation", "undo", "4", "--analyst", "Ben", "--data", str(folder)]) == 0
    assert main(["curation", "log", "--data", str(folder), "--analyst", "Ana"]) == 0
    assert "(undone)" in capsys.readouterr().out
    (folder / "curation.csv").write_text("scribbled over\n")
    assert main(["curation", "undo", "4", "--analyst", "Ben", "--data", str(folder)]) == 2  # a bad file: named
    assert "curation.csv" in capsys.readouterr().err
    j.export_csv()
    assert main(["curation", "export", "--data", str(folder)]) == 0
    assert "3 decision(s) in effect, journal at #5" in capsys.readouterr().out
    assert main(["curation", "export", "--data", str(folder), "--to", str(folder / "review.csv")]) == 0
    assert (folder / "review.csv").read_text() == (folder / "curation.csv").read_text()
    assert main(["curation", "undo", "--data", str(folder), "--analyst", "Ben"]) == 2


# ---- many writers at once ------------------------------------------------------------------


def test_ten_threads_recording_at_once_lose_nothing_and_leave_a_current_export(folder):
    Journal(data_dir=folder)  # the import, so that every thread starts from one journal
    errors: list[BaseException] = []
    start = threading.Barrier(10)

    def analyst(n: int) -> None:
        try:
            j = Journal(data_dir=folder) if n % 2 else shared
            start.wait()
            for k in range(5):
                j.record(analyst=f"a{n}", id=f"t{n}.txt#{k:010d}", action="accept")
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread's assert
            errors.append(exc)

    shared = Journal(data_dir=folder)  # half the threads share one Journal, half open their own
    threads = [threading.Thread(target=analyst, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = Journal(data_dir=folder).entries()
    assert len(entries) == 3 + 50 and [e.seq for e in entries] == list(range(1, 54))
    assert {(e.analyst, e.id) for e in entries[3:]} == {
        (f"a{n}", f"t{n}.txt#{k:010d}") for n in range(10) for k in range(5)
    }
    assert (folder / "curation.csv").read_text() == export_text(entries)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from geo.meetings.journal import Journal
    j = Journal(data_dir=Path(sys.argv[1]))
    for k in range(int(sys.argv[3])):
        j.record(analyst=sys.argv[2], id=f"{sys.argv[2]}.txt#{k:010d}", action="reject")
    print("done")
""")


@pytest.mark.slow
def test_several_processes_recording_at_once_lose_nothing(folder):
    """Four processes open the fresh store at the same moment (one imports) and record 10 each."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), f"p{n}", "10"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "done" in out, err
    entries = Journal(data_dir=folder).entries()
    assert len(entries) == 3 + 40  # imported once
    assert sorted(e.id for e in entries[3:]) == sorted(f"p{n}.txt#{k:010d}" for n in range(4) for k in range(10))
    assert (folder / "curation.csv").read_text() == export_text(entries)


def test_the_store_module_has_no_dependency_on_a_running_app():
    assert "streamlit" not in sys.modules or journal_mod.__name__ == "geo.meetings.journal"


def test_two_folders_sharing_one_store_never_undo_each_other(folder, tmp_path):
    """Two checkouts on one store (a team's PostgreSQL, here one SQLite file): a decision taken
    from one is not read as deleted by hand in the other's older curation.csv; the other's file
    catches up, and a row added there by hand is recorded."""
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    mine = Journal(url, data_dir=folder)
    theirs_dir = tmp_path / "theirs"
    shutil.copytree(folder, theirs_dir)  # their checkout: the same committed curation.csv
    theirs = Journal(url, data_dir=theirs_dir)
    mine.record(analyst="Ana", id="hill.txt#5f6a7b8c9d", action="accept")
    with (theirs_dir / "curation.csv").open("a") as fh:
        fh.write("dune.txt#aaaabbbbcc,reject,,,seen twice\n")
    again = Journal(url, data_dir=theirs_dir)
    assert [str(p) for p in again.problems if "deleted" in str(p)] == []
    assert len([p for p in again.problems if "edited by hand" in str(p)]) == 1
    verdicts = {d.id: d.action for d in again.decisions() if d.action in ("accept", "reject")}
    assert verdicts == {
        "lake.txt#0a1b2c3d4e": "accept",
        "hill.txt#5f6a7b8c9d": "accept",
        "dune.txt#aaaabbbbcc": "reject",
    }
    assert (theirs_dir / "curation.csv").read_text() == export_text(theirs.entries())
    Journal(url, data_dir=folder)  # mine catches up too
    assert (folder / "curation.csv").read_text() == (theirs_dir / "curation.csv").read_text()


def test_changing_only_who_or_when_by_hand_records_nothing(folder):
    j = Journal(data_dir=folder)
    j.record(analyst="Ana", id="dune.txt#aaaabbbbcc", action="reject")
    text = (folder / "curation.csv").read_text()
    (folder / "curation.csv").write_text(text.replace(",Ana,", ",Somebody,"))
    k = Journal(data_dir=folder)
    assert k.problems == [] and k.version() == j.version()
    assert (folder / "curation.csv").read_text() == text  # the export says who decided


def test_the_upload_preview_never_copies_the_store(folder, tmp_path):
    from geo.publish.intake import scratch_copy

    Journal(data_dir=folder).record(analyst="Ana", id="dune.txt#aaaabbbbcc", action="reject")
    uploads = folder / "corpus"
    uploads.mkdir()
    target = scratch_copy(folder, tmp_path / "scratch", uploads)
    assert sorted(p.name for p in target.iterdir()) == ["mediators.csv", "participants.csv"]
