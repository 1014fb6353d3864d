// Kring's members' page: join with an invite link, chat live, never lose a word, find help.
// Every text comes from the catalogue (i18n.js); every user's text is rendered with
// textContent, never as markup. The token lives in localStorage and goes only in the
// Authorization header, never in a URL; the invite link's code lives in the URL's fragment,
// which the browser never sends to a server.
/* global kringApi */
import { t, has, translate, setLanguage, language } from './i18n.js';
import { pseudonymProblem } from './pseudonym.js';
import { Connection } from './connection.js';
import { Outbox } from './outbox.js';

const TOKEN_KEY = 'kring.token';
const HIDDEN_KEY = 'kring.hidden';
const AGE_BANDS = ['12-15', '16-17', '18-21', '22-25', '26+'];
const REPORT_CATEGORIES = ['unsafe', 'bullying', 'privacy', 'spam', 'other'];

const $ = (id) => document.getElementById(id);
const state = {
  token: localStorage.getItem(TOKEN_KEY),
  user: null,
  community: null,          // the front door's slug (before joining) or the member's community
  room: null,
  rooms: new Map(),         // id -> {name, epoch, lastSeq, firstSeq, held}
  waits: new Map(),         // spreekuur id -> the member's last wait event
  hidden: new Map(readJson(HIDDEN_KEY, [])), // author id -> pseudonym, hidden for this member only
  replyTo: null,            // {seq, name} of a message being replied to
  checked: null,            // the text the check panel was shown for ("send anyway" sends it)
  sending: false,
  connState: 'offline',
  menuFor: null,
};
const outbox = new Outbox();
const conn = new Connection({
  token: () => state.token,
  onFrame: (f) => handleFrame(f),
  onState: (s) => { state.connState = s; showStatus(); },
  onSignedOut: () => signOut(),
});

function readJson(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (err) { return fallback; }
}
const api = (path, options) => kringApi(path, state.token, options);
const explain = (err) => t(has('error.' + (err && err.code)) ? 'error.' + err.code : 'error.other');
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

// ---- status, language and help (on every screen) ------------------------------------------

function showStatus() {
  const s = state.connState;
  const status = $('status');
  status.dataset.state = s;
  if (s === 'connected') status.textContent = t('status.connected', { name: state.user ? state.user.pseudonym : '' });
  else if (s === 'connecting') status.textContent = t('status.connecting');
  else if (s === 'lost') status.textContent = outbox.size ? t('status.lostWaiting', { count: outbox.size }) : t('status.lost');
  else if (s === 'ended') status.textContent = t('status.ended');
  else status.textContent = t('status.offline');
}

$('lang').addEventListener('click', async () => {
  await setLanguage(language() === 'nl' ? 'en' : 'nl');
  $('lang').lang = language() === 'nl' ? 'en' : 'nl';
  refreshTexts();
});

function refreshTexts() {
  showStatus();
  fillAgeBands(state.front ? state.front.ageBands : AGE_BANDS);
  checkPseudonym();
  if (state.room) showRoomTitle();
  for (const li of $('messages').children) rerender(li);
  loadSpreekuren();
  showHidden();
}

async function openHelp() {
  const list = $('help-list');
  list.replaceChildren();
  const dialog = $('help');
  if (!dialog.open) dialog.showModal();
  const slug = state.user && state.user.community ? state.user.community : state.community;
  if (!slug) return;
  try {
    const { resources } = await kringApi('/communities/' + encodeURIComponent(slug) + '/help');
    list.replaceChildren(...resources.map(resourceItem));
  } catch (err) { /* the fixed lines below stay: 113 and 112 */ }
}

function resourceItem(r) {
  const li = el('li', { class: r.open ? 'open' : 'closed' }, el('strong', { text: r.name }));
  li.append(' (' + t(r.open ? 'help.openNow' : 'help.closedNow') + ')');
  if (r.description) li.append(el('br'), r.description);
  if (r.phone) li.append(el('br'), el('a', { href: 'tel:' + r.phone.replace(/[^0-9+]/g, ''), text: r.phone }));
  if (r.url && r.url.startsWith('https://')) {
    li.append(el('br'), el('a', { href: r.url, rel: 'noopener noreferrer', target: '_blank', text: r.url.replace('https://', '') }));
  }
  return li;
}

