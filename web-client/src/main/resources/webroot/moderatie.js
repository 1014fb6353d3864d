// Kring moderator console: the queue of one community sorted by risk, live over the WebSocket,
// an item in its context, one-key actions with a reason, the on-duty switch, a member's history.
// All text is rendered with textContent. The staff token lives in sessionStorage (gone when the
// tab closes), never in a URL. Method details stay blurred until the moderator opens them.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {
  user: null, community: null, items: new Map(), selected: null,
  socket: null, attempts: 0, pendingAction: null, formFor: null, revealed: new Set(), rooms: new Map(),
};
const SEVERITY_RANK = { imminent: 4, high: 3, medium: 2, low: 1, none: 0 };
const SEVERITY_NL = { imminent: 'acuut gevaar', high: 'hoog', medium: 'middel', low: 'laag', none: 'geen' };
const SOURCE_NL = { chatsafe: '#chatsafe', alert: 'alarm', report: 'melding', rule: 'meldregel', escalation: 'doorgezet',
  review: '#chatsafe twijfelt (geplaatst)' };
const ACTION_NL = { release: 'Plaatsen', remove: 'Verwijderen', warn: 'Waarschuwen', mute: 'Dempen', ban: 'Verbannen',
  escalate: 'Doorzetten naar een professional', dismiss: 'Afwijzen' };
const ERRORS_NL = {
  login_failed: 'E-mailadres, wachtwoord of code klopt niet.', totp_required: 'Vul ook de code uit je authenticator-app in.',
  conflict: 'Een andere moderator werkt hieraan, of het is al afgehandeld.', forbidden: 'Dat mag jouw rol niet.',
  rate_limited: 'Even te veel pogingen. Probeer het zo opnieuw.', unavailable: 'Kring is even niet bereikbaar.',
  bad_request: 'Controleer wat je hebt ingevuld.', not_found: 'Niet (meer) gevonden.',
};
const explain = (err) => ERRORS_NL[err.code] || 'Er ging iets mis. Probeer het opnieuw.';

/* global staffSession, el, vraagbaakStaff */
const api = (path, options) => staffSession.api(path, options);

// ---- signing in (staff.js) --------------------------------------------------------------

function stopLive() {
  if (state.socket) state.socket.close();
  state.socket = null;
}

async function start(user) {
  state.user = user;
  let slugs = user.communities || [];
  if (user.allCommunities) {
    slugs = (await api('/admin/communities')).communities.map((c) => c.slug);
  }
  const select = $('community');
  select.replaceChildren(...slugs.map((s) => { const o = el('option', s); o.value = s; return o; }));
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  $('logout').hidden = false;
  if (slugs.length === 0) { $('coverage').textContent = 'Je werkt nog in geen enkele community.'; return; }
  await chooseCommunity(slugs[0]);
  connect();
}

$('community').addEventListener('change', () => chooseCommunity($('community').value));

async function chooseCommunity(slug) {
  state.community = slug;
  state.selected = null;
  await Promise.all([loadQueue(), loadDuty(), loadRooms()]);
  renderDetail(null);
  // the VraagBaak (vraagbaak-staff.js): the editors' queue, or the answerers' "assigned to me"
  if (['moderator', 'admin'].includes(state.user.role)) vraagbaakStaff.editor(slug); else vraagbaakStaff.answerer();
}

// ---- room controls (PATCH /api/v1/moderation/rooms/{id}: slow mode, read-only, pinned notice) ----

async function loadRooms() {
  let rooms = [];
  try { rooms = (await api('/rooms')).rooms.filter((r) => r.community === state.community && r.kind !== 'private' && !r.archived); } catch (err) { /* none shown */ }
  state.rooms = new Map(rooms.map((r) => [String(r.id), r]));
  $('room-choice').replaceChildren(...rooms.map((r) => { const o = el('option', r.name); o.value = String(r.id); return o; }));
  $('room-controls').hidden = rooms.length === 0;
  $('room-result').textContent = '';
  showRoom();
}

