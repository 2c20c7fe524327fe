"""The analysts' decision store: an append-only journal of decisions in a database.

Every decision an analyst takes (accept, reject, edit, add — see :mod:`geo.meetings.curation`)
is one row of the journal, with its time (ISO 8601 UTC), the analyst's name and where they read
it (``source_url``). Nothing is ever deleted or changed: an **undo** is itself a row (action
``undo``, ``undoes`` = the seq it cancels), and a later decision on the same thing (the same
candidate's verdict, or the same field of an edit) supersedes the earlier one. The *effective*
decisions (:meth:`Journal.decisions`) are the latest live decision of each kind: what
:func:`geo.meetings.curation.apply` applies.

The store is an embedded SQLite database in WAL mode, ``data/atlas.sqlite`` by default (created
on first use), or any SQLAlchemy URL (``TALKS_ATLAS_STORE``, ``--store URL``): the same code runs
on PostgreSQL (``postgresql+psycopg://...``).

``data/curation.csv`` stays the reviewable export:

- a fresh store **imports** it once (its rows become the first decisions, by the analyst the row
  names or ``curation.csv``); the file is not rewritten by that, so a fresh clone builds exactly
  the tables it built before;
- after each recorded decision it is **re-exported** (one atomic write of the effective
  decisions, with the analyst, time and source_url columns), under a file lock, so concurrent
  writers never leave a stale export;
- a **hand edit** of the file (or a ``git pull`` of a teammate's export) is noticed by its
  checksum and applied to the journal, never lost either way. It is compared with this folder's
  last export (the effective decisions up to the journal row that ``.atlas-export.json`` beside
  it records, with the file's checksum): a row added or changed by hand is
  recorded as a decision by analyst ``curation.csv``; a row deleted by hand is recorded as an
  ``undo`` by ``curation.csv`` (the decision stays in the journal, and ``python -m geo curation
  undo SEQ`` brings it back). A row as it was exported is never taken as a new decision, so a
  folder behind a shared store (decisions taken from another checkout) only catches up. Each
  change is reported as a warning naming the row or the decision; the file is then re-exported;
- a deleted ``curation.csv`` is written again from the journal (deleting the file cancels
  nothing), with a warning.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import functools
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from geo.core import atomic
from geo.core.errors import DataError, Problem, TalksAtlasError
from geo.core.paths import DATA, display
from geo.core.schema import load_curation, validate_curation
from geo.core.tables import CURATION, CURATION_ACTIONS, MEDIATORS, CurationRow

STORE_ENV = "TALKS_ATLAS_STORE"
STORE_NAME = "atlas.sqlite"
LOCK_NAME = ".atlas.lock"  # beside curation.csv: one writer at a time records and exports
EXPORT_STATE = ".atlas-export.json"  # beside curation.csv: the last export from this folder (the base of a hand edit)
IMPORTER = "curation.csv"  # the analyst name of decisions that came from the file
UNDO = "undo"
FIELDS = ("id", "action", "field", "value", "note", "source_url")  # what a decision says
REQUIRED_FOR_ADD = ("date", "venue", "mediators", "level", "format", "status", "evidence")


class StoreError(TalksAtlasError):
    """The decision store cannot be opened or written (bad URL, server down, disk full...)."""


@dataclass(frozen=True)
class Entry:
    """One journal row."""

    seq: int
    time: str  # ISO 8601 UTC, e.g. 2026-11-23T19:45:00Z
    analyst: str
    id: str
    action: str  # accept, reject, edit, add, or undo
    field: str
    value: str
    note: str
    source_url: str
    undoes: int | None  # for action == "undo": the seq it cancels
    group: int = 0  # the seq of the first entry recorded with it (one record_many call)

    def describe(self) -> str:
        what = f"{self.action} {self.field}={self.value!r}" if self.field else self.action
        if self.action == UNDO:
            what = f"undo of #{self.undoes}"
        return f"#{self.seq} {self.time} {self.analyst}: {self.id} {what}".rstrip()


def default_url(data_dir: Path | str | None = None) -> str:
    """``TALKS_ATLAS_STORE``, else the SQLite file ``atlas.sqlite`` in ``data_dir``."""
    return os.environ.get(STORE_ENV) or sqlite_url(data_dir)


def sqlite_url(data_dir: Path | str | None = None) -> str:
    """The SQLite store of a data folder: ``atlas.sqlite`` in it."""
    return f"sqlite:///{Path(data_dir or DATA).resolve() / STORE_NAME}"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def read_decisions(
    data_dir: Path | str, url: str | None = None, mediators: set[str] | None = None
) -> tuple[list[CurationRow], list[Problem]]:
    """The effective decisions of the store for ``data_dir`` (syncing its curation.csv first)
    and the warnings that sync gave: what a build applies. A store not yet created (a fresh
    clone) is not created here: its decisions are the rows of curation.csv, exactly what it will
    import on first use, so a build of a fresh clone writes nothing but its tables."""
    url = url or default_url(data_dir)
    if not exists(url):
        return load_curation(Path(data_dir) / CURATION.name, mediators), []
    journal = Journal(url, data_dir=Path(data_dir), mediators=mediators)
    decisions = journal.decisions()
    return decisions, list(journal.problems)


def exists(url: str) -> bool:
    """Whether the store at ``url`` has been created and has imported its curation.csv
    (looked at without creating anything: no SQLite file is made by asking)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    with contextlib.suppress(ArgumentError):  # a bad URL is reported by _engine below
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).is_file()):
            return False
    with _db_errors(url), _engine(url).connect() as conn, conn.begin():  # a server down is an error
        if not inspect(conn).has_table(_tables().meta.name):
            return False
        return _meta(conn).get("imported") == "1"


