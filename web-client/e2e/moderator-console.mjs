// End-to-end check of the moderator console in a real headless Chromium.
// Given (set up by the Java test): a held message with method details and a reported message in
// one community, a moderator account, and an invite code for one more member.
// The moderator signs in, sees the queue sorted by risk with the method details blurred until
// clicked, goes on duty, claims and removes an item with the keyboard, sees a new held message
// arrive live, reads the author's history and releases it; the member sees it arrive. Then the
// moderator sets the room's controls (slow mode, read-only, pinned notice: PATCH
// /api/v1/moderation/rooms/{id}); the member sees the notice and can no longer write; axe-core finds
// no WCAG A/AA violation in the room controls at 320 and 1280 px.
// Usage: node moderator-console.mjs <baseUrl> <community> <roomName> <email> <password> <inviteCode>
// Exits 0 on success; prints what failed otherwise. Every wait is for an element or text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkCsp, newPage, run, joinByInvite, sendAnyway } from './browser.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const [baseUrl, community, roomName, email, password, code] = process.argv.slice(2);

async function act(mod, key, reason) {
  await mod.keyboard.press(key);
  await mod.getByLabel(/reden/).fill(reason);
  await mod.getByLabel(/reden/).press('Enter');
}

await run(async (browser, problems) => {
  const mod = await newPage(browser, 'moderator', problems);
  await mod.goto(baseUrl + '/moderatie.html');
  await mod.getByLabel('E-mailadres').fill(email);
  await mod.getByLabel('Wachtwoord').fill(password);
  await mod.getByRole('button', { name: 'Inloggen' }).click();
  await mod.getByText('Verbonden, live').waitFor();
  // the queue, most urgent first: the held method detail above the spam report
  const items = mod.locator('#queue li button');
  await mod.locator('#queue-count', { hasText: '(2)' }).waitFor();
  const first = await items.nth(0).innerText();
  if (!first.includes('method_detail')) problems.push('first item is not the method detail: ' + first);
  if (!first.includes('Inhoud verborgen')) problems.push('method detail shown in the queue before it was opened');
  if (first.includes('paracetamol')) problems.push('method detail text visible in the queue');
  // not on duty yet: fallback mode is shown
  await mod.locator('#coverage', { hasText: 'terugvalstand' }).waitFor();
  await mod.getByLabel('Ik ben in dienst').check();
  await mod.locator('#coverage', { hasText: 'In dienst:' }).waitFor();
  // open the method detail: blurred until the moderator clicks
  await items.nth(0).click();
  await mod.locator('#detail-message.blurred').waitFor();
  await mod.getByRole('button', { name: /Toon inhoud/ }).click();
  await mod.locator('#detail-message:not(.blurred)', { hasText: 'paracetamol' }).waitFor();
  // keyboard: claim, then remove with a reason
  await mod.locator('body').press('c');
  await mod.locator('#queue li button', { hasText: 'bij ' }).waitFor();
  await act(mod, 'x', 'methode-details, niet plaatsen');
  await mod.locator('#queue-count', { hasText: '(1)' }).waitFor();
  // a member joins and shares a phone number: the item arrives live
  const member = await newPage(browser, 'member', problems);
  await joinByInvite(member, baseUrl, community, code, 'Lid_console');
  await member.getByRole('button', { name: roomName }).click();
  await sendAnyway(member, 'app me gerust op 0612345678');
  await member.locator('#messages li', { hasText: 'een moderator kijkt eerst mee' }).waitFor();
  await mod.locator('#queue-count', { hasText: '(2)' }).waitFor();
  const live = mod.locator('#queue li button', { hasText: 'pii' });
  await live.click();
  await mod.locator('#detail-message', { hasText: '0612345678' }).waitFor();
  // the author's history, then release it: the member's message is delivered
  await mod.locator('body').press('g');
  await mod.locator('#history li').first().waitFor();
  await act(mod, 'r', 'nummer van de kindertelefoon, mag blijven');
  await mod.locator('#queue-count', { hasText: '(1)' }).waitFor();
  await member.locator('#messages li[data-seq]', { hasText: 'app me gerust op 0612345678' }).waitFor();
  // room controls: slow mode, read-only and a pinned notice for the member's room
  await mod.getByText('Kamerinstellingen').click();
  await mod.getByLabel('Kamer', { exact: true }).selectOption({ label: roomName });
  await mod.getByLabel(/Langzame modus/).fill('30');
  await mod.getByLabel(/Alleen lezen/).check();
  await mod.getByLabel(/Vastgezette mededeling/).fill('De kamer is vanavond gesloten.');
  for (const width of [320, 1280]) {
    await mod.setViewportSize({ width, height: 800 });
    if (!(await mod.evaluate(() => typeof window.axe !== 'undefined'))) await mod.evaluate(AXE);
    const result = await mod.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) problems.push(`room controls (${width}px): ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  await mod.getByRole('button', { name: 'Kamer opslaan' }).click();
  await mod.getByRole('status').filter({ hasText: 'Opgeslagen: alleen lezen, langzaam (30 s), met mededeling.' }).waitFor();
  await member.reload();
  await member.getByRole('button', { name: roomName }).click();
  await member.locator('#pinned:not([hidden])', { hasText: 'De kamer is vanavond gesloten.' }).waitFor();
  await member.locator('#read-only:not([hidden])').waitFor();
  if (await member.locator('#compose').isVisible()) problems.push('a member can still write in a read-only room');
  // and back: read-only off, no slow mode, no notice
  await mod.getByLabel(/Langzame modus/).fill('0');
  await mod.getByLabel(/Alleen lezen/).uncheck();
  await mod.getByLabel(/Vastgezette mededeling/).fill('');
  await mod.getByRole('button', { name: 'Kamer opslaan' }).click();
  await mod.getByRole('status').filter({ hasText: 'Opgeslagen: iedereen schrijft, geen langzame modus, geen mededeling.' }).waitFor();
  await checkCsp(mod, baseUrl + '/moderatie.html', problems);
});
