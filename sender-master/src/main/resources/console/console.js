'use strict';
// The operator console. Served from the admin port; every data or action request carries the admin
// token (kept in this tab's sessionStorage) as a bearer header. Everything shown is set with
// textContent, never parsed as HTML: messages, targets and errors come from tenants and receivers.
const TOKEN_KEY = 'herald.adminToken';
const $ = selector => document.querySelector(selector);
const state = { page: null, timer: null, deadCursor: null, cluster: null }; // deadCursor: messages.js

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function token() { return sessionStorage.getItem(TOKEN_KEY); }

/** Calls this admin port. path is absolute (/console/api/..., /tasks/...); params become the query. */
async function call(method, path, params) {
  const query = new URLSearchParams();
  Object.entries(params || {}).forEach(([k, v]) => [].concat(v).forEach(item => {
    if (item !== undefined && item !== null && item !== '') query.append(k, item);
  }));
  const url = path + (query.toString() ? '?' + query : '');
  const response = await fetch(url, { method, headers: { Authorization: 'Bearer ' + token() }, cache: 'no-store' });
  const body = await response.text();
  if (response.status === 401) {
    signOut('The admin token was refused; paste it again.');
    throw new HttpError(401, 'the admin token was refused');
  }
  const json = (response.headers.get('Content-Type') || '').includes('json') ? JSON.parse(body) : null;
  if (!response.ok || (path.startsWith('/tasks/') && body.startsWith('error:'))) {
    const message = json && json.message ? (json.field ? json.field + ': ' : '') + json.message : body.trim();
    throw new HttpError(response.status, message || ('HTTP ' + response.status));
  }
  return json !== null ? json : body.trim();
}

function notice(message, bad) {
  const box = $('#notice');
  box.textContent = message;
  box.className = bad ? 'bad' : '';
  box.hidden = !message;
}

function cell(row, value, className) {
  const td = row.insertCell();
  if (value instanceof Node) td.appendChild(value); else td.textContent = value === null || value === undefined ? '–' : String(value);
  if (className) td.className = className;
  return td;
}

