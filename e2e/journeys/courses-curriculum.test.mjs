// A creator builds a course's curriculum: creates the course (landing on its empty
// curriculum), adds two modules and their lessons, drags a lesson with the mouse, moves one
// across modules with Alt+ArrowUp, renames one inline, deletes one and brings it back with
// Undo, and publishes after a refusal that says why. Checked at 390 and 1440 px.
import assert from 'node:assert/strict';
import {
  checkA11y,
  clickAndWait,
  expectNoSidewaysScroll,
  expectText,
  expectUrl,
  find,
  journey,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('atelier');
const school = {
  name: 'Atelier of Light',
  slug,
  owner: { name: 'Inés Duarte', email: `ines@${slug}.test`, password: 'golden-hour-portraits-2026' },
};

/** Lesson titles in page order. */
const lessonTitles = (page) =>
  page.$$eval('[data-lesson-id] [data-title]', (els) => els.map((e) => e.textContent.trim()));

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

journey('courses-curriculum', ({ step, open }) => {
  let page;
  let courseUrl;

  step('a new course opens on its empty curriculum', async () => {
    page = await open();
    await startSchool(page, school);
    await visit(page, schoolUrl(slug, '/admin/courses'));
    await page.locator('input[name="title"]').fill('Portrait photography');
    await clickAndWait(page, page.getByRole('button', { name: 'Create course' }));
    await expectUrl(page, (u) => /^\/admin\/courses\/[0-9a-f-]{36}$/.test(u.pathname), 'after creating a course');
    courseUrl = page.url();
    await expectText(page, 'Add your first module', 'the empty curriculum');
    await shoot(page, 'courses-curriculum', 'empty');
  });

  step('two modules fill with lessons of different kinds', async () => {
    await page.locator('input[name="title"]').fill('Basics');
    await clickAndWait(page, page.getByRole('button', { name: 'Add your first module' }));
    await page.locator('form[action$="/modules"] input[name="title"]').fill('Practice');
    await clickAndWait(page, page.getByRole('button', { name: 'Add module' }));
    await addLesson(page, 'Basics', 'video', 'Welcome');
    await addLesson(page, 'Basics', 'text', 'Soft light');
    await addLesson(page, 'Basics', 'quiz', 'Check your eye');
    await addLesson(page, 'Practice', 'assignment', 'Your first portrait');
    assert.deepEqual(await lessonTitles(page), ['Welcome', 'Soft light', 'Check your eye', 'Your first portrait']);
    await shoot(page, 'courses-curriculum', 'built');
  });

  step('a lesson dragged with the mouse keeps its new place', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const saved = page.waitForResponse((r) => r.url().endsWith('/order') && r.request().method() === 'POST');
    const handle = row(page, 'Check your eye').locator('[data-handle="lesson"]');
    const target = row(page, 'Welcome');
    const from = await handle.boundingBox();
    const to = await target.boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(from.x + from.width / 2, from.y + (to.y + 4 - from.y) * (i / 12));
      await page.waitForTimeout(40);
    }
    // Give SortableJS a moment to settle on the final position, as a hand would.
    await page.waitForTimeout(250);
    await page.mouse.up();
    assert.equal((await saved).status(), 204, 'the new order is saved');
    assert.deepEqual(await lessonTitles(page), ['Check your eye', 'Welcome', 'Soft light', 'Your first portrait']);
    await page.reload();
    assert.deepEqual(await lessonTitles(page), ['Check your eye', 'Welcome', 'Soft light', 'Your first portrait']);
  });

  step('Alt+ArrowUp on a handle moves a lesson into the module above, and says so', async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/order'));
    await row(page, 'Your first portrait').locator('[data-handle="lesson"]').focus();
    await page.keyboard.press('Alt+ArrowUp');
    assert.equal((await saved).status(), 204);
    await expectText(page, 'Your first portrait moved to position 4 in Basics', 'the announcement');
    const focused = await page.evaluate(() => document.activeElement?.closest('[data-lesson-id]')?.textContent ?? '');
    assert.match(focused, /Your first portrait/, 'focus stays on the moved lesson');
    assert.equal((await page.locator('[data-count]').allInnerTexts()).join(' | '), '4 lessons | 0 lessons');
    await page.reload();
    assert.deepEqual(await lessonTitles(page), ['Check your eye', 'Welcome', 'Soft light', 'Your first portrait']);
    const basics = page.locator('[data-module-id]').first();
    assert.equal(await basics.locator('[data-lesson-id]').count(), 4);
    const empty = page.locator('[data-empty]:visible');
    assert.equal(await empty.count(), 1, 'the emptied module says it is empty');
    assert.match(await empty.innerText(), /No lessons here yet/);
    await checkA11y(page, 'the curriculum');
  });

  step('a lesson is renamed in place: Enter saves', async () => {
    const r = row(page, 'Soft light');
    await r.locator('summary').click();
    await r.getByRole('button', { name: 'Rename' }).click();
    const input = r.locator('[data-rename-input]');
    await input.fill('Window light');
    const saved = page.waitForResponse((res) => res.url().endsWith('/rename'));
    await input.press('Enter');
    assert.equal((await saved).status(), 204);
    await find(page, row(page, 'Window light').locator('[data-title]'), 'the renamed title');
    await page.reload();
    assert.ok((await lessonTitles(page)).includes('Window light'));
  });

  step('a deleted lesson comes back with Undo', async () => {
    const r = row(page, 'Welcome');
    await r.locator('summary').click();
    await clickAndWait(page, r.getByRole('button', { name: 'Delete' }));
    await expectText(page, '“Welcome” deleted.', 'the undo toast');
    await shoot(page, 'courses-curriculum', 'undo');
    await clickAndWait(page, page.getByRole('button', { name: 'Undo' }));
    await expectText(page, 'Lesson restored.', 'after Undo');
    assert.deepEqual(await lessonTitles(page), ['Check your eye', 'Welcome', 'Window light', 'Your first portrait']);
  });

  step('publishing asks for a published lesson first, then the course is live', async () => {
    await clickAndWait(page, page.getByRole('button', { name: 'Publish', exact: true }));
    await expectText(page, 'Publish at least one lesson first', 'the refusal');
    await clickAndWait(page, row(page, 'Welcome').getByRole('button', { name: /Welcome is a draft/ }));
    await clickAndWait(page, page.getByRole('button', { name: 'Publish', exact: true }));
    await expectText(page, 'Your course is live.', 'after publishing');
    await shoot(page, 'courses-curriculum', 'published');
  });

  step('the curriculum and the course list fit a phone', async () => {
    await expectNoSidewaysScroll(page, [courseUrl, schoolUrl(slug, '/admin/courses')], { shots: 'courses-curriculum' });
  });
});
