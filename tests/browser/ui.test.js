// Browser tests of the web UI (issue 8): headless Chromium (Debian `chromium`) driven by playwright-core
// against a real `govtrack serve` on a temporary SQLite database loaded with the worked example, on an
// ephemeral port. Screenshots of each main page go to $GOVTRACK_SCREENSHOTS (build-*/browser-screenshots).
//
// Run by ctest (tests/browser/CMakeLists.txt) or by hand:
//   GOVTRACK_BINARY=build/bin/govtrack GOVTRACK_SOURCE_DIR=$PWD node tests/browser/ui.test.js
//
// The scenarios that need sign-in and the write routes (issues 7 and 3) run when the server answers
// /api/v1/me; on a server without sign-in they are reported as skipped, naming why.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SOURCE = process.env.GOVTRACK_SOURCE_DIR || path.resolve(__dirname, '../..');
const BINARY = process.env.GOVTRACK_BINARY || path.join(SOURCE, 'build/bin/govtrack');
const SHOTS = process.env.GOVTRACK_SCREENSHOTS || path.join(SOURCE, 'build/browser-screenshots');
const CHROMIUM = process.env.GOVTRACK_CHROMIUM || '/usr/bin/chromium';
const TODAY = '2026-01-05T12:00:00Z';   // the server's "now" (as the e2e suites' FixedNow)
const IMPORTED = '2025-05-20T09:00:00Z'; // the plan was loaded when the report was issued: the trail covers 2025
const PASSWORD = `pw-${process.pid}-correct-horse`;

let chromium;
try {
  ({ chromium } = require(path.join(SOURCE, 'node_modules/playwright-core')));
} catch (error) {
  console.error('playwright-core is not installed: run scripts/web-build.sh (npm ci) first.');
  process.exit(1);
}

const state = { dir: null, server: null, base: null, browser: null, auth: false };

function govtrack(args, now = TODAY) {
  return execFileSync(BINARY, ['--db', `sqlite:${path.join(state.dir, 'govtrack.db')}`, ...args],
    { env: { ...process.env, GOVTRACK_FIXED_NOW: now }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ['--db', `sqlite:${path.join(state.dir, 'govtrack.db')}`, 'serve', '--port', '0',
      '--webroot', path.join(SOURCE, 'webroot')], { env: { ...process.env, GOVTRACK_FIXED_NOW: TODAY } });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m && !state.base) { clearTimeout(timer); state.base = `http://127.0.0.1:${m[1]}`; resolve(child); }
    });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => { if (!state.base) { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}`)); } });
  });
}

before(async () => {
  state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govtrack-browser-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  govtrack(['migrate'], IMPORTED);
  govtrack(['import', path.join(SOURCE, 'docs/examples/performance-management-2024-25.json')], IMPORTED);
  govtrack(['import', path.join(SOURCE, 'docs/examples/risk-registers-2025-26.csv')], IMPORTED);
  // Users for the sign-in scenarios, when this build has them (issue 7).
  const passwordFile = path.join(state.dir, 'password');
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    const add = (name, ...extra) => govtrack(['user', 'add', name, ...extra, '--password-file', passwordFile]);
    add('owner-pas', '--person', 'Head of Performance, Analysis and Strategy');
    add('owner-od', '--person', 'Organisational Design and Strategic Capability Lead');
    add('gov-officer', '--person', 'Governance Officer');
    add('secretariat', '--role', 'secretariat');
    add('auditor', '--role', 'auditor');
    add('viewer', '--role', 'viewer');
  } catch (error) {
    console.log(`# no users created (${String(error.stderr || error.message).trim().split('\n')[0]})`);
  }
  state.server = await startServer();
  const me = await fetch(`${state.base}/api/v1/me`);
  state.auth = me.status === 401;  // 404: this server has no sign-in yet
  state.browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 30000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (state.browser) await state.browser.close();
  if (state.server) { state.server.kill('SIGTERM'); await new Promise((r) => state.server.once('exit', r)); }
  if (state.dir) fs.rmSync(state.dir, { recursive: true, force: true });
});

