// mysimbdp console: plain DOM, no framework, no build. The token stays in this tab's sessionStorage
// (not a cookie: no request carries it unless this script adds it) and goes out as a bearer header.
'use strict';

const TOKEN_KEY = 'mysimbdp.token';
/** How often the views are refreshed, in milliseconds. */
const POLL_MS = 3000;
const STATE_LABELS = { waiting: 'waiting', processing: 'in progress', archived: 'archived', failed: 'failed', refused: 'refused' };

const $ = (id) => document.getElementById(id);
let identity = null;
let timer = null;
/** Last answer rendered per view, so a refresh that changed nothing leaves the DOM (and focus) alone. */
let lastRendered = '';
/** `dataset/name` → state text last seen, to announce changes; null before the first render. */
let lastStates = null;

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error ? body.error.code : undefined;
  }
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` } });
  const body = (res.headers.get('content-type') || '').includes('application/json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

function announce(text) {
  $('status').textContent = text;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

const num = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en'));
const duration = (ms) => (ms === null || ms === undefined ? '–' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const rules = (quality) => Object.entries(quality || {}).map(([rule, n]) => `${rule}: ${n}`).join(', ');

// ---- sign in / out ------------------------------------------------------------------------------

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    identity = await api('/whoami');
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    identity = null;
    const why = err instanceof ApiError && err.status === 401 ? `The token was refused: ${err.message}.` : `Cannot sign in: ${err.message}.`;
    $('sign-in-error').textContent = why;
    $('token').focus();
    return;
  }
  $('sign-in-error').textContent = '';
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('who').hidden = false;
  lastRendered = '';
  lastStates = null;
  if (identity.role === 'tenant') {
    $('who').textContent = `Signed in as tenant ${identity.tenant}`;
    const select = $('dataset');
    select.replaceChildren(...identity.datasets.map((d) => new Option(d.name, d.name)));
    showLimits();
    $('tenant-view').hidden = false;
  } else {
    $('who').textContent = `Signed in as operator ${identity.operator}`;
    $('operator-view').hidden = false;
  }
  announce($('who').textContent);
  $('main').focus();
  await refresh();
  timer = setInterval(refresh, POLL_MS);
}

function signOut() {
  clearInterval(timer);
  timer = null;
  sessionStorage.removeItem(TOKEN_KEY);
  identity = null;
  for (const id of ['tenant-view', 'operator-view', 'reasons', 'who', 'sign-out']) $(id).hidden = true;
  $('sign-in').hidden = false;
  $('token').value = '';
  announce('Signed out.');
  $('token').focus();
}

function showLimits() {
  const d = identity.datasets.find((x) => x.name === $('dataset').value);
  if (d) $('dataset-limits').textContent = `Accepts ${d.file_types.map((t) => `.${t}`).join(', ')} files of at most ${num(d.max_file_size_bytes)} bytes.`;
}

// ---- refresh ------------------------------------------------------------------------------------

async function refresh() {
  if (identity === null) return;
  try {
    if (identity.role === 'tenant') renderFiles(await api(`/tenant/${encodeURIComponent(identity.tenant)}/files`));
    else renderOverview(await api('/operator/overview'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      $('sign-in-error').textContent = `Signed out: ${err.message}.`;
      return;
    }
    announce(`Cannot refresh: ${err.message}`);
  }
}

function renderFiles(view) {
  const json = JSON.stringify(view);
  if (json === lastRendered) return;
  lastRendered = json;
  $('log-status').textContent = view.ingestion_log.available ? '' : `Row figures unavailable: ${view.ingestion_log.error}`;
  const changes = [];
  const seen = new Map();
  const rows = view.files.map((f) => {
    const tr = document.createElement('tr');
    const ing = f.ingestion;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = f.name;
    tr.appendChild(th);
    cell(tr, f.dataset);
    const stateText = STATE_LABELS[f.state] + (ing && ing.outcome === 'skipped' ? ' (identical content skipped)' : '');
    const state = cell(tr, '');
    const badge = document.createElement('span');
    badge.className = `state state-${f.state}`;
    badge.textContent = stateText;
    state.appendChild(badge);
    const reason = (ing && ing.reason) || (typeof f.reason === 'string' ? f.reason : f.reason ? JSON.stringify(f.reason) : '');
    if (reason && f.state !== 'archived') state.appendChild(document.createTextNode(` ${reason}`));
    cell(tr, ing ? num(ing.rows_ok) : '–', 'num');
    cell(tr, ing ? num(ing.rows_rejected) : '–', 'num');
    cell(tr, ing ? num(ing.rows_deduplicated) : '–', 'num');
    cell(tr, ing ? duration(ing.duration_ms) : '–', 'num');
    cell(tr, ing ? rules(ing.quality) : '', 'rules');
    const actions = cell(tr, '');
    if (ing && ing.quarantine) {
      actions.appendChild(button(`Show reasons`, `Show the reasons rows of ${f.name} were rejected`, () => showReasons(f)));
      actions.appendChild(button(`Download quarantine`, `Download the rejected rows of ${f.name}`, () => downloadQuarantine(f)));
    }
    const key = `${f.dataset}/${f.name}`;
    const summary = ing ? `${stateText}, ${ing.rows_ok} rows ok, ${ing.rows_rejected} rejected` : stateText;
    if (lastStates !== null && lastStates.get(key) !== summary) changes.push(`${f.name}: ${summary}`);
    seen.set(key, summary);
    return tr;
  });
  lastStates = seen;
  $('files').tBodies[0].replaceChildren(...rows);
  if (changes.length > 0) announce(changes.join('; '));
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

const filePath = (kind, f) => `/tenant/${encodeURIComponent(identity.tenant)}/${kind}/${encodeURIComponent(f.dataset)}/${encodeURIComponent(f.name)}`;

async function showReasons(f) {
  try {
    const r = await api(`${filePath('rejections', f)}?limit=100`);
    $('reasons-title').textContent = `Rejected rows of ${f.name}`;
    $('reasons-note').textContent = r.truncated ? `The first ${r.rows.length} rows; download the quarantine for all of them.` : `${r.rows.length} rows.`;
    $('reasons-table').tBodies[0].replaceChildren(
      ...r.rows.map((row) => {
        const tr = document.createElement('tr');
        cell(tr, String(row.record), 'num');
        cell(tr, row.rule);
        cell(tr, row.field === null ? '' : row.field);
        cell(tr, row.reason);
        return tr;
      }),
    );
    $('reasons').hidden = false;
    $('reasons-title').focus();
  } catch (err) {
    announce(`Cannot show the rejected rows of ${f.name}: ${err.message}`);
  }
}

async function downloadQuarantine(f) {
  try {
    const res = await fetch(filePath('quarantine', f), { headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` } });
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${f.name}.rejected.jsonl`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(`Downloaded ${a.download}.`);
  } catch (err) {
    announce(`Cannot download the rejected rows of ${f.name}: ${err.message}`);
  }
}

function renderOverview(view) {
  const json = JSON.stringify(view);
  if (json === lastRendered) return;
  lastRendered = json;
  $('operator-log-status').textContent = view.ingestion_log.available ? '' : `Ingestion figures unavailable: ${view.ingestion_log.error}`;
  const p = view.platform;
  const totals = document.createElement('tr');
  for (const [text, cls] of p === null
    ? [['–'], ['–'], ['–'], ['–'], ['–'], ['–'], ['–'], ['–']]
    : [[num(p.files), 'num'], [num(p.files_failed), 'num'], [num(p.rows_ok), 'num'], [num(p.rows_rejected), 'num'], [num(p.rows_deduplicated), 'num'], [num(p.bytes), 'num'], [num(p.rows_per_second), 'num'], [duration(p.p95_file_ms), 'num']]) {
    cell(totals, text, cls);
  }
  $('totals').tBodies[0].replaceChildren(totals);
  $('tenants').tBodies[0].replaceChildren(
    ...view.tenants.map((t) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = t.client;
      tr.appendChild(th);
      cell(tr, num(t.staging.waiting), 'num');
      cell(tr, num(t.staging.processing), 'num');
      const f = t.figures;
      for (const key of ['files', 'files_failed', 'rows_ok', 'rows_rejected', 'rows_deduplicated', 'bytes', 'rows_per_second']) cell(tr, f === null ? '–' : num(f[key]), 'num');
      return tr;
    }),
  );
  $('decisions-status').textContent = view.decisions.available ? (view.decisions.recent.length === 0 ? 'No decisions yet.' : '') : `Decisions unavailable: ${view.decisions.error}`;
  $('decisions').tBodies[0].replaceChildren(
    ...view.decisions.recent.map((d) => {
      const tr = document.createElement('tr');
      cell(tr, d.time);
      cell(tr, d.tenant);
      cell(tr, d.dataset);
      cell(tr, String(d.action).replace('_', ' '));
      cell(tr, d.from === d.to ? String(d.to) : `${d.from} → ${d.to}`);
      cell(tr, d.outcome + (d.error ? `: ${d.error}` : ''));
      cell(tr, d.reason);
      return tr;
    }),
  );
}

// ---- upload -------------------------------------------------------------------------------------

function upload(event) {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) return;
  const progress = $('upload-progress');
  const result = $('upload-result');
  const setProgress = (pct) => {
    progress.value = pct;
    progress.textContent = `${pct}%`;
    $('upload-percent').textContent = `${pct}%`;
  };
  setProgress(0);
  result.className = '';
  result.textContent = '';
  $('upload-button').disabled = true;
  const form = new FormData();
  form.append('file', file, file.name);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', `/upload-file/${encodeURIComponent(identity.tenant)}?dataset=${encodeURIComponent($('dataset').value)}`);
  xhr.setRequestHeader('authorization', `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`);
  xhr.upload.addEventListener('progress', (e) => {
    if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
  });
  xhr.addEventListener('load', () => {
    $('upload-button').disabled = false;
    let body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      // not JSON: reported by status below
    }
    if (xhr.status === 201) {
      setProgress(100);
      result.textContent = `Uploaded ${body.file} (${num(body.bytes)} bytes${body.encrypted ? ', encrypted at rest' : ''}): waiting for ingestion.`;
      $('upload-form').reset();
      showLimits();
      void refresh();
    } else {
      result.className = 'failed';
      result.textContent = body && body.error ? `${body.error.message} (HTTP ${xhr.status})` : `HTTP ${xhr.status}`;
    }
  });
  xhr.addEventListener('error', () => {
    $('upload-button').disabled = false;
    result.className = 'failed';
    result.textContent = 'The upload was interrupted (network error).';
  });
  xhr.send(form);
}

// ---- start --------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void signIn($('token').value.trim());
  });
  $('sign-out').addEventListener('click', signOut);
  $('upload-form').addEventListener('submit', upload);
  $('dataset').addEventListener('change', showLimits);
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) void signIn(saved);
});
