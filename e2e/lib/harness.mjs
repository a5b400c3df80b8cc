// The journeys' shared harness: Debian's Chromium through playwright-core, URLs of the server
// that scripts/e2e.sh started, screenshots at phone and desktop width, the operator's dev
// mailbox, and accessibility checks with axe.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));

/** Port of the server under test (scripts/e2e.sh passes it). */
export const PORT = process.env.LYCEUM_E2E_PORT || '8080';
/** Where screenshots and logs go. */
export const ARTIFACTS = process.env.LYCEUM_E2E_ARTIFACTS || join(here, '..', 'artifacts');
/** The operator scripts/e2e.sh creates (the same as `make demo`'s). */
export const OPERATOR = {
  email: process.env.LYCEUM_E2E_OPERATOR_EMAIL || 'operator@lyceum.test',
  password: process.env.LYCEUM_E2E_OPERATOR_PASSWORD || 'demo-password-2026',
};
/** Default wait for any single action, navigation or assertion. */
export const TIMEOUT = 30_000;
/** The two widths every page is judged at. */
export const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
];

const CHROMIUM = process.env.LYCEUM_E2E_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The platform's own site. */
export const platformUrl = (path = '/') => `http://localhost:${PORT}${path}`;
/** A school's site. */
export const schoolUrl = (slug, path = '/') => `http://${slug}.localhost:${PORT}${path}`;

/** A name unique to this run, so journeys can be re-run against a database that is not fresh. */
export function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** Starts headless Chromium (a fresh temporary profile each time). */
export async function launch() {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  } catch (e) {
    throw new Error(`Could not start Chromium at ${CHROMIUM} (apt-get install -y chromium): ${e.message}`);
  }
}

/**
 * A made-up address for one browser context: scripts/e2e.sh trusts `X-Forwarded-For` from
 * loopback, so each context is its own visitor to the per-address limits (schools started per
 * hour, sign-ups), as people on different connections are, and a run of many journeys does not
 * look like one address starting dozens of schools.
 */
function visitorAddress() {
  const n = () => 1 + Math.floor(Math.random() * 254);
  return `10.${n()}.${n()}.${n()}`;
}

/**
 * A new browser context (its own cookies and visitor address) with one page at desktop width;
 * `options` go to `browser.newContext` (a `userAgent`, say).
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    viewport: VIEWPORTS[1],
    locale: 'en-US',
    timezoneId: 'UTC',
    extraHTTPHeaders: { 'X-Forwarded-For': visitorAddress() },
    ...options,
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`  [browser error on ${page.url()}] ${err.message}`));
  return page;
}

/**
 * Opens `url` and checks the answer's status, so a missing page fails with its status and
 * heading rather than with a selector timeout later.
 */
export async function visit(page, url, { status = [200] } = {}) {
  const res = await page.goto(url, { waitUntil: 'load' });
  const code = res ? res.status() : 0;
  if (!status.includes(code)) {
    throw new Error(`GET ${url} answered ${code} (${await headline(page)}); expected ${status.join(' or ')}${serverError(code)}`);
  }
  return res;
}