function showRoom() {
  const room = state.rooms.get($('room-choice').value);
  if (!room) return;
  $('room-slow').value = String(room.slowModeSeconds || 0);
  $('room-readonly').checked = Boolean(room.readOnly);
  $('room-pinned').value = room.pinnedNotice || '';
}

$('room-choice').addEventListener('change', () => { $('room-result').textContent = ''; showRoom(); });

$('room-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('room-choice').value;
  const slow = Number($('room-slow').value);
  if (!Number.isInteger(slow) || slow < 0 || slow > 3600) {
    $('room-result').textContent = 'Langzame modus: een heel getal van 0 tot en met 3600.';
    return;
  }
  const pinned = $('room-pinned').value.trim();
  try {
    const room = await api('/moderation/rooms/' + encodeURIComponent(id), { method: 'PATCH',
      body: { slowModeSeconds: slow, readOnly: $('room-readonly').checked, pinnedNotice: pinned || null } });
    state.rooms.set(id, { ...state.rooms.get(id), ...room });
    $('room-result').textContent = 'Opgeslagen: ' + [room.readOnly ? 'alleen lezen' : 'iedereen schrijft',
      room.slowModeSeconds ? 'langzaam (' + room.slowModeSeconds + ' s)' : 'geen langzame modus',
      room.pinnedNotice ? 'met mededeling' : 'geen mededeling'].join(', ') + '.';
  } catch (err) { $('room-result').textContent = explain(err); }
});

// ---- duty ---------------------------------------------------------------------------------

async function loadDuty() {
  const duty = await api('/moderation/duty');
  showDuty(duty);
}

function showDuty(duty) {
  $('duty').checked = duty.onDuty.includes(state.community);
  const here = duty.communities.find((c) => c.community === state.community);
  const moderated = here && here.moderated;
  const names = here ? here.onDuty.map((s) => s.displayName).join(', ') : '';
  $('coverage').textContent = moderated ? 'In dienst: ' + names
    : 'Geen moderator in dienst: de kamers staan in de terugvalstand.';
  $('coverage').classList.toggle('unmoderated', !moderated);
}

$('duty').addEventListener('change', async () => {
  try {
    showDuty(await api('/moderation/duty', { method: 'PUT', body: { onDuty: $('duty').checked, communities: [state.community] } }));
  } catch (err) { $('action-error').textContent = explain(err); $('duty').checked = !$('duty').checked; }
});

// ---- the queue ----------------------------------------------------------------------------

async function loadQueue() {
  const data = await api('/moderation/communities/' + encodeURIComponent(state.community) + '/queue');
  state.items = new Map(data.items.map((i) => [i.id, i]));
  renderQueue();
}

