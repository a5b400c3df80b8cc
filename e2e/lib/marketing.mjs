// Helpers for the marketing journeys (issue 11): a real PDF to give away, the media upload it
// needs, the page builder's outline, canvas and autosave, dragging with SortableJS the way a
// hand does, and the page's funnel numbers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIMEOUT, clickAndWait, expectUrl, find, newPage as newBrowserPage, schoolUrl, visit } from './harness.mjs';

/**
 * Writes a one-page PDF whose text is `lines` (plain ASCII) and returns its path; `name` is
 * the file's name, which becomes the library item's title.
 */
export function makePdf(name, lines) {
  const esc = (s) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = ['BT /F1 24 Tf 72 720 Td', ...lines.map((l, i) => `${i ? '0 -28 Td ' : ''}(${esc(l)}) Tj`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const file = join(mkdtempSync(join(tmpdir(), 'lyceum-e2e-')), name);
  writeFileSync(file, pdf, 'latin1');
  return file;
}

/** A desktop Chrome's user agent: what a person's browser sends. */
export const PERSON_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

/**
 * A visitor's browser page: like the harness's, but with a person's user agent, since the
 * funnel does not count views from headless browsers (they are robots to it).
 */
export async function personPage(browser) {
  return newBrowserPage(browser, { userAgent: PERSON_UA });
}

/** Uploads `file` on /admin/media and waits until the library lists it as ready. */
export async function uploadToLibrary(page, slug, file, title) {
  await visit(page, schoolUrl(slug, '/admin/media'));
  await page.locator('[data-uploader] input[type="file"]').first().setInputFiles(file);
  const row = page.locator('[data-media-row][data-state="ready"]').filter({ hasText: title });
  await row.first().waitFor({ state: 'visible', timeout: 3 * TIMEOUT });
}

/** The builder's outline rows (left panel), top to bottom. */
export const outlineRows = (page) => page.locator('[data-builder-outline] > li');

/** The section kinds' names as the outline lists them, top to bottom. */
export async function outline(page) {
  return (await outlineRows(page).allInnerTexts()).map((t) => t.split('\n').map((s) => s.trim()).filter(Boolean)[0] ?? '');
}

/** The draft's canvas (the framed page in the middle of the builder). */
export const canvas = (page) => page.frameLocator('[data-builder-canvas]');

/**
 * Drags `handle` with the mouse over `target` (above it, or below with `below`), in small
 * steps and with pauses, as SortableJS needs to see a hand moving.
 */
export async function dragTo(page, handle, target, { below = false } = {}) {
  await handle.scrollIntoViewIfNeeded();
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('The drag handle or its target is not on screen');
  const x = from.x + from.width / 2;
  const y0 = from.y + from.height / 2;
  const y1 = below ? to.y + to.height - 4 : to.y + 4;
  await page.mouse.move(x, y0);
  await page.mouse.down();
  await page.mouse.move(x, y0 + 6, { steps: 3 });
  for (let i = 1; i <= 16; i++) {
    await page.mouse.move(x, y0 + (y1 - y0) * (i / 16), { steps: 2 });
    await page.waitForTimeout(30);
  }
  await page.waitForTimeout(250);
  await page.mouse.up();
}

/** Waits until the builder says the draft is saved (after an autosave). */
export async function waitSaved(page, what) {
  try {
    await page.waitForResponse((r) => /\/admin\/pages\/[0-9a-f-]{36}\/draft$/.test(r.url()) && r.status() === 200, { timeout: TIMEOUT });
  } catch {
    const status = await page.locator('[data-builder-saved]').innerText().catch(() => '(no status)');
    throw new Error(`${what}: the draft was not saved (the builder says "${status}")`);
  }
}

/**
 * Creates a page from `template` on /admin/pages (the "New page" form) and returns the
 * builder's URL.
 */
export async function newPage(page, slug, { title, path, template }) {
  await visit(page, schoolUrl(slug, '/admin/pages'));
  const opener = page.getByRole('button', { name: 'New page' }).or(page.getByRole('link', { name: 'New page' }));
  if (await opener.count()) await opener.first().click();
  const form = page.locator('form[action="/admin/pages"]').filter({ has: page.locator('input[name="title"]') }).first();
  await (await find(page, form.locator('input[name="title"]'), 'The new page\'s title field')).fill(title);
  await form.locator('input[name="slug"]').fill(path);
  const choice = form.locator(`input[name="template"][value="${template}"]`);
  if ((await choice.getAttribute('type')) === 'radio') await choice.check({ force: true });
  else await form.locator('select[name="template"]').selectOption(template);
  await clickAndWait(page, form.locator('button[type="submit"], button:not([type])').last());
  await expectUrl(page, (u) => /^\/admin\/pages\/[0-9a-f-]{36}$/.test(u.pathname), `after creating the page ${title}`);
  return page.url();
}

/**
 * The numbers on a page's stats (`/admin/pages/{id}/stats`), by tile label: `{ Visitors: 2,
 * Views: 3, 'Opt-ins': 1, Sales: 1, … }` (each tile is the `stat` macro of kernel/macros.html).
 */
export async function statTiles(page) {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('[data-tiles] .stat')) {
      const label = el.querySelector('span')?.textContent.trim();
      const value = el.querySelector('p')?.textContent.replace(/[^0-9.]/g, '');
      if (label) out[label] = value === '' ? null : Number(value);
    }
    return out;
  });
}
