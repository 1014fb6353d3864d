// The audit trail: every staff action, newest first, filtered by community, staff member and action,
// paged with the server's cursor ("more"). Details are shown as text (key: value), never as markup.
import { h, field, table } from './dom.js';

function details(obj) {
  if (!obj || typeof obj !== 'object') return '';
  return Object.entries(obj).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
}

export default {
  id: 'audit',
  roles: ['admin', 'operator'],
  async render(container, ctx) {
    const { t } = ctx;
    const communities = await ctx.communities();
    const community = h('select', {}, h('option', { value: '' }, t('audit.all')), communities.map((c) => h('option', { value: c.slug }, c.name)));
    let staff = [];
    try { staff = (await ctx.api('/admin/staff')).staff; } catch (err) { /* the filter stays empty */ }
    const who = h('select', {}, h('option', { value: '' }, t('audit.all')), staff.map((s) => h('option', { value: s.id }, s.displayName)));
    let actions = [];
    let missing = false;
    try { actions = (await ctx.api('/admin/audit/actions')).actions; } catch (err) { missing = err.status === 404; }
    const action = h('select', {}, h('option', { value: '' }, t('audit.all')), actions.map((a) => h('option', { value: a }, a)));
    const rows = [];
    const out = h('div', { 'aria-live': 'polite' });
    const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('audit.more'));
    let next = null;
    const fetchPage = async (fresh) => {
      const q = new URLSearchParams({ limit: '50' });
      if (community.value) q.set('community', community.value);
      if (who.value) q.set('staff', who.value);
      if (action.value) q.set('action', action.value);
      if (!fresh && next) q.set('before', next);
      try {
        const page = await ctx.api('/admin/audit?' + q);
        if (fresh) rows.length = 0;
        for (const e of page.entries) {
          rows.push([new Date(e.at).toLocaleString(), e.actor ? e.actor.displayName : t('audit.system'), e.action,
            e.community || '—', e.target || '—', details(e.details)]);
        }
        next = page.next;
        more.hidden = !next;
        out.replaceChildren(rows.length
          ? table(t('nav.audit'), [t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.community'), t('audit.target'),
            t('audit.details')], rows)
          : h('p', { class: 'hint' }, t('audit.none')));
      } catch (err) {
        out.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.status === 404 ? t('waitsForApi') : ctx.explain(err)));
      }
    };
    const form = h('form', { novalidate: true },
      h('div', { class: 'row' }, field(t('audit.community'), community), field(t('audit.actor'), who), field(t('audit.action'), action)),
      h('button', { type: 'submit' }, t('audit.filter')));
    form.addEventListener('submit', (e) => { e.preventDefault(); fetchPage(true); });
    more.addEventListener('click', () => fetchPage(false));
    container.append(h('h2', {}, t('nav.audit')), h('p', { class: 'hint' }, t('audit.intro')), form, out, more);
    if (missing) out.replaceChildren(h('p', { class: 'waiting' }, t('waitsForApi')));
    else await fetchPage(true);
  },
};
