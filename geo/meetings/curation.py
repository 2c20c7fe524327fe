"""Analyst decisions on extracted candidates, kept in ``data/curation.csv`` and never rewritten.

One decision per row, keyed by a stable candidate id (``FILE#<hash of its first evidence
sentence>``, see :func:`geo.meetings.extract.candidate_id`: a venue rename does not change it):

| action | field / value | effect |
|---|---|---|
| ``accept`` | — | the candidate is a meeting (marked reviewed) |
| ``reject`` | — | the candidate is not a meeting |
| ``edit`` | a meetings column and its new value | corrects that field of the candidate |
| ``add`` | a meetings column and its value (one per row) | a meeting extraction missed; ``id`` names it |

Every meeting says where each field came from (``provenance``, see :mod:`geo.core.provenance`):
an ``edit`` makes its field the analyst's (who, when, note, source URL from the row), an ``add``
makes every field it gives the analyst's, an ``accept`` records who reviewed the meeting; any
other field is the article's.

Undecided candidates with a date are kept (noted ``unreviewed``); undecided year-less ones are
reported and left out. A decision whose candidate is no longer extracted is reported (the
decision stays in the file, ready for when the article comes back), never dropped silently.

Decisions written with the older ids (``FILE#venue-slug``, which a venue rename orphaned) still
apply, each with a warning to run :func:`migrate` (``python -m geo curation migrate CORPUS``),
which rewrites them once, in place, to the new ids.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from geo.core import atomic
from geo.core.dates import When, outside_window
from geo.core.errors import DataError, Problem
from geo.core.paths import display
from geo.core.provenance import Given, Provenance, encode
from geo.core.schema import CURATION_FIELDS, MEETINGS, parse_evidence, split_list, validate_curation
from geo.core.tables import CurationRow
from geo.meetings.extract import Candidate, Proposal, is_current_id, merge

LIST_FIELDS = {"mediators", "participants", "evidence"}
REQUIRED_FOR_ADD = ("date", "venue", "mediators", "level", "format", "status", "evidence")


Decision = CurationRow  # one row of data/curation.csv, as geo.core.schema.load_curation reads it


@dataclass(frozen=True)
class Curated:
    meetings: tuple[dict, ...]  # rows of MEETINGS (strings; 'date' a When), sorted by date
    warnings: tuple[Problem, ...]  # decisions without a candidate, undated candidates left out
    counts: dict
    decisions: tuple[Decision, ...] = ()  # as applied: old-style ids replaced by the current ones


def apply(candidates: Iterable[Candidate], decisions: list[Decision], shown: str = "data/curation.csv") -> Curated:
    """Candidates + decisions -> meeting rows. Raises DataError for an 'add' that lacks a
    required field (naming its rows)."""
    cands = {c.id: c for c in candidates}
    added_ids = {d.id for d in decisions if d.action == "add"}
    decisions, warnings = _recognise_legacy(decisions, cands.values(), added_ids, shown)
    verdicts: dict[str, str] = {}
    accepts: dict[str, Decision] = {}
    edits: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.action == "add":
            continue
        if d.id not in cands:
            if d.id in added_ids and d.action == "edit":
                continue  # handled with the add
            old = (
                ""
                if is_current_id(d.id)
                else (
                    "; it is an old-style id, which a venue rename orphans: find the candidate's id with "
                    "'python -m geo meetings CORPUS_DIR' and write it instead"
                )
            )
            warnings.append(
                Problem(
                    shown,
                    f"decision '{d.action}' for {d.id!r}: no such candidate in this corpus "
                    f"(kept in the file, not applied){old}",
                    d.row,
                    "id",
                    "warning",
                )
            )
            continue
        if d.action in ("accept", "reject"):
            verdicts[d.id] = d.action
            if d.action == "accept":
                accepts[d.id] = d
        else:
            edits.setdefault(d.id, []).append(d)

    kept: list[Candidate] = []
    counts = {
        "candidates": len(cands),
        "accepted": 0,
        "rejected": 0,
        "edited": 0,
        "unreviewed": 0,
        "added": 0,
        "undated": 0,
    }
    for cid, c in cands.items():
        verdict = verdicts.get(cid)
        if verdict == "reject":
            counts["rejected"] += 1
            continue
        if cid in edits:
            c = _edit(c, edits[cid], shown)
            counts["edited"] += 1
        if verdict == "accept":
            counts["accepted"] += 1
        if verdict == "accept" or cid in edits:
            c = replace(c, curated=True)
        else:
            counts["unreviewed"] += 1
        if not c.date:
            counts["undated"] += 1
            warnings.append(
                Problem(
                    shown,
                    f"candidate {cid!r} has no year (undated article): left out; add 'edit,date,...' to keep it",
                    None,
                    "id",
                    "warning",
                )
            )
            continue
        outside = outside_window(c.date)
        if outside:  # a year misread from the text: left out rather than drawn in 2099
            why = f"candidate {cid!r}: {outside}; left out; add 'edit,date,...' to keep it"
            warnings.append(Problem(shown, why, None, "id", "warning"))
            continue
        kept.append(c)

    rows = [_row(p, _provenance(p, accepts, edits)) for p in merge(kept)]
    adds = _adds(decisions, shown)
    counts["added"] = len(adds)
    rows.extend(adds)
    rows.sort(key=lambda r: (r["date"].value, r["venue"]))
    _assign_ids(rows)
    return Curated(tuple(rows), tuple(warnings), counts, tuple(decisions))


def legacy_map(candidates: Iterable[Candidate]) -> dict[str, str]:
    """Old id (FILE#venue-slug[-n]) -> current id, for the candidates extracted now."""
    return {c.legacy_id: c.id for c in candidates if c.legacy_id and c.legacy_id != c.id}


def _recognise_legacy(
    decisions: list[Decision], candidates: Iterable[Candidate], added_ids: set[str], shown: str
) -> tuple[list[Decision], list[Problem]]:
    """Decisions keyed by an old id apply to its candidate, each with a warning to migrate."""
    current = {c.id for c in candidates}
    old_to_new = legacy_map(candidates)
    out, warnings = [], []
    for d in decisions:
        new = old_to_new.get(d.id) if d.id not in current and d.id not in added_ids else None
        if new is None:
            out.append(d)
            continue
        warnings.append(
            Problem(
                shown,
                f"{d.id!r} is an old-style candidate id (it changes when the venue is renamed): "
                f"applied to {new!r}; run 'python -m geo curation migrate CORPUS_DIR' to rewrite it",
                d.row,
                "id",
                "warning",
            )
        )
        out.append(replace(d, id=new))
    if warnings:  # an old and a new id may now name one decision twice: never let one win silently
        problems = validate_curation(out, shown)
        if problems:
            raise DataError(
                problems,
                "curation.csv is edited by hand: the old-style and current ids above "
                "name one candidate; keep one decision",
            )
    return out, warnings


@dataclass(frozen=True)
class Migration:
    row: int
    old: str
    new: str


def migrate(path: Path | str, candidates: Iterable[Candidate]) -> tuple[list[Migration], list[Problem]]:
    """Rewrite the old-style ids of ``curation.csv`` as the current ids of ``candidates``, in
    place (one atomic write), keeping every other cell, the columns and the row order. Returns
    what changed and warnings for old-style ids no candidate has now (left as they are)."""
    path = Path(path)
    cands = list(candidates)
    current = {c.id for c in cands}
    old_to_new = legacy_map(cands)
    raw = path.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    table = list(csv.reader(io.StringIO(text, newline="")))
    header = table[0] if table else []
    if "id" not in header:
        raise DataError(Problem(display(path), "column is missing from the header", 1, "id"))
    col = header.index("id")
    act = header.index("action") if "action" in header else None
    added = {r[col] for r in table[1:] if act is not None and len(r) > max(col, act) and r[act] == "add"}
    changes, unknown = [], []
    for row_no, cells in enumerate(table[1:], start=2):
        if len(cells) <= col or cells[col] in current or cells[col] in added or "#" not in cells[col]:
            continue
        new = old_to_new.get(cells[col])
        if new is None:
            unknown.append(
                Problem(
                    display(path),
                    f"{cells[col]!r}: no candidate of this corpus has this id, old or new (left as it is)",
                    row_no,
                    "id",
                    "warning",
                )
            )
            continue
        changes.append(Migration(row_no, cells[col], new))
        cells[col] = new
    if changes:
        problems = validate_curation(_decisions(header, table), display(path))
        if problems:
            raise DataError(
                problems,
                "not migrated (nothing was written): with the new ids these rows name one "
                "decision twice; keep one of each and run the migration again",
            )
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator=newline).writerows(table)
        atomic.write_bytes(path, (codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8"))
    return changes, unknown


def _decisions(header: list[str], table: list[list[str]]) -> list[Decision]:
    """The rows of a curation table (header first) as decisions, for the checks."""
    at = {name: header.index(name) for name in ("id", "action", "field", "value") if name in header}

    def cell(cells: list[str], name: str) -> str:
        i = at.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    return [
        Decision(row_no, cell(c, "id"), cell(c, "action"), cell(c, "field"), cell(c, "value"))
        for row_no, c in enumerate(table[1:], start=2)
        if any(x.strip() for x in c)
    ]


def _edit(c: Candidate, decisions: list[Decision], shown: str) -> Candidate:
    changes: dict = {}
    for d in decisions:
        if d.field == "date_precision":
            continue  # checked against the (edited) date below
        if d.field == "date":
            changes["date"] = When.parse(d.value)
        elif d.field == "id":
            changes["meeting_id"] = d.value
        elif d.field == "evidence":
            changes["evidence_override"] = tuple(split_list(d.value))
        elif d.field in LIST_FIELDS:
            changes[d.field] = tuple(split_list(d.value))
        elif d.field == "confidence":
            changes["confidence"] = float(d.value) if d.value else c.confidence
        else:
            changes[d.field] = d.value
    edited = replace(c, **changes)
    problems = [p for d in decisions if d.field == "date_precision" for p in _precision_problem(edited.date, d, shown)]
    if problems:
        raise DataError(problems, "curation.csv is edited by hand: fix the row named above")
    return edited


def _precision_problem(date: When | None, d: Decision, shown: str) -> list[Problem]:
    """A date carries its precision ('2024-07' is a month): a ``date_precision`` decision must
    say the same as the date, or the analyst meant another date."""
    if date is None or d.value == date.precision:
        return []
    return [
        Problem(
            shown,
            f"date_precision {d.value!r} disagrees with the date {date.iso()} (written at "
            f"{date.precision} precision): edit the date instead",
            d.row,
            "value",
        )
    ]


def given(d: Decision) -> Given:
    """What a curation row says about who decided, when, why and from where."""
    return Given(d.analyst, d.time, d.note, d.source_url)


# Fields a merged meeting takes from its best candidate (see _row); the others are pooled.
FROM_BEST = ("date", "date_precision", "venue", "venue_detail", "mediators", "host", "level", "format")
FROM_BEST += ("participants", "event", "status")


def _ordered(p: Proposal) -> list[Candidate]:
    return sorted(p.candidates, key=lambda c: (not c.curated, -c.confidence, c.id))


def _provenance(p: Proposal, accepts: dict[str, Decision], edits: dict[str, list[Decision]]) -> Provenance:
    """Which fields of the merged meeting an analyst gave: the best candidate's edits for the
    fields taken from it; the id, evidence, confidence and notes from the candidate that
    supplied them (first in _row's order)."""
    ordered = _ordered(p)

    def edit(c: Candidate, field: str) -> Decision | None:
        return next((d for d in edits.get(c.id, ()) if d.field == field), None)

    fields: dict[str, Given] = {}
    for field in FROM_BEST:
        d = edit(p.best, field)
        if d is not None:
            fields[field] = given(d)
    top = max(p.candidates, key=lambda c: c.confidence)
    sources = {
        "id": [c for c in ordered if c.meeting_id][:1],
        "evidence": ordered,
        "confidence": [top],
        "notes": ordered,
    }
    for field, cands in sources.items():
        d = next((x for c in cands if (x := edit(c, field)) is not None), None)
        if d is not None:
            fields[field] = given(d)
    reviewed = tuple(given(accepts[c.id]) for c in ordered if c.id in accepts)
    order = {name: i for i, name in enumerate(MEETINGS.names)}
    return Provenance("article", None, reviewed, tuple(sorted(fields.items(), key=lambda kv: order[kv[0]])))


def _row(p: Proposal, provenance: Provenance) -> dict:
    b = p.best
    ordered = _ordered(p)
    refs = [ref for c in ordered for ref in c.refs]
    docs = [parse_evidence(ref)[0] for ref in refs]
    reviewed = all(c.curated for c in p.candidates)
    notes = "; ".join(dict.fromkeys(c.notes for c in ordered if c.notes))
    made_from = "candidates " + ", ".join(c.id for c in ordered) + ("" if reviewed else " (unreviewed)")
    return {
        "id": next((c.meeting_id for c in ordered if c.meeting_id), ""),
        "date": b.date,
        "date_precision": b.date_precision,
        "venue": b.venue,
        "venue_detail": b.venue_detail,
        "mediators": ";".join(b.mediators),
        "host": b.host,
        "level": b.level,
        "format": b.format,
        "participants": ";".join(b.participants),
        "event": b.event,
        "status": b.status,
        "documents": ";".join(dict.fromkeys(docs)),
        "evidence": ";".join(dict.fromkeys(refs)),
        "confidence": f"{max(c.confidence for c in p.candidates):.2f}",
        "notes": (notes + " | " if notes else "") + made_from,
        "provenance": encode(provenance),
    }


def _adds(decisions: list[Decision], shown: str) -> list[dict]:
    grouped: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.action == "add" or (d.action == "edit" and d.id in {x.id for x in decisions if x.action == "add"}):
            grouped.setdefault(d.id, []).append(d)
    rows = []
    problems = []
    for mid, ds in grouped.items():
        row = {c: "" for c in MEETINGS.names}
        for d in ds:
            row[d.field] = d.value
        if row["date"]:
            row["date"] = When.parse(row["date"])
            row["date_precision"] = row["date"].precision
            problems += [
                p for d in ds if d.field == "date_precision" for p in _precision_problem(row["date"], d, shown)
            ]
        missing = [f for f in REQUIRED_FOR_ADD if not row[f]]
        if missing:
            problems.append(
                Problem(
                    shown,
                    f"added meeting {mid!r} lacks {', '.join(missing)} (add one row per field)",
                    ds[0].row,
                    missing[0],
                )
            )
        row["documents"] = (
            ";".join(dict.fromkeys(parse_evidence(r)[0] for r in split_list(row["evidence"])))
            if row["evidence"]
            else ""
        )
        row["id"] = row["id"] or mid
        row["notes"] = (row["notes"] + " | " if row["notes"] else "") + "added by analyst"
        main = next((d for d in ds if d.field == "venue"), ds[0])
        row["_curation_row"] = main.row  # where an error points
        row["provenance"] = encode(_added_provenance(ds, main))
        rows.append(row)
    if problems:
        raise DataError(problems, "curation.csv is edited by hand: fix the rows named above")
    return rows


def _added_provenance(ds: list[Decision], main: Decision) -> Provenance:
    """An analyst's meeting: every field it gives is the analyst's (each with its own row's
    who/when/note/source), the id with the meeting's main row."""
    fields = {d.field: given(d) for d in ds if d.action in ("add", "edit") and d.field and d.value}
    fields.setdefault("id", given(main))
    order = {name: i for i, name in enumerate(MEETINGS.names)}
    return Provenance("analyst", given(main), (), tuple(sorted(fields.items(), key=lambda kv: order[kv[0]])))


def _assign_ids(rows: list[dict]) -> None:
    used: set[str] = {r["id"] for r in rows if r["id"]}
    for r in rows:
        if r["id"]:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", r["venue"].lower()).strip("-")
        base = f"m-{r['date'].iso()}-{slug}"
        new, n = base, 2
        while new in used:
            new, n = f"{base}-{n}", n + 1
        used.add(new)
        r["id"] = new


__all__ = ["CURATION_FIELDS", "Curated", "Decision", "Migration", "apply", "migrate"]
