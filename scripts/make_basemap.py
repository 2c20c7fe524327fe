"""Convert Natural Earth country outlines (TopoJSON from the npm package `world-atlas`) into the
small GeoJSON basemap bundled with the app (data/basemap/countries.geojson).

Source: npm `world-atlas` 2.0.2 (ISC licence, Mike Bostock), a redistribution of Natural Earth
1:50m Admin 0 countries, version 4.1.0 — Natural Earth is in the public domain.

Get the package without installing it, then convert:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_basemap.py /tmp/package/countries-50m.json

Coordinates are rounded to ``--digits`` decimals (2 = about 1 km, plenty for a talks map) and
points closer than ``--step`` degrees (0.1 = about 10 km) thinned along each shared arc, which
keeps the committed file well under 1 MB.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.core import atomic
from geo.core.errors import EXIT_USAGE
from geo.present.basemap import BASEMAP


def thin(pts: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """Drop points closer than ``step`` degrees to the last kept one; arc ends are always kept,
    so neighbouring countries (which share arcs) still meet without gaps."""
    if step <= 0 or len(pts) <= 2:
        return pts
    kept = [pts[0]]
    for x, y in pts[1:-1]:
        lx, ly = kept[-1]
        if abs(x - lx) >= step or abs(y - ly) >= step:
            kept.append((x, y))
    kept.append(pts[-1])
    return kept


def decode_arcs(topo: dict, step: float = 0.0) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (TopoJSON arcs are delta-encoded when quantized)."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(thin(pts, step))
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]], digits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        for k, (x, y) in enumerate(pts):
            if out and k == 0:
                continue  # consecutive arcs share their end point
            p = [round(x, digits), round(y, digits)]
            if not out or out[-1] != p:
                out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return unwrap(out)


def unwrap(ring_pts: list[list[float]]) -> list[list[float]]:
    """Make a ring that crosses the antimeridian continuous (Chukotka at 190° instead of a jump
    from 180° to -180°): a flat map would otherwise draw a line across the whole world.
    A ring around a pole (Antarctica) cannot be unwrapped: returns [] and it is left out."""
    out, shift = [], 0.0
    for k, (x, y) in enumerate(ring_pts):
        if k:
            px = ring_pts[k - 1][0]
            if x - px > 180:
                shift -= 360
            elif x - px < -180:
                shift += 360
        out.append([round(x + shift, 6), y])
    if shift:
        return []
    return out


def convert(topo: dict, digits: int = 2, step: float = 0.0, obj: str = "countries") -> dict:
    arcs = decode_arcs(topo, step)
    features = []
    for g in topo["objects"][obj]["geometries"]:
        if g.get("type") == "Polygon":
            polys = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue  # null geometry (e.g. tiny territories without shape at this scale)
        coords = []
        for poly in polys:
            rings = [ring(r, arcs, digits) for r in poly]
            rings = [r for r in rings if len(r) >= 4]  # collapsed by rounding, or around a pole
            if rings:
                coords.append(rings)
        if coords:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": (g.get("properties") or {}).get("name", "")},
                    "geometry": {"type": "MultiPolygon", "coordinates": coords},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson", type=Path, help="countries-50m.json from the world-atlas npm package")
    ap.add_argument("--out", type=Path, default=BASEMAP)
    ap.add_argument("--digits", type=int, default=2)
    ap.add_argument("--step", type=float, default=0.1, help="thin points closer than this (degrees)")
    args = ap.parse_args(argv)
    try:
        topo = json.loads(args.topojson.read_text(encoding="utf-8"))
        if not isinstance(topo, dict) or topo.get("type") != "Topology" or "countries" not in topo.get("objects", {}):
            raise ValueError("no Topology with a 'countries' object")
        gj = convert(topo, args.digits, args.step)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {args.topojson}: not a world-atlas TopoJSON file ({exc})", file=sys.stderr)
        return EXIT_USAGE
    text = json.dumps(gj, separators=(",", ":"), ensure_ascii=False)
    atomic.write_text(args.out, text)
    print(f"wrote {args.out} ({len(gj['features'])} countries, {len(text) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
