// WCAG 2.1 A/AA in a real headless Chromium: axe-core scans every page and every state a member
// meets (the invite front door, a refused pseudonym, the chat with a staff message, a content
// warning, a pending message, the #chatsafe check, the care box, the help dialog, the message
// menu, the English catalogue) and the staff consoles, at 320 px (a small phone) and 1280 px;
// zero violations allowed. Also: nothing scrolls sideways at 320 px (reflow), the whole join
// and send path works with the keyboard alone, and the focused control is visibly outlined.
// Usage: node accessibility.mjs <baseUrl> <community> <inviteCode1> <inviteCode2> <roomName> <adminEmail> <adminPassword>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { newPage, run } from './browser.mjs';

const [baseUrl, community, code1, code2, roomName, adminEmail, adminPassword] = process.argv.slice(2);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [{ width: 320, height: 640 }, { width: 1280, height: 800 }];
let scans = 0;

/** Runs axe on the page as it is now; every violation becomes a problem naming the state. */
async function scan(page, state, problems) {
  // evaluated through the DevTools protocol, which the page's CSP does not govern
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  for (const v of result.violations) {
    problems.push(`${state} (${page.viewportSize().width}px): ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  const width = page.viewportSize().width;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scrollWidth > width) problems.push(`${state} (${width}px): the page scrolls sideways (${scrollWidth}px wide)`);
  scans += 1;
}

async function outlined(page, what, problems) {
  const style = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  if (style.style === 'none' || style.width < 2) problems.push(`no visible focus on ${what}: ${JSON.stringify(style)}`);
}

await run(async (browser, problems) => {
  for (const [i, viewport] of WIDTHS.entries()) {
    const code = [code1, code2][i];
    const page = await newPage(browser, 'member-' + viewport.width, problems, { viewport });
    await page.goto(`${baseUrl}/#/join/${community}/${code}`);
    await page.getByRole('heading', { name: 'Huisregels' }).waitFor();
    await scan(page, 'front door', problems);
    await page.getByLabel('Schuilnaam').fill('06-12345678');
    await page.locator('#pseudonym-check[data-ok="false"]').waitFor();
    await scan(page, 'refused pseudonym', problems);
    await page.getByRole('button', { name: 'Hulp nodig?' }).click();
    await page.getByRole('dialog').getByText('113').first().waitFor();
    await scan(page, 'help dialog', problems);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // the keyboard alone: pseudonym, age band, the rules, join, a room, a message
    await page.getByLabel('Schuilnaam').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`Toets_${viewport.width}`);
    await outlined(page, 'the pseudonym field', problems);
    await page.keyboard.press('Tab');                       // age band
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');                       // the rules
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');                       // Meedoen
    await outlined(page, 'the join button', problems);
    await page.keyboard.press('Enter');
    await page.getByText(/^Verbonden als /).waitFor();
    const room = page.getByRole('button', { name: roomName });
    await room.focus();
    await page.keyboard.press('Enter');
    await page.locator('#body:focus').waitFor();
    // each viewport joins the same room: its greeting is its own, so the locator finds one message
    const greeting = `Hallo allemaal vanaf ${viewport.width} px`;
    await page.keyboard.type(greeting);
    await page.keyboard.press('Enter');
    await page.locator('#messages li[data-seq]', { hasText: greeting }).waitFor();
    await page.locator('#messages li', { hasText: 'Let op' }).first().waitFor();   // a content warning
    await scan(page, 'chat', problems);

    // a heavy message: the check, then the care box after sending
    await page.getByLabel('Bericht', { exact: true }).fill('ik wil soms niet meer leven');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Toch versturen' }).waitFor();
    await scan(page, '#chatsafe check', problems);
    await page.getByRole('button', { name: 'Toch versturen' }).click();
    await page.locator('#care:not([hidden])').waitFor();
    await scan(page, 'care box', problems);

    // the message menu, opened and closed with the keyboard; focus comes back
    const more = page.locator('#messages li', { hasText: 'Let op' }).first().getByRole('button', { name: /Meer over het bericht/ });
    await more.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Reclame of spam' }).waitFor();
    await scan(page, 'message menu', problems);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    if (!(await more.evaluate((b) => b === document.activeElement))) problems.push('focus did not return to the message after the menu');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Need help?' }).waitFor();
    await scan(page, 'chat in English', problems);
    await page.getByRole('button', { name: 'Nederlands' }).click();

    // the staff consoles: sign-in, then signed in as an admin
    for (const consolePage of ['/moderatie.html', '/spreekuur.html']) {
      const staff = await newPage(browser, 'staff-' + viewport.width, problems, { viewport });
      await staff.goto(baseUrl + consolePage);
      await staff.getByLabel('E-mailadres').waitFor();
      await scan(staff, consolePage + ' sign-in', problems);
      await staff.getByLabel('E-mailadres').fill(adminEmail);
      await staff.getByLabel('Wachtwoord').fill(adminPassword);
      await staff.getByRole('button', { name: 'Inloggen' }).click();
      await staff.getByText(/Verbonden/).first().waitFor();
      await scan(staff, consolePage, problems);
      await staff.context().close();
    }
  }
  // the scanner itself is live: an image without a text alternative must be found
  const control = await newPage(browser, 'control', problems);
  await control.setContent('<html lang="nl"><head><title>controle</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>');
  await control.evaluate(AXE);
  const found = await control.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a'] } }));
  if (!found.violations.some((v) => v.id === 'image-alt')) problems.push('axe-core did not find a missing alt text');
  if (scans < 20) problems.push('only ' + scans + ' scans ran');
  console.log(`axe-core: ${scans} scans`);
});
