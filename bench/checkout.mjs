// make bench: concurrent buyers going through the sandbox checkout end to end, each flow as a
// new visitor would: GET /checkout/{offer} (reads the visitor cookie and the CSRF token), POST
// the order form (email, name, country), POST the sandbox's card form with the good test card,
// and GET the thank-you page it redirects to. Each buyer starts a new flow, with a new email and
// a new cookie jar, as soon as the last one ends, until time is up.
//
//   node checkout.mjs --name NAME --origin http://127.0.0.1:PORT --host school.localhost:PORT
//     --offer SLUG --buyers 50 --seconds 15 --ids FILE
//
// Prints one tab-separated row for summarise.mjs: name, buyers, seconds, flows completed,
// p50, p90, p99 (seconds per flow), errors, requests. Writes the checkout id of every completed
// flow to --ids (one a line), so the database can be checked against what the buyers saw.
// Problems go to stderr, the first few in full; when no flow completed it exits with 1.
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    name: { type: 'string', default: 'checkout' },
    origin: { type: 'string' },
    host: { type: 'string' },
    offer: { type: 'string' },
    buyers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '15' },
    ids: { type: 'string' },
    card: { type: 'string', default: '4242 4242 4242 4242' },
  },
});
for (const k of ['origin', 'host', 'offer', 'ids']) if (!o[k]) fail(`--${k} is required`);
const buyers = Number(o.buyers);
const seconds = Number(o.seconds);
if (!(buyers > 0) || !(seconds > 0)) fail('--buyers and --seconds must be positive numbers');

const origin = new URL(o.origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const run = Date.now().toString(36);
const latencies = [];
const done = [];
let requests = 0;
let errors = 0;
let reported = 0;

function fail(message) {
  console.error(`checkout.mjs: ${message}`);
  process.exit(1);
}

function problem(message) {
  errors += 1;
  if (reported++ < 5) console.error(`checkout.mjs: ${message}`);
}

// One request; resolves to { status, headers, body }.
function request(method, path, jar, form, from) {
  requests += 1;
  const body = form ? new URLSearchParams(form).toString() : null;
  // Each buyer is their own visitor address (the server trusts X-Forwarded-For from loopback
  // in the bench), as real buyers are: the per-address checkout limits then apply per buyer.
  const headers = { Host: o.host, Accept: 'text/html', 'X-Forwarded-For': from };
  const cookies = Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
  if (cookies) headers.Cookie = cookies;
  if (body !== null) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['Content-Length'] = Buffer.byteLength(body);
    headers.Origin = `http://${o.host}`;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: origin.hostname, port: origin.port, method, path, headers, agent, timeout: 30_000 },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] || []) {
            const [pair] = c.split(';');
            const eq = pair.indexOf('=');
            if (eq > 0) jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
          }
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

const COUNTRIES = ['US', 'GB', 'ES', 'DE', 'FR', 'CA'];

// One buyer's whole purchase; returns the checkout id.
async function flow(buyer, n) {
  const jar = {};
  const from = `10.${(buyer >> 8) & 255}.${buyer & 255}.${1 + (n % 250)}`;
  const page = await request('GET', `/checkout/${o.offer}`, jar, null, from);
  if (page.status !== 200) throw new Error(`checkout page answered ${page.status}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error('no CSRF token on the checkout page');
  const email = `buyer-${run}-${buyer}-${n}@bench.test`;
  const placed = await request('POST', `/checkout/${o.offer}`, jar, {
    _csrf: csrf, email, name: `Bench Buyer ${buyer}-${n}`, country: COUNTRIES[n % COUNTRIES.length],
  }, from);
  const pay = placed.headers.location;
  if (placed.status !== 303 || !pay?.startsWith('/checkout/pay/')) {
    throw new Error(`the order form answered ${placed.status} ${pay ?? ''} ${placed.body.slice(0, 200)}`);
  }
  const paid = await request('POST', pay, jar, { _csrf: csrf, number: o.card, expiry: '12/34', cvc: '123' }, from);
  const thanks = paid.headers.location;
  if (paid.status !== 303 || !thanks?.startsWith('/checkout/thanks/')) {
    throw new Error(`the card form answered ${paid.status} ${thanks ?? ''} ${paid.body.slice(0, 200)}`);
  }
  const last = await request('GET', thanks, jar, null, from);
  if (last.status !== 200) throw new Error(`the thank-you page answered ${last.status}`);
  return thanks.slice('/checkout/thanks/'.length);
}

const deadline = Date.now() + seconds * 1000;
async function buyer(i) {
  for (let n = 0; Date.now() < deadline; n++) {
    const started = process.hrtime.bigint();
    try {
      const id = await flow(i, n);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e9);
      done.push(id);
    } catch (e) {
      problem(e.message);
    }
  }
}

const t0 = Date.now();
await Promise.all(Array.from({ length: buyers }, (_, i) => buyer(i)));
const elapsed = (Date.now() - t0) / 1000;
agent.destroy();
writeFileSync(o.ids, done.map((id) => `${id}\n`).join(''));
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : 0);
console.log([o.name, buyers, elapsed.toFixed(2), done.length, pct(50), pct(90), pct(99), errors, requests].join('\t'));
if (!done.length) process.exit(1);
