// Building the back office's DOM: every text goes in as text (textContent), never as markup,
// and no inline style or script is made (the page's CSP forbids them).

/**
 * h('button', {type: 'button', class: 'secondary', onclick: fn}, 'Text', child...): attributes by
 * name, on* as listeners, 'hidden'/'checked'/'disabled'/'value'/'selected' as properties; children are
 * nodes or strings (as text); null and false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (['hidden', 'checked', 'disabled', 'value', 'selected', 'required', 'multiple'].includes(name)) node[name] = value;
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let ids = 0;
/** A label and its control, tied by a fresh id; hint (optional) is tied with aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || 'f' + (++ids);
  control.id = id;
  const parts = [h('label', { for: id }, label)];
  if (hint) {
    const hintId = id + '-hint';
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  parts.push(control);
  return h('div', { class: 'field' }, parts);
}

/** A checkbox with its label text. */
export function check(label, attrs = {}) {
  const box = h('input', { type: 'checkbox', ...attrs });
  return { box, label: h('label', { class: 'inline switch' }, box, ' ', label) };
}

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

/** A file download of text made here (CSV): nothing leaves the browser. */
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type: type + ';charset=utf-8' }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** One CSV field (RFC 4180); a leading = + - @ is neutralised so that a spreadsheet runs no formula. */
export function csvField(value) {
  let s = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** Parses RFC 4180 CSV into rows of strings. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

export const AGE_BANDS = ['12-15', '16-17', '18-21', '22-25', '26+'];
export const PROVINCES = ['drenthe', 'flevoland', 'friesland', 'gelderland', 'groningen', 'limburg', 'noord-brabant',
  'noord-holland', 'overijssel', 'utrecht', 'zeeland', 'zuid-holland'];

/**
 * A button whose visible text is the action and whose accessible name adds what it acts on
 * ("Wijzigen" + hidden " Kamer 3"), so that the visible text is part of the name (WCAG 2.5.3).
 */
export function actionButton(text, what, onclick, className = 'secondary') {
  return h('button', { type: 'button', class: className, onclick }, text, h('span', { class: 'visually-hidden' }, ' ' + what));
}
