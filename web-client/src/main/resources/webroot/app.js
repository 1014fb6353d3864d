// Kring browser client (first page): join, pick a room, chat live, page history.
// All user text is rendered with textContent. The token lives in localStorage, never in a URL.
'use strict';

const TOKEN_KEY = 'kring.token';
const OUTBOX_KEY = 'kring.outbox';

const $ = (id) => document.getElementById(id);
const state = {
  token: localStorage.getItem(TOKEN_KEY),
  user: null,
  socket: null,
  connected: false,
  attempts: 0,
  nextId: 1,
  pending: new Map(),          // request id -> resolve
  room: null,                  // current room id
  rooms: new Map(),            // room id -> {name, epoch, lastSeq, firstSeq}
  outbox: new Map(JSON.parse(localStorage.getItem(OUTBOX_KEY) || '[]')), // clientMsgId -> {room, body}
  retryTimer: null,
  waits: new Map(),            // spreekuur id -> the member's last wait event
};

function setStatus(text) { $('status').textContent = text; }
function saveOutbox() { localStorage.setItem(OUTBOX_KEY, JSON.stringify([...state.outbox])); }

/* global kringApi */
const api = (path, options) => kringApi(path, state.token, options);

const MESSAGES_NL = {
  invite_invalid: 'Deze uitnodigingscode werkt niet (meer).',
  pseudonym_taken: 'Deze schuilnaam is al in gebruik. Kies een andere.',
  bad_request: 'Controleer wat je hebt ingevuld.',
  rate_limited: 'Even te veel pogingen. Probeer het zo opnieuw.',
  login_failed: 'E-mailadres of wachtwoord klopt niet.',
  unavailable: 'Kring is even niet bereikbaar. Probeer het zo opnieuw.',
};
const explain = (err) => MESSAGES_NL[err.code] || 'Er ging iets mis. Probeer het opnieuw.';

// ---- signing in -------------------------------------------------------------------------

$('join-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('join-error').textContent = '';
  try {
    const data = await api('/auth/anonymous', { method: 'POST', body: {
      community: $('community').value.trim(), inviteCode: $('invite').value.trim(),
      pseudonym: $('pseudonym').value.trim(), ageBand: $('age').value } });
    signedIn(data);
  } catch (err) { $('join-error').textContent = explain(err); }
});

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    signedIn(await api('/auth/login', { method: 'POST', body: { email: $('email').value, password: $('password').value } }));
  } catch (err) { $('login-error').textContent = explain(err); }
});

$('logout').addEventListener('click', async () => {
  try { await api('/auth/logout', { method: 'POST' }); } catch (err) { /* signed out anyway */ }
  signOut();
});

function signedIn(data) {
  state.token = data.token;
  state.user = data.user;
  localStorage.setItem(TOKEN_KEY, data.token);
  showChat();
}

function signOut() {
  state.token = null;
  state.user = null;
  localStorage.removeItem(TOKEN_KEY);
  if (state.socket) state.socket.close(1000);
  $('chat-view').hidden = true;
  $('join-view').hidden = false;
  setStatus('Niet verbonden');
}

async function showChat() {
  $('join-view').hidden = true;
  $('chat-view').hidden = false;
  const { rooms } = await api('/rooms');
  const list = $('rooms');
  list.replaceChildren();
  for (const r of rooms) {
    if (!state.rooms.has(r.id)) state.rooms.set(r.id, { name: r.name, epoch: null, lastSeq: 0, firstSeq: null });
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = r.name;
    b.dataset.room = r.id;
    b.addEventListener('click', () => openRoom(r.id));
    li.append(b);
    list.append(li);
  }
  loadSpreekuren();
  connect();
}

function addRoomButton(id, name) {
  if (!state.rooms.has(id)) state.rooms.set(id, { name, epoch: null, lastSeq: 0, firstSeq: null });
  state.rooms.get(id).name = name;
  if (document.querySelector(`#rooms button[data-room="${CSS.escape(id)}"]`)) return;
  const li = document.createElement('li');
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = name;
  b.dataset.room = id;
  b.addEventListener('click', () => openRoom(id));
  li.append(b);
  $('rooms').append(li);
}

// ---- consultation hours (spreekuren) ------------------------------------------------------