class Journal:
    """The journal of one store, exported to ``data_dir/curation.csv``. See the module docstring."""

    def __init__(
        self, url: str | None = None, *, data_dir: Path | None = None, mediators: set[str] | None = None
    ) -> None:
        self.data_dir = Path(data_dir or DATA)
        self.url = url or default_url(self.data_dir)
        self.csv_path = self.data_dir / CURATION.name
        self.shown = display(self.csv_path)
        self._mediators = mediators
        self.data_dir.mkdir(parents=True, exist_ok=True)  # where curation.csv is exported
        self.problems: list[Problem] = []  # warnings of the syncs with curation.csv so far
        self._engine = _engine(self.url)
        self._sync()

    # ---- reading -------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """The whole journal, in order."""
        with self._read() as conn:
            return _entries(conn)

    def version(self) -> int:
        """The last seq (0 for an empty journal): changes with every recorded decision."""
        from sqlalchemy import func, select

        with self._read() as conn:
            return conn.execute(select(func.coalesce(func.max(_tables().decisions.c.seq), 0))).scalar_one()

    def decisions(self) -> list[CurationRow]:
        """The effective decisions (undone and superseded ones skipped), numbered as the rows of
        the exported curation.csv: what :func:`geo.meetings.curation.apply` expects."""
        self._sync()
        return [_row(e, i) for i, e in enumerate(effective(self.entries()), start=2)]

    # ---- writing -------------------------------------------------------------------------

    def record(
        self,
        *,
        analyst: str,
        id: str,
        action: str,
        field: str = "",
        value: str = "",
        note: str = "",
        source_url: str = "",
    ) -> Entry:
        """Record one decision (checked like a row of curation.csv: a DataError names the bad
        field) and re-export curation.csv."""
        one = {"id": id, "action": action, "field": field, "value": value, "note": note, "source_url": source_url}
        return self.record_many([one], analyst=analyst)[0]

    def record_many(self, decisions: Sequence[dict], *, analyst: str) -> list[Entry]:
        """Record several decisions as one group, in one transaction (an edit of several fields,
        or every field of an add): all or none. Then re-export curation.csv."""
        rows = self._checked(decisions, analyst)
        with self._writing() as conn:
            self._sync_locked(conn)
            self._check_adds(rows, lambda: _entries(conn))
            entries = _append(conn, [(analyst.strip(), r, None) for r in rows])
        return entries

    def undo_last(self, analyst: str) -> Entry | None:
        """Cancel ``analyst``'s last decision group still in effect (one undo row per decision
        of the group). None when the analyst has nothing left to undo."""
        analyst = _checked_analyst(analyst)
        with self._writing() as conn:
            self._sync_locked(conn)
            journal = _entries(conn)
            alive = live(journal)
            mine = [e for e in journal if e.analyst == analyst and e.action != UNDO and e.seq in alive]
            if not mine:
                return None
            group = [e for e in mine if e.group == mine[-1].group]
            entries = _append(conn, [(analyst, _undo_row(e), e.seq) for e in group])
        return entries[0]

    def undo(self, seq: int, analyst: str) -> Entry:
        """Cancel the journal row ``seq`` (an undo of an undo brings its decision back)."""
        analyst = _checked_analyst(analyst)
        with self._writing() as conn:
            self._sync_locked(conn)
            journal = {e.seq: e for e in _entries(conn)}
            target = journal.get(seq)
            if target is None:
                raise DataError(Problem("decision store", f"no journal row #{seq}", None, "seq"))
            if seq not in live(list(journal.values())):
                raise DataError(Problem("decision store", f"#{seq} is already undone", None, "seq"))
            entry = _append(conn, [(analyst, _undo_row(target), seq)])[0]
        return entry

    def export_csv(self, path: Path | None = None) -> Path:
        """Write the effective decisions as curation.csv (atomically): to ``path``, or to the
        data folder's curation.csv (under the lock, remembered as this folder's export)."""
        if path is not None and Path(path).resolve() != self.csv_path.resolve():
            atomic.write_text(path, export_text(self.entries()))
            return Path(path)
        with self._locked(), self._read() as conn:
            self._export(conn)
        return self.csv_path

    # ---- curation.csv --------------------------------------------------------------------

    def _sync(self) -> None:
        """Import curation.csv into a fresh store; record a hand edit of it; write it again when
        it is behind the journal (a crash between a decision and its export, or decisions taken
        from another folder on a shared store). Cheap when nothing changed."""
        if self._in_step():
            return
        with self._writing() as conn:
            self._sync_locked(conn)

    def _in_step(self) -> bool:
        try:
            with self._read() as conn:
                imported = _meta(conn).get("imported") == "1"
                at = _at(conn)
        except StoreError:
            _READY.discard(self.url)  # no tables (yet, or dropped): create them
            return False
        state = self._state()
        return imported and state is not None and (state["sha"], state["at"]) == (_sha(self.csv_path), at)

    def _sync_locked(self, conn) -> None:
        """Under the lock, in a write transaction: import into a fresh store, or record a hand
        edit. (The export that follows, when needed, is :meth:`_writing`'s.)"""
        if _meta(conn).get("imported") != "1":
            self._import(conn)
            return
        state = self._state()
        sha = _sha(self.csv_path)
        if sha == "":
            if state is not None and state["sha"] != "":
                self.problems.append(
                    Problem(
                        self.shown,
                        "the file is gone: written again from the decision store (deleting it cancels no "
                        "decision; 'python -m geo curation undo SEQ' does)",
                        severity="warning",
                    )
                )
        elif state is None or sha != state["sha"]:
            self._apply_hand_edit(conn, int(state["at"] or 0) if state else None)

    def _import(self, conn) -> None:
        rows = load_curation(self.csv_path, self.mediators())
        if rows:
            _append(conn, [(r.analyst or IMPORTER, r, None) for r in rows], times=[r.time for r in rows], group=True)
        _set_meta(conn, imported="1")
        # the file as it is (or its absence): the base its next hand edit is compared with
        self._save_state(self.csv_path.read_bytes() if self.csv_path.is_file() else None, _at(conn))

    def _apply_hand_edit(self, conn, exported_at: int | None) -> None:
        """Compare the file with the last export from this folder (the effective decisions up to
        journal row ``exported_at``; without one, with everything the journal ever held): rows
        added or changed by hand are recorded as decisions by ``curation.csv``; rows deleted by
        hand as undos of their decisions. A row as it was exported is never taken as a decision
        again, so a stale or teammate's file cannot bring back a decision superseded since."""
        rows = load_curation(self.csv_path, self.mediators())
        entries = _entries(conn)
        current = {key(e): e for e in effective(entries)}
        base = None
        if exported_at is not None:
            base = {key(e): _content(e) for e in effective([e for e in entries if e.seq <= exported_at])}
        ever = {(key(e), _content(e)) for e in entries if e.action != UNDO}
        for r in rows:
            k = key(r)
            unedited = base.get(k) == _content(r) if base is not None else (k, _content(r)) in ever
            e = current.get(k)
            if unedited or (e is not None and _content(e) == _content(r)):
                continue
            got = _append(conn, [(r.analyst or IMPORTER, r, None)], times=[r.time])[0]
            self.problems.append(
                Problem(
                    self.shown,
                    f"edited by hand: recorded in the decision store as #{got.seq} ({r.action} "
                    f"{r.field or ''}) by {IMPORTER!r}".replace(" )", ")"),
                    r.row,
                    "id",
                    "warning",
                )
            )
        in_file = {key(r) for r in rows}
        for k, was in (base or {}).items():
            e = current.get(k)
            if k in in_file or e is None or _content(e) != was:
                continue  # still there, or superseded or undone since: nothing to cancel
            got = _append(conn, [(IMPORTER, _undo_row(e), e.seq)])[0]
            self.problems.append(
                Problem(
                    self.shown,
                    f"decision {e.describe()} was deleted from the file by hand: cancelled in the decision store "
                    f"as #{got.seq} (kept in its journal; 'python -m geo curation undo {got.seq}' brings it back)",
                    None,
                    "id",
                    "warning",
                )
            )

    def _export(self, conn) -> None:
        """Write curation.csv from the journal (under the lock), and remember it as this folder's export."""
        for left in self.data_dir.glob(f".{CURATION.name}.*.tmp"):  # an export killed half-way
            left.unlink(missing_ok=True)
        text = export_text(_entries(conn)).encode("utf-8")
        atomic.write_bytes(self.csv_path, text)
        self._save_state(text, _at(conn))

    def _state(self) -> dict | None:
        """This folder's last export from this store: its checksum and journal position (the
        export itself is the effective decisions up to that row)."""
        try:
            state = json.loads((self.data_dir / EXPORT_STATE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # unreadable: as if never exported (no deletion is inferred)
        if not isinstance(state, dict) or state.get("store") != _safe(self.url):
            return None  # an export from another store
        return state

    def _save_state(self, data: bytes | None, at: str) -> None:
        """Remember ``data`` (None: no file) as this folder's export of the journal up to ``at``."""
        sha = hashlib.sha256(data).hexdigest() if data is not None else ""
        state = {"store": _safe(self.url), "at": at, "sha": sha}
        atomic.write_text(self.data_dir / EXPORT_STATE, json.dumps(state))

    def mediators(self) -> set[str] | None:
        """The mediators decisions may name (the data folder's mediators.csv), when known."""
        if self._mediators is None and (self.data_dir / MEDIATORS.name).is_file():
            from geo.meetings.lexicon import load_lexicon

            self._mediators = set(load_lexicon(self.data_dir).mediators)
        return self._mediators

    # ---- checks ----------------------------------------------------------------------------

    def _checked(self, decisions: Sequence[dict], analyst: str) -> list[CurationRow]:
        shown = "decision"
        problems = []
        if not (analyst or "").strip():
            problems.append(Problem(shown, "an analyst name is required", None, "analyst"))
        if not decisions:
            problems.append(Problem(shown, "no decision given", None, "id"))
        rows = []
        for n, d in enumerate(decisions, start=1):
            row = n if len(decisions) > 1 else None
            unknown = sorted(set(d) - set(FIELDS))
            for name in unknown:
                problems.append(Problem(shown, f"unknown key (one of: {', '.join(FIELDS)})", row, name))
            cells = {name: str(d.get(name) or "").strip() for name in FIELDS}
            if not cells["id"]:
                problems.append(Problem(shown, "is empty (required: the candidate or meeting id)", row, "id"))
            if cells["action"] not in CURATION_ACTIONS:
                problems.append(
                    Problem(shown, f"{cells['action']!r} is not one of {', '.join(CURATION_ACTIONS)}", row, "action")
                )
            rows.append(CurationRow(row, **cells))
        problems += validate_curation([r for r in rows if r.action in CURATION_ACTIONS], shown, self.mediators())
        if problems:
            raise DataError(problems, "nothing was recorded")
        return rows

    def _check_adds(self, rows: list[CurationRow], journal: Callable[[], list[Entry]]) -> None:
        """An added meeting must have its required fields once this group is recorded."""
        if not any(r.action == "add" for r in rows):
            return
        fields: dict[str, set[str]] = {}
        for e in effective(journal()):
            if e.action == "add" and e.value:
                fields.setdefault(e.id, set()).add(e.field)
        problems = []
        for mid in dict.fromkeys(r.id for r in rows if r.action == "add"):
            have = fields.get(mid, set()) | {r.field for r in rows if r.id == mid and r.action == "add" and r.value}
            missing = [f for f in REQUIRED_FOR_ADD if f not in have]
            if missing:
                problems.append(
                    Problem(
                        "decision",
                        f"added meeting {mid!r} lacks {', '.join(missing)} (record every field of an add together)",
                        None,
                        missing[0],
                    )
                )
        if problems:
            raise DataError(problems, "nothing was recorded")

    # ---- transactions and the lock -------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The file lock beside curation.csv: one process (and thread) at a time records and exports."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with _thread_lock(str(self.data_dir.resolve())), open(self.data_dir / LOCK_NAME, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _writing(self) -> Iterator:
        """Lock, then one write transaction (the tables created on first use); once it is
        committed, curation.csv is exported again if the journal moved, still under the lock, so
        the last writer's export shows every decision."""
        with self._locked():
            with self._write() as conn:
                if self.url not in _READY:
                    _tables().metadata.create_all(conn)
                yield conn
            _READY.add(self.url)
            with self._read() as conn:
                state = self._state()
                behind = state is None or (state["at"], state["sha"]) != (_at(conn), _sha(self.csv_path))
                if behind and _meta(conn).get("imported") == "1":
                    self._export(conn)

    @contextlib.contextmanager
    def _write(self) -> Iterator:
        with _db_errors(self.url), self._engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7262013)")  # one writer across machines
                yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator:
        with _db_errors(self.url), self._engine.connect() as conn, conn.begin():
            yield conn


# ---- the effective decisions ----------------------------------------------------------------


def live(entries: Sequence[Entry]) -> set[int]:
    """The seqs still in effect: not cancelled by an undo that is itself in effect."""
    cancelled: set[int] = set()
    alive: set[int] = set()
    for e in sorted(entries, key=lambda e: e.seq, reverse=True):  # an undo always points back
        if e.seq in cancelled:
            continue
        alive.add(e.seq)
        if e.action == UNDO and e.undoes is not None:
            cancelled.add(e.undoes)
    return alive


def key(d: Entry | CurationRow) -> tuple[str, str, str]:
    """What a decision decides: a candidate's verdict, or one field of an edit or an add."""
    return (d.id, "verdict" if d.action in ("accept", "reject") else d.action, d.field)


def effective(entries: Sequence[Entry]) -> list[Entry]:
    """The latest live decision of each key, in the order they were recorded."""
    alive = live(entries)
    latest: dict[tuple[str, str, str], Entry] = {}
    for e in entries:
        if e.action != UNDO and e.seq in alive:
            latest[key(e)] = e
    return sorted(latest.values(), key=lambda e: e.seq)


def export_text(entries: Sequence[Entry]) -> str:
    """curation.csv as the export of the journal: the effective decisions, every column (as
    geo.core.atomic.csv_text writes a table)."""
    columns = CURATION.names  # each one an attribute of Entry
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_row(e, 0).__getattribute__(c) for c in columns] for e in effective(entries))
    return buf.getvalue()