$('help-open').addEventListener('click', openHelp);
$('help-close').addEventListener('click', () => $('help').close());

// ---- joining: the invite link, the front door, the pseudonym check -------------------------

function fillAgeBands(bands) {
  const select = $('age');
  const chosen = select.value;
  select.replaceChildren(...AGE_BANDS.filter((b) => bands.includes(b)).map((b) => el('option', { value: b, text: t('age.' + b) })));
  if (chosen && bands.includes(chosen)) select.value = chosen;
}

/** #/join/<community>/<code>: the invite link. The fragment never reaches a server or its log. */
function readInvite() {
  const m = /^#\/join\/([a-z0-9][a-z0-9_-]{1,62})(?:\/([A-Za-z0-9-]{1,40}))?$/.exec(location.hash);
  if (!m) return;
  $('community').value = m[1];
  if (m[2]) $('invite').value = m[2];
  $('community-field').hidden = true;
  loadFrontDoor(m[1]);
}

async function loadFrontDoor(slug) {
  state.community = slug;
  try {
    const front = await kringApi('/communities/' + encodeURIComponent(slug));
    state.front = front;
    $('vb-read-line').hidden = false;
    $('brand-name').textContent = front.name;
    $('join-title').textContent = t('join.welcome', { name: front.name });
    $('welcome').textContent = front.welcomeText || '';
    $('rules').textContent = front.houseRules || '';
    $('rules-box').hidden = !front.houseRules;
    $('agree-line').hidden = !front.houseRules;   // agreeing is asked only to rules the member can read
    $('front').hidden = false;
    fillAgeBands(front.ageBands || AGE_BANDS);
    applyBranding(front.branding || {});
  } catch (err) {
    $('community-field').hidden = false;
    $('join-error').textContent = t('join.unknownCommunity');
  }
}

/**
 * The community's face: its main colour behind the header (white text on it must reach WCAG AA,
 * 4.5:1), its accent colour as the stripe under the header, the current room and the house rules'
 * edge (dark ink on it must reach 4.5:1: the current room's name is written on it), and its logo
 * (only from our own API: GET /api/v1/communities/{slug}/logo). A colour that fails the check is
 * not used: the page keeps its own.
 */
function applyBranding(branding) {
  const colour = (v) => (/^#[0-9a-f]{6}$/i.test(v || '') ? v : null);
  const c = colour(branding.primaryColour);
  if (c && contrast(c, '#ffffff') >= 4.5) {
    document.documentElement.style.setProperty('--brand', c);
    $('top').classList.add('branded');
  }
  const a = colour(branding.accentColour);
  if (a && contrast(a, '#1d1d1f') >= 4.5) {
    document.documentElement.style.setProperty('--brand-accent', a);
    document.body.classList.add('accented');
  }
  if (typeof branding.logoUrl === 'string' && /^\/api\/v1\/communities\/[a-z0-9_-]+\/logo(\?v=[A-Za-z0-9_-]+)?$/.test(branding.logoUrl)) {
    $('logo').src = branding.logoUrl;
    $('logo').hidden = false;
  }
}

/** The front door's branding for a member already signed in (after a reload: the join form never ran). */
async function brandFor(slug) {
  if (!slug || (state.front && state.front.slug === slug)) return;
  try {
    state.front = await kringApi('/communities/' + encodeURIComponent(slug));
    $('brand-name').textContent = state.front.name;
    applyBranding(state.front.branding || {});
  } catch (err) { /* the page keeps its own face */ }
}

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(one, other) {
  const lin = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const lum = (hex) => { const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16))); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(one), lum(other)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

