// Builds the dashboard into ../src/tocsin/api/static/ (served at / by `tocsin serve`).
// Everything comes from npm packages installed by `npm ci`; nothing is fetched at run time.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "tocsin", "api", "static");
const require = createRequire(import.meta.url);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { app: join(here, "src", "main.js"), style: join(here, "src", "style.css") },
  bundle: true,
  minify: true,
  sourcemap: false, // no source maps are shipped or served (issue 14, item 8)
  format: "esm",
  target: ["es2020"],
  outdir: out,
  loader: { ".png": "file", ".svg": "file" },
  assetNames: "assets/[name]-[hash]",
  legalComments: "linked",
  logLevel: "info",
});

copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
// Country borders: Natural Earth 1:50m (public domain) as TopoJSON, from the world-atlas package.
copyFileSync(require.resolve("world-atlas/countries-50m.json"), join(out, "countries-50m.json"));

// Licences of the bundled packages, next to the code that includes them.
const notices = ["leaflet", "leaflet.markercluster", "topojson-client", "world-atlas"].map((name) => {
  const folder = dirname(require.resolve(`${name}/package.json`));
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  let text = "";
  for (const file of ["LICENSE", "LICENSE.md", "LICENSE.txt"]) {
    try { text = readFileSync(join(folder, file), "utf8"); break; } catch { /* next */ }
  }
  return `${name} ${meta.version} (${meta.license})\n\n${text}`;
});
notices.push("Country borders: Natural Earth (naturalearthdata.com), public domain.");
writeFileSync(join(out, "THIRD-PARTY-NOTICES.txt"), notices.join("\n\n---\n\n"));
