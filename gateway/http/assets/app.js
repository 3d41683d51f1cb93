// The crew page: one small script, no libraries, no external assets. It reads
// GET /api/overview and the event stream /api/events, and runs the daemon's
// commands with POST /api/<command> (the MQTT API's commands, docs/mqtt-api.md).
'use strict';

const state = { session: null, overview: null, areas: {}, luminaires: {}, alarms: null, events: null };
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const ns = ['svg', 'circle', 'line', 'polyline', 'text', 'g', 'title', 'rect'].includes(tag)
    ? 'http://www.w3.org/2000/svg' : null;
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function api(method, path, body) {
  const headers = {};
  if (method === 'POST') {
    headers['Content-Type'] = 'application/json';
    if (state.session) headers['X-Lykta-CSRF'] = state.session.csrf;
  }
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                credentials: 'same-origin' });
  const data = await r.json().catch(() => ({}));
  if (r.status === 401 && path !== '/api/login') { showLogin(); throw new Error('log in first'); }
  return { http: r.status, ...data };
}

async function command(name, args) {
  const answer = await api('POST', '/api/' + name, args);
  if (answer.status !== 'ok') throw new Error((answer.error && answer.error.message) || 'failed');
  return answer.data;
}

const may = (c) => state.session && state.session.commands.includes(c);
const pct = (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(0) + ' %');

function lumClass(s) {
  if (!s) return 'state-unavailable';
  if (s.lamp_failure || s.gear_failure) return 'state-failed';
  if (!s.available) return 'state-unavailable';
  return s.level > 0 ? 'state-ok' : 'state-off';
}

// ---- login ------------------------------------------------------------------
function showLogin() {
  if (state.events) { state.events.close(); state.events = null; }
  state.session = null;
  $('#nav').hidden = true;
  $('#page').replaceChildren();
  $('#login').hidden = false;
  $('#user').focus();
}

$('#login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('#login-error').textContent = '';
  $('#login-submit').disabled = true;
  try {
    const a = await api('POST', '/api/login', { user: $('#user').value, password: $('#password').value });
    if (a.http !== 200) { $('#login-error').textContent = (a.error && a.error.message) || 'refused'; return; }
    $('#password').value = '';
    started(a);
  } finally { $('#login-submit').disabled = false; }
});

$('#logout').addEventListener('click', async () => { await api('POST', '/api/logout', {}); showLogin(); });

function started(session) {
  state.session = session;
  $('#login').hidden = true;
  $('#nav').hidden = false;
  $('#who').textContent = session.user + ' (' + session.role + ')';
  $('#title').textContent = 'Lykta · ' + (session.gateway.name || session.gateway.id);
  listen();
  if (!location.hash || location.hash === '#/') location.hash = '#/overview'; else render();
}

// ---- live state ---------------------------------------------------------------
function take(overview) {
  state.overview = overview;
  for (const a of overview.areas) state.areas[a.id] = a.state;
  for (const l of overview.luminaires) state.luminaires[l.id] = l.state;
  state.alarms = overview.alarms;
}

function listen() {
  const es = new EventSource('/api/events');
  state.events = es;
  es.addEventListener('open', () => $('#live').classList.add('on'));
  es.addEventListener('error', () => $('#live').classList.remove('on'));
  es.addEventListener('overview', (m) => { take(JSON.parse(m.data)); render(); });
  let queued = false;
  es.addEventListener('state', (m) => {
    const { topic, payload } = JSON.parse(m.data);
    const [kind, id] = topic.split('/');
    if (kind === 'area') state.areas[id] = payload;
    else if (kind === 'luminaire') state.luminaires[id] = payload;
    else if (topic === 'alarms') state.alarms = payload;
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; refresh(); }); }
  });
}

// Pages that show live state redraw on updates; forms keep their input.
function refresh() {
  const page = route().page;
  if (page === 'overview') render();
  else if (page === 'faults') loadFaults();
  else if (page === 'luminaire') showLuminaireState();
}