def _row(e: Entry, row: int) -> CurationRow:
    return CurationRow(row, e.id, e.action, e.field, e.value, e.note, _named(e.analyst), e.time, e.source_url)


def _named(analyst: str) -> str:
    """The analyst a decision is credited to: a row written by hand in curation.csv names nobody
    (the journal keeps 'curation.csv' as where it came from)."""
    return "" if analyst == IMPORTER else analyst


def _content(d: Entry | CurationRow) -> tuple[str, str, str, str]:
    """What a decision says about its key (who and when do not count)."""
    return (d.action, d.value, d.note, d.source_url)


def _undo_row(e: Entry) -> CurationRow:
    return CurationRow(0, e.id, UNDO, e.field, "", "")


def _checked_analyst(analyst: str) -> str:
    if not (analyst or "").strip():
        raise DataError(Problem("decision", "an analyst name is required", None, "analyst"))
    return analyst.strip()


def _sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


# ---- the database ----------------------------------------------------------------------------


@functools.cache
def _tables():
    from types import SimpleNamespace

    from sqlalchemy import Column, Integer, MetaData, Table, Text

    metadata = MetaData()
    decisions = Table(
        "decisions",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("grp", Integer, nullable=False),
        Column("time", Text, nullable=False),
        Column("analyst", Text, nullable=False),
        Column("id", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("field", Text, nullable=False),
        Column("value", Text, nullable=False),
        Column("note", Text, nullable=False),
        Column("source_url", Text, nullable=False),
        Column("undoes", Integer, nullable=True),
    )
    meta = Table("journal_meta", metadata, Column("key", Text, primary_key=True), Column("value", Text, nullable=False))
    return SimpleNamespace(metadata=metadata, decisions=decisions, meta=meta)


def _entries(conn) -> list[Entry]:
    from sqlalchemy import select

    d = _tables().decisions
    columns = (d.c.seq, d.c.time, d.c.analyst, d.c.id, d.c.action, d.c.field, d.c.value, d.c.note, d.c.source_url)
    rows = conn.execute(select(*columns, d.c.undoes, d.c.grp).order_by(d.c.seq)).all()
    return [Entry(*r) for r in rows]


def _at(conn) -> str:
    """The last seq as text ('' for an empty journal): which journal state an export shows."""
    from sqlalchemy import select

    d = _tables().decisions
    got = conn.execute(select(d.c.seq).order_by(d.c.seq.desc())).first()
    return str(got[0]) if got else ""


def _append(
    conn, rows: list[tuple[str, CurationRow, int | None]], times: list[str] | None = None, group: bool = False
) -> list[Entry]:
    """Insert rows (analyst, decision, undoes) as one group (or, with ``group``, each its own
    group: an import). The caller holds the write lock, so seqs follow the last one."""
    from sqlalchemy import func, insert, select

    d = _tables().decisions
    first = conn.execute(select(func.coalesce(func.max(d.c.seq), 0))).scalar_one() + 1
    stamp = now()
    entries = [
        Entry(
            first + i,
            (times[i] if times is not None else stamp),  # a row from the file keeps its own time (or none)
            analyst,
            r.id,
            r.action,
            r.field,
            r.value,
            r.note,
            r.source_url,
            undoes,
            first + i if group else first,
        )
        for i, (analyst, r, undoes) in enumerate(rows)
    ]
    conn.execute(
        insert(d),
        [
            {
                "seq": e.seq,
                "grp": e.group,
                "time": e.time,
                "analyst": e.analyst,
                "id": e.id,
                "action": e.action,
                "field": e.field,
                "value": e.value,
                "note": e.note,
                "source_url": e.source_url,
                "undoes": e.undoes,
            }
            for e in entries
        ],
    )
    return entries


def _meta(conn) -> dict[str, str]:
    from sqlalchemy import select

    m = _tables().meta
    return dict(conn.execute(select(m.c.key, m.c.value)).all())


def _set_meta(conn, **values: str) -> None:
    from sqlalchemy import delete, insert

    m = _tables().meta
    conn.execute(delete(m).where(m.c.key.in_(list(values))))
    conn.execute(insert(m), [{"key": k, "value": v} for k, v in values.items()])


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(name: str) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(name, threading.Lock())


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL at all: never echo it (it may hold a password)
        return "(the URL given)"


@contextlib.contextmanager
def _db_errors(url: str) -> Iterator[None]:
    """Database failures as a StoreError naming the store (never its password)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"decision store {_safe(url)}: {reason}") from exc


_ENGINES: dict[str, object] = {}
_READY: set[str] = set()  # stores whose tables this process has seen created
_ENGINES_GUARD = threading.Lock()


def _engine(url: str):
    """One engine (connection pool) per store URL and process."""
    with _ENGINES_GUARD:
        if url not in _ENGINES:
            _ENGINES[url] = _new_engine(url)
        return _ENGINES[url]


def _new_engine(url: str):
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
        # two connections kept open (closing the last one checkpoints the WAL: slow), more on demand
        engine = create_engine(parsed, connect_args={"timeout": 60}, pool_size=2, max_overflow=20)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StoreError(
            f"decision store {_safe(url)}: not a database URL this app can open ({exc}); "
            f"give e.g. sqlite:///data/{STORE_NAME} or postgresql+psycopg://user@host/db ({STORE_ENV}, --store)"
        ) from exc
    except OSError as exc:
        raise StoreError(f"decision store {_safe(url)}: {exc.strerror or exc}") from exc

    @event.listens_for(engine, "connect")
    def _wal(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, as SQLite should
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA busy_timeout=60000")

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # a writer takes the write lock at once (no deadlock upgrading a read); readers never block
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def _forget_engines() -> None:
    """After a fork the child opens its own connections (a connection must not cross a fork)."""
    for engine in _ENGINES.values():
        engine.dispose(close=False)
    _READY.clear()


os.register_at_fork(after_in_child=_forget_engines)
