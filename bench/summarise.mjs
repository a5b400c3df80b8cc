// make bench: turns one load run's output (oha JSON or bench/wrk-report.lua's line) into a
// tab-separated row, and prints the rows as a table at the end.
//   node summarise.mjs oha|wrk RESULT_FILE NAME PEAK_KIB   → one row on stdout
//   node summarise.mjs table ROWS_FILE                     → the table
//   node summarise.mjs media MEDIA_FILE PLAYERS_FILE       → the media figures (bench/media.sh)
//   node summarise.mjs ratio ROWS_FILE PGBENCH_TPS          → learning pages against pgbench -S
//   node summarise.mjs checkout CHECKOUT_FILE PGBENCH_TPS    → orders per second (bench/checkout.sh);
//                                                             exits 1 when an order was lost or duplicated
import { readFileSync } from 'node:fs';

const [mode, file, name, peakKib] = process.argv.slice(2);

if (mode === 'table') {
  const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  const head = ['scenario', 'req/s', 'p50', 'p90', 'p99', 'errors', 'peak RSS'];
  printTable(head, rows.map(([n, rps, p50, p90, p99, errors, total, kib]) => [
    n,
    Math.round(Number(rps)).toLocaleString('en-US'),
    ms(p50),
    ms(p90),
    ms(p99),
    `${Number(errors).toLocaleString('en-US')}/${Number(total).toLocaleString('en-US')}`,
    mib(Number(kib) * 1024),
  ]));
  console.log('\nerrors: failed requests and answers other than 2xx / all requests. peak RSS: the serving process(es), reset before each scenario.');
  process.exit(0);
}

if (mode === 'ratio') {
  // The issue's target: the logged-in lesson page at ≥ 0.15× pgbench's select-only tps on the
  // same box, with p99 ≤ 20 ms. The dashboard is printed beside it.
  const tps = Number(name);
  const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  console.log(`pgbench -S (select-only, same database server, same connections): ${Math.round(tps).toLocaleString('en-US')} tps`);
  for (const [n, rps, , , p99] of rows.filter(([n]) => n.startsWith('lesson page') || n.startsWith('student dashboard'))) {
    const ratio = Number(rps) / tps;
    const target = n.startsWith('lesson page') ? (ratio >= 0.15 && Number(p99) <= 0.02 ? '  (target ≥ 0.15× and p99 ≤ 20 ms: met)' : '  (target ≥ 0.15× and p99 ≤ 20 ms: NOT met)') : '';
    console.log(`  ${n}: ${ratio.toFixed(3)}× pgbench, p99 ${ms(p99)}${target}`);
  }
  process.exit(0);
}

if (mode === 'page') {
  // The issue's target for a published sales page: ≥ 0.5× nginx serving the same HTML as a
  // file, and p99 ≤ 5 ms at 80% of the rate lyceum reached.
  const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  const find = (prefix) => rows.find(([n]) => n.startsWith(prefix));
  const [, rps] = find('sales page (lyceum)') ?? [];
  const [, nginxRps] = find('sales page (nginx static)') ?? [];
  const held = find('sales page at 80% load');
  if (!rps || !nginxRps) process.exit(0);
  const ratio = Number(rps) / Number(nginxRps);
  console.log(`Sales page: ${Math.round(Number(rps)).toLocaleString('en-US')} req/s against nginx's ${Math.round(Number(nginxRps)).toLocaleString('en-US')} on the same HTML: ${ratio.toFixed(2)}× (target ≥ 0.5×: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  if (held) {
    const p99 = Number(held[4]);
    console.log(`  at 80% of that load: p50 ${ms(held[2])}, p99 ${ms(p99)} (target ≤ 5 ms: ${p99 <= 0.005 ? 'met' : 'NOT met'})`);
  }
  process.exit(0);
}

if (mode === 'checkout') {
  // The issue's target: ≥ 300 sandbox orders per second end to end, none lost or duplicated.
  const m = Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split('\t')));
  const n = (k) => Number(m[k]);
  const tps = Number(name);
  const rate = n('flows') / n('seconds');
  const fulfilled = n('orders') / (n('seconds') + n('drain'));
  console.log(`Checkout: ${m.buyers} buyers at once for ${Number(m.seconds).toFixed(1)} s, each flow GET /checkout/{offer}, POST the form, POST the sandbox card form, GET the thank-you page; a \`lyceum worker\` enrolling from order.paid`);
  const rows = [
    ['orders/s', rate.toFixed(1), `${n('flows').toLocaleString('en-US')} flows completed (${n('errors')} errors, ${n('requests').toLocaleString('en-US')} requests); target ≥ 300: ${rate >= 300 ? 'met' : 'NOT met'}`],
    ['per flow', `p50 ${ms(m.p50)}`, `p90 ${ms(m.p90)}, p99 ${ms(m.p99)} (4 requests)`],
    ['fulfilled', `${fulfilled.toFixed(1)}/s`, `orders enrolled by the worker, the last ${Number(m.drain).toFixed(1)} s after the load stopped`],
    ['database', `${n('orders').toLocaleString('en-US')} orders`, `${n('payments')} payments, ${n('grants')} access grants, ${n('enrolments')} enrolments for ${n('db_flows')} completed flows`],
    ['pgbench -S', `${(rate / tps).toFixed(4)}×`, `orders/s against ${Math.round(tps).toLocaleString('en-US')} tps select-only`],
    ['peak RSS', mib(n('peak_kib') * 1024), 'lyceum serve'],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [k, v, rest] of rows) console.log(`  ${k.padEnd(w0)}  ${v.padStart(w1)}  ${rest}`);
  const ok = n('lost') === 0 && n('duplicated') === 0 && n('orders') >= n('db_flows');
  console.log(`  lost: ${n('lost')}, duplicated: ${n('duplicated')}${ok ? '' : '   <-- FAILED: the ledger does not match the completed flows'}`);
  process.exit(ok ? 0 : 1);
}

