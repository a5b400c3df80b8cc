// The student player. A creator starts a school and a course (its modules and lessons are
// seeded straight into the database until the course builder lands); a student signs up, is
// enrolled, opens the course home and a lesson at 390 and 1440 px, opens the outline sheet on
// the phone (focus inside, Esc closes), keeps a note, asks a question, marks lessons complete
// and sees the course-complete celebration.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import {
  PHONE,
  checkA11y,
  VIEWPORTS,
  clickAndWait,
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

const slug = unique('lumen');
const school = {
  name: 'Lumen Photo School',
  slug,
  owner: { name: 'Ines Navarro', email: `ines@${slug}.test`, password: 'golden-hour-owner-2026' },
};
const student = { name: 'Theo Martin', email: `theo@${slug}.test`, password: 'aperture-student-2026' };
const COURSE = 'Photography Foundations';

/** Runs SQL on the journey's database (as its owner: seeding only). */
function sql(statement) {
  const url = process.env.LYCEUM_DATABASE_URL;
  assert.ok(url, 'LYCEUM_DATABASE_URL is set by scripts/e2e.sh');
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement], { encoding: 'utf8' }).trim();
}

const BODY = `<p>Light is the raw material of every photograph. In this lesson you will learn to <strong>see</strong> it: where it comes from, how hard or soft it is, and what colour it has.</p>
<h2>Three questions to ask</h2><ul><li>Where is the light coming from?</li><li>Is it hard or soft?</li><li>What colour is it?</li></ul>
<p>Go outside an hour before sunset and take ten photos of the same object from different sides. Notice how the shadows change.</p>`;

function seedCourse() {
  sql(`do $$
declare t uuid; c uuid; o uuid; m1 uuid := gen_random_uuid(); m2 uuid := gen_random_uuid();
begin
  select id into t from tenants where slug = '${slug}';
  select id into c from courses where tenant_id = t and title = '${COURSE}';
  select id into o from users where tenant_id = t and email = '${school.owner.email}';
  update courses set subtitle = 'Learn to see light, compose with intent and edit with restraint — in six short weeks.',
    description_html = '<p>A calm, practical course for people who own a camera and want their photos to look the way the moment felt.</p><p>Each lesson is short and ends with one exercise you can do the same day.</p>',
    category = 'Photography', is_free = true, status = 'published', published_at = now()
    where tenant_id = t and id = c;
  insert into course_instructors (tenant_id, course_id, user_id) values (t, c, o);
  insert into instructor_profiles (tenant_id, user_id, headline) values (t, o, 'Documentary photographer, 15 years in the field');
  insert into course_modules (tenant_id, id, course_id, title, position) values
    (t, m1, c, 'Seeing light', 0), (t, m2, c, 'Composition', 1);
  insert into lessons (tenant_id, id, course_id, module_id, title, kind, position, status, body_html, duration_minutes, embed_url, free_preview) values
    (t, gen_random_uuid(), c, m1, 'Welcome to the course', 'text', 0, 'published', '<p>Welcome! Here is how the course works and what you will need.</p>', 3, null, true),
    (t, gen_random_uuid(), c, m1, 'Reading the light', 'text', 1, 'published', $body$${BODY}$body$, 12, null, false),
    (t, gen_random_uuid(), c, m1, 'A walk at golden hour', 'embed', 2, 'published', '<p>Watch how the light changes in twenty minutes.</p>', 8, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', false),
    (t, gen_random_uuid(), c, m2, 'The rule of thirds, and when to break it', 'text', 0, 'published', '<p>Place your subject where the lines cross — then learn when the centre is stronger.</p>', 10, null, false);
end $$;`);
}

function enrol() {
  sql(`insert into enrollments (tenant_id, id, user_id, course_id, source)
    select t.id, gen_random_uuid(), u.id, c.id, 'staff' from tenants t
      join users u on u.tenant_id = t.id and u.email = '${student.email}'
      join courses c on c.tenant_id = t.id and c.title = '${COURSE}'
    where t.slug = '${slug}'`);
}

