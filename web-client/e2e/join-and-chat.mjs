// End-to-end check of the first page in a real headless Chromium:
// two members join through the page with invite codes, pick the room, one sends, the other
// sees it live; #chatsafe prompts the author of a heavy message and holds a phone number;
// after a reload the first member is still signed in and sees the history.
// Usage: node join-and-chat.mjs <baseUrl> <community> <inviteCode1> <inviteCode2> <roomName>
// Exits 0 on success; prints what failed otherwise. Every wait is for an element or text,
// bounded by a failure timeout, never a fixed delay.
import { checkCsp, newPage, run } from './browser.mjs';

const [baseUrl, community, code1, code2, roomName] = process.argv.slice(2);

async function member(browser, problems, code, pseudonym) {
  const page = await newPage(browser, pseudonym, problems);
  await page.goto(baseUrl + '/');
  await page.getByLabel('Community').fill(community);
  await page.getByLabel('Uitnodigingscode').fill(code);
  await page.getByLabel('Schuilnaam').fill(pseudonym);
  await page.getByLabel('Leeftijd').selectOption('16-17');
  await page.getByRole('button', { name: 'Meedoen' }).click();
  await page.getByRole('button', { name: roomName }).click();
  await page.getByText(/^Verbonden als /).waitFor();
  return page;
}

await run(async (browser, problems) => {
  const alice = await member(browser, problems, code1, 'Alice_e2e');
  const bob = await member(browser, problems, code2, 'Bob_e2e');
  await alice.getByLabel('Bericht').fill('Hallo <b>Bob</b>, hoe gaat het?');
  await alice.getByRole('button', { name: 'Versturen' }).click();
  // Bob sees it live, as text (not as markup)
  await bob.locator('#messages li', { hasText: 'Hallo <b>Bob</b>, hoe gaat het?' }).waitFor();
  if (await bob.locator('#messages b').count() !== 0) problems.push('message body was rendered as HTML');
  await bob.locator('#messages li .author', { hasText: 'Alice_e2e' }).waitFor();
  // Alice sees her own message arrive live too (she opened the room before her socket was up)
  await alice.locator('#messages li:not(.pending)', { hasText: 'hoe gaat het?' }).waitFor();
  // #chatsafe: Bob shares something heavy; it is delivered, and he sees a kind word with 113
  await bob.getByLabel('Bericht').fill('ik denk de laatste tijd vaak aan zelfmoord');
  await bob.getByRole('button', { name: 'Versturen' }).click();
  await bob.locator('#care', { hasText: '113' }).waitFor();
  await alice.locator('#messages li', { hasText: 'vaak aan zelfmoord' }).waitFor().catch(async (e) => {
    throw new Error(e.message + '\nAlice sees: ' + await alice.locator('#messages').innerText() + '\nBob sees: ' + await bob.locator('#messages').innerText() + '\nAlice status: ' + await alice.locator('#status').innerText());
  });
  // a phone number is held: it never reaches Alice, and Bob is told a moderator looks first
  await bob.getByLabel('Bericht').fill('app me op 0612345678');
  await bob.getByRole('button', { name: 'Versturen' }).click();
  await bob.locator('#messages li', { hasText: 'een moderator kijkt eerst mee' }).waitFor();
  await alice.getByLabel('Bericht').fill('sterkte Bob');
  await alice.getByRole('button', { name: 'Versturen' }).click();
  await bob.locator('#messages li', { hasText: 'sterkte Bob' }).waitFor();
  if (await alice.locator('#messages li', { hasText: '0612345678' }).count() !== 0) problems.push('a held message reached another member');
  // Alice reloads: still signed in (token in localStorage), history shows the message
  await alice.reload();
  await alice.getByRole('button', { name: roomName }).click();
  await alice.locator('#messages li', { hasText: 'hoe gaat het?' }).waitFor();
  // The Content-Security-Policy is strict
  await checkCsp(alice, baseUrl + '/', problems);
});
