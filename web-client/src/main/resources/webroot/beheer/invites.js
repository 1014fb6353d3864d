// Invites: issue a batch (count, uses, expiry, audience, partner label), list batches with how many
// joined, revoke a batch. A batch's codes are shown once, right after issuing: then the CSV (code,
// join link) and a printable sheet with a QR code per join link, both made in the browser.
import { h, field, table, actionButton, download, csvField } from './dom.js';
import { qrSvg } from './qr.js';

function joinLink(slug, code) {
  return `${location.origin}/#/join/${encodeURIComponent(slug)}/${encodeURIComponent(code)}`;
}

function csv(slug, batch) {
  const lines = [['code', 'link', 'community', 'audience', 'uses', 'expires'].join(',')];
  for (const code of batch.codes) {
    lines.push([code, joinLink(slug, code), slug, batch.audience, batch.uses, batch.expiresAt].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function sheet(ctx, community, batch) {
  const { t } = ctx;
  const close = h('button', { type: 'button', class: 'secondary no-print' }, t('invite.closeSheet'));
  const print = h('button', { type: 'button', class: 'no-print' }, t('invite.print'));
  const area = h('section', { class: 'print-area', 'aria-labelledby': 'sheet-title' },
    h('h3', { id: 'sheet-title' }, t('invite.sheetTitle', { name: community.name })),
    h('p', {}, t('invite.sheetIntro', { date: new Date(batch.expiresAt).toLocaleDateString() })),
    h('div', { class: 'no-print' }, print, ' ', close),
    h('ul', { class: 'sheet' }, batch.codes.map((code) => {
      const link = joinLink(community.slug, code);
      return h('li', {}, qrSvg(link, t('invite.qrLabel', { code })),
        h('p', {}, h('strong', {}, code)), h('p', { class: 'hint' }, link));
    })));
  print.addEventListener('click', () => window.print());
  close.addEventListener('click', () => { document.body.classList.remove('printing'); area.remove(); });
  document.body.classList.add('printing');
  return area;
}

function issued(ctx, community, batch, container) {
  const { t } = ctx;
  return h('div', { class: 'panel', 'aria-labelledby': 'issued-title' },
    h('h3', { id: 'issued-title' }, t('invite.issued', { n: batch.codes.length })),
    h('p', { class: 'hint' }, t('invite.onlyNow')),
    h('ul', { class: 'codes' }, batch.codes.map((c) => h('li', {}, c))),
    h('button', { type: 'button', onclick: () => download(`kring-${community.slug}-${batch.batch}.csv`, csv(community.slug, batch)) },
      t('invite.csv')), ' ',
    h('button', { type: 'button', class: 'secondary', onclick: () => {
      container.querySelector('.print-area')?.remove();
      const area = sheet(ctx, community, batch);
      container.append(area);
      area.querySelector('h3').focus?.();
    } }, t('invite.sheet')));
}

function createForm(ctx, community, done) {
  const { t } = ctx;
  const count = h('input', { type: 'number', min: 1, max: 1000, value: 10, required: true });
  const uses = h('input', { type: 'number', min: 1, max: 10000, value: 1 });
  const days = h('input', { type: 'number', min: 1, max: 365, value: 30 });
  const label = h('input', { maxlength: 100 });
  const audience = h('select', {}, ['member', 'naaste'].map((a) => h('option', { value: a }, t('audience.' + a))));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, class: 'panel', 'aria-labelledby': 'batch-title' },
    h('h3', { id: 'batch-title' }, t('invite.new')),
    h('div', { class: 'row' }, field(t('invite.count'), count), field(t('invite.uses'), uses), field(t('invite.days'), days)),
    field(t('invite.label'), label, t('invite.labelHint')),
    field(t('invite.audience'), audience),
    h('button', { type: 'submit' }, t('invite.create')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const body = { count: Number(count.value), uses: Number(uses.value), expiresInDays: Number(days.value), audience: audience.value };
    if (label.value.trim()) body.label = label.value.trim();
    try {
      const batch = await ctx.api(`/admin/communities/${encodeURIComponent(community.slug)}/invites`, { method: 'POST', body });
      ctx.notify(t('invite.issued', { n: batch.codes.length }));
      await done(batch);
    } catch (err) { error.textContent = ctx.explain(err); }
  });
  return form;
}

function revokeForm(ctx, batch, done) {
  const { t } = ctx;
  const reason = h('input', { maxlength: 500, required: true });
  const form = h('form', { novalidate: true, class: 'inline-form' },
    field(t('invite.revokeReason'), reason),
    h('button', { type: 'submit' }, t('invite.revokeConfirm')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!reason.value.trim()) { reason.setAttribute('aria-invalid', 'true'); return; }
    try {
      await ctx.api(`/admin/invite-batches/${batch.id}/revoke`, { method: 'POST', body: { reason: reason.value.trim() } });
      ctx.notify(t('invite.revoked', { label: batch.label || batch.id }));
      await done();
    } catch (err) { ctx.notify(ctx.explain(err), 'error'); }
  });
  return form;
}

export default {
  id: 'invites',
  roles: ['admin'],
  async render(container, ctx) {
    const { t } = ctx;
    const list = h('div');
    const made = h('div');
    const creating = h('div');
    const load = async (slug) => {
      made.replaceChildren();
      if (!slug) { list.replaceChildren(h('p', { class: 'hint' }, t('community.none'))); return; }
      const community = (await ctx.communities()).find((c) => c.slug === slug);
      const { batches } = await ctx.api(`/admin/communities/${encodeURIComponent(slug)}/invite-batches`);
      const rows = batches.map((b) => {
        const cell = h('div');
        const revoke = actionButton(t('invite.revoke'), b.label || b.id,
          () => { cell.replaceChildren(revokeForm(ctx, b, () => load(slug))); cell.querySelector('input').focus(); });
        if (!b.revokedAt) cell.append(revoke);
        return [b.label || '—', t('audience.' + b.audience), String(b.codes), String(b.usesPerCode), String(b.joined),
          new Date(b.expiresAt).toLocaleDateString(), b.revokedAt ? t('invite.revokedAt') : cell];
      });
      list.replaceChildren(rows.length
        ? table(t('nav.invites'), [t('invite.label'), t('invite.audience'), t('invite.codes'), t('invite.uses'), t('invite.joined'),
          t('invite.expires'), ''], rows)
        : h('p', { class: 'hint' }, t('invite.none')));
      creating.replaceChildren(createForm(ctx, community, async (batch) => {
        await load(slug);
        made.replaceChildren(issued(ctx, community, batch, made));
        made.querySelector('h3').setAttribute('tabindex', '-1');
        made.querySelector('h3').focus();
      }));
      list.dataset.loaded = slug;   // for tests: this community's list and forms are drawn
    };
    const chooser = await ctx.communitySelect(load);
    container.append(h('h2', {}, t('nav.invites')), chooser.wrap, made, list, creating);
    await load(chooser.slug());
  },
};
