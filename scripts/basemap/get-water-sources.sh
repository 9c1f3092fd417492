#!/bin/sh
# Puts the four Natural Earth 1:10m physical GeoJSON files that build-water.mjs
# reads into scripts/basemap/source/ (git-ignored), taken from a pinned commit
# of the public repository martynafford/natural-earth-geojson (CC0; GeoJSON
# converted with GDAL from Natural Earth 4.0.0 shapefiles, public domain).
#
#   git clone https://github.com/martynafford/natural-earth-geojson /tmp/negj
#   scripts/basemap/get-water-sources.sh /tmp/negj
#
# Needs git, 7z (Debian: p7zip-full) and sha256sum. Two of the files are stored
# in that repository only as .7z archives (their .json siblings are too large
# for it); they are unpacked here. Every file is checked against its sha256.
set -eu

REPO=${1:?usage: get-water-sources.sh PATH-TO-natural-earth-geojson-CLONE}
COMMIT=0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/source"
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

git -C "$REPO" cat-file -e "$COMMIT^{commit}" || {
  echo "commit $COMMIT not in $REPO" >&2; exit 1; }

# Plain GeoJSON files.
for f in ne_10m_lakes_europe ne_10m_rivers_europe; do
  git -C "$REPO" show "$COMMIT:10m/physical/$f.json" > "$OUT/$f.json"
done
# 7-Zip archives, each holding one <name>.json.
for f in ne_10m_lakes ne_10m_rivers_lake_centerlines; do
  git -C "$REPO" show "$COMMIT:10m/physical/$f.7z" > "$TMP/$f.7z"
  (cd "$TMP" && 7z x -y "$f.7z" "$f.json" > /dev/null)
  mv "$TMP/$f.json" "$OUT/$f.json"
done

cd "$OUT"
sha256sum -c <<'EOF'
93c8fdf0e591e113f449d0d466e15c7a9841b9b6571c7afe41f95ba51b322452  ne_10m_lakes.json
665f8061f1e1ffb0b9a2e6ea7c688168524e6891da082546981de9a173041a5c  ne_10m_lakes_europe.json
784acb3c691109ed2f32b6efbc51d7082eb4b16ea8c12f4d83f76bb625845a3e  ne_10m_rivers_lake_centerlines.json
1b8ffba35eec17b1b641f7ab342794f73bef466f0154774b8dc922a0409c6c4d  ne_10m_rivers_europe.json
EOF
