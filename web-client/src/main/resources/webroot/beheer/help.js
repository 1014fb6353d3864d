// The help directory of a community: 113 and 112 always, then its own entries (phone, chat link,
// opening hours, crisis line); add and remove entries, with a preview of "open now" as the hours
// are typed (Europe/Amsterdam, as the server reckons it).
import { h, field, check, table, actionButton } from './dom.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Whether hours ('always' or 'mon-fri 09:00-17:00, sat 10:00-14:00') are open at now; null when unreadable. */
export function openAt(hours, now = new Date()) {
  const text = hours.trim().toLowerCase();
  if (text === 'always') return true;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'short', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type) => parts.find((p) => p.type === type).value;
  const day = DAYS.indexOf(get('weekday').toLowerCase().slice(0, 3));
  const minute = Number(get('hour')) * 60 + Number(get('minute'));
  let open = false;
  for (const span of text.split(',')) {
    const m = span.trim().match(/^([a-z]{3})(?:-([a-z]{3}))? (\d\d):(\d\d)-(\d\d):(\d\d)$/);
    if (!m) return null;
    const from = DAYS.indexOf(m[1]);
    const to = m[2] ? DAYS.indexOf(m[2]) : from;
    if (from < 0 || to < 0) return null;
    const inDays = from <= to ? day >= from && day <= to : day >= from || day <= to;
    const start = Number(m[3]) * 60 + Number(m[4]);
    const end = Number(m[5]) * 60 + Number(m[6]);
    if (inDays && minute >= start && minute < end) open = true;
  }
  return open;
}

function openBadge(ctx, open) {
  return h('span', { class: open ? 'open-now' : 'closed-now' }, ctx.t(open ? 'help.openNow' : 'help.closedNow'));
}

function addForm(ctx, slug, done) {
  const { t } = ctx;
  const name = h('input', { maxlength: 100, required: true });
  const description = h('textarea', { maxlength: 500 });
  const phone = h('input', { type: 'tel', maxlength: 30 });
  const url = h('input', { type: 'url', placeholder: 'https://', maxlength: 500 });
  const hours = h('input', { value: 'always', required: true });
  const crisis = check(t('help.crisis'));
  const preview = h('p', { 'aria-live': 'polite', class: 'preview-open' });
  const update = () => {
    const open = openAt(hours.value);
    preview.replaceChildren(...(open === null ? [h('span', { class: 'error' }, t('help.hoursFormat'))] : [t('help.preview'), ' ', openBadge(ctx, open)]));
  };
  hours.addEventListener('input', update);
  update();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, class: 'panel', 'aria-labelledby': 'help-new' },
    h('h3', { id: 'help-new' }, t('help.new')),
    field(t('help.name'), name), field(t('help.description'), description),
    field(t('help.phone'), phone), field(t('help.url'), url, t('help.urlHint')),
    field(t('help.hours'), hours, t('help.hoursHint')), preview, crisis.label,
    h('button', { type: 'submit' }, t('help.add')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const body = { name: name.value.trim(), hours: hours.value.trim(), crisis: crisis.box.checked };
    if (description.value.trim()) body.description = description.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    if (url.value.trim()) body.url = url.value.trim();
    if (body.url && !body.url.startsWith('https://')) { error.textContent = t('help.urlHint'); return; }
    try {
      await ctx.api(`/admin/communities/${encodeURIComponent(slug)}/help`, { method: 'POST', body });
      ctx.notify(t('help.added', { name: body.name }));
      form.reset();
      update();
      await done();
    } catch (err) { error.textContent = ctx.explain(err); }
  });
  return form;
}

export default {
  id: 'help',
  roles: ['admin', 'operator'],
  async render(container, ctx) {
    const { t } = ctx;
    const list = h('div');
    const adding = h('div');
    const load = async (slug) => {
      if (!slug) { list.replaceChildren(h('p', { class: 'hint' }, t('community.none'))); return; }
      const { resources } = await ctx.api(`/communities/${encodeURIComponent(slug)}/help`);
      const rows = resources.map((r) => [
        h('span', {}, r.name, r.crisis ? h('span', { class: 'tag' }, t('help.crisisTag')) : null),
        r.description, r.phone || '', r.url || '', r.hours, openBadge(ctx, r.open),
        ['113', '112'].includes(r.id) ? t('help.builtIn') : actionButton(t('remove'), r.name, async () => {
          try { await ctx.api(`/admin/help/${r.id}`, { method: 'DELETE' }); ctx.notify(t('help.removed')); await load(slug); } catch (err) {
            ctx.notify(ctx.explain(err), 'error');
          }
        })]);
      list.replaceChildren(table(t('nav.help'), [t('help.name'), t('help.description'), t('help.phone'), t('help.url'), t('help.hours'),
        t('help.now'), ''], rows));
      adding.replaceChildren(addForm(ctx, slug, () => load(slug)));
      list.dataset.loaded = slug;   // for tests: this community's list and forms are drawn
    };
    const chooser = await ctx.communitySelect(load);
    container.append(h('h2', {}, t('nav.help')), h('p', { class: 'hint' }, t('help.intro')), chooser.wrap, list, adding);
    await load(chooser.slug());
  },
};
