// A student signs up at a school, confirms their email from the message they were sent,
// forgets their password, resets it from the emailed link, and logs in with the new one.
// The messages are read from the operator's dev mailbox on the platform host. Then the owner
// finds the student in the admin, opens their page and sends them a password reset.
import assert from 'node:assert/strict';
import {
  clickAndWait,
  expectText,
  expectUrl,
  find,
  journey,
  linkIn,
  logIn,
  logOut,
  operatorPage,
  platformUrl,
  readMail,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('yoga');
const school = {
  name: 'Sunrise Yoga',
  slug,
  owner: { name: 'Lena Park', email: `lena@${slug}.test`, password: 'morning-flow-owner-2026' },
};
const student = { name: 'Diego Ramos', email: `diego@${slug}.test`, password: 'first-password-2026' };
const NEW_PASSWORD = 'second-password-2026';

journey('student', ({ step, open, focus }) => {
  let page;
  let operator;

  step('a school exists to join', async () => {
    const creator = await open();
    await startSchool(creator, school);
    await creator.context().close();
  });

  step('the student signs up and lands on their dashboard', async () => {
    page = await open();
    await visit(page, schoolUrl(slug, '/signup'));
    await shoot(page, 'student', 'signup');
    await page.locator('input[name="name"]').fill(student.name);
    await page.locator('input[name="email"]').fill(student.email);
    await page.locator('input[name="password"]').fill(student.password);
    await clickAndWait(page, page.getByRole('button', { name: 'Create account' }));
    await expectUrl(page, (u) => u.pathname === '/dashboard', 'after signing up');
    await expectText(page, `Hi ${student.name}`, 'student dashboard');
    await shoot(page, 'student', 'dashboard');
  });

  step('the operator logs in to the platform', async () => {
    operator = await operatorPage(page.context().browser());
    focus(operator);
  });

  let verifyUrl;
  step('the confirmation email in the dev mailbox holds a /verify-email/ link', async () => {
    const text = await readMail(operator, { to: student.email, subject: 'Confirm your email', contains: '/verify-email/' });
    verifyUrl = linkIn(text, '/verify-email/');
    assert.ok(verifyUrl.startsWith(schoolUrl(slug, '/')), `the link points at the school (${verifyUrl})`);
    await visit(operator, platformUrl('/operator/mailbox'));
    await shoot(operator, 'student', 'mailbox');
  });

  step('following the link confirms the email', async () => {
    focus(page);
    await page.goto(verifyUrl, { waitUntil: 'load' });
    await expectUrl(page, (u) => !u.pathname.includes('/verify-email/'), 'after following the confirmation link');
    await find(page, page.locator('[data-toast].toast-success, .toast-success'), 'A success message after confirming');
  });

  step('the student logs out', async () => {
    await visit(page, schoolUrl(slug, '/dashboard'));
    await logOut(page);
    await expectUrl(page, (u) => u.pathname !== '/dashboard', 'after logging out');
  });

  let resetUrl;
  step('forgot password sends a reset link', async () => {
    await visit(page, schoolUrl(slug, '/forgot-password'));
    const form = page.locator('form', { has: page.locator('input[name="email"]') });
    await form.locator('input[name="email"]').fill(student.email);
    await clickAndWait(page, await find(page, form.locator('button'), 'The forgot-password form button'));
    focus(operator);
    const text = await readMail(operator, { to: student.email, contains: '/reset-password/' });
    resetUrl = linkIn(text, '/reset-password/');
  });

  step('the reset link sets a new password and logs the student in', async () => {
    focus(page);
    await visit(page, resetUrl);
    await shoot(page, 'student', 'reset');
    const form = page.locator('form', { has: page.locator('input[name="password"]') });
    await form.locator('input[name="password"]').fill(NEW_PASSWORD);
    await clickAndWait(page, form.locator('button').last());
    await expectUrl(page, (u) => u.pathname === '/dashboard', 'after choosing a new password');
    await expectText(page, `Hi ${student.name}`, 'student dashboard after reset');
  });

  step('the new password works for the next login', async () => {
    await logOut(page);
    await visit(page, schoolUrl(slug, '/login'));
    await shoot(page, 'student', 'login');
    await logIn(page, slug, student.email, NEW_PASSWORD, '/dashboard');
    await expectText(page, `Hi ${student.name}`, 'student dashboard after logging in again');
  });

  step('the owner finds the student and opens their page', async () => {
    page = await open();
    await logIn(page, slug, school.owner.email, school.owner.password, '/admin');
    await visit(page, schoolUrl(slug, `/admin/people?q=${encodeURIComponent('diego')}`));
    await shoot(page, 'student', 'admin-people');
    const link = await find(page, page.getByRole('link', { name: student.name }).first(), 'The student in the list');
    await clickAndWait(page, link);
    await expectUrl(page, (u) => /^\/admin\/people\/[0-9a-f-]{36}$/.test(u.pathname), 'after opening the student');
    await expectText(page, 'Sign-in history', 'student page');
    await shoot(page, 'student', 'admin-student');
  });

  step('the owner sends the student a password reset', async () => {
    await clickAndWait(page, page.getByRole('button', { name: 'Send password reset' }));
    await find(page, page.locator('[data-toast].toast-success, .toast-success'), 'A success message after sending');
    await expectText(page, `We sent a password-reset email to ${student.email}`, 'student page after sending');
    focus(operator);
    const text = await readMail(operator, { to: student.email, contains: '/reset-password/' });
    assert.ok(linkIn(text, '/reset-password/') !== resetUrl, 'a new reset link was sent');
  });
});
