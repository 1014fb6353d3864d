// Kring consultation-hour console for hosts (peer experts, professionals) and admins: today's and
// the coming sessions, dropping in to the group room, the one-to-one queue with risk markers
// (live), taking the next member, the private talk, handing it over, ending it with signposting;
// admins also plan sessions. All text is rendered with textContent. The staff token lives in
// sessionStorage (gone when the tab closes), never in a URL.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {
  user: null, community: null, sessions: [], selected: null,
  socket: null, attempts: 0, pending: new Map(), nextId: 1, inGroup: null, talk: null, seen: new Set(),
};
const SEVERITY_NL = { imminent: 'acuut gevaar', high: 'hoog risico', medium: 'zorg', low: 'laag', none: '' };
const STATE_NL = { open: 'open', waiting: 'begint zo', closed: 'gesloten' };
const ERRORS_NL = {
  login_failed: 'E-mailadres, wachtwoord of code klopt niet.', totp_required: 'Vul ook de code uit je authenticator-app in.',
  conflict: 'Er wacht niemand meer, of een collega was je voor.', forbidden: 'Dat mag jouw rol niet.',
  unavailable: 'Kring is even niet bereikbaar.', bad_request: 'Controleer wat je hebt ingevuld.', not_found: 'Niet (meer) gevonden.',
};
const explain = (err) => ERRORS_NL[err.code] || 'Er ging iets mis. Probeer het opnieuw.';
const time = (iso) => new Date(iso).toLocaleString('nl-NL', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit',
  minute: '2-digit', timeZone: 'Europe/Amsterdam' });

/* global staffSession, el, vraagbaakStaff */
const api = (path, options) => staffSession.api(path, options);

function fail(err) { $('action-error').textContent = explain(err); }

// ---- signing in (staff.js) --------------------------------------------------------------

function stopLive() {
  if (state.socket) state.socket.close();
  state.socket = null;
}

async function start(user) {
  state.user = user;
  let slugs = user.communities || [];
  if (user.allCommunities) slugs = (await api('/admin/communities')).communities.map((c) => c.slug);
  $('community').replaceChildren(...slugs.map((s) => { const o = el('option', s); o.value = s; return o; }));
  $('schedule').hidden = user.role !== 'admin';
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  $('logout').hidden = false;
  if (slugs.length) await chooseCommunity(slugs[0]);
  vraagbaakStaff.answerer();   // the VraagBaak questions assigned to me (vraagbaak-staff.js)
  connect();
}

$('community').addEventListener('change', () => chooseCommunity($('community').value));

async function chooseCommunity(slug) {
  state.community = slug;
  await loadSessions();
}

// ---- sessions -------------------------------------------------------------------------------

async function loadSessions() {
  state.sessions = (await api('/communities/' + encodeURIComponent(state.community) + '/spreekuren')).spreekuren;
  $('sessions-empty').hidden = state.sessions.length > 0;
  $('sessions').replaceChildren(...state.sessions.map((s) => {
    const button = el('button', s.topic + ' — ' + STATE_NL[s.state] + (s.session ? ', ' + time(s.session.start) : ''));
    button.type = 'button';
    button.setAttribute('aria-current', String(state.selected && state.selected.spreekuur === s.spreekuur));
    button.addEventListener('click', () => select(s.spreekuur));
    const li = el('li');
    li.append(button);
    return li;
  }));
  const keep = state.selected && state.sessions.find((s) => s.spreekuur === state.selected.spreekuur);
  const first = keep || state.sessions.find((s) => s.state === 'open') || state.sessions[0];
  if (first) await select(first.spreekuur);
}

async function select(id) {
  const s = state.sessions.find((x) => x.spreekuur === id);
  if (!s) return;
  state.selected = s;
  for (const b of $('sessions').querySelectorAll('button')) b.setAttribute('aria-current', 'false');
  const index = state.sessions.indexOf(s);
  const current = $('sessions').querySelectorAll('button')[index];
  if (current) current.setAttribute('aria-current', 'true');
  $('session').hidden = false;
  $('session-title').textContent = s.topic;
  $('session-meta').textContent = 'Spreekuur ' + STATE_NL[s.state] + (s.session ? ': ' + time(s.session.start) + ' tot '
    + time(s.session.end) : '') + (s.oneToOne ? '' : ' (geen een-op-een gesprekken)');
  showPresent(s.hosts);
  $('take').hidden = !s.oneToOne;
  await loadQueue();
}

