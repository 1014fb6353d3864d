// What the staff consoles (moderatie.html, spreekuur.html) share: the el() helper, signing in (with a TOTP code
// when the account has one), signing out, and the HTTP API with the staff token. The token lives
// in sessionStorage (gone when the tab closes), never in a URL. Each page passes its own start
// (after sign-in, or at load with a kept token), what to stop on sign-out, and its Dutch errors.
'use strict';

/* global kringApi */

/** An element with its text set as text (never as HTML) and an optional class. */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}
const staffSession = {
  key: 'kring.staff.token',
  token: sessionStorage.getItem('kring.staff.token'),
  stop: () => {},

  async api(path, options) {
    try {
      return await kringApi(path, staffSession.token, options);
    } catch (err) {
      if (err.status === 401 && path !== '/auth/login') staffSession.signOut();
      throw err;
    }
  },

  signOut() {
    staffSession.token = null;
    sessionStorage.removeItem(staffSession.key);
    staffSession.stop();
    document.getElementById('console-view').hidden = true;
    document.getElementById('logout').hidden = true;
    document.getElementById('login-view').hidden = false;
  },

  /** Wires the sign-in form and the sign-out button; resumes a kept session. */
  init(start, stop, explain) {
    const $ = (id) => document.getElementById(id);
    staffSession.stop = stop;
    $('login-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      $('login-error').textContent = '';
      const body = { email: $('email').value.trim(), password: $('password').value };
      if ($('totp').value.trim()) body.totp = $('totp').value.trim();
      try {
        const data = await staffSession.api('/auth/login', { method: 'POST', body });
        staffSession.token = data.token;
        sessionStorage.setItem(staffSession.key, data.token);
        await start(data.user);
      } catch (err) { $('login-error').textContent = explain(err); }
    });
    $('logout').addEventListener('click', async () => {
      try { await staffSession.api('/auth/logout', { method: 'POST' }); } catch (err) { /* signed out anyway */ }
      staffSession.signOut();
    });
    if (staffSession.token) {
      staffSession.api('/me').then((d) => start(d.user)).catch(() => staffSession.signOut());
    }
  },
};