/** For a 5xx answer: the server's last logged request error, from the log scripts/e2e.sh keeps. */
function serverError(code) {
  const log = join(ARTIFACTS, 'server.log');
  if (code < 500 || !existsSync(log)) return '';
  const lines = readFileSync(log, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const last = lines.filter((l) => l.includes('ERROR') && l.includes('request failed')).pop();
  return last ? `\n  server log: ${last.slice(last.indexOf('request failed'))}` : '';
}

/** Clicks something that submits a form or follows a link and waits for the next page. */
export async function clickAndWait(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  const code = res ? res.status() : 200;
  if (code >= 400) {
    throw new Error(`Submitting led to ${page.url()} answering ${code}: ${await headline(page)}${serverError(code)}`);
  }
  return res;
}

/** Waits until the page's URL matches `pattern`, with a message naming where the browser is instead. */
export async function expectUrl(page, pattern, what) {
  try {
    await page.waitForURL(pattern, { timeout: TIMEOUT });
  } catch {
    throw new Error(`${what}: expected a URL matching ${pattern}, but the browser is at ${page.url()} (${await headline(page)})`);
  }
}

/** Waits until `text` is visible on the page. */
export async function expectText(page, text, what) {
  try {
    await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible' });
  } catch {
    throw new Error(`${what}: "${text}" is not on ${page.url()} (${await headline(page)})`);
  }
}

/** Returns a locator after checking it exists, with a message saying what was looked for. */
export async function find(page, locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch {
    throw new Error(`${what} is not on ${page.url()} (${await headline(page)})`);
  }
  return locator.first();
}

/** The page's first heading and any field errors, for failure messages. */
export async function headline(page) {
  try {
    return await page.evaluate(() => {
      const h = document.querySelector('h1')?.textContent?.trim() || document.title || '(no heading)';
      const errs = [...document.querySelectorAll('.field-error, [role=alert]')].map((e) => e.textContent.trim());
      return errs.length ? `${h} — ${errs.join('; ')}` : h;
    });
  } catch {
    return '(page unavailable)';
  }
}

/** Saves `<journey>-<step>-<width>.png` at phone and desktop width, whole page. */
export async function shoot(page, journey, step) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const original = page.viewportSize();
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: join(ARTIFACTS, `${journey}-${step}-${vp.width}.png`), fullPage: true, animations: 'disabled' });
  }
  if (original) await page.setViewportSize(original);
}

/**
 * Declares a journey: steps run in order in one browser; after a failed step the rest are
 * skipped (and say why), and the failing page is saved as `<journey>-failed-<width>.png`.
 */
export function journey(name, define) {
  describe(name, () => {
    const state = { browser: null, pages: [] };
    let broken = null;
    before(async () => {
      state.browser = await launch();
    });
    after(async () => {
      await state.browser?.close();
    });
    const step = (title, fn) =>
      it(title, { timeout: 4 * TIMEOUT }, async (t) => {
        if (broken) {
          t.skip(`an earlier step failed: ${broken}`);
          return;
        }
        try {
          await fn();
        } catch (e) {
          broken = title;
          const page = state.current;
          if (page && !page.isClosed()) {
            await shoot(page, name, 'failed').catch(() => {});
          }
          throw e;
        }
      });
    const open = async () => {
      const page = await newPage(state.browser);
      state.current = page;
      return page;
    };
    // `focus` tells the harness which page to save when a step fails.
    define({ step, open, focus: (page) => (state.current = page) });
  });
}

/**
 * Starts a school through the platform's own form, as a creator would; the browser lands in
 * the school's admin, already logged in (a one-time hand-off link to the school's host).
 */
export async function startSchool(page, school, { screenshots = null } = {}) {
  await visit(page, platformUrl('/start'));
  if (screenshots) await shoot(page, screenshots, 'start-form');
  await page.locator('input[name="school_name"]').fill(school.name);
  await page.locator('input[name="slug"]').fill(school.slug);
  await page.locator('input[name="name"]').fill(school.owner.name);
  await page.locator('input[name="email"]').fill(school.owner.email);
  await page.locator('input[name="password"]').fill(school.owner.password);
  await clickAndWait(page, page.getByRole('button', { name: 'Create my school' }));
  await expectUrl(page, (u) => u.host === `${school.slug}.localhost:${PORT}` && u.pathname === '/admin', 'after creating the school');
}

/** Fills and submits a school's login form; expects to land on `landing`. */
export async function logIn(page, slug, email, password, landing) {
  if (!page.url().startsWith(schoolUrl(slug, '/login'))) await visit(page, schoolUrl(slug, '/login'));
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await clickAndWait(page, page.getByRole('button', { name: 'Log in', exact: true }));
  await expectUrl(page, (u) => u.pathname === landing, `logging in as ${email}`);
}

