"""The Meetings page's table: the filtered meetings as rows a person reads, searchable, with the
evidence quoted, the confidence, and where each field came from (the ``provenance`` meetings.csv
publishes, in the words of geo.present.provenance: "from the article, unreviewed", "date: analyst
Ani, 23 Nov 2026, from https://… (note)").
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from geo.core.dates import When
from geo.core.tables import split_list
from geo.core.text import fold
from geo.present import provenance
from geo.present.mapview import EvidenceLookup

MAX_ROWS = 2000  # rows drawn; more are counted and the page says so
MAX_QUOTE = 400  # characters of evidence quoted per meeting
SEARCHED = ("venue", "venue_detail", "participants", "mediators", "event")  # plus the source titles
COLUMNS = (
    "date",
    "venue",
    "host",
    "mediators",
    "level",
    "participants",
    "status",
    "confidence",
    "by analyst",
    "provenance",
    "source",
    "source URL",
    "evidence",
    "article",
)


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
    limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """Rows to show, newest first, at most ``limit`` (the caller says how many were left out)."""
    ordered = meetings.sort_values("date", ascending=False, kind="stable").head(limit)
    urls = source_urls(articles)
    rows = [row(r, evidence, urls) for r in ordered.to_dict("records")]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def row(r: dict, evidence: EvidenceLookup, urls: dict[str, str]) -> dict:
    docs = split_list(r["documents"])
    first = docs[0] if docs else ""
    prov = provenance.of(r)
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
        "by analyst": given_fields(prov),
        "provenance": provenance.describe(prov),
    }


ARTICLE_COLUMNS = ("date", "venue", "level", "mediators", "participants", "event", "status")


def article_meetings(meetings: pd.DataFrame) -> pd.DataFrame:
    """The Sources page's meetings of one article: their fields as the table has them, the
    confidence, the fields an analyst gave and the provenance in words."""
    out = meetings.reindex(columns=list(ARTICLE_COLUMNS)).copy()
    provs = [provenance.of(r) for r in meetings.to_dict("records")]
    out["confidence"] = pd.to_numeric(meetings["confidence"], errors="coerce")
    out["by analyst"] = [given_fields(p) for p in provs]
    out["provenance"] = [provenance.describe(p) for p in provs]
    return out


def given_fields(p) -> str:
    """The fields an analyst gave ('date, status'), 'all (added)' for an analyst's meeting, else ''."""
    if p.origin == "analyst":
        return "all (added)"
    return ", ".join(p.by_analyst)


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
        if provenance.is_web(str(source)):
            out[file] = str(source).strip()
    return out


def sources_link(file: str) -> str:
    """The Sources page showing ``file`` (a relative URL: it works under any base path)."""
    return "sources?article=" + quote(file, safe="")
