#!/usr/bin/env node
// Builds Lyceum's front end into ../assets/dist (served by the app at /assets/):
//
//   app.<hash>.js     src/app.ts bundled by esbuild (htmx + our behaviours; minified, es2020, iife)
//   uploader.<hash>.js, player.<hash>.js, curriculum.<hash>.js, editor.<hash>.js, quiz.<hash>.js
//                     the islands in src/islands/ (tus-js-client, hls.js, SortableJS, Tiptap, the
//                     quiz countdown), each loaded only by
//                     the pages that need it; htmx is not bundled again (app.js sets window.htmx)
//   app.<hash>.css    src/app.css compiled by the Tailwind CLI (scans crates/*/templates), minified
//   fonts.<hash>.css  src/fonts.css bundled by esbuild; the font files beside it as <name>.<hash>.woff2
//   *.gz              gzip copies of the css and js (tower-http serves them precompressed)
//   manifest.json     {"app.css": …, "app.js": …, "fonts.css": …, "player.js": …, "uploader.js": …}
//
// New files are written first, then the files of earlier builds are removed, so a running
// server never sees a manifest naming a missing file. Needs no install scripts
// (esbuild and Tailwind's native parts come as platform packages).
//
// Usage: npm run build   (from web/)

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import * as esbuild from "esbuild";

const require = createRequire(import.meta.url);
const WEB = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WEB, "..");
const SRC = path.join(WEB, "src");
const DIST = path.resolve(ROOT, process.env.LYCEUM_ASSETS_DIR || "assets/dist");

// Which subsets of each font to keep (by fontsource id). Every @font-face has a unicode-range,
// so extra subsets cost only disk space and a few lines of fonts.css, never a download that a
// page does not need.
const FONT_SUBSETS = {
  inter: "all", // the interface font: names and text in any script a student writes
  "noto-sans": "all", // chosen by schools for its script coverage
  default: ["latin", "latin-ext"],
};

const started = performance.now();
const outputs = new Map(); // file name in DIST -> Buffer

function contentHash(data) {
  return createHash("sha256").update(data).digest("hex").slice(0, 10);
}

function hashedName(logical, data) {
  const ext = path.extname(logical);
  return `${path.basename(logical, ext)}.${contentHash(data)}${ext}`;
}

// ---------------------------------------------------------------------------------------------
// JavaScript

/** Lucide's SVG files as minified markup strings (`import play from "lucide-static/icons/play.svg"`). */
const svgText = {
  name: "svg-text",
  setup(build) {
    build.onLoad({ filter: /\.svg$/ }, async (args) => {
      const svg = await fs.promises.readFile(args.path, "utf8");
      const contents = svg
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/\s+/g, " ")
        .replace(/>\s+</g, "><")
        .replace(/\s*(\/?>)/g, "$1")
        .replace(/ class="[^"]*"/, "")
        .trim();
      return { contents, loader: "text" };
    });
  },
};