/**
 * Logs out as a person would: with the "Log out" button on the current page or, failing
 * that, on their account page. Waits until the session is gone.
 */
export async function logOut(page) {
  const button = () => page.locator('form[action="/logout"]').getByRole('button', { name: 'Log out' });
  const from = page.url();
  if ((await button().count()) === 0) {
    await visit(page, new URL('/account', from).href);
    if ((await button().count()) === 0) {
      throw new Error(`No "Log out" button (a form posting to /logout) on ${from} nor on /account`);
    }
  }
  await clickAndWait(page, button().first());
  // The browser resolves *.localhost itself (Node's resolver does not), so check by visiting.
  await page.goto(new URL('/dashboard', from).href);
  if (new URL(page.url()).pathname !== '/login') {
    throw new Error(`After "Log out", /dashboard did not send the browser to /login (at ${page.url()})`);
  }
}

/** A browser page logged in to the operator area on the platform host. */
export async function operatorPage(browser) {
  const page = await newPage(browser);
  await visit(page, platformUrl('/operator/login'));
  await page.locator('input[name="email"]').fill(OPERATOR.email);
  await page.locator('input[name="password"]').fill(OPERATOR.password);
  await clickAndWait(page, page.getByRole('button', { name: 'Log in', exact: true }));
  await expectUrl(page, (u) => u.pathname.startsWith('/operator') && u.pathname !== '/operator/login', 'operator login');
  return page;
}

/**
 * Finds the newest message to `to` in the operator's dev mailbox whose subject contains
 * `subject` (when given) and whose text contains `contains`; returns the message's plain
 * text. Mail is sent by a background job, so the mailbox is reloaded until it shows up.
 */
export async function readMail(page, { to, subject = null, contains }) {
  const deadline = Date.now() + TIMEOUT;
  const seen = new Set();
  for (;;) {
    await visit(page, platformUrl('/operator/mailbox'));
    const rows = await page.evaluate((to) => {
      const out = [];
      for (const a of document.querySelectorAll('main a[href]')) {
        const row = a.closest('tr, li, article') || a;
        if (row.textContent.toLowerCase().includes(to.toLowerCase())) out.push({ href: a.href, text: row.textContent });
      }
      return out;
    }, to);
    const candidates = [...new Map(rows.map((r) => [r.href, r])).values()].filter(
      (r) => !seen.has(r.href) && (!subject || r.text.includes(subject)),
    );
    for (const c of candidates) {
      await visit(page, c.href);
      const text = (await page.locator('pre').allTextContents()).join('\n');
      if (text.includes(contains)) return text;
      seen.add(c.href);
    }
    if (Date.now() > deadline) {
      throw new Error(`No message to ${to}${subject ? ` with subject "${subject}"` : ''} containing ${contains} appeared in /operator/mailbox within ${TIMEOUT / 1000} s`);
    }
    await page.waitForTimeout(500);
  }
}

/** The first URL in `text` whose path contains `marker`. */
export function linkIn(text, marker) {
  const m = text.match(new RegExp(`https?://[^\\s<>"']*${marker.replace(/[/]/g, '\\/')}[^\\s<>"']*`));
  if (!m) throw new Error(`No link containing ${marker} in the message:\n${text}`);
  return m[0];
}

/**
 * Runs axe on the page: prints every violation, and fails only on "critical" ones.
 */