function showPresent(hosts) {
  $('present').textContent = hosts.length ? 'Aanwezig: ' + hosts.map((h) => h.displayName).join(', ') : 'Nog niemand aanwezig.';
  const me = state.user && state.user.id;
  const others = hosts.filter((h) => h.id !== me && h.role !== 'moderator');
  $('transfer-to').replaceChildren(...others.map((h) => { const o = el('option', h.displayName); o.value = h.id; return o; }));
  $('transfer').disabled = others.length === 0;
}

$('schedule-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('schedule-error').textContent = '';
  try {
    await api('/admin/communities/' + encodeURIComponent(state.community) + '/spreekuren', { method: 'POST', body: {
      topic: $('s-topic').value.trim(), firstDay: $('s-day').value, start: $('s-start').value,
      durationMinutes: Number($('s-minutes').value), weekly: $('s-weekly').checked, oneToOne: $('s-one').checked,
    } });
    $('schedule-form').reset();
    await loadSessions();
  } catch (err) { $('schedule-error').textContent = explain(err); }
});

// ---- drop-in and the queue ------------------------------------------------------------------

$('drop-in').addEventListener('click', async () => {
  try {
    const data = await request('join', { room: state.selected.room });
    state.inGroup = state.selected.room;
    if (data.spreekuur) showPresent(data.spreekuur.hosts);
    $('drop-in').hidden = true;
    $('drop-out').hidden = false;
  } catch (err) { fail(err); }
});

$('drop-out').addEventListener('click', async () => {
  try { await request('leave', { room: state.inGroup }); } catch (err) { /* gone anyway */ }
  state.inGroup = null;
  $('drop-in').hidden = false;
  $('drop-out').hidden = true;
});

async function loadQueue() {
  if (!state.selected || !state.selected.oneToOne) { $('queue').replaceChildren(); return; }
  showQueue(await api('/spreekuren/' + state.selected.spreekuur + '/queue'));
}

function showQueue(q) {
  $('queue-count').textContent = '(' + q.waiting.length + ')';
  $('queue-meta').textContent = 'Gesprekken bezig: ' + q.talksRunning + '. Gastheren aanwezig: ' + q.hostsPresent
    + '. Een gesprek duurt meestal ' + q.typicalTalkMinutes + ' minuten.';
  $('queue').replaceChildren(...q.waiting.map((w) => {
    const li = el('li', null, 'sev-' + w.severity);
    if (SEVERITY_NL[w.severity]) li.append(el('span', SEVERITY_NL[w.severity], 'tag'));
    li.append(el('span', w.position + '. ' + w.member.pseudonym + ' wacht sinds '
      + new Date(w.since).toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' })));
    if (w.topic) li.append(el('span', w.topic, 'preview'));
    return li;
  }));
  $('take').disabled = q.waiting.length === 0;
}

$('take').addEventListener('click', async () => {
  $('action-error').textContent = '';
  try {
    const { talk } = await api('/spreekuren/' + state.selected.spreekuur + '/take', { method: 'POST' });
    await openTalk(talk);
  } catch (err) { fail(err); }
});

// ---- the talk -------------------------------------------------------------------------------

async function openTalk(talk) {
  if (state.talk && state.talk.id === talk.id) { showTalk(talk, null); return; }
  state.talk = talk;
  state.seen = new Set();
  $('talk').hidden = false;
  $('talk-messages').replaceChildren();
  showTalk(talk, null);
  const joined = await request('join', { room: talk.room });
  const history = await request('history', { room: talk.room, limit: 100 });
  history.messages.forEach(showMessage);
  if (joined.readOnly) $('talk-form').hidden = true;
}

function showTalk(talk, note) {
  const who = talk.member ? talk.member.pseudonym : '';
  $('talk-title').textContent = 'Gesprek met ' + who;
  $('talk-meta').textContent = (note ? note + ' ' : '') + (talk.topic ? 'Vraag: ' + talk.topic + '. ' : '')
    + (talk.severity && SEVERITY_NL[talk.severity] ? 'Risico: ' + SEVERITY_NL[talk.severity] + '.' : '');
  $('talk-form').hidden = talk.state === 'ended';
  $('transfer').hidden = talk.state === 'ended';
  $('end').hidden = talk.state === 'ended';
}

function showMessage(m) {
  if (!state.talk || m.room !== state.talk.room || state.seen.has(m.seq)) return;
  state.seen.add(m.seq);
  const li = el('li', m.author.pseudonym + ': ' + m.body);
  li.dataset.seq = m.seq;
  $('talk-messages').append(li);
}

$('talk-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = $('talk-text').value;
  if (!body.trim() || !state.talk) return;
  try {
    await request('send', { room: state.talk.room, clientMsgId: 'h-' + Date.now() + '-' + Math.random().toString(36).slice(2, 8), body });
    $('talk-text').value = '';
  } catch (err) { fail(err); }
});

$('transfer').addEventListener('click', async () => {
  if (!state.talk || !$('transfer-to').value) return;
  try {
    await api('/talks/' + state.talk.id + '/transfer', { method: 'POST', body: { to: $('transfer-to').value } });
  } catch (err) { fail(err); }
});

$('end').addEventListener('click', async () => {
  if (!state.talk) return;
  try {
    const { talk } = await api('/talks/' + state.talk.id + '/end', { method: 'POST', body: { signpost: $('signpost').value } });
    state.talk = talk;
    showTalk(talk, 'Het gesprek is afgesloten.');
  } catch (err) { fail(err); }
});

// ---- live -------------------------------------------------------------------------------------

async function connect() {
  if (!staffSession.token) return;
  try {
    const { ticket } = await api('/ws-ticket', { method: 'POST' });
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?ticket='
      + encodeURIComponent(ticket));
    state.socket = socket;
    socket.addEventListener('open', () => {
      state.attempts = 0;
      $('status').textContent = 'Verbonden, live';
      if (state.inGroup) request('join', { room: state.inGroup }).catch(() => {});
      if (state.talk) request('join', { room: state.talk.room }).catch(() => {});
    });
    socket.addEventListener('message', (e) => onFrame(JSON.parse(e.data)));
    socket.addEventListener('close', (e) => {
      $('status').textContent = 'Verbinding weg, opnieuw verbinden…';
      for (const p of state.pending.values()) p.reject(Object.assign(new Error('closed'), { code: 'unavailable' }));
      state.pending.clear();
      if (state.socket === socket && staffSession.token && e.code !== 4500 && e.code !== 4503) retry();
    });
  } catch (err) { retry(); }
}

