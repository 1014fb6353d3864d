// The XSS corpus (xss-payloads.txt) through the back office (beheer.html) in a real headless
// Chromium. Given by the Java test (noXssPayloadRunsInTheBackOffice): a community whose name, welcome
// text and house rules are payloads, a room per payload (names of up to 100 characters; pinned
// notices too), help entries, invite batch labels and staff display names that are payloads. Here an
// installation admin opens every screen and every edit form of those; nothing may run (no __xss()
// call, no dialog, no CSP violation) and the payloads must be on the page as text.
// Usage: node xss-beheer.mjs <baseUrl> <community> <adminEmail> <adminPassword> <acceptedJsonFile>
import { readFileSync } from 'node:fs';
import { checkCsp, run, trapped, verdict } from './browser.mjs';

const [baseUrl, community, adminEmail, adminPassword, acceptedFile] = process.argv.slice(2);
const accepted = JSON.parse(readFileSync(acceptedFile, 'utf8'));
const payloads = readFileSync(new URL('./xss-payloads.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.length);

async function open(page, name) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.locator('#screen h2', { hasText: name }).waitFor();
}

function expectText(text, wanted, where, problems) {
  for (const w of wanted) if (!text.includes(w)) problems.push(`${where}: not on the page as text: ${w}`);
}

await run(async (browser, problems) => {
  // a refused request is a failure
  const page = await trapped(browser, 'admin', problems);
  await page.goto(baseUrl + '/beheer.html');
  await page.getByLabel('E-mailadres').fill(adminEmail);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(adminPassword);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#screen h2', { hasText: 'Communities' }).waitFor();
  await page.locator('table.data').waitFor();
  const short = payloads.filter((p) => p.length <= 100);
  const name = short[0];

  // the community: list, then its edit form (name, welcome text, house rules as field values)
  expectText(await page.locator('table.data').textContent(), [name], 'communities', problems);
  await page.getByRole('button', { name: 'Wijzigen ' + name }).click();
  await page.getByLabel('Huisregels').waitFor();
  const rules = await page.getByLabel('Huisregels').inputValue();
  expectText(rules, payloads.slice(0, 20), 'house rules', problems);

  // rooms: every name in the list, and each edit form opened
  await open(page, 'Kamers');
  await page.locator(`[data-loaded="${community}"]`).waitFor();
  expectText(await page.locator('table.data').textContent(), accepted.rooms, 'rooms', problems);
  const edits = page.getByRole('button', { name: /^Wijzigen / });
  const count = await edits.count();
  for (let i = 0; i < count; i += 1) {
    await edits.nth(i).click();
    await page.getByRole('form', { name: /wijzigen$/ }).waitFor();
  }

  await open(page, 'Uitnodigingen');
  await page.locator(`[data-loaded="${community}"]`).waitFor();
  expectText(await page.locator('table.data').textContent(), accepted.batches, 'invite batches', problems);

  await open(page, 'Hulpgids');
  await page.locator(`[data-loaded="${community}"]`).waitFor();
  expectText(await page.locator('table.data').textContent(), accepted.help, 'help directory', problems);

  await open(page, 'Medewerkers');
  await page.locator('table.data').waitFor();
  const staffText = await page.locator('table.data').textContent();
  expectText(staffText, accepted.staff, 'staff', problems);
  const staffEdits = page.getByRole('button', { name: /^Wijzigen / });
  for (let i = 0; i < Math.min(20, await staffEdits.count()); i += 1) await staffEdits.nth(i).click();

  for (const screen of ['Cijfers', 'Logboek', 'Status', 'Mijn account']) await open(page, screen);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('link', { name: 'Rooms', exact: true }).waitFor();
  await verdict(page, 'back office', problems);
  await checkCsp(page, baseUrl + '/beheer.html', problems);
});
