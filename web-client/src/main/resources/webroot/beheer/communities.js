// Communities: the list with live numbers (members online, open queue items, oldest item), a new
// community (operators and installation admins), and its front door: name, welcome text, house
// rules, age range, colours (with the WCAG contrast check before saving) and logo.
import { h, field, check, table, actionButton, AGE_BANDS } from './dom.js';
import { may } from './roles.js';
import { contrast, MINIMUM, isColour } from './contrast.js';

const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const LOGO_MAX_BYTES = 256 * 1024;   // PUT /admin/communities/{slug}/logo takes at most 256 KiB (413 above)

/** "n min" since an instant, or a dash. */
function age(ctx, iso) {
  if (!iso) return '—';
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  return ctx.t('minutesAgo', { n: minutes });
}

async function liveCells(ctx, slug) {
  try {
    const live = await ctx.api(`/admin/communities/${encodeURIComponent(slug)}/live`);
    return [String(live.membersOnline), String(live.openQueueItems), age(ctx, live.oldestOpenItemAt)];
  } catch (err) {
    return [h('span', { class: 'waiting' }, '—'), '—', '—'];
  }
}

/**
 * A colour input with its contrast verdict, updated as it changes: text (white on the main colour,
 * which the members' page uses behind its header; dark ink on the accent colour) must reach 4.5:1.
 */
function colourField(ctx, label, value, text = '#ffffff') {
  const { t } = ctx;
  const input = h('input', { type: 'color', value });
  const against = t(text === '#ffffff' ? 'community.whiteText' : 'community.darkText');
  const hex = h('input', { value, maxlength: 7, pattern: '#[0-9a-f]{6}', 'aria-label': label + ' (hex)' });
  const verdict = h('p', { class: 'contrast', 'aria-live': 'polite' });
  const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });   // the colour itself; the verdict says it in words
  const update = (from) => {
    if (from === input) hex.value = input.value;
    const v = hex.value.trim().toLowerCase();
    if (!isColour(v)) {
      verdict.dataset.ok = 'false';
      verdict.textContent = t('community.colourFormat');
      return;
    }
    if (from === hex) input.value = v;
    swatch.style.backgroundColor = v;
    const ratio = contrast(v, text);
    verdict.dataset.ok = String(ratio >= MINIMUM);
    verdict.textContent = t(ratio >= MINIMUM ? 'community.contrastOk' : 'community.contrastLow', { ratio: ratio.toFixed(2), against });
  };
  input.addEventListener('input', () => update(input));
  hex.addEventListener('input', () => update(hex));
  update(null);
  const node = h('div', { class: 'field' }, field(label, input), hex, h('p', {}, swatch), verdict);
  return { node, value: () => hex.value.trim().toLowerCase(), ok: () => verdict.dataset.ok === 'true' };
}