const WHEN = { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' };

async function loadSpreekuren() {
  if (!state.user || !state.user.community) return;
  let list;
  try {
    list = (await api('/communities/' + encodeURIComponent(state.user.community) + '/spreekuren')).spreekuren;
  } catch (err) { return; }
  state.spreekuren = list;
  const box = $('spreekuren');
  box.replaceChildren();
  if (!list.length || !list.some((s) => s.state === 'open')) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = 'Er is nu geen spreekuur. Heb je nu hulp nodig? Kijk bij Hulp nodig.';
    box.append(p);
  }
  for (const s of list) {
    const div = document.createElement('div');
    div.className = 'spreekuur';
    const title = document.createElement('p');
    title.textContent = s.topic + ': ' + (s.state === 'open' ? 'nu open' : s.session
      ? new Date(s.session.start).toLocaleString('nl-NL', WHEN) : '');
    div.append(title);
    if (s.state !== 'closed') {
      addRoomButton(s.room, 'Spreekuur: ' + s.topic);
      const go = document.createElement('button');
      go.type = 'button';
      go.className = 'secondary';
      go.textContent = s.state === 'open' ? 'Naar de groep' : 'Wachten in de groep';
      go.addEventListener('click', () => openRoom(s.room));
      div.append(go);
    }
    if (s.state === 'open' && s.oneToOne) {
      const ask = document.createElement('button');
      ask.type = 'button';
      ask.textContent = 'Vraag een gesprek onder vier ogen';
      ask.dataset.spreekuur = s.spreekuur;
      ask.addEventListener('click', () => askForTalk(s.spreekuur));
      div.append(ask);
    }
    const wait = document.createElement('p');
    wait.id = 'wait-' + s.spreekuur;
    wait.setAttribute('role', 'status');
    div.append(wait);
    box.append(div);
  }
  for (const w of state.waits.values()) showWait(w);
}

async function askForTalk(id) {
  try {
    const place = await api('/spreekuren/' + encodeURIComponent(id) + '/queue', { method: 'POST', body: {} });
    showWait(place);
  } catch (err) {
    const line = document.getElementById('wait-' + id);
    if (line) line.textContent = explain(err);
  }
}

function showWait(w) {
  state.waits.set(w.spreekuur, w);
  const line = document.getElementById('wait-' + w.spreekuur);
  if (!line) return;   // drawn when the list is (re)loaded
  line.replaceChildren();
  if (w.state === 'waiting') {
    line.textContent = 'Je staat in de wachtrij: nummer ' + w.position + '. ' + (w.estimatedWaitMinutes === undefined
      ? 'Er is nog geen gespreksleider.' : 'Ongeveer ' + w.estimatedWaitMinutes + ' minuten.') + ' ';
    const leave = document.createElement('button');
    leave.type = 'button';
    leave.className = 'secondary';
    leave.textContent = 'Uit de wachtrij';
    leave.addEventListener('click', async () => {
      try { await api('/spreekuren/' + encodeURIComponent(w.spreekuur) + '/queue', { method: 'DELETE' }); } catch (err) { /* shown by the event */ }
      line.textContent = 'Je staat niet meer in de wachtrij.';
    });
    line.append(leave);
  } else if (w.state === 'closed') {
    line.textContent = 'Het spreekuur is voorbij.';
    if (w.closing) showCare(w.closing);
  } else if (w.state === 'left') {
    line.textContent = 'Je staat niet meer in de wachtrij.';
  }
}

function showHosts(hosts) {
  $('presence').textContent = hosts.length ? 'Aanwezig: ' + hosts.map((h) => h.displayName).join(', ') : 'Nog geen gespreksleider aanwezig.';
}

function onTalk(f) {
  const talk = f.talk;
  const name = 'Gesprek met ' + talk.host.displayName;
  if (f.state === 'started') {
    addRoomButton(talk.room, name);
    if (state.room !== talk.room) openRoom(talk.room);
    const line = document.getElementById('wait-' + talk.spreekuur);
    if (line) line.textContent = 'Je gesprek is begonnen.';
  } else if (f.state === 'transferred') {
    addRoomButton(talk.room, name);
    const b = document.querySelector(`#rooms button[data-room="${CSS.escape(talk.room)}"]`);
    if (b) b.textContent = name;
    if (state.room === talk.room) $('room-title').textContent = name;
    $('typing').textContent = 'Je praat nu met ' + talk.host.displayName + '.';
  } else if (f.state === 'ended') {
    if (f.text) showCare({ text: f.text, resources: f.resources });
    if (state.room === talk.room) $('compose').hidden = true;
    if (f.feedback && !talk.feedbackGiven) {
      state.feedbackTalk = talk.id;
      $('feedback').hidden = false;
    }
  }
}

