// The back office's shell: sign-in (password, then a TOTP or recovery code when the account has one),
// the forced password change, the menu of screens the signed-in role may use (GET /api/v1/me), the
// language switch and the screen in the URL's fragment (#/communities). Each screen is a module
// exporting {id, roles, allowed?, render(container, ctx)}; ctx gives api(), t(), the user and
// shared helpers. The token lives in sessionStorage (gone with the tab), never in a URL.
/* global kringApi */
import { t, translate, setLanguage, language } from './texts.js';
import { h } from './dom.js';
import { passwordForm } from './password.js';
import account from './account.js';
import communities from './communities.js';
import rooms from './rooms.js';
import invites from './invites.js';
import staff from './staff.js';
import help from './help.js';
import figures from './figures.js';
import audit from './audit.js';
import status from './status.js';

const SCREENS = [communities, rooms, invites, staff, help, figures, audit, status, account];
const TOKEN_KEY = 'kring.staff.token';
const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem(TOKEN_KEY), user: null, community: null, communities: null };

/** The HTTP API with this session's token; a 401 signs out, a demanded password change or TOTP enrolment shows it. */
async function api(path, options) {
  try {
    return await kringApi(path, state.token, options);
  } catch (err) {
    if (err.status === 401 && path !== '/auth/login') signOut();
    else if (err.code === 'password_change_required') showForcedPassword();
    throw err;
  }
}

/** A GET whose answer is not JSON (the figures' CSV): the text, or an Error as api() throws. */
async function text(path) {
  const res = await fetch('/api/v1' + path, { headers: { Authorization: 'Bearer ' + state.token } });
  const body = await res.text();
  if (!res.ok) {
    let data = null;
    try { data = JSON.parse(body); } catch (e) { /* not JSON */ }
    const err = new Error((data && data.error && data.error.message) || res.statusText);
    err.code = data && data.error && data.error.code;
    err.status = res.status;
    throw err;
  }
  return body;
}

/** A PUT of raw bytes (the logo) with their type; 204 resolves, an error throws as api() does. */
async function upload(path, file) {
  const res = await fetch('/api/v1' + path, { method: 'PUT', body: file,
    headers: { Authorization: 'Bearer ' + state.token, 'Content-Type': file.type } });
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    const err = new Error((data && data.error && data.error.message) || res.statusText);
    err.code = data && data.error && data.error.code;
    err.status = res.status;
    if (err.status === 401) signOut();
    throw err;
  }
}

/** A sentence for an API error, in the page's language. */
function explain(err) {
  if (err.code === 'rate_limited') return t('error.rate_limited');
  const key = 'error.' + (err.code || 'network');
  const text = t(key);
  return text.startsWith('⟦') ? t('error.other', { message: err.message }) : text;
}

function notify(message, kind = 'ok') {
  $('notice').textContent = message;
  $('notice').dataset.kind = kind;
}

function visible(screen) {
  return state.user && screen.roles.includes(state.user.role) && (!screen.allowed || screen.allowed(state.user));
}