function checkPseudonym() {
  const value = $('pseudonym').value.trim();
  const out = $('pseudonym-check');
  if (!value) { out.textContent = ''; out.dataset.ok = ''; $('pseudonym').removeAttribute('aria-invalid'); return true; }
  const problem = pseudonymProblem(value);
  out.textContent = t(problem || 'pseudonym.ok');
  out.dataset.ok = problem ? 'false' : 'true';
  if (problem) $('pseudonym').setAttribute('aria-invalid', 'true'); else $('pseudonym').removeAttribute('aria-invalid');
  return !problem;
}
$('pseudonym').addEventListener('input', checkPseudonym);

$('join-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('join-error').textContent = '';
  const pseudonym = $('pseudonym').value.trim();
  if (!$('community').value.trim() || !$('invite').value.trim() || !pseudonym) {
    $('join-error').textContent = t('error.bad_request');
    return;
  }
  if (!checkPseudonym()) { $('pseudonym').focus(); return; }
  if (!$('agree-line').hidden && !$('agree').checked) { $('join-error').textContent = t('join.agree'); $('agree').focus(); return; }
  try {
    const data = await api('/auth/anonymous', { method: 'POST', body: {
      community: $('community').value.trim(), inviteCode: $('invite').value.trim(), pseudonym, ageBand: $('age').value } });
    history.replaceState(null, '', location.pathname);   // the code leaves the address bar
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
  // a shared phone or library computer keeps nothing of this member: unsent words, hidden members, rooms
  outbox.clear();
  localStorage.removeItem(HIDDEN_KEY);
  state.hidden.clear();
  state.rooms.clear();
  state.room = null;
  state.waits.clear();
  $('messages').replaceChildren();
  conn.stop();
  $('chat-view').hidden = true;
  $('vb-view').hidden = true;
  $('join-view').hidden = false;
  state.connState = 'offline';
  showStatus();
}

// ---- rooms and consultation hours ------------------------------------------------------------

async function showChat() {
  $('join-view').hidden = true;
  $('vb-view').hidden = true;
  $('chat-view').hidden = false;
  if (state.user && state.user.community) state.community = state.user.community;
  brandFor(state.community);
  conn.start();
  let rooms = [];
  try { rooms = (await api('/rooms')).rooms; } catch (err) { if (err.status === 401) { signOut(); return; } }
  $('rooms').replaceChildren();
  for (const r of rooms) addRoomButton(r.id, r.name);
  if (!rooms.length) $('rooms').append(el('li', { class: 'hint', text: t('rooms.none') }));
  showHidden();
  loadSpreekuren();
  $('main').focus();
}

function addRoomButton(id, name) {
  if (!state.rooms.has(id)) state.rooms.set(id, { name, epoch: null, lastSeq: 0, firstSeq: null });
  state.rooms.get(id).name = name;
  const existing = document.querySelector(`#rooms button[data-room="${CSS.escape(id)}"]`);
  if (existing) { existing.textContent = name; return; }
  const b = el('button', { type: 'button', class: 'room-button', text: name, onclick: () => openRoom(id) });
  b.dataset.room = id;
  $('rooms').append(el('li', {}, b));
}

const WHEN = { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' };

async function loadSpreekuren() {
  if (!state.user || !state.user.community) return;
  let list;
  try {
    list = (await api('/communities/' + encodeURIComponent(state.user.community) + '/spreekuren')).spreekuren;
  } catch (err) { return; }
  const box = $('spreekuren');
  box.replaceChildren();
  if (!list.some((s) => s.state === 'open')) box.append(el('p', { class: 'hint', text: t('spreekuren.none') }));
  for (const s of list) {
    const div = el('div', { class: 'spreekuur' });
    div.append(el('p', { text: s.topic + ': ' + (s.state === 'open' ? t('spreekuren.openNow')
      : s.session ? new Date(s.session.start).toLocaleString(language() === 'en' ? 'en-GB' : 'nl-NL', WHEN) : '') }));
    if (s.state !== 'closed') {
      addRoomButton(s.room, s.topic);
      div.append(el('button', { type: 'button', class: 'secondary', text: t(s.state === 'open' ? 'spreekuren.toGroup' : 'spreekuren.waitInGroup'),
        onclick: () => openRoom(s.room) }));
    }
    if (s.state === 'open' && s.oneToOne) {
      const ask = el('button', { type: 'button', text: t('spreekuren.ask'), onclick: () => askForTalk(s.spreekuur) });
      ask.dataset.spreekuur = s.spreekuur;
      div.append(ask);
    }
    div.append(el('p', { id: 'wait-' + s.spreekuur, role: 'status' }));
    box.append(div);
  }
  for (const w of state.waits.values()) showWait(w);
}

async function askForTalk(id) {
  try {
    showWait(await api('/spreekuren/' + encodeURIComponent(id) + '/queue', { method: 'POST', body: {} }));
  } catch (err) {
    const line = $('wait-' + id);
    if (line) line.textContent = explain(err);
  }
}

function showWait(w) {
  state.waits.set(w.spreekuur, w);
  const line = $('wait-' + w.spreekuur);
  if (!line) return;   // drawn when the list is (re)loaded
  line.replaceChildren();
  if (w.state === 'waiting') {
    line.textContent = t('spreekuren.inQueue', { position: w.position }) + ' ' + (w.estimatedWaitMinutes === undefined
      ? t('spreekuren.noHost') : t('spreekuren.estimate', { minutes: w.estimatedWaitMinutes })) + ' ';
    line.append(el('button', { type: 'button', class: 'secondary', text: t('spreekuren.leave'), onclick: async () => {
      try { await api('/spreekuren/' + encodeURIComponent(w.spreekuur) + '/queue', { method: 'DELETE' }); } catch (err) { /* the event tells */ }
      line.textContent = t('spreekuren.left');
    } }));
  } else if (w.state === 'closed') {
    line.textContent = t('spreekuren.over');
    if (w.closing) showCare(w.closing);
  } else if (w.state === 'left') {
    line.textContent = t('spreekuren.left');
  }
}

function showHosts(hosts) {
  $('presence').textContent = hosts.length ? t('spreekuren.hostsHere', { names: hosts.map((h) => h.displayName).join(', ') })
    : t('spreekuren.noHostYet');
}

function onTalk(f) {
  const talk = f.talk;
  const name = t('spreekuren.talkWith', { name: talk.host.displayName });
  if (f.state === 'started') {
    addRoomButton(talk.room, name);
    if (state.room !== talk.room) openRoom(talk.room);
    const line = $('wait-' + talk.spreekuur);
    if (line) line.textContent = t('spreekuren.started');
  } else if (f.state === 'transferred') {
    addRoomButton(talk.room, name);
    if (state.room === talk.room) showRoomTitle();
    $('typing').textContent = t('spreekuren.nowWith', { name: talk.host.displayName });
  } else if (f.state === 'ended') {
    if (f.text) showCare({ text: f.text, resources: f.resources });
    if (state.room === talk.room) setReadOnly(true);
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

// ---- frames from the server --------------------------------------------------------------

function handleFrame(f) {
  switch (f.type) {
    case 'welcome':
      state.user = f.user;
      showStatus();
      if (state.room) {
        const room = state.room;
        // resume where this page was: the server replays what was missed, or says reset
        joinRoom(room).then(() => {
          const info = state.rooms.get(room);
          if (info && info.held && room === state.room) loadHistory(room);
        });
      }
      pump();
      break;
    case 'message': receive(f); break;
    case 'redacted': if (f.room === state.room) redact(f); break;
    case 'restored': {
      const li = messageItem(f.seq);
      if (li && f.room === state.room) li.replaceWith(render(f));
      break;
    }
    case 'coverage': if (f.room === state.room) showCoverage(f); break;
    case 'notice':
      // a moderator's decision about the member's message or account, with help that is open now;
      // once shown it is marked seen, so it is not sent again on the next connection
      showCare(f);
      if (vraagbaak) vraagbaak.refreshVraagBaak();
      api('/me/notices/' + encodeURIComponent(f.id) + '/seen', { method: 'POST' }).catch(() => {});
      break;
    case 'spreekuur':
      if (f.room === state.room && isMember()) setReadOnly(f.state !== 'open');
      if (f.closing && f.room === state.room) showCare(f.closing);
      loadSpreekuren();
      break;
    case 'hosts': if (f.room === state.room) showHosts(f.hosts); break;
    case 'wait': showWait(f); break;
    case 'talk': onTalk(f); break;
    case 'reset': if (f.room === state.room) reload(f.room, f.epoch); break;
    case 'left':
      // the room's settings changed and this member may no longer be there (archived, other ages or
      // province): the server took the socket out; say why and stop offering to write there
      if (f.room === state.room) {
        setReadOnly(true);
        showCare({ text: explain(f.error), resources: [] });
      }
      break;
    case 'presence': if (f.room === state.room) $('presence').textContent = t('room.online', { count: f.online }); break;
    case 'typing':
      if (f.room === state.room) {
        $('typing').textContent = t('room.typing', { name: f.pseudonym });
        clearTimeout(state.typingTimer);
        state.typingTimer = setTimeout(() => { $('typing').textContent = ''; }, 3000);
      }
      break;
    default: break;
  }
}

const isMember = () => state.user && state.user.role === 'member';

// ---- a room and its messages --------------------------------------------------------------

function showRoomTitle() {
  $('room-title').textContent = state.rooms.get(state.room).name;
}

function setReadOnly(readOnly) {
  $('compose').hidden = readOnly;
  $('read-only').hidden = !readOnly;
}

async function openRoom(roomId) {
  state.room = roomId;
  for (const b of document.querySelectorAll('#rooms button')) {
    if (b.dataset.room === roomId) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  }
  showRoomTitle();
  setReadOnly(false);
  cancelReply();
  $('check').hidden = true;
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
  const reply = await conn.request('join', since ? { room: roomId, since } : { room: roomId });
  if (!reply.ok) {
    if (reply.error.code !== 'disconnected' && roomId === state.room) showCare({ text: explain(reply.error), resources: [] });
    return;
  }
  info.epoch = reply.data.epoch;
  if (roomId !== state.room) return;
  $('presence').textContent = t('room.online', { count: reply.data.online });
  if (reply.data.spreekuur) showHosts(reply.data.spreekuur.hosts);
  setReadOnly(Boolean(reply.data.readOnly) && isMember());
  $('pinned').textContent = reply.data.pinnedNotice || '';
  $('pinned').hidden = !reply.data.pinnedNotice;
  showCoverage(reply.data.coverage);
}

// With no moderator on duty the room runs in its community's fallback mode, with a notice (113).
function showCoverage(coverage) {
  const moderated = !coverage || coverage.moderated;
  $('coverage').hidden = moderated;
  $('coverage').textContent = moderated ? '' : coverage.notice;
}

const messageItem = (seq) => document.querySelector(`#messages li[data-seq="${Number(seq)}"]`);

function redact(f) {
  const li = messageItem(f.seq);
  if (li) li.replaceWith(render({ ...li.message, body: '', redacted: true }));
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
  const reply = await conn.request('history', beforeSeq ? { room: roomId, beforeSeq, limit: 50 } : { room: roomId, limit: 50 });
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
  if (info && info.held && m.room === state.room && !m.fromHistory) {
    info.held.push({ ...m, fromHistory: true, live: true });
    return;
  }
  if (!info || m.seq <= info.lastSeq) return;   // seen already: a resume never shows a message twice
  info.lastSeq = m.seq;
  if (info.firstSeq === null) info.firstSeq = m.seq;
  if (m.room !== state.room) return;
  // the member's own message, shown while it was sent, held or waiting, gives way to the real one
  const ownEl = m.clientMsgId && document.querySelector(`#messages li:not([data-seq])[data-client-msg-id="${CSS.escape(m.clientMsgId)}"]`);
  if (ownEl) ownEl.remove();
  const li = render(m);
  // own messages and pending ones stay last: a message from the server goes before them
  const firstPending = $('messages').querySelector('li.pending');
  $('messages').insertBefore(li, firstPending);
  if (!m.fromHistory || m.live) announce(m);
  li.scrollIntoView({ block: 'nearest' });
}

/** Screen readers hear new messages (not history), from a live region apart from the list. */
function announce(m) {
  if (state.user && m.author.id === state.user.id) return;
  if (state.hidden.has(m.author.id) || m.redacted) return;
  const line = el('p', { text: m.cw ? t('message.newCw', { name: m.author.pseudonym })
    : t('message.new', { name: m.author.pseudonym, body: m.body }) });
  const box = $('announce');
  box.append(line);
  while (box.childElementCount > 3) box.firstChild.remove();
}

function roleLabel(role) {
  return has('role.' + role) ? t('role.' + role) : role;
}

function render(m) {
  const li = el('li', { class: 'message' });
  li.message = m;
  li.dataset.seq = m.seq;
  li.dataset.clientMsgId = m.clientMsgId || '';
  li.dataset.author = m.author.id;
  if (state.hidden.has(m.author.id)) { li.hidden = true; return li; }
  const head = el('p', { class: 'meta' });
  if (m.author.role && m.author.role !== 'member') head.append(el('span', { class: 'badge', text: roleLabel(m.author.role) }));
  head.append(el('span', { class: 'author', text: m.author.pseudonym }));
  if (m.ts) {
    const at = new Date(m.ts);
    head.append(el('time', { dateTime: m.ts, text: at.toLocaleTimeString(language() === 'en' ? 'en-GB' : 'nl-NL', { hour: '2-digit', minute: '2-digit' }) }));
  }
  li.append(head);
  if (m.redacted) {
    li.classList.add('redacted');
    li.append(el('p', { class: 'body', text: t('message.removed') }));
    return li;
  }
  if (m.cw) {
    li.append(el('details', { class: 'cw' }, el('summary', { text: t('message.cw') }), el('p', { class: 'body', text: m.body })));
  } else {
    li.append(el('p', { class: 'body', text: m.body }));
  }
  if (!state.user || m.author.id !== state.user.id) {
    li.append(el('button', { type: 'button', class: 'more', text: '⋯', 'aria-label': t('message.actions', { name: m.author.pseudonym }),
      onclick: () => openMenu(m) }));
  }
  return li;
}

function rerender(li) {
  if (li.message) li.replaceWith(render(li.message));
}

// ---- report, reply, hide: one menu, reporting in two taps -----------------------------------

function openMenu(m) {
  state.menuFor = m;
  $('menu-title').textContent = m.author.pseudonym;
  $('report-buttons').replaceChildren(...REPORT_CATEGORIES.map((c) => el('button', { type: 'button', text: t('report.' + c),
    onclick: () => report(m, c) })));
  $('menu-hide').textContent = t('message.hide', { name: m.author.pseudonym });
  $('message-menu').showModal();
}

async function report(m, category) {
  $('message-menu').close();
  const reply = await conn.request('report', { room: m.room, seq: m.seq, category });
  showCare({ text: reply.ok ? t('report.thanks') : explain(reply.error), resources: [] });
}

$('menu-close').addEventListener('click', () => $('message-menu').close());
$('menu-reply').addEventListener('click', () => {
  const m = state.menuFor;
  $('message-menu').close();
  state.replyTo = { seq: m.seq, name: m.author.pseudonym };
  $('reply-text').textContent = t('compose.replyTo', { name: m.author.pseudonym }) + ' ';
  $('reply-to').hidden = false;
  $('body').focus();
});
$('menu-hide').addEventListener('click', () => {
  const m = state.menuFor;
  $('message-menu').close();
  state.hidden.set(m.author.id, m.author.pseudonym);
  saveHidden();
  for (const li of document.querySelectorAll(`#messages li[data-author="${CSS.escape(m.author.id)}"]`)) li.hidden = true;
  $('body').focus();
});

function cancelReply() {
  state.replyTo = null;
  $('reply-to').hidden = true;
}
$('reply-cancel').addEventListener('click', cancelReply);

function saveHidden() {
  localStorage.setItem(HIDDEN_KEY, JSON.stringify([...state.hidden]));
  showHidden();
}

function showHidden() {
  $('hidden-box').hidden = state.hidden.size === 0;
  $('hidden-list').replaceChildren(...[...state.hidden].map(([id, name]) => el('li', {}, el('button', { type: 'button', class: 'quiet',
    text: t('room.unhide', { name }), onclick: () => {
      state.hidden.delete(id);
      saveHidden();
      for (const li of document.querySelectorAll(`#messages li[data-author="${CSS.escape(id)}"]`)) rerender(li);
    } }))));
}

// ---- writing: the compose-time check, then the outbox -------------------------------------

$('compose').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = $('body').value;
  if (!body.trim() || !state.room) return;
  const cw = $('cw').checked;
  if (state.checked !== body && conn.connected) {
    const fields = { room: state.room, body, cw };
    if (state.replyTo) fields.replyTo = state.replyTo.seq;
    const reply = await conn.request('check', fields);
    if (reply.ok && needsAMoment(reply.data)) {
      showCheck(reply.data, body);
      return;
    }
  }
  queue(body, cw);
});

function needsAMoment(d) {
  return Boolean(d.prompt || d.contentWarning || d.responderGuidance || (d.actions || []).includes('hold'));
}

function showCheck(d, body) {
  state.checked = body;
  const box = $('check-text');
  box.replaceChildren();
  if (d.responderGuidance) box.append(el('p', { text: d.responderGuidance }));
  if (d.prompt) box.append(el('p', { text: d.prompt.text }), resourceList(d.prompt.resources));
  if (d.contentWarning) {
    box.append(el('p', { text: d.contentWarning }));
    $('cw').checked = true;
  }
  if ((d.actions || []).includes('hold')) box.append(el('p', { text: t('check.held') }));
  $('check').hidden = false;
  $('check-send').focus();
}

$('check-send').addEventListener('click', () => {
  $('check').hidden = true;
  queue($('body').value, $('cw').checked);
});
$('check-edit').addEventListener('click', () => {
  $('check').hidden = true;
  state.checked = null;
  $('body').focus();
});
$('check-help').addEventListener('click', () => {
  $('check').hidden = true;
  state.checked = null;
  openHelp();
});

function queue(body, cw) {
  if (!body.trim()) return;
  outbox.add(state.room, body, cw);
  // a fast writer may already be typing the next message while the check was under way: keep it
  if ($('body').value === body) $('body').value = '';
  $('cw').checked = false;
  state.checked = null;
  cancelReply();
  renderOutbox();
  showStatus();
  pump();
}

// Enter sends, Shift+Enter starts a new line (as in every chat app)
$('body').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('compose').requestSubmit();
  }
});

