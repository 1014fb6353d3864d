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

/** A page in its own context (its own storage), whose console errors and page errors become problems. */
export async function newPage(browser, name, problems) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`${name} console: ${msg.text()}`); });
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
}
