// Copies the dist files the web app needs (map, offline basemap renderer, outlines, Swagger UI) into ../static/vendor/ and converts the
// world-atlas TopoJSON outlines to GeoJSON once, here, so neither the browser nor the
// Python report needs a converter at run time. Plain node, no dependencies beyond
// package.json (run after `npm install`).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const nm = join(here, "node_modules");
const out = join(here, "..", "static", "vendor");
mkdirSync(join(out, "images"), { recursive: true });
mkdirSync(join(out, "swagger-ui"), { recursive: true });

const copies = [
  ["leaflet/dist/leaflet.js", "leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet.css"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js", "leaflet.markercluster.js"],
  ["leaflet.markercluster/dist/MarkerCluster.css", "MarkerCluster.css"],
  ["leaflet.markercluster/dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client.min.js"],
  ["leaflet/LICENSE", "LICENSE.leaflet.txt"],
  ["leaflet.markercluster/MIT-LICENCE.txt", "LICENSE.markercluster.txt"],
  ["world-atlas/LICENSE", "LICENSE.world-atlas.txt"],
  // the offline basemap (a local PMTiles file): vector tiles drawn on canvas, no workers
  ["protomaps-leaflet/dist/protomaps-leaflet.js", "protomaps-leaflet.js"],
  // /api/docs: Swagger UI served from here, not a CDN (the page's CSP allows 'self' only)
  ["swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist/LICENSE", "swagger-ui/LICENSE.txt"],
  ["swagger-ui-dist/NOTICE", "swagger-ui/NOTICE.txt"],
];
for (const [src, dst] of copies) copyFileSync(join(nm, src), join(out, dst));
for (const img of readdirSync(join(nm, "leaflet/dist/images"))) {
  copyFileSync(join(nm, "leaflet/dist/images", img), join(out, "images", img));
}

// protomaps-leaflet's browser bundle carries its dependencies: one notice with every licence
const bundled = [
  ["protomaps-leaflet", "LICENSE"],
  ["pmtiles", null],
  ["@protomaps/basemaps", null],
  ["@mapbox/point-geometry", "LICENSE"],
  ["@mapbox/vector-tile", "LICENSE.txt"],
  ["pbf", "LICENSE"],
  ["rbush", "LICENSE"],
  ["quickselect", "LICENSE"],
  ["potpack", "LICENSE"],
  ["color2k", "LICENSE"],
  ["fflate", "LICENSE"],
];
const notice = bundled.map(([pkg, file]) => {
  const meta = JSON.parse(readFileSync(join(nm, pkg, "package.json"), "utf8"));
  const text = file
    ? readFileSync(join(nm, pkg, file), "utf8")
    : `${meta.license} (see https://www.npmjs.com/package/${pkg}); no licence file in the package`;
  return `== ${pkg} ${meta.version} (${meta.license}) ==\n\n${text.trim()}\n`;
});
writeFileSync(join(out, "LICENSE.protomaps-leaflet.txt"), notice.join("\n"));

// Natural Earth outlines (public domain) via world-atlas: 50m for the map, 110m spare.
for (const scale of ["50m", "110m"]) {
  const topo = JSON.parse(readFileSync(join(nm, `world-atlas/countries-${scale}.json`), "utf8"));
  const geo = feature(topo, topo.objects.countries);
  // five decimals (about 1 m) is far finer than the outlines themselves
  const text = JSON.stringify(geo, (k, v) => (typeof v === "number" ? Math.round(v * 1e5) / 1e5 : v));
  writeFileSync(join(out, `countries-${scale}.geojson`), text);
}
console.log(`civcas web assets written to ${out}`);
