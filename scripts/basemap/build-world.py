#!/usr/bin/env python3
"""Builds the world layer of Kronika's offline basemap from Natural Earth (public domain).

Reads Natural Earth 4.x GeoJSON from a checkout of martynafford/natural-earth-geojson at a pinned
commit (given as the first argument), checks each input's sha256, keeps only what Kronika draws
(names, ids, populations) with coordinates rounded to 0.001°, and writes:

  assets/basemap/world-countries.geojson  1:110m admin-0 countries
  assets/basemap/world-lakes.geojson      1:110m lakes
  assets/basemap/world-rivers.geojson     1:110m rivers and lake centrelines
  assets/basemap/world-places.geojson     1:50m populated places (name, population, rank)

Usage: scripts/basemap/build-world.py PATH/TO/natural-earth-geojson
"""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

COMMIT = "0b9a6ce"  # martynafford/natural-earth-geojson, "Add two missing archives"
INPUTS = {
    "110m/cultural/ne_110m_admin_0_countries.json": "a2faba6d84aeb04246240ee301c5e94a1a32b0e294a2c97094262fd0a6ae3c16",
    "110m/physical/ne_110m_lakes.json": "6f315b60488e0cf5da9c360e3ce593babf64c2f44cc21e2820c536f7a2aff606",
    "110m/physical/ne_110m_rivers_lake_centerlines.json": "959e13128e4eb5a6ee530b8270c5017bcee9149ce48a97f6fe7fee1fce600b5d",
    "50m/cultural/ne_50m_populated_places_simple.json": "fdcae83611519d6b8137f8769a399d9ea97a9ce817642ae2689626ef7cc961ff",
}
OUT = Path(__file__).resolve().parents[2] / "assets" / "basemap"


def read(repo, path):
    data = subprocess.run(["git", "-C", repo, "show", f"{COMMIT}:{path}"], check=True, capture_output=True).stdout
    digest = hashlib.sha256(data).hexdigest()
    if digest != INPUTS[path]:
        sys.exit(f"{path}: sha256 {digest}, expected {INPUTS[path]}")
    return json.loads(data)


def rounded(coordinates):
    if isinstance(coordinates, (int, float)):
        return round(coordinates, 3)
    return [rounded(c) for c in coordinates]


def write(name, features, source):
    collection = {"type": "FeatureCollection", "name": name, "source": source, "features": features}
    text = "{\"type\":\"FeatureCollection\",\"name\":%s,\"source\":%s,\"features\":[\n" % (
        json.dumps(name), json.dumps(source))
    text += ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    text += "\n]}\n"
    (OUT / f"{name}.geojson").write_text(text, encoding="utf-8")
    print(f"{name}.geojson: {len(features)} features, {len(text.encode())} bytes", file=sys.stderr)
    return collection


def main(repo):
    countries = read(repo, "110m/cultural/ne_110m_admin_0_countries.json")
    features = []
    for f in countries["features"]:
        p = f["properties"]
        iso = p.get("ISO_N3") or p.get("iso_n3") or "-99"
        name = p.get("NAME_EN") or p.get("NAME") or p.get("name")
        fid = iso if iso not in ("-99", None) else name
        features.append({"type": "Feature", "properties": {"name": name, "id": str(fid)},
                         "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])}})
    features.sort(key=lambda f: f["properties"]["name"])
    write("world-countries", features, "Natural Earth 1:110m admin 0 countries (public domain)")

    lakes = read(repo, "110m/physical/ne_110m_lakes.json")
    write("world-lakes", [{"type": "Feature", "properties": {"name": f["properties"].get("name") or ""},
                           "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])}}
                          for f in lakes["features"]], "Natural Earth 1:110m lakes (public domain)")

    rivers = read(repo, "110m/physical/ne_110m_rivers_lake_centerlines.json")
    write("world-rivers", [{"type": "Feature", "properties": {"name": f["properties"].get("name") or ""},
                            "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])}}
                           for f in rivers["features"] if f["geometry"]],
          "Natural Earth 1:110m rivers and lake centrelines (public domain)")

    places = read(repo, "50m/cultural/ne_50m_populated_places_simple.json")
    kept = []
    for f in places["features"]:
        p = f["properties"]
        kept.append({"type": "Feature", "properties": {"name": p.get("name"), "pop": int(p.get("pop_max") or 0),
                                                       "rank": int(p.get("scalerank") or 10)},
                     "geometry": {"type": "Point", "coordinates": rounded(f["geometry"]["coordinates"])}})
    kept.sort(key=lambda f: (-f["properties"]["pop"], f["properties"]["name"] or ""))
    write("world-places", kept, "Natural Earth 1:50m populated places, simple (public domain)")


if __name__ == "__main__":
    main(sys.argv[1])
