"""Publish several files of a folder as one snapshot: all of them or none, even across a kill.

A build replaces venues.csv, places.csv, articles.csv, the report and meetings.csv together.
Replacing them one by one is not enough: killed between two replacements, the folder holds a
new venue table beside an old meeting table. So publishing goes like a database commit:

1. every new file is written, fsynced, into a staging folder ``.staging-<token>/`` beside them;
2. the journal ``.publish`` (the list of files and the token) is written atomically — the
   commit point;
3. each staged file is renamed over its target, then the folder is fsynced;
4. the journal and the staging folder are removed.

:func:`recover` runs before every build and every load: with a journal it finishes step 3–4
(roll forward: the new snapshot); without one it removes staging folders and temp files left
by a kill (the old snapshot stands). A lock file (``.publish.lock``, flock) keeps the steps apart:
a publish holds it exclusively,
readers (:func:`reading`) hold it shared while they read the tables, and recovery only cleans
up when nobody holds it — so a reader never sees half a snapshot, and never removes the
staging files of a publish still under way.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from geo.core.atomic import WriteError, check_target, fsync_dir, write_bytes

JOURNAL = ".publish"
LOCK = ".publish.lock"
STAGING_PREFIX = ".staging-"


@contextmanager
def _lock(folder: Path, exclusive: bool, wait: bool = True) -> Iterator[bool]:
    """flock on the folder's lock file; yields False when ``wait`` is off and it is taken.
    A folder we cannot write to cannot be published to either: no lock is needed (True)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield True
        return
    try:
        flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def reading(folder: Path | str) -> Iterator[None]:
    """Hold while reading the tables of ``folder``: an interrupted publish is finished first,
    and no publish replaces files until the block ends."""
    folder = Path(folder)
    recover(folder)
    if not folder.is_dir():
        yield
        return
    with _lock(folder, exclusive=False):
        yield


def publish(folder: Path | str, files: Mapping[str, bytes]) -> None:
    """Replace ``files`` (name -> content) in ``folder`` as one snapshot. A table the catalogue
    declares columnar (geo.core.tables) gets its Parquet copy made from the same bytes and
    published in the same snapshot (geo.core.columnar)."""
    from geo.core import columnar

    folder = Path(folder)
    files = {**files, **columnar.copies_for(files)}
    for name in files:
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"publish: {name!r} is not a plain file name")
        check_target(folder / name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot write to {folder}: {exc.strerror}") from exc
    with _lock(folder, exclusive=True):
        _recover(folder)
        token = secrets.token_hex(6)
        staging = folder / f"{STAGING_PREFIX}{token}"
        try:
            _mkdir(staging)
            for name, data in files.items():
                write_bytes(staging / name, data)
            fsync_dir(staging)
            write_bytes(folder / JOURNAL, json.dumps({"token": token, "files": sorted(files)}).encode("utf-8"))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # not committed: the old snapshot stands
            raise
        _roll_forward(folder)


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir()
    except OSError as exc:
        raise WriteError(f"cannot write to {folder.parent}: {exc.strerror}") from exc


def recover(folder: Path | str) -> str:
    """Finish or undo a publish that was interrupted. Returns what was done: 'rolled forward',
    'cleaned', 'busy' (a publish is under way: nothing touched) or '' (nothing to do)."""
    folder = Path(folder)
    if not folder.is_dir() or not ((folder / JOURNAL).exists() or any(_leftover(p) for p in folder.iterdir())):
        return ""
    with _lock(folder, exclusive=True, wait=False) as got:
        return _recover(folder) if got else "busy"


def _recover(folder: Path) -> str:
    if (folder / JOURNAL).exists():
        _roll_forward(folder)
        return "rolled forward"
    leftovers = [p for p in folder.iterdir() if _leftover(p)]
    for p in leftovers:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return "cleaned" if leftovers else ""


TEMP_AGE = 60  # seconds: a younger temp file may belong to a single-file write still under way


def _leftover(p: Path) -> bool:
    """A staging folder, or a temp file of geo.core.atomic (``.NAME.XXXX.tmp``) left by a kill."""
    if p.name.startswith(STAGING_PREFIX):
        return True
    if p.name.startswith(".") and p.name.endswith(".tmp"):
        try:
            return time.time() - p.stat().st_mtime > TEMP_AGE
        except OSError:
            return False
    return False


def pending(folder: Path | str) -> bool:
    """Is a publish under way (or interrupted) in ``folder``?"""
    return (Path(folder) / JOURNAL).exists()


def _roll_forward(folder: Path) -> None:
    journal = folder / JOURNAL
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        staging = folder / f"{STAGING_PREFIX}{entry['token']}"
        names = list(entry["files"])
    except FileNotFoundError:
        return  # another process finished it
    except (ValueError, KeyError, TypeError) as exc:
        raise WriteError(f"{journal}: unreadable publish journal ({exc}); remove it to keep the old tables") from None
    for name in names:
        try:
            os.replace(staging / name, folder / name)
        except FileNotFoundError:
            if not (folder / name).exists():
                raise WriteError(f"{folder / name}: missing from the interrupted publish in {staging}") from None
        except OSError as exc:
            raise WriteError(f"cannot publish {folder / name}: {exc.strerror}") from exc
    fsync_dir(folder)
    journal.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    fsync_dir(folder)


__all__ = ["publish", "recover", "reading", "pending", "JOURNAL"]