const WAITING = 'waiting for sign-in (issue 7) and the write routes (issue 3) on this server';

/** A fresh browser context (own cookies) with a page; signs in when the server has sign-in. */
async function open(username) {
  const viewport = process.env.GOVTRACK_DOC_IMAGES ? { width: 1100, height: 720 } : { width: 1280, height: 900 };
  const context = await state.browser.newContext({ acceptDownloads: true, viewport, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(`${state.base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  if (state.auth && username) {
    await go(page, '#/sign-in');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    const renders = await rendersOf(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction((n) => Number(document.body.dataset.renders) > n && !location.hash.includes('sign-in'), renders);
    await page.waitForSelector('#sign-out');
  }
  return { context, page };
}

async function rendersOf(page) { return page.evaluate(() => Number(document.body.dataset.renders || 0)); }

/** Navigates to a hash route and waits until the page has rendered. */
async function go(page, hash) {
  const renders = await rendersOf(page);
  await page.evaluate((h) => {
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = h;
  }, hash);
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n && document.body.dataset.ready === 'true', renders);
}

/** Runs `action` (a click that changes the route) and waits for the new render. */
async function andRender(page, action) {
  const renders = await rendersOf(page);
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n && document.body.dataset.ready === 'true', renders);
}

async function shot(page, name, from) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  // GOVTRACK_DOC_IMAGES=docs/images: also one window's worth from the top (or from `from`), for the user guide.
  if (process.env.GOVTRACK_DOC_IMAGES) {
    await page.evaluate((selector) => {
      const target = selector && document.querySelector(selector);
      if (target) target.scrollIntoView(); else window.scrollTo(0, 0);
    }, from || null);
    await page.screenshot({ path: path.join(process.env.GOVTRACK_DOC_IMAGES, `${name}.png`) });
  }
}

async function actionId(ref) {
  const [engagement, rest] = ref.split('/');
  const [rec, num] = rest.split('.').map(Number);
  const list = await (await fetch(`${state.base}/api/v1/actions?engagement=${engagement}&per_page=500`, {
    headers: state.cookie ? { Cookie: state.cookie } : {},
  })).json();
  const found = (list.items || []).find((a) => a.recommendation === rec && a.number === num);
  return found && found.id;
}

function csvRows(text) {
  // The export's first column is the reference and never needs quoting.
  return text.replace(/^\uFEFF/, '').trim().split(/\r\n/).slice(1).map((line) => line.split(',')[0]);
}

test('every main page renders with no script errors, and the header says who is signed in', async () => {
  const { context, page } = await open('secretariat');
  if (state.auth) {
    assert.match(await page.textContent('#signed-in-as'), /Signed in as/);
    assert.match(await page.textContent('#signed-in-roles'), /Secretariat/);
  } else {
    assert.match(await page.textContent('#signed-in-as'), /no sign-in/);
  }
  for (const [hash, name, heading] of [
    ['#/tracker', 'tracker', 'Tracker'],
    ['#/engagements/IA-2024-25-PM', 'engagement', 'Performance Management (IA-2024-25-PM)'],
    ['#/follow-up', 'follow-up', 'Follow-up report'],
    ['#/groups/Benefit%20Performance%20Review%20Group', 'group', 'Benefit Performance Review Group'],
    ['#/dashboard', 'dashboard', 'Dashboard'],
  ]) {
    await go(page, hash);
    assert.equal((await page.textContent('main h1')).trim(), heading, hash);
    assert.doesNotMatch(await page.textContent('main'), /undefined|NaN|\[object Object\]/, hash);
    if (name === 'dashboard') await page.waitForFunction(() => document.querySelectorAll('canvas').length === 3);
    await shot(page, name);
  }
  // Dates as the organisation writes them: month-only targets as "Dec 2025", days as dd/mm/yyyy.
  await go(page, '#/engagements/IA-2024-25-PM');
  const text = await page.textContent('main');
  assert.match(text, /Dec 2025/);
  assert.match(text, /Jun 2025/);
  assert.match(text, /Issued02\/05\/2025/);  // a day date
  assert.match(text, /Fieldwork Oct 2024 to Jan 2025/);  // month-only dates
  // The engagement shows assurance level and derived status.
  assert.equal((await page.textContent('#assurance')).trim(), 'Reasonable');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the tracker is usable without a mouse: filters reached and applied with the keyboard', async () => {
  const { context, page } = await open('secretariat');
  await go(page, '#/tracker');
  await page.getByLabel('RAG').focus();
  await page.keyboard.press('ArrowDown');  // Red
  // Tab on through the form to its submit button (bounded), then press Enter.
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.textContent === 'Apply filters')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Apply filters');
  await andRender(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /rag=red/);
  assert.match(await page.textContent('#tracker-count'), /of 2 actions/);
  await context.close();
});

test('pages stay readable at 200% zoom: nothing wider than the window but the tables, which scroll', async () => {
  const { context, page } = await open('secretariat');
  // 200% zoom of a 1280 px window is a 640 px wide CSS viewport.
  await page.setViewportSize({ width: 640, height: 800 });
  for (const hash of ['#/tracker', '#/follow-up', '#/dashboard', '#/groups/Benefit%20Performance%20Review%20Group']) {
    await go(page, hash);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${hash} is ${overflow}px wider than the window`);
    if (hash === '#/tracker') await shot(page, 'tracker-zoom-200');
  }
  await context.close();
});