// ---- routing ------------------------------------------------------------------
function route() {
  const [, page, arg] = (location.hash || '#/overview').split('/');
  return { page: page || 'overview', arg: arg ? decodeURIComponent(arg) : null };
}
window.addEventListener('hashchange', () => state.session && render());

function render() {
  if (!state.session) return;
  const { page, arg } = route();
  if (page === 'faults') return renderFaults();
  if (page === 'luminaire') return renderLuminaire(arg);
  if (page === 'stats') return renderStats();
  renderOverview();
}

// ---- overview -----------------------------------------------------------------
function renderOverview() {
  if (!state.overview) return;
  const rows = state.overview.areas.map((a) => {
    const s = state.areas[a.id] || {};
    const flag = s.safety ? el('span', { class: 'badge safety' }, s.safety.reason || s.safety.source || 'safety') : '–';
    return el('tr', { 'data-area': a.id }, el('td', {}, a.name), el('td', {}, pct(s.level)), el('td', {}, s.mode || '–'),
              el('td', {}, flag), el('td', { class: s.failed ? 'error' : '' }, s.failed ?? '–'),
              el('td', {}, s.luminaires ?? '–'));
  });
  $('#page').replaceChildren(
    el('h1', {}, 'Overview'),
    el('table', { id: 'areas' }, el('thead', {}, el('tr', {}, ['Area', 'Level', 'Mode', 'Safety flag', 'Faults', 'Luminaires'].map((h) => el('th', {}, h)))),
       el('tbody', {}, rows)),
    el('h2', {}, 'Map'), mapSvg(),
    el('p', { class: 'legend' }, [['ok', 'lit'], ['off', 'off'], ['failed', 'failed'], ['unavailable', 'no answer']].map(
      ([c, t]) => el('span', {}, el('i', { class: 'state-' + c, style: null }), t))),
    el('p', {}, (state.alarms ? state.alarms.total : 0) + ' active fault(s) · ', el('a', { href: '#/faults' }, 'faults')));
}

// Luminaires at their configured lat/lon, projected equirectangularly (a
// street is far too small for the projection to matter); those without a
// location are lined up under the map.
function mapSvg() {
  const lums = state.overview.luminaires;
  const placed = lums.filter((l) => l.location);
  const W = 800, H = 500, pad = 20;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const proj = (l) => [l.location.lon * Math.cos((l.location.lat * Math.PI) / 180), l.location.lat];
  for (const l of placed) { const [x, y] = proj(l); minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  const span = Math.max(maxX - minX, maxY - minY, 1e-6);
  const scale = Math.min((W - 2 * pad) / span, (H - 2 * pad - 40) / span);
  const r = Math.max(2, Math.min(8, 400 / Math.sqrt(lums.length + 1)));
  const dots = [];
  let unplaced = 0;
  for (const l of lums) {
    let cx, cy;
    if (l.location) { const [x, y] = proj(l); cx = pad + (x - minX) * scale; cy = H - 40 - pad - (y - minY) * scale; }
    else { cx = pad + (unplaced % 60) * 12; cy = H - 20 + Math.floor(unplaced / 60) * 12; unplaced++; }
    dots.push(el('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r, class: lumClass(state.luminaires[l.id]),
                             'data-luminaire': l.id, onclick: () => { location.hash = '#/luminaire/' + encodeURIComponent(l.id); } },
                 el('title', {}, l.id + (l.location && l.location.street ? ' · ' + l.location.street : ''))));
  }
  return el('svg', { id: 'map', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'map of the luminaires' }, dots);
}

// ---- faults -------------------------------------------------------------------
function renderFaults() {
  $('#page').replaceChildren(
    el('h1', {}, 'Faults'),
    el('h2', {}, 'Needs attention'), el('table', { id: 'faults-active' }),
    el('h2', {}, 'Acknowledged, still active'), el('table', { id: 'faults-acknowledged' }),
    el('h2', {}, 'History'), el('table', { id: 'faults-history' }), ackDialog());
  loadFaults();
}