$('feedback').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = { score: Number($('score').value) };
  if ($('comment').value.trim()) body.comment = $('comment').value.trim();
  try {
    await api('/talks/' + encodeURIComponent(state.feedbackTalk) + '/feedback', { method: 'POST', body });
    $('feedback').hidden = true;
  } catch (err) { /* keep the form; the member may try again */ }
});
$('feedback-skip').addEventListener('click', () => { $('feedback').hidden = true; });

// ---- the socket -------------------------------------------------------------------------

async function connect() {
  clearTimeout(state.retryTimer);
  if (!state.token) return;
  setStatus('Verbinden…');
  let ticket;
  try {
    ticket = (await api('/ws-ticket', { method: 'POST' })).ticket;
  } catch (err) {
    if (err.status === 401) { signOut(); return; }
    return scheduleReconnect();
  }
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${proto}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
  state.socket = socket;
  socket.addEventListener('message', (e) => handleFrame(JSON.parse(e.data)));
  socket.addEventListener('close', (e) => {
    state.connected = false;
    for (const resolve of state.pending.values()) resolve({ ok: false, error: { code: 'disconnected' } });
    state.pending.clear();
    if (state.socket !== socket) return;
    if (e.code === 4500) { signOut(); return; }
    if (e.code === 4501 || e.code === 4503) { setStatus('Verbinding verbroken. Laad de pagina opnieuw.'); return; }
    scheduleReconnect(e.code === 4029 ? 30000 : 0);
  });
}

function scheduleReconnect(minimum = 0) {
  state.attempts += 1;
  const backoff = Math.min(30000, 500 * 2 ** Math.min(state.attempts, 6));
  const delay = Math.max(minimum, backoff / 2 + Math.random() * backoff / 2);
  setStatus('Verbinding kwijt. Opnieuw verbinden…');
  state.retryTimer = setTimeout(connect, delay);
}

function request(type, fields) {
  return new Promise((resolve) => {
    if (!state.connected) { resolve({ ok: false, error: { code: 'disconnected' } }); return; }
    const id = 'r' + state.nextId++;
    state.pending.set(id, resolve);
    state.socket.send(JSON.stringify({ ...fields, type, id }));
  });
}

function handleFrame(f) {
  switch (f.type) {
    case 'welcome':
      state.connected = true;
      state.attempts = 0;
      state.user = f.user;
      setStatus('Verbonden als ' + f.user.pseudonym);
      if (state.room) {
        const room = state.room;
        // A room opened before the socket was up has no history yet: its live messages wait in
        // info.held until the first history page, so load it now, after the join.
        joinRoom(room).then(() => {
          const info = state.rooms.get(room);
          if (info && info.held && room === state.room) loadHistory(room);
        });
      }
      flushOutbox();
      break;
    case 'reply': {
      const resolve = state.pending.get(f.id);
      state.pending.delete(f.id);
      if (resolve) resolve(f);
      break;
    }
    case 'message': receive(f); break;
    case 'redacted': if (f.room === state.room) redact(f); break;
    case 'restored': {
      const li = document.querySelector(`#messages li[data-seq="${Number(f.seq)}"]`);
      if (li && f.room === state.room) li.replaceWith(render(f));
      break;
    }
    case 'coverage': if (f.room === state.room) showCoverage(f); break;
    case 'notice':
      // a moderator's decision about the member's message or account, with help that is open now;
      // once shown it is marked seen, so it is not sent again on the next connection
      showCare(f);
      api('/me/notices/' + encodeURIComponent(f.id) + '/seen', { method: 'POST' }).catch(() => {});
      break;
    case 'spreekuur':
      if (f.room === state.room && state.user && state.user.role === 'member') $('compose').hidden = f.state !== 'open';
      if (f.closing && f.room === state.room) showCare(f.closing);
      loadSpreekuren();
      break;
    case 'hosts': if (f.room === state.room) showHosts(f.hosts); break;
    case 'wait': showWait(f); break;
    case 'talk': onTalk(f); break;
    case 'reset': if (f.room === state.room) reload(f.room, f.epoch); break;
    case 'resumed': break;
    case 'presence': if (f.room === state.room) $('presence').textContent = f.online + ' online'; break;
    case 'typing':
      if (f.room === state.room) {
        $('typing').textContent = f.pseudonym + ' is aan het typen…';
        clearTimeout(state.typingTimer);
        state.typingTimer = setTimeout(() => { $('typing').textContent = ''; }, 3000);
      }
      break;
    default: break;
  }
}