test('the print stylesheet leaves out navigation, forms and buttons', async () => {
  const { context, page } = await open('auditor');
  await go(page, '#/follow-up');
  await page.emulateMedia({ media: 'print' });
  const hidden = await page.evaluate(() => ['header.site', '#follow-up-form', '.exports']
    .map((s) => getComputedStyle(document.querySelector(s)).display));
  assert.deepEqual(hidden, ['none', 'none', 'none']);
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('table.report')).display), 'none');
  await context.close();
});

test('secretariat filters overdue High/Medium, exports CSV, and the file holds exactly the filtered rows', async () => {
  const { context, page } = await open('secretariat');
  await go(page, '#/tracker');
  await page.getByLabel('High').check();
  await page.getByLabel('Medium').check();
  await page.getByLabel('Overdue', { exact: true }).selectOption('true');
  await page.getByLabel('Sort by').selectOption('-days_overdue');
  await andRender(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
  const shown = await page.$$eval('table.actions tbody tr', (rows) => rows.map((r) => r.dataset.ref));
  assert.deepEqual(shown, ['IA-2024-25-PM/2.1', 'IA-2024-25-PM/1.1']);  // most overdue first
  assert.match(await page.textContent('#tracker-count'), /of 2 actions/);
  await shot(page, 'tracker-filtered');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const file = await download.path();
  const csv = fs.readFileSync(file, 'utf8');
  assert.deepEqual(csvRows(csv), shown);
  assert.match(download.suggestedFilename(), /^actions-2026-01-05\.csv$/);

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
  const bytes = fs.readFileSync(await xlsx.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');  // a zip container (.xlsx)

  // A filter that matches nothing says so, and its export has only the header.
  await go(page, '#/tracker?priority=high&overdue=true');
  assert.equal((await page.textContent('#tracker-count')).trim(), 'No actions match these filters.');
  const [empty] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.deepEqual(csvRows(fs.readFileSync(await empty.path(), 'utf8')), []);
  await context.close();
});

// ---- Chasing owners from the tracker (bulk chase) and the inbox (issue 8) ----

/** POST /api/v1/actions/chase from inside the page, with the page's own session and CSRF token. */
async function chaseFromPage(page, search, body) {
  return page.evaluate(async ([q, b]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const response = await fetch(`/api/v1/actions/chase${q}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify(b),
    });
    let json = null;
    try { json = await response.json(); } catch (_) { /* no body */ }
    return { status: response.status, json };
  }, [search, body]);
}

async function inboxItems(page, query = '') {
  return page.evaluate(async (q) => (await fetch(`/api/v1/me/notifications${q}`)).json(), query);
}

async function unreadInMenu(page) {
  return Number((await page.textContent('#inbox-unread')).trim());
}

test('secretariat chases two overdue actions with confirmation; the owner finds the reminder in the inbox and reads it', async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  const { context, page } = await open('secretariat');
  await go(page, '#/tracker');
  await page.getByLabel('Overdue', { exact: true }).selectOption('true');
  await andRender(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
  const shown = await page.$$eval('table.actions tbody tr', (rows) => rows.map((r) => r.dataset.ref));
  assert.deepEqual(shown, ['IA-2024-25-PM/1.1', 'IA-2024-25-PM/2.1']);
  // Tick the two rows with the keyboard-usable, labelled checkboxes; "select all" follows them.
  await page.getByLabel('Select IA-2024-25-PM/1.1').check();
  assert.equal(await page.evaluate(() => document.querySelector('#chase-select-all').indeterminate), true);
  await page.getByLabel('Select IA-2024-25-PM/2.1').focus();
  await page.keyboard.press('Space');
  assert.equal(await page.getByLabel('Select all on this page').isChecked(), true);
  assert.match(await page.textContent('#chase-scope'), /the 2 actions ticked/);

  // The dry run fills the confirmation; nothing is recorded yet.
  const dryRun = page.waitForRequest((r) => r.url().includes('/api/v1/actions/chase') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Send reminder now…' }).click();
  const request = await dryRun;
  assert.match(request.url(), /\/api\/v1\/actions\/chase\?overdue=true$/);  // the tracker's filters
  const sent = request.postDataJSON();
  assert.equal(sent.dry_run, true);
  assert.equal(sent.action_ids.length, 2);
  assert.ok(request.headers()['x-csrf-token'], 'the POST carries the CSRF header');
  await page.waitForSelector('#chase-dialog[open]');
  assert.equal(await page.evaluate(() => document.getElementById('chase-dialog').contains(document.activeElement)), true);
  assert.match(await page.textContent('#chase-dialog .lead'), /^2 actions will be chased/);
  const recipients = await page.$$eval('#chase-recipients li', (items) => items.map((li) => li.textContent));
  for (const owner of ['Organisational Design and Strategic Capability Lead', 'Head of Performance, Analysis and Strategy']) {
    assert.ok(recipients.some((text) => text.startsWith(owner) && /— 1 action\b/.test(text)), `${owner} in ${recipients}`);
  }
  assert.equal(await page.$('#chase-already'), null);
  assert.equal(await page.$('#chase-skipped'), null);
  assert.equal((await inboxItems(page)).total, 0, 'a dry run records nothing');
  await shot(page, 'tracker-chase-dialog');

  // The note is limited as the server counts it, in UTF-8 bytes: 600 accented letters are too long.
  const note = page.getByLabel('Note to go with the reminder (optional)');
  assert.equal(await note.getAttribute('maxlength'), '1000');
  await note.fill('é'.repeat(600));
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  assert.match(await page.textContent('#chase-dialog [role="alert"]'), /The note is too long/);
  assert.equal(await page.evaluate(() => document.getElementById('chase-dialog').open), true);
  assert.equal(await page.evaluate(() => document.activeElement.name), 'note');

  // Confirm, with a note: the dialog closes, focus returns to the button, the status says what happened.
  await note.fill('Please post an update before the group meets.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.waitForSelector('#chase-status.ok');
  assert.equal(await page.evaluate(() => document.getElementById('chase-dialog').open), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'chase-button');
  assert.equal(await page.getAttribute('#chase-status', 'role'), 'status');
  assert.equal((await page.textContent('#chase-status')).trim(),
    `Reminders recorded for ${recipients.length} people about 2 actions; they appear in each person's inbox; e-mail waits until the mail server is set up (reminders.md).`);
  assert.deepEqual(page.errors, []);
  await context.close();

  // The owner of 1.1 has an unread "Reminder from the secretariat" in the inbox, linked to the action.
  const owner = await open('owner-od');
  const before = await unreadInMenu(owner.page);
  assert.ok(before >= 1);
  assert.match(await owner.page.textContent('#nav-inbox'), /^Inbox \(\d+ unread\)$/);
  await andRender(owner.page, () => owner.page.click('#nav-inbox'));
  assert.equal((await owner.page.textContent('main h1')).trim(), 'Inbox');
  const row = owner.page.locator('table.inbox tbody tr[data-rule="chase"][data-ref="IA-2024-25-PM/1.1"]');
  assert.equal(await row.count(), 1);
  assert.equal(await row.getAttribute('class'), 'unread');
  const rowText = await row.textContent();
  assert.match(rowText, /^Unread/);
  assert.match(rowText, /Reminder from the secretariat/);
  assert.match(rowText, /You own the action/);
  assert.match(rowText, /31\/12\/2025 \(5 days overdue\)/);
  assert.match(rowText, /05\/01\/2026 12:00/);
  await shot(owner.page, 'inbox');
  await andRender(owner.page, () => row.getByRole('link', { name: 'IA-2024-25-PM/1.1' }).click());
  assert.equal((await owner.page.textContent('main h1')).trim(), 'Action IA-2024-25-PM/1.1');
  await go(owner.page, '#/inbox');
  await andRender(owner.page, () => row.getByRole('button', { name: /Mark as read/ }).click());
  await owner.page.waitForSelector('#announce.ok');
  assert.equal(await row.getAttribute('class'), 'read');
  assert.equal(await unreadInMenu(owner.page), before - 1);
  assert.match(await owner.page.textContent('#inbox-count'), new RegExp(`^${before - 1} unread of `));
  // "Unread only" leaves it out.
  await andRender(owner.page, () => owner.page.getByLabel('Unread only').check());
  assert.match(owner.page.url(), /#\/inbox\?unread=true$/);
  assert.equal(await row.count(), 0);
  assert.deepEqual(owner.page.errors, []);
  await owner.context.close();
});

test('chasing again the same day reports the actions as already chased and sends nothing twice', async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  const { context, page } = await open('secretariat');
  await go(page, '#/tracker?overdue=true');
  await page.getByLabel('Select all on this page').check();
  await page.getByRole('button', { name: 'Send reminder now…' }).click();
  await page.waitForSelector('#chase-dialog[open]');
  assert.match(await page.textContent('#chase-dialog .lead'), /^Nothing to send/);
  const already = await page.$$eval('#chase-already li', (items) => items.map((li) => li.textContent));
  assert.equal(already.length, 2);
  assert.match(already[0], /^IA-2024-25-PM\/1\.1/);
  assert.match(already[1], /^IA-2024-25-PM\/2\.1/);
  assert.equal(await page.getByRole('button', { name: 'Send', exact: true }).count(), 0);
  // Esc cancels; focus is back on the button.
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.getElementById('chase-dialog').open), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'chase-button');

  // A real call records nothing new either.
  const again = await chaseFromPage(page, '?overdue=true', { dry_run: false });
  assert.equal(again.status, 200);
  assert.equal(again.json.chased, 0);
  assert.equal(again.json.already_chased, 2);
  assert.equal(again.json.reminders, 0);

  // Without filters or ticks every action is in scope: the closed one is listed as skipped, with the reason.
  await go(page, '#/tracker');
  assert.match(await page.textContent('#chase-scope'), /all 3 actions the filters match/);
  await page.getByRole('button', { name: 'Send reminder now…' }).click();
  await page.waitForSelector('#chase-dialog[open]');
  const skipped = await page.$$eval('#chase-skipped li', (items) => items.map((li) => li.textContent));
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /^IA-2024-25-PM\/3\.1 — \S/);
  await page.getByRole('button', { name: 'Close' }).click();
  assert.equal(await page.evaluate(() => document.getElementById('chase-dialog').open), false);

  // An error answer is shown as its problem's detail: here the session ended in another tab meanwhile.
  const detail = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    await fetch('/api/v1/session', { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrf_token } });
    const response = await fetch('/api/v1/actions/chase', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: '{"dry_run":true}',
    });
    return (await response.json()).detail;
  });
  assert.ok(detail);
  await page.getByRole('button', { name: 'Send reminder now…' }).click();
  await page.waitForSelector('#chase-status.error');
  assert.ok((await page.textContent('#chase-status')).endsWith(detail));
  assert.equal(await page.evaluate(() => document.getElementById('chase-dialog').open), false);
  await context.close();

  // The owner still has exactly one chase for 1.1.
  const owner = await open('owner-od');
  const items = (await inboxItems(owner.page)).items.filter((n) => n.rule === 'chase');
  assert.deepEqual(items.map((n) => n.reference), ['IA-2024-25-PM/1.1']);
  await owner.context.close();
});

