"""The Meetings page's table: the filtered meetings as rows a person reads, searchable, with the
evidence quoted and which fields an analyst set.

Provenance, for now from what the build leaves behind: a meeting's ``notes`` cell names the
candidates it was made from ("candidates FILE#KEY, ...") or says "added by analyst"; the
decisions of data/curation.csv (read through geo.core.tables) say which fields were edited for
those candidates. A meeting nobody decided on says "unreviewed".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from geo.core.dates import When
from geo.core.tables import CURATION, CurationRow, read_table, split_list
from geo.core.text import fold
from geo.present.mapview import EvidenceLookup

MAX_ROWS = 2000  # rows drawn; more are counted and the page says so
MAX_QUOTE = 400  # characters of evidence quoted per meeting
SEARCHED = ("venue", "venue_detail", "participants", "mediators", "event")  # plus the source titles
ADDED = "added by analyst"
_CANDIDATES = re.compile(r"candidates ([^|]*)")
COLUMNS = (
    "date",
    "venue",
    "host",
    "mediators",
    "level",
    "participants",
    "status",
    "confidence",
    "source",
    "source URL",
    "evidence",
    "article",
    "analyst",
)


def read_decisions(path: Path) -> list[CurationRow]:
    """The analyst's decisions (data/curation.csv); none when the file is not there."""
    return read_table(path, CURATION) if Path(path).is_file() else []


def edits_by_candidate(decisions: Iterable[CurationRow]) -> dict[str, list[str]]:
    """candidate id -> the actions and edited fields recorded for it, in file order."""
    out: dict[str, list[str]] = defaultdict(list)
    for d in decisions:
        label = d.field if d.action == "edit" and d.field else d.action
        if label not in out[d.id]:
            out[d.id].append(label)
    return dict(out)


def analyst_part(notes: str, edits: dict[str, list[str]]) -> str:
    """'added by analyst', 'edited by analyst: date, mediators', 'accepted', 'unreviewed' or ''."""
    if ADDED in notes:
        return ADDED
    m = _CANDIDATES.search(notes)
    ids = [c.strip().removesuffix("(unreviewed)").strip() for c in m.group(1).split(",")] if m else []
    done = [label for c in ids for label in edits.get(c, ())]
    fields = list(dict.fromkeys(x for x in done if x not in ("accept", "reject", "add")))
    if fields:
        return "edited by analyst: " + ", ".join(fields)
    if "accept" in done:
        return "accepted by analyst"
    return "unreviewed" if "(unreviewed)" in notes else ""


def search(meetings: pd.DataFrame, query: str, titles: EvidenceLookup) -> pd.DataFrame:
    """The meetings whose venue, participants, mediators, event or source title contain every
    word of ``query`` (case and accents ignored)."""
    words = fold(query).split()
    if not words or not len(meetings):
        return meetings
    hay = meetings[list(SEARCHED)].fillna("").astype(str).agg(" ".join, axis=1)
    titled = meetings["documents"].map(lambda s: " ".join(titles.title(d) for d in split_list(s))).astype(str)
    hay = hay + " " + titled
    folded = hay.map(fold)
    keep = folded.map(lambda h: all(w in h for w in words))
    return meetings[keep]


def table(
    meetings: pd.DataFrame,
    evidence: EvidenceLookup,
    articles: pd.DataFrame,
    edits: dict[str, list[str]],
    limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """Rows to show, newest first, at most ``limit`` (the caller says how many were left out)."""
    ordered = meetings.sort_values("date", ascending=False, kind="stable").head(limit)
    urls = source_urls(articles)
    rows = [row(r, evidence, urls, edits) for r in ordered.to_dict("records")]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def row(r: dict, evidence: EvidenceLookup, urls: dict[str, str], edits: dict[str, list[str]]) -> dict:
    docs = split_list(r["documents"])
    first = docs[0] if docs else ""
    return {
        "date": When.parse(r["date"]).human(),
        "venue": r["venue"] + (f" ({r['venue_detail']})" if r.get("venue_detail") else ""),
        "host": r.get("host") or "",
        "mediators": ", ".join(split_list(r["mediators"])) or "none",
        "level": r["level"],
        "participants": ", ".join(split_list(r.get("participants") or "")),
        "status": r["status"],
        "confidence": float(r["confidence"]) if str(r.get("confidence", "")).strip() else None,
        "source": "; ".join(evidence.title(d) for d in docs),
        "source URL": urls.get(first),
        "evidence": quoted(r["evidence"], evidence),
        "article": sources_link(first) if first else None,
        "analyst": analyst_part(str(r.get("notes") or ""), edits),
    }


def quoted(refs: str, evidence: EvidenceLookup) -> str:
    """The evidence text (every reference, joined), or the references with why they are not quoted."""
    parts = []
    for ref in split_list(refs):
        text = evidence(ref)
        parts.append(f"“{text}”" if text else ref)
    out = " … ".join(parts)
    return out if len(out) <= MAX_QUOTE else out[: MAX_QUOTE - 1].rstrip() + "…"


def source_urls(articles: pd.DataFrame) -> dict[str, str]:
    """article file -> its source when that is a web address (articles.csv ``source``)."""
    if not len(articles) or "source" not in articles:
        return {}
    out = {}
    for file, source in zip(articles["file"], articles["source"].fillna("")):
        if re.match(r"https?://\S+$", str(source).strip()):
            out[file] = str(source).strip()
    return out


def sources_link(file: str) -> str:
    """The Sources page showing ``file`` (a relative URL: it works under any base path)."""
    return "sources?article=" + quote(file, safe="")
