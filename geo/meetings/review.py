"""The review queue: every candidate of the last build with its decisions, in the order an
analyst works through them, and the decision rows a review form turns into.

Pure functions, no Streamlit: the Review page (``app_pages/review.py``) draws what these return
and hands the rows to the decision journal; :func:`geo.publish.build.recurate` then publishes
the meetings again.

**Order.** Undecided candidates first, then the decided ones; inside each part the lowest
confidence first (the ones most likely wrong), then by article and id.

**States.** A candidate is ``undecided`` (no decision), ``accepted``, ``edited`` (fields set,
which also marks it reviewed), ``rejected`` or ``merged``.

**Decisions as rows** (the columns of ``curation.csv``: id, action, field, value, note,
source_url):

- accept: ``accept``; reject: ``reject`` (a note says why);
- edit: one ``edit`` row per field the analyst changed (``date`` carries its precision:
  ``2024-07`` is a month), nothing for a field left as it was;
- merge into a meeting: the candidate is rejected with the note ``merged into MEETING_ID`` (it
  is not a meeting of its own), and the kept meeting's first candidate gets an ``edit`` of its
  evidence: the kept meeting's evidence followed by the merged candidate's, so the sentences
  that reported it stay cited on the map. (Merging into a meeting an analyst added edits the
  added meeting's evidence the same way.) The candidate's other fields are dropped: the kept
  meeting's stand. The kept meeting's first candidate counts as edited (reviewed) from then on;
- add a meeting by hand: one ``add`` row per field, under a new id (``added-DATE-VENUE``), with
  a passage of a corpus article as its evidence (every meeting cites an article) and the
  source URL where the analyst read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from geo.core.dates import When, outside_window
from geo.core.errors import Problem
from geo.core.tables import FORMATS, ISO2, LEVELS, STATUSES, CurationRow, split_list
from geo.meetings.candidates import candidate_cells
from geo.meetings.extract import Candidate

STATES = ("undecided", "accepted", "edited", "rejected", "merged")
MERGED = "merged into "  # the note that makes a reject a merge
FORM = "the review form"  # where a form problem is (Problem.path)
FORM_FIELDS = ("date", "venue", "mediators", "host", "level", "format", "participants", "status")
LIST_FIELDS = ("mediators", "participants")


# ---------------------------------------------------------------------------------------------
# The queue


@dataclass(frozen=True)
class Item:
    """One candidate in the queue."""

    candidate: Candidate  # as extracted
    fields: dict[str, str]  # the form's starting values: the candidate's cells with the analyst's edits
    state: str  # one of STATES
    decisions: tuple[CurationRow, ...] = ()  # this candidate's, in the order they were made
    merged_into: str = ""  # the kept meeting's id, when merged
    meeting: str = ""  # the id of the meeting it is part of in meetings.csv ('' when none)

    @property
    def id(self) -> str:
        return self.candidate.id

    @property
    def decided(self) -> bool:
        return self.state != "undecided"


def state_of(decisions: Sequence[CurationRow]) -> tuple[str, str]:
    """(state, kept meeting id when merged) of one candidate's decisions."""
    merged = next((d.note[len(MERGED) :].split(":", 1)[0].strip() for d in decisions if is_merge(d)), "")
    if merged:
        return "merged", merged
    actions = {d.action for d in decisions}
    for action, state in (("reject", "rejected"), ("accept", "accepted"), ("edit", "edited")):
        if action in actions:
            return state, ""
    return "undecided", ""


def is_merge(d: CurationRow) -> bool:
    return d.action == "reject" and d.note.startswith(MERGED)


