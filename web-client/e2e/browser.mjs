// What every browser check shares: Debian's headless Chromium, pages that record console errors
// and page errors as problems, the CSP check, and the one-line verdict (OK, or FAILED and why).
import { chromium } from 'playwright-core';

export const TIMEOUT = 20000;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A page in its own context (its own storage), whose console errors and page errors become problems
 * (but for those matching expectedErrors: a test that stops the server expects refused connections).
 */
export async function newPage(browser, name, problems, { expectedErrors = null, viewport } = {}) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (msg) => {
    // a refused request's message does not name the URL: it is added (" at URL") for the test and the report
    const text = msg.text() + (msg.location() && msg.location().url ? ' at ' + msg.location().url : '');
    if (msg.type() === 'error' && !(expectedErrors && expectedErrors.test(text))) problems.push(`${name} console: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`${name} page error: ${err.message}`));
  return page;
}

/** The page's Content-Security-Policy must allow only our own scripts, never inline ones. */
export async function checkCsp(page, url, problems) {
  const csp = (await (await page.request.get(url)).headers())['content-security-policy'] || '';
  if (!csp.includes("script-src 'self'") || csp.includes('unsafe-inline')) problems.push('weak CSP: ' + csp);
}

/** Runs the scenario, closes the browser, prints the verdict and exits with 0 or 1. */
export async function run(scenario) {
  const problems = [];
  const browser = await launch();
  try {
    await scenario(browser, problems);
  } catch (err) {
    problems.push(err.message);
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.log('FAILED\n' + problems.join('\n'));
    process.exit(1);
  }
  console.log('OK');
  process.exit(0);   // a scenario that reads standard input would otherwise keep node alive
}

/**
 * A member joins through an invite link (#/join/<community>/<code>): pseudonym, age band, the
 * house rules ticked when the community has them; resolves once the page says it is connected.
 */
export async function joinByInvite(page, baseUrl, community, code, pseudonym, ageBand = '16-17') {
  await page.goto(`${baseUrl}/#/join/${community}/${code}`);
  await page.locator('#front:not([hidden])').waitFor({ state: 'attached' });   // the front door has loaded
  await page.getByLabel('Schuilnaam').fill(pseudonym);
  await page.getByLabel('Leeftijd').selectOption(ageBand);
  if (await page.locator('#agree-line').isVisible()) await page.getByLabel('Ik houd me aan de huisregels').check();
  await page.getByRole('button', { name: 'Meedoen' }).click();
  await page.getByText(/^Verbonden als /).waitFor();
}

/** Types and sends a message that #chatsafe lets through without a word. */
export async function send(page, text) {
  await page.getByLabel('Bericht', { exact: true }).fill(text);
  await page.locator('#compose').getByRole('button', { name: 'Versturen' }).click();
}

/** Types a message that #chatsafe stops for a moment (a prompt, a hold), and sends it anyway. */
export async function sendAnyway(page, text) {
  await send(page, text);
  await page.getByRole('button', { name: 'Toch versturen' }).click();
}

/** A page that counts every __xss() call, alert, confirm or prompt, and the CSP's violation reports (the XSS checks). */
const TRAP = () => {
  window.__xssRan = 0;
  window.__xss = () => { window.__xssRan += 1; };
  for (const name of ['alert', 'confirm', 'prompt']) window[name] = () => { window.__xssRan += 1; };
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
};

export async function trapped(browser, name, problems, options = {}) {
  const page = await newPage(browser, name, problems, options);
  await page.addInitScript(TRAP);
  page.on('dialog', (d) => { problems.push(`${name}: a dialog opened: ${d.message()}`); d.dismiss(); });
  return page;
}

export async function verdict(page, name, problems) {
  const { ran, csp } = await page.evaluate(() => ({ ran: window.__xssRan, csp: window.__csp }));
  if (ran !== 0) problems.push(`${name}: a payload ran ${ran} time(s)`);
  if (csp.length) problems.push(`${name}: CSP violations: ${csp.join('; ')}`);
}
