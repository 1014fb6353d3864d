// My account: display name, password, and the second factor (TOTP): enrol with a QR code drawn
// here (the secret never leaves the page), confirm with a code, keep the recovery codes (shown
// once), make a new set, or remove the factor.
import { h, field } from './dom.js';
import { passwordForm } from './password.js';
import { qrSvg } from './qr.js';

function recoveryList(ctx, codes) {
  return h('div', { class: 'panel recovery' },
    h('h4', {}, ctx.t('totp.recoveryTitle')),
    h('p', { class: 'hint' }, ctx.t('totp.recoveryHint')),
    h('ul', { class: 'codes', 'aria-label': ctx.t('totp.recoveryTitle') }, codes.map((c) => h('li', {}, c))));
}

function totpSection(ctx) {
  const { t } = ctx;
  const out = h('div', { 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert' });
  const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  const start = h('button', { type: 'button' }, t('totp.start'));
  const removeCode = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  const remove = h('form', { novalidate: true }, field(t('totp.removeCode'), removeCode),
    h('button', { type: 'submit', class: 'secondary' }, t('totp.remove')));
  const newCodes = h('button', { type: 'button', class: 'secondary' }, t('totp.newRecovery'));

  start.addEventListener('click', async () => {
    error.textContent = '';
    try {
      const enrol = await ctx.api('/me/totp', { method: 'POST' });
      const confirm = h('form', { novalidate: true },
        h('p', {}, t('totp.scan')),
        qrSvg(enrol.otpauthUri, t('totp.qrLabel')),
        h('p', {}, t('totp.secret'), ' ', h('span', { class: 'secret', id: 'totp-secret' }, enrol.secret)),
        field(t('totp.code'), code),
        h('button', { type: 'submit' }, t('totp.confirm')));
      confirm.addEventListener('submit', async (e) => {
        e.preventDefault();
        error.textContent = '';
        try {
          const done = await ctx.api('/me/totp/confirm', { method: 'POST', body: { code: code.value.trim() } });
          out.replaceChildren(h('p', { class: 'ok' }, t('totp.on')));
          if (done.recoveryCodes) out.append(recoveryList(ctx, done.recoveryCodes));
          ctx.notify(t('totp.on'));
          if (ctx.user.totpEnrolmentRequired) await ctx.refreshUser();
        } catch (err) { error.textContent = err.code === 'bad_request' || err.code === 'login_failed' ? t('totp.wrongCode') : ctx.explain(err); }
      });
      out.replaceChildren(confirm);
      code.focus();
    } catch (err) {
      out.replaceChildren(h('p', {}, err.code === 'conflict' ? t('totp.already') : ctx.explain(err)));
    }
  });
  remove.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await ctx.api('/me/totp/remove', { method: 'POST', body: { code: removeCode.value.trim() } });
      removeCode.value = '';
      out.replaceChildren(h('p', {}, t('totp.off')));
    } catch (err) { error.textContent = err.code === 'bad_request' || err.code === 'forbidden' ? t('totp.wrongCode') : ctx.explain(err); }
  });
  newCodes.addEventListener('click', async () => {
    error.textContent = '';
    try {
      const made = await ctx.api('/me/totp/recovery-codes', { method: 'POST' });
      out.replaceChildren(recoveryList(ctx, made.codes));
    } catch (err) { error.textContent = ctx.explain(err); }
  });
  return h('section', { 'aria-labelledby': 'totp-title' },
    h('h3', { id: 'totp-title' }, t('totp.title')),
    h('p', { class: 'hint' }, t('totp.intro')),
    start, out, error,
    h('details', {}, h('summary', {}, t('totp.manage')), newCodes, remove));
}

export default {
  id: 'account',
  roles: ['peer_expert', 'professional', 'moderator', 'admin', 'operator'],
  async render(container, ctx) {
    const { t, user } = ctx;
    const name = h('input', { value: user.displayName || user.pseudonym, maxlength: 60, required: true });
    const nameForm = h('form', { novalidate: true }, field(t('account.displayName'), name, t('account.displayNameHint')),
      h('button', { type: 'submit' }, t('save')));
    nameForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await ctx.api('/me', { method: 'PATCH', body: { displayName: name.value.trim() } });
        ctx.notify(t('saved'));
      } catch (err) { ctx.notify(ctx.explain(err), 'error'); }
    });
    container.append(...[
      h('h2', {}, t('nav.account')),
      user.totpEnrolmentRequired ? h('p', { class: 'error', role: 'alert' }, t('totp.required')) : null,
      user.totpEnrolmentRequired ? null : nameForm,
      totpSection(ctx),
      h('section', { 'aria-labelledby': 'pw-title' }, h('h3', { id: 'pw-title' }, t('password.title')),
        passwordForm(ctx, async () => ctx.notify(t('password.changed'))))].filter(Boolean));
  },
};
