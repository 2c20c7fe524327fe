"""Filtered meetings as files an analyst can take away: CSV (the meetings.csv columns, then the
same facts in words) and GeoJSON (one Point feature per meeting, at its venue).

Both say where each meeting came from, in words a reader needs no other file for: the article
titles (not file names), the articles' web addresses when known, the quoted evidence text (not
character offsets), the confidence, and the provenance of each field (the article, or an
analyst: who, when, note, source; geo.present.provenance).

The CSV guards against spreadsheet formula injection: a text cell that starts with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading apostrophe, so LibreOffice/Excel show it as
text instead of running it (meeting fields come from article text, which is untrusted).
"""

from __future__ import annotations

import json

import pandas as pd

from geo.core.atomic import csv_text
from geo.core.schema import MEETINGS, parse_evidence, split_list
from geo.present import provenance
from geo.present.mapview import EvidenceLookup
from geo.present.meetings_table import source_urls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# After the meetings.csv columns (so the file still reads back as meetings.csv): the same facts in words.
READABLE = ("sources", "source_urls", "evidence_text", "provenance_text")
NOT_QUOTED = "[not quoted: "


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Sources:
    """Article titles, web addresses and evidence quotes for the exports; without an evidence
    lookup, the file names and references as they are."""

    def __init__(self, evidence: EvidenceLookup | None = None, articles: pd.DataFrame | None = None):
        self.evidence = evidence
        self.urls = source_urls(articles) if articles is not None else {}

    def title(self, file: str) -> str:
        return self.evidence.title(file) if self.evidence else file

    def quote(self, ref: str) -> str:
        """The evidence text, or the reference and why it is not quoted."""
        text = self.evidence(ref) if self.evidence else None
        if text:
            return text
        why = None
        if self.evidence:
            try:
                why = self.evidence.problem(parse_evidence(ref)[0])
            except ValueError:
                why = "not a reference"
        return f"{NOT_QUOTED}{ref}" + (f", {why}]" if why else "]")

    def facts(self, r: dict) -> dict:
        """What the CSV's readable columns and the GeoJSON's properties add to a meeting."""
        docs = split_list(str(r.get("documents") or ""))
        return {
            "sources": [{"file": d, "title": self.title(d), "url": self.urls.get(d, "")} for d in docs],
            "evidence_text": [self.quote(ref) for ref in split_list(str(r.get("evidence") or ""))],
            "provenance": provenance.of(r),
        }


def meetings_csv(
    meetings: pd.DataFrame, evidence: EvidenceLookup | None = None, articles: pd.DataFrame | None = None
) -> str:
    """The meetings in the columns of data/meetings.csv (same order as given), then ``sources``
    (titles), ``source_urls``, ``evidence_text`` (quotes) and ``provenance_text`` (words)."""
    sources = Sources(evidence, articles)
    cols = [*MEETINGS.names, *READABLE]
    frame = meetings.reindex(columns=[*MEETINGS.names, "prov"])  # only plain columns: boxing timestamps is slow

    def row(r: dict) -> dict:
        f = sources.facts(r)
        r = {c: r[c] for c in MEETINGS.names}
        r["sources"] = "; ".join(s["title"] for s in f["sources"])
        r["source_urls"] = "; ".join(s["url"] for s in f["sources"] if s["url"])
        r["evidence_text"] = " … ".join(q if q.startswith(NOT_QUOTED) else f"“{q}”" for q in f["evidence_text"])
        r["provenance_text"] = provenance.describe(f["provenance"])
        return {c: _safe_cell(v) for c, v in r.items()}

    return csv_text(cols, (row(r) for r in frame.to_dict("records")))


def meetings_geojson(
    meetings: pd.DataFrame,
    venues: pd.DataFrame,
    mediators: pd.DataFrame | None = None,
    evidence: EvidenceLookup | None = None,
    articles: pd.DataFrame | None = None,
) -> str:
    """A GeoJSON FeatureCollection: one Point per meeting at its venue ([lon, lat], WGS 84).

    Lists (mediators, participants, documents, evidence) are JSON arrays; ``sources`` gives each
    article's file, title and web address, ``evidence_text`` the quotes, ``confidence`` a number
    (or null) and ``provenance`` an object (origin, added, reviewed, fields, and ``text``, the
    same words as the CSV). A meeting whose venue has no coordinates is still exported, with
    ``geometry: null`` (never silently dropped).
    """
    sources = Sources(evidence, articles)
    coords = {r.venue: (float(r.lon), float(r.lat)) for r in venues.itertuples(index=False)}
    labels = dict(zip(mediators["name"], mediators["label"])) if mediators is not None else {}
    features = []
    for r in meetings.reindex(columns=[*MEETINGS.names, "prov"]).to_dict("records"):
        lonlat = coords.get(r["venue"])
        facts = sources.facts(r)
        props = {c: (v if isinstance(v, str) else ("" if pd.isna(v) else v)) for c, v in r.items() if c != "prov"}
        for c in ("mediators", "participants", "documents", "evidence"):
            props[c] = split_list(str(r.get(c, "")))
        props["mediator_labels"] = [labels.get(m, m) for m in props["mediators"]]
        props["confidence"] = float(props["confidence"]) if provenance.confidence_text(props["confidence"]) else None
        props["sources"] = facts["sources"]
        props["evidence_text"] = facts["evidence_text"]
        props["provenance"] = provenance.as_json(facts["provenance"])
        features.append(
            {
                "type": "Feature",
                "id": r["id"],
                "geometry": {"type": "Point", "coordinates": list(lonlat)} if lonlat else None,
                "properties": props,
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    )  # no indent: C encoder, 10x faster