let lastTyping = 0;
$('body').addEventListener('input', () => {
  const now = Date.now();
  if (state.room && now - lastTyping > 2000) {
    lastTyping = now;
    conn.tell('typing', { room: state.room });
  }
});

function renderOutbox() {
  for (const item of outbox.inRoom(state.room)) {
    let li = document.querySelector(`#messages li[data-client-msg-id="${CSS.escape(item.clientMsgId)}"]`);
    if (li && !li.classList.contains('pending')) continue;
    if (!li) {
      li = el('li', { class: 'message pending' });
      li.dataset.clientMsgId = item.clientMsgId;
      li.append(el('p', { class: 'body', text: item.body }), el('p', { class: 'meta state' }));
      $('messages').append(li);
    }
    li.querySelector('.state').textContent = t(conn.connected ? 'message.sending' : 'message.waiting');
  }
}

function markPending(clientMsgId, text) {
  const li = document.querySelector(`#messages li.pending[data-client-msg-id="${CSS.escape(clientMsgId)}"]`);
  if (li) li.querySelector('.state').textContent = text;
}

/**
 * Sends the outbox one message at a time, in order; stops when the socket goes, resumes on the next welcome.
 * After `unavailable` or `rate_limited` it waits the server's retryAfterMs, doubled for each refusal in a row
 * (at most 16 times): thousands of clients retrying at a fixed pace keep an overloaded server refusing.
 */
