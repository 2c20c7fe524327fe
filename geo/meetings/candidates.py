"""The candidates table (``data/candidates.csv``): every candidate meeting of a build as
extraction proposed it, before any analyst decision.

The build publishes it with the other tables; the Review page queues its rows, and
:func:`geo.publish.build.recurate` applies the decisions to it again without reading the
articles. So a candidate must come back from its row exactly as it went in: the confidence is
written with ``repr`` (a float reads back as the same float), the evidence as ``FILE:START-END``
references into its own article. Only ``reasons`` (shown to the analyst, never used to decide
anything) is one text cell, joined with ``"; "``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from geo.core import atomic
from geo.core.errors import DataError, Problem
from geo.core.paths import display
from geo.core.tables import CANDIDATES, REBUILD_HINT, CandidateRow, parse_evidence, read_table
from geo.meetings.extract import Candidate

REASONS_JOIN = "; "


def candidate_cells(c: Candidate) -> dict[str, str]:
    """One candidate as the cells of its row."""
    return {
        "id": c.id,
        "file": c.file,
        "date": c.date.iso() if c.date else "",
        "date_precision": c.date.precision if c.date else "",
        "venue": c.venue,
        "venue_detail": c.venue_detail,
        "mediators": ";".join(c.mediators),
        "host": c.host,
        "level": c.level,
        "format": c.format,
        "participants": ";".join(c.participants),
        "event": c.event,
        "status": c.status,
        "confidence": repr(float(c.confidence)),
        "evidence": ";".join(c.evidence_refs),
        "reasons": REASONS_JOIN.join(c.reasons),
        "notes": c.notes,
        "legacy_id": c.legacy_id,
    }


def candidates_csv(candidates: Iterable[Candidate]) -> bytes:
    """The table's content, for the build's snapshot."""
    return atomic.csv_text(CANDIDATES.names, [candidate_cells(c) for c in candidates]).encode("utf-8")


def evidence_spans(row: CandidateRow) -> tuple[tuple[int, int], ...]:
    """The row's evidence as spans into its own article; ValueError naming a bad reference."""
    spans = []
    for ref in row.evidence:
        file, start, end = parse_evidence(ref)
        if file != row.file:
            raise ValueError(f"evidence {ref!r} points into {file!r}, not into the candidate's article {row.file!r}")
        spans.append((start, end))
    return tuple(spans)


def candidate_from(row: CandidateRow) -> Candidate:
    """A row read back as the candidate the build extracted (evidence spans into ``row.file``)."""
    return Candidate(
        id=row.id,
        file=row.file,
        venue=row.venue,
        host=row.host,
        date=row.date,
        mediators=row.mediators,
        participants=row.participants,
        level=row.level,
        format=row.format,
        status=row.status,
        event=row.event,
        confidence=row.confidence,
        evidence=evidence_spans(row),
        reasons=tuple(r for r in row.reasons.split(REASONS_JOIN) if r),
        venue_detail=row.venue_detail,
        notes=row.notes,
        legacy_id=row.legacy_id,
    )


def read_candidates(path: Path | str, hint: str | None = REBUILD_HINT) -> list[Candidate]:
    """``candidates.csv`` as candidates. DataError naming file, row and field for a bad cell or a
    bad evidence reference."""
    out, problems = [], []
    for r in read_table(path, CANDIDATES, hint):
        try:
            out.append(candidate_from(r))
        except ValueError as exc:
            problems.append(Problem(display(Path(path)), str(exc), r.row, "evidence"))
    if problems:
        raise DataError(problems, hint)
    return out
