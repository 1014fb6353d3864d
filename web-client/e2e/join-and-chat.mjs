// The members' page end to end in a real headless Chromium, two members in two browser contexts:
// joining through an invite link (front door, house rules, the pseudonym checked as it is typed),
// chatting live, content warnings collapsed, the compose-time #chatsafe check (edit, get help,
// send anyway), responder guidance when replying to someone who shared something heavy,
// reporting in two taps, hiding a member for oneself, history paging, the English catalogue,
// and a reload that keeps the member signed in.
// Usage: node join-and-chat.mjs <baseUrl> <community> <inviteCode1> <inviteCode2> <roomName> <welcomeText>
// Exits 0 on success; prints what failed otherwise. Every wait is for an element or text,
// bounded by a failure timeout, never a fixed delay.
import { checkCsp, joinByInvite, newPage, run, send, sendAnyway } from './browser.mjs';

const [baseUrl, community, code1, code2, roomName, welcomeText] = process.argv.slice(2);

function expect(condition, problem, problems) {
  if (!condition) problems.push(problem);
}

await run(async (browser, problems) => {
  // the invite link opens the community's front door: welcome text and house rules
  const alice = await newPage(browser, 'alice', problems);
  await alice.goto(`${baseUrl}/#/join/${community}/${code1}`);
  await alice.getByText(welcomeText).waitFor();
  await alice.getByRole('heading', { name: 'Huisregels' }).waitFor();
  expect(await alice.getByLabel('Community').isHidden(), 'the community field shows although the link named it', problems);
  // the pseudonym is checked as it is typed: a phone number is refused before anything is sent
  await alice.getByLabel('Schuilnaam').fill('0612345678');
  await alice.locator('#pseudonym-check', { hasText: 'lijkt op een telefoonnummer' }).waitFor();
  await alice.getByLabel('Schuilnaam').fill('Al');
  await alice.locator('#pseudonym-check', { hasText: 'te kort' }).waitFor();
  await joinByInvite(alice, baseUrl, community, code1, 'Alice_e2e');
  if (new URL(alice.url()).hash) problems.push('the invite code stayed in the address bar: ' + alice.url());
  const bob = await newPage(browser, 'bob', problems);
  await joinByInvite(bob, baseUrl, community, code2, 'Bob_e2e');
  await alice.getByRole('button', { name: roomName }).click();
  await bob.getByRole('button', { name: roomName }).click();
  await bob.locator('#presence', { hasText: '2 online' }).waitFor();

  await send(alice, 'Hallo <b>Bob</b>, hoe gaat het?');
  // Bob sees it live, as text (not as markup), and Alice sees her own message arrive
  await bob.locator('#messages li', { hasText: 'Hallo <b>Bob</b>, hoe gaat het?' }).waitFor();
  expect(await bob.locator('#messages b').count() === 0, 'message body was rendered as HTML', problems);
  await bob.locator('#messages li .author', { hasText: 'Alice_e2e' }).waitFor();
  // screen readers hear it from the live region (history is not read out)
  await bob.locator('#announce', { hasText: 'Nieuw bericht van Alice_e2e: Hallo <b>Bob</b>' }).waitFor({ state: 'attached' });
  if (await bob.locator('#messages[aria-live]').count() !== 0) problems.push('the message list itself is a live region');
  await alice.locator('#messages li:not(.pending)', { hasText: 'hoe gaat het?' }).waitFor();
  // typing shows on the other side
  await bob.getByLabel('Bericht', { exact: true }).pressSequentially('ik');
  await alice.locator('#typing', { hasText: 'Bob_e2e is aan het typen' }).waitFor();

  // #chatsafe before sending: Bob writes something heavy; the check shows a kind word and 113
  await send(bob, 'ik denk de laatste tijd vaak aan zelfmoord');
  await bob.locator('#check', { hasText: '113' }).waitFor();
  // "Aanpassen" keeps the text for editing and sends nothing
  await bob.getByRole('button', { name: 'Aanpassen' }).click();
  expect(await bob.getByLabel('Bericht', { exact: true }).inputValue() === 'ik denk de laatste tijd vaak aan zelfmoord',
    'editing lost the text', problems);
  // "Nu hulp zoeken" opens the help that is open now
  await bob.locator('#compose').getByRole('button', { name: 'Versturen' }).click();
  await bob.getByRole('button', { name: 'Nu hulp zoeken' }).click();
  await bob.getByRole('dialog', { name: 'Hulp nodig?' }).getByText('113 Zelfmoordpreventie').first().waitFor();
  await bob.getByRole('dialog').getByRole('button', { name: 'Sluiten' }).click();
  // "Toch versturen": with the suggested content warning ticked, it goes, collapsed for Alice
  await bob.locator('#compose').getByRole('button', { name: 'Versturen' }).click();
  await bob.getByRole('button', { name: 'Toch versturen' }).click();
  const heavy = alice.locator('#messages li', { hasText: 'Bob_e2e' }).filter({ has: alice.locator('details.cw') });
  await heavy.waitFor();
  expect(!(await heavy.locator('.body').isVisible()), 'a content-warned message was shown open', problems);
  await heavy.locator('summary').click();
  await heavy.getByText('vaak aan zelfmoord').waitFor();

  // replying to it: the check gives Alice the responder guidance first
  await heavy.getByRole('button', { name: /Meer over het bericht van Bob_e2e/ }).click();
  await alice.getByRole('button', { name: 'Reageren' }).click();
  await alice.locator('#reply-to', { hasText: 'Je reageert op Bob_e2e' }).waitFor();
  await send(alice, 'Wat naar, Bob. Hoe gaat het nu met je?');
  await alice.locator('#check', { hasText: 'Vraag gerust direct hoe het gaat' }).waitFor();
  await alice.getByRole('button', { name: 'Toch versturen' }).click();
  await bob.locator('#messages li', { hasText: 'Hoe gaat het nu met je?' }).waitFor();

  // a phone number is held: Bob is told first, it never reaches Alice
  await sendAnyway(bob, 'app me op 0612345678');
  await bob.locator('#messages li', { hasText: 'een moderator kijkt eerst mee' }).waitFor();
  await send(alice, 'sterkte Bob');
  await bob.locator('#messages li', { hasText: 'sterkte Bob' }).waitFor();
  expect(await alice.locator('#messages li', { hasText: '0612345678' }).count() === 0, 'a held message reached another member', problems);

  // reporting takes two taps: the message's menu, then a reason
  await send(bob, 'koop nu mijn stickers');
  const spam = alice.locator('#messages li', { hasText: 'koop nu mijn stickers' });
  await spam.waitFor();
  await spam.getByRole('button', { name: /Meer over het bericht/ }).click();
  await alice.getByRole('button', { name: 'Reclame of spam' }).click();
  await alice.locator('#care', { hasText: 'Bedankt. Een moderator kijkt ernaar.' }).waitFor();
  await alice.locator('#care').getByRole('button', { name: 'Sluiten' }).click();

  // hiding Bob for herself: his messages go from Alice's page (and only hers)
  await spam.getByRole('button', { name: /Meer over het bericht/ }).click();
  await alice.getByRole('button', { name: 'Bob_e2e verbergen voor mij' }).click();
  await alice.locator('#messages li', { hasText: 'sterkte Bob' }).waitFor();
  expect(await alice.locator('#messages li:visible', { hasText: 'koop nu mijn stickers' }).count() === 0, 'a hidden member still shows', problems);
  await send(bob, 'nog een bericht van Bob');
  await bob.locator('#messages li:not(.pending)', { hasText: 'nog een bericht van Bob' }).waitFor();
  await alice.getByRole('button', { name: 'Bob_e2e weer tonen' }).click();
  await alice.locator('#messages li:visible', { hasText: 'nog een bericht van Bob' }).waitFor();

  // history pages upward: 60 more messages, a reload shows the newest 50, the button loads the rest
  for (let i = 1; i <= 60; i++) await send(bob, `regel ${i}`);
  await alice.locator('#messages li', { hasText: 'regel 60' }).waitFor();
  await alice.reload();
  await alice.getByText(/^Verbonden als Alice_e2e/).waitFor();
  await alice.getByRole('button', { name: roomName }).click();
  await alice.locator('#messages li', { hasText: 'regel 60' }).waitFor();
  expect(await alice.locator('#messages li', { hasText: 'Hallo <b>Bob</b>' }).count() === 0, 'the first page held more than 50', problems);
  await alice.getByRole('button', { name: 'Oudere berichten laden' }).click();
  await alice.locator('#messages li', { hasText: 'Hallo <b>Bob</b>, hoe gaat het?' }).waitFor();

  // the two catalogues have the same keys
  const keys = await alice.evaluate(async () => (await import('/i18n.js')).catalogueKeys());
  if (JSON.stringify(keys.nl) !== JSON.stringify(keys.en)) {
    problems.push('catalogues differ: ' + keys.nl.filter((k) => !keys.en.includes(k)).concat(keys.en.filter((k) => !keys.nl.includes(k))));
  }
  // the English catalogue, and back
  await alice.getByRole('button', { name: 'English' }).click();
  await alice.getByRole('button', { name: 'Need help?' }).waitFor();
  await alice.getByText(/^Connected as Alice_e2e/).waitFor();
  expect(!(await alice.content()).includes('⟦'), 'a text is missing from the English catalogue', problems);
  await alice.getByRole('button', { name: 'Nederlands' }).click();
  await alice.getByRole('button', { name: 'Hulp nodig?' }).waitFor();
  // the Content-Security-Policy is strict
  await checkCsp(alice, baseUrl + '/', problems);
  // signing out leaves nothing of the member on a shared device (the language choice stays)
  await alice.getByRole('button', { name: 'Uitloggen' }).click();
  await alice.getByRole('button', { name: 'Meedoen' }).waitFor();
  const kept = await alice.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'kring.lang'));
  if (kept.length) problems.push('signing out left ' + kept.join(', '));
});