function faultRow(f, withAck) {
  const where = f.location && f.location.street ? ' · ' + f.location.street : '';
  const target = f.target.startsWith('luminaire/')
    ? el('a', { href: '#/luminaire/' + encodeURIComponent(f.target.slice(10)) }, f.target.slice(10)) : f.target;
  return el('tr', { 'data-fault': f.id }, el('td', {}, f.id), el('td', {}, el('span', { class: 'badge ' + f.severity }, f.severity), ' ', f.kind),
            el('td', {}, target, where), el('td', {}, f.area || '–'), el('td', {}, new Date(f.since).toLocaleString()),
            el('td', {}, f.cleared ? 'cleared ' + new Date(f.cleared).toLocaleString()
                         : f.acknowledged ? (f.acknowledged_by || '') + (f.note ? ': ' + f.note : '') : f.detail || ''),
            el('td', {}, withAck && may('faults/ack') ? el('button', { class: 'ack', type: 'button', onclick: () => openAck(f) }, 'Acknowledge') : null));
}

let faultsLoading = false;
async function loadFaults() {
  if (faultsLoading || !$('#faults-active')) return;
  faultsLoading = true;
  try {
    const [active, history] = await Promise.all([command('faults/list', { active_only: true }),
                                                 command('faults/list', { active_only: false, limit: 50 })]);
    const head = el('thead', {}, el('tr', {}, ['Id', 'Kind', 'Where', 'Area', 'Since', '', ''].map((h) => el('th', {}, h))));
    const fill = (sel, list, ack) => { const t = $(sel); if (t) t.replaceChildren(head.cloneNode(true), el('tbody', {}, list.map((f) => faultRow(f, ack)))); };
    fill('#faults-active', active.faults.filter((f) => !f.acknowledged), true);
    fill('#faults-acknowledged', active.faults.filter((f) => f.acknowledged), false);
    fill('#faults-history', history.faults.filter((f) => f.cleared), false);
  } finally { faultsLoading = false; }
}

function ackDialog() {
  return el('dialog', { id: 'ack-dialog' },
    el('form', { method: 'dialog', onsubmit: submitAck },
      el('h2', { id: 'ack-title' }, 'Acknowledge'),
      el('label', {}, 'Your name ', el('input', { id: 'ack-by', required: true, maxlength: 200 })),
      el('label', {}, 'Note ', el('textarea', { id: 'ack-note', maxlength: 2000, rows: 3 })),
      el('p', { id: 'ack-error', class: 'error' }),
      el('button', { id: 'ack-submit', type: 'submit' }, 'Acknowledge'), ' ',
      el('button', { type: 'button', onclick: () => $('#ack-dialog').close() }, 'Cancel')));
}

let acking = null;
function openAck(f) {
  acking = f;
  $('#ack-title').textContent = 'Acknowledge ' + f.id + ' (' + f.kind + ')';
  $('#ack-by').value = state.session.user;
  $('#ack-error').textContent = '';
  $('#ack-dialog').showModal();
}

async function submitAck(ev) {
  ev.preventDefault();
  try {
    await command('faults/ack', { fault: acking.id, by: $('#ack-by').value, note: $('#ack-note').value });
    $('#ack-dialog').close();
    loadFaults();
  } catch (e) { $('#ack-error').textContent = e.message; }
}

