// The VraagBaak end to end in a real headless Chromium, for asker, editor and answerer. Given (set
// up by the Java test, VraagBaakBrowserTest): a community with an invite code, a moderator (an
// editor) and a professional (an answerer, display name given), both with e-mail and password.
// A member asks a question on the members' page ("Vraag het") and sees it waiting under "Mijn
// vragen"; a risky question shows the #chatsafe prompt with help at once. The editor, in the
// moderators' console, opens the waiting question and assigns it to the professional; the
// professional, in the consultation-hour console, sees it under "Aan mij toegewezen" and answers;
// the editor rewords the title and publishes. The member sees it published with the editors'
// wording and the answer; a visitor without an account finds it by searching a word ("slaap"
// finds "slapen": Dutch stemming). axe-core (WCAG 2.1 A/AA) finds nothing on every new view, at
// 320 px and 1280 px, and nothing scrolls sideways. Every wait is for an element or text.
// Usage: node vraagbaak.mjs <baseUrl> <community> <inviteCode> <editorEmail> <answererEmail> <password> <answererName>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkCsp, joinByInvite, newPage, run } from './browser.mjs';

const [baseUrl, community, code, editorEmail, answererEmail, password, answererName] = process.argv.slice(2);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [{ width: 320, height: 640 }, { width: 1280, height: 800 }];
const TITLE = 'Niet kunnen slapen voor een toets';
const BODY = 'Ik lig elke nacht wakker voor mijn examens. Wat kan ik doen om beter te slapen?';
const NEW_TITLE = 'Wakker liggen voor examens';

