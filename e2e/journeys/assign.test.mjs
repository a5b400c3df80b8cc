// Assignments and drip-unlock emails. A student hands in work for an assignment lesson (a
// program is refused with a clear message, the text kept), the owner reviews it from the queue
// and asks for changes, the student hands in a second version, the owner approves it and the
// lesson completes. Then the operator moves the demo clock past a drip date and the student is
// emailed that the lesson opened. Until the course builder lands, the course itself is written
// straight into the journey's database (as its owner role).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  clickAndWait,
  expectText,
  expectUrl,
  journey,
  operatorPage,
  platformUrl,
  readMail,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('light');
const school = {
  name: 'Northern Light Photo',
  slug,
  owner: { name: 'Maya Lind', email: `maya@${slug}.test`, password: 'golden-hour-owner-2026' },
};
const student = { name: 'Tomás Herrera', email: `tomas@${slug}.test`, password: 'first-portrait-2026' };

const db = process.env.LYCEUM_DATABASE_URL;
const sql = (query) => execFileSync('psql', [db, '-qtAX', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' }).trim();

/** A published course with an assignment and a lesson that opens three days after enrolment. */
function seedCourse() {
  sql(`do $$
    declare t uuid; u uuid; c uuid := uuid_v7(); m uuid := uuid_v7(); m2 uuid := uuid_v7();
    begin
      select id into t from tenants where slug = '${slug}';
      select id into u from users where tenant_id = t and email = '${student.email}';
      insert into courses (tenant_id, id, slug, title, subtitle, status, published_at)
        values (t, c, 'portrait-photography', 'Portrait Photography', 'Natural light, real people', 'published', now());
      insert into course_modules (tenant_id, id, course_id, title, position) values (t, m, c, 'Working with light', 0);
      insert into course_modules (tenant_id, id, course_id, title, position) values (t, m2, c, 'Going outside', 1);
      insert into lessons (tenant_id, id, course_id, module_id, title, kind, position, status, body_html) values
        (t, uuid_v7(), c, m, 'Window light', 'text', 0, 'published', '<p>Put your subject beside a window and turn them slowly towards it.</p>'),
        (t, uuid_v7(), c, m, 'Your first portrait', 'assignment', 1, 'published',
         '<p>Take one portrait by a window and tell us how you placed the light.</p><ul><li>Attach the photo (JPEG or PNG).</li><li>Write two or three sentences about the light.</li></ul>');
      insert into lessons (tenant_id, id, course_id, module_id, title, kind, position, status, body_html, drip, drip_days)
        values (t, uuid_v7(), c, m2, 'Golden hour', 'text', 0, 'published', '<p>The hour before sunset.</p>', 'days', 3);
      insert into enrollments (tenant_id, id, user_id, course_id, source) values (t, uuid_v7(), u, c, 'staff');
      insert into job_schedules (tenant_id, id, kind, payload, interval_seconds, next_run_at)
        values (t, uuid_v7(), 'courses.unlock_emails', '{}', 3600, now()) on conflict do nothing;
    end $$;`);
  return sql(`select l.id from lessons l join tenants t on t.id = l.tenant_id where t.slug = '${slug}' and l.title = 'Your first portrait'`);
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

journey('assign', ({ step, open, focus }) => {
  let owner;
  let learner;
  let lessonUrl;

  step('a school with a student enrolled in a course with an assignment', async () => {
    owner = await open();
    await startSchool(owner, school);
    learner = await open();
    await visit(learner, schoolUrl(slug, '/signup'));
    await learner.locator('input[name="name"]').fill(student.name);
    await learner.locator('input[name="email"]').fill(student.email);
    await learner.locator('input[name="password"]').fill(student.password);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Create account' }));
    await expectUrl(learner, (u) => u.pathname === '/dashboard', 'after signing up');
    const lesson = seedCourse();
    lessonUrl = schoolUrl(slug, `/learn/portrait-photography/${lesson}`);
  });

  step('the student opens the assignment and a program is refused with the text kept', async () => {
    focus(learner);
    await visit(learner, lessonUrl);
    await expectText(learner, 'Take one portrait by a window', 'the instructions');
    await shoot(learner, 'assign', 'lesson');
    await learner.locator('textarea[name="text"]').fill('I placed my sister beside the kitchen window, late morning.');
    await learner.locator('input[name="files"]').setInputFiles([{ name: 'camera-tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00') }]);
    const [res] = await Promise.all([learner.waitForNavigation(), learner.getByRole('button', { name: 'Hand in' }).click()]);
    assert.equal(res.status(), 422);
    await expectText(learner, 'camera-tool.exe is a program', 'the refusal');
    assert.equal(await learner.locator('textarea[name="text"]').inputValue(), 'I placed my sister beside the kitchen window, late morning.');
    await shoot(learner, 'assign', 'refused');
  });

  step('the student hands in text and a photo', async () => {
    await learner.locator('input[name="files"]').setInputFiles([{ name: 'window-portrait.png', mimeType: 'image/png', buffer: PNG }]);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Hand in' }));
    await expectText(learner, 'Your work is handed in', 'the flash');
    await expectText(learner, 'window-portrait.png', 'the file in the history');
    await shoot(learner, 'assign', 'pending');
  });

  step('the owner asks for changes from the queue', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/assignments'));
    await expectText(owner, student.name, 'the queue row');
    await shoot(owner, 'assign', 'queue');
    await clickAndWait(owner, owner.getByRole('link', { name: 'Review', exact: true }).first());
    await expectText(owner, 'kitchen window', 'the student text');
    const [refused] = await Promise.all([owner.waitForNavigation(), owner.getByRole('button', { name: 'Ask for changes' }).click()]);
    assert.equal(refused.status(), 422);
    await expectText(owner, 'Tell the student what to change.', 'feedback is required');
    await shoot(owner, 'assign', 'review');
    await owner.locator('textarea[name="feedback"]').fill('Lovely start! Turn her a little more towards the window so the far cheek gets some light.');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Ask for changes' }));
    await expectText(owner, 'The student has your feedback', 'the flash');
  });

  step('the student sees the feedback and hands in a second version', async () => {
    focus(learner);
    await visit(learner, lessonUrl);
    await expectText(learner, 'far cheek gets some light', 'the feedback');
    await shoot(learner, 'assign', 'changes');
    await learner.locator('textarea[name="text"]').fill('Turned her a quarter towards the window; the far cheek now has soft light.');
    await clickAndWait(learner, learner.getByRole('button', { name: 'Hand in again' }));
    await expectText(learner, 'Version 2', 'the new version');
  });

  step('the owner approves and the lesson completes', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/assignments'));
    await clickAndWait(owner, owner.getByRole('link', { name: 'Review', exact: true }).first());
    await owner.locator('textarea[name="feedback"]').fill('Beautiful. That is exactly it.');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Approve' }));
    await expectText(owner, 'Approved.', 'the flash');
    focus(learner);
    await visit(learner, lessonUrl);
    await expectText(learner, 'Your work is approved', 'the approved state');
    await shoot(learner, 'assign', 'approved');
  });

  step('the operator moves the demo clock and the student is told a lesson opened', async () => {
    const operator = await operatorPage(owner.context().browser());
    focus(operator);
    await visit(operator, platformUrl('/operator/jobs'));
    await operator.locator('input[name="amount"]').fill('4');
    await shoot(operator, 'assign', 'operator-clock');
    await clickAndWait(operator, operator.getByRole('button', { name: 'Advance the clock' }));
    await expectText(operator, 'The clock moved forward', 'the flash');
    const text = await readMail(operator, { to: student.email, subject: 'New lesson available', contains: 'Golden hour' });
    assert.match(text, /learn\/portrait-photography\//);
  });

  step('the student can turn the unlock emails off', async () => {
    focus(learner);
    await visit(learner, schoolUrl(slug, '/account'));
    await learner.getByLabel('Email me when new lessons unlock').uncheck();
    await clickAndWait(learner, learner.locator('form[action="/account/notifications"] button'));
    await expectText(learner, 'No more emails when lessons unlock', 'the flash');
    await shoot(learner, 'assign', 'account');
  });
});
