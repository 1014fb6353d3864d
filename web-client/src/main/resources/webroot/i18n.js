// One message catalogue per language (lang/nl.js, lang/en.js). t('key', {vars}) fills {name}
// placeholders; a missing key shows as ⟦key⟧ so that a test can find it. Elements with
// data-i18n get their text from the catalogue, data-i18n-placeholder and data-i18n-label their
// placeholder and aria-label. The choice is kept in localStorage (Dutch unless English was chosen).
// English is loaded only when chosen, so a first visit fetches one catalogue.
import nl from './lang/nl.js';

const CATALOGUES = { nl };
const LOADERS = { en: () => import('./lang/en.js') };
const KEY = 'kring.lang';
let lang = 'nl';

async function load(name) {
  if (!CATALOGUES[name] && LOADERS[name]) CATALOGUES[name] = (await LOADERS[name]()).default;
  return Boolean(CATALOGUES[name]);
}

if (await load(localStorage.getItem(KEY))) lang = localStorage.getItem(KEY);

export function language() { return lang; }

export async function setLanguage(next) {
  lang = (await load(next)) ? next : 'nl';
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  translate(document);
}

export function has(key) { return key in CATALOGUES[lang] || key in CATALOGUES.nl; }

export function t(key, vars = {}) {
  const text = CATALOGUES[lang][key] ?? CATALOGUES.nl[key];
  if (text === undefined) return '⟦' + key + '⟧';
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

/** The keys of every catalogue, for the test that they agree. */
export async function catalogueKeys() {
  for (const name of Object.keys(LOADERS)) await load(name);
  return Object.fromEntries(Object.entries(CATALOGUES).map(([k, v]) => [k, Object.keys(v).sort()]));
}

document.documentElement.lang = lang;