export async function checkA11y(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const critical = results.violations.filter((v) => v.impact === 'critical');
  if (!results.violations.length) console.log(`  [axe] ${label}: no problems found`);
  for (const v of results.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
    console.log(`  [axe ${v.impact}] ${label}: ${v.id} — ${v.help} (${v.nodes.length}× e.g. ${where})`);
  }
  if (critical.length) {
    const detail = critical
      .map((v) => `${v.id}: ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} → ${n.failureSummary?.split('\n').join(' ')}`).join('\n    ')}`)
      .join('\n  ');
    throw new Error(`${critical.length} critical accessibility problem(s) on ${label} (${page.url()}):\n  ${detail}`);
  }
}

/** The narrowest phone the pages are judged at. */
export const PHONE = VIEWPORTS[0];

/**
 * Opens each URL at phone width (390 px) and fails, naming every page and what sticks out,
 * when one scrolls sideways: the document is wider than the window, or a part of it (a table
 * in an `overflow-x-auto` box) scrolls inside it. With `shots`, each page is also saved as
 * `<shots>-<path>-<width>.png` at both widths.
 */
export async function expectNoSidewaysScroll(page, urls, { shots = null } = {}) {
  const original = page.viewportSize();
  const wide = [];
  try {
    for (const url of urls) {
      await page.setViewportSize(PHONE);
      await visit(page, url);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const over = await page.evaluate(() => {
        const width = window.innerWidth;
        const doc = document.documentElement.scrollWidth;
        // A list inside a sideways scroller hides its actions just as well as the page would.
        const inner = [...document.body.querySelectorAll('*')].filter(
          (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1,
        );
        if (inner.length) {
          const el = inner[0];
          return { doc: el.scrollWidth, width: el.clientWidth, culprits: [`a sideways scroller <${el.tagName.toLowerCase()} class="${el.className}">`] };
        }
        if (doc <= width) return null;
        // The outermost elements that reach past the window's right edge, to say what to fix.
        const culprits = [...document.body.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > width + 0.5)
          .filter((el, _, all) => !all.includes(el.parentElement))
          .slice(0, 3)
          .map((el) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} class="${el.className?.baseVal ?? el.className}"> ${Math.round(el.getBoundingClientRect().right)} px`);
        return { doc, width, culprits };
      });
      if (over) wide.push(`${url}: ${over.doc} px wide in ${over.width} px (${over.culprits.join('; ') || 'no single element'})`);
      if (shots) await shoot(page, shots, new URL(url).pathname.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home');
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
  if (wide.length) throw new Error(`${wide.length} page(s) scroll sideways at ${PHONE.width} px:\n  ${wide.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// Selling (issue 10): what the commerce journeys share. The owner's steps go through the admin
// pages (courses, /admin/products, offers, /admin/coupons), the buyer's through the checkout
// and the sandbox's hosted card form, and time through the operator's demo clock.

/**
 * Reloads `url` until `ready(page)` is true, for what a background job (the outbox, the billing
 * sweep, mail) brings a moment later; fails with `what` after `timeout`.
 */
export async function reloadUntil(page, url, ready, what, { timeout = TIMEOUT, status = [200] } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await visit(page, url, { status });
    if (await ready(page)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not so on ${url} within ${timeout / 1000} s (${await headline(page)})`);
    await page.waitForTimeout(500);
  }
}

/**
 * The operator moves the demo clock forward by `days` (the form on /operator/jobs) in a
 * browser context of its own, closed afterwards; recurring jobs (the billing sweep) catch up.
 */
export async function advanceClock(browser, days) {
  const operator = await operatorPage(browser);
  try {
    await visit(operator, platformUrl('/operator/jobs'));
    await operator.locator('input[name="amount"]').fill(String(days));
    await operator.locator('select[name="unit"]').selectOption('days');
    await clickAndWait(operator, operator.getByRole('button', { name: 'Advance the clock' }));
    await expectText(operator, 'The clock moved forward', 'the clock flash');
  } finally {
    await operator.context().close();
  }
}

/**
 * The application's time now: the real clock plus the operator's offset ("N d M h ahead",
 * shown on /operator/jobs in the demo).
 */
