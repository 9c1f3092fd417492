// Builds assets/basemap/lakes.geojson and assets/basemap/rivers.geojson for
// Kronika from Natural Earth 1:10m physical vectors (public domain).
//
//   scripts/basemap/get-water-sources.sh PATH-TO-natural-earth-geojson-CLONE
//   cd scripts/basemap && npm ci && node build-water.mjs
//
// Inputs, in scripts/basemap/source/ (git-ignored; get-water-sources.sh puts
// them there and checks them): Natural Earth 4.0.0 as GeoJSON from the public
// repository martynafford/natural-earth-geojson at commit
// 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e, directory 10m/physical/:
//   ne_10m_lakes.json                    (unpacked from ne_10m_lakes.7z)
//   ne_10m_lakes_europe.json             (Natural Earth's Europe supplement)
//   ne_10m_rivers_lake_centerlines.json  (unpacked from the .7z)
//   ne_10m_rivers_europe.json            (Natural Earth's Europe supplement)
// The Europe files are supplements, not replacements: they add smaller lakes
// and rivers (scalerank 10-12) that the global files (scalerank <= 9) lack, so
// both are used. Each input's sha256 is checked before use.
//
// Steps:
//   1. keep features whose bounding box intersects BOX;
//   2. lakes: clip each polygon to BOX with polygon-clipping;
//      rivers: clip each line to BOX segment by segment (Liang-Barsky),
//      splitting a line into parts where it leaves and re-enters the box;
//   3. round coordinates to DECIMALS places, drop repeated points and
//      degenerate parts, and write one Feature per line, sorted.
//
// Output is deterministic: same inputs -> byte-identical files.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import polygonClipping from "polygon-clipping";

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, "source");
const outDir = join(here, "..", "..", "assets", "basemap");

// [west, south, east, north] in degrees (WGS84 lon/lat); same as build.mjs.
const BOX = [13, 38, 30, 47.5];
const DECIMALS = 4; // 1e-4 deg ~ 11 m lat, ~8 m lon at 42.5 N

const SOURCE_REPO = "martynafford/natural-earth-geojson";
const SOURCE_COMMIT = "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e";
const SOURCES = {
  "ne_10m_lakes.json": "93c8fdf0e591e113f449d0d466e15c7a9841b9b6571c7afe41f95ba51b322452",
  "ne_10m_lakes_europe.json": "665f8061f1e1ffb0b9a2e6ea7c688168524e6891da082546981de9a173041a5c",
  "ne_10m_rivers_lake_centerlines.json": "784acb3c691109ed2f32b6efbc51d7082eb4b16ea8c12f4d83f76bb625845a3e",
  "ne_10m_rivers_europe.json": "1b8ffba35eec17b1b641f7ab342794f73bef466f0154774b8dc922a0409c6c4d",
};

// Natural Earth 4.0.0 leaves some lakes unnamed. These are named here, each
// picked out by its exact source bounding box (rounded to 2 decimals, as
// [w, s, e, n]); the build fails unless each matches exactly one unnamed lake.
const LAKE_NAME_FILL = [
  { bbox: [20.63, 40.91, 20.82, 41.18], name: "Lake Ohrid" },
  { bbox: [20.91, 40.76, 21.12, 41.02], name: "Lake Prespa" },
  { bbox: [21.0, 40.68, 21.13, 40.81], name: "Small Prespa Lake" },
  { bbox: [20.15, 42.01, 20.42, 42.22], name: "Lake Fierza" },
];

// Names Natural Earth 4.0.0 spells with lost characters (its ASCII fallback of
// Romanian and Turkish letters); each must occur, or the build fails.
const NAME_FIXES = {
  "Balta Bistre?": "Balta Bistreț",
  "Iznik Gl": "İznik Gölü",
  "Kus Gl": "Kuş Gölü",
};
const nameFixHits = Object.fromEntries(Object.keys(NAME_FIXES).map((k) => [k, 0]));
function fixName(name) {
  if (name !== null && name in NAME_FIXES) {
    nameFixHits[name]++;
    return NAME_FIXES[name];
  }
  return name;
}

function load(file) {
  const buf = readFileSync(join(srcDir, file));
  const sha = createHash("sha256").update(buf).digest("hex");
  if (sha !== SOURCES[file]) {
    throw new Error(`${file}: sha256 ${sha}, expected ${SOURCES[file]}; run get-water-sources.sh`);
  }
  return JSON.parse(buf.toString("utf8")).features;
}

// ---- helpers ------------------------------------------------------------
const f = 10 ** DECIMALS;
const round = (v) => Math.round(v * f) / f;
const same = (a, b) => a[0] === b[0] && a[1] === b[1];