const ctx = {
  api, text, upload, t, explain, notify,
  get user() { return state.user; },
  /** The communities this staff member works in (GET /api/v1/admin/communities), cached until refresh. */
  async communities(refresh = false) {
    if (!state.communities || refresh) state.communities = (await api('/admin/communities')).communities;
    return state.communities;
  },
  /** A labelled select of the staff member's communities; remembers the choice across screens. */
  async communitySelect(onChange) {
    const list = await ctx.communities();
    if (!state.community || !list.some((c) => c.slug === state.community)) state.community = list[0] && list[0].slug;
    const select = h('select', { id: 'community', onchange: () => { state.community = select.value; onChange(select.value); } },
      list.map((c) => h('option', { value: c.slug, selected: c.slug === state.community }, `${c.name} (${c.slug})`)));
    const wrap = h('div', { class: 'toolbar' }, h('label', { for: 'community', class: 'inline' }, t('community.choose')), select);
    return { wrap, select, slug: () => select.value || null };
  },
  get community() { return state.community; },
  set community(slug) { state.community = slug; },
  go(id) { location.hash = '#/' + id; },
  /** Reads GET /api/v1/me again (after TOTP enrolment lifts a restriction) and redraws the menu. */
  async refreshUser() {
    state.user = (await api('/me')).user;
    menu(location.hash.replace(/^#\//, '').split('/')[0]);
  },
};

function showOnly(view) {
  for (const id of ['login-view', 'password-view', 'app-view']) $(id).hidden = id !== view;
  $('logout').hidden = view === 'login-view';
  $('who').hidden = view === 'login-view';
}

function signOut() {
  state.token = null;
  state.user = null;
  state.communities = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $('second-factor').hidden = false;
  showOnly('login-view');
}

function showForcedPassword() {
  showOnly('password-view');
  const slot = $('password-slot');
  slot.replaceChildren(passwordForm(ctx, async () => {
    const me = await api('/me');
    await start(me.user);
    notify(t('password.changed'));
  }));
  slot.querySelector('input').focus();
}

async function start(user) {
  state.user = user;
  $('who').textContent = t('who', { name: user.displayName || user.pseudonym, role: t('role.' + user.role) });
  if (user.role === 'member') {
    notify(t('error.members'), 'error');
    signOut();
    return;
  }
  if (user.passwordChangeRequired) {
    showForcedPassword();
    return;
  }
  showOnly('app-view');
  if (user.totpEnrolmentRequired) {
    notify(t('totp.required'), 'error');
    location.hash = '#/account';
  }
  route();
}

function menu(current) {
  // until a demanded second factor is enrolled, the server answers nothing else: the menu offers nothing else
  const screens = state.user && state.user.totpEnrolmentRequired ? [account] : SCREENS.filter(visible);
  $('nav').replaceChildren(...screens.map((s) => h('li', {},
    h('a', { href: '#/' + s.id, 'aria-current': s.id === current ? 'page' : null }, t('nav.' + s.id)))));
}

let rendering = 0;
async function route() {
  if (!state.user || state.user.passwordChangeRequired) return;
  const wanted = location.hash.replace(/^#\//, '').split('/')[0];
  const allowed = SCREENS.filter(visible);
  const screen = (state.user.totpEnrolmentRequired ? [account] : allowed).find((s) => s.id === wanted) || allowed[0];
  menu(screen.id);
  const container = $('screen');
  const mine = ++rendering;
  container.replaceChildren(h('p', { class: 'hint' }, t('loading')));
  document.body.classList.remove('printing');
  const fresh = h('div', { class: 'screen-' + screen.id });
  try {
    await screen.render(fresh, ctx);
  } catch (err) {
    fresh.append(h('p', { class: 'error', role: 'alert' }, explain(err)));
  }
  if (mine !== rendering) return;          // a later navigation won
  container.replaceChildren(fresh);
  document.title = t('nav.' + screen.id) + ' · ' + t('title');
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  const body = { email: $('email').value.trim(), password: $('password').value };
  const code = $('totp').value.trim();
  if (code) body[$('use-recovery').checked ? 'recoveryCode' : 'totp'] = code;
  try {
    const data = await api('/auth/login', { method: 'POST', body });
    state.token = data.token;
    sessionStorage.setItem(TOKEN_KEY, data.token);
    $('password').value = '';
    $('totp').value = '';
    notify('');
    await start(data.user);
  } catch (err) {
    $('login-error').textContent = explain(err);
    if (err.code === 'totp_required') $('totp').focus();
  }
});
$('use-recovery').addEventListener('change', () => {
  $('totp-label').textContent = t($('use-recovery').checked ? 'login.recovery' : 'login.totp');
});
$('logout').addEventListener('click', async () => {
  try { await api('/auth/logout', { method: 'POST' }); } catch (err) { /* signed out anyway */ }
  notify(t('signedOut'));
  signOut();
});
$('lang').addEventListener('click', () => {
  setLanguage(language() === 'nl' ? 'en' : 'nl');
  if (state.user) start(state.user); else translate(document);
});
window.addEventListener('hashchange', route);

translate(document);
if (state.token) {
  api('/me').then((d) => start(d.user)).catch(() => signOut());
} else {
  signOut();
}
