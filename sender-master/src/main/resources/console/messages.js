'use strict';
// The console's Messages page: one message and its audit trail, dead letters, unknown messages and
// delivery policy. Uses console.js's helpers (call, act, cell, notice, when); wired by wireMessages().
function showMessage(found) {
  const m = found.message;
  const detail = $('#message-detail tbody');
  detail.replaceChildren();
  [['Id', m.id], ['Application', m.application], ['Status', m.status], ['Channel', m.channel], ['Target', m.target],
    ['Subject', m.subject], ['Priority', m.priority], ['Attempts', m.attempts + (m.ambiguousAttempts ? ' (' + m.ambiguousAttempts + ' ambiguous)' : '')],
    ['Idempotency key', m.idempotencyKey], ['Created', when(m.createdAt)], ['Last change', when(m.updatedAt)], ['Sent', when(m.sentAt)],
    ['Next attempt', when(m.nextAttemptAt)], ['Error', m.error], ['Digest', m.digestId]].forEach(([k, v]) => {
    const row = detail.insertRow();
    const th = document.createElement('th'); th.textContent = k; row.appendChild(th);
    cell(row, v);
  });
  const timeline = $('#timeline');
  timeline.replaceChildren();
  found.events.forEach(e => {
    const li = document.createElement('li');
    li.className = 'st-' + e.status;
    const head = document.createElement('div');
    const status = document.createElement('strong'); status.textContent = e.status; head.appendChild(status);
    const at = document.createElement('span'); at.className = 'when'; at.textContent = '  ' + new Date(e.at).toISOString() + ' on ' + e.node;
    head.appendChild(at);
    const reason = document.createElement('div'); reason.textContent = e.reason;
    li.append(head, reason);
    timeline.appendChild(li);
  });
  $('#message').hidden = false;
}

async function find(form, path) {
  try {
    showMessage(await call('GET', path, Object.fromEntries(new FormData(form))));
    notice('');
  } catch (e) {
    $('#message').hidden = true;
    notice(e.message, true);
  }
}

function checkboxRow(body, id, group) {
  const row = body.insertRow();
  const box = document.createElement('input');
  box.type = 'checkbox'; box.value = id; box.dataset.group = group;
  box.setAttribute('aria-label', 'select message ' + id);
  box.addEventListener('change', () => updateSelection(group));
  cell(row, box);
  return row;
}

function selected(group) {
  return [...document.querySelectorAll(`input[data-group="${group}"]:checked`)].map(b => b.value);
}

function updateSelection(group) {
  const none = selected(group).length === 0;
  if (group === 'dead') { $('#dead-requeue').disabled = none; $('#dead-purge').disabled = none; }
  else $('#unknown-requeue').disabled = none;
}

async function loadDead(append) {
  const filter = Object.fromEntries(new FormData($('#dead-filter')));
  const page = await call('GET', '/console/api/dead-letters', { ...filter, cursor: append ? state.deadCursor : null });
  const body = $('#dead tbody');
  if (!append) body.replaceChildren();
  page.deadLetters.forEach(d => {
    const row = checkboxRow(body, d.id, 'dead');
    [d.id, d.application, d.channel, d.target, d.attempts, d.error, when(d.deadAt)].forEach(v => cell(row, v));
  });
  state.deadCursor = page.nextCursor;
  $('#dead-more').hidden = !page.nextCursor;
  updateSelection('dead');
}

async function loadUnknown() {
  const page = await call('GET', '/console/api/unknown', Object.fromEntries(new FormData($('#unknown-filter'))));
  const body = $('#unknown tbody');
  body.replaceChildren();
  page.unknown.forEach(m => {
    const row = checkboxRow(body, m.id, 'unknown');
    [m.id, m.application, m.channel, m.target, m.attempts, when(m.updatedAt)].forEach(v => cell(row, v));
  });
  updateSelection('unknown');
}

async function loadPolicy(application) {
  const policy = await call('GET', '/console/api/policy', { application });
  const box = $('#policy');
  box.replaceChildren();
  Object.entries(policy.tasks).forEach(([task, settings]) => {
    const form = document.createElement('form');
    form.className = 'policy-task filter';
    form.dataset.task = task;
    const h = document.createElement('h4'); h.textContent = task; form.appendChild(h);
    settings.forEach(s => {
      const label = document.createElement('label');
      label.textContent = s.parameter + (s.isDefault ? ' (default) ' : ' ');
      const input = document.createElement('input');
      input.name = s.parameter; input.value = s.value === null ? '' : s.value; input.dataset.original = input.value;
      input.placeholder = 'default';
      label.appendChild(input);
      form.appendChild(label);
    });
    const save = document.createElement('button'); save.type = 'submit'; save.textContent = 'Save'; form.appendChild(save);
    form.addEventListener('submit', event => {
      event.preventDefault();
      const changes = {};
      [...form.querySelectorAll('input')].filter(i => i.value !== i.dataset.original)
        .forEach(i => { changes[i.name] = i.value === '' ? 'default' : i.value; });
      if (Object.keys(changes).length === 0) { notice('nothing changed in ' + task); return; }
      const list = Object.entries(changes).map(([k, v]) => k + '=' + v).join(', ');
      act(`Set ${list} for application ${application} (${task})?`, () => call('POST', '/tasks/' + task, { application, ...changes }),
        () => loadPolicy(application));
    });
    box.appendChild(form);
  });
}

function wireMessages() {
  $('#find-id').addEventListener('submit', e => { e.preventDefault(); find(e.target, '/console/api/messages/' + encodeURIComponent(e.target.elements.namedItem('id').value.trim())); });
  $('#find-key').addEventListener('submit', e => { e.preventDefault(); find(e.target, '/console/api/messages'); });
  $('#dead-filter').addEventListener('submit', e => { e.preventDefault(); loadDead(false).catch(err => notice(err.message, true)); });
  $('#dead-more').addEventListener('click', () => loadDead(true).catch(err => notice(err.message, true)));
  $('#unknown-filter').addEventListener('submit', e => { e.preventDefault(); loadUnknown().catch(err => notice(err.message, true)); });
  $('#policy-find').addEventListener('submit', e => { e.preventDefault(); loadPolicy(e.target.elements.namedItem('application').value.trim()).catch(err => notice(err.message, true)); });
  [['dead', '#dead-all'], ['unknown', '#unknown-all']].forEach(([group, all]) => $(all).addEventListener('change', e => {
    document.querySelectorAll(`input[data-group="${group}"]`).forEach(b => { b.checked = e.target.checked; });
    updateSelection(group);
  }));
  $('#dead-requeue').addEventListener('click', () => {
    const ids = selected('dead');
    act(`Requeue ${ids.length} dead letter(s) with a fresh retry budget?`, () => call('POST', '/tasks/dead-letters-requeue', { id: ids }), () => loadDead(false));
  });
  $('#dead-purge').addEventListener('click', () => {
    const ids = selected('dead');
    act(`Purge ${ids.length} dead letter(s)? They will never be sent.`, () => call('POST', '/tasks/dead-letters-purge', { id: ids }), () => loadDead(false));
  });
  $('#unknown-requeue').addEventListener('click', () => {
    const ids = selected('unknown');
    act(`Requeue ${ids.length} unknown message(s)? Their receivers may get them twice.`, () => call('POST', '/tasks/requeue', { id: ids }), loadUnknown);
  });
}
