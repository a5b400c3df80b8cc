// make bench: concurrent HLS players streaming one item, each doing what the web player does.
// A player opens the item's page, reads the master playlist from its <div data-player data-src>,
// takes one rendition (player i takes rendition i mod n), reads its playlist, fetches the key
// once, checks that its first segment decrypts to MPEG-TS, then fetches every segment in order,
// as fast as the server answers, over and over until time is up.
//
//   node players.mjs --name NAME --origin http://127.0.0.1:PORT --host school.localhost:PORT
//     --cookie lyceum_sid=… --page /admin/media/ID --players 50 --seconds 15 [--range 1048576]
//
// --master PATH instead of --page starts from that master playlist (the nginx yardstick).
//
// With --range, every segment is fetched in parts of that many bytes (`Range: bytes=a-b`, as
// Safari does). Prints one tab-separated row for summarise.mjs: name, players, seconds,
// segments, bytes, requests, p50, p90, p99 (seconds per request), errors, start p50 (seconds
// from a player's start to its first segment), renditions. Problems go to stderr, the first
// few in full; when no player got a single segment it exits with 1.
import http from 'node:http';
import { createDecipheriv } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    name: { type: 'string', default: 'HLS' },
    origin: { type: 'string' },
    host: { type: 'string' },
    cookie: { type: 'string' },
    page: { type: 'string' },
    master: { type: 'string' },
    players: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '15' },
    range: { type: 'string', default: '0' },
  },
});
for (const k of ['origin', 'host']) if (!o[k]) fail(`--${k} is required`);
if (!o.page === !o.master) fail('give either --page or --master');
const players = Number(o.players);
const seconds = Number(o.seconds);
const rangeBytes = Number(o.range);
if (!(players > 0) || !(seconds > 0) || !(rangeBytes >= 0)) fail('--players and --seconds must be positive numbers');