function retry() {
  const delay = Math.min(30000, 500 * 2 ** state.attempts++) * (0.5 + Math.random() / 2);
  setTimeout(async () => { if (state.community) await loadSessions().catch(() => {}); connect(); }, delay);
}

function request(type, fields) {
  return new Promise((resolve, reject) => {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN) {
      reject(Object.assign(new Error('offline'), { code: 'unavailable' }));
      return;
    }
    const id = 's' + state.nextId++;
    state.pending.set(id, { resolve, reject });
    state.socket.send(JSON.stringify({ ...fields, type, id }));
  });
}

function onFrame(f) {
  if (f.type === 'reply') {
    const p = state.pending.get(f.id);
    if (!p) return;
    state.pending.delete(f.id);
    if (f.ok) p.resolve(f.data); else p.reject(Object.assign(new Error(f.error.message), { code: f.error.code }));
  } else if (f.type === 'message') {
    showMessage(f);
  } else if (f.type === 'spreekuurQueue') {
    if (state.selected && f.spreekuur === state.selected.spreekuur) showQueue(f);
  } else if (f.type === 'hosts') {
    if (state.selected && f.spreekuur === state.selected.spreekuur) showPresent(f.hosts);
  } else if (f.type === 'spreekuur') {
    loadSessions().catch(() => {});
  } else if (f.type === 'talk') {
    onTalk(f).catch(fail);
  }
}

async function onTalk(f) {
  if (f.state === 'started') {
    await openTalk(f.talk);
    if (f.from) showTalk(f.talk, 'Overgedragen door ' + f.from.displayName + '.');
  } else if (f.state === 'handed_over' && state.talk && f.talk.id === state.talk.id) {
    state.talk = { ...f.talk, state: 'ended' };
    showTalk(state.talk, 'Overgedragen aan ' + f.talk.host.displayName + '.');
  } else if (f.state === 'ended' && state.talk && f.talk.id === state.talk.id) {
    state.talk = f.talk;
    showTalk(f.talk, 'Het gesprek is afgesloten.');
  }
}

staffSession.init(start, stopLive, explain);
