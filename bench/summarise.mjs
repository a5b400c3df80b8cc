// make bench: turns one load run's output (oha JSON or bench/wrk-report.lua's line) into a
// tab-separated row, and prints the rows as a table at the end.
//   node summarise.mjs oha|wrk RESULT_FILE NAME PEAK_KIB   → one row on stdout
//   node summarise.mjs table ROWS_FILE                     → the table
import { readFileSync } from 'node:fs';

const [mode, file, name, peakKib] = process.argv.slice(2);

if (mode === 'table') {
  const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  const head = ['scenario', 'req/s', 'p50', 'p90', 'p99', 'errors', 'peak RSS'];
  const cells = [head, ...rows.map(([n, rps, p50, p90, p99, errors, total, kib]) => [
    n,
    Math.round(Number(rps)).toLocaleString('en-US'),
    ms(p50),
    ms(p90),
    ms(p99),
    `${Number(errors).toLocaleString('en-US')}/${Number(total).toLocaleString('en-US')}`,
    `${(Number(kib) / 1024).toFixed(1)} MiB`,
  ])];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(cells[0]));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
  console.log('\nerrors: failed requests and answers other than 2xx / all requests. peak RSS: the serving process(es), reset before each scenario.');
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

function ms(seconds) {
  const v = Number(seconds) * 1000;
  return v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}