function button(label, onClick, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

function when(iso) { return iso ? new Date(iso).toLocaleString() : '–'; }

/** Asks the operator; resolves true only on Confirm. */
function confirmAction(text) {
  const dialog = $('#confirm');
  $('#confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

/** Runs an action after a confirmation, logs its answer on the Actions page and as a notice. */
async function act(question, run, after) {
  if (!(await confirmAction(question))) return;
  try {
    const answer = await run();
    const line = typeof answer === 'string' ? answer : JSON.stringify(answer);
    logAction(line);
    notice(line, false);
    if (after) await after();
  } catch (e) {
    logAction('failed: ' + e.message);
    notice(e.message, true);
  }
}

function logAction(line) {
  const li = document.createElement('li');
  li.textContent = new Date().toLocaleTimeString() + '  ' + line;
  $('#action-log').prepend(li);
}

// ---- Cluster ----

function healthCell(row, health) {
  const failing = Object.entries(health.checks || {}).filter(([, c]) => !c.healthy).map(([n, c]) => n + (c.message ? ': ' + c.message : ''));
  const td = cell(row, health.healthy ? 'healthy' : 'unhealthy' + (failing.length ? ' (' + failing.join('; ') + ')' : health.error ? ' (' + health.error + ')' : ''));
  td.className = health.healthy ? 'ok' : 'bad';
}

// The worker's smtp-relays check names each relay's state ("a up; b down for 20 s more (…)"); unhealthy when none is up.
function relaysCell(row, check) {
  const td = cell(row, check ? check.message : '–');
  if (check) td.className = !check.healthy ? 'bad' : / down for /.test(check.message) ? 'warn' : 'ok';
}

function card(parent, title, value, className, detail) {
  const div = document.createElement('div');
  div.className = 'card';
  const h = document.createElement('h3'); h.textContent = title; div.appendChild(h);
  const v = document.createElement('div'); v.className = 'big ' + (className || ''); v.textContent = value; div.appendChild(v);
  if (detail) { const d = document.createElement('div'); d.className = 'hint'; d.textContent = detail; div.appendChild(d); }
  parent.appendChild(div);
}

async function loadCluster() {
  const view = await call('GET', '/console/api/cluster');
  state.cluster = view;
  $('#whoami').textContent = 'on ' + view.node;
  $('#sample-interval').textContent = view.sampleIntervalSeconds;
  const cards = $('#cluster-cards');
  cards.replaceChildren();
  card(cards, 'Leader', view.leader || 'none', view.leader ? 'ok' : 'bad');
  card(cards, 'Fencing token', view.fence.token, '', 'held by ' + (view.fence.holder || '–') + ' since ' + when(view.fence.acquiredAt));
  card(cards, 'Dispatch', view.fence.paused ? 'paused' : 'running', view.fence.paused ? 'warn' : 'ok');
  Object.entries(view.local).forEach(([name, check]) =>
    card(cards, name === 'zookeeper' ? 'ZooKeeper' : 'Database', check.healthy ? 'healthy' : 'unhealthy', check.healthy ? 'ok' : 'bad',
      check.message || 'as ' + view.node + ' sees it'));
  const masters = $('#masters tbody');
  masters.replaceChildren();
  view.masters.forEach(m => {
    const row = masters.insertRow();
    cell(row, m.id); cell(row, m.leader ? 'leader' : 'follower', m.leader ? 'ok' : ''); healthCell(row, m.health); cell(row, m.api); cell(row, m.admin);
  });
  const workers = $('#workers tbody');
  workers.replaceChildren();
  view.workers.forEach(w => {
    const row = workers.insertRow();
    const now = w.now || {};
    cell(row, w.id); healthCell(row, w.health);
    relaysCell(row, (w.health.checks || {})['smtp-relays']);
    ['sent', 'failed', 'retried', 'inFlight', 'tasksHeld'].forEach(k => cell(row, w.now ? now[k] : null, 'num'));
    cell(row, w.lastHour.sent + ' / ' + w.lastHour.failed + ' / ' + w.lastHour.retried, 'num');
    cell(row, Charts.spark(w.history.map(p => p.sent)));
  });
  renderActions(view);
}

// ---- Traffic ----

async function loadTraffic() {
  const view = await call('GET', '/console/api/traffic');
  const t = p => Date.parse(p.at);
  const perSecond = v => v === null ? null : v / view.sampleIntervalSeconds;
  const series = (name, f) => ({ name, points: view.points.map(p => [t(p), f(p)]) });
  Charts.line($('#chart-throughput'), [series('sent', p => perSecond(p.sent)), series('dead-lettered', p => perSecond(p.failed)),
    series('retried', p => perSecond(p.retried))]);
  Charts.line($('#chart-latency'), [series('p50', p => p.latencyP50), series('p95', p => p.latencyP95), series('max', p => p.latencyMax)]);
  Charts.line($('#chart-backlog'), [series('queued', p => p.backlog)]);
  Charts.line($('#chart-problems'), [series('dead letters', p => p.dead), series('unknown', p => p.unknown)]);
  const body = $('#backlog tbody');
  body.replaceChildren();
  const max = Math.max(1, ...view.backlog.map(b => b.messages));
  view.backlog.forEach(b => {
    const row = body.insertRow();
    cell(row, b.application); cell(row, b.priority); cell(row, b.messages.toLocaleString() + (b.more ? '+' : ''), 'num');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = Math.max(2, 240 * b.messages / max) + 'px';
    cell(row, bar);
  });
  if (view.backlog.length === 0) cell(body.insertRow(), 'nothing queued at the last sample');
}

// ---- Actions ----

function renderActions(view) {
  $('#dispatch-state').textContent = view.fence.paused ? 'Dispatch is paused cluster-wide.' : 'Dispatch is running.';
  $('#leader-state').textContent = view.leader ? view.leader + ' leads (token ' + view.fence.token + ').' : 'No master leads.';
  const body = $('#worker-actions tbody');
  body.replaceChildren();
  view.workers.forEach(w => {
    const row = body.insertRow();
    cell(row, w.id);
    cell(row, (w.health.checks.role && w.health.checks.role.message) || (w.health.healthy ? 'worker' : 'unhealthy'));
    cell(row, w.now ? w.now.tasksHeld : null, 'num');
    const buttons = document.createElement('span');
    buttons.append(
      button('Drain', () => act(`Drain ${w.id}? It takes no new tasks until resumed, and finishes the ones it holds.`,
        () => call('POST', '/console/api/workers/' + encodeURIComponent(w.id) + '/drain').then(r => r.node + ': ' + r.output), loadCluster)),
      document.createTextNode(' '),
      button('Resume', () => act(`Let ${w.id} take tasks again?`,
        () => call('POST', '/console/api/workers/' + encodeURIComponent(w.id) + '/resume').then(r => r.node + ': ' + r.output), loadCluster)));
    cell(row, buttons);
  });
}

// ---- Pages and sign-in ----

const PAGES = { cluster: loadCluster, traffic: loadTraffic, messages: async () => {}, actions: loadCluster };
const REFRESH_MS = { cluster: 5000, traffic: 15000, actions: 5000 };

async function show(page) {
  if (!PAGES[page]) page = 'cluster';
  state.page = page;
  document.querySelectorAll('.page').forEach(s => { s.hidden = s.id !== 'page-' + page; });
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.page === page));
  clearTimeout(state.timer);
  await refresh();
}

async function refresh() {
  const page = state.page;
  try {
    await PAGES[page]();
  } catch (e) {
    if (e.status !== 401) { notice('Could not load ' + page + ': ' + e.message, true); }
  }
  if (REFRESH_MS[page] && token() && state.page === page) state.timer = setTimeout(refresh, REFRESH_MS[page]);
}

function signedIn() {
  $('#login').hidden = true;
  $('#nav').hidden = false;
  $('#logout').hidden = false;
  show(location.hash.slice(1));
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(state.timer);
  document.querySelectorAll('.page').forEach(s => { s.hidden = true; });
  $('#nav').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  $('#whoami').textContent = '';
}

function wire() {
  $('#login-form').addEventListener('submit', async event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
    $('#token').value = '';
    try {
      await call('GET', '/console/api/cluster');
      signedIn();
    } catch (e) {
      if (e.status !== 401) signOut('Could not reach the console API: ' + e.message);
    }
  });
  $('#logout').addEventListener('click', () => signOut(''));
  window.addEventListener('hashchange', () => token() && show(location.hash.slice(1)));
  wireMessages();
  $('#pause').addEventListener('click', () => act('Pause dispatch cluster-wide? Messages are still accepted, none is sent.',
    () => call('POST', '/tasks/pause-dispatch'), loadCluster));
  $('#resume').addEventListener('click', () => act('Resume dispatch?', () => call('POST', '/tasks/resume-dispatch'), loadCluster));
  $('#step-down').addEventListener('click', () => act('Make the leader step down? Another master takes over.',
    () => call('POST', '/console/api/leader/step-down').then(r => r.node + ': ' + r.output), loadCluster));
  if (token()) signedIn(); else signOut('');
}

document.addEventListener('DOMContentLoaded', wire);
