// VraagBaak on the members' page: ask a question (title and question; when #chatsafe sees risk
// the page shows the prompt and the help open now, as the chat does), the member's own questions
// with their status, the editors' reason and the published wording, and the community's published
// questions and answers: readable without an account, searchable (q), paged (before).
// Every text is set as text, never as markup.
/* global kringApi */
import { t, has } from './i18n.js';

const PAGE = 20;
const $ = (id) => document.getElementById(id);
let ctx = null;              // { el, token(), user(), community(), showCare(prompt, box, back), back() }
const reading = { q: '', before: null };
const WHEN = { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' };

const explain = (err) => t(has('error.' + (err && err.code)) ? 'error.' + err.code : 'error.other');
const roleLabel = (role) => (has('role.' + role) ? t('role.' + role) : role);
const date = (iso) => (iso ? new Date(iso).toLocaleDateString(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', WHEN) : '');
const path = () => '/communities/' + encodeURIComponent(ctx.community());
const canAsk = () => Boolean(ctx.token() && ctx.user() && ctx.user().community && ['member', 'naaste'].includes(ctx.user().role));

/** Wires the view once; app.js passes what it shares. */
export function initVraagBaak(shared) {
  ctx = shared;
  $('vb-back').addEventListener('click', () => { $('vb-view').hidden = true; ctx.back(); });
  $('vb-ask-form').addEventListener('submit', ask);
  $('vb-search').addEventListener('submit', (e) => {
    e.preventDefault();
    reading.q = $('vb-q').value.trim();
    loadPublished(false);
  });
  $('vb-more').addEventListener('click', () => loadPublished(true));
}

/** Shows the VraagBaak in place of the join or chat view. */
export function openVraagBaak() {
  $('join-view').hidden = true;
  $('chat-view').hidden = true;
  $('vb-view').hidden = false;
  $('vb-ask-box').hidden = !canAsk();
  $('vb-mine-box').hidden = !canAsk();
  if (canAsk()) loadMine();
  loadPublished(false);
  $('vb-title').focus();
}

/** After a notice about a question (answered, published, returned): the member's list is fresh. */
export function refreshVraagBaak() {
  if (!$('vb-view').hidden && canAsk()) loadMine();
}

async function ask(e) {
  e.preventDefault();
  $('vb-ask-error').textContent = '';
  $('vb-ask-result').textContent = '';
  $('vb-care').hidden = true;
  const title = $('vb-q-title').value.trim();
  const body = $('vb-q-body').value.trim();
  if (title.length < 3 || !body) { $('vb-ask-error').textContent = t('vb.tooShort'); return; }
  try {
    const data = await kringApi(path() + '/questions', ctx.token(), { method: 'POST', body: { title, body } });
    $('vb-q-title').value = '';
    $('vb-q-body').value = '';
    $('vb-ask-result').textContent = t('vb.sent');
    if (data.prompt) ctx.showCare(data.prompt, $('vb-care'), $('vb-q-title'));
    loadMine();
  } catch (err) {
    $('vb-ask-error').textContent = err.code === 'rate_limited' ? t('vb.rateLimited') : explain(err);
  }
}

function answerBlock(answer) {
  const { el } = ctx;
  const box = el('div', { class: 'vb-answer' });
  if (!answer) return box;
  const by = answer.by ? t('vb.answerBy', { name: answer.by.displayName, role: roleLabel(answer.by.role) }) : t('vb.answer');
  box.append(el('p', { class: 'meta', text: by }), el('p', { class: 'vb-text', text: answer.body }));
  return box;
}

async function loadMine() {
  const { el } = ctx;
  const list = $('vb-mine');
  let questions;
  try {
    questions = (await kringApi('/me/questions', ctx.token())).questions;
  } catch (err) { list.replaceChildren(el('li', { class: 'error', text: explain(err) })); return; }
  if (!questions.length) { list.replaceChildren(el('li', { class: 'hint', text: t('vb.mineNone') })); return; }
  list.replaceChildren(...questions.map((q) => {
    const li = el('li', { class: 'vb-item' });
    li.dataset.question = q.id;
    li.append(el('h3', { text: q.title }),
      el('p', { class: 'meta' }, el('span', { class: 'vb-status', text: t('vb.status.' + q.status) }), ' · ' + date(q.askedAt)),
      el('p', { class: 'vb-text', text: q.body }));
    if (q.reason) li.append(el('p', { class: 'vb-reason', text: t('vb.reason', { reason: q.reason }) }));
    if (q.published) {
      li.append(el('p', { class: 'meta', text: t('vb.publishedAs') }), el('p', { class: 'vb-published-title', text: q.published.title }),
        el('p', { class: 'vb-text', text: q.published.body }));
    }
    if (q.answer) li.append(answerBlock(q.answer));
    return li;
  }));
}

async function loadPublished(more) {
  const { el } = ctx;
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (reading.q) params.set('q', reading.q);
  if (more && reading.before) params.set('before', reading.before);
  $('vb-public-status').textContent = '';
  let questions;
  try {
    questions = (await kringApi(path() + '/questions?' + params, null)).questions;
  } catch (err) { $('vb-public-status').textContent = explain(err); return; }
  const items = questions.map((q) => {
    const li = el('li', { class: 'vb-item' });
    li.dataset.question = q.id;
    li.append(el('h3', { text: q.title }), el('p', { class: 'meta', text: date(q.publishedAt) }),
      el('p', { class: 'vb-text', text: q.body }), answerBlock(q.answer));
    return li;
  });
  if (more) $('vb-public').append(...items); else $('vb-public').replaceChildren(...items);
  reading.before = questions.length ? questions[questions.length - 1].id : reading.before;
  $('vb-more').hidden = questions.length < PAGE;
  if (!more) {
    const count = $('vb-public').children.length;
    $('vb-public-status').textContent = count ? (reading.q ? t('vb.found', { count }) : '')
      : t(reading.q ? 'vb.notFound' : 'vb.none');
  }
}