async function pump() {
  if (state.sending) return;
  state.sending = true;
  let refusals = 0;
  try {
    renderOutbox();
    while (outbox.size && conn.connected) {
      const item = outbox.first();
      const reply = await conn.request('send', { room: item.room, clientMsgId: item.clientMsgId, body: item.body, cw: item.cw });
      if (reply.ok || (reply.error.code !== 'unavailable' && reply.error.code !== 'rate_limited')) refusals = 0;
      if (reply.ok) {
        outbox.remove(item.clientMsgId);
        if (reply.data.status === 'held') {
          markPending(item.clientMsgId, t('message.held'));
          const li = document.querySelector(`#messages li.pending[data-client-msg-id="${CSS.escape(item.clientMsgId)}"]`);
          if (li) li.classList.replace('pending', 'held');
        }
        if (reply.data.prompt) showCare(reply.data.prompt);
      } else if (reply.error.code === 'disconnected') {
        break;
      } else if (reply.error.code === 'unavailable' || reply.error.code === 'rate_limited') {
        const wait = (reply.error.retryAfterMs || 1000) * 2 ** Math.min(refusals, 4);
        refusals += 1;
        await new Promise((resolve) => { setTimeout(resolve, wait); });
      } else {
        outbox.remove(item.clientMsgId);
        markPending(item.clientMsgId, t('message.failed', { reason: explain(reply.error) }));
        const li = document.querySelector(`#messages li.pending[data-client-msg-id="${CSS.escape(item.clientMsgId)}"]`);
        if (li) li.classList.replace('pending', 'failed');
      }
    }
  } finally {
    state.sending = false;
    renderOutbox();
    showStatus();
  }
}

