// Issue 9 end to end, through the pages only. The owner uploads a video, builds a two-module
// course (video, text, quiz, assignment, and a lesson that opens days after enrolment), drags a
// lesson into a new place, publishes and enrols a student by hand. A student who is not enrolled
// is shown the closed page and refused the video's token and key. The enrolled student watches
// (hls.js fetches the segments), completes the text lesson, fails the quiz and then passes it,
// and hands in the assignment, which the owner approves. The drip lesson stays locked until the
// operator moves the demo clock; then the student completes it, the course completes, the
// certificate PDF names the student, the course and the code, and its public page verifies it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TIMEOUT,
  checkA11y,
  clickAndWait,
  expectNoSidewaysScroll,
  expectText,
  expectUrl,
  find,
  journey,
  operatorPage,
  platformUrl,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('harbour');
const school = {
  name: 'Harbour Light Photography',
  slug,
  owner: { name: 'Maren Holt', email: `maren@${slug}.test`, password: 'harbour-owner-2026' },
};
const student = { name: 'Léa Fontaine', email: `lea@${slug}.test`, password: 'first-light-student-2026' };
const stranger = { name: 'Otto Brandt', email: `otto@${slug}.test`, password: 'not-enrolled-2026' };
const COURSE = 'Photography with Natural Light';
const VIDEO = 'Welcome to the harbour';
const TEXT = 'Reading the light';
const QUIZ = 'Check your eye';
const TASK = 'Your first portrait';
const DRIP = 'Golden hour walk';
const J = 'course';

/** A 4-second 640×360 H.264/AAC clip (a test pattern and a tone). */
function makeClip() {
  const file = join(mkdtempSync(join(tmpdir(), 'lyceum-e2e-')), `${VIDEO}.mp4`);
  const run = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440',
    '-t', '4', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file,
  ]);
  assert.equal(run.status, 0, `ffmpeg could not make the test clip: ${run.stderr}`);
  return file;
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function pdfText(bytes) {
  const file = join(mkdtempSync(join(tmpdir(), 'lyceum-cert-')), 'certificate.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-']).toString();
}

/**
 * GETs `url` with the page's session, from inside the browser (only it resolves *.localhost),
 * as a player or a download would.
 */
async function get(page, url) {
  const r = await page.evaluate(async (u) => {
    const res = await fetch(u, { credentials: 'same-origin' });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
  }, url);
  return { ...r, bytes: Buffer.from(r.bytes) };
}

/** Lesson titles of the curriculum in page order. */
const lessonTitles = (page) => page.$$eval('[data-lesson-id] [data-title]', (els) => els.map((e) => e.textContent.trim()));
const row = (page, title) => page.locator('[data-lesson-id]', { has: page.locator('[data-title]', { hasText: title }) });

async function addLesson(page, module, kind, title) {
  const card = page.locator('li[data-module-id]').filter({
    has: page.locator(':scope > [data-row] [data-title]', { hasText: module }),
  });
  const form = card.locator('form[action$="/lessons"]');
  await form.locator('select[name="kind"]').selectOption(kind);
  await form.locator('input[name="title"]').fill(title);
  await clickAndWait(page, form.getByRole('button', { name: 'Add lesson' }));
}

/** Opens a lesson's editor from the curriculum (its title links there). */
async function editLesson(page, courseUrl, title) {
  if (page.url() !== courseUrl) await visit(page, courseUrl);
  await clickAndWait(page, row(page, title).locator('a[data-title]'));
  await expectUrl(page, (u) => /\/lessons\/[0-9a-f-]{36}$/.test(u.pathname), `the editor of ${title}`);
}

/** Types into the lesson's rich-text editor. */
async function typeBody(page, text) {
  const editor = await find(page, page.locator('.rich-editor [contenteditable="true"]').first(), 'The rich-text editor');
  await editor.click();
  await page.keyboard.type(text);
}

/** Publishes the lesson open in the editor and saves it. */
async function saveLesson(page) {
  await page.locator('select[name="status"]').selectOption('published');
  await clickAndWait(page, page.getByRole('button', { name: 'Save lesson' }).first());
  await expectText(page, 'Lesson saved.', 'the flash');
}

