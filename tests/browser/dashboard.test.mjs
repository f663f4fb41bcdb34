// The dashboard (/_/) in a real browser: Debian's Chromium, headless, driven by the pinned
// playwright-core against the real binary on a throwaway database. Signs in (a refused key
// first), opens every view, filters and searches a table, edits a row and reads the change back
// through the REST API, sees a change made elsewhere arrive live (Realtime), shows an API
// validation error, inserts and deletes, creates and deletes
// a user, uploads, plays, downloads and deletes an audio file, draws the leaderboard and a
// user's progress, downloads a backup. Any console error, page error, failed request or HTTP
// error the step did not expect fails the test. Screenshots of each view go to IB_SCREENSHOTS
// (the build folder's dashboard-screenshots/ under ctest).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { start } from 'interviewbase';
import { toneWav } from './tone_wav.mjs';

const binary = process.env.IB_BINARY ?? new URL('../../build/interviewbase', import.meta.url).pathname;
const browserPath = process.env.IB_CHROMIUM ?? '/usr/bin/chromium';
const shots = process.env.IB_SCREENSHOTS ??
  new URL('../../build/dashboard-screenshots', import.meta.url).pathname;

let dir;
let server;
let browser;
let page;
const problems = [];    // what fails the test whatever step it happens in
const sockets = [];     // the URLs of the WebSockets the page opened
const expected = [];    // HTTP errors the current step provokes on purpose: { status, path }
let expectedSeen = 0;   // ... of which arrived (their console lines are then expected too)

