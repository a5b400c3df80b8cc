// Issue 11, "Done when": sales pages and lead capture end to end in Chromium. The owner sells a
// course, uploads the cheat sheet PDF and makes an opt-in form that delivers it, then builds a
// sales page from the sales template: drags a section to a new place in the outline, edits the
// headline in place on the canvas, puts the offer in the pricing section and the form in an
// opt-in section, and publishes. A visitor opts in on the published page, receives the lead
// magnet email in the dev mailbox and downloads the PDF; another visitor buys through the
// page's pricing section with the sandbox card; the page's stats show the views, the opt-in and
// the sale. Screenshots at 390 and 1440 px: the builder, the published page, the contacts list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  TIMEOUT,
  buildCourse,
  checkA11y,
  clickAndWait,
  createOffer,
  createProduct,
  expectText,
  expectUrl,
  find,
  journey,
  linkIn,
  operatorPage,
  readMail,
  reloadUntil,
  schoolUrl,
  shoot,
  startSchool,
  typeCard,
  unique,
  visit,
} from '../lib/harness.mjs';
import { canvas, dragTo, makePdf, newPage, outline, outlineRows, personPage, statTiles, uploadToLibrary, waitSaved } from '../lib/marketing.mjs';

const slug = unique('marigold');
const school = {
  name: 'Marigold Watercolor',
  slug,
  owner: { name: 'June Okafor', email: `june@${slug}.test`, password: 'marigold-owner-2026' },
};
const reader = { name: 'Ada Brennan', email: `ada@${slug}.test` };
const buyer = { name: 'Sol Ibarra', email: `sol@${slug}.test` };
const COURSE = 'Botanical Watercolor';
const PRODUCT = 'Botanical Watercolor course';
const OFFER = 'Pay in full';
const OFFER_PATH = unique('botanical');
const PDF_TITLE = 'Color mixing cheat sheet';
const PDF_TEXT = 'Twelve greens from three tubes';
const FORM = 'Cheat sheet opt-in';
const PAGE_TITLE = 'Botanical Watercolor';
const PAGE_PATH = 'botanical-watercolor';
const HEADLINE = 'Paint leaves that glow, in ten minutes a day';
const J = 'marketing';