function sorted() {
  return [...state.items.values()].sort((a, b) => (SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
    || a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
}

function renderQueue() {
  const list = sorted();
  $('queue-count').textContent = '(' + list.length + ')';
  $('queue-empty').hidden = list.length > 0;
  $('queue').replaceChildren(...list.map((item) => {
    const li = el('li');
    const button = el('button', null, 'sev-' + item.severity);
    button.type = 'button';
    button.dataset.item = item.id;
    if (item.id === state.selected) button.setAttribute('aria-current', 'true');
    button.append(el('span', SEVERITY_NL[item.severity], 'tag'), el('span', item.category, 'tag'));
    if (item.kind === 'held') button.append(el('span', 'vastgehouden', 'tag'));
    if (item.hidden) button.append(el('span', 'verborgen', 'tag'));
    if (item.escalated) button.append(el('span', 'doorgezet', 'tag'));
    if (item.reports > 0) button.append(el('span', item.reports + '× gemeld', 'tag'));
    if (item.claimedBy) button.append(el('span', 'bij ' + item.claimedBy.displayName, 'tag'));
    if (item.overdue) button.append(el('span', 'te laat', 'tag overdue'));
    const preview = el('span', item.sensitive && !state.revealed.has(item.id) ? 'Inhoud verborgen (methode-details)' : item.body, 'preview');
    button.append(el('span', item.author.pseudonym + ' in ' + (item.roomName || 'de VraagBaak')), preview);
    button.addEventListener('click', () => select(item.id));
    li.append(button);
    return li;
  }));
}

function upsert(item) {
  if (item.status !== 'open' || (item.community && item.community !== state.community)) {
    state.items.delete(item.id);
    if (state.selected === item.id) { state.selected = null; renderDetail(null); }
  } else {
    state.items.set(item.id, item);
  }
  renderQueue();
  if (state.selected === item.id) select(item.id);
}

// ---- one item -----------------------------------------------------------------------------

async function select(id) {
  state.selected = id;
  renderQueue();
  try {
    renderDetail(await api('/moderation/items/' + encodeURIComponent(id)));
  } catch (err) {
    $('action-error').textContent = explain(err);
  }
}

function renderDetail(detail) {
  $('detail-empty').hidden = !!detail;
  $('detail-body').hidden = !detail;
  // a refresh of the item being acted on (a live event) keeps the reason form open
  if (!detail || detail.item.id !== state.formFor) {
    $('reason-form').hidden = true;
    $('action-error').textContent = '';
  }
  if (!detail) return;
  const item = detail.item;
  $('detail-body').dataset.item = item.id;   // which item is shown (the browser tests wait on it)
  const meta = [SEVERITY_NL[item.severity], item.category, item.author.pseudonym, item.roomName || 'VraagBaak',
    item.kind === 'held' ? 'vastgehouden, nog niet geplaatst'
      : item.kind === 'question' ? 'vraag in de VraagBaak (niet gepubliceerd)' : 'geplaatst (#' + item.seq + ')',
    'bronnen: ' + item.sources.map((s) => SOURCE_NL[s] || s).join(', ')];
  if (item.claimedBy) meta.push('geclaimd door ' + item.claimedBy.displayName);
  $('detail-meta').textContent = meta.join(' · ');
  // why #chatsafe queued it: a rule's id, or the model's category, score and the words that weighed most
  // ("? " before a finding the model was unsure of)
  const why = item.why || [];
  $('detail-why').hidden = why.length === 0;
  $('detail-why').textContent = why.length === 0 ? '' : 'Waarom #chatsafe: ' + why.map((w) => w.startsWith('? ') ? 'twijfel: ' + w.slice(2) : w).join('; ');
  const blurred = item.sensitive && !state.revealed.has(item.id);
  $('detail-message').textContent = item.body || '(leeg)';
  $('detail-message').classList.toggle('blurred', blurred);
  $('detail-message').setAttribute('aria-hidden', blurred ? 'true' : 'false');
  $('reveal').hidden = !blurred;
  $('context').replaceChildren(...detail.context.map((m) => {
    const li = el('li', (m.author ? m.author.pseudonym : '?') + ': ' + (m.redacted ? '(verwijderd)' : m.body), m.self ? 'self' : '');
    return li;
  }));
  $('reports').replaceChildren(...detail.reportDetails.map((r) => el('li', r.category + (r.reason ? ': ' + r.reason : ''))));
  renderHistory(detail.authorHistory);
}

function renderHistory(h) {
  const rows = h.actions.map((a) => el('li', a.at.slice(0, 16).replace('T', ' ') + ' ' + a.action + (a.reason ? ' — ' + a.reason : '')));
  const items = h.items.map((i) => el('li', i.createdAt.slice(0, 16).replace('T', ' ') + ' melding: ' + i.category
    + ' (' + (i.resolution || i.status) + ')'));
  $('history').replaceChildren(...rows, ...items);
  if (rows.length + items.length === 0) $('history').append(el('li', 'Niets eerder.'));
}

$('reveal').addEventListener('click', () => {
  state.revealed.add(state.selected);
  $('detail-message').classList.remove('blurred');
  $('detail-message').setAttribute('aria-hidden', 'false');
  $('reveal').hidden = true;
  renderQueue();
});

// ---- actions ------------------------------------------------------------------------------

for (const button of document.querySelectorAll('.actions button')) {
  button.addEventListener('click', () => begin(button.dataset.action));
}

async function begin(action) {
  if (!state.selected) return;
  $('action-error').textContent = '';
  const item = state.items.get(state.selected);
  if (action === 'claim') {
    try { upsert((await api('/moderation/items/' + state.selected + '/claim', { method: 'POST' })).item); }
    catch (err) { $('action-error').textContent = explain(err); }
    return;
  }
  if (action === 'history') {
    try { renderHistory(await api('/moderation/members/' + encodeURIComponent(item.author.id) + '/history')); }
    catch (err) { $('action-error').textContent = explain(err); }
    return;
  }
  state.pendingAction = action;
  state.formFor = state.selected;
  $('reason-label').textContent = ACTION_NL[action] + ': reden (komt in het auditlog)';
  $('minutes-field').hidden = action !== 'mute';
  $('message-field').hidden = action !== 'warn';
  $('reason-form').hidden = false;
  $('reason').value = '';
  $('reason').focus();
}

$('reason-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const reason = $('reason').value.trim();
  if (!reason) { $('action-error').textContent = 'Geef een reden.'; return; }
  const body = { action: state.pendingAction, reason };
  if (state.pendingAction === 'mute') body.minutes = Number($('minutes').value);
  if (state.pendingAction === 'warn' && $('warn-message').value.trim()) body.message = $('warn-message').value.trim();
  try {
    const { item } = await api('/moderation/items/' + state.selected + '/actions', { method: 'POST', body });
    $('reason-form').hidden = true;
    state.formFor = null;
    upsert(item);
  } catch (err) { $('action-error').textContent = explain(err); }
});

$('reason-cancel').addEventListener('click', () => { $('reason-form').hidden = true; state.formFor = null; });

document.addEventListener('keydown', (e) => {
  if ($('console-view').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) {
    if (e.key === 'Escape') $('reason-form').hidden = true;
    return;
  }
  const list = sorted();
  const at = list.findIndex((i) => i.id === state.selected);
  if (e.key === 'j' || e.key === 'k') {
    const next = list[Math.min(list.length - 1, Math.max(0, at + (e.key === 'j' ? 1 : -1)))];
    if (next) select(next.id);
    return;
  }
  const button = document.querySelector('.actions button[data-key="' + e.key + '"]');
  if (button && state.selected) { e.preventDefault(); begin(button.dataset.action); }
});

// ---- live updates -------------------------------------------------------------------------

async function connect() {
  if (!staffSession.token) return;
  try {
    const { ticket } = await api('/ws-ticket', { method: 'POST' });
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?ticket='
      + encodeURIComponent(ticket));
    state.socket = socket;
    socket.addEventListener('open', () => { state.attempts = 0; $('status').textContent = 'Verbonden, live'; });
    socket.addEventListener('message', (e) => onEvent(JSON.parse(e.data)));
    socket.addEventListener('close', (e) => {
      $('status').textContent = 'Verbinding weg, opnieuw verbinden…';
      if (state.socket === socket && staffSession.token && e.code !== 4500 && e.code !== 4503) retry();
    });
  } catch (err) { retry(); }
}

function retry() {
  const delay = Math.min(30000, 500 * 2 ** state.attempts++) * (0.5 + Math.random() / 2);
  setTimeout(async () => { if (state.community) await loadQueue().catch(() => {}); connect(); }, delay);
}

function onEvent(event) {
  if (event.type === 'queue') {
    upsert(event.item);
  } else if (event.type === 'alert' || event.type === 'escalation') {
    const text = event.type === 'alert' ? 'Acuut gevaar gemeld. Bekijk de bovenste melding nu.'
      : 'Een moderator zet een melding naar je door.';
    $('alert').textContent = text;
    $('alert').hidden = false;
    loadQueue().catch(() => {});
  }
}

staffSession.init(start, stopLive, explain);
