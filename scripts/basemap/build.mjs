// Builds assets/basemap/countries.geojson for Kronika from Natural Earth 1:10m
// admin-0 countries, as redistributed by the `world-atlas` npm package.
//
//   cd scripts/basemap && npm ci && node build.mjs
//
// Steps:
//   1. load node_modules/world-atlas/countries-10m.json (TopoJSON, quantized);
//   2. keep countries whose bounding box intersects BOX;
//   3. simplify each shared TopoJSON arc with Douglas–Peucker (TOLERANCE_M,
//      measured in local metres), so neighbouring countries keep identical
//      borders with no gaps/overlaps;
//   4. convert to GeoJSON with topojson-client;
//   5. clip each country polygon to BOX with polygon-clipping (true polygon
//      intersection, not just a bbox filter);
//   6. round coordinates to DECIMALS places, drop repeated points and
//      degenerate rings, and write one Feature per line.
//
// Output is deterministic: same inputs -> byte-identical file.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import * as topojson from "topojson-client";
import polygonClipping from "polygon-clipping";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "..", "assets", "basemap");

// [west, south, east, north] in degrees (WGS84 lon/lat).
const BOX = [13, 38, 30, 47.5];
// Douglas–Peucker tolerance in metres (0 = keep every source vertex, the
// default: the unsimplified clip is only ~260 KB). 1:50k -> 1 mm = 50 m.
const TOLERANCE_M = Number(process.env.BASEMAP_TOLERANCE_M ?? 0);
const DECIMALS = 4; // 1e-4 deg ~ 11 m lat, ~8 m lon at 42.5 N

// world-atlas carries Natural Earth's abbreviated NAME field (and the pre-2019
// "Macedonia"); spell out full English names for display.
const NAME_FIXES = {
  "Bosnia and Herz.": "Bosnia and Herzegovina",
  "Macedonia": "North Macedonia",
};

const worldPath = require.resolve("world-atlas/countries-10m.json");
const worldPkg = require("world-atlas/package.json");
const topo = JSON.parse(readFileSync(worldPath, "utf8"));

// ---- 1. decode arcs to absolute lon/lat --------------------------------
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => {
    x += dx; y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

// ---- 2. select countries intersecting BOX -------------------------------
const arcIndex = (i) => (i < 0 ? ~i : i);
function geomArcIds(g) {
  const ids = [];
  const walk = (a) => (typeof a === "number" ? ids.push(arcIndex(a)) : a.forEach(walk));
  walk(g.arcs);
  return ids;
}
function arcsBbox(ids) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const id of ids) for (const [x, y] of arcs[id]) {
    if (x < w) w = x; if (x > e) e = x; if (y < s) s = y; if (y > n) n = y;
  }
  return [w, s, e, n];
}
const intersects = (b) => b[0] <= BOX[2] && b[2] >= BOX[0] && b[1] <= BOX[3] && b[3] >= BOX[1];

const selected = topo.objects.countries.geometries.filter(
  (g) => g.arcs && intersects(arcsBbox(geomArcIds(g))),
);

// ---- 3. topology-preserving Douglas–Peucker on shared arcs --------------
const midLat = ((BOX[1] + BOX[3]) / 2) * (Math.PI / 180);
const mPerDegY = 111_320;
const mPerDegX = 111_320 * Math.cos(midLat);