function editForm(ctx, community, done) {
  const { t } = ctx;
  const name = h('input', { value: community.name, maxlength: 100, required: true });
  const welcome = h('textarea', { maxlength: 4000 }, community.welcomeText || '');
  const rules = h('textarea', { maxlength: 8000 }, community.houseRules || '');
  const bands = AGE_BANDS.map((b) => check(b, { value: b, checked: (community.ageBands || []).includes(b) }));
  const primary = colourField(ctx, t('community.primary'), community.branding.primaryColour);
  const accent = colourField(ctx, t('community.accent'), community.branding.accentColour, '#1d1d1f');
  const logo = h('input', { type: 'file', accept: LOGO_TYPES.join(',') });
  const removeLogo = check(t('community.logoRemove'));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'edit-title' },
    h('h3', { id: 'edit-title' }, t('community.edit', { name: community.name })),
    field(t('community.name'), name),
    field(t('community.welcome'), welcome),
    field(t('community.rules'), rules, t('community.rulesHint')),
    h('fieldset', {}, h('legend', {}, t('community.ageBands')), bands.map((b) => b.label)),
    primary.node, accent.node,
    community.branding.logoUrl
      ? h('p', {}, h('img', { src: community.branding.logoUrl, alt: t('community.logoNow'), class: 'logo-preview', width: 64, height: 64 }))
      : null,
    field(t('community.logo'), logo, t('community.logoHint')),
    community.branding.logoUrl ? removeLogo.label : null,
    h('button', { type: 'submit' }, t('save')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!primary.ok() || !accent.ok()) { error.textContent = t('community.contrastBlocked'); return; }
    const ageBands = bands.filter((b) => b.box.checked).map((b) => b.box.value);
    if (!ageBands.length) { error.textContent = t('community.noBands'); return; }
    const body = { name: name.value.trim(), welcomeText: welcome.value, houseRules: rules.value, ageBands,
      primaryColour: primary.value(), accentColour: accent.value() };
    const file = logo.files[0];
    if (file) {   // checked here before anything is sent; the server checks the magic bytes again
      if (!LOGO_TYPES.includes(file.type)) { error.textContent = t('community.logoType'); return; }
      if (file.size > LOGO_MAX_BYTES) { error.textContent = t('community.logoSize'); return; }
    }
    const path = `/admin/communities/${encodeURIComponent(community.slug)}`;
    try {
      await ctx.api(path, { method: 'PATCH', body });
      if (file) await ctx.upload(path + '/logo', file);
      else if (removeLogo.box.checked) await ctx.api(path + '/logo', { method: 'DELETE' });
      ctx.notify(t('saved'));
      await done();
    } catch (err) { error.textContent = ctx.explain(err); }
  });
  return form;
}

function createForm(ctx, done) {
  const { t } = ctx;
  const slug = h('input', { pattern: '[a-z0-9][a-z0-9_-]{1,62}', maxlength: 63, required: true, autocomplete: 'off' });
  const name = h('input', { maxlength: 100, required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'new-title', class: 'panel' },
    h('h3', { id: 'new-title' }, t('community.new')),
    field(t('community.slug'), slug, t('community.slugHint')),
    field(t('community.name'), name),
    h('button', { type: 'submit' }, t('community.create')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!/^[a-z0-9][a-z0-9_-]{1,62}$/.test(slug.value.trim())) { error.textContent = t('community.slugHint'); return; }
    try {
      const made = await ctx.api('/admin/communities', { method: 'POST', body: { slug: slug.value.trim(), name: name.value.trim() } });
      ctx.community = made.slug;
      ctx.notify(t('community.created', { name: made.name }));
      await done(made.slug);
    } catch (err) { error.textContent = err.code === 'conflict' ? t('community.slugTaken') : ctx.explain(err); }
  });
  return form;
}

export default {
  id: 'communities',
  roles: ['admin', 'operator', 'moderator'],
  async render(container, ctx) {
    const { t, user } = ctx;
    const editing = h('div');
    const list = h('div');
    const redraw = async (open) => {
      const communities = await ctx.communities(true);
      const rows = await Promise.all(communities.map(async (c) => [
        h('span', {}, c.name, h('br'), h('span', { class: 'hint' }, c.slug)),
        ...(may.liveNumbers(user) ? await liveCells(ctx, c.slug) : []),
        may.manageCommunity(user)
          ? actionButton(t('edit'), c.name, () => openEdit(c.slug))
          : '']));
      const headers = [t('community.name'), ...(may.liveNumbers(user) ? [t('live.online'), t('live.open'), t('live.oldest')] : []), ''];
      list.replaceChildren(communities.length ? table(t('nav.communities'), headers, rows) : h('p', { class: 'hint' }, t('community.none')));
      if (open) await openEdit(open);
    };
    const openEdit = async (slug) => {
      ctx.community = slug;
      const community = await ctx.api(`/admin/communities/${encodeURIComponent(slug)}`);
      editing.replaceChildren(editForm(ctx, community, () => redraw(null)));
      editing.querySelector('input').focus();
    };
    container.append(...[h('h2', {}, t('nav.communities')),
      h('p', { class: 'hint' }, t('community.intro')), list,
      may.createCommunity(user) ? createForm(ctx, (slug) => redraw(slug)) : null, editing].filter(Boolean));
    await redraw(null);
  },
};
