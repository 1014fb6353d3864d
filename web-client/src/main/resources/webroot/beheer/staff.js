// Staff: the accounts of the communities this staff member manages (display names and roles, never
// a member: members have no identity here); create one, change name, badge, communities and the
// TOTP demand, disable or enable, end its sessions, reset its password (the temporary one shown once).
import { h, field, check, table, actionButton } from './dom.js';
import { creatableRoles } from './roles.js';

function reasonAction(ctx, label, path, done, extra) {
  const { t } = ctx;
  const reason = h('input', { maxlength: 500, required: true });
  const form = h('form', { novalidate: true }, field(t('staff.reason'), reason), h('button', { type: 'submit' }, label));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!reason.value.trim()) { reason.setAttribute('aria-invalid', 'true'); return; }
    try {
      const answer = await ctx.api(path, { method: 'POST', body: { reason: reason.value.trim() } });
      await done(answer, form, extra);
    } catch (err) { ctx.notify(ctx.explain(err), 'error'); }
  });
  return form;
}

function editForm(ctx, member, communities, done) {
  const { t } = ctx;
  const name = h('input', { value: member.displayName, maxlength: 60 });
  const badge = h('input', { value: member.badge || '', maxlength: 60 });
  const boxes = communities.map((c) => check(c.name, { value: c.slug, checked: member.communities.includes(c.slug) }));
  const totp = check(t('staff.totpRequired'), { checked: Boolean(member.totpRequired) });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, class: 'panel', 'aria-label': t('staff.editOne', { name: member.displayName }) },
    h('h3', {}, t('staff.editOne', { name: member.displayName })),
    field(t('staff.displayName'), name), field(t('staff.badge'), badge, t('staff.badgeHint')),
    member.allCommunities ? null : h('fieldset', {}, h('legend', {}, t('staff.communities')), boxes.map((b) => b.label)),
    totp.label, h('button', { type: 'submit' }, t('save')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { displayName: name.value.trim(), badge: badge.value.trim() || null, totpRequired: totp.box.checked };
    if (!member.allCommunities) body.communities = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    try {
      await ctx.api(`/admin/staff/${member.id}`, { method: 'PATCH', body });
      ctx.notify(t('saved'));
      await done();
    } catch (err) { error.textContent = err.status === 404 ? t('waitsForApi') : ctx.explain(err); }
  });
  return form;
}

function createForm(ctx, communities, done) {
  const { t, user } = ctx;
  const email = h('input', { type: 'email', autocomplete: 'off', required: true });
  const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: 8, required: true });
  const role = h('select', {}, creatableRoles(user).map((r) => h('option', { value: r }, t('role.' + r))));
  const name = h('input', { maxlength: 60, required: true });
  const boxes = communities.map((c) => check(c.name, { value: c.slug }));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, class: 'panel', 'aria-labelledby': 'staff-new' },
    h('h3', { id: 'staff-new' }, t('staff.new')),
    field(t('staff.email'), email, t('staff.emailHint')),
    field(t('staff.password'), password, t('staff.passwordHint')),
    field(t('staff.role'), role),
    field(t('staff.displayName'), name, t('staff.displayNameHint')),
    h('fieldset', {}, h('legend', {}, t('staff.communities')), boxes.map((b) => b.label)),
    h('button', { type: 'submit' }, t('staff.create')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const body = { email: email.value.trim(), password: password.value, role: role.value, displayName: name.value.trim(),
      communities: boxes.filter((b) => b.box.checked).map((b) => b.box.value) };
    try {
      await ctx.api('/admin/staff', { method: 'POST', body });
      ctx.notify(t('staff.created', { name: body.displayName }));
      form.reset();
      await done();
    } catch (err) { error.textContent = err.code === 'conflict' ? t('staff.emailTaken') : ctx.explain(err); }
  });
  return form;
}

export default {
  id: 'staff',
  roles: ['admin', 'operator'],
  async render(container, ctx) {
    const { t, user } = ctx;
    const list = h('div');
    const panel = h('div', { 'aria-live': 'polite' });
    const communities = await ctx.communities();
    const load = async () => {
      const { staff } = await ctx.api('/admin/staff');
      const rows = staff.map((s) => {
        const actions = h('div');
        const open = (node) => { panel.replaceChildren(node); node.querySelector('input')?.focus(); };
        const self = s.id === user.id;
        actions.append(...[
          actionButton(t('edit'), s.displayName, () => open(editForm(ctx, s, communities, load))),
          s.disabled
            ? actionButton(t('staff.enable'), s.displayName, async () => {
              try { await ctx.api(`/admin/staff/${s.id}/enable`, { method: 'POST' }); ctx.notify(t('staff.enabled')); await load(); } catch (err) {
                ctx.notify(err.status === 404 ? t('waitsForApi') : ctx.explain(err), 'error');
              }
            })
            : self ? null : actionButton(t('staff.disable'), s.displayName, () => open(h('div', { class: 'panel' }, h('h3', {}, t('staff.disableOne', { name: s.displayName })),
                reasonAction(ctx, t('staff.disable'), `/admin/staff/${s.id}/disable`, async () => { ctx.notify(t('staff.disabled')); panel.replaceChildren(); await load(); })))),
          self ? null : actionButton(t('staff.reset'), s.displayName, () => open(h('div', { class: 'panel' }, h('h3', {}, t('staff.resetOne', { name: s.displayName })),
              reasonAction(ctx, t('staff.reset'), `/admin/staff/${s.id}/reset-password`, async (answer, form) => {
                form.replaceWith(h('p', {}, t('staff.temporary'), ' ', h('span', { class: 'secret' }, answer.temporaryPassword)));
              })))),
          self ? null : actionButton(t('staff.signOut'), s.displayName, () => open(h('div', { class: 'panel' }, h('h3', {}, t('staff.signOutOne', { name: s.displayName })),
              reasonAction(ctx, t('staff.signOut'), `/admin/staff/${s.id}/revoke-sessions`, async (answer) => {
                ctx.notify(t('staff.signedOut', { n: answer.revoked })); panel.replaceChildren();
              }))))].filter(Boolean));
        return [s.displayName, t('role.' + s.role), s.allCommunities ? t('staff.all') : s.communities.join(', '),
          t(s.totpEnabled ? 'yes' : 'no'), s.disabled ? t('staff.isDisabled') : t('staff.active'), actions];
      });
      list.replaceChildren(table(t('nav.staff'), [t('staff.displayName'), t('staff.role'), t('staff.communities'), t('staff.totp'),
        t('staff.state'), ''], rows));
    };
    container.append(h('h2', {}, t('nav.staff')), h('p', { class: 'hint' }, t('staff.intro')), list, panel,
      createForm(ctx, communities, load));
    await load();
  },
};