function segDist2(p, a, b) {
  const px = p[0] * mPerDegX, py = p[1] * mPerDegY;
  const ax = a[0] * mPerDegX, ay = a[1] * mPerDegY;
  const bx = b[0] * mPerDegX, by = b[1] * mPerDegY;
  let dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  dx = px - (ax + t * dx); dy = py - (ay + t * dy);
  return dx * dx + dy * dy;
}
function douglasPeucker(pts, tol) {
  if (tol <= 0 || pts.length <= 2) return pts;
  const tol2 = tol * tol;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  // A closed arc (a whole island ring) has first == last; split it at the
  // point farthest from the start so that DP has a real baseline.
  const stack = [];
  const closed = pts.length > 3 && pts[0][0] === pts.at(-1)[0] && pts[0][1] === pts.at(-1)[1];
  if (closed) {
    let far = 1, best = -1;
    for (let i = 1; i < pts.length - 1; i++) {
      const d = segDist2(pts[i], pts[0], pts[0]);
      if (d > best) { best = d; far = i; }
    }
    keep[far] = 1;
    stack.push([0, far], [far, pts.length - 1]);
  } else {
    stack.push([0, pts.length - 1]);
  }
  while (stack.length) {
    const [i0, i1] = stack.pop();
    let idx = -1, best = tol2;
    for (let i = i0 + 1; i < i1; i++) {
      const d = segDist2(pts[i], pts[i0], pts[i1]);
      if (d > best) { best = d; idx = i; }
    }
    if (idx >= 0) { keep[idx] = 1; stack.push([i0, idx], [idx, i1]); }
  }
  return pts.filter((_, i) => keep[i]);
}

const usedArcs = new Set(selected.flatMap(geomArcIds));
const simpleTopo = {
  type: "Topology",
  arcs: arcs.map((a, i) => (usedArcs.has(i) ? douglasPeucker(a, TOLERANCE_M) : [])),
  objects: { countries: { type: "GeometryCollection", geometries: selected } },
};

// ---- 4./5./6. convert, clip, round --------------------------------------
const boxPoly = [[[BOX[0], BOX[1]], [BOX[2], BOX[1]], [BOX[2], BOX[3]], [BOX[0], BOX[3]], [BOX[0], BOX[1]]]];
const f = 10 ** DECIMALS;
const round = (v) => Math.round(v * f) / f;

function cleanRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [round(x), round(y)];
    const last = out.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length && (out[0][0] !== out.at(-1)[0] || out[0][1] !== out.at(-1)[1])) out.push(out[0]);
  return out.length >= 4 ? out : null; // need >= 3 distinct vertices
}

const features = [];
let vertices = 0;
for (const feat of topojson.feature(simpleTopo, simpleTopo.objects.countries).features) {
  const g = feat.geometry;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const clipped = polygonClipping.intersection(polys, boxPoly);
  const cleaned = [];
  for (const poly of clipped) {
    const outer = cleanRing(poly[0]);
    if (!outer) continue;
    const holes = poly.slice(1).map(cleanRing).filter(Boolean);
    cleaned.push([outer, ...holes]);
  }
  if (!cleaned.length) continue;
  for (const p of cleaned) for (const r of p) vertices += r.length;
  const name = NAME_FIXES[feat.properties.name] ?? feat.properties.name;
  // id: ISO 3166-1 numeric (zero-padded string) where the source has one;
  // Kosovo has none, so its id is its name.
  features.push({
    type: "Feature",
    properties: { name, id: feat.id ?? name },
    geometry: cleaned.length === 1
      ? { type: "Polygon", coordinates: cleaned[0] }
      : { type: "MultiPolygon", coordinates: cleaned },
  });
}
features.sort((a, b) => a.properties.name.localeCompare(b.properties.name, "en"));

const header = {
  type: "FeatureCollection",
  name: "countries",
  // Informational; readers may ignore it.
  source: `Natural Earth 1:10m admin-0 countries via npm world-atlas@${worldPkg.version} (public domain)`,
  bbox: BOX,
};
const head = JSON.stringify(header).slice(0, -1);
const body = features.map((ft) => JSON.stringify(ft)).join(",\n");
const text = `${head},"features":[\n${body}\n]}\n`;
mkdirSync(outDir, { recursive: true });
const outPath = join(outDir, "countries.geojson");
writeFileSync(outPath, text);

console.log(`tolerance ${TOLERANCE_M} m, ${DECIMALS} decimals, box ${BOX.join(",")}`);
console.log(`${features.length} features, ${vertices} vertices, ${text.length} bytes -> ${outPath}`);
console.log(features.map((ft) => `${ft.properties.name}(${ft.properties.id})`).join(", "));
