#!/usr/bin/env python3
"""Sanity-checks assets/basemap/countries.geojson (standard library only).

    python3 scripts/basemap/verify.py

Exits non-zero on the first failed check; prints a summary otherwise.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "..", "..", "assets", "basemap", "countries.geojson")
BOX = (13.0, 38.0, 30.0, 47.5)
REQUIRED = [
    "Kosovo", "Serbia", "Montenegro", "Albania", "North Macedonia",
    "Bosnia and Herzegovina", "Croatia", "Bulgaria", "Romania", "Hungary", "Greece",
]
# Expected Kosovo extent (Natural Earth 10m), with slack for quantization.
KOSOVO = (20.0, 41.85, 21.8, 43.27)
SLACK = 0.05


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def main():
    raw = open(PATH, "rb").read()
    fc = json.loads(raw)
    if fc.get("type") != "FeatureCollection":
        fail("not a FeatureCollection")
    feats = fc["features"]
    by_name = {}
    total = 0
    for f in feats:
        props = f["properties"]
        name, fid = props.get("name"), props.get("id")
        if not isinstance(name, str) or not isinstance(fid, str):
            fail(f"bad properties {props}")
        if name in by_name:
            fail(f"duplicate feature {name}")
        g = f["geometry"]
        if g["type"] == "Polygon":
            polys = [g["coordinates"]]
        elif g["type"] == "MultiPolygon":
            polys = g["coordinates"]
        else:
            fail(f"{name}: unexpected geometry {g['type']}")
        xs, ys, n = [], [], 0
        for poly in polys:
            for k, ring in enumerate(poly):
                if len(ring) < 4 or ring[0] != ring[-1]:
                    fail(f"{name}: ring not closed or too short")
                a = signed_area(ring)
                if a == 0 or (k == 0) != (a > 0):
                    fail(f"{name}: ring {k} has wrong winding (RFC 7946: outer CCW, holes CW)")
                for x, y in ring:
                    if not (BOX[0] <= x <= BOX[2] and BOX[1] <= y <= BOX[3]):
                        fail(f"{name}: vertex {x},{y} outside clip box")
                    if round(x, 4) != x or round(y, 4) != y:
                        fail(f"{name}: vertex {x},{y} has more than 4 decimals")
                    xs.append(x)
                    ys.append(y)
                n += len(ring)
        total += n
        by_name[name] = (g["type"], len(polys), n, (min(xs), min(ys), max(xs), max(ys)), fid)

    missing = [r for r in REQUIRED if r not in by_name]
    if missing:
        fail(f"missing countries: {missing}")

    kb = by_name["Kosovo"][3]
    for got, want in zip(kb, KOSOVO):
        if abs(got - want) > SLACK:
            fail(f"Kosovo bbox {kb} differs from expected {KOSOVO}")

    # Kosovo and Serbia come from one topology, so their common border must
    # share vertices exactly.
    def verts(name):
        g = next(f["geometry"] for f in feats if f["properties"]["name"] == name)
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        return {tuple(p) for poly in polys for ring in poly for p in ring}

    shared = len(verts("Kosovo") & verts("Serbia"))
    if shared < 50:
        fail(f"Kosovo/Serbia share only {shared} vertices")

    print(f"{PATH}: {len(raw)} bytes, {len(feats)} features, {total} vertices")
    for name in sorted(by_name):
        t, parts, n, bb, fid = by_name[name]
        print(f"  {name:24} id={fid:7} {t:12} parts={parts:3} vertices={n:5} "
              f"bbox=({bb[0]:.4f}, {bb[1]:.4f}, {bb[2]:.4f}, {bb[3]:.4f})")
    print(f"Kosovo/Serbia shared border vertices: {shared}")
    print("OK")


if __name__ == "__main__":
    main()
