// A creator connects custom domains and reads records a registrar accepts; the operator
// pauses the school with a reason, which the owner reads in the admin while visitors see a
// calm notice instead of the sign-up form; resuming opens the school again.
import assert from 'node:assert/strict';
import {
  clickAndWait,
  expectText,
  expectUrl,
  journey,
  logIn,
  operatorPage,
  platformUrl,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('yoga');
const school = {
  name: 'Sunrise Yoga Teacher Training',
  slug,
  owner: { name: 'Carlos García Hernández', email: `carlos@${slug}.test`, password: 'downward-dog-2026' },
};
const REASON = 'The card on file was declined twice. Please update it, then write to us.';

journey('pause', ({ step, open, focus }) => {
  let owner;
  let op;

  step('the domain settings show records relative to the zone, with no CNAME at an apex', async () => {
    owner = await open();
    await startSchool(owner, school);
    await logIn(owner, slug, school.owner.email, school.owner.password, '/admin');
    for (const domain of ['sunriseyoga.co.uk', 'courses.sunriseyoga.com']) {
      await visit(owner, schoolUrl(slug, '/admin/settings/domains'));
      await owner.locator('input[name="domain"]').fill(domain);
      await clickAndWait(owner, owner.getByRole('button', { name: 'Add domain' }));
      await expectText(owner, `${domain} was added`, 'after adding a domain');
    }
    assert.equal(await owner.locator('[data-record="CNAME"]').count(), 1, 'only the subdomain gets a CNAME');
    await expectText(owner, '_lyceum.courses', 'the relative TXT name');
    await shoot(owner, 'pause', 'domains');
  });

  step('the operator cannot pause without a reason, then pauses with one', async () => {
    op = await operatorPage(owner.context().browser());
    await visit(op, platformUrl('/operator'));
    await clickAndWait(op, op.locator(`tr:has-text("${school.name}")`).getByRole('link', { name: 'Pause' }));
    await expectUrl(op, (u) => u.pathname.endsWith('/suspend'), 'the pause form');
    await clickAndWait(op, op.getByRole('button', { name: 'Pause the school' }));
    await expectText(op, 'Write the reason', 'pausing without a reason');
    await shoot(op, 'pause', 'operator-form-error');
    await op.locator('textarea[name="reason"]').fill(REASON);
    await clickAndWait(op, op.getByRole('button', { name: 'Pause the school' }));
    await expectText(op, 'The school is paused.', 'after pausing');
  });

  step('the owner reads the reason in the admin; visitors see a notice and no sign-up form', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin'));
    await expectText(owner, REASON, 'the admin banner');
    await shoot(owner, 'pause', 'admin-banner');
    const visitor = await open();
    await visit(visitor, schoolUrl(slug, '/signup'));
    await expectText(visitor, 'Sign-ups are closed for now', 'the sign-up page of a paused school');
    assert.equal(await visitor.locator('form[action="/signup"]').count(), 0, 'no sign-up form');
    assert.equal(await visitor.locator('a[href="/signup"]').count(), 0, 'no links to sign up');
    assert.equal((await visitor.content()).includes(REASON), false, 'the reason is for the owners');
    await shoot(visitor, 'pause', 'signup-paused');
    await visit(visitor, schoolUrl(slug, '/'));
    await shoot(visitor, 'pause', 'home-paused');
  });

  step('resuming opens sign-up again and clears the banner', async () => {
    focus(op);
    op.once('dialog', (d) => d.accept());
    await clickAndWait(op, op.locator(`tr:has-text("${school.name}")`).getByRole('button', { name: 'Resume' }));
    await expectText(op, 'The school is open again.', 'after resuming');
    await visit(owner, schoolUrl(slug, '/admin'));
    assert.equal((await owner.content()).includes(REASON), false, 'the banner is gone');
  });
});