journey('courses-player', ({ step, open }) => {
  let page;
  let courseSlug;

  step('a creator starts a school and a course', async () => {
    const creator = await open();
    await startSchool(creator, school);
    await visit(creator, schoolUrl(slug, '/admin/courses'));
    await creator.locator('input[name="title"]').fill(COURSE);
    await clickAndWait(creator, creator.getByRole('button', { name: /Create/ }).first());
    seedCourse();
    courseSlug = sql(`select c.slug from courses c join tenants t on t.id = c.tenant_id where t.slug = '${slug}'`);
    assert.equal(courseSlug, 'photography-foundations');
    await creator.context().close();
  });

  step('a student signs up and is enrolled', async () => {
    page = await open();
    await visit(page, schoolUrl(slug, '/signup'));
    await page.locator('input[name="name"]').fill(student.name);
    await page.locator('input[name="email"]').fill(student.email);
    await page.locator('input[name="password"]').fill(student.password);
    await clickAndWait(page, page.getByRole('button', { name: 'Create account' }));
    await expectUrl(page, (u) => u.pathname === '/dashboard', 'after signing up');
    enrol();
  });

  step('the course home shows the instructor, progress and where to start', async () => {
    await visit(page, schoolUrl(slug, `/learn/${courseSlug}`));
    await expectText(page, 'Ines Navarro', 'the instructor');
    await expectText(page, 'Curriculum', 'the curriculum');
    await shoot(page, 'courses-player', 'course-home');
    await checkA11y(page, 'course home');
    await clickAndWait(page, page.getByRole('link', { name: 'Start the course' }));
    await expectText(page, 'Welcome to the course', 'the first lesson');
  });

  step('the first lesson is marked complete in place and the next one opens', async () => {
    await find(page, page.getByRole('button', { name: 'Mark complete' }), 'the Mark complete button');
    await page.getByRole('button', { name: 'Mark complete' }).click();
    await find(page, page.locator('#lesson-bar .lesson-done'), 'the lesson marked as completed');
    await find(page, page.locator('#course-progress', { hasText: '25% complete' }), 'the progress updated in place');
    await find(page, page.locator('#learn-outline .text-emerald-600').first(), 'the tick in the outline');
    await clickAndWait(page, page.locator('#lesson-bar').getByRole('link', { name: 'Next lesson' }));
    await expectText(page, 'Three questions to ask', 'the second lesson');
  });

  step('a lesson at 390 and 1440 px, with a note and a question', async () => {
    const note = page.locator('#note-body');
    await note.fill('Shoot the same tree at 6 pm and 8 pm. Compare the shadows.');
    await find(page, page.locator('#note-status', { hasText: 'Saved' }), 'the note saved as typed');
    await page.locator('#comment-body').fill('Does this work on an overcast day too?\nThe light here is grey most of the winter.');
    await page.getByRole('button', { name: 'Post' }).click();
    await find(page, page.locator('.comment-body', { hasText: 'overcast day' }), 'the question in the discussion');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'courses-player', 'lesson');
    await checkA11y(page, 'lesson');
  });

  step('on a phone the outline is a sheet: focus inside, Esc closes it', async () => {
    await page.setViewportSize(PHONE);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${process.env.LYCEUM_E2E_ARTIFACTS}/courses-player-lesson-screen-390.png`, animations: 'disabled' });
    const toggle = page.locator('.learn-topbar').getByRole('button', { name: 'Course outline' });
    await toggle.click();
    const drawer = page.locator('#learn-outline');
    await find(page, page.locator('#learn-outline.is-open'), 'the open outline sheet');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
    assert.ok(await drawer.evaluate((d) => d.contains(document.activeElement)), 'Tab stays inside the sheet');
    await page.waitForTimeout(250);
    await page.screenshot({ path: `${process.env.LYCEUM_E2E_ARTIFACTS}/courses-player-outline-390.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    assert.equal(await drawer.evaluate((d) => d.classList.contains('is-open')), false, 'Esc closes the sheet');
    assert.equal(await toggle.evaluate((t) => t === document.activeElement), true, 'focus goes back to the button');
    const bar = page.locator('#lesson-bar');
    const box = await bar.boundingBox();
    assert.ok(box && box.y + box.height >= PHONE.height - 2, 'the completion bar sits at the bottom of the screen');
    await page.setViewportSize(VIEWPORTS[1]);
  });

  step('finishing every lesson celebrates the course', async () => {
    const lessons = sql(`select l.id from lessons l join tenants t on t.id = l.tenant_id
      join course_modules m on m.id = l.module_id where t.slug = '${slug}' order by m.position, l.position`).split('\n');
    for (const id of lessons.slice(1, 3)) {
      await visit(page, schoolUrl(slug, `/learn/${courseSlug}/${id}`));
      await page.getByRole('button', { name: 'Mark complete' }).click();
      await find(page, page.locator('#lesson-bar .lesson-done'), 'completed');
    }
    await visit(page, schoolUrl(slug, `/learn/${courseSlug}/${lessons[3]}`));
    await page.getByRole('button', { name: 'Mark complete' }).click();
    await find(page, page.getByText('You finished the course!'), 'the celebration');
    await page.evaluate(() => window.scrollTo(0, 0));
    await find(page, page.locator('#course-progress', { hasText: '100% complete' }), 'full progress');
    await shoot(page, 'courses-player', 'finished');
  });
});
