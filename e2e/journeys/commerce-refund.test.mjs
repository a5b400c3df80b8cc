// Issue 10, "Done when" (3): the owner refunds an order and the student loses access. The owner
// sells a course through the admin pages; a visitor buys it with 4242 4242 4242 4242 and opens
// its lesson. The owner finds the order on /admin/orders (searching by the buyer's email),
// opens /admin/orders/{id} with its history, and refunds it in full, taking the course away.
// The order shows the refund, the student's lesson page refuses them, the dashboard says the
// access was taken away, and the credit note email arrives in the dev mailbox.
import assert from 'node:assert/strict';
import {
  buildCourse,
  buyAsNewBuyer,
  clickAndWait,
  createOffer,
  createProduct,
  expectNoSidewaysScroll,
  expectText,
  expectUrl,
  find,
  journey,
  lessonState,
  operatorPage,
  readMail,
  reloadUntil,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('fernhill');
const school = {
  name: 'Fernhill Bread School',
  slug,
  owner: { name: 'Agnes Whitlow', email: `agnes@${slug}.test`, password: 'fernhill-owner-2026' },
};
const buyer = { name: 'Ravi Menon', email: `ravi@${slug}.test` };
const COURSE = 'Sourdough from Scratch';
const LESSON = 'Feeding your starter';
const BODY = 'Feed the starter equal weights of flour and water every morning.';
const PRODUCT = 'Sourdough Course';
const OFFER = 'Full course';
const OFFER_PATH = 'sourdough';
const J = 'commerce-refund';

journey(J, ({ step, open, focus }) => {
  let owner;
  let student;
  let lessonUrl;
  let orderUrl;

  step('the owner sells a course and a visitor buys it and opens its lesson', async () => {
    owner = await open();
    await startSchool(owner, school);
    await buildCourse(owner, slug, { title: COURSE, lesson: LESSON, body: BODY });
    const product = await createProduct(owner, slug, { name: PRODUCT, courses: [COURSE] });
    await createOffer(owner, slug, product, { name: OFFER, path: OFFER_PATH, amount: '75' });
    student = await open();
    await buyAsNewBuyer(student, slug, OFFER_PATH, buyer);
    await visit(student, schoolUrl(slug, '/dashboard'));
    const card = student.locator('main li.card', { has: student.locator('h3', { hasText: COURSE }) });
    await clickAndWait(student, await find(student, card.locator('a.btn'), `"Start" on the ${COURSE} card`));
    await expectText(student, BODY.slice(0, 30), 'the lesson');
    lessonUrl = student.url();
  });

  step('the owner finds the order on /admin/orders and opens its page with its history', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/orders'));
    await expectText(owner, buyer.name, 'the order in the list');
    await shoot(owner, J, 'admin-orders');
    await expectNoSidewaysScroll(owner, [schoolUrl(slug, '/admin/orders')]);
    const search = owner.locator('main input[name="q"]');
    if (await search.count()) {
      await search.fill(buyer.email);
      await Promise.all([owner.waitForURL((u) => u.searchParams.has('q'), { waitUntil: 'load' }), search.press('Enter')]);
      await expectText(owner, buyer.name, 'the order found by email');
    }
    await clickAndWait(owner, owner.locator('main a[href^="/admin/orders/"]', { hasText: buyer.name }).first());
    await expectUrl(owner, (u) => /^\/admin\/orders\/[0-9a-f-]{36}$/.test(u.pathname), 'the order page');
    orderUrl = owner.url();
    await expectText(owner, PRODUCT, 'what was bought');
    await expectText(owner, 'Payment of', 'the payment in the history');
    await shoot(owner, J, 'admin-order');
  });

  step('the owner refunds the order in full and takes the course away', async () => {
    owner.on('dialog', (d) => d.accept());
    const form = owner.locator('form[action$="/refund"]');
    const amount = form.locator('input[name="amount"]');
    assert.match(await amount.inputValue(), /^75([.,]00)?$/, 'the full amount is offered');
    await form.locator('input[name="access"][value="revoke"]').check();
    await form.locator('textarea[name="reason"]').fill('Bought the wrong course by mistake.');
    await clickAndWait(owner, form.getByRole('button', { name: 'Refund' }));
    await expectUrl(owner, (u) => u.href.startsWith(orderUrl), 'back on the order page');
    await expectText(owner, 'Refunded', 'the refund flash and history');
    await expectText(owner, 'refunded in full', 'nothing left to refund');
    await shoot(owner, J, 'admin-order-refunded');
  });

  step('the student loses access: the lesson refuses them and the credit note arrives', async () => {
    focus(student);
    // The revocation runs from order.refunded through the outbox: a moment later.
    await reloadUntil(student, lessonUrl, async (p) => (await p.getByText(BODY.slice(0, 30)).count()) === 0, 'the lesson closed after the refund', { status: [200, 403] });
    assert.notEqual(await lessonState(student, lessonUrl, BODY.slice(0, 30)), 'open');
    await expectText(student, 'You no longer have access to this course', 'the closed lesson page');
    await shoot(student, J, 'lesson-revoked');
    await visit(student, schoolUrl(slug, '/dashboard'));
    const card = student.locator('main li.card', { has: student.locator('h3', { hasText: COURSE }) });
    if (await card.count()) {
      assert.equal(await card.locator('a.btn').count(), 0, 'no way into the course from the dashboard');
    }
    await shoot(student, J, 'dashboard-revoked');
    const operator = await operatorPage(student.context().browser());
    focus(operator);
    await readMail(operator, { to: buyer.email, subject: 'credit note', contains: '75' });
    await operator.context().close();
    focus(student);
  });
});