test('a viewer and an owner see no chase controls, and a forged chase by the viewer is refused', async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  for (const user of ['viewer', 'owner-pas']) {
    const { context, page } = await open(user);
    await go(page, '#/tracker');
    assert.ok(await page.$('table.actions'), `${user} sees the tracker`);
    assert.equal(await page.$('#chase-button, #chase-select-all, input[name="chase"], #chase-dialog'), null, user);
    if (user === 'viewer') {
      assert.doesNotMatch(await page.textContent('#nav'), /Inbox/);  // a viewer acts as no person
      const forged = await chaseFromPage(page, '?overdue=true', { dry_run: false });
      assert.equal(forged.status, 403);
      assert.match(forged.json.detail, /chase_owners/);
    } else {
      assert.match(await page.textContent('#nav'), /Inbox \(\d+ unread\)/);
    }
    await context.close();
  }
});

test('auditor runs the follow-up report as of a past date', async () => {
  const { context, page } = await open('auditor');
  await go(page, '#/follow-up');
  await page.getByLabel('As of').fill('30/09/2025');
  await andRender(page, () => page.getByRole('button', { name: 'Run report' }).click());
  assert.match(await page.textContent('#report-title'), /As of 30\/09\/2025/);
  // On 30/09/2025 only action 2.1 (due Jun 2025) was overdue; today both open actions are.
  assert.match(await page.textContent('#report-summary'), /; 1 overdue action\./);
  const overdueRows = await page.$$eval('table.report tbody tr.overdue th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(overdueRows, ['IA-2024-25-PM 2.1']);
  await shot(page, 'follow-up-as-of');
  // The export buttons carry the same date.
  assert.match(await page.getAttribute('#export-csv', 'href'), /as_of=2025-09-30/);
  assert.match(await page.getAttribute('#export-html', 'href'), /format=html/);
  const html = await (await fetch(`${state.base}${await page.getAttribute('#export-html', 'href')}`, {
    headers: { Cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
  })).text();
  assert.match(html, /30\/09\/2025|2025-09-30/);

  // A date the organisation would not write is refused with a message, and the report stays.
  await page.getByLabel('As of').fill('31/02/2025');
  await page.getByRole('button', { name: 'Run report' }).click();
  await page.waitForSelector('#announce.error');
  assert.match(await page.textContent('#announce'), /not a date: write it as dd\/mm\/yyyy/);

  // Compare today with the past date: the changes are listed.
  await go(page, '#/follow-up?compare=2025-09-30');
  assert.match(await page.textContent('main'), /Changes since 30\/09\/2025/);
  await context.close();
});

test('owner posts progress with an evidence file and claims implemented; the tracker shows it', { skip: false }, async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  const { context, page } = await open('owner-pas');
  await go(page, '#/my-actions');
  assert.match(await page.textContent('main'), /IA-2024-25-PM\/2\.1/);
  assert.doesNotMatch(await page.textContent('main'), /undefined|NaN|\[object Object\]/);
  await shot(page, 'my-actions');
  await andRender(page, () => page.getByRole('link', { name: 'IA-2024-25-PM/2.1' }).first().click());
  await page.getByLabel('What has been done').fill('Terms of reference approved by the Executive Team.');
  await page.getByLabel('Percent complete').fill('100');
  const evidence = path.join(state.dir, 'terms-of-reference.txt');
  fs.writeFileSync(evidence, 'Benefit Performance Review Group terms of reference, approved.\n');
  await page.getByLabel('Evidence files').setInputFiles(evidence);
  await page.getByRole('button', { name: 'Post update' }).click();
  await page.waitForSelector('#announce.ok');
  await page.getByLabel('New status').selectOption('implemented');
  await page.getByLabel('Evidence note').fill('Approved terms of reference attached to the progress update.');
  await page.getByRole('button', { name: 'Change status' }).click();
  await page.waitForFunction(() => document.querySelector('#action-status')?.textContent === 'Implemented');
  assert.doesNotMatch(await page.textContent('main'), /undefined|NaN|\[object Object\]/);
  assert.match(await page.textContent('main'), /terms-of-reference\.txt/);  // the evidence, by its update
  // The claim's evidence note is on the page for the auditor who will verify it.
  const claimNotes = await page.$$eval('table', (ts) => ts.filter((t) => /Evidence for status changes/.test(t.textContent))
    .map((t) => t.textContent));
  assert.equal(claimNotes.length, 1);
  assert.match(claimNotes[0], /Approved terms of reference attached to the progress update\./);
  // The file links to its download, which gives back exactly what was uploaded, as an attachment.
  const link = page.getByRole('link', { name: 'terms-of-reference.txt' });
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/actions\/[^/]+\/evidence\/[^/]+$/);
  const file = await page.request.get(new URL(href, page.url()).toString());
  assert.equal(file.status(), 200);
  assert.equal(await file.text(), 'Benefit Performance Review Group terms of reference, approved.\n');
  assert.match(file.headers()['content-disposition'], /^attachment; filename="terms-of-reference\.txt"/);
  assert.equal(file.headers()['x-content-type-options'], 'nosniff');
  await shot(page, 'action-owner');
  await context.close();

  const secretariat = await open('secretariat');
  await go(secretariat.page, '#/tracker?status=implemented');
  const rows = await secretariat.page.$$eval('table.actions tbody tr', (r) => r.map((x) => x.dataset.ref));
  assert.deepEqual(rows, ['IA-2024-25-PM/2.1']);
  await secretariat.context.close();
});