def queue(
    candidates: Iterable[Candidate], decisions: Iterable[CurationRow], meeting_of: dict[str, str] | None = None
) -> list[Item]:
    """Every candidate with its decisions, in review order (see the module docstring).
    ``meeting_of``: candidate id -> meeting id, from :func:`meetings_by_candidate`."""
    by_id: dict[str, list[CurationRow]] = {}
    for d in decisions:
        by_id.setdefault(d.id, []).append(d)
    items = []
    for c in candidates:
        mine = tuple(by_id.get(c.id, ()))
        state, merged = state_of(mine)
        items.append(Item(c, form_values(c, mine), state, mine, merged, (meeting_of or {}).get(c.id, "")))
    return sorted(items, key=order_key)


def order_key(item: Item) -> tuple:
    return (item.decided, item.candidate.confidence, item.candidate.file, item.id)


def form_values(c: Candidate, decisions: Iterable[CurationRow] = ()) -> dict[str, str]:
    """The candidate's cells as the analyst last left them (a later edit of a field wins)."""
    cells = candidate_cells(c)
    for d in decisions:
        if d.action == "edit" and d.field in cells:
            cells[d.field] = d.value
            if d.field == "date":
                cells["date_precision"] = _precision(d.value)
    return cells


def _iso(text: str) -> str:
    """A date as the tables write it ('2024-7' -> '2024-07'); as typed when it is not a date
    (check_form reports it)."""
    try:
        return When.parse(text).iso()
    except ValueError:
        return text


def _precision(text: str) -> str:
    try:
        return When.parse(text).precision
    except ValueError:
        return ""


def next_item(items: Sequence[Item], skipped: Iterable[str] = ()) -> Item | None:
    """The candidate to show: the first undecided one not skipped in this session, else the first
    undecided one, else None (nothing left to decide)."""
    skipped = set(skipped)
    undecided = [i for i in items if not i.decided]
    return next((i for i in undecided if i.id not in skipped), undecided[0] if undecided else None)


def counts(items: Iterable[Item]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for i in items:
        out[i.state] += 1
    return out


PROVENANCE = re.compile(r"(?:^|\| )candidates (?P<ids>.+?)(?: \(unreviewed\))?$")


def meetings_by_candidate(meetings: Iterable[dict]) -> dict[str, str]:
    """candidate id -> meeting id, from the ``notes`` of meetings.csv rows ("candidates A, B")."""
    out = {}
    for m in meetings:
        found = PROVENANCE.search(m.get("notes") or "")
        for cid in found["ids"].split(", ") if found else ():
            out[cid] = m["id"]
    return out


# ---------------------------------------------------------------------------------------------
# The article around the evidence


@dataclass(frozen=True)
class Excerpt:
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]  # the evidence, relative to ``start``
    cut_before: bool  # text left out before
    cut_after: bool  # and after

    def shift(self, start: int, end: int) -> tuple[int, int]:
        """A span of the article as a span of the excerpt (clipped to it)."""
        return max(start, self.start) - self.start, min(end, self.end) - self.start


def excerpt(text: str, spans: Sequence[tuple[int, int]], margin: int = 400) -> Excerpt:
    """The part of ``text`` around the evidence ``spans``: ``margin`` characters either side,
    widened to the paragraph (or sentence) they start and end in, never past the text. Spans
    outside the text are left out."""
    inside = [(s, e) for s, e in spans if 0 <= s < e <= len(text)]
    if not inside:
        start, end = 0, min(len(text), 2 * margin)
    else:
        first, last = min(s for s, _ in inside), max(e for _, e in inside)
        start = _boundary_before(text, max(0, first - margin), first)
        end = _boundary_after(text, min(len(text), last + margin), last)
    rel = tuple((s - start, e - start) for s, e in inside)
    return Excerpt(start, end, rel, start > 0, end < len(text))


def _boundary_before(text: str, lo: int, at: int) -> int:
    """The start of the paragraph (else the sentence, else ``lo``) that holds ``lo``, if it lies
    between ``lo - 200`` and ``at``."""
    para = text.rfind("\n", max(0, lo - 200), lo + 1)
    if para != -1:
        return para + 1
    sent = max(text.rfind(". ", max(0, lo - 200), lo + 1), -1)
    return sent + 2 if sent != -1 and sent + 2 <= at else (0 if lo < 200 else lo)