// ---- rooms and messages -----------------------------------------------------------------

async function openRoom(roomId) {
  state.room = roomId;
  for (const b of document.querySelectorAll('#rooms button')) b.setAttribute('aria-current', String(b.dataset.room === roomId));
  $('room-title').textContent = state.rooms.get(roomId).name;
  $('compose').hidden = false;
  $('messages').replaceChildren();
  const info = state.rooms.get(roomId);
  info.lastSeq = 0;
  info.firstSeq = null;
  info.held = [];            // live messages that arrive before the first history page
  await joinRoom(roomId);
  await loadHistory(roomId);
  renderOutbox();
  $('body').focus();
}

async function joinRoom(roomId) {
  const info = state.rooms.get(roomId);
  const since = info.epoch !== null && info.lastSeq > 0 ? { epoch: info.epoch, seq: info.lastSeq } : undefined;
  const reply = await request('join', since ? { room: roomId, since } : { room: roomId });
  if (reply.ok) {
    info.epoch = reply.data.epoch;
    $('presence').textContent = reply.data.online + ' online';
    if (reply.data.spreekuur) showHosts(reply.data.spreekuur.hosts);
    if (reply.data.readOnly && state.user && state.user.role === 'member') $('compose').hidden = true;
    showCoverage(reply.data.coverage);
  }
}

// With no moderator on duty the room runs in its community's fallback mode, with a notice (113).
function showCoverage(coverage) {
  const moderated = !coverage || coverage.moderated;
  $('coverage').hidden = moderated;
  $('coverage').textContent = moderated ? '' : coverage.notice;
}

function redact(f) {
  const li = document.querySelector(`#messages li[data-seq="${Number(f.seq)}"]`);
  if (li) li.textContent = '(verwijderd)';
}

async function reload(roomId, epoch) {
  const info = state.rooms.get(roomId);
  info.epoch = epoch;
  info.lastSeq = 0;
  info.firstSeq = null;
  info.held = [];
  $('messages').replaceChildren();
  await loadHistory(roomId);
  renderOutbox();
}

async function loadHistory(roomId, beforeSeq) {
  const reply = await request('history', beforeSeq ? { room: roomId, beforeSeq, limit: 50 } : { room: roomId, limit: 50 });
  if (!reply.ok || roomId !== state.room) return;
  const list = reply.data.messages;
  const info = state.rooms.get(roomId);
  if (beforeSeq) {
    const first = $('messages').firstChild;
    for (const m of list) $('messages').insertBefore(render(m), first);
  } else {
    const held = info.held || [];
    info.held = null;
    for (const m of list) receive({ ...m, fromHistory: true });
    for (const m of held) receive(m);
  }
  if (list.length) info.firstSeq = Math.min(info.firstSeq ?? Infinity, list[0].seq);
  $('older').hidden = !info.firstSeq || info.firstSeq <= 1;
}

$('older').addEventListener('click', () => {
  const info = state.rooms.get(state.room);
  if (info && info.firstSeq > 1) loadHistory(state.room, info.firstSeq);
});

function receive(m) {
  const info = state.rooms.get(m.room);
  if (info && info.held && m.room === state.room && m.type === 'message' && !m.fromHistory) {
    info.held.push({ ...m, fromHistory: true });
    return;
  }
  if (!info || m.seq <= info.lastSeq) return;
  info.lastSeq = m.seq;
  if (info.firstSeq === null) info.firstSeq = m.seq;
  if (m.room !== state.room) return;
  const pendingEl = document.querySelector(`#messages li[data-client-msg-id="${CSS.escape(m.clientMsgId)}"].pending`);
  if (pendingEl) pendingEl.remove();
  $('messages').append(render(m));
  $('messages').lastChild.scrollIntoView({ block: 'end' });
}

