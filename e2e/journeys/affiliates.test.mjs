// Issue 13, "Done when": the affiliate program end to end. The owner sells a monthly membership
// and a one-time course, switches the program on (30 % of every payment, a 30-day holding
// period, a $10 minimum payout). A person applies on /affiliates with a new account and the
// owner approves them. Their portal shows their link; a visitor comes through it and subscribes
// in the sandbox; a second visitor comes through it, buys the course, and the owner refunds
// that order: its commission is cancelled. The clock moves past the holding period and a
// renewal: the portal shows two commissions payable. The affiliate gives a PayPal address; the
// owner creates the payout batch, downloads the PayPal file (the affiliate's address and the
// sum of the two commissions) and marks the batch paid; the affiliate's email arrives and the
// portal shows the commissions paid. The portal is photographed at 390 and 1440 px.
import assert from 'node:assert/strict';
import {
  advanceClock,
  buildCourse,
  buyAsNewBuyer,
  checkA11y,
  clickAndWait,
  createOffer,
  createProduct,
  expectNoSidewaysScroll,
  expectText,
  expectUrl,
  find,
  journey,
  operatorPage,
  readMail,
  reloadUntil,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';
import { personPage } from '../lib/marketing.mjs';

const slug = unique('inkwell');
const school = {
  name: 'Inkwell Calligraphy School',
  slug,
  owner: { name: 'Rosa Delgado', email: `rosa@${slug}.test`, password: 'inkwell-owner-2026' },
};
const partner = { name: 'Kai Morgan', email: `kai@${slug}.test`, password: 'kai-partner-2026', code: 'kai-letters', paypal: `kai.paypal@${slug}.test` };
const member = { name: 'Ada Brennan', email: `ada@${slug}.test` };
const refunded = { name: 'Felix Ortiz', email: `felix@${slug}.test` };
const COURSE = 'Modern Brush Lettering';
const LESSON = 'Thin upstrokes, thick downstrokes';
const PRODUCT = 'Lettering Club';
const MONTHLY = 'lettering-club-monthly';
const ONCE = 'lettering-club-lifetime';
const J = 'affiliates';

/** The number of commissions the portal's list shows with `label` ("Payable", "Cancelled" …). */
const badges = (page, label) => page.locator('main .badge', { hasText: label }).count();

journey(J, ({ step, open, focus }) => {
  let owner;
  let affiliate;
  let browser;
  let link;

  step('the owner sells a membership and a course, and switches the affiliate program on', async () => {
    owner = await open();
    browser = owner.context().browser();
    owner.on('dialog', (d) => d.accept());
    await startSchool(owner, school);
    await buildCourse(owner, slug, { title: COURSE, lesson: LESSON, body: 'Press down on the way down, lift on the way up.' });
    const product = await createProduct(owner, slug, { name: PRODUCT, description: 'Every lettering class, month by month.', courses: [COURSE] });
    await createOffer(owner, slug, product, { name: 'Monthly', path: MONTHLY, kind: 'subscription', amount: '30', interval: 'month' });
    await createOffer(owner, slug, product, { name: 'Lifetime', path: ONCE, amount: '200' });

    await visit(owner, schoolUrl(slug, '/admin/affiliates/settings'));
    await owner.locator('input[name="enabled"]').check();
    await owner.locator('input[name="signup"][value="approval"]').check();
    await owner.locator('textarea[name="terms"]').fill('Say you earn a commission. No spam, no ads on our name.');
    await owner.locator('input[name="kind"][value="percent"]').check();
    await owner.locator('input[name="percent"]').fill('30');
    await owner.locator('input[name="recurring"][value="forever"]').check();
    await owner.locator('input[name="holding_days"]').fill('30');
    await owner.locator('input[name="min_USD"]').fill('10');
    await shoot(owner, J, 'settings');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Save changes' }));
    await expectText(owner, 'saved', 'the settings flash');
    assert.ok(await owner.locator('input[name="enabled"]').isChecked(), 'the program is on after saving');
  });

  step('a person applies on /affiliates with a new account; the owner approves them', async () => {
    affiliate = await open();
    await visit(affiliate, schoolUrl(slug, '/affiliates'));
    await expectText(affiliate, 'Earn 30', 'the rate on the program page');
    await affiliate.locator('input[name="name"]').fill(partner.name);
    await affiliate.locator('input[name="email"]').fill(partner.email);
    await affiliate.locator('input[name="password"]').fill(partner.password);
    await affiliate.locator('input[name="code"]').fill(partner.code);
    await affiliate.locator('textarea[name="pitch"]').fill('I teach lettering on Instagram to 12k followers.');
    await shoot(affiliate, J, 'apply');
    await checkA11y(affiliate, 'the application form');
    // Without the terms the form refuses and keeps what was typed.
    const [refused] = await Promise.all([affiliate.waitForNavigation(), affiliate.getByRole('button', { name: 'Join the program' }).click()]);
    assert.equal(refused.status(), 422);
    await expectText(affiliate, 'accept the program terms', 'the terms error');
    assert.equal(await affiliate.locator('input[name="code"]').inputValue(), partner.code, 'the code is kept after the error');
    await affiliate.locator('input[name="password"]').fill(partner.password);
    await affiliate.locator('input[name="terms"]').check();
    await clickAndWait(affiliate, affiliate.getByRole('button', { name: 'Join the program' }));
    await expectText(affiliate, 'being reviewed', 'the pending application');
    await shoot(affiliate, J, 'applied');

    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/affiliates'));
    await expectText(owner, partner.name, 'the applicant in the list');
    await shoot(owner, J, 'admin-list');
    await expectNoSidewaysScroll(owner, [schoolUrl(slug, '/admin/affiliates')]);
    await clickAndWait(owner, owner.locator('main a[href^="/admin/affiliates/"]', { hasText: partner.name }).first());
    await expectUrl(owner, (u) => /^\/admin\/affiliates\/[0-9a-f-]{36}$/.test(u.pathname), 'the affiliate page');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Approve' }));
    await expectText(owner, 'Approved', 'the approved badge');
    await shoot(owner, J, 'admin-approved');
    const operator = await operatorPage(browser);
    focus(operator);
    await readMail(operator, { to: partner.email, subject: 'now an affiliate', contains: '/affiliates/dashboard' });
    await operator.context().close();
    focus(affiliate);
  });

  step('the affiliate opens the portal and finds their link', async () => {
    await visit(affiliate, schoolUrl(slug, '/affiliates/dashboard'));
    const copy = await find(affiliate, affiliate.locator(`main [data-copy*="ref=${partner.code}"]`).first(), 'the school-wide referral link');
    const url = new URL(await copy.getAttribute('data-copy'));
    link = schoolUrl(slug, `${url.pathname}${url.search}`);
    await shoot(affiliate, J, 'portal-new');
    await checkA11y(affiliate, 'the affiliate portal');
  });

  step('a visitor comes through the link and subscribes monthly in the sandbox', async () => {
    // A person's browser: the program does not count clicks from headless ones (robots).
    const visitor = await personPage(browser);
    await visit(visitor, link);
    await buyAsNewBuyer(visitor, slug, MONTHLY, member);
    await visitor.context().close();
    focus(affiliate);
    await reloadUntil(affiliate, schoolUrl(slug, '/affiliates/dashboard/commissions'), async (p) => (await badges(p, 'Pending')) === 1, 'the pending commission of the subscription');
    await expectText(affiliate, '$9.00', '30 % of $30');
  });

  step('another visitor buys the course through the link; the owner refunds it and its commission is cancelled', async () => {
    // A person's browser: the program does not count clicks from headless ones (robots).
    const visitor = await personPage(browser);
    await visit(visitor, link);
    await buyAsNewBuyer(visitor, slug, ONCE, refunded);
    await visitor.context().close();
    focus(affiliate);
    await reloadUntil(affiliate, schoolUrl(slug, '/affiliates/dashboard/commissions'), async (p) => (await badges(p, 'Pending')) === 2, 'the commission of the course');
    await expectText(affiliate, '$60.00', '30 % of $200');

    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/orders'));
    await clickAndWait(owner, owner.locator('main a[href^="/admin/orders/"]', { hasText: refunded.name }).first());
    const form = owner.locator('form[action$="/refund"]');
    await form.locator('input[name="access"][value="revoke"]').check();
    await form.locator('textarea[name="reason"]').fill('Ordered by mistake.');
    await clickAndWait(owner, form.getByRole('button', { name: 'Refund' }));
    await expectText(owner, 'refunded in full', 'the refund');

    focus(affiliate);
    await reloadUntil(affiliate, schoolUrl(slug, '/affiliates/dashboard/commissions'), async (p) => (await badges(p, 'Cancelled')) === 1, 'the refunded order\'s commission cancelled');
    assert.equal(await badges(affiliate, 'Pending'), 1, 'only the subscription\'s commission is still pending');
    await shoot(affiliate, J, 'portal-cancelled');
  });

  step('the clock moves past the holding period and a renewal: two commissions are payable', async () => {
    await advanceClock(browser, 31);
    await advanceClock(browser, 31);
    await reloadUntil(affiliate, schoolUrl(slug, '/affiliates/dashboard/commissions'), async (p) => (await badges(p, 'Payable')) === 2, 'two payable commissions');
    assert.equal(await badges(affiliate, 'Cancelled'), 1, 'the refunded order still earns nothing');
    await visit(affiliate, schoolUrl(slug, '/affiliates/dashboard'));
    await expectText(affiliate, '$18.00', 'the payable total');
    await shoot(affiliate, J, 'portal');
    await expectNoSidewaysScroll(affiliate, [schoolUrl(slug, '/affiliates/dashboard'), schoolUrl(slug, '/affiliates/dashboard/commissions')]);
  });

  step('the affiliate gives a PayPal address', async () => {
    await visit(affiliate, schoolUrl(slug, '/affiliates/dashboard/payout'));
    await affiliate.locator('input[name="method"][value="paypal"]').check();
    await affiliate.locator('input[name="paypal_email"]').fill('not-an-address');
    const [refused] = await Promise.all([affiliate.waitForNavigation(), affiliate.getByRole('button', { name: 'Save payout details' }).click()]);
    assert.equal(refused.status(), 422);
    await find(affiliate, affiliate.locator('.field-error').first(), 'the error on a bad PayPal address');
    await affiliate.locator('input[name="method"][value="paypal"]').check();
    await affiliate.locator('input[name="paypal_email"]').fill(partner.paypal);
    await clickAndWait(affiliate, affiliate.getByRole('button', { name: 'Save payout details' }));
    await expectText(affiliate, 'payout details are saved', 'the flash');
    await shoot(affiliate, J, 'portal-payout-details');
  });

  step('the owner creates the payout batch, exports the PayPal file and marks it paid', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/affiliates/payouts'));
    await expectText(owner, partner.name, 'the payable affiliate');
    await shoot(owner, J, 'admin-payouts');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Create USD payout batch' }));
    await expectUrl(owner, (u) => /^\/admin\/affiliates\/payouts\/[0-9a-f-]{36}$/.test(u.pathname), 'the batch page');
    const csvHref = await (await find(owner, owner.locator('main a[href$="/paypal.csv"]'), 'the PayPal file')).getAttribute('href');
    // Fetched by the page itself, with the owner's session (Node does not resolve *.localhost).
    const [status, text] = await owner.evaluate(async (href) => {
      const res = await fetch(href);
      return [res.status, await res.text()];
    }, csvHref);
    assert.equal(status, 200, 'the PayPal file downloads');
    assert.ok(text.includes(partner.paypal), `the PayPal file pays the affiliate's address:\n${text}`);
    assert.ok(text.includes('18.00'), `the PayPal file pays the two commissions:\n${text}`);
    assert.equal(text.trim().split('\n').filter((l) => l.includes(partner.paypal)).length, 1, 'one line for the affiliate');
    await shoot(owner, J, 'admin-batch');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Mark batch paid' }));
    await expectText(owner, 'Paid', 'the batch paid');

    const operator = await operatorPage(browser);
    focus(operator);
    await readMail(operator, { to: partner.email, subject: 'sent you', contains: '18.00' });
    await operator.context().close();
    focus(affiliate);
    await reloadUntil(affiliate, schoolUrl(slug, '/affiliates/dashboard/commissions'), async (p) => (await badges(p, 'Paid')) === 2, 'the two commissions paid');
    await visit(affiliate, schoolUrl(slug, '/affiliates/dashboard'));
    await shoot(affiliate, J, 'portal-paid');
  });
});