export async function applicationNow(browser) {
  const operator = await operatorPage(browser);
  try {
    await visit(operator, platformUrl('/operator/jobs'));
    const clock = operator.locator('section[aria-labelledby="clock-h"]');
    const text = ((await clock.count()) ? await clock.innerText() : '').replace(/[\u2066-\u2069]/g, '');
    const m = text.match(/(\d+)\s*d\s+(\d+)\s*h\b/);
    const offset = m ? (Number(m[1]) * 24 + Number(m[2])) * 3600_000 : 0;
    return new Date(Date.now() + offset);
  } finally {
    await operator.context().close();
  }
}

/**
 * The owner builds a published course: one module with one published text lesson. Returns
 * the course's admin URL.
 */
export async function buildCourse(page, slug, { title, module = 'Getting started', lesson, body }) {
  await visit(page, schoolUrl(slug, '/admin/courses'));
  await page.locator('input[name="title"]').fill(title);
  await clickAndWait(page, page.getByRole('button', { name: 'Create course' }));
  await expectUrl(page, (u) => /^\/admin\/courses\/[0-9a-f-]{36}$/.test(u.pathname), `after creating the course ${title}`);
  const courseUrl = page.url();
  await page.locator('input[name="title"]').fill(module);
  await clickAndWait(page, page.getByRole('button', { name: 'Add your first module' }));
  const form = page.locator('li[data-module-id] form[action$="/lessons"]').first();
  await form.locator('select[name="kind"]').selectOption('text');
  await form.locator('input[name="title"]').fill(lesson);
  await clickAndWait(page, form.getByRole('button', { name: 'Add lesson' }));
  const link = page.locator('[data-lesson-id] a[data-title]', { hasText: lesson });
  await clickAndWait(page, await find(page, link, `The lesson ${lesson} in the curriculum`));
  const editor = await find(page, page.locator('.rich-editor [contenteditable="true"]'), 'The rich-text editor');
  await editor.click();
  await page.keyboard.type(body);
  await page.locator('select[name="status"]').selectOption('published');
  await clickAndWait(page, page.getByRole('button', { name: 'Save lesson' }).first());
  await expectText(page, 'Lesson saved.', 'the lesson flash');
  await visit(page, courseUrl);
  await clickAndWait(page, page.getByRole('button', { name: 'Publish', exact: true }));
  await expectText(page, 'Your course is live.', `after publishing ${title}`);
  return courseUrl;
}

/**
 * The owner creates a product on /admin/products that opens `courses` (titles). Returns its
 * id.
 */
export async function createProduct(page, slug, { name, description = '', courses = [] }) {
  await visit(page, schoolUrl(slug, '/admin/products'));
  await page.locator('form[action="/admin/products"] input[name="name"]').fill(name);
  await clickAndWait(page, page.getByRole('button', { name: 'Create product' }));
  await expectUrl(page, (u) => /^\/admin\/products\/[0-9a-f-]{36}$/.test(u.pathname), `after creating the product ${name}`);
  const id = new URL(page.url()).pathname.split('/').pop();
  if (description) {
    await page.locator('textarea[name="description"]').fill(description);
    await clickAndWait(page, page.getByRole('button', { name: 'Save changes' }).last());
  }
  for (const title of courses) {
    await page.locator('select[name="add_course"]').selectOption({ label: title });
    await clickAndWait(page, page.getByRole('button', { name: 'Add', exact: true }));
    await find(page, page.locator('main ol li', { hasText: title }), `The course ${title} in the product`);
  }
  return id;
}

/**
 * The owner adds an offer to a product through its form. `kind` is `one_time`, `plan` or
 * `subscription`; `amount` is typed in major units ("120"); `bump` names another offer (its
 * name as the select shows it) to offer as the order bump. Returns the checkout slug.
 */