function render(m) {
  const li = document.createElement('li');
  li.dataset.seq = m.seq;
  li.dataset.clientMsgId = m.clientMsgId;
  if (m.author.role !== 'member') {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = m.author.role === 'peer_expert' ? 'ervaringsdeskundige' : m.author.role;
    li.append(badge);
  }
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = m.author.pseudonym;
  const body = document.createElement('span');
  body.className = 'body';
  body.textContent = m.redacted ? 'verwijderd' : m.body;
  li.append(author, body);
  return li;
}

// ---- sending: an outbox that survives reconnects ------------------------------------------

$('compose').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = $('body').value;
  if (!body.trim() || !state.room) return;
  const clientMsgId = crypto.randomUUID();
  state.outbox.set(clientMsgId, { room: state.room, body });
  saveOutbox();
  $('body').value = '';
  renderOutbox();
  deliver(clientMsgId);
});

let lastTyping = 0;
$('body').addEventListener('input', () => {
  const now = Date.now();
  if (state.connected && state.room && now - lastTyping > 2000) {
    lastTyping = now;
    state.socket.send(JSON.stringify({ type: 'typing', room: state.room }));
  }
});

function renderOutbox() {
  for (const [clientMsgId, item] of state.outbox) {
    if (item.room !== state.room || document.querySelector(`#messages li[data-client-msg-id="${CSS.escape(clientMsgId)}"]`)) continue;
    const li = document.createElement('li');
    li.className = 'pending';
    li.dataset.clientMsgId = clientMsgId;
    li.textContent = item.body + ' (wordt verstuurd…)';
    $('messages').append(li);
  }
}

async function deliver(clientMsgId) {
  const item = state.outbox.get(clientMsgId);
  if (!item || !state.connected) return;
  const reply = await request('send', { room: item.room, clientMsgId, body: item.body });
  if (reply.ok) {
    state.outbox.delete(clientMsgId);
    saveOutbox();
    if (reply.data.status === 'held') {
      const el = document.querySelector(`#messages li[data-client-msg-id="${CSS.escape(clientMsgId)}"]`);
      if (el) el.textContent = item.body + ' (een moderator kijkt eerst mee)';
    }
    if (reply.data.prompt) showCare(reply.data.prompt);
  } else if (reply.error.code === 'unavailable' || reply.error.code === 'rate_limited') {
    setTimeout(() => deliver(clientMsgId), reply.error.retryAfterMs || 1000);
  } else if (reply.error.code !== 'disconnected') {
    state.outbox.delete(clientMsgId);
    saveOutbox();
    const el = document.querySelector(`#messages li[data-client-msg-id="${CSS.escape(clientMsgId)}"]`);
    if (el) el.textContent = item.body + ' (niet verstuurd: ' + explain(reply.error) + ')';
  }
}

// #chatsafe: a kind word and the help that is open now, after a heavy message (all as text)
function showCare(prompt) {
  const box = $('care');
  box.replaceChildren();
  const p = document.createElement('p');
  p.textContent = prompt.text;
  box.append(p);
  const list = document.createElement('ul');
  for (const r of prompt.resources || []) {
    const li = document.createElement('li');
    li.textContent = r.name + (r.phone ? ': ' + r.phone : '');
    if (r.url && r.url.startsWith('https://')) {
      const a = document.createElement('a');
      a.href = r.url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      a.textContent = ' ' + r.url.replace('https://', '');
      li.append(a);
    }
    list.append(li);
  }
  box.append(list);
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Sluiten';
  close.addEventListener('click', () => { box.hidden = true; });
  box.append(close);
  box.hidden = false;
}

function flushOutbox() {
  for (const clientMsgId of state.outbox.keys()) deliver(clientMsgId);
}

// ---- start --------------------------------------------------------------------------------

if (state.token) {
  api('/me').then((data) => { state.user = data.user; showChat(); }).catch((err) => {
    if (err.status === 401) signOut();
  });
}
