"""The same decision store on PostgreSQL (psycopg 3): a server of our own, started with initdb and
pg_ctl in a temporary folder, listening only on a Unix socket there, stopped afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.meetings.journal import Journal, export_text, read_decisions
from geo.publish.build import build

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "data"
HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def as_server_user() -> list[str]:
    """initdb refuses to run as root: the tests (root in CI) run the server as 'nobody'."""
    return ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries in /usr/lib/postgresql/*/bin (scripts/setup.sh installs them)")
    home = Path(tempfile.mkdtemp(prefix="atlas-pg-"))  # short: a socket path has ~100 characters
    if os.geteuid() == 0:
        shutil.chown(home, "nobody", "nogroup")
    cluster, log = home / "cluster", home / "server.log"
    run = as_server_user()
    subprocess.run(
        [*run, str(bindir / "initdb"), "-D", str(cluster), "-U", "atlas", "-A", "trust", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-k {home} -c listen_addresses='' -c fsync=off"
    started = subprocess.run(
        [*run, str(bindir / "pg_ctl"), "-D", str(cluster), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        assert started.returncode == 0, started.stderr + (log.read_text() if log.exists() else "")
        yield f"postgresql+psycopg://atlas@/postgres?host={home}"
    finally:
        subprocess.run(
            [*run, str(bindir / "pg_ctl"), "-D", str(cluster), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture()
def fresh(pg_url) -> str:
    """An empty store for each test: the journal's tables dropped."""
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS decisions, journal_meta"))
    engine.dispose()
    return pg_url


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name in ("mediators.csv", "participants.csv"):
        shutil.copy(FIXTURES / name, d / name)
    (d / "curation.csv").write_text(
        "id,action,field,value,note\nlake.txt#0a1b2c3d4e,accept,,,\nhill.txt#5f6a7b8c9d,reject,,,\n"
    )
    return d


def test_a_review_round_on_postgresql(fresh, folder):
    j = Journal(fresh, data_dir=folder)
    assert [e.id for e in j.entries()] == ["lake.txt#0a1b2c3d4e", "hill.txt#5f6a7b8c9d"]  # imported
    assert Journal(fresh, data_dir=folder).version() == 2  # once
    j.record(analyst="Ana", id="lake.txt#0a1b2c3d4e", action="edit", field="event", value="spring round")
    j.record_many(
        [
            {"id": "lake.txt#0a1b2c3d4e", "action": "edit", "field": "level", "value": "leaders"},
            {"id": "hill.txt#5f6a7b8c9d", "action": "accept", "source_url": "https://example.org/note"},
        ],
        analyst="Ben",
    )
    undo = j.undo_last("Ben")
    assert undo.action == "undo" and j.version() == 7  # both of Ben's decisions undone
    effective = [(d.id, d.action, d.field) for d in j.decisions()]
    assert effective == [
        ("lake.txt#0a1b2c3d4e", "accept", ""),
        ("hill.txt#5f6a7b8c9d", "reject", ""),
        ("lake.txt#0a1b2c3d4e", "edit", "event"),
    ]
    assert (folder / "curation.csv").read_text() == export_text(j.entries())
    decisions, warnings = read_decisions(folder, fresh)  # what the build reads
    assert decisions == j.decisions() and warnings == []


def test_threads_recording_at_once_on_postgresql(fresh, folder):
    Journal(fresh, data_dir=folder)
    errors: list[BaseException] = []

    def analyst(n: int) -> None:
        try:
            j = Journal(fresh, data_dir=folder)
            for k in range(4):
                j.record(analyst=f"a{n}", id=f"t{n}.txt#{k:010d}", action="reject")
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread's assert
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = Journal(fresh, data_dir=folder).entries()
    assert len(entries) == 2 + 24 and [e.seq for e in entries] == list(range(1, 27))
    assert (folder / "curation.csv").read_text() == export_text(entries)


def test_a_build_reads_its_decisions_from_postgresql(fresh, tmp_path, gazetteer, data_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(HARD, corpus)
    first = build(corpus, data_dir, gazetteer, store=fresh)
    kazan = next(c.id for c in first.candidates if c.venue == "Kazan")
    j = Journal(fresh, data_dir=data_dir)
    j.record(analyst="Ana", id=kazan, action="reject")
    assert build(corpus, data_dir, gazetteer, store=fresh).curated.counts["rejected"] == 1
    j.undo_last("Ana")
    assert build(corpus, data_dir, gazetteer, store=fresh).curated.counts["rejected"] == 0