const origin = new URL(o.origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const latencies = [];
const starts = [];
let segments = 0;
let bytes = 0;
let requests = 0;
let errors = 0;
let reported = 0;

function fail(message) {
  console.error(`players.mjs: ${message}`);
  process.exit(1);
}

function problem(message) {
  errors += 1;
  if (reported++ < 5) console.error(`players.mjs: ${message}`);
}

/** One GET on the school's host; resolves with status, headers and (when `keep`) the body. */
function get(path, { keep = true, headers = {} } = {}) {
  requests += 1;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        path,
        headers: { host: o.host, ...(o.cookie ? { cookie: o.cookie } : {}), 'user-agent': 'lyceum-bench-player', ...headers },
      },
      (res) => {
        const chunks = [];
        let length = 0;
        res.on('data', (c) => {
          length += c.length;
          if (keep) chunks.push(c);
        });
        res.on('end', () => {
          const declared = Number(res.headers['content-length'] ?? length);
          if (length !== declared) reject(new Error(`${path}: ${length} bytes of ${declared}`));
          else resolve({ status: res.statusCode, headers: res.headers, length, body: keep ? Buffer.concat(chunks) : null });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function text(path) {
  const res = await get(path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.body.toString().replace(/\s+/g, ' ').slice(0, 300)}`);
  return res.body.toString();
}

function unescapeHtml(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** `NAME=value,NAME="quoted, value"` attribute lists of HLS tags. */
function attributes(list) {
  const out = {};
  for (const m of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) out[m[1]] = m[2].replace(/^"|"$/g, '');
  return out;
}

/** The variants of a master playlist, video ones only when there are any. */
function variants(master, base) {
  const lines = master.split('\n').map((l) => l.trim());
  const found = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const uri = lines.slice(i + 1).find((l) => l && !l.startsWith('#'));
    if (uri) found.push({ attrs: attributes(line.slice(18)), url: new URL(uri, base) });
  });
  const video = found.filter((v) => v.attrs.RESOLUTION);
  return video.length ? video : found;
}

/** Segments of a media playlist, with the key URL and IV they are encrypted with. */
function mediaPlaylist(index, base) {
  let sequence = 0;
  let key = null;
  const out = [];
  for (const line of index.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) sequence = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-KEY:')) {
      const a = attributes(line.slice(11));
      key = a.METHOD === 'NONE' ? null : { method: a.METHOD, url: new URL(a.URI, base), iv: a.IV };
    } else if (line && !line.startsWith('#')) {
      const n = sequence + out.length;
      const iv = key?.iv ? Buffer.from(key.iv.replace(/^0x/i, '').padStart(32, '0'), 'hex') : sequenceIv(n);
      out.push({ url: new URL(line, base), key, iv });
    }
  }
  return out;
}

function sequenceIv(n) {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(n), 8);
  return iv;
}

const path = (url) => url.pathname + url.search;
const since = (t) => Number(process.hrtime.bigint() - t) / 1e9;

/** Fetches one segment (whole, or in ranges); returns its bytes when `keep`, counts everything. */
async function segment(url, keep) {
  const parts = [];
  let offset = 0;
  let total = Infinity;
  do {
    const headers = rangeBytes ? { range: `bytes=${offset}-${offset + rangeBytes - 1}` } : {};
    const t = process.hrtime.bigint();
    let res;
    try {
      res = await get(path(url), { keep, headers });
    } catch (e) {
      problem(`GET ${path(url)}: ${e.message}`);
      return null;
    }
    latencies.push(since(t));
    if (res.status === 200) total = res.length;
    else if (res.status === 206) total = Number(/\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1] ?? NaN);
    if ((res.status !== 200 && res.status !== 206) || (res.status === 206 && !rangeBytes) || !(total >= 0)) {
      problem(`GET ${path(url)} ${headers.range ?? ''} answered ${res.status}`);
      return null;
    }
    bytes += res.length;
    offset += res.length;
    if (keep) parts.push(res.body);
  } while (offset < total);
  segments += 1;
  return keep ? Buffer.concat(parts) : true;
}

async function player(i, deadline) {
  const started = process.hrtime.bigint();
  let list;
  let key;
  let rendition;
  try {
    let masterUrl = new URL(o.master ?? '/', `http://${o.host}`);
    if (o.page) {
      const page = await text(o.page);
      const src = /<div data-player[^>]*\sdata-src="([^"]+)"/.exec(page)?.[1];
      if (!src) throw new Error(`no <div data-player data-src> on ${o.page}`);
      masterUrl = new URL(unescapeHtml(src), `http://${o.host}${o.page}`);
    }
    const all = variants(await text(path(masterUrl)), masterUrl);
    if (!all.length) throw new Error(`no variants in ${path(masterUrl)}`);
    const chosen = all[i % all.length];
    rendition = chosen.attrs.RESOLUTION ?? path(chosen.url);
    list = mediaPlaylist(await text(path(chosen.url)), chosen.url);
    if (!list.length) throw new Error(`no segments in ${path(chosen.url)}`);
    if (list[0].key) {
      if (list[0].key.method !== 'AES-128') throw new Error(`unexpected key method ${list[0].key.method}`);
      const res = await get(path(list[0].key.url));
      if (res.status !== 200 || res.length !== 16) throw new Error(`GET ${path(list[0].key.url)} answered ${res.status} with ${res.length} bytes`);
      key = res.body;
    }
  } catch (e) {
    problem(`player ${i} could not start: ${e.message}`);
    return null;
  }
  // The first segment, kept and decrypted: MPEG-TS packets start with 0x47 every 188 bytes.
  const first = await segment(list[0].url, true);
  starts.push(since(started));
  if (first && key) {
    try {
      const d = createDecipheriv('aes-128-cbc', key, list[0].iv);
      const plain = Buffer.concat([d.update(first), d.final()]);
      if (plain[0] !== 0x47 || (plain.length > 188 && plain[188] !== 0x47)) problem(`${path(list[0].url)} does not decrypt to MPEG-TS`);
    } catch (e) {
      problem(`${path(list[0].url)} does not decrypt with the key: ${e.message}`);
    }
  }
  for (let n = 1; Date.now() < deadline; n = (n + 1) % list.length) await segment(list[n].url, false);
  return rendition;
}

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const t0 = process.hrtime.bigint();
const deadline = Date.now() + seconds * 1000;
const chosen = await Promise.all(Array.from({ length: players }, (_, i) => player(i, deadline)));
const elapsed = since(t0);
agent.destroy();
if (!segments) fail(`no player got a segment (${errors} errors, the first ones above)`);
latencies.sort((a, b) => a - b);
starts.sort((a, b) => a - b);
const renditions = [...new Set(chosen.filter(Boolean))].join(' ');
console.log(
  [
    o.name,
    players,
    elapsed.toFixed(3),
    segments,
    bytes,
    requests,
    percentile(latencies, 50),
    percentile(latencies, 90),
    percentile(latencies, 99),
    errors,
    percentile(starts, 50),
    renditions || '-',
  ].join('\t'),
);
