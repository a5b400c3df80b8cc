// A creator finds the platform, starts a school and lands in its admin already logged in,
// picks a brand colour, a logo and a headline in one save, and sees them on the school's public
// site; later, as a returning creator, logs in again from the platform host through the link
// they are emailed.
import assert from 'node:assert/strict';
import {
  PORT,
  clickAndWait,
  expectText,
  expectUrl,
  find,
  journey,
  linkIn,
  operatorPage,
  platformUrl,
  readMail,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('studio');
const HEADLINE = 'Paint a little every day';
// A 1×1 PNG, as a creator's logo.
const LOGO_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const school = {
  name: 'Northwind Pottery Studio',
  slug,
  owner: { name: 'Amara Okafor', email: `amara@${slug}.test`, password: 'wheel-thrown-clay-2026' },
};
const BRAND = '#e11d48';

journey('creator', ({ step, open, focus }) => {
  let page;

  step('the platform landing page leads to the start form', async () => {
    page = await open();
    await visit(page, platformUrl('/'));
    await shoot(page, 'creator', 'landing');
    const cta = await find(page, page.getByRole('link', { name: 'Start your school' }), 'The "Start your school" link');
    await clickAndWait(page, cta);
    await expectUrl(page, (u) => u.pathname === '/start', 'following "Start your school"');
  });

  step('the start form creates the school and lands in its admin, logged in', async () => {
    await startSchool(page, school, { screenshots: 'creator' });
    assert.equal(new URL(page.url()).host, `${slug}.localhost:${PORT}`);
    await expectText(page, `Welcome, ${school.owner.name}`, 'admin dashboard');
    await shoot(page, 'creator', 'admin-dashboard');
  });

  step('the branding page saves a new brand colour, a logo and the home page headline at once', async () => {
    await visit(page, schoolUrl(slug, '/admin/settings/branding'));
    await shoot(page, 'creator', 'branding');
    const input = await find(page, page.locator('input[name="brand_color"]:not([type="color"])'), 'The brand colour text field');
    await input.fill(BRAND);
    await page.locator('input[name="logo"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(LOGO_PNG, 'base64') });
    await page.locator('input[name="hero_headline"]').fill(HEADLINE);
    await clickAndWait(page, page.getByRole('button', { name: 'Save branding' }));
    await expectUrl(page, (u) => u.pathname === '/admin/settings/branding' && !u.search.includes('_csrf'), 'after saving branding');
    const saved = await page.locator('input[name="brand_color"]:not([type="color"])').first().inputValue();
    assert.equal(saved.toLowerCase(), BRAND, 'the branding page shows the colour that was saved');
    await find(page, page.locator('img[src^="/brand/logo/"]'), 'The logo chosen with the colour');
    await shoot(page, 'creator', 'branding-saved');
  });

  step('the public site uses the brand colour', async () => {
    await visit(page, schoolUrl(slug, '/'));
    const brand = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim());
    assert.equal(brand.toLowerCase(), BRAND, 'the --brand variable on :root');
    const button = await find(page, page.locator('.btn-primary'), 'A primary button on the public page');
    await button.scrollIntoViewIfNeeded();
    const background = await button.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(background, 'rgb(225, 29, 72)', 'the primary button is painted in the brand colour');
    await expectText(page, HEADLINE, 'the public home page');
    await find(page, page.locator('header img[src^="/brand/logo/"]'), 'The logo in the public header');
    await shoot(page, 'creator', 'public');
  });

  let operator;
  let returning;
  step('a returning creator asks the platform for a login link', async () => {
    returning = await open();
    await visit(returning, platformUrl('/'));
    await clickAndWait(returning, await find(returning, returning.getByRole('link', { name: 'Log in', exact: true }), 'The "Log in" link in the header'));
    await expectUrl(returning, (u) => u.host === `localhost:${PORT}` && u.pathname === '/login', 'following "Log in"');
    await shoot(returning, 'creator', 'platform-login');
    await returning.locator('input[name="email"]').fill(school.owner.email);
    await clickAndWait(returning, returning.getByRole('button', { name: 'Email me a login link' }));
    await expectText(returning, 'Check your inbox', 'after asking for a link');
    await shoot(returning, 'creator', 'platform-login-sent');
  });

  step('the emailed link opens the admin, once', async () => {
    operator = await operatorPage(returning.context().browser());
    focus(operator);
    const text = await readMail(operator, { to: school.owner.email, subject: 'login link', contains: '/login/link/' });
    const link = linkIn(text, '/login/link/');
    assert.ok(link.startsWith(schoolUrl(slug, '/login/link/')), `the link points at the school (${link})`);
    focus(returning);
    await returning.goto(link, { waitUntil: 'load' });
    await expectUrl(returning, (u) => u.host === `${slug}.localhost:${PORT}` && u.pathname === '/admin', 'after following the emailed link');
    await expectText(returning, `Welcome, ${school.owner.name}`, 'admin dashboard');
    await visit(returning, link, { status: [404] });
    await expectText(returning, "This login link doesn't work anymore", 'the same link a second time');
    await shoot(returning, 'creator', 'sign-in-link-used');
  });
});
