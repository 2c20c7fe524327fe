"""The Review page's Streamlit glue: the queue read once per data and journal version, and a
decision recorded in the journal, then published (geo.publish.build.recurate) so every page
shows it on its next run.

A decision is recorded and published together: when the publish refuses it (the build's checks),
the decision is undone in the journal and the page shows why, so the journal and the tables never
disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from geo.core.errors import Problem, TalksAtlasError
from geo.core.tables import CANDIDATES, PARTICIPANTS, read_table
from geo.meetings import review
from geo.meetings.candidates import read_candidates
from geo.meetings.extract import Candidate
from geo.meetings.journal import Journal
from geo.publish.build import recurate
from ui import data

FLASH = "review_flash"  # what the last decision did: (kind, text) shown once
CURRENT = "review_current"  # the candidate on screen (None: the next one in the queue)
SKIPPED = "review_skipped"  # candidates passed over in this session


@dataclass(frozen=True)
class Flash:
    kind: str  # success | error | info
    text: str
    problems: tuple[Problem, ...] = ()


def _stamp(path: Path) -> tuple:
    try:
        s = path.stat()
    except FileNotFoundError:
        return ()
    return (s.st_size, s.st_mtime_ns)


@st.cache_data(show_spinner=False, max_entries=4)
def _candidates(path: str, stamp: tuple) -> list[Candidate] | None:
    return read_candidates(path) if stamp else None


def candidates() -> list[Candidate] | None:
    """The candidates of the last build (None when the build has not written candidates.csv)."""
    path = data.data_dir() / CANDIDATES.name
    return _candidates(str(path), _stamp(path))


@st.cache_data(show_spinner=False, max_entries=4)
def _participants(path: str, stamp: tuple) -> tuple[str, ...]:
    return tuple(r.name for r in read_table(path, PARTICIPANTS)) if stamp else ()


def participants() -> tuple[str, ...]:
    path = data.data_dir() / PARTICIPANTS.name
    return _participants(str(path), _stamp(path))


def journal() -> Journal:
    """The decision journal of the app's data folder (TALKS_ATLAS_STORE, else data/atlas.sqlite)."""
    return Journal(data_dir=data.data_dir())


def flash(kind: str, text: str, problems: list[Problem] | tuple[Problem, ...] = ()) -> None:
    st.session_state[FLASH] = Flash(kind, text, tuple(problems))


def take_flash() -> Flash | None:
    return st.session_state.pop(FLASH, None)


def skipped() -> set[str]:
    return st.session_state.setdefault(SKIPPED, set())


def show(cid: str | None) -> None:
    st.session_state[CURRENT] = cid


def record(rows: list[dict], analyst: str, done: str) -> bool:
    """Record ``rows`` as one decision of ``analyst`` and publish the meetings again; the
    outcome goes to the flash. False (nothing recorded) with the reasons when refused."""
    if not analyst:
        flash("error", "Type your name in the sidebar (Analyst) first: every decision says who took it.")
        return False
    j = journal()
    try:
        entries = j.record_many(rows, analyst=analyst)
    except TalksAtlasError as exc:
        flash("error", "Nothing was recorded.", _problems(exc))
        return False
    try:
        recurate(data.data_dir(), j.url)
    except TalksAtlasError as exc:
        j.undo_last(analyst)  # the tables refused it: the journal must not keep it
        flash("error", "The meetings could not be published with this decision; it was not kept.", _problems(exc))
        return False
    flash("success", f"{done} (recorded as #{entries[0].seq}; press U to undo).")
    return True


def undo(analyst: str) -> str | None:
    """Undo the analyst's last decision and publish; the undone decision's id, or None."""
    if not analyst:
        flash("error", "Type your name in the sidebar (Analyst) first: undo cancels your own last decision.")
        return None
    j = journal()
    try:
        entry = j.undo_last(analyst)
        if entry is None:
            flash("info", "You have no decision left to undo.")
            return None
        recurate(data.data_dir(), j.url)
    except TalksAtlasError as exc:
        flash("error", "The undo could not be published.", _problems(exc))
        return None
    flash("success", f"Undid your last decision on {entry.id} (#{entry.undoes}).")
    return entry.id


def _problems(exc: TalksAtlasError) -> list[Problem]:
    return list(getattr(exc, "problems", ())) or [Problem("decision", str(exc))]


def on_click(fn: Callable[..., None]) -> Callable[..., None]:
    """A button callback run inside the app's guard (callbacks run before the page script)."""
    from ui.guard import guarded_callback

    return guarded_callback("a review decision")(fn)


__all__ = ["review", "record", "undo", "candidates", "participants", "journal", "on_click"]
