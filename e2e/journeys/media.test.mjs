// A creator uploads a short video to the media library (a clip ffmpeg makes for the test),
// waits for it to be processed, and plays it in the preview page: the player fetches the
// encrypted segments and the key. Another browser without rights gets 403 on the playlist and
// the key, logged out or logged in as a student.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TIMEOUT,
  checkA11y,
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

const slug = unique('media');
const school = {
  name: 'Lumen Photography School',
  slug,
  owner: { name: 'Ravi Menon', email: `ravi@${slug}.test`, password: 'aperture-priority-2026' },
};
const student = { name: 'Ines Duarte', email: `ines@${slug}.test`, password: 'golden-hour-2026' };

/** A 6-second 640×360 H.264/AAC clip with a test pattern and a tone. */
function makeClip(seconds = 6, name = 'Lesson 1 - Exposure basics.mp4') {
  const dir = mkdtempSync(join(tmpdir(), 'lyceum-e2e-'));
  const file = join(dir, name);
  const run = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440',
    '-t', String(seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file,
  ]);
  assert.equal(run.status, 0, `ffmpeg could not make the test clip: ${run.stderr}`);
  return file;
}

journey('media', ({ step, open, focus }) => {
  let page;
  let itemUrl;
  let master;
  let keyUrl;

  step('the creator starts a school and opens the empty media library', async () => {
    page = await open();
    await startSchool(page, school);
    await clickAndWait(page, page.getByRole('link', { name: 'Media library' }).first());
    await expectUrl(page, (u) => u.pathname === '/admin/media', 'the sidebar link');
    await expectText(page, 'Your library is empty', 'empty library');
    await shoot(page, 'media', 'library-empty');
  });

  step('a video dropped on the uploader is uploaded, processed and listed as ready', async () => {
    const clip = makeClip();
    const input = page.locator('[data-uploader] input[type="file"]').first();
    await input.setInputFiles(clip);
    await find(page, page.locator('[data-uploader-list] li'), 'An upload row with progress');
    const row = page.locator('[data-media-row]').filter({ hasText: 'Lesson 1 - Exposure basics' });
    await row.first().waitFor({ state: 'visible', timeout: 2 * TIMEOUT });
    await page.locator('[data-media-row][data-state="ready"]').first().waitFor({ state: 'visible', timeout: 3 * TIMEOUT });
    await shoot(page, 'media', 'library-ready');
    await checkA11y(page, 'media library');
    itemUrl = schoolUrl(slug, await row.first().locator('a').first().getAttribute('href'));
  });

  step('the preview page plays the video through hls.js with encrypted segments and the key', async () => {
    const fetched = [];
    page.on('response', (res) => {
      if (res.url().includes('/hls/')) fetched.push({ url: res.url(), status: res.status(), res });
    });
    await visit(page, itemUrl);
    const player = await find(page, page.locator('[data-player]'), 'The video player');
    master = new URL(await player.getAttribute('data-src'), itemUrl).href;
    await page.waitForFunction(() => ['ready', 'paused'].includes(document.querySelector('[data-player]')?.dataset.state), null, { timeout: TIMEOUT });
    await shoot(page, 'media', 'preview');
    await checkA11y(page, 'media item and player');
    await page.getByRole('button', { name: 'Play' }).first().click();
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-player] video');
      return v && v.currentTime > 1.5;
    }, null, { timeout: TIMEOUT });
    assert.equal(await player.getAttribute('data-state'), 'playing');
    const segments = fetched.filter((f) => f.url.endsWith('.ts'));
    const key = fetched.find((f) => f.url.endsWith('/key'));
    assert.ok(segments.length > 0, 'the player fetched segments');
    assert.ok(segments.every((s) => s.status === 200 || s.status === 206), 'segments answered 200');
    assert.ok(key && key.status === 200, 'the player fetched the key');
    keyUrl = key.url;
    const bytes = await segments[0].res.body();
    assert.ok(!(bytes[0] === 0x47 && bytes[188] === 0x47), 'the segment is encrypted (no MPEG-TS sync bytes)');
    // Pausing sends the seconds watched so far.
    const beat = page.waitForResponse((r) => r.url().endsWith('/heartbeat') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Pause' }).first().click();
    assert.equal((await beat).status(), 204, 'the heartbeat was recorded');
    await shoot(page, 'media', 'preview-played');
    await visit(page, itemUrl);
    await expectText(page, 'Recent viewers', 'the item page lists who watched');
    await find(page, page.locator('[data-watcher]').filter({ hasText: school.owner.name }), 'The owner among the viewers');
    await shoot(page, 'media', 'item-viewers');
  });

  step('on the item page, taller than the window, the sidebar runs the full height and its links stay in view', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const measure = () => page.evaluate(() => {
      const sidebar = document.getElementById('sidebar').getBoundingClientRect();
      const nav = document.querySelector('#sidebar nav').getBoundingClientRect();
      return { sidebar: sidebar.height, navTop: nav.top, total: document.documentElement.scrollHeight };
    });
    const top = await measure();
    assert.ok(top.total > 900, `the item page is taller than the window (${top.total}px)`);
    assert.ok(top.sidebar >= top.total - 1, `the sidebar covers the page: ${top.sidebar}px of ${top.total}px`);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const bottom = await measure();
    assert.ok(bottom.navTop >= 0 && bottom.navTop < 900, `scrolled down, the links are in view (top ${bottom.navTop}px)`);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  step('replacing the file on the item page keeps the item and shows the new version when it is ready', async () => {
    await visit(page, itemUrl);
    const replace = page.locator('[data-uploader][data-replace] input[type="file"]');
    await replace.setInputFiles(makeClip(3, 'Exposure basics (re-recorded).mp4'));
    // The status polls while the new file processes, then the page reloads with it.
    await page.waitForFunction(() => document.body.textContent.includes('0:03'), null, { timeout: 3 * TIMEOUT });
    assert.equal(page.url(), itemUrl, 'the same item');
    await expectText(page, 'Lesson 1 - Exposure basics', 'the title stays');
    await shoot(page, 'media', 'replaced');
  });

  step('a browser without rights gets 403 on the playlist and the key', async () => {
    const stranger = await open();
    // Asked from inside the browser (it resolves *.localhost; Node does not), as a player would.
    const status = (url) => stranger.evaluate((u) => fetch(u, { credentials: 'same-origin' }).then((r) => r.status), url);
    await visit(stranger, schoolUrl(slug, '/'));
    for (const url of [master, keyUrl]) {
      assert.equal(await status(url), 403, `logged out: ${url}`);
    }
    await visit(stranger, schoolUrl(slug, '/signup'));
    await stranger.locator('input[name="name"]').fill(student.name);
    await stranger.locator('input[name="email"]').fill(student.email);
    await stranger.locator('input[name="password"]').fill(student.password);
    await clickAndWait(stranger, stranger.getByRole('button', { name: 'Create account' }));
    for (const url of [master, keyUrl]) {
      assert.equal(await status(url), 403, `a student with the owner's URL: ${url}`);
    }
    const itemId = new URL(itemUrl).pathname.split('/').pop();
    await visit(stranger, schoolUrl(slug, `/media/${itemId}`), { status: [403] });
    await shoot(stranger, 'media', 'student-forbidden');
    focus(page);
  });

  step('an upload cut off by a lost connection resumes after a page reload from where the server stopped', async () => {
    // 20 MiB in 8 MiB chunks: the first chunk arrives, then the network fails.
    const file = join(mkdtempSync(join(tmpdir(), 'lyceum-e2e-')), 'Long lecture.mp4');
    writeFileSync(file, Buffer.alloc(20 * 1024 * 1024, 7));
    await visit(page, schoolUrl(slug, '/admin/media'));
    let patches = 0;
    const cut = (route) => (route.request().method() === 'PATCH' && ++patches > 1 ? route.abort('internetdisconnected') : route.continue());
    await page.route('**/admin/media/uploads/*', cut);
    await page.locator('[data-uploader] input[type="file"]').first().setInputFiles(file);
    await expectText(page, 'Connection lost', 'the uploader tells the creator the connection dropped');
    await shoot(page, 'media', 'upload-offline');
    await page.unroute('**/admin/media/uploads/*', cut);

    // The creator reloads the page and drops the same file again.
    const offsets = [];
    page.on('request', (req) => {
      if (req.method() === 'PATCH' && req.url().includes('/admin/media/uploads/')) offsets.push(req.headers()['upload-offset']);
    });
    await visit(page, schoolUrl(slug, '/admin/media'));
    await expectText(page, 'Drop the same file again to continue this upload.', 'the unfinished upload in the library');
    await page.locator('[data-uploader] input[type="file"]').first().setInputFiles(file);
    await expectText(page, 'Resuming Long lecture.mp4', 'the uploader resumes');
    // Bytes are garbage, so processing refuses the file: the upload itself has completed.
    await page.locator('[data-media-row][data-state="failed"]').first().waitFor({ state: 'visible', timeout: 2 * TIMEOUT });
    assert.equal(offsets[0], String(8 * 1024 * 1024), `the first chunk after the reload starts at 8 MiB (${offsets})`);
    await expectText(page, 'This file is in a format we do not recognise, not a video or audio we can play.', 'the refusal says why');
    await shoot(page, 'media', 'library-refused');
  });
});