// The service role's own REST/auth/storage calls, made by the test beside the page.
async function call(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      apikey: server.serviceKey,
      Authorization: `Bearer ${server.serviceKey}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// The view now shown, once rendered. Before anything that changes the route, stale() marks the
// view on screen, so a wait cannot be met by the view being replaced.
async function view(name) {
  await page.waitForSelector(`[data-view="${name}"][data-ready="true"]:not([data-stale])`);
}

async function stale() {
  await page.evaluate(() => document.querySelector('#view > section')?.setAttribute('data-stale', ''));
}

async function open(hash, name) {
  await stale();
  await page.evaluate((h) => { location.hash = h; }, hash);
  await view(name);
}

// Follows a link or button from the keyboard: focus, then Enter.
async function press(selector, name) {
  await stale();
  await page.focus(selector);
  await page.keyboard.press('Enter');
  await view(name);
}

async function shot(name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

// Runs `work` while the HTTP errors in `errors` are expected; each must happen.
async function expecting(errors, work) {
  expected.push(...errors);
  const before = expectedSeen;
  await work();
  assert.equal(expectedSeen - before, errors.length, 'every expected refusal happened');
  assert.equal(expected.length, 0);
}

let alice;
let bob;
let designId;

before(async () => {
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'ib-browser-'));
  server = await start({ db: join(dir, 'dashboard.db'), binary });
  const user = async (email) => (await call('/auth/v1/admin/users', {
    method: 'POST', body: { email, password: 'secret123', email_confirm: true } })).id;
  alice = await user('alice@example.com');
  bob = await user('bob@example.com');
  const session = async (userId, title, extra = {}) => (await call('/rest/v1/interview_sessions', {
    method: 'POST',
    headers: { Prefer: 'return=representation' },
    body: { user_id: userId, title, metadata: { source: 'browser test', tags: ['a', 'b'] }, ...extra },
  }))[0].id;
  designId = await session(alice, 'System design round', {
    status: 'completed', overall_score: 82, completed_at: '2026-01-05T10:00:00Z' });
  await session(alice, 'Behavioral warm-up', {
    status: 'completed', overall_score: 64, completed_at: '2026-01-09T10:00:00Z' });
  await session(bob, 'Frontend basics', {
    status: 'completed', overall_score: 71, completed_at: '2026-01-07T10:00:00Z' });
  await call('/rest/v1/interview_responses', { method: 'POST', body: [
    { interview_id: designId, role: 'assistant', content: 'Design a URL shortener.', sequence_number: 1 },
    { interview_id: designId, role: 'user', content: 'Start with the write path.', sequence_number: 2 },
  ] });
  await call('/rest/v1/interview_feedback', { method: 'POST', body: {
    interview_id: designId, user_id: alice, overall_score: 82, scores: [{ area: 'design', score: 8 }] } });
  await call('/rest/v1/voice_analytics', { method: 'POST', body: {
    interview_id: designId, clarity_score: 7.5, pace_score: 6 } });

  browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('websocket', (socket) => sockets.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs each HTTP error response; those the step expects are not problems.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) &&
        expectedSeen > 0) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // A media element cancels its own range requests once it has what it needs, and a reload
    // cancels the icon request of the page it leaves.
    const aborted = request.failure()?.errorText === 'net::ERR_ABORTED';
    if (aborted && (request.resourceType() === 'media' || request.url().endsWith('/_/favicon.svg'))) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const path = new URL(response.url()).pathname;
    const i = expected.findIndex((e) => e.status === response.status() && path.startsWith(e.path));
    if (i >= 0) {
      expected.splice(i, 1);
      expectedSeen += 1;
      return;
    }
    problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
});

after(async () => {
  // What went wrong in the page, also when an assertion stopped the test before the last check.
  if (problems.length) console.error(problems.join('\n'));
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the dashboard in Chromium: every view, with what the APIs say', async (t) => {
  await t.test('the page loads with no key and asks for one', async () => {
    const response = await page.goto(`${server.url}/_/`);
    assert.equal(response.status(), 200);
    await page.waitForSelector('#sign-in:not([hidden])');
    assert.equal(await page.isVisible('#nav'), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'service-key');
    await shot('sign-in');
  });

  await t.test('a wrong key is refused with a clear message and not kept', async () => {
    await expecting([{ status: 401, path: '/admin/v1/info' }], async () => {
      await page.fill('#service-key', server.anonKey);
      await page.keyboard.press('Enter');
      await page.waitForSelector('#sign-in-message [role=alert]');
    });
    const said = await page.textContent('#sign-in-message');
    assert.match(said, /not this server's service_role key/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.isVisible('#nav'), false);
    await shot('sign-in-refused');
  });

  await t.test('the service key signs in from the keyboard; it stays out of URLs and local storage', async () => {
    await page.focus('#service-key');
    await page.keyboard.type(server.serviceKey);
    await page.keyboard.press('Enter');
    await view('overview');
    assert.equal(page.url().includes(server.serviceKey), false);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(await page.evaluate(() => Object.values(sessionStorage).join()), server.serviceKey);
  });

  await t.test('overview: counts, sizes, version, and the anon key and URL to copy', async () => {
    const fact = (id) => page.textContent(`[data-fact="${id}"] .value`);
    assert.equal(await fact('users'), '2');
    assert.equal(await fact('rows-interview_sessions'), '3');
    assert.equal(await fact('rows-interview_responses'), '2');
    assert.equal(await fact('rows-leaderboard'), '2');
    const health = await (await fetch(`${server.url}/health`)).json();
    assert.equal(await fact('version'), `interviewbase ${health.version}`);
    assert.match(await fact('db-bytes'), /\d+(\.\d)? [kM]?B/);
    assert.equal(await page.inputValue('input[aria-label="anon key"]'), server.anonKey);
    assert.equal(await page.inputValue('input[aria-label="URL"]'), server.url);
    assert.match(await page.inputValue('textarea[aria-label="createClient snippet"]'),
      new RegExp(`createClient\\('${server.url}', '${server.anonKey}'\\)`));
    await page.click('button:text-is("Copy anon key")');
    await page.waitForSelector('text=Copied.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), server.anonKey);
    await shot('overview');
  });

  await t.test('table editor: filter, search, sort', async () => {
    await press('#nav a[href="#/tables"]', 'tables');
    await open('#/tables/interview_sessions', 'tables');
    await page.waitForSelector('#row-count');
    assert.equal(await page.textContent('#row-count'), 'Rows 1–3 of 3');
    // A filter: title ilike *design*.
    await page.click('text=Add filter');
    await page.selectOption('select[aria-label="Filter 1 column"]', 'title');
    await page.selectOption('select[aria-label="Filter 1 operator"]', 'ilike');
    await page.fill('input[aria-label="Filter 1 value"]', '*design*');
    await page.click('#apply-filters');
    await page.waitForFunction(() => document.querySelector('#row-count')?.textContent === 'Rows 1–1 of 1');
    assert.match(await page.textContent('table.grid tbody'), /System design round/);
    await page.click('button[aria-label="Remove filter 1"]');
    await page.waitForFunction(() => document.querySelector('#row-count')?.textContent === 'Rows 1–3 of 3');
    // The search box: ilike over the text columns.
    await page.fill('#table-search', 'frontend');
    await page.press('#table-search', 'Enter');
    await page.waitForFunction(() => document.querySelector('#row-count')?.textContent === 'Rows 1–1 of 1');
    assert.match(await page.textContent('table.grid tbody'), /Frontend basics/);
    await page.fill('#table-search', '');
    await page.press('#table-search', 'Enter');
    await page.waitForFunction(() => document.querySelector('#row-count')?.textContent === 'Rows 1–3 of 3');
    // Sort by title, ascending then descending.
    await page.click('th button[title="Sort by title"]');
    await page.waitForSelector('th[aria-sort="ascending"]');
    const firstTitle = async () => page.evaluate(() => {
      const headers = [...document.querySelectorAll('table.grid thead th')].map((th) => th.textContent);
      const column = headers.findIndex((text) => text.startsWith('title'));
      return document.querySelector(`table.grid tbody tr td:nth-child(${column + 1})`).textContent;
    });
    assert.equal(await firstTitle(), 'Behavioral warm-up');
    await page.click('th button[title="Sort by title"]');
    await page.waitForSelector('th[aria-sort="descending"]');
    assert.equal(await firstTitle(), 'System design round');
    // Live: a change made through the API elsewhere shows without a reload of the page.
    await page.waitForSelector('#live-status[data-state="live"]');
    await call(`/rest/v1/interview_sessions?title=eq.Frontend%20basics`, {
      method: 'PATCH', body: { description: 'changed elsewhere' } });
    await page.waitForFunction(() => document.querySelector('table.grid tbody')?.textContent
      .includes('changed elsewhere'));
    assert.match(await page.textContent('#live-status'), /UPDATE at/);
    // The socket's URL carries the anon key (as supabase-js's does), never the service key.
    assert.ok(sockets.length >= 1);
    for (const url of sockets) {
      assert.equal(url.includes(server.serviceKey), false);
      assert.ok(url.includes(`apikey=${server.anonKey}`));
    }
    await shot('tables');
  });

  await t.test('a row with its children; edit it and read the change through the API', async () => {
    await open(`#/tables/interview_sessions/${designId}`, 'tables');
    assert.match(await page.textContent('.view'), /interview_responses \(2\)/);
    assert.match(await page.textContent('.view'), /interview_feedback \(1\)/);
    assert.match(await page.textContent('.view'), /voice_analytics \(1\)/);
    // JSON shown formatted, its keys in jsonb's order (shorter first), as stored and served.
    assert.equal(await page.textContent('dd[data-column="metadata"] pre'),
      JSON.stringify({ tags: ['a', 'b'], source: 'browser test' }, null, 2));
    await shot('row');

    await page.click('#edit-row');
    assert.match(await page.inputValue('#field-metadata'), /^\{\n {2}"tags"/);
    await page.fill('#field-title', 'System design round (edited)');
    await page.fill('#field-metadata', '{"source": "dashboard", "edited": true}');
    await page.click('button:text-is("Save")');
    await page.waitForSelector('#row-result .notice.ok');
    const [row] = await call(`/rest/v1/interview_sessions?id=eq.${designId}&select=title,metadata`);
    assert.equal(row.title, 'System design round (edited)');
    assert.deepEqual(row.metadata, { source: 'dashboard', edited: true });

    // A value the API refuses: its own message is shown.
    await page.click('#edit-row');
    await expecting([{ status: 400, path: '/rest/v1/interview_sessions' }], async () => {
      await page.fill('#field-duration_minutes', 'twelve');
      await page.click('button:text-is("Save")');
      await page.waitForSelector('.editor-result [role=alert]');
    });
    assert.match(await page.textContent('.editor-result'), /integer.*twelve|twelve.*integer/);
    await shot('row-refused');
    // Text that is not JSON in a JSON column is caught before it is sent.
    await page.fill('#field-duration_minutes', '');
    await page.fill('#field-metadata', '{not json');
    await page.click('button:text-is("Save")');
    assert.match(await page.textContent('.editor-result'), /metadata: not valid JSON/);
    await page.click('button:text-is("Cancel")');
  });

  await t.test('insert a row, then delete it with confirmation', async () => {
    await open('#/tables/achievements', 'tables');
    await page.click('#insert-row');
    await page.fill('#field-user_id', bob);
    await page.fill('#field-achievement_type', 'browser_test');
    await page.fill('#field-title', 'Clicked through the dashboard');
    await page.fill('#field-xp_reward', '5');
    await stale();
    await page.click('button:text-is("Insert")');
    await page.waitForFunction(() => /^#\/tables\/achievements\/[0-9a-f-]{36}$/.test(location.hash));
    await view('tables');
    const id = await page.evaluate(() => location.hash.split('/').pop());
    assert.equal((await call(`/rest/v1/achievements?id=eq.${id}&select=title`))[0].title,
      'Clicked through the dashboard');

    page.once('dialog', (dialog) => dialog.dismiss());
    await page.click('#delete-row');
    assert.equal((await call(`/rest/v1/achievements?id=eq.${id}`)).length, 1, 'a dismissed confirm keeps the row');
    page.once('dialog', (dialog) => dialog.accept());
    await stale();
    await page.click('#delete-row');
    await page.waitForFunction(() => location.hash === '#/tables/achievements');
    await view('tables');
    assert.equal((await call(`/rest/v1/achievements?id=eq.${id}`)).length, 0);
  });

  await t.test('users: list, search by email, create with a password, see one, delete', async () => {
    await press('#nav a[href="#/users"]', 'users');
    await page.waitForSelector('#user-count');
    assert.equal(await page.textContent('#user-count'), '2 users');
    await page.fill('#user-search', 'ALICE@');
    await page.press('#user-search', 'Enter');
    await page.waitForFunction(() => document.querySelector('#user-count')?.textContent === '1 user');
    assert.match(await page.textContent('#user-list tbody'), /alice@example\.com/);
    assert.doesNotMatch(await page.textContent('#user-list tbody'), /bob@/);
    await shot('users');

    await page.fill('#new-user-email', 'carol@example.com');
    await page.fill('#new-user-password', 'carol-password-1');
    await stale();
    await page.click('button:text-is("Create user")');
    await page.waitForFunction(() => /^#\/users\/[0-9a-f-]{36}$/.test(location.hash));
    await view('users');
    const signIn = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: server.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'carol@example.com', password: 'carol-password-1' }),
    });
    assert.equal(signIn.status, 200, 'the new user signs in with the password given');
    page.once('dialog', (dialog) => dialog.accept());
    await stale();
    await page.click('#delete-user');
    await page.waitForFunction(() => location.hash === '#/users');
    await view('users');
    const left = await call('/auth/v1/admin/users');
    assert.deepEqual(left.users.map((u) => u.email).sort(), ['alice@example.com', 'bob@example.com']);

    await open(`#/users/${alice}`, 'users');
    const text = await page.textContent('.view');
    assert.match(text, /Interview sessions \(2\)/);
    assert.match(text, /System design round \(edited\)/);
    const [profile] = await call(`/rest/v1/profiles?id=eq.${alice}&select=total_xp,level`);
    assert.ok(profile.total_xp > 0);
    assert.match(await page.textContent('#gamification'), new RegExp(`XP${profile.total_xp}`));
    await shot('user');
  });

  await t.test('storage: folders, upload, play with range requests, download, delete', async () => {
    // A user's folder as the platform writes it: <user id>/<session>/<answer>.
    const first = await fetch(`${server.url}/storage/v1/object/interview-audio/${alice}/session%201/first.wav`, {
      method: 'POST',
      headers: { apikey: server.serviceKey, Authorization: `Bearer ${server.serviceKey}`,
        'Content-Type': 'audio/wav' },
      body: toneWav(1),
    });
    assert.equal(first.status, 200);
    await call('/storage/v1/bucket', { method: 'POST', body: { name: 'public-assets', public: true } });
    await press('#nav a[href="#/storage"]', 'storage');
    assert.deepEqual(await page.locator('nav[aria-label="Buckets"] a').allTextContents(),
      ['interview-audio', 'public-assets (public)']);
    await press('nav[aria-label="Buckets"] a[href="#/storage/interview-audio"]', 'storage');
    await press(`a:text-is("${alice}/")`, 'storage');
    await press('a:text-is("session 1/")', 'storage');
    assert.equal(await page.evaluate(() => location.hash), `#/storage/interview-audio/${alice}/session%201`);
    await page.waitForSelector('tr[data-object="first.wav"]');
    const wav = toneWav(2);
    const file = join(dir, 'tone.wav');
    writeFileSync(file, wav);
    await page.setInputFiles('#upload-file', file);
    await page.click('#upload-button');
    await page.waitForSelector('tr[data-object="tone.wav"]');
    const listed = await call('/storage/v1/object/list/interview-audio', {
      method: 'POST', body: { prefix: `${alice}/session 1` } });
    assert.equal(listed.find((e) => e.name === 'tone.wav').metadata.size, wav.length);

    const ranges = [];
    const onResponse = (r) => {
      if (r.url().includes('/storage/v1/object/sign/')) ranges.push([r.status(), r.request().headers().range]);
    };
    page.on('response', onResponse);
    await page.click('button[aria-label="Play tone.wav"]');
    await page.waitForFunction(() => {
      const audio = document.querySelector('#player audio');
      return audio && audio.readyState >= 2 && audio.duration > 1.9 && audio.duration < 2.1;
    });
    await page.waitForFunction(() => document.querySelector('#player audio').currentTime > 0);
    page.off('response', onResponse);
    assert.ok(ranges.some(([status, range]) => status === 206 && range?.startsWith('bytes=')),
      `the audio element asked for ranges: ${JSON.stringify(ranges)}`);
    assert.equal((await page.getAttribute('#player audio', 'src')).includes(server.serviceKey), false);
    await shot('storage');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button[aria-label="Download tone.wav"]'),
    ]);
    assert.deepEqual(readFileSync(await download.path()), wav);

    page.once('dialog', (dialog) => dialog.accept());
    await page.click('button[aria-label="Delete tone.wav"]');
    await page.waitForSelector('#storage-result .notice.ok');
    const after = await call('/storage/v1/object/list/interview-audio', {
      method: 'POST', body: { prefix: `${alice}/session 1` } });
    assert.deepEqual(after.map((e) => e.name), ['first.wav']);
  });

  await t.test('leaderboard: XP by user, and a user\'s XP and level over time', async () => {
    await press('#nav a[href="#/leaderboard"]', 'leaderboard');
    assert.equal(await page.locator('svg.chart rect.bar').count(), 2);
    const board = await call('/rest/v1/leaderboard?select=total_xp&order=total_xp.desc');
    const labels = await page.locator('svg.chart text').allTextContents();
    assert.ok(labels.includes(String(board[0].total_xp)));
    await shot('leaderboard');
    await stale();
    await page.selectOption('#progress-user', alice);
    await page.waitForFunction((id) => location.hash === `#/leaderboard/${id}`, alice);
    await view('leaderboard');
    await page.waitForSelector('#progress svg.chart path.line.xp');
    assert.ok(await page.locator('#progress svg.chart circle.dot').count() >= 2);
    await shot('progress');
  });

  await t.test('backup: a consistent copy of the database downloads', async () => {
    await press('#nav a[href="#/backup"]', 'backup');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#backup-button'),
    ]);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    await page.waitForSelector('#backup-result .notice.ok');
    await shot('backup');
  });

  await t.test('sign out forgets the key', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.textContent('#view'), '');
    // No view opens without the key, nor after a reload: the page asks again, and sends nothing.
    const requests = [];
    const onRequest = (r) => { if (!r.url().includes('/_/')) requests.push(r.url()); };
    page.on('request', onRequest);
    await page.evaluate(() => { location.hash = '#/users'; });
    await page.reload();
    await page.waitForSelector('#sign-in:not([hidden])');
    page.off('request', onRequest);
    assert.equal(await page.textContent('#view'), '');
    assert.equal(await page.isVisible('#nav'), false);
    assert.deepEqual(requests, []);
  });

  await t.test('a stored key the server no longer takes sends the page back to sign-in', async () => {
    await expecting([{ status: 401, path: '/admin/v1/info' }], async () => {
      // Signed out, the route change sends nothing; the reload then finds the stale key.
      await page.evaluate(() => { location.hash = '#/overview'; });
      await page.evaluate(() => sessionStorage.setItem('interviewbase.service_role_key', 'stale'));
      await page.reload();
      await page.waitForSelector('#sign-in-message [role=alert]');
    });
    assert.match(await page.textContent('#sign-in-message'), /refused the stored key/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.isVisible('#nav'), false);
  });

  assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
});
