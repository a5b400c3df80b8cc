// Issue 10, "Done when" (2): a monthly subscription through renewals, a failed renewal, dunning,
// a pause and a card update. The owner sells a membership (monthly, no trial) through the
// admin pages. A visitor subscribes with 4242 4242 4242 4242 on a card that expires two months
// later. The operator moves the demo clock a month at a time: two renewals are charged on the
// saved card (/account/billing counts the payments, /account/receipts lists them); the third
// finds the card expired, so the subscription is past due, the "update your card" email
// arrives and access is kept during the grace period. Past the grace period the billing sweep
// pauses access (the lesson page refuses, the dashboard says paused, the "paused" email
// arrives). The student updates the card on /account/billing with a new 4242 card: the unpaid
// period is charged at once, access returns and the "you're back" email arrives.
import assert from 'node:assert/strict';
import {
  advanceClock,
  applicationNow,
  buildCourse,
  buyAsNewBuyer,
  cardExpiry,
  checkA11y,
  clickAndWait,
  createOffer,
  createProduct,
  expectNoSidewaysScroll,
  expectText,
  expectUrl,
  find,
  journey,
  lessonState,
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

const slug = unique('kiln');
const school = {
  name: 'Kiln & Wheel Pottery Studio',
  slug,
  owner: { name: 'Nell Okafor', email: `nell@${slug}.test`, password: 'kiln-owner-2026' },
};
const member = { name: 'Priya Lindqvist', email: `priya@${slug}.test` };
const COURSE = 'Throwing on the Wheel';
const LESSON = 'Centring the clay';
const BODY = 'Brace your elbow on your thigh and lean into the clay.';
const PRODUCT = 'Studio Membership';
const OFFER = 'Monthly membership';
const OFFER_PATH = 'studio-monthly';
const DAY = 24 * 3600 * 1000;
const J = 'commerce-subscription';

/** The payments count /account/billing shows for the membership ("3 payments"). */
const paymentsShown = (page, n) => page.locator('main li.card', { hasText: PRODUCT }).getByText(`${n} payments`).count().then((c) => c > 0);
/** The membership's status badge on /account/billing. */
const statusShown = (page, label) => page.locator('main li.card', { hasText: PRODUCT }).locator('.badge', { hasText: label }).count().then((c) => c > 0);

journey(J, ({ step, open, focus }) => {
  let owner;
  let student;
  let browser;
  let lessonUrl;

  step('the owner builds a course and sells it as a monthly membership', async () => {
    owner = await open();
    browser = owner.context().browser();
    await startSchool(owner, school);
    await buildCourse(owner, slug, { title: COURSE, lesson: LESSON, body: BODY });
    const product = await createProduct(owner, slug, { name: PRODUCT, description: 'Every course in the studio, month by month.', courses: [COURSE] });
    await createOffer(owner, slug, product, { name: OFFER, path: OFFER_PATH, kind: 'subscription', amount: '29', interval: 'month' });
  });

  step('a visitor subscribes with a card that expires in two months and opens the course', async () => {
    // The card lasts through the renewals one and two months from now, not the third.
    const now = await applicationNow(browser);
    const expiry = cardExpiry(new Date(now.getTime() + 62 * DAY), 0);
    student = await open();
    await buyAsNewBuyer(student, slug, OFFER_PATH, { ...member, card: { expiry }, shots: J });
    await expectText(student, '29', 'the amount paid');
    await shoot(student, J, 'thanks');
    await visit(student, schoolUrl(slug, '/dashboard'));
    const card = student.locator('main li.card', { has: student.locator('h3', { hasText: COURSE }) });
    await clickAndWait(student, await find(student, card.locator('a.btn'), `"Start" on the ${COURSE} card`));
    await expectText(student, BODY.slice(0, 30), 'the lesson');
    lessonUrl = student.url();
    await visit(student, schoolUrl(slug, '/account/billing'));
    assert.ok(await statusShown(student, 'Active'), 'the membership is active');
    assert.ok((await student.locator('main li.card', { hasText: PRODUCT }).getByText('One payment').count()) > 0, 'one payment so far');
    await shoot(student, J, 'billing-active');
  });

  step('the clock moves a month at a time: two renewals are charged on the saved card', async () => {
    for (const n of [2, 3]) {
      await advanceClock(browser, 31);
      await reloadUntil(student, schoolUrl(slug, '/account/billing'), (p) => paymentsShown(p, n), `renewal ${n - 1} on /account/billing (${n} payments)`);
    }
    assert.ok(await statusShown(student, 'Active'), 'still active after two renewals');
    await shoot(student, J, 'billing-renewed');
    await expectNoSidewaysScroll(student, [schoolUrl(slug, '/account/billing')]);
    // Each payment has its receipt.
    await visit(student, schoolUrl(slug, '/account/receipts'));
    const receipts = await student.locator('main').getByText(/R-\d+/).count();
    assert.ok(receipts >= 3, `three receipts on /account/receipts (found ${receipts})`);
    await shoot(student, J, 'receipts');
    assert.equal(await lessonState(student, lessonUrl, BODY.slice(0, 30)), 'open', 'the lesson after two renewals');
  });

  step('the third renewal finds the card expired: past due, the dunning email, access kept for now', async () => {
    await advanceClock(browser, 31);
    await reloadUntil(student, schoolUrl(slug, '/account/billing'), (p) => statusShown(p, 'Payment failed'), 'the failed renewal on /account/billing');
    await expectText(student, 'Update your card to keep your access', 'the past-due note');
    await shoot(student, J, 'billing-past-due');
    const operator = await operatorPage(browser);
    focus(operator);
    const mail = await readMail(operator, { to: member.email, subject: 'failed', contains: '/account/billing' });
    assert.ok(mail.includes(PRODUCT), `the dunning email names the product:\n${mail}`);
    const link = linkIn(mail, '/account/billing');
    await operator.context().close();
    focus(student);
    assert.equal(await lessonState(student, lessonUrl, BODY.slice(0, 30)), 'open', 'the lesson during the grace period');
    // The email's link leads to the billing page.
    await visit(student, link);
    await expectUrl(student, (u) => u.pathname === '/account/billing', 'the link in the dunning email');
  });

  step('past the grace period access pauses: the lesson refuses, the dashboard says paused', async () => {
    await advanceClock(browser, 8);
    await reloadUntil(student, schoolUrl(slug, '/account/billing'), (p) => statusShown(p, 'Access paused'), 'the paused membership on /account/billing');
    await shoot(student, J, 'billing-paused');
    const state = await lessonState(student, lessonUrl, BODY.slice(0, 30));
    assert.notEqual(state, 'open', 'the lesson is refused while access is paused');
    await expectText(student, 'Your access to this course is paused', 'the closed lesson page');
    await shoot(student, J, 'lesson-paused');
    const operator = await operatorPage(browser);
    focus(operator);
    await readMail(operator, { to: member.email, subject: 'paused', contains: PRODUCT });
    await operator.context().close();
    focus(student);
  });

  step('the student updates the card on /account/billing: the unpaid month is charged and access returns', async () => {
    await visit(student, schoolUrl(slug, '/account/billing'));
    await clickAndWait(student, student.locator('main li.card', { hasText: PRODUCT }).getByRole('link', { name: 'Update card' }));
    await expectUrl(student, (u) => /^\/account\/billing\/[0-9a-f-]{36}\/card$/.test(u.pathname), 'the card form');
    await expectText(student, 'unpaid', 'what saving the card will charge');
    await typeCard(student, { number: '4242 4242 4242 4242', expiry: cardExpiry(await applicationNow(browser), 36) });
    await shoot(student, J, 'update-card');
    await checkA11y(student, 'the update-card form');
    await clickAndWait(student, student.getByRole('button', { name: /^Save card/ }));
    await expectUrl(student, (u) => u.pathname === '/account/billing', 'after saving the card');
    await expectText(student, 'we took the payment', 'the flash');
    assert.ok(await statusShown(student, 'Active'), 'active again');
    assert.ok(await paymentsShown(student, 4), 'the unpaid month is the fourth payment');
    await shoot(student, J, 'billing-recovered');
    await reloadUntil(student, lessonUrl, async (p) => (await p.getByText(BODY.slice(0, 30)).count()) > 0, 'the lesson open again', { status: [200, 403] });
    const operator = await operatorPage(browser);
    focus(operator);
    await readMail(operator, { to: member.email, subject: 'open again', contains: PRODUCT });
    await operator.context().close();
    focus(student);
  });
});
