"""The bundled base layer: Natural Earth country outlines (public domain) as GeoJSON.

Made by scripts/make_basemap.py from the npm package ``world-atlas`` (ISC); see docs/dashboard.md.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from geo.core.errors import DataError, Problem
from geo.core.paths import ROOT, display

BASEMAP = ROOT / "data" / "basemap" / "countries.geojson"
ATTRIBUTION = "Leaflet | Natural Earth"
REBUILD = (
    "Rebuild it with: .venv/bin/python scripts/make_basemap.py /tmp/package/countries-50m.json (see docs/dashboard.md)"
)


@lru_cache(maxsize=2)
def basemap_text(path: str = str(BASEMAP)) -> str:
    """The basemap GeoJSON as text (read once), checked to be a FeatureCollection."""
    shown = display(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(Problem(shown, "basemap file not found"), REBUILD) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DataError(Problem(shown, f"not valid GeoJSON ({exc})"), REBUILD) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not data.get("features"):
        raise DataError(Problem(shown, "not a GeoJSON FeatureCollection with features"), REBUILD)
    return text
