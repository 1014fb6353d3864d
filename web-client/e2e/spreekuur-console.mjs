// End-to-end check of the consultation-hour console in a real headless Chromium.
// Given (set up by the Java test): an open session "Omgaan met angst" with two members waiting,
// one whose words show imminent risk; a second host (display name given) present in the group room.
// An admin plans a new session with the form. The host signs in, sees the queue with the risk
// marker first, drops in, takes the next member (the one at risk), writes to them, hands the talk
// to the second host, takes the next member and ends that talk, pointing them to the group.
// A third member joins through the members' page, sees the open session and asks for a talk; the
// host takes them last, they talk, the host ends with the group as signpost, the member gives feedback.
// Usage: node spreekuur-console.mjs <baseUrl> <adminEmail> <adminPassword> <hostEmail> <hostPassword> <host2Name> <community> <inviteCode>
// Exits 0 on success; prints what failed otherwise. Every wait is for an element or text.
import { checkCsp, newPage, run, joinByInvite, send } from './browser.mjs';

const [baseUrl, adminEmail, adminPassword, hostEmail, hostPassword, host2Name, community, code] = process.argv.slice(2);

async function signIn(page, email, password) {
  await page.goto(baseUrl + '/spreekuur.html');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByText('Verbonden, live').waitFor();
}

await run(async (browser, problems) => {
  // an admin plans a session
  const admin = await newPage(browser, 'admin', problems);
  await signIn(admin, adminEmail, adminPassword);
  await admin.getByText('Nieuw spreekuur plannen').click();
  await admin.getByLabel('Onderwerp').fill('Slapen');
  await admin.getByLabel('Dag').fill('2031-02-04');
  await admin.getByLabel('Begintijd (Nederlandse tijd)').fill('20:00');
  await admin.getByRole('button', { name: 'Plannen' }).click();
  await admin.locator('#sessions button', { hasText: 'Slapen' }).waitFor();

  // a member sees the open session and asks for a talk
  const member = await newPage(browser, 'member', problems);
  await joinByInvite(member, baseUrl, community, code, 'Lid_spreekuur');
  await member.locator('#spreekuren', { hasText: 'Omgaan met angst: nu open' }).waitFor();
  await member.getByRole('button', { name: 'Vraag een gesprek onder vier ogen' }).click();
  await member.locator('#spreekuren', { hasText: 'nummer 3' }).waitFor();

  // the host works the queue
  const host = await newPage(browser, 'host', problems);
  await signIn(host, hostEmail, hostPassword);
  await host.locator('#session-title', { hasText: 'Omgaan met angst' }).waitFor();
  await host.locator('#queue-count', { hasText: '(3)' }).waitFor();
  const first = await host.locator('#queue li').nth(0).innerText();
  if (!first.includes('acuut gevaar')) problems.push('the member at risk is not first, or has no marker: ' + first);
  await host.getByRole('button', { name: 'Binnenlopen' }).click();
  await host.locator('#present', { hasText: 'Eva' }).waitFor();
  await host.locator('#present', { hasText: host2Name }).waitFor();
  await host.getByRole('button', { name: 'Volgende nemen' }).click();
  await host.locator('#talk-meta', { hasText: 'acuut gevaar' }).waitFor();
  await host.locator('#queue-count', { hasText: '(2)' }).waitFor();
  await member.locator('#spreekuren', { hasText: 'nummer 2' }).waitFor();
  await host.getByLabel('Bericht').fill('Hoi, ik ben er voor je. Ben je nu veilig?');
  await host.getByRole('button', { name: 'Versturen' }).click();
  await host.locator('#talk-messages li', { hasText: 'Ben je nu veilig?' }).waitFor();
  // hand the talk to the professional who is present
  await host.getByLabel('Overdragen aan').selectOption({ label: host2Name });
  await host.getByRole('button', { name: 'Overdragen' }).click();
  await host.locator('#talk-meta', { hasText: 'Overgedragen aan ' + host2Name }).waitFor();
  // the next member, then end that talk with a pointer to the group
  await host.getByRole('button', { name: 'Volgende nemen' }).click();
  await host.locator('#talk-meta', { hasText: 'ik slaap slecht' }).waitFor();
  await host.locator('#queue-count', { hasText: '(1)' }).waitFor();
  await host.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await host.locator('#talk-meta', { hasText: 'afgesloten' }).waitFor();
  await member.locator('#spreekuren', { hasText: 'nummer 1' }).waitFor();
  // the member from the page: the private room opens by itself on both sides
  await host.getByRole('button', { name: 'Volgende nemen' }).click();
  await host.locator('#talk-title', { hasText: 'Lid_spreekuur' }).waitFor();
  await member.locator('#room-title', { hasText: 'Gesprek met Ervaringsdeskundige Eva' }).waitFor();
  await host.getByLabel('Bericht').fill('Hoi Lid_spreekuur, waar wil je over praten?');
  await host.getByRole('button', { name: 'Versturen' }).click();
  await member.locator('#messages li', { hasText: 'waar wil je over praten?' }).waitFor();
  await send(member, 'over mijn examens');
  await host.locator('#talk-messages li', { hasText: 'over mijn examens' }).waitFor();
  await host.getByLabel('Afsluiten met').selectOption('group');
  await host.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await host.locator('#talk-meta', { hasText: 'afgesloten' }).waitFor();
  await member.locator('#care', { hasText: 'groep van het spreekuur' }).waitFor();
  await member.getByLabel(/Cijfer van 0/).fill('8');
  await member.locator('#feedback').getByRole('button', { name: 'Versturen' }).click();
  await member.locator('#feedback').waitFor({ state: 'hidden' });
  await checkCsp(host, baseUrl + '/spreekuur.html', problems);
});
