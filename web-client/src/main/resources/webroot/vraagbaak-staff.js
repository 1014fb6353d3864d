// VraagBaak in the staff consoles (moderatie.html for the editors, spreekuur.html and moderatie.html
// for the answerers). Editors (moderators, admins): the community's questions by status, one opened
// with its risk and personal details, assign to an answerer, reword, clear the risk, publish, send
// back or reject with a kind reason. Answerers (professionals, peer experts): "Aan mij toegewezen"
// and the answer form. All text is set as text (el() of staff.js), never as markup.
'use strict';

/* global staffSession, el */
const vraagbaakStaff = (() => {
  const $ = (id) => document.getElementById(id);
  const api = (path, options) => staffSession.api(path, options);
  const STATUS_NL = { waiting: 'wacht', assigned: 'toegewezen', answered: 'beantwoord', published: 'gepubliceerd',
    returned: 'teruggestuurd', rejected: 'afgewezen' };
  const ROLE_NL = { professional: 'hulpverlener', peer_expert: 'ervaringsdeskundige', moderator: 'moderator', admin: 'beheer' };
  const ERRORS_NL = { conflict: 'Dat kan niet (meer) in deze status.', forbidden: 'Dat mag jouw rol niet.',
    bad_request: 'Controleer wat je hebt ingevuld.', not_found: 'Niet (meer) gevonden.', rate_limited: 'Even te veel pogingen.' };
  const explain = (err) => ERRORS_NL[err.code] || 'Er ging iets mis. Probeer het opnieuw.';
  const s = { mode: null, community: null, open: null, answerers: [] };

  function label(text, forId) { const l = el('label', text); l.htmlFor = forId; return l; }
  function input(id, tag = 'input', value = '') {
    const i = el(tag); i.id = id; i.value = value;
    if (tag === 'textarea') i.rows = 5;
    return i;
  }
  function button(text, onClick, secondary) {
    const b = el('button', text, secondary ? 'secondary' : undefined);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  /** Editors: the community's questions by status. */
  async function editor(slug) {
    s.mode = 'editor'; s.community = slug; s.open = null;
    $('vb').hidden = false;
    $('vb-filter').hidden = false;
    $('vb-list-title').textContent = 'Vragen';
    try {
      s.answerers = (await api('/vraagbaak/communities/' + encodeURIComponent(slug) + '/answerers')).answerers;
    } catch (err) { s.answerers = []; }
    await list();
  }

  /** Answerers: the questions assigned to me. */
  async function answerer() {
    s.mode = 'answerer'; s.open = null;
    $('vb').hidden = false;
    $('vb-filter').hidden = true;
    $('vb-list-title').textContent = 'Aan mij toegewezen';
    await list();
  }

  function hide() { s.mode = null; $('vb').hidden = true; }

  async function list() {
    const path = s.mode === 'editor'
      ? '/vraagbaak/communities/' + encodeURIComponent(s.community) + '/questions'
        + ($('vb-status').value ? '?status=' + encodeURIComponent($('vb-status').value) : '')
      : '/vraagbaak/assigned';
    let questions = [];
    try { questions = (await api(path)).questions; } catch (err) { $('vb-error').textContent = explain(err); }
    $('vb-count').textContent = '(' + questions.length + ')';
    $('vb-empty').hidden = questions.length > 0;
    $('vb-list').replaceChildren(...questions.map((q) => {
      const b = el('button', q.title, 'vb-pick');
      b.type = 'button';
      b.dataset.question = q.id;
      b.addEventListener('click', () => openQuestion(q.id));
      const li = el('li');
      const flags = [STATUS_NL[q.status] || q.status];
      if (q.risky && !q.riskCleared) flags.push('risico');
      if (q.pii) flags.push('persoonsgegevens');
      li.append(b, el('span', ' · ' + flags.join(' · '), 'meta'));
      return li;
    }));
    if (s.open) await openQuestion(s.open);
  }

  async function openQuestion(id) {
    s.open = id;
    $('vb-error').textContent = '';
    let q;
    try { q = (await api('/vraagbaak/questions/' + encodeURIComponent(id))).question; } catch (err) {
      $('vb-error').textContent = explain(err); return;
    }
    const box = $('vb-detail');
    const parts = [el('h3', q.title, 'vb-q-title'), el('div', q.body, 'message')];
    const meta = ['Status: ' + (STATUS_NL[q.status] || q.status)];
    if (q.asker) meta.push('gevraagd door ' + q.asker.pseudonym);
    if (q.askedAt) meta.push(new Date(q.askedAt).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' }));
    if (q.assignedTo) meta.push('toegewezen aan ' + q.assignedTo.displayName);
    parts.push(el('p', meta.join(' · '), 'meta'));
    if (q.risk) {
      parts.push(el('p', '#chatsafe: ' + q.risk.category + ' (' + q.risk.severity + ')'
        + (q.riskCleared || q.risk.cleared ? ', vrijgegeven' : ', nog niet vrijgegeven'), q.riskCleared ? 'meta' : 'vb-risk'));
    }
    if (q.pii) parts.push(el('p', 'Let op: mogelijk persoonsgegevens. Herformuleer voor publicatie.', 'vb-risk'));
    if (q.reworded && q.originalTitle !== undefined) {
      parts.push(el('p', 'Oorspronkelijke woorden (alleen voor de vrager en de redactie):', 'meta'),
        el('div', q.originalTitle + '\n' + q.originalBody, 'message'));
    }
    if (q.reason) parts.push(el('p', 'Reden: ' + q.reason, 'meta'));
    if (q.answer) {
      parts.push(el('h4', 'Antwoord' + (q.answer.by ? ' van ' + q.answer.by.displayName : '')), el('div', q.answer.body, 'message vb-answer-text'));
    }
    const open = ['waiting', 'assigned', 'answered'].includes(q.status);
    if (open) parts.push(...answerForm(q));
    if (s.mode === 'editor' && open) parts.push(...editorForms(q));
    box.replaceChildren(...parts);
    box.dataset.question = q.id;   // which question is shown (the browser tests wait on it)
  }

  function answerForm(q) {
    const form = el('form', undefined, 'vb-form');
    form.append(label('Jouw antwoord', 'vb-answer'), input('vb-answer', 'textarea', q.answer ? q.answer.body : ''));
    const send = el('button', q.answer ? 'Antwoord vervangen' : 'Antwoord versturen');
    send.type = 'submit';
    form.append(send);
    form.addEventListener('submit', (e) => { e.preventDefault(); step(q.id, 'answer', { body: $('vb-answer').value.trim() }); });
    return [form];
  }

  function editorForms(q) {
    const out = [];
    const assign = el('div', undefined, 'vb-form');
    const select = input('vb-assign', 'select');
    select.replaceChildren(...s.answerers.map((a) => {
      const o = el('option', a.displayName + ' (' + (ROLE_NL[a.role] || a.role) + ')'); o.value = a.id; return o;
    }));
    assign.append(label('Toewijzen aan', 'vb-assign'), select,
      button('Toewijzen', () => step(q.id, 'assign', { to: select.value })));
    if (q.status !== 'answered') out.push(assign);

    const wording = el('div', undefined, 'vb-form');
    wording.append(label('Titel voor publicatie', 'vb-w-title'), input('vb-w-title', 'input', q.title),
      label('Vraag voor publicatie (zonder namen, telefoonnummers, scholen)', 'vb-w-body'), input('vb-w-body', 'textarea', q.body),
      button('Formulering opslaan', () => step(q.id, 'wording', { title: $('vb-w-title').value.trim(), body: $('vb-w-body').value.trim() }), true));
    out.push(wording);

    if (q.risky && !q.riskCleared) {
      const clear = el('div', undefined, 'vb-form');
      clear.append(label('Waarom mag deze vraag toch online? (komt in het auditlog)', 'vb-clear-reason'), input('vb-clear-reason'),
        button('Risico vrijgeven', () => step(q.id, 'clear-risk', { reason: $('vb-clear-reason').value.trim() }), true));
      out.push(clear);
    }
    if (q.status === 'answered') out.push(button('Publiceren', () => step(q.id, 'publish')));

    const close = el('div', undefined, 'vb-form');
    close.append(label('Vriendelijke reden voor de vrager', 'vb-reason'), input('vb-reason'),
      button('Terugsturen', () => step(q.id, 'return', { reason: $('vb-reason').value.trim() }), true),
      button('Afwijzen', () => step(q.id, 'reject', { reason: $('vb-reason').value.trim() }), true));
    out.push(close);
    return out;
  }

  async function step(id, action, body) {
    $('vb-error').textContent = '';
    try {
      const r = await api('/vraagbaak/questions/' + encodeURIComponent(id) + '/' + action, { method: 'POST', body: body || {} });
      $('vb-done').textContent = 'Gelukt: ' + (STATUS_NL[r.status] || r.status) + '.';
      await list();
    } catch (err) { $('vb-error').textContent = explain(err); }
  }

  document.addEventListener('DOMContentLoaded', () => {
    if ($('vb-status')) $('vb-status').addEventListener('change', () => { s.open = null; list(); });
  });
  return { editor, answerer, hide };
})();
