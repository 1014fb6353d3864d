// A corpus of XSS payloads (xss-payloads.txt, 218 lines: every vector calls __xss() or alert,
// in several framings) against the members' page in a real headless Chromium. Given by the Java
// test: every payload already sent as a message (half behind a content warning), a peer expert
// whose display name is a payload, and a room whose name is one. Here: every payload is typed
// as a pseudonym (refused as it is typed, never sent), the whole history is paged in and every
// content warning opened, and a second member sends 25 payloads through the page so they render
// live, pending and announced. Nothing may run: no __xss() call, no dialog, no CSP violation
// (reported by the page or on the console), and the payloads must be on the page as text.
// Usage: node xss.mjs <baseUrl> <community> <inviteCode1> <inviteCode2> <roomName> <payloadCount> <deliveredCount>
import { readFileSync } from 'node:fs';
import { joinByInvite, run, send, trapped, verdict } from './browser.mjs';

const [baseUrl, community, code1, code2, roomName, countArg, deliveredArg] = process.argv.slice(2);
const payloads = readFileSync(new URL('./xss-payloads.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.length);

await run(async (browser, problems) => {
  if (payloads.length < 200 || payloads.length !== Number(countArg)) problems.push('corpus size ' + payloads.length);
  const alice = await trapped(browser, 'alice', problems);
  await alice.goto(`${baseUrl}/#/join/${community}/${code1}`);
  // every payload as a pseudonym: refused as it is typed; submitting one sends nothing
  for (const p of payloads) {
    await alice.getByLabel('Schuilnaam').fill(p.slice(0, 40));
    await alice.locator('#pseudonym-check[data-ok="false"]').waitFor();
  }
  let signUps = 0;
  alice.on('request', (r) => { if (r.url().endsWith('/auth/anonymous')) signUps += 1; });
  await alice.getByRole('button', { name: 'Meedoen' }).click();
  if (signUps !== 0) problems.push('a refused pseudonym was sent to the server');
  await joinByInvite(alice, baseUrl, community, code1, 'Alice_xss');
  // the room whose name is a payload is listed, as text
  await alice.getByRole('button', { name: '<img src=x onerror=__xss()>' }).waitFor();
  await alice.getByRole('button', { name: roomName, exact: true }).click();
  // the whole history, page by page, with every content warning opened
  const older = alice.getByRole('button', { name: 'Oudere berichten laden' });
  await alice.locator('#messages li[data-seq]').first().waitFor();
  while (await older.isVisible()) {
    const before = await alice.locator('#messages li[data-seq]').count();
    await older.click();
    await alice.waitForFunction((n) => document.querySelectorAll('#messages li[data-seq]').length > n, before);
  }
  const rendered = await alice.locator('#messages li[data-seq]').count();
  if (rendered !== Number(deliveredArg) + 1) problems.push(`${rendered} messages rendered, ${deliveredArg} + 1 delivered`);
  await alice.locator('#messages details.cw').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
  const text = await alice.locator('#messages').innerText();
  const onPage = payloads.filter((p) => text.includes(p.trim())).length;
  if (onPage !== Number(deliveredArg)) problems.push(`${onPage} payloads are on the page as text, ${deliveredArg} were delivered`);
  // the peer expert's display name is a payload too: shown as text
  await alice.locator('#messages .author', { hasText: '<svg onload=__xss()>' }).first().waitFor();

  // live: Bob sends 25 payloads through the page; Alice sees them arrive (and hears them announced)
  const bob = await trapped(browser, 'bob', problems);
  await joinByInvite(bob, baseUrl, community, code2, 'Bob_xss');
  await bob.getByRole('button', { name: roomName, exact: true }).click();
  for (const p of payloads.slice(-25)) await send(bob, p);
  await alice.waitForFunction((n) => document.querySelectorAll('#messages li[data-seq]').length >= n, rendered + 25);
  await bob.waitForFunction(() => !document.querySelector('#messages li.pending'));   // Bob's outbox is empty
  // a payload message's menu and the message menu title
  await alice.locator('#messages li[data-seq] .more').last().click();
  await alice.getByRole('dialog').getByRole('heading', { name: 'Bob_xss' }).waitFor();
  await alice.keyboard.press('Escape');
  // the detector is live: markup put in with innerHTML (what the page never does) is caught by the CSP
  const control = await trapped(browser, 'control', { push: () => {} });
  await control.goto(baseUrl + '/');
  await control.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=__xss()>'); });
  await control.waitForFunction(() => window.__csp.length > 0);
  await verdict(alice, 'alice', problems);
  await verdict(bob, 'bob', problems);
});
