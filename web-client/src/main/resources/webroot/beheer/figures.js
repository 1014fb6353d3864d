// Figures: the k-anonymous counts of a community for a date range (rows under 10 members show
// "<10" and no counts), as a table, a bar chart of messages per day, and the CSV as the server made it.
import { h, field, table, download, parseCsv } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Bars of messages per day (counted rows only), labelled for screen readers by the table beside it. */
function chart(ctx, perDay) {
  const days = [...perDay.keys()].sort();
  const max = Math.max(1, ...perDay.values());
  const width = 600;
  const height = 200;
  const bar = days.length ? (width - 40) / days.length : 0;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height + 30}`, class: 'chart', role: 'img',
    'aria-label': ctx.t('figures.chartLabel', { days: days.length, max }) });
  root.append(svg('line', { x1: 30, y1: height, x2: width, y2: height, stroke: '#4a4a4f' }));
  root.append(svg('text', { x: 0, y: 12, 'font-size': 12, fill: '#1d1d1f' }, String(max)));
  days.forEach((day, i) => {
    const value = perDay.get(day);
    const barHeight = (value / max) * (height - 20);
    const rect = svg('rect', { x: 34 + i * bar, y: height - barHeight, width: Math.max(1, bar - 4), height: barHeight, fill: '#1f5f8b' });
    rect.append(svg('title', {}, `${day}: ${value}`));
    root.append(rect);
    if (days.length <= 14 || i % Math.ceil(days.length / 7) === 0) {
      root.append(svg('text', { x: 34 + i * bar, y: height + 16, 'font-size': 11, fill: '#1d1d1f' }, day.slice(5)));
    }
  });
  return root;
}

export default {
  id: 'figures',
  roles: ['admin', 'operator'],
  async render(container, ctx) {
    const { t } = ctx;
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
    const from = h('input', { type: 'date', value: monthAgo, required: true });
    const to = h('input', { type: 'date', value: today, required: true });
    const out = h('div', { 'aria-live': 'polite' });
    const error = h('p', { class: 'error', role: 'alert' });
    const chooser = await ctx.communitySelect(() => out.replaceChildren());
    const form = h('form', { novalidate: true },
      h('div', { class: 'row' }, field(t('figures.from'), from), field(t('figures.to'), to)),
      h('button', { type: 'submit' }, t('figures.show')), error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      const slug = chooser.slug();
      try {
        const text = await ctx.text(`/admin/communities/${encodeURIComponent(slug)}/figures?from=${from.value}&to=${to.value}`);
        const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
        const perDay = new Map();
        const messages = header.indexOf('messages');
        for (const r of rows) perDay.set(r[0], (perDay.get(r[0]) || 0) + (Number(r[messages]) || 0));
        out.replaceChildren(
          h('h3', {}, t('figures.result', { from: from.value, to: to.value })),
          rows.length ? chart(ctx, perDay) : h('p', { class: 'hint' }, t('figures.empty')),
          h('p', { class: 'hint' }, t('figures.kAnon')),
          table(t('nav.figures'), header.map((c) => t('figures.col.' + c)), rows),
          h('button', { type: 'button', class: 'secondary', onclick: () => download(`kring-${slug}-${from.value}-${to.value}.csv`, text) },
            t('figures.csv')));
      } catch (err) { error.textContent = ctx.explain(err); }
    });
    container.append(h('h2', {}, t('nav.figures')), chooser.wrap, form, out);
  },
};
