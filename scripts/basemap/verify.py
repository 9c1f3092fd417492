#!/usr/bin/env python3
"""Sanity-checks assets/basemap/{countries,lakes,rivers}.geojson (stdlib only).

    python3 scripts/basemap/verify.py

Exits non-zero on the first failed check; prints a summary otherwise.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BASEMAP = os.path.join(HERE, "..", "..", "assets", "basemap")
PATH = os.path.join(BASEMAP, "countries.geojson")
LAKES_PATH = os.path.join(BASEMAP, "lakes.geojson")
RIVERS_PATH = os.path.join(BASEMAP, "rivers.geojson")
BOX = (13.0, 38.0, 30.0, 47.5)
REQUIRED = [
    "Kosovo", "Serbia", "Montenegro", "Albania", "North Macedonia",
    "Bosnia and Herzegovina", "Croatia", "Bulgaria", "Romania", "Hungary", "Greece",
]
# Expected Kosovo extent (Natural Earth 10m), with slack for quantization.
KOSOVO = (20.0, 41.85, 21.8, 43.27)
SLACK = 0.05
# Named water features that must be present (Natural Earth 4.0.0 names;
# "Lake Ohrid" and "Lake Prespa" are unnamed there and named by build-water.mjs).
REQUIRED_LAKES = ["Lake Ohrid", "Lake Prespa", "Lake Skadar", "Lake Balaton"]
REQUIRED_RIVERS = ["Danube", "Sava", "Drina", "Morava", "Sitnica", "Beli Drim", "Drin", "Lim"]
# Expected Lake Ohrid extent, with the same slack.
OHRID = (20.63, 40.91, 20.82, 41.18)
MAX_WATER_BYTES = 300_000


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
    check_lakes()
    check_rivers()
    print("OK")


def check_vertex(label, x, y):
    if not (BOX[0] <= x <= BOX[2] and BOX[1] <= y <= BOX[3]):
        fail(f"{label}: vertex {x},{y} outside clip box")
    if round(x, 4) != x or round(y, 4) != y:
        fail(f"{label}: vertex {x},{y} has more than 4 decimals")


def water_props(path, k, f, keys):
    props = f["properties"]
    if sorted(props) != sorted(keys):
        fail(f"{path} feature {k}: properties {sorted(props)}, expected {sorted(keys)}")
    for key in ("name", "name_alt"):
        if key in props and not (props[key] is None or (isinstance(props[key], str) and props[key])):
            fail(f"{path} feature {k}: bad {key} {props[key]!r}")
    if not isinstance(props["featurecla"], str):
        fail(f"{path} feature {k}: bad featurecla")
    if not isinstance(props["scalerank"], int) or isinstance(props["scalerank"], bool):
        fail(f"{path} feature {k}: scalerank must be an integer")
    if not isinstance(props["min_zoom"], (int, float)) or isinstance(props["min_zoom"], bool):
        fail(f"{path} feature {k}: min_zoom must be a number")
    return props


def load_fc(path):
    raw = open(path, "rb").read()
    if len(raw) > MAX_WATER_BYTES:
        fail(f"{path}: {len(raw)} bytes, more than {MAX_WATER_BYTES}")
    fc = json.loads(raw)
    if fc.get("type") != "FeatureCollection":
        fail(f"{path}: not a FeatureCollection")
    # One Feature per line.
    lines = raw.decode("utf-8").splitlines()
    if len(lines) != len(fc["features"]) + 2:
        fail(f"{path}: expected one feature per line")
    return raw, fc["features"]


def check_lakes():
    raw, feats = load_fc(LAKES_PATH)
    names, total, ohrid = set(), 0, None
    for k, f in enumerate(feats):
        props = water_props(LAKES_PATH, k, f, ["name", "featurecla", "scalerank", "min_zoom"])
        label = f"lake {props['name'] or k}"
        g = f["geometry"]
        if g["type"] == "Polygon":
            polys = [g["coordinates"]]
        elif g["type"] == "MultiPolygon":
            polys = g["coordinates"]
        else:
            fail(f"{label}: unexpected geometry {g['type']}")
        xs, ys = [], []
        for poly in polys:
            for i, ring in enumerate(poly):
                if len(ring) < 4 or ring[0] != ring[-1]:
                    fail(f"{label}: ring not closed or too short")
                if any(a == b for a, b in zip(ring, ring[1:])):
                    fail(f"{label}: repeated vertex")
                a = signed_area(ring)
                if a == 0 or (i == 0) != (a > 0):
                    fail(f"{label}: ring {i} has wrong winding (RFC 7946: outer CCW, holes CW)")
                for x, y in ring:
                    check_vertex(label, x, y)
                    xs.append(x)
                    ys.append(y)
                total += len(ring)
        names.add(props["name"])
        if props["name"] == "Lake Ohrid":
            ohrid = (min(xs), min(ys), max(xs), max(ys))
    missing = [n for n in REQUIRED_LAKES if n not in names]
    if missing:
        fail(f"missing lakes: {missing}")
    for got, want in zip(ohrid, OHRID):
        if abs(got - want) > SLACK:
            fail(f"Lake Ohrid bbox {ohrid} differs from expected {OHRID}")
    named = sum(1 for f in feats if f["properties"]["name"])
    print(f"{LAKES_PATH}: {len(raw)} bytes, {len(feats)} features ({named} named), {total} vertices")


def check_rivers():
    raw, feats = load_fc(RIVERS_PATH)
    names, total, in_kosovo = set(), 0, set()
    for k, f in enumerate(feats):
        props = water_props(RIVERS_PATH, k, f,
                            ["name", "name_alt", "featurecla", "scalerank", "min_zoom"])
        label = f"river {props['name'] or k}"
        g = f["geometry"]
        if g["type"] == "LineString":
            parts = [g["coordinates"]]
        elif g["type"] == "MultiLineString":
            parts = g["coordinates"]
        else:
            fail(f"{label}: unexpected geometry {g['type']}")
        for part in parts:
            if len(part) < 2:
                fail(f"{label}: part with fewer than 2 points")
            if any(a == b for a, b in zip(part, part[1:])):
                fail(f"{label}: repeated vertex")
            for x, y in part:
                check_vertex(label, x, y)
                if KOSOVO[0] <= x <= KOSOVO[2] and KOSOVO[1] <= y <= KOSOVO[3] and props["name"]:
                    in_kosovo.add(props["name"])
            total += len(part)
        names.add(props["name"])
    missing = [n for n in REQUIRED_RIVERS if n not in names]
    if missing:
        fail(f"missing rivers: {missing}")
    for n in ("Sitnica", "Beli Drim"):
        if n not in in_kosovo:
            fail(f"river {n} has no vertex in Kosovo's bbox")
    named = sum(1 for f in feats if f["properties"]["name"])
    print(f"{RIVERS_PATH}: {len(raw)} bytes, {len(feats)} features ({named} named), {total} vertices")
    print(f"named rivers with vertices in Kosovo's bbox: {', '.join(sorted(in_kosovo))}")


if __name__ == "__main__":
    main()
