// The XSS corpus (xss-payloads.txt) against the staff consoles in a real headless Chromium. Given
// by the Java test (noXssPayloadRunsInTheStaffConsoles): every payload as a message body in a room
// whose name is a payload (the odd ones reported, the even one as the reason, a few held), names of
// the community, moderator and hosts as payloads, an earlier warning with payloads as reason and
// message, help entries, and an open consultation hour with a payload topic and a member waiting
// with a payload question. Here: the moderator opens every queue item (body, context, reports,
// author history, claim); the host opens the consultation hour, drops in, takes the member and
// sends 25 payloads in the talk; a member opens the help list. Nothing may run: no __xss() call,
// no dialog, no CSP violation, and the payloads must be on the pages as text.
// Usage: node xss-staff.mjs <baseUrl> <community> <modEmail> <hostEmail> <password> <inviteCode>
import { readFileSync } from 'node:fs';
import { checkCsp, joinByInvite, run, trapped, verdict } from './browser.mjs';

const [baseUrl, community, modEmail, hostEmail, password, code] = process.argv.slice(2);
const payloads = readFileSync(new URL('./xss-payloads.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.length);

async function signIn(page, path, email) {
  await page.goto(baseUrl + path);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByText('Verbonden, live').waitFor();
}

function expectText(text, wanted, where, problems) {
  for (const w of wanted) if (!text.includes(w)) problems.push(`${where}: not on the page as text: ${w}`);
}

await run(async (browser, problems) => {
  if (payloads.length < 200) problems.push('corpus size ' + payloads.length);

  // the moderator: the queue, then every item in turn (body, context, reports, the author's history)
  const mod = await trapped(browser, 'moderator', problems);
  await signIn(mod, '/moderatie.html', modEmail);
  await mod.locator('#coverage', { hasText: '<svg onload=__xss()>Mod' }).waitFor();
  const ids = await mod.locator('#queue li button').evaluateAll((all) => all.map((b) => b.dataset.item));
  if (ids.length < 100) problems.push(`only ${ids.length} queue items`);
  let seen = await mod.locator('#queue').textContent();
  expectText(seen, ['<img src=x onerror=__xss()>'], 'queue', problems);
  for (const id of ids) {
    await mod.locator(`#queue button[data-item="${id}"]`).click();
    await mod.locator(`#detail-body[data-item="${id}"]`).waitFor();
    if (await mod.locator('#reveal').isVisible()) await mod.locator('#reveal').click();
    seen += '\n' + await mod.locator('#detail-body').textContent();
  }
  expectText(seen, payloads.map((p) => p.trim()), 'moderator console', problems);
  expectText(seen, ['<script>__xss()</script> reden'], 'author history', problems);
  await mod.locator('body').press('c');   // claimed: the moderator's name in the queue and the detail
  await mod.locator('#queue li button', { hasText: 'bij <svg onload=__xss()>Mod' }).waitFor();
  await mod.locator('#detail-meta', { hasText: 'geclaimd door <svg onload=__xss()>Mod' }).waitFor();

  // the host: the consultation hour, its queue and present hosts, a talk with 25 payloads
  const host = await trapped(browser, 'host', problems);
  await signIn(host, '/spreekuur.html', hostEmail);
  await host.locator('#session-title', { hasText: '<img src=x onerror=__xss()> Angst' }).waitFor();
  await host.locator('#sessions button', { hasText: '<img src=x onerror=__xss()> Angst' }).waitFor();
  await host.locator('#queue li', { hasText: '<svg onload=__xss()> ik slaap slecht' }).waitFor();
  await host.getByRole('button', { name: 'Binnenlopen' }).click();
  await host.locator('#present', { hasText: '<svg/onload=__xss()>Prof' }).waitFor();
  await host.locator('#present', { hasText: '<img src=x onerror=__xss()>Host' }).waitFor();
  await host.getByRole('button', { name: 'Volgende nemen' }).click();
  await host.locator('#talk-meta', { hasText: '<svg onload=__xss()> ik slaap slecht' }).waitFor();
  const sent = payloads.slice(-25);
  for (const p of sent) {
    await host.getByLabel('Bericht').fill(p);
    await host.getByRole('button', { name: 'Versturen' }).click();
    await host.locator('#talk-messages li', { hasText: p.trim() }).last().waitFor();
  }
  expectText(await host.locator('#talk-messages').textContent(), sent.map((p) => p.trim()), 'talk', problems);
  const options = await host.locator('#transfer-to option').allTextContents();
  if (!options.includes('<svg/onload=__xss()>Prof')) problems.push('transfer options: ' + options.join(', '));

  // a member: the community's name and the help entries
  const member = await trapped(browser, 'member', problems);
  await joinByInvite(member, baseUrl, community, code, 'Lid_xss_staff');
  await member.locator('#brand-name', { hasText: '<img src=x onerror=__xss()> Kring' }).waitFor();
  await member.locator('#help-open').click();
  for (const p of [...payloads.slice(0, 3), ...payloads.slice(200, 203)]) {
    await member.locator('#help-list li', { hasText: p.trim() }).first().waitFor();
  }

  // the detector is live: markup put in with innerHTML on a staff page is caught by the CSP
  const control = await trapped(browser, 'control', { push: () => {} });
  await control.goto(baseUrl + '/moderatie.html');
  await control.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=__xss()>'); });
  await control.waitForFunction(() => window.__csp.length > 0);
  await checkCsp(mod, baseUrl + '/moderatie.html', problems);
  await checkCsp(host, baseUrl + '/spreekuur.html', problems);
  await verdict(mod, 'moderator', problems);
  await verdict(host, 'host', problems);
  await verdict(member, 'member', problems);
});
