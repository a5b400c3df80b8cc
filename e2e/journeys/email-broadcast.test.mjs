// Issue 12, "Done when" (broadcasts): the owner writes a broadcast with the email editor,
// previews it for a contact, sends it to a tagged segment, sees it in the dev mailbox, clicks its
// link, and the broadcast's report shows the open and the click.
//
import assert from 'node:assert/strict';
import {
  clickAndWait,
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

const slug = unique('larkspur');
const school = {
  name: 'Larkspur Pottery',
  slug,
  owner: { name: 'Mina Alvarez', email: `mina@${slug}.test`, password: 'larkspur-owner-2026' },
};
const reader = { name: 'Theo Park', email: `theo@${slug}.test` };
const TAG = 'Wheel class';
const FORM = 'Wheel class waitlist';
const NAME = 'Spring wheel class';
const SUBJECT = 'The spring wheel class is open';
const LINK = 'https://example.com/spring-class';
const J = 'email-broadcast';

journey(J, ({ step, open, focus }) => {
  let owner;
  let broadcastUrl;
  let click;

  step('a visitor joins the wheel class waitlist and is tagged', async () => {
    owner = await open();
    await startSchool(owner, school);
    await visit(owner, schoolUrl(slug, '/admin/forms/new'));
    await owner.locator('input[name="name"]').fill(FORM);
    await owner.locator('input[name="tags"]').fill(TAG);
    await clickAndWait(owner, owner.getByRole('button', { name: 'Create form' }));
    const formId = new URL(owner.url()).pathname.split('/').pop();
    // A person's browser (the forms turn robots away) who takes a moment to type.
    const visitor = await personPage(owner.context().browser());
    focus(visitor);
    await visit(visitor, schoolUrl(slug, `/f/${formId}/embed`));
    const form = visitor.locator(`form[action="/f/${formId}"]`);
    await form.locator('input[name="email"]').fill(reader.email);
    await visitor.waitForTimeout(2500);
    await form.locator('button').last().click();
    await visitor.waitForLoadState();
    await visitor.waitForTimeout(1000);
    await visitor.context().close();
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/contacts'));
    await expectText(owner, reader.email, 'the tagged contact');
  });

  step('the owner writes the broadcast in the email editor and previews it for the contact', async () => {
    await visit(owner, schoolUrl(slug, '/admin/broadcasts'));
    await expectText(owner, 'Send your first broadcast', 'the empty state');
    await clickAndWait(owner, owner.getByRole('link', { name: 'New broadcast' }).first());
    await owner.getByLabel('Name').fill(NAME);
    await owner.getByLabel('Subject').fill(SUBJECT);
    await clickAndWait(owner, owner.getByRole('button', { name: 'Continue' }));
    await expectUrl(owner, (u) => /^\/admin\/broadcasts\/[0-9a-f-]{36}\/edit$/.test(u.pathname), 'the broadcast editor');
    broadcastUrl = new URL(owner.url()).pathname.replace(/\/edit$/, '');
    await clickAndWait(owner, owner.getByRole('link', { name: 'Edit email' }));
    await expectUrl(owner, (u) => /^\/admin\/emails\/[0-9a-f-]{36}$/.test(u.pathname), 'the email editor');
    // The editor: a text block and a button linking out, autosaved, then a preview for the contact.
    await owner.locator('[data-add-block="text"]').click();
    await owner.locator('[data-block-kind="text"] [contenteditable]').last().fill('Hi {{ first_name | default: "there" }}, the spring class is open.');
    await owner.locator('[data-add-block="button"]').click();
    const button = owner.locator('[data-block-kind="button"]').last();
    await button.locator('[data-setting="label"]').fill('Save my seat');
    await button.locator('[data-setting="url"]').fill(LINK);
    await find(owner, owner.locator('[data-email-saved]').filter({ hasText: 'All changes saved' }), 'the autosave');
    await owner.locator('[data-email-contact-search]').fill(reader.email);
    await owner.locator('[data-email-contact-list] [data-contact]').first().click();
    await find(owner, owner.frameLocator('[data-email-preview]').getByText('the spring class is open'), 'the preview for the contact');
    await shoot(owner, J, 'editor');
    await visit(owner, schoolUrl(slug, `${broadcastUrl}/edit`));
  });

  step('the owner sends it to the tagged segment: the live count says one contact', async () => {
    await owner.getByRole('button', { name: 'Add rule' }).click();
    const row = await find(owner, owner.locator('[data-rule-row]').last(), 'the new rule row');
    await row.getByLabel('Tag').fill(TAG);
    await row.getByLabel('Tag').dispatchEvent('change');
    await find(owner, owner.locator('#segment-count').filter({ hasText: '1 contact' }), 'the live count');
    await shoot(owner, J, 'segment');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Review and send' }));
    await expectText(owner, 'Ready to send?', 'the confirmation');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Send to 1 contact' }));
    await expectText(owner, 'Your broadcast is on its way', 'the broadcast page');
  });

  step('the message arrives in the dev mailbox and its link is clicked', async () => {
    const operator = await operatorPage(owner.context().browser());
    await readMail(operator, { to: reader.email, subject: SUBJECT, contains: 'spring' });
    // The HTML part's links are the tracked ones (the plain-text part keeps the address as written).
    click = await operator.frameLocator('iframe').locator('a[href*="/e/c/"]').first().getAttribute('href');
    assert.ok(click, 'a tracked link in the HTML part');
    // The tracked link redirects to the creator's address (which this machine cannot reach, so
    // the browser's answer from the school is what is checked).
    const visitor = await open();
    const [res] = await Promise.all([
      visitor.waitForResponse((r) => r.url().includes('/e/c/')),
      visitor.goto(click).catch(() => null),
    ]);
    assert.equal(res.status(), 302, `the tracked link ${click} redirects`);
    assert.equal(res.headers()['location'], LINK);
  });

  step('the report shows one open and one click', async () => {
    const url = schoolUrl(slug, broadcastUrl);
    await reloadUntil(owner, url, async () => ((await owner.locator('[data-stat="clicks"] [data-value]').textContent().catch(() => '')) || '').trim() === '1', 'the click in the report');
    assert.equal((await owner.locator('[data-stat="opens"] [data-value]').textContent()).trim(), '1');
    await shoot(owner, J, 'report');
  });
});