journey(J, ({ step, open, focus }) => {
  let owner;
  let editorUrl;
  let pageId;
  let formId;
  let download;

  step('the owner sells a course and makes an opt-in form that delivers the cheat sheet PDF', async () => {
    owner = await open();
    await startSchool(owner, school);
    await buildCourse(owner, slug, { title: COURSE, lesson: 'Mixing greens', body: 'Start with a warm yellow and a cool blue.' });
    const product = await createProduct(owner, slug, { name: PRODUCT, courses: [COURSE] });
    await createOffer(owner, slug, product, { name: OFFER, path: OFFER_PATH, amount: '149' });
    await uploadToLibrary(owner, slug, makePdf(`${PDF_TITLE}.pdf`, [PDF_TITLE, PDF_TEXT]), PDF_TITLE);

    await visit(owner, schoolUrl(slug, '/admin/forms/new'));
    await owner.locator('input[name="name"]').fill(FORM);
    await owner.locator('input[name="tags"]').fill('Cheat sheet');
    await owner.locator('input[name="magnet"][value="file"]').check();
    await owner.getByRole('button', { name: 'Choose from library' }).first().click();
    await (await find(owner, owner.locator('dialog[open] [data-pick]').filter({ hasText: PDF_TITLE }), 'The PDF in the picker')).click();
    await find(owner, owner.locator('[data-media-picker-title]').filter({ hasText: PDF_TITLE }), 'The chosen PDF');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Create form' }));
    await expectUrl(owner, (u) => /^\/admin\/forms\/[0-9a-f-]{36}$/.test(u.pathname), 'after creating the form');
    formId = new URL(owner.url()).pathname.split('/').pop();
  });

  step('the owner builds a sales page from the template, drags a section and edits the headline in place', async () => {
    editorUrl = await newPage(owner, slug, { title: PAGE_TITLE, path: PAGE_PATH, template: 'sales-page' });
    pageId = new URL(editorUrl).pathname.split('/').pop();
    await owner.setViewportSize({ width: 1440, height: 900 });
    await find(owner, outlineRows(owner), 'The outline of the sections');
    const before = await outline(owner);
    assert.ok(before.length >= 4, `the sales template has sections: ${before.join(', ')}`);

    // The last section goes second, dragged by its handle above the second row.
    const last = outlineRows(owner).nth(before.length - 1);
    const saved = waitSaved(owner, 'after the drag');
    await dragTo(owner, last.locator('[data-handle], [data-builder-handle]').first(), outlineRows(owner).nth(1));
    await saved;
    const after = await outline(owner);
    assert.equal(after[1], before[before.length - 1], `the dragged section is second: ${after.join(', ')}`);
    assert.equal(after.length, before.length);

    // The headline, typed over on the canvas.
    const headline = canvas(owner).locator('[data-field="headline"]').first();
    await headline.click();
    await owner.keyboard.press('ControlOrMeta+A');
    const typed = waitSaved(owner, 'after editing the headline');
    await owner.keyboard.type(HEADLINE);
    await typed;
    await shoot(owner, J, 'builder');
    await checkA11y(owner, 'the page builder');
  });

  step('the owner sells the offer in the pricing section, adds the opt-in form and publishes', async () => {
    // Pricing: select its row, tick the offer in the settings panel.
    await outlineRows(owner).filter({ hasText: 'Pricing' }).first().click();
    const inspector = owner.locator('[data-builder-inspector]');
    const saved = waitSaved(owner, 'after choosing the offer');
    await (await find(owner, inspector.getByLabel(new RegExp(OFFER)), 'The offer in the pricing settings')).check();
    await saved;
    // An opt-in section from the palette, with the form chosen.
    const added = waitSaved(owner, 'after adding the opt-in section');
    await owner.locator('[data-builder-add="optin"]').click();
    await added;
    const chosen = waitSaved(owner, 'after choosing the form');
    await (await find(owner, inspector.locator('select').filter({ has: owner.locator(`option[value="${formId}"]`) }), 'The form select')).selectOption(formId);
    await chosen;
    const published = owner.waitForResponse((r) => r.url().endsWith(`/admin/pages/${pageId}/publish`) && r.request().method() === 'POST');
    await owner.locator('form[data-builder-publish] button').click();
    assert.equal((await published).status(), 200, 'the page is published');
    await find(owner, owner.locator('[data-builder-toast]', { hasText: 'Version 1 is live' }), 'The toast naming version 1');
    await shoot(owner, J, 'builder-published');

    const visitor = await personPage(owner.context().browser());
    focus(visitor);
    await visit(visitor, schoolUrl(slug, `/p/${PAGE_PATH}`));
    await find(visitor, visitor.locator('h1', { hasText: HEADLINE }), 'The edited headline on the published page');
    await find(visitor, visitor.locator(`a[href*="/checkout/${OFFER_PATH}"]`), 'The buy button of the pricing section');
    await find(visitor, visitor.locator(`form[action="/f/${formId}"]`), 'The opt-in form');
    await shoot(visitor, J, 'published');
    await checkA11y(visitor, 'the published sales page');
    await visitor.context().close();
    focus(owner);
  });

  step('a visitor opts in, gets the lead magnet email and downloads the PDF', async () => {
    const visitor = await personPage(owner.context().browser());
    focus(visitor);
    await visit(visitor, schoolUrl(slug, `/p/${PAGE_PATH}?utm_source=instagram&utm_campaign=spring`));
    const form = visitor.locator(`form[action="/f/${formId}"]`);
    await form.scrollIntoViewIfNeeded();
    await form.locator('input[name="email"]').fill(reader.email);
    // People take a few seconds to type; a post faster than that is taken for a bot.
    await visitor.waitForTimeout(2500);
    await form.locator('button').last().click();
    await expectText(visitor, 'Check your inbox', 'the opt-in is confirmed');
    await shoot(visitor, J, 'opted-in');

    const operator = await operatorPage(visitor.context().browser());
    focus(operator);
    const mail = await readMail(operator, { to: reader.email, contains: '/lm/' });
    download = linkIn(mail, '/lm/');
    await operator.context().close();
    // The reader clicks the link in the email: the PDF downloads.
    focus(visitor);
    const [file] = await Promise.all([visitor.waitForEvent('download'), visitor.goto(download).catch(() => null)]);
    assert.match(file.suggestedFilename(), /\.pdf$/, 'a PDF is downloaded');
    const bytes = readFileSync(await file.path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-', 'the file is the PDF');
    assert.ok(bytes.toString('latin1').includes(PDF_TEXT), 'the cheat sheet itself');
    await visitor.context().close();
    focus(owner);
  });

  step('another visitor buys through the pricing section with the sandbox card', async () => {
    const visitor = await personPage(owner.context().browser());
    focus(visitor);
    await visit(visitor, schoolUrl(slug, `/p/${PAGE_PATH}?utm_source=youtube`));
    const buy = visitor.locator(`a[href*="/checkout/${OFFER_PATH}"]`).first();
    assert.match(await buy.getAttribute('href'), new RegExp(`lp=${PAGE_PATH}`), 'the buy button carries the page');
    await clickAndWait(visitor, buy);
    await expectUrl(visitor, (u) => u.pathname === `/checkout/${OFFER_PATH}`, 'the checkout');
    await visitor.locator('input[name="email"]').fill(buyer.email);
    await visitor.locator('input[name="name"]').fill(buyer.name);
    const country = visitor.locator('select[name="country"]');
    if (!(await country.inputValue())) await country.selectOption('US');
    await clickAndWait(visitor, visitor.getByRole('button', { name: /Continue to payment/ }));
    await typeCard(visitor, { number: '4242 4242 4242 4242' });
    await clickAndWait(visitor, visitor.getByRole('button', { name: /^Pay / }));
    await expectUrl(visitor, (u) => u.pathname.startsWith('/checkout/thanks/'), 'after paying');
    await visitor.context().close();
    focus(owner);
  });

  step('the page\'s stats show the views, the opt-in and the sale; the contacts list has both people', async () => {
    const url = schoolUrl(slug, `/admin/pages/${pageId}/stats`);
    let tiles = {};
    await reloadUntil(owner, url, async () => {
      tiles = await statTiles(owner);
      return tiles.Views >= 3 && tiles['Opt-ins'] >= 1 && tiles.Sales >= 1;
    }, 'the stats counting 3 views, 1 opt-in and 1 sale', { timeout: 2 * TIMEOUT });
    assert.ok(tiles.Visitors >= 1, `visitors counted: ${JSON.stringify(tiles)}`);
    await shoot(owner, J, 'stats');
    await checkA11y(owner, 'the page stats');

    await visit(owner, schoolUrl(slug, '/admin/contacts'));
    await expectText(owner, reader.email, 'the opted-in visitor among the contacts');
    await reloadUntil(owner, schoolUrl(slug, '/admin/contacts'), async () => (await owner.getByText(buyer.email).count()) > 0, 'the buyer among the contacts');
    await shoot(owner, J, 'contacts');
  });
});
