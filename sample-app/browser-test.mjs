// npm run test:browser — drives the sample page in Debian's headless Chromium with playwright-core:
// sign in as a seeded user, see /me, switch org, 403 on the admin action as a member, 200 as an admin;
// GraphQL `me` and the socket.io `whoami` (plus a webhook pushed live); the staff overview for a
// Clerk staff user and for the staff password login, sign-out; /health, the M2M route and Swagger UI;
// the staff console (/clerk-console) as the staff password login: search, deactivate and reactivate,
// a failed webhook delivery. Screenshots go to sample-app/.data/ (browser-test*.png).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const screenshot = join(here, '.data', 'browser-test.png');
/** A screenshot of `page` beside the others, named `browser-test-<name>.png`. */
const shoot = async (page, name) => {
  const path = join(here, '.data', `browser-test-${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  console.log(`  screenshot: ${path}`);
};
const results = [];

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startSample(port, dataDir) {
  const child = spawn(process.execPath, [join(here, 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), SAMPLE_DATA_DIR: dataDir, CLERK_SECRET_KEY: '', CLERK_JWT_KEY: '', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sample did not start:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes(`Sample app listening on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`sample exited with ${code}:\n${output}`)));
  });
  // What the emulator printed for scripts: TOKEN=…, STAFF_PASSWORD=…, M2M_TOKEN=…
  const printed = (name) => output.match(new RegExp(`^${name}=(\\S+)$`, 'm'))?.[1];
  return { child, token: printed('TOKEN'), staffPassword: printed('STAFF_PASSWORD'), m2mToken: printed('M2M_TOKEN') };
}

