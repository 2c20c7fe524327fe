"""Filtered meetings as files an analyst can take away: CSV (the meetings.csv columns) and
GeoJSON (one Point feature per meeting, at its venue).

The CSV guards against spreadsheet formula injection: a text cell that starts with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading apostrophe, so LibreOffice/Excel show it as
text instead of running it (meeting fields come from article text, which is untrusted).
"""

from __future__ import annotations

import json

import pandas as pd

from geo.core.atomic import csv_text
from geo.core.schema import MEETINGS, split_list

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def meetings_csv(meetings: pd.DataFrame) -> str:
    """The meetings in the columns of data/meetings.csv (same order as given)."""
    cols = MEETINGS.names
    frame = meetings.reindex(columns=cols)  # only plain columns: boxing timestamps is slow
    rows = ({c: _safe_cell(v) for c, v in r.items()} for r in frame.to_dict("records"))
    return csv_text(cols, rows)


def meetings_geojson(meetings: pd.DataFrame, venues: pd.DataFrame, mediators: pd.DataFrame | None = None) -> str:
    """A GeoJSON FeatureCollection: one Point per meeting at its venue ([lon, lat], WGS 84).

    Lists (mediators, participants, documents, evidence) are JSON arrays; a meeting whose venue
    has no coordinates is still exported, with ``geometry: null`` (never silently dropped).
    """
    coords = {r.venue: (float(r.lon), float(r.lat)) for r in venues.itertuples(index=False)}
    labels = dict(zip(mediators["name"], mediators["label"])) if mediators is not None else {}
    features = []
    for r in meetings.reindex(columns=MEETINGS.names).to_dict("records"):
        lonlat = coords.get(r["venue"])
        props = {c: (v if isinstance(v, str) else ("" if pd.isna(v) else v)) for c, v in r.items()}
        for c in ("mediators", "participants", "documents", "evidence"):
            props[c] = split_list(str(r.get(c, "")))
        props["mediator_labels"] = [labels.get(m, m) for m in props["mediators"]]
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