def _boundary_after(text: str, hi: int, at: int) -> int:
    """The end of the paragraph (else the sentence, else ``hi``) that holds ``hi``."""
    para = text.find("\n", hi, hi + 200)
    if para != -1:
        return para
    sent = text.find(". ", hi, hi + 200)
    if sent != -1 and sent >= at:
        return sent + 1
    return len(text) if len(text) - hi < 200 else hi


# ---------------------------------------------------------------------------------------------
# Forms -> decision rows


@dataclass(frozen=True)
class Choices:
    """The values a form may hold: the known vocabularies."""

    venues: tuple[str, ...]
    mediators: tuple[str, ...]
    participants: tuple[str, ...]
    hosts: tuple[str, ...]  # ISO-2 codes
    levels: tuple[str, ...] = LEVELS
    formats: tuple[str, ...] = FORMATS
    statuses: tuple[str, ...] = STATUSES


@dataclass(frozen=True)
class Form:
    """What the analyst chose (lists as tuples)."""

    date: str
    venue: str
    mediators: tuple[str, ...]
    host: str
    level: str
    format: str
    participants: tuple[str, ...]
    status: str

    def cells(self) -> dict[str, str]:
        out = {}
        for name in FORM_FIELDS:
            value = getattr(self, name)
            out[name] = ";".join(value) if name in LIST_FIELDS else value.strip()
        out["date"] = _iso(out["date"])
        return out


def form_from(values: dict[str, str]) -> Form:
    """A form filled with an item's values (``Item.fields``)."""
    return Form(
        values["date"],
        values["venue"],
        tuple(split_list(values["mediators"])),
        values["host"],
        values["level"],
        values["format"],
        tuple(split_list(values["participants"])),
        values["status"],
    )


def check_form(form: Form, choices: Choices) -> list[Problem]:
    """Every problem with the form's values, each naming its field."""
    problems = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem(FORM, message, field=name))

    text = form.date.strip()
    if not text:
        bad("date", "is empty: give the date as YYYY-MM-DD, YYYY-MM or YYYY")
    else:
        try:
            when = When.parse(text)
        except ValueError as exc:
            bad("date", str(exc))
        else:
            outside = outside_window(when)
            if outside:
                bad("date", outside)
    if form.venue not in choices.venues:
        bad("venue", f"{form.venue!r} is not a venue of venues.csv")
    if not form.mediators:
        bad("mediators", "choose at least one ('none' for direct talks)")
    for m in form.mediators:
        if m not in choices.mediators:
            bad("mediators", f"{m!r} is not a mediator of mediators.csv")
    if "none" in form.mediators and len(form.mediators) > 1:
        bad("mediators", "'none' (direct talks) cannot be combined with other mediators")
    if form.host and not ISO2.match(form.host):
        bad("host", f"{form.host!r} is not a two-letter country code")
    for name, allowed in (("level", choices.levels), ("format", choices.formats), ("status", choices.statuses)):
        if getattr(form, name) not in allowed:
            bad(name, f"{getattr(form, name)!r} is not one of: {', '.join(allowed)}")
    for p in form.participants:
        if p not in choices.participants:
            bad("participants", f"{p!r} is not a participant of participants.csv")
    return problems


def check_url(url: str, required: bool = False) -> list[Problem]:
    """A source URL must be an http(s) address with a host."""
    url = url.strip()
    if not url:
        return [Problem(FORM, "is empty: give the address where you read it", field="source_url")] if required else []
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url):
        return [Problem(FORM, f"{url!r} is not an http(s) address (https://...)", field="source_url")]
    return []


def row(cid: str, action: str, field: str = "", value: str = "", note: str = "", source_url: str = "") -> dict:
    """One decision as the journal records it."""
    return {"id": cid, "action": action, "field": field, "value": value, "note": note, "source_url": source_url.strip()}


