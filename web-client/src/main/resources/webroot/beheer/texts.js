// The back office's texts (lang/nl.js, lang/en.js): t('key', {vars}) fills {name} placeholders; a
// missing key shows as ⟦key⟧ so that a test finds it. The language is the one the members' page
// keeps (localStorage 'kring.lang'), Dutch unless English was chosen; staff load both catalogues.
import nl from './lang/nl.js';
import en from './lang/en.js';

const CATALOGUES = { nl, en };
const KEY = 'kring.lang';
let lang = CATALOGUES[localStorage.getItem(KEY)] ? localStorage.getItem(KEY) : 'nl';

export function language() { return lang; }

export function setLanguage(next) {
  lang = CATALOGUES[next] ? next : 'nl';
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  translate(document);
}

export function t(key, vars = {}) {
  const text = CATALOGUES[lang][key] ?? CATALOGUES.nl[key];
  if (text === undefined) return '⟦' + key + '⟧';
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

export function translate(root) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
}

document.documentElement.lang = lang;