export async function createOffer(page, slug, productId, { name, path, kind = 'one_time', amount, interval = 'month', trialDays = 0, bump = null, bumpHeadline = '' }) {
  await visit(page, schoolUrl(slug, `/admin/products/${productId}/offers/new`));
  await page.locator('input[name="name"]').fill(name);
  await page.locator('input[name="slug"]').fill(path);
  await page.locator(`#kind-${kind}`).check();
  await page.locator('input[name="amount"]').fill(amount);
  if (kind === 'subscription') {
    await page.locator(`input[name="interval"][value="${interval}"]`).check();
    await page.locator('input[name="trial_days"]').fill(String(trialDays));
  }
  if (bump) {
    const select = page.locator('select[name="bump_offer_id"]');
    const value = await select.locator('option', { hasText: bump }).first().getAttribute('value');
    if (!value) throw new Error(`No offer "${bump}" to choose as the order bump on ${page.url()}`);
    await select.selectOption(value);
    if (bumpHeadline) await page.locator('input[name="bump_headline"]').fill(bumpHeadline);
  }
  await clickAndWait(page, page.getByRole('button', { name: 'Create offer' }));
  await expectText(page, `Offer “${name}” created`, 'the offer flash');
  return path;
}

/** The owner creates a percentage coupon for every offer on /admin/coupons/new. */
export async function createCoupon(page, slug, { code, percent }) {
  await visit(page, schoolUrl(slug, '/admin/coupons/new'));
  await page.locator('input[name="code"]').fill(code);
  await page.locator('#discount-percent').check();
  await page.locator('input[name="percent_off"]').fill(String(percent));
  await page.locator('#duration-once').check();
  await page.locator('#applies-all').check();
  await clickAndWait(page, page.getByRole('button', { name: 'Create coupon' }));
  await expectText(page, `Coupon ${code} created`, 'the coupon flash');
}

/**
 * A test card's expiry as the card forms take it (`MM/YY`), `months` after `from`.
 */
export function cardExpiry(from, months) {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** Types a test card into a card form (`number`, `expiry`, `cvc`: the sandbox's and /account/billing's). */
export async function typeCard(page, { number = '4242 4242 4242 4242', expiry = '12/34', cvc = '123' } = {}) {
  await page.locator('input[name="number"]').fill(number);
  await page.locator('input[name="expiry"]').fill(expiry);
  await page.locator('input[name="cvc"]').fill(cvc);
}

/**
 * A visitor buys on `/checkout/{path}` as a new buyer (email and name; the country the
 * browser's language suggests) and pays with `card` on the sandbox's card form; the browser
 * ends on the thank-you page, signed in to the account the payment made. Returns the receipt
 * number the page shows.
 */
export async function buyAsNewBuyer(page, slug, path, { email, name, card = {}, shots = null }) {
  await visit(page, schoolUrl(slug, `/checkout/${path}`));
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="name"]').fill(name);
  const country = page.locator('select[name="country"]');
  if (!(await country.inputValue())) await country.selectOption('US');
  if (shots) await shoot(page, shots, 'checkout');
  await clickAndWait(page, page.getByRole('button', { name: /Continue to payment/ }));
  await expectUrl(page, (u) => /^\/checkout\/pay\/[0-9a-f-]{36}$/.test(u.pathname), 'the sandbox card form');
  await typeCard(page, card);
  if (shots) await shoot(page, shots, 'card-form');
  await clickAndWait(page, page.getByRole('button', { name: /^Pay / }));
  await expectUrl(page, (u) => u.pathname.startsWith('/checkout/thanks/'), 'after paying');
  await find(page, page.locator('h1', { hasText: 'in!' }), 'The thank-you heading');
  const number = page.locator('dd.font-mono');
  return (await number.count()) ? (await number.first().innerText()).trim() : null;
}

/**
 * Opens a lesson and says whether the student may read it: `open` when `text` (from its body)
 * shows, otherwise the closed page's message.
 */
export async function lessonState(page, url, text) {
  await visit(page, url, { status: [200, 403] });
  if (await page.getByText(text, { exact: false }).count()) return 'open';
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim().slice(0, 200);
}
