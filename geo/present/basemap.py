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


# Natural Earth's long official names, as a map label says them.
SHORT_NAMES = {
    "United States of America": "United States",
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "Central African Rep.": "Central African Republic",
    "Dem. Rep. Congo": "DR Congo",
    "Dominican Rep.": "Dominican Republic",
}
NEAR_COAST = 0.6  # degrees: a coastal city outside the simplified outline belongs to the nearest country this close


@lru_cache(maxsize=2)
def _countries(path: str = str(BASEMAP)) -> tuple[tuple[str, tuple[float, float, float, float], tuple], ...]:
    """(name, (west, south, east, north), polygons as lists of (lon, lat) rings) per feature."""
    out = []
    for f in json.loads(basemap_text(path))["features"]:
        geom = f.get("geometry") or {}
        polys = geom.get("coordinates") or []
        if geom.get("type") == "Polygon":
            polys = [polys]
        pts = [p for poly in polys for ring in poly for p in ring]
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        out.append((str((f.get("properties") or {}).get("name", "")), (min(xs), min(ys), max(xs), max(ys)), polys))
    return tuple(out)


def _in_ring(x: float, y: float, ring: list) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _contains(polys: list, x: float, y: float) -> bool:
    """Inside an outer ring and outside its holes (even-odd over every ring of the polygon)."""
    return any(sum(_in_ring(x, y, ring) for ring in poly) % 2 == 1 for poly in polys)


def country_at(lat: float, lon: float, path: str = str(BASEMAP)) -> str | None:
    """The basemap's name of the country at a point ('United States of America'); a point just off
    the simplified coast (New York) gets the nearest country within NEAR_COAST degrees; None at sea."""
    countries = _countries(path)
    for name, (w, s, e, n), polys in countries:
        if w <= lon <= e and s <= lat <= n and _contains(polys, lon, lat):
            return name
    best, best_d = None, NEAR_COAST**2
    for name, (w, s, e, n), polys in countries:
        if not (w - NEAR_COAST <= lon <= e + NEAR_COAST and s - NEAR_COAST <= lat <= n + NEAR_COAST):
            continue
        for poly in polys:
            for ring in poly:
                for px, py in ring:
                    d = (px - lon) ** 2 + (py - lat) ** 2
                    if d < best_d:
                        best, best_d = name, d
    return best


def short_name(name: str) -> str:
    """The name a map label writes: 'United States' for 'United States of America'."""
    return SHORT_NAMES.get(name, name)