def accept_rows(item: Item, note: str = "") -> list[dict]:
    return [row(item.id, "accept", note=note)]


def reject_rows(item: Item, note: str = "") -> list[dict]:
    return [row(item.id, "reject", note=note)]


def edit_rows(item: Item, form: Form, note: str = "", source_url: str = "") -> list[dict]:
    """An ``edit`` per field whose value differs from what the item shows now (none: nothing
    changed). The form must have passed :func:`check_form`."""
    new = form.cells()
    return [
        row(item.id, "edit", name, new[name], note, source_url)
        for name in FORM_FIELDS
        if new[name] != item.fields.get(name, "")
    ]


@dataclass(frozen=True)
class Target:
    """A meeting a candidate can be merged into."""

    id: str
    label: str  # "6 October 2022, Prague (leaders)"
    evidence: tuple[str, ...]  # its evidence references now
    keeper: str  # the decision id whose evidence an edit extends: its first candidate, or its add id


def targets(meetings: Iterable[dict], added_ids: Iterable[str] = ()) -> list[Target]:
    """The meetings of meetings.csv as merge targets, newest first."""
    added = set(added_ids)
    out = []
    for m in meetings:
        found = PROVENANCE.search(m.get("notes") or "")
        keeper = found["ids"].split(", ")[0] if found else (m["id"] if m["id"] in added else "")
        if not keeper:
            continue
        try:
            when = When.parse(m["date"]).human()
        except ValueError:
            when = m["date"]
        label = f"{when}, {m['venue']} ({m['level']}) — {m['id']}"
        out.append(Target(m["id"], label, tuple(split_list(m["evidence"])), keeper))
    return sorted(out, key=lambda t: t.id, reverse=True)


def merge_rows(item: Item, target: Target, note: str = "") -> list[dict]:
    """Reject the candidate as merged into ``target`` and extend the target's evidence with the
    candidate's (see the module docstring). A candidate already part of ``target``: no rows."""
    if item.meeting == target.id or item.id == target.keeper:
        return []
    why = f"{MERGED}{target.id}" + (f": {note.strip()}" if note.strip() else "")
    evidence = ";".join(dict.fromkeys((*target.evidence, *item.candidate.refs)))
    return [
        row(item.id, "reject", note=why),
        row(target.keeper, "edit", "evidence", evidence, f"evidence of {item.id} merged in"),
    ]


def new_meeting_id(form: Form, taken: Iterable[str]) -> str:
    """``added-DATE-VENUE`` (``-2``, ``-3`` ... when taken)."""
    slug = re.sub(r"[^a-z0-9]+", "-", form.venue.lower()).strip("-") or "venue"
    base = f"added-{form.cells()['date']}-{slug}"
    used, new, n = set(taken), base, 2
    while new in used:
        new, n = f"{base}-{n}", n + 1
    return new


@dataclass(frozen=True)
class Passage:
    """Where an analyst's quoted passage lies in an article."""

    file: str
    start: int
    end: int

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.start}-{self.end}"


def find_passage(file: str, text: str, quote: str) -> Passage | None:
    """The first place ``quote`` occurs in ``text``, whitespace and case aside (a passage copied
    from the page may break lines differently); None when it does not occur."""
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    found = re.search(pattern, text, re.IGNORECASE)
    return Passage(file, found.start(), found.end()) if found else None


def add_rows(new_id: str, form: Form, passage: Passage, note: str = "", source_url: str = "") -> list[dict]:
    """A meeting added by hand: one ``add`` row per field that has a value, and its evidence."""
    cells = form.cells()
    rows = [row(new_id, "add", name, cells[name], note, source_url) for name in FORM_FIELDS if cells[name]]
    rows.append(row(new_id, "add", "evidence", passage.ref, note, source_url))
    return rows