if (mode === 'media') {
  const m = Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split('\t')));
  const n = (k) => Number(m[k]);
  const s = (v) => `${Number(v).toFixed(1)} s`;
  console.log(`Media: a ${m.clip_seconds} s 1080p H.264 clip of ${mib(n('clip_bytes'))}, uploaded with tus as the owner, processed by \`lyceum worker\``);
  const rows = [
    ['upload', s(m.upload_seconds), `${mib(n('clip_bytes') / n('upload_seconds'))}/s, ${m.upload_requests} requests (POST, then PATCHes of 8 MiB)`],
    ['processing', s(m.process_seconds), `from the last PATCH to \`ready\`: ${(n('clip_seconds') / n('process_seconds')).toFixed(2)}× real time`],
  ];
  if (m.phase_ladder) {
    rows.push(['', s(m.phase_before), 'joining the chunks, ffprobe and the decode checks, until the ladder starts']);
    rows.push(['', s(m.phase_ladder), `ffmpeg: the H.264 ladder and thumbnail frames in one run, ${(n('clip_seconds') / n('phase_ladder')).toFixed(2)}× real time`]);
    rows.push(['', s(m.phase_images), 'ffmpeg: the poster and the thumbnail sprite']);
    rows.push(['', s(m.phase_after), 'storing the output and publishing, once ffmpeg is done']);
  }
  rows.push(['renditions', m.renditions, `(${(n('duration_ms') / 1000).toFixed(1)} s)`]);
  rows.push(['output', mib(n('storage_bytes') - n('source_bytes')), `of HLS; storage_bytes ${mib(n('storage_bytes'))} with the ${mib(n('source_bytes'))} original kept`]);
  rows.push(['peak RSS', mib(n('worker_peak_kib') * 1024), `the worker; its ffprobe/ffmpeg children ${mib(n('children_peak_kib') * 1024)} at most at once`]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.filter((r) => r[0] !== 'renditions').map((r) => r[1].length));
  for (const [k, v, rest] of rows) console.log(`  ${k.padEnd(w0)}  ${k === 'renditions' ? `${v} ${rest}` : `${v.padStart(w1)}  ${rest}`}`);

  const players = readFileSync(name, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  if (!players.length) process.exit(0);
  console.log();
  const head = ['scenario', 'players', 'segments/s', 'MiB/s', 'p50', 'p90', 'p99', 'first segment', 'errors', 'peak RSS'];
  printTable(head, players.map(([label, count, secs, segs, bytes, requests, p50, p90, p99, errors, start, , kib]) => [
    label,
    count,
    (Number(segs) / Number(secs)).toFixed(1),
    (Number(bytes) / Number(secs) / 1048576).toFixed(1),
    ms(p50),
    ms(p90),
    ms(p99),
    ms(start),
    `${Number(errors).toLocaleString('en-US')}/${Number(requests).toLocaleString('en-US')}`,
    mib(Number(kib) * 1024),
  ]));
  console.log(`\nrenditions: ${players[0][11]}, player i on rendition i mod ${players[0][11].split(' ').length}.`);
  console.log('p50, p90, p99: per request, to the last byte (a whole segment, or one 1 MiB part).');
  console.log("first segment: p50 of a player's page, playlists, key and first segment, all players starting at once.");
  console.log('errors: failed requests and answers other than 200/206 / all requests.');
  console.log('peak RSS: lyceum serve (nginx master and workers on the nginx row), reset before each scenario.');
  process.exit(0);
}

const text = readFileSync(file, 'utf8');
let row;
if (mode === 'oha') {
  const d = JSON.parse(text);
  const statuses = d.statusCodeDistribution || {};
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const non2xx = Object.entries(statuses).filter(([s]) => !s.startsWith('2')).reduce((a, [, n]) => a + n, 0);
  const failed = Object.entries(d.errorDistribution || {})
    .filter(([why]) => !why.includes('aborted due to deadline'))
    .reduce((a, [, n]) => a + n, 0);
  const p = d.latencyPercentiles || {};
  row = [d.summary.requestsPerSec, p.p50, p.p90, p.p99, non2xx + failed, total + failed];
} else {
  const d = JSON.parse(text.trim().split('\n').pop());
  row = [d.requests / d.seconds, d.p50, d.p90, d.p99, d.socket_errors + d.status_errors, d.requests];
}
console.log([name, ...row.map((v) => v ?? 0), peakKib || 0].join('\t'));

function printTable(head, rows) {
  const cells = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function mib(bytes) {
  return `${(bytes / 1048576).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MiB`;
}

function ms(seconds) {
  const v = Number(seconds) * 1000;
  return v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}
