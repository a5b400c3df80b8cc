#!/usr/bin/env node
// Generates crates/kernel/templates/kernel/icons.html: one minijinja macro,
//
//   {% from "kernel/icons.html" import icon %}
//   {{ icon("book-open") }}  {{ icon("check", "w-4 h-4 text-emerald-600") }}
//
// that outputs the inline Lucide SVG (lucide-static, ISC) for the icons we use. Templates name
// icons as listed in ICONS below; where Lucide has since renamed an icon, ALIASES maps our
// name to the current one (the old names are deprecated upstream and may disappear).
// An unknown name renders an empty, same-sized <svg data-missing-icon="NAME">.
//
// Usage: npm run icons   (from web/; rerun after adding a name here or updating lucide-static)

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const WEB = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(WEB, "../crates/kernel/templates/kernel/icons.html");

// The names templates may use.
const ICONS = [
  "layout-dashboard", "book-open", "tag", "ticket", "file-text", "mail", "users", "user",
  "user-plus", "message-circle", "bar-chart-3", "settings", "credit-card", "key-round", "globe",
  "palette", "shield-check", "log-out", "log-in", "menu", "x", "check", "check-circle-2",
  "alert-triangle", "alert-circle", "info", "chevron-right", "chevron-down", "plus", "search",
  "trash-2", "copy", "external-link", "inbox", "sparkles", "graduation-cap", "play-circle", "video",
  "film", "headphones", "cloud-upload", "file", "file-archive", "image", "captions", "hard-drive", "loader-circle", "link", "rotate-ccw", "clapperboard",
  "lock", "upload", "download", "bell", "home", "arrow-right", "arrow-left", "eye", "pencil",
  "server", "activity", "rocket", "star", "zap", "smartphone", "languages", "calendar", "clock",
  "dollar-sign", "pause-circle", "refresh-cw", "building-2",
  // Courses: the builder, the player, quizzes, assignments and certificates.
  "list-tree", "grip-vertical", "lock-open", "circle", "circle-check", "eye-off", "arrow-up", "arrow-down",
  "chevron-left", "chevron-up", "undo-2", "redo-2", "award", "clipboard-check", "clipboard-list", "list-checks",
  "timer", "notebook-pen", "message-square", "send", "paperclip", "type", "bold", "italic", "heading-2",
  "heading-3", "list", "list-ordered", "quote", "code", "unlink", "image-plus", "ellipsis", "ellipsis-vertical",
  "copy-plus", "trophy", "qr-code", "share-2", "book", "layers", "folder", "folder-open", "play", "pause",
  "square", "user-check", "user-x", "calendar-clock", "hourglass", "trending-up", "trending-down", "percent",
  "printer", "mail-check", "bell-off", "file-check", "file-up", "sliders-horizontal", "panel-left", "circle-x",
  "circle-dot", "shuffle", "hash", "text-cursor-input", "square-pen", "file-spreadsheet", "table",
  "badge-check", "signature", "monitor", "flag", "reply", "send-horizontal", "arrow-up-right", "minus",
  "gauge", "target", "check-check", "list-video", "route", "circle-question-mark", "funnel", "file-play",
  "square-play", "book-heart",
  // Commerce: receipts and billing settings.
  "receipt",
  // Commerce: the catalog.
  "package", "archive",
  // Sales: orders, subscriptions, gifts, receipts.
  "shopping-bag", "repeat", "gift",
  // Marketing: the page builder, forms, contacts and funnels.
  "layout-template", "mail-plus", "contact", "text-align-start", "user-round", "mouse-pointer-click",
  "monitor-smartphone", "tags", "mouse-pointer", "split", "heart", "code-xml", "save", "globe-lock", "file-down",
  "workflow", "mail-open", "ban", "git-branch", "webhook", "shield-alert", "columns-2", "heading", "square-mouse-pointer", "panel-bottom",
  // Affiliates: the program, links, earnings and payouts.
  "handshake", "wallet", "banknote", "link-2", "coins", "hand-coins", "badge-percent",
];

// Our name -> the current Lucide name (same drawing, renamed upstream).
const ALIASES = {
  "bar-chart-3": "chart-column",
  "check-circle-2": "circle-check",
  "alert-triangle": "triangle-alert",
  "alert-circle": "circle-alert",
  "trash-2": "trash",
  "play-circle": "circle-play",
  "home": "house",
  "pause-circle": "circle-pause",
  "building-2": "building-complex",
};

const nodes = require("lucide-static/icon-nodes.json");
const { version } = require("lucide-static/package.json");

const escapeAttr = (v) => String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function children(lucideName) {
  return nodes[lucideName]
    .map(([tag, attrs]) => {
      const a = Object.entries(attrs)
        .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
        .join("");
      return `<${tag}${a}/>`;
    })
    .join("");
}

const SVG_OPEN =
  '<svg xmlns="http://www.w3.org/2000/svg" class="{{ class }}" width="24" height="24" viewBox="0 0 24 24"' +
  ' fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"' +
  ' aria-hidden="true" focusable="false">';

const errors = [];
const used = [];
const seen = new Set();
for (const name of ICONS) {
  if (seen.has(name)) errors.push(`${name} is listed twice`);
  seen.add(name);
  const lucide = name in nodes ? name : ALIASES[name];
  if (!lucide || !(lucide in nodes)) {
    errors.push(`${name}: not in lucide-static ${version}${ALIASES[name] ? ` (nor ${ALIASES[name]})` : ""}`);
    continue;
  }
  used.push([name, lucide]);
}
if (errors.length) {
  console.error(`icons.mjs: ${errors.join("\n  ")}\nAdd or fix the name in ALIASES.`);
  process.exit(1);
}

const branches = used.map(
  ([name, lucide], i) =>
    `{%- ${i === 0 ? "if" : "elif"} name == "${name}" -%}\n` +
    (lucide !== name ? `{#- lucide: ${lucide} -#}\n` : "") +
    `${SVG_OPEN}${children(lucide)}</svg>\n`,
);

const template =
  `{#- Generated by web/icons.mjs from lucide-static ${version} (ISC licence, https://lucide.dev).\n` +
  `    Do not edit: change web/icons.mjs and run \`npm run icons\` in web/.\n` +
  `    Usage: {% from "kernel/icons.html" import icon %} {{ icon("book-open", "w-4 h-4") }} -#}\n` +
  `{% macro icon(name, class="w-5 h-5") -%}\n` +
  branches.join("") +
  `{%- else -%}\n` +
  `<svg xmlns="http://www.w3.org/2000/svg" class="{{ class }}" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false" data-missing-icon="{{ name }}"></svg>\n` +
  `{%- endif -%}\n` +
  `{%- endmacro %}\n`;

fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, template);
const renamed = used.filter(([n, l]) => n !== l);
console.log(`icons → ${path.relative(process.cwd(), OUT)}: ${used.length} icons from lucide-static ${version}`);
if (renamed.length) console.log(`  renamed upstream: ${renamed.map(([n, l]) => `${n} → ${l}`).join(", ")}`);