/** Bundles one entry point into `<logical name>.<hash>.js`. */
async function buildJs(entry, logical) {
  const result = await esbuild.build({
    entryPoints: [path.join(SRC, entry)],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    legalComments: "none",
    charset: "utf8",
    outdir: DIST,
    write: false,
    logLevel: "warning",
    plugins: [svgText],
  });
  const [file] = result.outputFiles;
  const data = Buffer.from(file.contents);
  const name = hashedName(logical, data);
  outputs.set(name, data);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Tailwind CSS (the CLI, run once; no --watch, which would need @parcel/watcher's install script)

function tailwindBin() {
  const pkgPath = require.resolve("@tailwindcss/cli/package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin.tailwindcss || Object.values(pkg.bin)[0];
  return path.join(path.dirname(pkgPath), bin);
}

function buildCss() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lyceum-css-"));
  try {
    const out = path.join(tmp, "app.css");
    const run = spawnSync(
      process.execPath,
      [tailwindBin(), "--input", path.join(SRC, "app.css"), "--output", out, "--minify"],
      { cwd: WEB, encoding: "utf8" },
    );
    if (run.status !== 0 || !fs.existsSync(out)) {
      process.stderr.write(run.stdout || "");
      process.stderr.write(run.stderr || "");
      throw new Error(`tailwindcss failed (exit ${run.status ?? run.signal})`);
    }
    const data = fs.readFileSync(out);
    const name = hashedName("app.css", data);
    outputs.set(name, data);
    return name;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Fonts

const FACE = /\/\*\s*([a-z0-9-]+)\s*\*\/\s*@font-face\s*\{[^}]*\}/g;
const FACE_NAME = /^(.+)-(wght|wdth|opsz|standard|full|slnt|\d{3})-(normal|italic)$/;

/** Keeps only the wanted subsets of a fontsource CSS file. */
const fontSubsets = {
  name: "fontsource-subsets",
  setup(build) {
    build.onLoad({ filter: /[\\/]@fontsource(-variable)?[\\/][^\\/]+[\\/][^\\/]+\.css$/ }, async (args) => {
      const id = path.basename(path.dirname(args.path));
      const wanted = FONT_SUBSETS[id] ?? FONT_SUBSETS.default;
      const css = await fs.promises.readFile(args.path, "utf8");
      const total = (css.match(/@font-face/g) || []).length;
      const faces = [...css.matchAll(FACE)];
      if (faces.length !== total) {
        throw new Error(`${args.path}: found ${total} @font-face rules but parsed ${faces.length}`);
      }
      const kept = faces.filter(([, name]) => {
        const m = name.startsWith(`${id}-`) && FACE_NAME.exec(name.slice(id.length + 1));
        if (!m) throw new Error(`${args.path}: cannot read the subset of "${name}"`);
        return wanted === "all" || wanted.includes(m[1]);
      });
      if (kept.length === 0) throw new Error(`${args.path}: no @font-face left for subsets ${wanted}`);
      return {
        contents: kept.map(([block]) => block).join("\n"),
        loader: "css",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

async function buildFonts() {
  const result = await esbuild.build({
    entryPoints: { fonts: path.join(SRC, "fonts.css") },
    bundle: true,
    minify: true,
    loader: { ".woff2": "file", ".woff": "file" },
    assetNames: "[name].[hash]",
    entryNames: "[name]",
    outdir: DIST,
    write: false,
    logLevel: "warning",
    plugins: [fontSubsets],
  });
  let css = null;
  let fonts = 0;
  for (const file of result.outputFiles) {
    const rel = path.relative(DIST, file.path);
    if (rel.includes(path.sep)) throw new Error(`unexpected output outside ${DIST}: ${file.path}`);
    if (rel === "fonts.css") css = Buffer.from(file.contents);
    else {
      outputs.set(rel, Buffer.from(file.contents));
      fonts++;
    }
  }
  if (!css) throw new Error("esbuild produced no fonts.css");
  // Font URLs are relative to the stylesheet, which sits beside them: "./name.HASH.woff2".
  for (const [, url] of css.toString("utf8").matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
    if (!url.startsWith("./") || url.includes("/", 2) || !outputs.has(url.slice(2))) {
      throw new Error(`fonts.css refers to ${url}, not a file beside it`);
    }
  }
  const name = hashedName("fonts.css", css);
  outputs.set(name, css);
  return { name, fonts };
}

// ---------------------------------------------------------------------------------------------

// Each island is built from src/islands/<name>.ts into <name>.js, loaded only by the pages
// that need it.
const ISLANDS = [
  "uploader", "player", "curriculum", "editor", "quiz", "charts", "page-builder", "beacon", "form-embed", "funnel-charts",
  "automation-editor", "email-editor",
].filter((n) =>
  fs.existsSync(path.join(SRC, "islands", `${n}.ts`)),
);
const [js, css, fonts, ...islands] = await Promise.all([
  buildJs("app.ts", "app.js"),
  Promise.resolve().then(buildCss),
  buildFonts(),
  ...ISLANDS.map((n) => buildJs(`islands/${n}.ts`, `${n}.js`)),
]);
const manifest = {
  "app.css": css,
  "app.js": js,
  "fonts.css": fonts.name,
  ...Object.fromEntries(ISLANDS.map((n, i) => [`${n}.js`, islands[i]])),
};

for (const name of Object.values(manifest)) {
  outputs.set(`${name}.gz`, zlib.gzipSync(outputs.get(name), { level: 9 }));
}
outputs.set("manifest.json", Buffer.from(JSON.stringify(manifest, null, 2) + "\n"));

fs.mkdirSync(DIST, { recursive: true });
for (const [name, data] of outputs) {
  const target = path.join(DIST, name);
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, target); // the manifest is replaced in one step
}
// Remove what earlier builds left: only names this script makes, in case DIST is shared.
const OURS = [/\.[0-9a-f]{10}\.(css|js)(\.gz)?$/, /\.[A-Z0-9]{8}\.(woff2?|ttf|otf)$/, /\.tmp-\d+$/];
let removed = 0;
for (const entry of fs.readdirSync(DIST, { withFileTypes: true })) {
  if (entry.isFile() && !outputs.has(entry.name) && OURS.some((re) => re.test(entry.name))) {
    fs.rmSync(path.join(DIST, entry.name), { recursive: true, force: true });
    removed++;
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const size = (name) => `${kb(outputs.get(name).length)} (gzip ${kb(outputs.get(`${name}.gz`).length)})`;
const ms = Math.round(performance.now() - started);
console.log(`assets → ${path.relative(process.cwd(), DIST) || "."} in ${ms} ms`);
console.log(`  ${manifest["app.js"].padEnd(28)} ${size(manifest["app.js"])}`);
console.log(`  ${manifest["app.css"].padEnd(28)} ${size(manifest["app.css"])}`);
console.log(`  ${manifest["fonts.css"].padEnd(28)} ${size(manifest["fonts.css"])} + ${fonts.fonts} font files`);
for (const n of ISLANDS) console.log(`  ${manifest[`${n}.js`].padEnd(28)} ${size(manifest[`${n}.js`])}`);
if (removed) console.log(`  removed ${removed} old file(s)`);
