// The back office's main screens at phone (375 px) and desktop (1280 px) width, for docs/screenshots:
// the communities list with live numbers and a community's front door, rooms, invites with the print
// sheet, staff, the help directory, the figures, the audit trail and TOTP enrolment.
// Usage: node screenshots-beheer.mjs <baseUrl> <adminEmail> <adminPassword> <community> <outDir>
import { mkdirSync } from 'node:fs';
import { newPage, run } from './browser.mjs';

const [baseUrl, email, password, community, outDir] = process.argv.slice(2);
const WIDTHS = { phone: { width: 375, height: 740 }, desktop: { width: 1280, height: 800 } };
mkdirSync(outDir, { recursive: true });

async function open(page, name) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.locator('#screen h2', { hasText: name }).waitFor();
}

await run(async (browser, problems) => {
  for (const [width, viewport] of Object.entries(WIDTHS)) {
    const page = await newPage(browser, 'admin-' + width, problems, { viewport });
    const shot = (name) => page.screenshot({ path: `${outDir}/beheer-${name}-${width}.png`, fullPage: width === 'desktop' });
    await page.goto(baseUrl + '/beheer.html');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
    await shot('signin');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.locator('#screen h2', { hasText: 'Communities' }).waitFor();
    await page.getByRole('row').filter({ hasText: community }).getByRole('button', { name: /^Wijzigen/ }).click();
    await page.locator('.contrast[data-ok="true"]').first().waitFor();
    await shot('communities');
    await open(page, 'Kamers');
    await page.getByLabel('Community', { exact: true }).selectOption(community);
    await page.locator(`[data-loaded="${community}"]`).waitFor();
    await shot('rooms');
    await open(page, 'Uitnodigingen');
    await page.locator(`[data-loaded="${community}"]`).waitFor();
    await page.getByLabel('Aantal codes').fill('4');
    await page.getByLabel('Partner').fill('Zomerschool');
    await page.getByRole('button', { name: 'Codes maken' }).click();
    await page.getByRole('button', { name: 'Afdrukvel tonen' }).click();
    await page.locator('.print-area svg.qr').nth(3).waitFor();
    await shot('invites');
    await open(page, 'Medewerkers');
    await shot('staff');
    await open(page, 'Hulpgids');
    await page.locator(`[data-loaded="${community}"]`).waitFor();
    await shot('help');
    await open(page, 'Cijfers');
    await page.getByRole('button', { name: 'Cijfers tonen' }).click();
    await page.getByRole('heading', { name: /^Cijfers van / }).waitFor();
    await shot('figures');
    await open(page, 'Logboek');
    await page.locator('#screen table.data').waitFor();
    await shot('audit');
    await open(page, 'Mijn account');
    await page.getByRole('button', { name: 'Tweestapsverificatie instellen' }).click();
    await page.getByRole('img', { name: 'QR-code voor je authenticator-app' }).waitFor();
    await shot('account');
    await page.context().close();
  }
});