function bboxOf(coords) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === "number") {
      if (c[0] < w) w = c[0]; if (c[0] > e) e = c[0];
      if (c[1] < s) s = c[1]; if (c[1] > n) n = c[1];
    } else c.forEach(walk);
  };
  walk(coords);
  return [w, s, e, n];
}
const intersects = (b) => b[0] <= BOX[2] && b[2] >= BOX[0] && b[1] <= BOX[3] && b[3] >= BOX[1];

function inBox(features) {
  return features.filter((ft) => ft.geometry && intersects(bboxOf(ft.geometry.coordinates)));
}

const ringArea = (r) => {
  let a = 0;
  for (let i = 0; i + 1 < r.length; i++) a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return a / 2;
};

// Rounded, de-duplicated, closed ring, or null if degenerate.
function cleanRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [round(x), round(y)];
    if (!out.length || !same(out.at(-1), p)) out.push(p);
  }
  if (out.length && !same(out[0], out.at(-1))) out.push(out[0]);
  return out.length >= 4 ? out : null; // need >= 3 distinct vertices
}

// Rounded, de-duplicated line part, or null if fewer than 2 distinct points.
function cleanLine(line) {
  const out = [];
  for (const [x, y] of line) {
    const p = [round(x), round(y)];
    if (!out.length || !same(out.at(-1), p)) out.push(p);
  }
  return out.length >= 2 ? out : null;
}

// Liang-Barsky: the parameter range [t0, t1] of segment a->b inside BOX
// (edges count as inside), or null if it misses the box.
function clipSegment(a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  let t0 = 0, t1 = 1;
  const edges = [
    [-dx, a[0] - BOX[0]], [dx, BOX[2] - a[0]],
    [-dy, a[1] - BOX[1]], [dy, BOX[3] - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null; // parallel to this edge and outside it
    } else {
      const r = q / p;
      if (p < 0) { if (r > t1) return null; if (r > t0) t0 = r; }
      else { if (r < t0) return null; if (r < t1) t1 = r; }
    }
  }
  return [t0, t1];
}

// Clips a polyline to BOX; returns the parts inside, in order.
function clipLine(line) {
  const parts = [];
  let cur = null; // the open part that the next segment may continue
  const at = (a, b, t) =>
    t === 0 ? a : t === 1 ? b : [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i], b = line[i + 1];
    const c = clipSegment(a, b);
    if (!c) { cur = null; continue; }
    const [t0, t1] = c;
    if (!cur || t0 > 0) { cur = [at(a, b, t0)]; parts.push(cur); }
    cur.push(at(a, b, t1));
    if (t1 < 1) cur = null; // the segment leaves the box
  }
  return parts;
}