// ---- one luminaire --------------------------------------------------------------
function renderLuminaire(id) {
  const conf = state.overview && state.overview.luminaires.find((l) => l.id === id);
  const controls = [];
  if (may('luminaire/identify'))
    controls.push(el('button', { id: 'identify', type: 'button', onclick: () => act(command('luminaire/identify', { luminaire: id, seconds: 30 }), 'blinking for 30 s') }, 'Identify (blink 30 s)'));
  if (may('luminaire/set'))
    controls.push(el('form', { id: 'override', onsubmit: (ev) => { ev.preventDefault();
      act(command('luminaire/set', { luminaire: id, level: Number($('#override-level').value), duration_s: Number($('#override-minutes').value) * 60 }), 'override set'); } },
      el('h2', {}, 'Maintenance override'),
      el('label', {}, 'Level % ', el('input', { id: 'override-level', type: 'number', min: 0, max: 100, value: 100, required: true })), ' ',
      el('label', {}, 'for minutes ', el('input', { id: 'override-minutes', type: 'number', min: 1, max: 1440, value: 60, required: true })), ' ',
      el('button', { id: 'override-set', type: 'submit' }, 'Set'), ' ',
      may('override/clear') ? el('button', { id: 'override-clear', type: 'button', onclick: () => act(command('override/clear', { luminaire: id }), 'override cleared') }, 'Clear') : null));
  $('#page').replaceChildren(
    el('h1', {}, 'Luminaire ', id),
    el('dl', { id: 'luminaire' },
      el('dt', {}, 'Area'), el('dd', {}, conf ? conf.area : '–'),
      el('dt', {}, 'Where'), el('dd', {}, conf && conf.location ? conf.location.street + ' (' + conf.location.lat + ', ' + conf.location.lon + ')' : '–'),
      el('dt', {}, 'Bus / address'), el('dd', {}, conf ? conf.bus + ' / ' + conf.address : '–'),
      el('dt', {}, 'Level'), el('dd', { id: 'lum-level' }),
      el('dt', {}, 'Target'), el('dd', { id: 'lum-target' }),
      el('dt', {}, 'State'), el('dd', { id: 'lum-state' }),
      el('dt', {}, 'Why'), el('dd', { id: 'lum-reason' }, '…'),
      el('dt', {}, 'Identity'), el('dd', { id: 'lum-identity' }, '…')),
    ...controls, el('p', { id: 'lum-message' }));
  showLuminaireState();
  command('explain', { luminaire: id }).then((d) => {
    const r = d.reason || {};
    $('#lum-reason').textContent = [r.source, r.detail, r.until ? 'until ' + r.until : null].filter(Boolean).join(' · ');
  }).catch((e) => { $('#lum-reason').textContent = e.message; });
  command('inventory/get', { luminaire: id }).then((d) => {
    const rec = d.inventory[0] || {};
    $('#lum-identity').textContent = rec.gtin
      ? `GTIN ${rec.gtin} · serial ${rec.identification} · firmware ${rec.firmware}` : 'not read yet';
  }).catch((e) => { $('#lum-identity').textContent = e.message; });
}

function showLuminaireState() {
  const s = state.luminaires[route().arg];
  if (!$('#lum-level')) return;
  $('#lum-level').textContent = s ? pct(s.level) : '–';
  $('#lum-target').textContent = s ? pct(s.target) : '–';
  $('#lum-state').textContent = !s ? 'unknown' : s.lamp_failure ? 'lamp failure' : s.gear_failure ? 'gear failure' : s.available ? 'ok' : 'not answering';
}

async function act(promise, done) {
  try { await promise; $('#lum-message').textContent = done; } catch (e) { $('#lum-message').textContent = e.message; }
}

// ---- statistics: the figures of `lyktactl report stats`, plotted here -------------------
const charts = [['energy_kwh', 'Energy', 'kWh'], ['safety_hours', 'Hours under the safety profile', 'h'],
                ['availability_flagged_pct', 'Luminaire availability during flagged hours', '%'],
                ['lit_hours', 'Lit hours', 'h'], ['faults_raised', 'Faults raised', '']];
const columns = ['lit_hours', 'safety_hours', 'flagged_hours', 'burn_hours', 'energy_kwh', 'energy_source', 'estimated_kwh',
                 'metered_kwh', 'safety_extra_kwh', 'availability_flagged_pct', 'faults_raised', 'repairs', 'mttr_hours'];
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

