// The operators' status: nodes and their connections, the database and its pool, the oldest open
// queue item, and the alerts firing (when Alertmanager is configured). Numbers only, no content.
import { h, table } from './dom.js';
import { may } from './roles.js';

export default {
  id: 'status',
  roles: ['operator', 'admin'],
  allowed: (user) => may.operate(user),
  async render(container, ctx) {
    const { t } = ctx;
    const out = h('div', { 'aria-live': 'polite' });
    const refresh = h('button', { type: 'button', class: 'secondary' }, t('status.refresh'));
    const load = async () => {
      try {
        const s = await ctx.api('/ops/status');
        out.replaceChildren(
          h('h3', {}, t('status.nodes')),
          table(t('status.nodes'), [t('status.node'), t('status.connections')],
            s.nodes.map((n) => [n.self ? t('status.self', { id: n.id }) : n.id,
              n.connections === null ? t('status.noAnswer') : String(n.connections)])),
          h('h3', {}, t('status.database')),
          h('p', {}, t(s.database.up ? 'status.dbUp' : 'status.dbDown'), ' ',
            t('status.pool', { used: s.database.poolInUse, size: s.database.poolSize })),
          h('h3', {}, t('status.queue')),
          h('p', {}, s.oldestOpenItemAt ? t('status.oldest', { at: new Date(s.oldestOpenItemAt).toLocaleString() }) : t('status.queueEmpty')),
          h('h3', {}, t('status.alerts')),
          s.alerts === null ? h('p', { class: s.alertsError ? 'waiting' : 'hint' },
            t(s.alertsError ? 'status.alertsUnreachable' : 'status.noAlertmanager'))
            : s.alerts.length ? table(t('status.alerts'), [t('status.alert'), t('status.severity'), t('status.since')],
              s.alerts.map((a) => [a.name, a.severity, new Date(a.since).toLocaleString()]))
              : h('p', {}, t('status.noAlerts')));
      } catch (err) {
        out.replaceChildren(h('p', { class: 'waiting' }, err.status === 404 ? t('waitsForApi') : ctx.explain(err)));
      }
    };
    refresh.addEventListener('click', load);
    container.append(h('h2', {}, t('nav.status')), refresh, out);
    await load();
  },
};
