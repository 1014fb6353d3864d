// Rooms of a community: admins create and edit them (kind, age bands, region, capacity, slow mode,
// read-only, pinned notice, archive); moderators set the room controls only (slow mode, read-only,
// pinned notice) through the moderators' call. "Regional" is a community room with a province.
import { h, field, check, table, actionButton, AGE_BANDS, PROVINCES } from './dom.js';
import { may } from './roles.js';

const KINDS = ['community', 'naasten', 'age_banded', 'regional'];

function kindOf(room) {
  return room.kind === 'community' && room.region ? 'regional' : room.kind;
}

/** The room form: a new room (room null) or one to change; controlsOnly for moderators. */
function roomForm(ctx, slug, room, controlsOnly, done) {
  const { t } = ctx;
  const name = h('input', { value: room ? room.name : '', maxlength: 100, required: true });
  const kind = h('select', { disabled: Boolean(room) }, KINDS.map((k) => h('option', { value: k, selected: room && kindOf(room) === k }, t('kind.' + k))));
  const bands = AGE_BANDS.map((b) => check(b, { value: b, checked: Boolean(room && (room.ageBands || []).includes(b)) }));
  const bandSet = h('fieldset', {}, h('legend', {}, t('room.ageBands')), bands.map((b) => b.label));
  const region = h('select', {}, h('option', { value: '' }, t('room.noRegion')),
    PROVINCES.map((p) => h('option', { value: p, selected: room && room.region === p }, t('province.' + p))));
  const regionField = field(t('room.region'), region);
  const capacity = h('input', { type: 'number', min: 2, max: 100000, value: room ? room.capacity : 200 });
  const slow = h('input', { type: 'number', min: 0, max: 3600, value: room ? room.slowModeSeconds : 0 });
  const readOnly = check(t('room.readOnly'), { checked: Boolean(room && room.readOnly) });
  const pinned = h('textarea', { maxlength: 1000 }, room && room.pinnedNotice ? room.pinnedNotice : '');
  const archived = check(t('room.archived'), { checked: Boolean(room && room.archived) });
  const error = h('p', { class: 'error', role: 'alert' });
  const showFor = () => {
    bandSet.hidden = kind.value !== 'age_banded';
    regionField.hidden = kind.value !== 'regional' && !(room && room.region);
  };
  kind.addEventListener('change', showFor);
  showFor();
  const title = room ? t('room.edit', { name: room.name }) : t('room.new');
  const form = h('form', { novalidate: true, class: 'panel', 'aria-label': title },
    h('h3', {}, title),
    controlsOnly ? null : [field(t('room.name'), name), field(t('room.kind'), kind), bandSet, regionField,
      field(t('room.capacity'), capacity, t('room.capacityHint'))],
    field(t('room.slowMode'), slow, t('room.slowModeHint')),
    readOnly.label,
    field(t('room.pinned'), pinned),
    controlsOnly || !room ? null : archived.label,
    h('button', { type: 'submit' }, room ? t('save') : t('room.create')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const body = { slowModeSeconds: Number(slow.value), readOnly: readOnly.box.checked, pinnedNotice: pinned.value.trim() || null };
    if (!controlsOnly) {
      Object.assign(body, { name: name.value.trim(), capacity: Number(capacity.value) });
      if (kind.value === 'age_banded') {
        body.ageBands = bands.filter((b) => b.box.checked).map((b) => b.box.value);
        if (!body.ageBands.length) { error.textContent = t('room.noBands'); return; }
      }
      if (kind.value === 'regional' && !region.value) { error.textContent = t('room.needRegion'); return; }
      if (!regionField.hidden) body.region = region.value || null;
      if (room) body.archived = archived.box.checked;
      else body.kind = kind.value === 'regional' ? 'community' : kind.value;
    }
    try {
      if (controlsOnly) await ctx.api(`/moderation/rooms/${room.id}`, { method: 'PATCH', body });
      else if (room) await ctx.api(`/admin/rooms/${room.id}`, { method: 'PATCH', body });
      else await ctx.api(`/admin/communities/${encodeURIComponent(slug)}/rooms`, { method: 'POST', body });
      ctx.notify(room ? t('saved') : t('room.created', { name: body.name }));
      await done();
    } catch (err) { error.textContent = ctx.explain(err); }
  });
  return form;
}

export default {
  id: 'rooms',
  roles: ['admin', 'moderator'],
  async render(container, ctx) {
    const { t, user } = ctx;
    const admin = may.manageRooms(user);
    const list = h('div');
    const editing = h('div');
    const creating = h('div');
    const load = async (slug) => {
      editing.replaceChildren();
      if (!slug) { list.replaceChildren(h('p', { class: 'hint' }, t('community.none'))); return; }
      const rooms = admin
        ? (await ctx.api(`/admin/communities/${encodeURIComponent(slug)}/rooms`)).rooms
        : (await ctx.api('/rooms')).rooms.filter((r) => r.community === slug && ['community', 'naasten', 'age_banded'].includes(r.kind));
      const open = (room) => {
        editing.replaceChildren(roomForm(ctx, slug, room, !admin, () => load(slug)));
        editing.querySelector('input, select, textarea').focus();
      };
      const rows = rooms.filter((r) => r.kind !== 'private').map((r) => [
        r.name, t('kind.' + kindOf(r)),
        [r.ageBands ? r.ageBands.join(', ') : '', r.region ? ' ' + t('province.' + r.region) : ''].join(''),
        [r.readOnly ? t('room.readOnlyShort') : '', r.slowModeSeconds ? t('room.slowShort', { n: r.slowModeSeconds }) : '',
          r.archived ? t('room.archivedShort') : ''].filter(Boolean).join(', '),
        actionButton(t('edit'), r.name, () => open(r))]);
      list.replaceChildren(rows.length
        ? table(t('nav.rooms'), [t('room.name'), t('room.kind'), t('room.who'), t('room.settings'), ''], rows)
        : h('p', { class: 'hint' }, t('room.none')));
      if (admin) creating.replaceChildren(roomForm(ctx, slug, null, false, () => load(slug)));
      list.dataset.loaded = slug;   // for tests: this community's list and forms are drawn
    };
    const chooser = await ctx.communitySelect(load);
    container.append(...[h('h2', {}, t('nav.rooms')), admin ? null : h('p', { class: 'hint' }, t('room.moderatorHint')),
      chooser.wrap, list, editing, creating].filter(Boolean));
    await load(chooser.slug());
  },
};
