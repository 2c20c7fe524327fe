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


# ---------------------------------------------------------------------------------------------
# The slide's basemap: fewer points, drawn the same


def pixel_degrees(zoom: int) -> float:
    """One pixel at ``zoom`` in degrees of longitude (Web Mercator, 256 px tiles): how far a
    simplified outline may stray and still be drawn the same (Leaflet itself simplifies every
    path within a pixel, its smoothFactor 1; north of the equator a degree takes more pixels)."""
    return 360 / (256 * 2**zoom)


@lru_cache(maxsize=8)  # one per zoom the slides use
def slide_basemap_text(path: str = str(BASEMAP), tolerance: float = pixel_degrees(6)) -> str:
    """The basemap with every ring simplified (Douglas–Peucker within ``tolerance`` degrees), as
    compact GeoJSON text, made once per basemap and tolerance: fewer points and bytes for the
    slide's map to parse, project and draw (a third fewer at zoom 6, two thirds at zoom 4), with outlines
    that differ by at most a pixel at the zoom the tolerance was chosen for (pixel_degrees).
    Names and properties are kept; a ring keeps at least four points (a closed triangle)."""
    data = json.loads(basemap_text(path))
    for feature in data["features"]:
        geom = feature.get("geometry") or {}
        if geom.get("type") == "Polygon":
            geom["coordinates"] = [simplify_ring(ring, tolerance) for ring in geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            geom["coordinates"] = [[simplify_ring(ring, tolerance) for ring in poly] for poly in geom["coordinates"]]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def simplify_ring(ring: list, tolerance: float) -> list:
    """Douglas–Peucker: the points of ``ring`` that keep it within ``tolerance`` of the original
    (first and last kept, so a closed ring stays closed); a ring left with fewer than four points
    is kept whole (a small island stays an island)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    spans = [(0, len(ring) - 1)]
    while spans:
        a, b = spans.pop()
        far, at = _farthest(ring, a, b)
        if far > limit:
            keep[at] = True
            spans += [(a, at), (at, b)]
    out = [p for p, k in zip(ring, keep) if k]
    return out if len(out) >= 4 else ring


def _farthest(ring: list, a: int, b: int) -> tuple[float, int]:
    """The squared distance of the point between a and b farthest from the segment a–b, and its index."""
    ax, ay = ring[a][0], ring[a][1]
    dx, dy = ring[b][0] - ax, ring[b][1] - ay
    length = dx * dx + dy * dy
    far, at = -1.0, a
    for i in range(a + 1, b):
        px, py = ring[i][0] - ax, ring[i][1] - ay
        t = 0.0 if length == 0 else max(0.0, min(1.0, (px * dx + py * dy) / length))
        d = (px - t * dx) ** 2 + (py - t * dy) ** 2
        if d > far:
            far, at = d, i
    return far, at
