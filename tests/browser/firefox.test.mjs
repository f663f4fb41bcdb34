// The dashboard in Debian's Firefox ESR, headless, driven over WebDriver BiDi by the pinned
// puppeteer-core (playwright-core's BiDi needs a newer Firefox than the ESR): a refused key, the
// sign-in, every view rendered with the data the APIs hold, a change arriving live, an edit read
// back through REST, an audio object played from its signed URL. Any console error, page error,
// failed request or HTTP error the step did not provoke fails it. The full walk-through runs in Chromium
// (dashboard.test.mjs); this one shows the same modules, styles and APIs work in Firefox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { start } from 'interviewbase';
import { toneWav } from './tone_wav.mjs';

const binary = process.env.IB_BINARY ?? new URL('../../build/interviewbase', import.meta.url).pathname;
const firefoxPath = process.env.IB_FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';
const shots = process.env.IB_SCREENSHOTS ??
  new URL('../../build/dashboard-screenshots', import.meta.url).pathname;

let dir;
let server;
let browser;
let page;
let alice;
let sessionId;
const problems = [];
const expected = [];

async function call(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { apikey: server.serviceKey, Authorization: `Bearer ${server.serviceKey}`, ...headers },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const json = (value) => ({ body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' } });

// Opens `hash` and waits for its view to render (not the one it replaces).
async function open(hash, name) {
  await page.evaluate((h) => {
    document.querySelector('#view > section')?.setAttribute('data-stale', '');
    location.hash = h;
  }, hash);
  await page.waitForSelector(`[data-view="${name}"][data-ready="true"]:not([data-stale])`);
}

async function text(selector) {
  return page.$eval(selector, (el) => el.textContent);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'ib-firefox-'));
  server = await start({ db: join(dir, 'firefox.db'), binary });
  alice = (await call('/auth/v1/admin/users', { method: 'POST',
    ...json({ email: 'alice@example.com', password: 'secret123', email_confirm: true }) })).id;
  [{ id: sessionId }] = await call('/rest/v1/interview_sessions', { method: 'POST',
    ...json({ user_id: alice, title: 'Firefox round', status: 'completed', overall_score: 77,
      metadata: { via: 'firefox' } }),
    headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' } });
  await call(`/storage/v1/object/interview-audio/${alice}/answer.wav`, { method: 'POST',
    body: toneWav(), headers: { 'Content-Type': 'audio/wav' } });

  browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath,
    headless: true, extraPrefsFirefox: { 'media.autoplay.default': 0 } });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // The media element cancels its own range requests once it has what it needs.
    if (request.url().includes('/storage/v1/object/sign/')) return;
    problems.push(`request failed: ${request.method()} ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const i = expected.findIndex((e) => e === response.status());
    if (i >= 0) expected.splice(i, 1);
    else problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
});

after(async () => {
  if (problems.length) console.error(problems.join('\n'));
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the dashboard in Firefox: sign-in, every view, an edit, audio', async (t) => {
  await t.test('a refused key, then the service key', async () => {
    await page.goto(`${server.url}/_/`);
    await page.waitForSelector('#sign-in:not([hidden])');
    expected.push(401);
    await page.type('#service-key', 'not-a-key');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sign-in-message [role=alert]');
    assert.match(await text('#sign-in-message'), /not this server's service_role key/);
    assert.equal(expected.length, 0, 'the refusal came from the server');
    await page.type('#service-key', server.serviceKey);  // replaces the selected wrong key
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-view="overview"][data-ready="true"]');
    assert.equal(await text('[data-fact="users"] .value'), '1');
    assert.equal(await text('[data-fact="rows-interview_sessions"] .value'), '1');
    await page.screenshot({ path: join(shots, 'firefox-overview.png'), fullPage: true });
  });

  await t.test('every view renders what the APIs hold', async () => {
    await open('#/tables/interview_sessions', 'tables');
    await page.waitForSelector('#row-count');
    assert.equal(await text('#row-count'), 'Rows 1–1 of 1');
    // Realtime from Firefox: an insert made elsewhere shows in the table.
    await page.waitForSelector('#live-status[data-state="live"]');
    await call('/rest/v1/interview_sessions', { method: 'POST',
      ...json({ user_id: alice, title: 'Made elsewhere' }) });
    await page.waitForFunction(() => document.querySelector('#row-count')?.textContent === 'Rows 1–2 of 2');
    await open('#/users', 'users');
    await page.waitForSelector('#user-count');
    assert.equal(await text('#user-count'), '1 user');
    await open(`#/users/${alice}`, 'users');
    assert.match(await text('.view'), /Interview sessions \(2\)/);
    await open('#/leaderboard', 'leaderboard');
    assert.equal((await page.$$('svg.chart rect.bar')).length, 1);
    await open(`#/leaderboard/${alice}`, 'leaderboard');
    await page.waitForSelector('#progress svg.chart path.line.xp');
    await open('#/backup', 'backup');
    await page.screenshot({ path: join(shots, 'firefox-backup.png'), fullPage: true });
  });

  await t.test('an edit is read back through the API', async () => {
    await open(`#/tables/interview_sessions/${sessionId}`, 'tables');
    assert.equal(await text('dd[data-column="metadata"] pre'), '{\n  "via": "firefox"\n}');
    await page.click('#edit-row');
    await page.$eval('#field-title', (el) => { el.value = ''; });
    await page.type('#field-title', 'Firefox round (edited)');
    await page.click('.editor-result ~ .row button[type=submit]');
    await page.waitForSelector('#row-result .notice.ok');
    const [row] = await call(`/rest/v1/interview_sessions?id=eq.${sessionId}&select=title`);
    assert.equal(row.title, 'Firefox round (edited)');
    await page.screenshot({ path: join(shots, 'firefox-row.png'), fullPage: true });
  });

  await t.test('an audio object plays from its signed URL', async () => {
    await open(`#/storage/interview-audio/${alice}`, 'storage');
    await page.waitForSelector('tr[data-object="answer.wav"]');
    await page.click('button[aria-label="Play answer.wav"]');
    await page.waitForFunction(() => {
      const audio = document.querySelector('#player audio');
      return audio && audio.readyState >= 2 && audio.duration > 0.9 && audio.duration < 1.1;
    });
    await page.screenshot({ path: join(shots, 'firefox-storage.png'), fullPage: true });
  });

  assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
});
