// Every page on a 390 px phone: none scrolls sideways, also with a long name on the team list
// and rows in every admin and operator list; a failed password change at the bottom of the
// account page lands on the field to correct.
import assert from 'node:assert/strict';
import {
  PHONE,
  clickAndWait,
  expectNoSidewaysScroll,
  expectText,
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

const slug = unique('phone');
const school = {
  name: 'Escuela de Guitarra Flamenca del Sur',
  slug,
  owner: { name: 'María José Fernández de Córdoba', email: `maria.jose.fernandez@${slug}.test`, password: 'compas-por-bulerias-2026' },
};
const member = { name: 'Carlos García Hernández', email: `carlos.garcia.hernandez@${slug}.test`, password: 'rasgueado-y-picado-2026' };

journey('phone', ({ step, open, focus }) => {
  let page;
  let operator;

  step('the platform\'s pages fit a phone', async () => {
    page = await open();
    await expectNoSidewaysScroll(page, [platformUrl('/'), platformUrl('/start')], { shots: 'phone-platform' });
    await startSchool(page, school);
  });

  step('a school\'s public pages fit a phone', async () => {
    const visitor = await open();
    const pages = ['/', '/login', '/signup', '/forgot-password'].map((p) => schoolUrl(slug, p));
    await expectNoSidewaysScroll(visitor, pages, { shots: 'phone-public' });
    await visitor.context().close();
    focus(page);
  });

  step('a team member with a long name joins from the invitation', async () => {
    // Starting the school left its owner logged in to the admin.
    await visit(page, schoolUrl(slug, '/admin/team'));
    await page.locator('input[name="email"]').fill(member.email);
    await page.locator('select[name="role"]').first().selectOption('instructor');
    await clickAndWait(page, page.getByRole('button', { name: 'Send invitation' }));
    operator = await operatorPage(page.context().browser());
    const link = linkIn(await readMail(operator, { to: member.email, contains: '/invitations/' }), '/invitations/');
    const joiner = await open();
    await visit(joiner, link);
    await joiner.locator('input[name="name"]').fill(member.name);
    await joiner.locator('input[name="password"]').fill(member.password);
    await clickAndWait(joiner, joiner.getByRole('button', { name: 'Create account and join' }));
    await joiner.context().close();
    focus(page);
  });

  step('every admin list has a row: an API key and a domain', async () => {
    await visit(page, schoolUrl(slug, '/admin/settings/api-keys'));
    await page.locator('input[name="name"]').fill('Zapier automation for the newsletter');
    await clickAndWait(page, page.getByRole('button', { name: 'Create key' }));
    await visit(page, schoolUrl(slug, '/admin/settings/domains'));
    await page.locator('input[name="domain"]').fill('clases.guitarra-flamenca-del-sur.example.com');
    await clickAndWait(page, page.getByRole('button', { name: 'Add domain' }));
  });

  step('the admin fits a phone', async () => {
    const pages = ['/admin', '/admin/media', '/admin/people', '/admin/team', '/admin/mailbox'];
    await expectNoSidewaysScroll(page, pages.map((p) => schoolUrl(slug, p)), { shots: 'phone-admin' });
  });

  step('the settings, the account pages and the dashboard fit a phone', async () => {
    const pages = [
      '/admin/settings', '/admin/settings/branding', '/admin/settings/domains', '/admin/settings/api-keys',
      '/account', '/account/security', '/dashboard',
    ];
    await expectNoSidewaysScroll(page, pages.map((p) => schoolUrl(slug, p)), { shots: 'phone-admin' });
  });

  step('the team member\'s role menu and "Remove" are on screen', async () => {
    await visit(page, schoolUrl(slug, '/admin/team'));
    await page.setViewportSize(PHONE);
    const row = page.locator('tr', { hasText: member.name });
    for (const control of [row.locator('select[name="role"]'), row.getByRole('button', { name: 'Remove' })]) {
      const box = await (await find(page, control, `The role menu and "Remove" on ${member.name}'s card`)).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${member.name}'s controls are within the screen: ${JSON.stringify(box)}`);
    }
  });

  step('a failed password change lands on the field to correct', async () => {
    await page.setViewportSize(PHONE);
    await visit(page, schoolUrl(slug, '/account'));
    await page.locator('input[name="current_password"]').fill('not-my-password');
    await page.locator('input[name="new_password"]').fill('a-brand-new-password-2026');
    const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Change password' }).click()]);
    assert.equal(res?.status(), 422, 'a wrong current password is refused');
    await expectText(page, 'current password', 'the failed password change');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      return { name: el.getAttribute('name'), visible: box.top >= 0 && box.bottom <= window.innerHeight };
    });
    assert.deepEqual(focused, { name: 'current_password', visible: true }, 'the current-password field has the focus and is on screen');
    await shoot(page, 'phone', 'password-failed');
  });

  step('the operator\'s lists fit a phone', async () => {
    focus(operator);
    const pages = ['/operator', '/operator/jobs', '/operator/mailbox'].map((p) => platformUrl(p));
    await expectNoSidewaysScroll(operator, pages, { shots: 'phone-operator' });
    await operator.setViewportSize(PHONE);
    await visit(operator, platformUrl(`/operator?q=${slug}`));
    const row = operator.locator('tr', { hasText: school.name });
    const pause = await find(operator, row.locator('a[href$="/suspend"]'), `"Pause" on ${school.name}'s card`);
    const box = await pause.boundingBox();
    assert.ok(box && box.x + box.width <= PHONE.width, `"Pause" is within the screen: ${JSON.stringify(box)}`);
  });
});