/** axe-core on the page as it is, at phone and desktop width; every violation becomes a problem. */
async function scan(page, state, problems) {
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) {
      problems.push(`${state} (${viewport.width}px): ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > viewport.width) problems.push(`${state} (${viewport.width}px): the page scrolls sideways (${wide}px wide)`);
  }
}

async function signIn(page, path, email) {
  await page.goto(baseUrl + path);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#vb:not([hidden])').waitFor();
}

await run(async (browser, problems) => {
  // a member asks
  const member = await newPage(browser, 'member', problems);
  await joinByInvite(member, baseUrl, community, code, 'Vrager_vb');
  await member.getByRole('button', { name: 'Vraag het' }).click();
  await member.getByLabel('Titel (kort)').fill(TITLE);
  await member.getByLabel('Je vraag').fill(BODY);
  await member.getByRole('button', { name: 'Vraag versturen' }).click();
  await member.locator('#vb-ask-result', { hasText: 'Je vraag is verstuurd' }).waitFor();
  await member.locator('#vb-mine li', { hasText: TITLE }).locator('.vb-status', { hasText: 'Wacht op de redactie' }).waitFor();
  await scan(member, 'member: asked, my questions', problems);
  // a risky question: the prompt and the help that is open now, at once
  await member.getByLabel('Titel (kort)').fill('Ik zie het niet meer zitten');
  await member.getByLabel('Je vraag').fill('vanavond ga ik het doen, ik heb alles geregeld');
  await member.getByRole('button', { name: 'Vraag versturen' }).click();
  await member.locator('#vb-care:not([hidden])').waitFor();
  await member.locator('#vb-mine li', { hasText: 'Ik zie het niet meer zitten' }).waitFor();
  await scan(member, 'member: #chatsafe prompt after a risky question', problems);
  await member.locator('#vb-care').getByRole('button', { name: 'Sluiten' }).click();

  // the editor assigns the first question to the professional
  const editor = await newPage(browser, 'editor', problems);
  await signIn(editor, '/moderatie.html', editorEmail);
  await editor.locator('#vb-list button', { hasText: 'Ik zie het niet meer zitten' }).waitFor();
  const risky = await editor.locator('#vb-list li', { hasText: 'Ik zie het niet meer zitten' }).innerText();
  if (!risky.includes('risico')) problems.push('the risky question has no risk marker in the editors\' list: ' + risky);
  await editor.locator('#vb-list button', { hasText: TITLE }).click();
  await editor.locator('#vb-detail .message', { hasText: 'wakker voor mijn examens' }).waitFor();
  await editor.getByLabel('Toewijzen aan').selectOption({ label: answererName + ' (hulpverlener)' });
  await editor.getByRole('button', { name: 'Toewijzen', exact: true }).click();
  await editor.locator('#vb-done', { hasText: 'toegewezen' }).waitFor();
  await scan(editor, 'editor: a question opened', problems);

  // the professional answers in the consultation-hour console
  const pro = await newPage(browser, 'answerer', problems);
  await signIn(pro, '/spreekuur.html', answererEmail);
  await pro.locator('#vb-list button', { hasText: TITLE }).click();
  await pro.getByLabel('Jouw antwoord').fill('Wat goed dat je dit vraagt. Probeer elke avond op dezelfde tijd naar bed te gaan.');
  await scan(pro, 'answerer: assigned to me, the answer form', problems);
  await pro.getByRole('button', { name: 'Antwoord versturen' }).click();
  await pro.locator('#vb-done', { hasText: 'beantwoord' }).waitFor();

  // the editor rewords and publishes
  await editor.getByLabel('Status').selectOption('answered');
  await editor.locator('#vb-list button', { hasText: TITLE }).click();
  await editor.locator('#vb-detail .vb-answer-text', { hasText: 'dezelfde tijd naar bed' }).waitFor();
  await editor.getByLabel('Titel voor publicatie').fill(NEW_TITLE);
  await editor.getByRole('button', { name: 'Formulering opslaan' }).click();
  await editor.locator('#vb-detail h3', { hasText: NEW_TITLE }).waitFor();
  await editor.getByRole('button', { name: 'Publiceren' }).click();
  await editor.locator('#vb-done', { hasText: 'gepubliceerd' }).waitFor();

  // the member sees it published, in the editors' wording, with the answer
  await member.getByRole('button', { name: 'Terug' }).click();
  await member.getByRole('button', { name: 'Vraag het' }).click();
  const mine = member.locator('#vb-mine li', { hasText: TITLE });
  await mine.locator('.vb-status', { hasText: 'Gepubliceerd' }).waitFor();
  await mine.locator('.vb-published-title', { hasText: NEW_TITLE }).waitFor();
  await mine.locator('.vb-answer', { hasText: 'Antwoord van ' + answererName + ' (hulpverlener)' }).waitFor();
  await scan(member, 'member: a published question', problems);

  // a visitor without an account reads and searches ("slaap" finds "slapen")
  const visitor = await newPage(browser, 'visitor', problems);
  await visitor.goto(`${baseUrl}/#/join/${community}`);
  await visitor.getByRole('button', { name: 'Lees de VraagBaak' }).click();
  await visitor.locator('#vb-public li', { hasText: NEW_TITLE }).waitFor();
  if (await visitor.locator('#vb-ask-box').isVisible()) problems.push('a visitor without an account sees the ask form');
  await visitor.getByLabel('Zoeken in de VraagBaak').fill('slaap');
  await visitor.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await visitor.locator('#vb-public-status', { hasText: '1 gevonden' }).waitFor();
  await visitor.locator('#vb-public li .vb-answer', { hasText: 'dezelfde tijd naar bed' }).waitFor();
  await scan(visitor, 'visitor: search results', problems);
  await visitor.getByLabel('Zoeken in de VraagBaak').fill('giraffe');
  await visitor.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await visitor.locator('#vb-public-status', { hasText: 'Niets gevonden' }).waitFor();
  if (await visitor.locator('#vb-public li').count()) problems.push('a search for an absent word still lists questions');
  const text = await visitor.locator('#vb-view').innerText();
  if (text.includes('Ik zie het niet meer zitten')) problems.push('an unpublished (risky) question is public');
  await checkCsp(visitor, baseUrl + '/', problems);
  await checkCsp(editor, baseUrl + '/moderatie.html', problems);
});