// ---- care: a kind word and the help that is open now ---------------------------------------

function resourceList(resources) {
  return el('ul', {}, ...(resources || []).map(resourceItem));
}

function showCare(prompt, box = $('care'), back = $('body')) {
  box.replaceChildren(el('p', { text: prompt.text }));
  if (prompt.message) box.append(el('p', { text: prompt.message }));
  if (prompt.resources && prompt.resources.length) box.append(resourceList(prompt.resources));
  box.append(el('button', { type: 'button', text: t('care.close'), onclick: () => { box.hidden = true; back.focus(); } }));
  box.hidden = false;
}

// ---- VraagBaak (vraagbaak.js): ask, my questions, read and search ------------------------

let vraagbaak = null;   // vraagbaak.js, loaded when first opened: a first visit stays small

async function openVraagBaak() {
  if (!vraagbaak) {
    vraagbaak = await import('./vraagbaak.js');
    vraagbaak.initVraagBaak({
      el,
      token: () => state.token,
      user: () => state.user,
      community: () => (state.user && state.user.community ? state.user.community : state.community),
      showCare,
      back: () => { if (state.user) { $('chat-view').hidden = false; $('main').focus(); } else { $('join-view').hidden = false; $('vb-read').focus(); } },
    });
  }
  vraagbaak.openVraagBaak();
}
$('vb-open').addEventListener('click', openVraagBaak);
$('vb-read').addEventListener('click', openVraagBaak);

// ---- start --------------------------------------------------------------------------------

translate(document);
$('lang').lang = language() === 'nl' ? 'en' : 'nl';
fillAgeBands(AGE_BANDS);
showStatus();
readInvite();
window.addEventListener('hashchange', readInvite);
if (state.token) {
  api('/me').then((data) => { state.user = data.user; showChat(); }).catch((err) => {
    if (err.status === 401) signOut();
  });
}