function renderStats() {
  const today = new Date();
  const from = new Date(today.getTime() - 29 * 86400e3);
  const day = (d) => d.toISOString().slice(0, 10);
  $('#page').replaceChildren(
    el('h1', {}, 'Statistics'),
    el('form', { id: 'stats-form', onsubmit: (ev) => { ev.preventDefault(); loadStats(); } },
      el('label', {}, 'From ', el('input', { id: 'stats-from', type: 'date', value: day(from) })), ' ',
      el('label', {}, 'to ', el('input', { id: 'stats-to', type: 'date', value: day(today) })), ' ',
      el('select', { id: 'stats-granularity' }, el('option', { value: 'day' }, 'per day'), el('option', { value: 'month' }, 'per month')), ' ',
      el('button', { type: 'submit' }, 'Show')),
    el('div', { id: 'stats' }));
  loadStats();
}

async function loadStats() {
  const out = $('#stats');
  try {
    const d = await command('report/get', { from: $('#stats-from').value, to: $('#stats-to').value, granularity: $('#stats-granularity').value });
    out.replaceChildren(
      el('p', {}, `${d.from} – ${d.to}, per ${d.granularity}, ${d.timezone}`),
      el('table', { id: 'stats-totals' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Area'), columns.map((c) => el('th', {}, c.replace(/_/g, ' '))))),
        el('tbody', {}, d.areas.map((a) => el('tr', { 'data-area': a.area }, el('td', {}, a.area),
          columns.map((c) => el('td', {}, a.total[c] === null || a.total[c] === undefined ? '' : a.total[c])))))),
      el('div', { class: 'charts' }, charts.map((c) => chart(d.areas, c))));
  } catch (e) { out.replaceChildren(el('p', { class: 'error' }, e.message)); }
}

// One line per area over the periods; missing figures break the line (as lyktactl's HTML report).
function chart(areas, [key, title, unit]) {
  const W = 640, H = 220, L = 56, R = 12, T = 12, B = 40;
  const n = Math.max(1, ...areas.map((a) => a.series.length));
  let max = 0;
  for (const a of areas) for (const p of a.series) if (typeof p[key] === 'number') max = Math.max(max, p[key]);
  if (max <= 0) max = 1;
  const x = (i) => L + (n <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const lines = [];
  areas.forEach((a, k) => {
    let pts = [];
    const flush = () => { if (pts.length) lines.push(el('polyline', { points: pts.join(' '), fill: 'none', stroke: palette[k % palette.length], 'stroke-width': 2 })); pts = []; };
    a.series.forEach((p, i) => { if (p.recorded && typeof p[key] === 'number') pts.push(x(i).toFixed(1) + ',' + y(p[key]).toFixed(1)); else flush(); });
    flush();
  });
  const first = areas[0] && areas[0].series[0], last = areas[0] && areas[0].series[areas[0].series.length - 1];
  return el('figure', {}, el('figcaption', {}, title + (unit ? ' (' + unit + ')' : '')),
    el('svg', { viewBox: `0 0 ${W} ${H}`, 'data-figure': key, role: 'img', 'aria-label': title },
      el('line', { x1: L, y1: y(0), x2: W - R, y2: y(0), stroke: '#555' }), el('line', { x1: L, y1: T, x2: L, y2: y(0), stroke: '#555' }),
      el('text', { x: L - 4, y: T + 4, 'font-size': 11, 'text-anchor': 'end' }, max.toFixed(max < 10 ? 1 : 0)),
      el('text', { x: L - 4, y: y(0), 'font-size': 11, 'text-anchor': 'end' }, '0'),
      first ? el('text', { x: L, y: H - B + 16, 'font-size': 11 }, first.period) : null,
      last ? el('text', { x: W - R, y: H - B + 16, 'font-size': 11, 'text-anchor': 'end' }, last.period) : null,
      lines,
      areas.map((a, k) => el('text', { x: L + 8 + k * 110, y: H - 6, 'font-size': 11, fill: palette[k % palette.length] }, a.area))));
}

// ---- start ----------------------------------------------------------------------------
api('GET', '/api/session').then((s) => { if (s.http === 200) started(s); }).catch(() => {});