async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}: ${error.message}`);
  }
}

const expectText = async (page, selector, pattern) => {
  await page.waitForFunction(
    ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source],
    { timeout: 10_000 },
  ).catch(async () => {
    throw new Error(`${selector} never matched ${pattern}: ${await page.textContent(selector)}`);
  });
};

/** `npm run sample:webhook -- <type>` against the sample under test: a Svix-signed event, as Clerk sends it. */
const sendWebhook = (type, dataDir) => promisify(execFile)(process.execPath, [join(here, 'dist', 'send-webhook.js'), type], { env: { ...process.env, SAMPLE_DATA_DIR: dataDir } });

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'sample-browser-'));
const { child: sample, token, staffPassword, m2mToken } = await startSample(port, dataDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
  await page.goto('/');
  await check('the page loads in emulator mode, not signed in', async () => {
    await expectText(page, '#mode', /offline Clerk emulator/);
    await expectText(page, '#me', /^401/);
  });
  await check('signing in as Ada (member of Globex) shows /me with her local row', async () => {
    await page.selectOption('#user', { label: 'Ada Lovelace' });
    await page.selectOption('#org', { label: 'Globex (org:member)' });
    await page.click('#signin-button');
    await expectText(page, '#me', /^200[\s\S]*ada@example\.com[\s\S]*"favoriteColor": "teal"/);
    await expectText(page, '#active-org', /"slug": "globex"[\s\S]*"role": "org:member"[\s\S]*"local": \{[\s\S]*"name": "Globex"/);
    const cookies = await page.context().cookies();
    if (!cookies.some((c) => c.name === '__session')) throw new Error('no __session cookie');
  });
  await check('the admin action answers 403 to a member', async () => {
    await page.click('#admin-button');
    await expectText(page, '#admin-result', /^403/);
  });
  await check('switching to Acme (admin) changes the active org and the admin action answers 200', async () => {
    await page.selectOption('#org', { label: 'Acme (org:admin)' });
    await page.click('#signin-button');
    await expectText(page, '#active-org', /"slug": "acme"[\s\S]*"role": "org:admin"/);
    await page.click('#admin-button');
    await expectText(page, '#admin-result', /^200[\s\S]*ran the admin action in acme/);
  });
  await check('GraphQL: `me` and `myOrg` answer the signed-in user from the page; without a token `me` is UNAUTHENTICATED, `hello` public', async () => {
    await page.click('#graphql-button');
    await expectText(page, '#graphql-result', /^200[\s\S]*"hello": "Hello, Ada Lovelace"[\s\S]*"email": "ada@example\.com"[\s\S]*"slug": "acme"[\s\S]*"name": "Acme"/);
    // No cookie, no bearer (Node's fetch, not the page's cookie jar).
    const anonymous = async (query) => (await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json();
    const refused = await anonymous('{ me { email } }');
    if (refused.data !== null || refused.errors?.length !== 1 || refused.errors[0].message !== 'Unauthorized' || JSON.stringify(refused.errors[0].extensions) !== '{"code":"UNAUTHENTICATED"}') throw new Error(JSON.stringify(refused));
    const open = await anonymous('{ hello }');
    if (open.data?.hello !== 'Hello, anonymous') throw new Error(JSON.stringify(open));
  });
  await check('socket.io /live: `whoami` answers Ada after sign-in, a processed webhook is pushed to the page, a handshake without a token is refused', async () => {
    await expectText(page, '#socket-whoami', /^socket whoami: ada@example\.com in acme$/);
    await sendWebhook('user.updated', dataDir);
    await expectText(page, '#live-events', /webhook user\.updated \(msg_/);
    const refusal = await page.evaluate(() => new Promise((resolve) => {
      const socket = io('/live', { auth: {}, reconnection: false });
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (error) => resolve(error.message));
    }));
    if (refusal !== 'Unauthorized') throw new Error(`a handshake without a token: ${refusal}`);
  });
  await check('the staff overview answers 403 to Ada and 200 to Grace, a Clerk user who is staff in the local table', async () => {
    await page.click('#overview-button');
    await expectText(page, '#overview-result', /^403[\s\S]*Staff access required/);
    await page.selectOption('#user', { label: 'Grace Hopper (staff)' });
    await page.selectOption('#org', { label: '(no organization)' });
    await page.click('#signin-button');
    await expectText(page, '#whoami', /grace@example\.com \(Clerk\)/);
    await page.click('#overview-button');
    await expectText(page, '#overview-result', /^200[\s\S]*"signedInWith":"clerk"[\s\S]*"email":"grace@example\.com"/);
  });
  await check('the staff sign-in form logs in with the password from the console; the staff overview answers 200', async () => {
    if (!staffPassword) throw new Error('the sample printed no STAFF_PASSWORD line');
    await page.fill('#staff-password', 'not-the-password');
    await page.click('#staff-signin-button');
    await expectText(page, '#staff-result', /^401/);
    await page.fill('#staff-password', staffPassword);
    await page.click('#staff-signin-button');
    await expectText(page, '#staff-result', /^200[\s\S]*"isStaff":true/);
    await expectText(page, '#whoami', /staff@example\.com \(staff password login\)/);
    await expectText(page, '#me', /^200[\s\S]*"clerkId": null[\s\S]*staff@example\.com/);
    await page.click('#overview-button');
    await expectText(page, '#overview-result', /^200[\s\S]*"signedInWith":"local"[\s\S]*"email":"staff@example\.com"/);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`  screenshot: ${screenshot}`);
  });
  await check('the staff console (/clerk-console), as the staff password login: search a user, deactivate and reactivate her, each change in the audit', async () => {
    const console_ = page; // the signed-in tab: its server session cookie is the staff login
    try {
      await console_.goto('/clerk-console');
      await expectText(console_, 'header .who', /Signed in as staff@example\.com \(local\)/);
      await console_.waitForSelector('#user-results table');
      await console_.locator('#user-search input[name="search"]').fill('ada');
      await console_.keyboard.press('Enter'); // keyboard only: the form submits on Enter
      await expectText(console_, '#user-results', /ada@example\.com/);
      await expectText(console_, '#status', /^1 user shown$/);
      await shoot(console_, 'console-users');
      // Readable on a phone: nothing wider than the screen (tables scroll inside their own box).
      await console_.setViewportSize({ width: 390, height: 844 });
      const overflow = await console_.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await shoot(console_, 'console-phone');
      await console_.setViewportSize({ width: 1280, height: 720 });
      if (overflow > 0) throw new Error(`the page is ${overflow}px wider than a phone screen`);
      await console_.getByRole('link', { name: /^Ada/ }).click();
      await expectText(console_, '[data-view="user"] h2', /^Ada/);
      await expectText(console_, '[data-view="user"]', /favoriteColor\s*app/); // the sample's own column, marked as the app's
      await console_.getByRole('button', { name: 'Deactivate' }).click();
      await expectText(console_, '#status', /^Saved\.$/);
      await expectText(console_, '[data-view="user"] .badges', /inactive/);
      await console_.getByRole('button', { name: 'Activate' }).click();
      await expectText(console_, '#status', /^Saved\.$/);
      await expectText(console_, '[data-view="user"] .badges', /^active/);
      await expectText(console_, '[data-view="user"]', /update[\s\S]*"isActive":false[\s\S]*"isActive":true/);
      await shoot(console_, 'console-user');
    } finally {
      await page.goto('/'); // back to the sample page for the checks after this one
    }
  });
  await check('the staff console shows a failed webhook delivery first, with its error, and the last 24 h as a chart', async () => {
    // A payload Clerk would never send: refused (400) and recorded as failed.
    await sendWebhook('organization.created', dataDir).then(
      () => { throw new Error('the malformed delivery was accepted'); },
      () => undefined,
    );
    const console_ = page; // the signed-in tab: its server session cookie is the staff login
    try {
      await console_.goto('/clerk-console#/webhooks');
      await console_.waitForSelector('#webhook-results tbody tr');
      const first = console_.locator('#webhook-results tbody tr').first();
      await expectText(console_, '#webhook-results tbody tr:first-child', /failed[\s\S]*organization\.created/);
      await first.locator('summary').click();
      await expectText(console_, '#webhook-results tbody tr:first-child details pre', /refused: [\s\S]*svix id: msg_/);
      const chart = await console_.locator('svg.chart').getAttribute('aria-label');
      if (!/organization\.created: 0 processed, 1 failed/.test(chart ?? '')) throw new Error(`chart: ${chart}`);
      await shoot(console_, 'console-webhooks');
    } finally {
      await page.goto('/'); // back to the sample page for the checks after this one
    }
  });
  await check('signing out ends the session: /me and the staff overview answer 401', async () => {
    await page.click('#signout-button');
    await expectText(page, '#whoami', /^Signed out$/);
    await expectText(page, '#me', /^401/);
    await page.click('#overview-button');
    await expectText(page, '#overview-result', /^401/);
    const cookies = await page.context().cookies();
    if (cookies.some((c) => c.name === '__session')) throw new Error('the __session cookie is still there');
  });
  await check('/health answers 200 with the database and Clerk up', async () => {
    const response = await page.request.get('/health');
    const body = await response.json();
    if (response.status() !== 200 || body.info?.clerk?.status !== 'up' || body.info?.database?.status !== 'up') throw new Error(`${response.status()} ${JSON.stringify(body)}`);
  });
  await check('the M2M token from the console reaches /machine/ping; a session token gets 401 there', async () => {
    if (!m2mToken || !token) throw new Error('the sample printed no M2M_TOKEN or TOKEN line');
    const machine = await page.request.get('/machine/ping', { headers: { Authorization: `Bearer ${m2mToken}` } });
    const body = await machine.json();
    if (machine.status() !== 200 || body.tokenType !== 'm2m_token') throw new Error(`${machine.status()} ${JSON.stringify(body)}`);
    const user = await page.request.get('/machine/ping', { headers: { Authorization: `Bearer ${token}` } });
    if (user.status() !== 401) throw new Error(`a session token got ${user.status()}`);
  });
  await check('/docs shows Swagger UI with the Clerk bearer scheme (Authorize) and the guarded routes', async () => {
    const docs = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
    try {
      await docs.goto('/docs');
      await docs.waitForSelector('button.authorize', { timeout: 10_000 });
      await docs.waitForSelector('.opblock-summary-path[data-path="/admin/overview"]', { timeout: 10_000 });
    } finally {
      await docs.close();
    }
  });
} finally {
  await browser.close();
  sample.kill('SIGTERM');
  await new Promise((resolve) => sample.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`browser: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