/** Signs a person up on the school's site; they land on their dashboard. */
async function signUp(page, person) {
  await visit(page, schoolUrl(slug, '/signup'));
  await page.locator('input[name="name"]').fill(person.name);
  await page.locator('input[name="email"]').fill(person.email);
  await page.locator('input[name="password"]').fill(person.password);
  await clickAndWait(page, page.getByRole('button', { name: 'Create account' }));
  await expectUrl(page, (u) => u.pathname === '/dashboard', `after ${person.name} signs up`);
}

journey(J, ({ step, open, focus }) => {
  let owner;
  let learner;
  let courseUrl;
  let courseSlug;
  let mediaId;
  const lessonUrl = {};
  let keyUrl;
  let code;

  step('the owner starts a school and uploads a video to the library', async () => {
    owner = await open();
    await startSchool(owner, school);
    await visit(owner, schoolUrl(slug, '/admin/media'));
    await owner.locator('[data-uploader] input[type="file"]').first().setInputFiles(makeClip());
    const item = owner.locator('[data-media-row][data-state="ready"]').filter({ hasText: VIDEO });
    await item.first().waitFor({ state: 'visible', timeout: 3 * TIMEOUT });
    mediaId = (await item.first().locator('a').first().getAttribute('href')).split('/').pop();
  });

  step('the owner builds two modules of lessons and drags one into a new place', async () => {
    await visit(owner, schoolUrl(slug, '/admin/courses'));
    await owner.locator('input[name="title"]').fill(COURSE);
    await clickAndWait(owner, owner.getByRole('button', { name: 'Create course' }));
    await expectUrl(owner, (u) => /^\/admin\/courses\/[0-9a-f-]{36}$/.test(u.pathname), 'after creating a course');
    courseUrl = owner.url();
    await owner.locator('input[name="title"]').fill('Seeing light');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add your first module' }));
    await owner.locator('form[action$="/modules"] input[name="title"]').fill('Going outside');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add module' }));
    await addLesson(owner, 'Seeing light', 'text', TEXT);
    await addLesson(owner, 'Seeing light', 'video', VIDEO);
    await addLesson(owner, 'Seeing light', 'quiz', QUIZ);
    await addLesson(owner, 'Going outside', 'assignment', TASK);
    await addLesson(owner, 'Going outside', 'text', DRIP);
    assert.deepEqual(await lessonTitles(owner), [TEXT, VIDEO, QUIZ, TASK, DRIP]);

    // The welcome video belongs first: dragged above the text lesson by its handle.
    await owner.setViewportSize({ width: 1440, height: 900 });
    const saved = owner.waitForResponse((r) => r.url().endsWith('/order') && r.request().method() === 'POST');
    const handle = row(owner, VIDEO).locator('[data-handle="lesson"]');
    const from = await handle.boundingBox();
    const to = await row(owner, TEXT).boundingBox();
    await owner.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await owner.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await owner.mouse.move(from.x + from.width / 2, from.y + (to.y + 4 - from.y) * (i / 12));
      await owner.waitForTimeout(40);
    }
    // Give SortableJS a moment to settle on the final position, as a hand would.
    await owner.waitForTimeout(250);
    await owner.mouse.up();
    assert.equal((await saved).status(), 204, 'the new order is saved');
    await owner.reload();
    assert.deepEqual(await lessonTitles(owner), [VIDEO, TEXT, QUIZ, TASK, DRIP], 'the drag is kept after a reload');
    await shoot(owner, J, 'curriculum-built');
  });

  step('the owner fills each lesson in its editor and publishes it', async () => {
    // Video: picked from the library in the media picker's dialog.
    await editLesson(owner, courseUrl, VIDEO);
    await owner.getByRole('button', { name: 'Choose from library' }).first().click();
    await (await find(owner, owner.locator('dialog[open] [data-pick]').filter({ hasText: VIDEO }), 'The video in the picker')).click();
    await find(owner, owner.locator('[data-media-picker-title]').filter({ hasText: VIDEO }), 'The chosen video');
    await owner.locator('input[name="duration_minutes"]').fill('1');
    await shoot(owner, J, 'editor-video');
    await saveLesson(owner);

    await editLesson(owner, courseUrl, TEXT);
    await typeBody(owner, 'Stand by a window and watch how the light falls on a face as you turn it.');
    await owner.locator('input[name="duration_minutes"]').fill('6');
    await saveLesson(owner);

    await editLesson(owner, courseUrl, TASK);
    await typeBody(owner, 'Take one portrait by a window and tell us how you placed the light.');
    await saveLesson(owner);

    // Opens three days after the student enrols.
    await editLesson(owner, courseUrl, DRIP);
    await typeBody(owner, 'Go out an hour before sunset and photograph the same street twice.');
    await owner.getByLabel('A number of days after they enrol').check();
    await owner.locator('input[name="drip_days"]').fill('3');
    await shoot(owner, J, 'editor-drip');
    await saveLesson(owner);
  });

  step('the quiz gets a passing score and two questions in the quiz editor', async () => {
    await editLesson(owner, courseUrl, QUIZ);
    await saveLesson(owner);
    await clickAndWait(owner, owner.getByRole('link', { name: 'Edit questions' }));
    await owner.locator('input[name="passing_percent"]').fill('75');
    await owner.locator('input[name="attempts_allowed"]').fill('3');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Save settings' }));
    await expectText(owner, 'Quiz settings saved.', 'saved settings');

    await clickAndWait(owner, owner.getByRole('link', { name: 'Single choice' }));
    await owner.locator('textarea[name="prompt"]').fill('Which light gives the softest shadows?');
    await owner.locator('input[name="row.0.text"]').fill('An overcast sky');
    await owner.locator('input[name="row.1.text"]').fill('Midday sun');
    await owner.getByRole('radio', { name: 'Answer 1 is right' }).check();
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));
    await expectText(owner, 'Question added.', 'the first question');

    await clickAndWait(owner, owner.getByRole('link', { name: 'True or false' }));
    await owner.locator('textarea[name="prompt"]').fill('Golden hour comes just before sunset.');
    await owner.getByRole('radio', { name: 'True' }).check();
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));
    await expectText(owner, '2 questions', 'the quiz with its questions');
    await shoot(owner, J, 'quiz-editor');
  });

  step('the owner publishes the course', async () => {
    await visit(owner, courseUrl);
    await clickAndWait(owner, owner.getByRole('button', { name: 'Publish', exact: true }));
    await expectText(owner, 'Your course is live.', 'after publishing');
    await shoot(owner, J, 'curriculum-published');
  });

  step('a student signs up and the owner enrols them by hand on the Students tab', async () => {
    learner = await open();
    await signUp(learner, student);
    focus(owner);
    await visit(owner, courseUrl);
    await clickAndWait(owner, owner.locator(`main a[href$="/students"]`).first());
    await expectUrl(owner, (u) => u.pathname.endsWith('/students'), 'the Students tab');
    await owner.locator('input[name="email"]').fill(student.email);
    await owner.locator('input[name="name"]').fill(student.name);
    await clickAndWait(owner, owner.getByRole('button', { name: 'Enrol' }));
    await expectText(owner, `${student.name} is enrolled`, 'the flash');
    await find(owner, owner.locator('main').getByText(student.email), 'The student in the list');
    await shoot(owner, J, 'students');
  });

  step('the student finds the course on their dashboard and opens the video lesson: hls.js plays it', async () => {
    focus(learner);
    await visit(learner, schoolUrl(slug, '/dashboard'));
    await expectText(learner, COURSE, 'the course on the dashboard');
    await shoot(learner, J, 'dashboard-enrolled');
    await clickAndWait(learner, learner.locator('main a.btn[href^="/learn/"]').first());
    courseSlug = new URL(learner.url()).pathname.split('/')[2];
    // Every lesson's address, from the outline.
    for (const title of [VIDEO, TEXT, QUIZ, TASK, DRIP]) {
      const href = await learner.locator('#learn-outline a', { hasText: title }).first().getAttribute('href');
      lessonUrl[title] = schoolUrl(slug, href);
    }
    const fetched = [];
    learner.on('response', (res) => {
      if (res.url().includes(`/media/${mediaId}/hls/`)) fetched.push({ url: res.url(), status: res.status() });
    });
    const segment = learner.waitForResponse((r) => r.url().includes(`/media/${mediaId}/hls/`) && /\.(ts|m4s)$/.test(new URL(r.url()).pathname) && [200, 206].includes(r.status()));
    await visit(learner, lessonUrl[VIDEO]);
    await find(learner, learner.locator('[data-player]'), 'The video player');
    await learner.waitForFunction(() => ['ready', 'paused'].includes(document.querySelector('[data-player]')?.dataset.state));
    await learner.getByRole('button', { name: 'Play' }).first().click();
    await segment;
    await learner.waitForFunction(() => (document.querySelector('[data-player] video')?.currentTime ?? 0) > 1);
    const key = fetched.find((f) => f.url.endsWith('/key'));
    assert.ok(key && key.status === 200, `the player fetched the key (${fetched.map((f) => `${f.status} ${f.url}`).join(', ')})`);
    keyUrl = key.url;
    await shoot(learner, J, 'lesson-video');
    await checkA11y(learner, 'the video lesson');
    // Watched to the end, the lesson completes by itself (the heartbeat at the end records it;
    // the page re-checks on load).
    await learner.waitForFunction(() => document.querySelector('[data-player] video')?.ended, null, { timeout: TIMEOUT });
    const deadline = Date.now() + 10_000;
    for (;;) {
      await visit(learner, lessonUrl[VIDEO]);
      if (await learner.locator('#lesson-bar .lesson-done').count()) break;
      if (Date.now() > deadline) throw new Error('The video lesson did not complete after the whole video was watched');
      await learner.waitForTimeout(500);
    }
  });

  step('a student who is not enrolled gets the closed page, and the token and key are refused', async () => {
    const other = await open();
    await signUp(other, stranger);
    await visit(other, lessonUrl[VIDEO], { status: [200, 403] });
    await expectText(other, 'Enrol in the course to open it', 'the closed page');
    assert.equal(await other.locator('[data-player]').count(), 0, 'no player on the closed page');
    await shoot(other, J, 'closed');
    for (const url of [schoolUrl(slug, `/media/${mediaId}/play`), keyUrl]) {
      assert.equal((await get(other, url)).status, 403, `a student who is not enrolled: ${url}`);
    }
    await other.context().close();
    focus(learner);
  });

  step('the student reads the text lesson and marks it complete', async () => {
    await visit(learner, lessonUrl[TEXT]);
    await expectText(learner, 'watch how the light falls', 'the lesson text');
    await learner.locator('#lesson-bar').getByRole('button', { name: 'Mark complete' }).click();
    await find(learner, learner.locator('#lesson-bar .lesson-done'), 'the text lesson completed');
    await learner.evaluate(() => window.scrollTo(0, 0));
    await shoot(learner, J, 'lesson-text');
    await checkA11y(learner, 'the text lesson');
  });

  step('the student fails the quiz, then passes it on the second try', async () => {
    learner.on('dialog', (d) => d.accept());
    const q = (text) => learner.locator('fieldset', { hasText: text });
    const answer = async (right) => {
      await q('softest shadows').getByLabel(right ? 'An overcast sky' : 'Midday sun').check();
      await q('Golden hour').getByLabel(right ? 'True' : 'False').check();
    };
    await visit(learner, lessonUrl[QUIZ]);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Start quiz' }));
    await answer(false);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Submit answers' }));
    await expectText(learner, 'Not quite this time', 'a failed attempt');
    await shoot(learner, J, 'quiz-failed');
    await clickAndWait(learner, learner.getByRole('button', { name: 'Try again' }));
    await answer(true);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Submit answers' }));
    await expectText(learner, 'You passed!', 'a passing attempt');
    await shoot(learner, J, 'quiz-passed');
    await visit(learner, lessonUrl[QUIZ]);
    await find(learner, learner.locator('#lesson-bar .lesson-done'), 'the quiz lesson completed');
  });

  step('the student hands in the assignment and sees the drip lesson locked with its date', async () => {
    await visit(learner, lessonUrl[TASK]);
    await learner.locator('textarea[name="text"]').fill('My sister by the kitchen window, turned a quarter towards the light.');
    await learner.locator('input[name="files"]').setInputFiles([{ name: 'window-portrait.png', mimeType: 'image/png', buffer: PNG }]);
    await clickAndWait(learner, learner.getByRole('button', { name: 'Hand in' }));
    await expectText(learner, 'Your work is handed in', 'the flash');
    await shoot(learner, J, 'assignment-handed-in');
    await find(learner, learner.locator('#learn-outline a', { hasText: DRIP }).getByText('Opens'), 'The opening date beside the locked lesson');
    await visit(learner, lessonUrl[DRIP], { status: [200, 403] });
    await expectText(learner, 'This lesson opens on', 'the drip-locked lesson');
    await shoot(learner, J, 'drip-locked');
  });

  step('the owner approves the assignment from the review queue', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, '/admin/assignments'));
    await expectText(owner, student.name, 'the queue row');
    await shoot(owner, J, 'assignments-queue');
    await clickAndWait(owner, owner.getByRole('link', { name: 'Review', exact: true }).first());
    await expectText(owner, 'kitchen window', 'the student text');
    await owner.locator('textarea[name="feedback"]').fill('Lovely, soft light on the far cheek. Approved.');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Approve' }));
    await expectText(owner, 'Approved.', 'the flash');
    focus(learner);
    await visit(learner, lessonUrl[TASK]);
    await expectText(learner, 'Your work is approved', 'the approved state');
    await find(learner, learner.locator('#lesson-bar .lesson-done'), 'the assignment lesson completed');
  });

  step('the drip lesson stays locked until the operator moves the clock; then the course completes', async () => {
    await visit(learner, lessonUrl[DRIP], { status: [200, 403] });
    await expectText(learner, 'This lesson opens on', 'still locked before the clock moves');
    const operator = await operatorPage(owner.context().browser());
    focus(operator);
    await visit(operator, platformUrl('/operator/jobs'));
    await operator.locator('input[name="amount"]').fill('4');
    await clickAndWait(operator, operator.getByRole('button', { name: 'Advance the clock' }));
    await expectText(operator, 'The clock moved forward', 'the flash');
    await operator.context().close();
    focus(learner);
    await visit(learner, lessonUrl[DRIP]);
    await expectText(learner, 'photograph the same street twice', 'the opened lesson');
    await learner.locator('#lesson-bar').getByRole('button', { name: 'Mark complete' }).click();
    await find(learner, learner.getByText('You finished the course!'), 'the celebration');
    await learner.evaluate(() => window.scrollTo(0, 0));
    await find(learner, learner.locator('#course-progress', { hasText: '100% complete' }), 'full progress');
    await shoot(learner, J, 'finished');
  });

  step('the certificate is listed, its PDF names the student, the course and the code', async () => {
    // Issued by the course.completed subscriber, a background job: reloaded until it shows.
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      await visit(learner, schoolUrl(slug, '/certificates'));
      if (await learner.getByText(COURSE).count()) break;
      if (Date.now() > deadline) throw new Error(`No certificate for ${COURSE} on /certificates within ${TIMEOUT / 1000} s`);
      await learner.waitForTimeout(500);
    }
    const link = await learner.locator('main a[href^="/certificates/"][href$="/pdf"]').first().getAttribute('href');
    code = link.split('/')[2];
    await shoot(learner, J, 'certificates');
    const res = await get(learner, schoolUrl(slug, link));
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/pdf');
    const text = pdfText(res.bytes);
    for (const expected of [student.name, COURSE, code]) {
      assert.ok(text.includes(expected), `${expected} in the PDF:\n${text}`);
    }
    await visit(learner, schoolUrl(slug, '/dashboard'));
    await find(learner, learner.locator(`main a[href="/certificates/${code}"]`), 'The certificate on the dashboard');
    await shoot(learner, J, 'dashboard-finished');
    await expectNoSidewaysScroll(learner, [lessonUrl[TEXT], schoolUrl(slug, '/dashboard')]);
  });

  step('the public verification page confirms the certificate to anyone', async () => {
    const visitor = await open();
    await visit(visitor, schoolUrl(slug, `/certificates/${code}`));
    await expectText(visitor, 'Verified certificate', 'the verification page');
    await expectText(visitor, student.name, 'the student on the verification page');
    await expectText(visitor, COURSE, 'the course on the verification page');
    await shoot(visitor, J, 'verified');
  });
});