test('owner requests a revised date; the group secretary approves it; due date and RAG change', async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  const owner = await open('owner-od');
  await go(owner.page, '#/my-actions');
  await andRender(owner.page, () => owner.page.getByRole('link', { name: 'IA-2024-25-PM/1.1' }).first().click());
  assert.equal((await owner.page.textContent('#action-rag')).trim(), 'Red');
  await owner.page.getByLabel('New target date').fill('15/03/2026');
  await owner.page.getByLabel('Reason').last().fill('Workshops for enabling functions run to March.');
  await owner.page.getByRole('button', { name: 'Send request' }).click();
  await owner.page.waitForSelector('#announce.ok');
  const actionUrl = owner.page.url();
  await owner.context.close();

  const secretary = await open('gov-officer');
  await go(secretary.page, '#/groups/Benefit%20Performance%20Review%20Group');
  assert.doesNotMatch(await secretary.page.textContent('main'), /undefined|NaN|\[object Object\]/);
  assert.match(await secretary.page.textContent('main'), /Revised date for IA-2024-25-PM 1\.1/);
  await shot(secretary.page, 'group-decisions', '#decisions');
  await secretary.page.getByLabel('Decision reference').fill('BPRG/2026/01');
  await secretary.page.getByRole('button', { name: 'Approve' }).click();
  await secretary.page.waitForSelector('#announce.ok');
  await secretary.page.waitForSelector('#no-decisions');
  await secretary.page.goto(actionUrl);
  await secretary.page.waitForSelector('#action-due');
  assert.equal((await secretary.page.textContent('#action-due')).trim(), '15/03/2026');
  assert.equal((await secretary.page.textContent('#action-rag')).trim(), 'Green');
  await secretary.context.close();
});

