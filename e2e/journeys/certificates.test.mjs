// Certificates: the owner designs the school's certificate with its live PDF preview; a student
// holds a certificate, sees it in their list, downloads the PDF (its text read back with
// pdftotext) and the public verification page confirms it; staff revoke it and the page says
// so; an unknown code is a clear 404.
//
// Until the course player lands, the student's certificate is put in the database directly
// (as the `course.completed` subscriber would issue it; its PDF is then drawn on first
// download). The full journey, from the last lesson to the certificate, is the player's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clickAndWait,
  expectText,
  expectNoSidewaysScroll,
  find,
  journey,
  schoolUrl,
  shoot,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('ink');
const school = {
  name: 'Ink & Brush Studio',
  slug,
  owner: { name: 'Mei Tanaka', email: `mei@${slug}.test`, password: 'brush-owner-password-2026' },
};
const student = { name: 'Анна Каренина', email: `anna@${slug}.test`, password: 'anna-password-2026' };
const CODE = `LYC-${slug.slice(-4).toUpperCase().replace(/[^2-9A-HJ-NP-TW-Z]/g, '7').padEnd(4, '7')}-9QX2`;

/** Stores the student's certificate as the completion subscriber would. */
function seedCertificate() {
  const sql = `
    with t as (select id from tenants where slug = :'slug'),
         u as (select id from users where tenant_id = (select id from t) and email = :'email'),
         c as (insert into courses (tenant_id, id, slug, title, status, published_at)
               values ((select id from t), gen_random_uuid(), 'watercolour', 'Watercolour for Beginners', 'published', now())
               returning id)
    insert into certificates (tenant_id, id, code, user_id, course_id, student_name, course_title, instructor_name,
                              minutes, issued_at, issued_on, locale)
    select (select id from t), gen_random_uuid(), :'code', (select id from u), (select id from c), :'name',
           'Watercolour for Beginners', 'Mei Tanaka', 270, now(), current_date, 'en';`;
  execFileSync('psql', [process.env.LYCEUM_DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-v', `slug=${slug}`, '-v', `email=${student.email}`,
    '-v', `code=${CODE}`, '-v', `name=${student.name}`, '-q', '-f', '-'], { input: sql });
}

function pdfText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'cert-'));
  writeFileSync(join(dir, 'c.pdf'), bytes);
  return execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-']).toString();
}

journey('certificates', ({ step, open }) => {
  let owner;
  let page;

  step('the owner designs the certificate and sees the live preview', async () => {
    owner = await open();
    await startSchool(owner, school);
    await visit(owner, schoolUrl(slug, '/admin/certificates'));
    await find(owner, owner.getByRole('link', { name: 'Certificates' }).first(), 'The sidebar link to Certificates');
    await owner.locator('input[name="title"]').fill('Certificate of Achievement');
    await owner.locator('label', { hasText: 'Modern band' }).click();
    await owner.locator('input[name="signer_name"]').fill('Mei Tanaka');
    await owner.locator('input[name="signer_title"]').fill('Founder');
    const refreshed = owner.waitForResponse((r) => r.url().includes('/admin/certificates/preview.pdf') && r.url().includes('modern'));
    await owner.locator('input[name="signer_title"]').blur();
    const pdf = await refreshed;
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await shoot(owner, 'certificates', 'editor');
    await clickAndWait(owner, owner.getByRole('button', { name: 'Save design' }));
    await expectText(owner, 'Your certificate design is saved.', 'after saving the design');
  });

  step('a student holds a certificate and finds it in their list', async () => {
    page = await open();
    await visit(page, schoolUrl(slug, '/signup'));
    await page.locator('input[name="name"]').fill(student.name);
    await page.locator('input[name="email"]').fill(student.email);
    await page.locator('input[name="password"]').fill(student.password);
    await clickAndWait(page, page.getByRole('button', { name: 'Create account' }));
    seedCertificate();
    await visit(page, schoolUrl(slug, '/certificates'));
    await expectText(page, 'Watercolour for Beginners', 'the student\'s certificates');
    await find(page, page.getByRole('link', { name: 'Add to LinkedIn' }), 'The LinkedIn link');
    await shoot(page, 'certificates', 'mine');
  });

  step('the PDF downloads and its text names the student, the course and the code', async () => {
    // Fetched by the browser itself: only it resolves *.localhost.
    const { status, bytes } = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
    }, schoolUrl(slug, `/certificates/${CODE}/pdf`));
    assert.equal(status, 200);
    const text = pdfText(Buffer.from(bytes));
    for (const expected of [student.name, 'Watercolour for Beginners', CODE, 'CERTIFICATE OF ACHIEVEMENT', 'Founder']) {
      assert.ok(text.includes(expected), `${expected} in the PDF:\n${text}`);
    }
  });

  step('the verification page confirms it to anyone', async () => {
    const visitor = await open();
    await visit(visitor, schoolUrl(slug, `/certificates/${CODE}`));
    await expectText(visitor, 'Verified certificate', 'the verification page');
    await expectText(visitor, student.name, 'the verification page');
    await shoot(visitor, 'certificates', 'verified');
    await expectNoSidewaysScroll(visitor, [schoolUrl(slug, `/certificates/${CODE}`)]);
    await visit(visitor, schoolUrl(slug, '/certificates/LYC-2222-3333'), { status: [404] });
    await expectText(visitor, 'No certificate with this code', 'an unknown code');
    await shoot(visitor, 'certificates', 'unknown');
  });

  step('staff revoke it and the page says so', async () => {
    await visit(owner, schoolUrl(slug, '/admin/certificates/issued'));
    await shoot(owner, 'certificates', 'issued');
    await owner.locator('summary', { hasText: 'Revoke' }).first().click();
    await owner.locator('textarea[name="reason"]').fill('Issued to the wrong account');
    owner.once('dialog', (d) => d.accept());
    await clickAndWait(owner, owner.getByRole('button', { name: 'Revoke certificate' }));
    await expectText(owner, 'The certificate is revoked.', 'after revoking');
    await visit(owner, schoolUrl(slug, `/certificates/${CODE}`));
    await expectText(owner, 'This certificate was revoked', 'the verification page after revoking');
    await shoot(owner, 'certificates', 'revoked');
  });
});