// `name` is Natural Earth's NAME field as is. (The 4.0.0 rivers also have a
// NAME_EN, but in this area it is a copy of NAME_ALT, e.g. "Truma" for the
// Struma, "Buna" for the Bojana, so it is not used; NAME_ALT is kept as
// `name_alt`.)
// Source scalerank is an integer (sometimes stored as 9.0); min_zoom is a
// fractional zoom level such as 6.7.
const intOrNull = (v) => (v === null || v === undefined ? null : Math.round(Number(v)));
const numOrNull = (v) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const strOrNull = (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

function sortFeatures(features) {
  const key = (ft) => {
    const g = ft.geometry;
    const first = g.type === "Polygon" ? g.coordinates[0][0]
      : g.type === "MultiPolygon" ? g.coordinates[0][0][0]
      : g.type === "LineString" ? g.coordinates[0] : g.coordinates[0][0];
    return [ft.properties.name === null ? 1 : 0, ft.properties.name ?? "",
      ft.properties.min_zoom ?? 99, first[0], first[1]];
  };
  const cmp = (a, b) => {
    const ka = key(a), kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  };
  return features.sort(cmp);
}

function write(name, features, sourceNote) {
  const header = {
    type: "FeatureCollection",
    name,
    // Informational; readers may ignore it.
    source: sourceNote,
    bbox: BOX,
  };
  const head = JSON.stringify(header).slice(0, -1);
  const body = features.map((ft) => JSON.stringify(ft)).join(",\n");
  const text = `${head},"features":[\n${body}\n]}\n`;
  const outPath = join(outDir, `${name}.geojson`);
  writeFileSync(outPath, text);
  const sha = createHash("sha256").update(text).digest("hex");
  return { outPath, bytes: Buffer.byteLength(text), sha };
}

const sourceNote = (files) =>
  `Natural Earth 4.0.0 1:10m ${files} via ${SOURCE_REPO}@${SOURCE_COMMIT.slice(0, 12)} (public domain)`;

mkdirSync(outDir, { recursive: true });
const boxPoly = [[[BOX[0], BOX[1]], [BOX[2], BOX[1]], [BOX[2], BOX[3]], [BOX[0], BOX[3]], [BOX[0], BOX[1]]]];

// ---- lakes -----------------------------------------------------------------
const lakeSrc = [...inBox(load("ne_10m_lakes.json")), ...inBox(load("ne_10m_lakes_europe.json"))];
const fillHits = LAKE_NAME_FILL.map(() => 0);
const lakes = [];
let lakeVerts = 0;
for (const ft of lakeSrc) {
  const p = ft.properties;
  let name = fixName(strOrNull(p.name));
  if (name === null) {
    const bb = bboxOf(ft.geometry.coordinates).map((v) => Math.round(v * 100) / 100);
    const i = LAKE_NAME_FILL.findIndex((e) => e.bbox.every((v, k) => v === bb[k]));
    if (i >= 0) { name = LAKE_NAME_FILL[i].name; fillHits[i]++; }
  }
  const g = ft.geometry;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const clipped = polygonClipping.intersection(polys, boxPoly);
  const cleaned = [];
  for (const poly of clipped) {
    const outer = cleanRing(poly[0]);
    if (!outer || ringArea(outer) <= 0) continue; // RFC 7946: outer CCW
    const holes = poly.slice(1).map(cleanRing).filter((r) => r && ringArea(r) < 0);
    cleaned.push([outer, ...holes]);
  }
  if (!cleaned.length) continue;
  for (const poly of cleaned) for (const r of poly) lakeVerts += r.length;
  lakes.push({
    type: "Feature",
    properties: {
      name,
      featurecla: strOrNull(p.featurecla),
      scalerank: intOrNull(p.scalerank),
      min_zoom: numOrNull(p.min_zoom),
    },
    geometry: cleaned.length === 1
      ? { type: "Polygon", coordinates: cleaned[0] }
      : { type: "MultiPolygon", coordinates: cleaned },
  });
}
fillHits.forEach((n, i) => {
  if (n !== 1) throw new Error(`LAKE_NAME_FILL ${LAKE_NAME_FILL[i].name} matched ${n} lakes`);
});
sortFeatures(lakes);
const lakesOut = write("lakes", lakes, sourceNote("lakes + lakes_europe"));

// ---- rivers ----------------------------------------------------------------
const riverSrc = [
  ...inBox(load("ne_10m_rivers_lake_centerlines.json")),
  ...inBox(load("ne_10m_rivers_europe.json")),
];
const rivers = [];
let riverVerts = 0;
for (const ft of riverSrc) {
  const p = ft.properties;
  const g = ft.geometry;
  const lines = g.type === "LineString" ? [g.coordinates] : g.coordinates;
  const parts = lines.flatMap(clipLine).map(cleanLine).filter(Boolean);
  if (!parts.length) continue;
  for (const part of parts) riverVerts += part.length;
  rivers.push({
    type: "Feature",
    properties: {
      name: fixName(strOrNull(p.name)),
      name_alt: strOrNull(p.name_alt),
      featurecla: strOrNull(p.featurecla),
      scalerank: intOrNull(p.scalerank),
      min_zoom: numOrNull(p.min_zoom),
    },
    geometry: parts.length === 1
      ? { type: "LineString", coordinates: parts[0] }
      : { type: "MultiLineString", coordinates: parts },
  });
}
sortFeatures(rivers);
const riversOut = write("rivers", rivers, sourceNote("rivers_lake_centerlines + rivers_europe"));

console.log(`${DECIMALS} decimals, box ${BOX.join(",")}`);
console.log(`lakes:  ${lakes.length} features (${lakeSrc.length} source), ${lakeVerts} vertices, ` +
  `${lakesOut.bytes} bytes, sha256 ${lakesOut.sha} -> ${lakesOut.outPath}`);
console.log(`rivers: ${rivers.length} features (${riverSrc.length} source), ${riverVerts} vertices, ` +
  `${riversOut.bytes} bytes, sha256 ${riversOut.sha} -> ${riversOut.outPath}`);
for (const [name, hits] of Object.entries(nameFixHits)) {
  if (hits === 0) throw new Error(`NAME_FIXES ${name} matched nothing`);
}
const named = (fs) => [...new Set(fs.map((ft) => ft.properties.name).filter(Boolean))].join(", ");
console.log(`named lakes: ${named(lakes)}`);
console.log(`named rivers: ${named(rivers)}`);
