"""Generated tables are published as one snapshot: a kill at any step leaves either the whole
old set or the whole new set; leftovers are cleaned; files are readable by everyone; a build
never empties the map without being told to."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from killpoints import killer

from geo.core import snapshot
from geo.core.atomic import write_text
from geo.core.paths import ROOT

NAMES = ("venues.csv", "places.csv", "articles.csv", "meetings.csv")


def generation(folder: Path) -> set[str]:
    """Which generation each table belongs to (its first line says it)."""
    return {(folder / n).read_text().splitlines()[0] for n in NAMES}


def files_of(gen: str) -> dict[str, bytes]:
    return {n: f"{gen}\n{n} row\n".encode() for n in NAMES}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for n, data in files_of("old").items():
        (d / n).write_bytes(data)
    return d


def test_publish_replaces_every_file_and_leaves_nothing_behind(folder):
    snapshot.publish(folder, files_of("new"))
    assert generation(folder) == {"new"}
    assert sorted(p.name for p in folder.iterdir()) == sorted([*NAMES, snapshot.LOCK])
    for n in NAMES:
        assert stat.S_IMODE((folder / n).stat().st_mode) == 0o644


def test_single_file_writes_are_readable_by_everyone(tmp_path):
    write_text(tmp_path / "t.csv", "a\n")
    assert stat.S_IMODE((tmp_path / "t.csv").stat().st_mode) == 0o644


KILLER = killer(
    """
    from geo.core import snapshot
    gen = "new"
    snapshot.publish(sys.argv[1], {n: f"{gen}\\n{n} row\\n".encode() for n in sys.argv[3].split(",")})
    print("finished")
    """,
    budget_arg=2,
)


@pytest.mark.slow
def test_a_kill_at_any_step_leaves_one_whole_snapshot(tmp_path):
    """SIGKILL at the k-th rename or fsync of a publish, for every k until one finishes."""
    seen = set()
    for k in range(200):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        for n, data in files_of("old").items():
            (folder / n).write_bytes(data)
        run = subprocess.run(
            [sys.executable, "-c", KILLER, str(folder), str(k), ",".join(NAMES)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        finished = "finished" in run.stdout
        assert finished or run.returncode == -signal.SIGKILL, run.stderr
        with snapshot.reading(folder):  # what the app does before it loads
            gen = generation(folder)
        assert gen in ({"old"}, {"new"}), f"kill at step {k}: mixed snapshot {gen}"
        seen.add(gen.pop())
        assert not [p for p in folder.iterdir() if p.name.startswith(snapshot.STAGING_PREFIX)]
        assert not (folder / snapshot.JOURNAL).exists()
        if finished:
            break
    else:
        pytest.fail("the publish never finished")
    assert seen == {"old", "new"} and k > len(NAMES)  # kills before and after the commit point


def test_interrupted_before_commit_is_cleaned_and_old_tables_stand(folder, monkeypatch):
    real = snapshot.write_bytes

    def fail_on_journal(path, data):
        if Path(path).name == snapshot.JOURNAL:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(snapshot, "write_bytes", fail_on_journal)
    with pytest.raises(OSError):
        snapshot.publish(folder, files_of("new"))
    assert generation(folder) == {"old"}
    assert not [p for p in folder.iterdir() if p.name.startswith(snapshot.STAGING_PREFIX)]


def test_interrupted_after_commit_rolls_forward(folder, monkeypatch):
    real = os.replace
    calls = {"n": 0}

    def crash_after_two(src, dst):
        if Path(dst).parent == folder and snapshot.STAGING_PREFIX in str(src):  # a staged table into place
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt  # the process stops between two renames
        real(src, dst)

    monkeypatch.setattr(os, "replace", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        snapshot.publish(folder, files_of("new"))
    monkeypatch.setattr(os, "replace", real)
    assert snapshot.pending(folder)
    assert snapshot.recover(folder) == "rolled forward"
    assert generation(folder) == {"new"} and not snapshot.pending(folder)


def test_old_temp_files_and_staging_are_cleaned_young_ones_kept(folder):
    (folder / ".staging-abc").mkdir()
    old_tmp = folder / ".meetings.csv.x1.tmp"
    young_tmp = folder / ".venues.csv.x2.tmp"
    old_tmp.write_text("half")
    young_tmp.write_text("half")
    past = time.time() - 3600
    os.utime(old_tmp, (past, past))
    assert snapshot.recover(folder) == "cleaned"
    assert not old_tmp.exists() and not (folder / ".staging-abc").exists()
    assert young_tmp.exists()  # may belong to a write still under way


def test_publish_waits_for_readers(folder):
    order = []
    with snapshot.reading(folder):
        t = threading.Thread(target=lambda: (snapshot.publish(folder, files_of("new")), order.append("published")))
        t.start()
        time.sleep(0.3)
        order.append("read")
        assert generation(folder) == {"old"}
    t.join(10)
    assert order == ["read", "published"] and generation(folder) == {"new"}


def test_recover_leaves_a_publish_under_way_alone(folder):
    (folder / ".staging-busy").mkdir()
    with snapshot._lock(folder, exclusive=True):
        assert snapshot.recover(folder) == "busy"
    assert (folder / ".staging-busy").exists()


# --- the build ----------------------------------------------------------------------------------


def _corpus(tmp_path: Path, text: str) -> Path:
    c = tmp_path / "corpus"
    c.mkdir(exist_ok=True)
    (c / "a.txt").write_text(text, encoding="utf-8")
    return c


MEETING = (
    "title: Ministers meet\ndate: 2023-05-04\n\nThe foreign ministers of Armenia and Azerbaijan, "
    "Mirzoyan and Bayramov, met in Geneva on Thursday.\n"
)
NOTHING = "title: Weather\ndate: 2023-05-04\n\nRain is expected across the region this weekend.\n"


def test_a_build_that_would_empty_the_map_stops(tmp_path, data_dir, capsys):
    from geo.cli import main

    assert main(["build", str(_corpus(tmp_path, MEETING)), "--data", str(data_dir)]) == 0
    before = (data_dir / "meetings.csv").read_bytes()
    assert before.count(b"\n") > 1
    capsys.readouterr()
    assert main(["build", str(_corpus(tmp_path, NOTHING)), "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "meetings.csv: the build would replace its 1 rows with none" in err and "--allow-empty" in err
    assert (data_dir / "meetings.csv").read_bytes() == before
    assert main(["build", str(_corpus(tmp_path, NOTHING)), "--data", str(data_dir), "--allow-empty"]) == 0
    assert (data_dir / "meetings.csv").read_bytes().count(b"\n") == 1