test('viewer sees no edit controls, and a forged request is refused', async (t) => {
  if (!state.auth) {
    // Without sign-in the UI is read-only: no forms on an action page.
    const { context, page } = await open(null);
    await go(page, `#/actions/${await actionId('IA-2024-25-PM/1.1')}`);
    assert.equal(await page.$('#progress-form, #transition-form, #request-date-form'), null);
    await context.close();
    t.skip(`forged request part ${WAITING}`);
    return;
  }
  const { context, page } = await open('viewer');
  const navText = await page.textContent('#nav');
  assert.doesNotMatch(navText, /My actions/);
  const id = await page.evaluate(async () => (await (await fetch('/api/v1/actions?per_page=1')).json()).items[0].id);
  await go(page, `#/actions/${id}`);
  assert.equal(await page.$('#progress-form, #transition-form, #request-date-form'), null);
  await go(page, '#/groups/Benefit%20Performance%20Review%20Group');
  assert.equal(await page.$('button:has-text("Approve"), button:has-text("Refuse")'), null);
  await shot(page, 'viewer-group');
  // Forge a write with the viewer's own session and CSRF token: the API refuses it.
  const status = await page.evaluate(async (actionId) => {
    const me = await (await fetch('/api/v1/me')).json();
    const detail = await fetch(`/api/v1/actions/${actionId}`);
    const response = await fetch(`/api/v1/actions/${actionId}/transitions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': detail.headers.get('ETag') || '"1"' },
      body: JSON.stringify({ to: 'withdrawn', reason: 'forged' }),
    });
    return response.status;
  }, id);
  assert.equal(status, 403);
  await context.close();
});

test('risk register: escalations due, the heat map by basis, and a risk with its route upward and history', async () => {
  const { context, page } = await open('viewer');
  await go(page, '#/risks');
  const text = await page.textContent('main');
  assert.match(text, /Escalations due \(1\)/);
  assert.match(text, /DR-CSD-03/);
  // The current-basis heat map places DR-CSD-03 and CR-012 together in the 4x4 cell, level in words.
  const cell = await page.locator('table.heatmap td', { hasText: 'DR-CSD-03' }).first().textContent();
  assert.match(cell, /High \(16\)/);
  assert.match(cell, /CR-012/);
  await shot(page, 'risk-register');
  await page.getByLabel('Ratings to map').selectOption('inherent');
  await page.waitForFunction(() => location.hash.includes('basis=inherent') && document.body.dataset.ready === 'true');
  await page.waitForSelector('caption:has-text("Inherent")');
  await go(page, '#/risks/DR-CSD-03');
  const detail = await page.textContent('main');
  assert.match(detail, /Route upward\s*CR-012/);
  assert.match(detail, /Score changes/);
  assert.deepEqual(page.errors, []);
  await shot(page, 'risk-detail');
  await context.close();
  // An owner holds no read_risks: no Risks in the menu.
  const owner = await open('owner-od');
  assert.doesNotMatch(await owner.page.textContent('#nav'), /Risks/);
  await owner.context.close();
});

test('the sign-in page refuses a wrong password and is labelled for screen readers', async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  const { context, page } = await open(null);
  await go(page, '#/sign-in');
  await shot(page, 'sign-in');
  await page.getByLabel('Username').fill('viewer');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => document.querySelector('#sign-in-error')?.textContent.length > 0);
  assert.match(await page.textContent('#sign-in-error'), /not right|Too many/);
  await context.close();
});

test('an unknown page says so and links to the start page; an owner counts days from the organisation\'s date', async (t) => {
  if (!state.auth) { t.skip(WAITING); return; }
  const { context, page } = await open('viewer');
  await go(page, '#/users');
  assert.equal((await page.textContent('main h1')).trim(), 'Page not found');
  assert.equal(await page.getAttribute('#start-page', 'href'), '#/dashboard');
  await context.close();
  // The owner holds no read_reports; "today" comes from /api/v1/me, so no request is refused on the way.
  const owner = await open('owner-od');
  const refused = [];
  owner.page.on('response', (r) => { if (r.status() === 403) refused.push(r.url()); });
  await go(owner.page, '#/my-actions');
  assert.deepEqual(refused, []);
  await owner.context.close();
});
