// Drives the operator console in headless Chromium against a running cluster (bin/herald up's
// topology): every page loads with no console error, a dead letter is requeued through the page, and a
// step-down through the page moves the leader. Screenshots of each page go to docs/console/.
// Environment: ADMIN_TOKEN, HERALD_API (default http://127.0.0.1:8080), HERALD_ADMIN (the console's
// master, default http://127.0.0.1:8081), CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (a directory).
import { chromium } from 'playwright-core';
import http from 'node:http';
import { strict as assert } from 'node:assert';

const token = process.env.ADMIN_TOKEN;
const API = process.env.HERALD_API || 'http://127.0.0.1:8080';
const ADMIN = process.env.HERALD_ADMIN || 'http://127.0.0.1:8081';
const SHOTS = process.env.SCREENSHOTS || new URL('../../docs/console/', import.meta.url).pathname;
if (!token) { console.error('console-test: set ADMIN_TOKEN'); process.exit(2); }

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
async function until(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try { const value = await check(); if (value) return value; } catch (e) { last = e; }
    await sleep(250);
  }
  throw new Error('timed out waiting for ' + what + (last ? ': ' + last.message : ''));
}
async function request(method, url, bearer, body) {
  const response = await fetch(url, { method, headers: { Authorization: 'Bearer ' + bearer, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
}
const leader = async () => (await request('GET', ADMIN + '/console/api/cluster', token)).leader;

// A receiver that refuses every webhook for good (410), so each message becomes a dead letter at once.
const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.statusCode = 410; res.end('gone'); }); });
await new Promise(resolve => receiver.listen(0, '127.0.0.1', resolve));
const hook = `http://127.0.0.1:${receiver.address().port}/hook`;

const application = 'console-test-' + Date.now();
const apiKey = (await request('POST', `${ADMIN}/tasks/app-create?name=${application}`, token)).split('\n')[0];
const { id } = await request('POST', API + '/v1/messages', apiKey, { channel: 'webhook', target: hook, body: 'refused on purpose' });
await until(`message ${id} to be dead`, async () => (await request('GET', `${API}/v1/messages/${id}`, apiKey)).status === 'dead');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('console', m => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  page.on('dialog', d => d.dismiss()); // the console asks in its own <dialog>, never with alert() or confirm()
  const confirm = async () => { await page.locator('#confirm').waitFor({ state: 'visible' }); await page.click('#confirm-ok'); };

  await page.goto(ADMIN + '/console/');
  await page.fill('#token', token);
  await page.click('#login-form button');
  await page.locator('#masters tbody tr').nth(1).waitFor();
  await until('a worker with counts', async () => (await page.locator('#workers tbody td.num').count()) > 0);
  await page.screenshot({ path: SHOTS + 'cluster.png', fullPage: true });

  await page.click('nav a[data-page=traffic]');
  await page.locator('#chart-throughput svg').waitFor();
  await until('samples on the traffic page', async () => {
    await page.evaluate(() => { location.hash = '#cluster'; location.hash = '#traffic'; });
    return (await page.locator('#chart-backlog path.line').count()) > 0;
  }, 90_000);
  await page.screenshot({ path: SHOTS + 'traffic.png', fullPage: true });

  await page.click('nav a[data-page=messages]');
  await page.fill('#find-id input[name=id]', String(id));
  await page.click('#find-id button');
  await page.locator('#timeline li.st-dead').first().waitFor();
  await page.fill('#dead-filter input[name=application]', application);
  await page.click('#dead-filter button');
  await page.check(`input[data-group=dead][value="${id}"]`);
  await page.fill('#policy-find input[name=application]', application);
  await page.click('#policy-find button');
  await page.locator('#policy form[data-task=app-weight]').waitFor();
  await page.screenshot({ path: SHOTS + 'messages.png', fullPage: true });
  await page.click('#dead-requeue');
  await confirm();
  await until(`message ${id} requeued through the page`, async () =>
    (await request('GET', `${API}/v1/messages/${id}/events`, apiKey)).events.some(e => e.reason.includes('dead-letters-requeue')));
  assert.match(await page.locator('#notice').textContent(), /requeued 1 dead letter/);

  const before = await leader();
  await page.click('nav a[data-page=actions]');
  await page.locator('#worker-actions tbody tr').first().waitFor();
  await page.screenshot({ path: SHOTS + 'actions.png', fullPage: true });
  await page.click('#step-down');
  await confirm();
  const after = await until('another master to lead', async () => { const now = await leader(); return now && now !== before ? now : null; });
  console.log(`console-test: leader moved from ${before} to ${after} through the page`);
  assert.deepEqual(problems, []);
  console.log('console-test: every page loaded with no console error; a dead letter was requeued and the leader stepped down through the page');
} finally {
  await browser.close();
  receiver.close();
}
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
