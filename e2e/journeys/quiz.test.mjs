// Quizzes: the owner writes a quiz in the editor (settings, a refused question, questions of
// several kinds), a student takes it, fails, tries again and passes, and the owner reads the
// statistics. The course around the quiz is put in the database directly (the course builder
// journey builds courses through the pages); everything about the quiz goes through the pages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { clickAndWait, expectText, expectUrl, find, journey, logIn, logOut, schoolUrl, shoot, startSchool, unique, visit } from '../lib/harness.mjs';

const slug = unique('optics');
const school = {
  name: 'Bright Optics',
  slug,
  owner: { name: 'Iris Lens', email: `iris@${slug}.test`, password: 'aperture-owner-2026' },
};
const student = { name: 'Theo Marsh', email: `theo@${slug}.test`, password: 'shutter-student-2026' };
const DB = process.env.LYCEUM_DATABASE_URL;

/** Runs SQL as the database owner and returns the first column of the first row. */
function sql(statement) {
  return execFileSync('psql', [DB, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' }).trim().split('\n')[0];
}

journey('quiz', ({ step, open, focus }) => {
  let owner;
  let page;
  let course;
  let lesson;
  let quiz;

  step('the owner has a course with a quiz lesson', async () => {
    owner = await open();
    await startSchool(owner, school);
    const tenant = sql(`select id from tenants where slug = '${slug}'`);
    course = sql(`insert into courses (tenant_id, id, slug, title, status, published_at)
      values ('${tenant}', gen_random_uuid(), 'light-and-lenses', 'Light and lenses', 'published', now()) returning id`);
    const module = sql(`insert into course_modules (tenant_id, id, course_id, title) values ('${tenant}', gen_random_uuid(), '${course}', 'Seeing light') returning id`);
    sql(`insert into lessons (tenant_id, id, course_id, module_id, title, kind, position, status, body_html)
      values ('${tenant}', gen_random_uuid(), '${course}', '${module}', 'How lenses bend light', 'text', 0, 'published', '<p>Lenses bend light.</p>')`);
    lesson = sql(`insert into lessons (tenant_id, id, course_id, module_id, title, kind, position, status, body_html)
      values ('${tenant}', gen_random_uuid(), '${course}', '${module}', 'Check your understanding', 'quiz', 1, 'published',
              '<p>Five short questions on what we covered. Take your time.</p>') returning id`);
    quiz = `/admin/courses/${course}/lessons/${lesson}/quiz`;
  });

  step('the owner sets the quiz up', async () => {
    focus(owner);
    await visit(owner, schoolUrl(slug, quiz));
    await expectText(owner, 'No questions yet', 'the empty quiz editor');
    await shoot(owner, 'quiz', 'editor-empty');
    await owner.locator('input[name="passing_percent"]').fill('75');
    await owner.locator('input[name="attempts_allowed"]').fill('3');
    await owner.locator('input[name="time_limit_minutes"]').fill('10');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Save settings' }));
    await expectText(owner, 'Quiz settings saved.', 'saved settings');
  });

  step('the owner writes questions, and a question without a right answer is refused', async () => {
    await clickAndWait(owner, owner.getByRole('link', { name: 'Single choice' }));
    await owner.locator('textarea[name="prompt"]').fill('Which focal length gives the widest view?');
    await owner.locator('input[name="row.0.text"]').fill('14 mm');
    await owner.locator('input[name="row.1.text"]').fill('50 mm');
    await owner.locator('input[name="row.2.text"]').fill('200 mm');
    const [refused] = await Promise.all([
      owner.waitForNavigation({ waitUntil: 'load' }),
      owner.getByRole('button', { name: 'Add question' }).click(),
    ]);
    assert.equal(refused?.status(), 422, 'a choice question without a right answer is refused');
    await expectText(owner, 'Mark the right answer.', 'the message beside the answers');
    assert.equal(await owner.locator('input[name="row.2.text"]').inputValue(), '200 mm', 'what was typed is kept');
    await shoot(owner, 'quiz', 'question-refused');
    await owner.getByRole('radio', { name: 'Answer 1 is right' }).check();
    await owner.locator('textarea[name="explanation"]').fill('The shorter the focal length, the wider the view.');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));
    await expectText(owner, 'Question added.', 'the first question');

    await clickAndWait(owner, owner.getByRole('link', { name: 'True or false' }));
    await owner.locator('textarea[name="prompt"]').fill('A smaller f-number means a wider aperture.');
    await owner.getByRole('radio', { name: 'True' }).check();
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));

    await clickAndWait(owner, owner.getByRole('link', { name: 'Short answer' }));
    await owner.locator('textarea[name="prompt"]').fill('What do we call the opening that lets light into the lens?');
    await owner.locator('textarea[name="accepted"]').fill('aperture\niris');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));

    await clickAndWait(owner, owner.getByRole('link', { name: 'Number' }));
    await owner.locator('textarea[name="prompt"]').fill('How many stops brighter is f/2 than f/4?');
    await owner.locator('input[name="answer"]').fill('2');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));

    await clickAndWait(owner, owner.getByRole('link', { name: 'Ordering' }));
    await owner.locator('textarea[name="prompt"]').fill('Put the workflow in order.');
    await owner.locator('input[name="row.0.text"]').fill('Shoot');
    await owner.locator('input[name="row.1.text"]').fill('Cull');
    await owner.locator('input[name="row.2.text"]').fill('Edit');
    await owner.locator('input[name="row.3.text"]').fill('Share');
    await shoot(owner, 'quiz', 'question-form');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Add question' }));
    await expectText(owner, '5 questions', 'the quiz with its questions');
    await shoot(owner, 'quiz', 'editor');
    await logOut(owner);
  });

  step('a student signs up and is enrolled', async () => {
    page = await open();
    await visit(page, schoolUrl(slug, '/signup'));
    await page.locator('input[name="name"]').fill(student.name);
    await page.locator('input[name="email"]').fill(student.email);
    await page.locator('input[name="password"]').fill(student.password);
    await clickAndWait(page, page.getByRole('button', { name: 'Create account' }));
    await expectUrl(page, (u) => u.pathname === '/dashboard', 'after signing up');
    sql(`insert into enrollments (tenant_id, id, user_id, course_id, source)
      select u.tenant_id, gen_random_uuid(), u.id, '${course}', 'staff' from users u where u.email = '${student.email}'`);
  });

  const answer = async (right) => {
    const q = (text) => page.locator('fieldset', { hasText: text });
    await q('widest view').getByLabel(right ? '14 mm' : '200 mm').check();
    await q('f-number').getByLabel(right ? 'True' : 'False').check();
    await q('opening').locator('input').fill(right ? 'Aperture' : 'shutter');
    await q('stops brighter').locator('input').fill(right ? '2' : '4');
    const order = right ? ['Shoot', 'Cull', 'Edit', 'Share'] : ['Share', 'Edit', 'Cull', 'Shoot'];
    for (const [i, item] of order.entries()) {
      await q('workflow').locator(`div:has(> span:text-is("${item}")) select`).selectOption(String(i + 1));
    }
  };

  step('the student starts the quiz: the page holds questions, not answers', async () => {
    focus(page);
    page.on('dialog', (d) => d.accept());
    await visit(page, schoolUrl(slug, `/learn/light-and-lenses/${lesson}`));
    await expectText(page, 'Ready when you are', 'the quiz before the first attempt');
    await shoot(page, 'quiz', 'ready');
    await clickAndWait(page, page.getByRole('button', { name: 'Start quiz' }));
    await find(page, page.locator('[data-quiz-timer]'), 'the countdown');
    const html = await page.content();
    for (const secret of ['The shorter the focal length', 'iris', 'data-correct']) {
      assert.ok(!html.includes(secret), `the page before submit holds ${secret}`);
    }
    const before = await page.locator('[data-quiz-clock]').textContent();
    await page.waitForTimeout(1500);
    assert.notEqual(await page.locator('[data-quiz-clock]').textContent(), before, 'the countdown runs');
    await shoot(page, 'quiz', 'taking');
  });

  step('the student fails, sees why, and tries again', async () => {
    await answer(false);
    await expectText(page, 'Answers saved.', 'answers saved as the student goes');
    await page.reload({ waitUntil: 'load' });
    assert.equal(await page.locator('fieldset', { hasText: 'opening' }).locator('input').inputValue(), 'shutter', 'a reload keeps the answers');
    await clickAndWait(page, page.getByRole('button', { name: 'Submit answers' }));
    await expectText(page, 'Not quite this time', 'a failed attempt');
    await expectText(page, '2 attempts left.', 'attempts left');
    await shoot(page, 'quiz', 'failed');
    await clickAndWait(page, page.getByRole('button', { name: 'Try again' }));
    await answer(true);
    await clickAndWait(page, page.getByRole('button', { name: 'Submit answers' }));
    await expectText(page, 'You passed!', 'a passing attempt');
    await shoot(page, 'quiz', 'passed');
  });

  step('the owner reads the statistics', async () => {
    owner = await open();
    await logIn(owner, slug, school.owner.email, school.owner.password, '/admin');
    await visit(owner, schoolUrl(slug, `${quiz}/stats`));
    await expectText(owner, 'Pass rate', 'the statistics');
    await expectText(owner, '200 mm', 'the most common wrong answer');
    await shoot(owner, 'quiz', 'stats');
  });
});
