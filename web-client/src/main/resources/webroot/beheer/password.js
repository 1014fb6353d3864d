// The form to change one's own password (POST /api/v1/me/password): used by the account screen
// and by the forced change after an admin's reset. done() runs after the server accepted it.
import { h, field } from './dom.js';

export function passwordForm(ctx, done) {
  const { t } = ctx;
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, class: 'password-form' },
    field(t('password.current'), current),
    field(t('password.new'), next, t('password.rules')),
    field(t('password.again'), again),
    h('button', { type: 'submit' }, t('password.submit')),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (next.value.length < 8) { error.textContent = t('password.short'); return; }
    if (next.value !== again.value) { error.textContent = t('password.mismatch'); return; }
    try {
      await ctx.api('/me/password', { method: 'POST', body: { currentPassword: current.value, newPassword: next.value } });
      form.reset();
      await done();
    } catch (err) {
      error.textContent = err.code === 'forbidden' ? t('password.wrong') : ctx.explain(err);
    }
  });
  return form;
}
