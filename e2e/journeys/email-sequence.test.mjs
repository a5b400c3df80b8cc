// Issue 12, "Done when": a three-step sequence end to end in Chromium. The owner makes an
// opt-in form and starts the "Welcome series" recipe on it, then activates it; a visitor opts
// in and gets the first email in the dev mailbox; the operator moves the clock two days, then
// five, and the second and third emails arrive; the visitor clicks the one-click unsubscribe
// link of an email, and after another week nothing more comes. Screenshots at 390 and 1440 px:
// the recipes, the editor, the people page.
import assert from 'node:assert/strict';
import {
  advanceClock,
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
import { personPage } from '../lib/marketing.mjs';

const slug = unique('heron');
const school = {
  name: 'Heron Pottery',
  slug,
  owner: { name: 'Mika Hale', email: `mika@${slug}.test`, password: 'heron-owner-2026' },
};
const reader = { name: 'Lena Ortiz', email: `lena@${slug}.test` };
const FORM = 'Pottery newsletter';
const J = 'email-sequence';

journey(J, ({ step, open, focus }) => {
  let owner;
  let formId;
  let automationUrl;

  step('the owner makes a form and starts the welcome recipe on it', async () => {
    owner = await open();
    await startSchool(owner, school);
    await visit(owner, schoolUrl(slug, '/admin/forms/new'));
    await owner.locator('input[name="name"]').fill(FORM);
    await clickAndWait(owner, owner.getByRole('button', { name: 'Create form' }));
    await expectUrl(owner, (u) => /^\/admin\/forms\/[0-9a-f-]{36}$/.test(u.pathname), 'after creating the form');
    formId = new URL(owner.url()).pathname.split('/').pop();

    await visit(owner, schoolUrl(slug, '/admin/automations'));
    await expectText(owner, 'Start from a recipe', 'the recipes');
    await shoot(owner, J, 'recipes');
    const recipe = owner.locator('form[action="/admin/automations/recipes"]').filter({ hasText: 'Welcome series' });
    await recipe.locator('select[name="form_id"]').selectOption(formId);
    await clickAndWait(owner, recipe.getByRole('button', { name: 'Use this recipe' }));
    await expectUrl(owner, (u) => /^\/admin\/automations\/[0-9a-f-]{36}$/.test(u.pathname), 'the editor');
    automationUrl = owner.url();
    await find(owner, owner.locator('[data-automation-editor] [data-step]').first(), 'the first step card');
    assert.equal(await owner.locator('[data-automation-editor] [data-step]').count(), 5);
    await shoot(owner, J, 'editor');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Activate' }));
    await expectText(owner, 'Automation activated', 'the activation flash');
  });

  step('a visitor opts in and gets the first email', async () => {
    const visitor = await personPage(owner.context().browser());
    focus(visitor);
    await visit(visitor, schoolUrl(slug, `/f/${formId}/embed`));
    const form = visitor.locator(`form[action="/f/${formId}"]`);
    await form.locator('input[name="email"]').fill(reader.email);
    const consent = form.locator('input[type="checkbox"]');
    if (await consent.count()) await consent.first().check();
    await visitor.waitForTimeout(2500);
    await form.locator('button').last().click();
    await visitor.waitForLoadState();
    const operator = await operatorPage(visitor.context().browser());
    focus(operator);
    await readMail(operator, { to: reader.email, subject: 'Welcome', contains: 'thanks for joining' });
    await operator.context().close();
    await visitor.context().close();
  });

  step('the clock moves two days, then five: the second and third emails arrive', async () => {
    const browser = owner.context().browser();
    await advanceClock(browser, 2);
    let operator = await operatorPage(browser);
    focus(operator);
    await readMail(operator, { to: reader.email, subject: 'habit', contains: 'twenty-minute' });
    await operator.context().close();
    await advanceClock(browser, 5);
    operator = await operatorPage(browser);
    focus(operator);
    const third = await readMail(operator, { to: reader.email, subject: 'next step', contains: 'courses' });
    await operator.context().close();

    // One click on the unsubscribe link of the last email.
    const visitor = await personPage(browser);
    focus(visitor);
    await visit(visitor, linkIn(third, '/e/u/'));
    const button = visitor.getByRole('button', { name: /Unsubscribe/i });
    if (await button.count()) await clickAndWait(visitor, button.first());
    await expectText(visitor, 'unsubscribed', 'the unsubscribe confirmation');
    await visitor.context().close();
  });

  step('no more mail comes, and the people page shows the path', async () => {
    const browser = owner.context().browser();
    await advanceClock(browser, 7);
    const operator = await operatorPage(browser);
    focus(operator);
    await visit(operator, platformUrl('/operator/mailbox'));
    const count = await operator.locator('main').getByText(reader.email).count();
    assert.ok(count <= 3, `three emails at most to ${reader.email}, saw ${count}`);
    await operator.context().close();

    focus(owner);
    await visit(owner, `${automationUrl}/people`);
    await expectText(owner, reader.email, 'the visitor on the people page');
    await shoot(owner, J, 'people');
  });
});
