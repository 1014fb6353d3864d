// The XSS corpus (xss-payloads.txt) through every VraagBaak field shown, in a real headless Chromium.
// Given by the Java test (VraagBaakBrowserTest.noXssPayloadRunsInTheVraagBaakPages): every payload as
// a question's title or body, an answer, or a reason; editor and answerer with payload display names;
// some questions published, some rejected, the rest answered. Here: the editor opens every question
// in the moderators' console; the answerer opens every question assigned to them; an asker reads
// "Mijn vragen"; a visitor pages through the published ones and searches. Nothing may run: no
// __xss() call, no dialog, no CSP violation; the payloads must be on the pages as text.
// Usage: node xss-vraagbaak.mjs <baseUrl> <community> <editorEmail> <answererEmail> <password> <askerToken>
import { readFileSync } from 'node:fs';
import { checkCsp, run, trapped, verdict } from './browser.mjs';

const [baseUrl, community, editorEmail, answererEmail, password, askerToken] = process.argv.slice(2);
const payloads = readFileSync(new URL('./xss-payloads.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.length);

async function signIn(page, path, email) {
  await page.goto(baseUrl + path);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#vb:not([hidden])').waitFor();
}

async function openEvery(page, name, problems) {
  const ids = await page.locator('#vb-list button').evaluateAll((all) => all.map((b) => b.dataset.question));
  for (const id of ids) {
    await page.locator(`#vb-list button[data-question="${id}"]`).click();
    await page.locator(`#vb-detail[data-question="${id}"]`).waitFor();
  }
  return ids.length;
}

await run(async (browser, problems) => {
  if (payloads.length < 200) problems.push('corpus size ' + payloads.length);

  const editor = await trapped(browser, 'editor', problems);
  await signIn(editor, '/moderatie.html', editorEmail);
  await editor.locator('#vb-count', { hasText: '(0)' }).waitFor();   // none waiting: all are assigned or further
  await editor.getByLabel('Status').selectOption('');
  await editor.locator('#vb-count', { hasText: '(109)' }).waitFor();
  const opened = await openEvery(editor, 'editor', problems);
  if (opened < 100) problems.push(`the editor opened only ${opened} questions`);
  const listed = await editor.locator('#vb-list').textContent();
  if (!listed.includes(payloads[0])) problems.push('editor: a payload title is not on the page as text: ' + payloads[0]);
  await verdict(editor, 'editor', problems);

  const answerer = await trapped(browser, 'answerer', problems);
  await signIn(answerer, '/spreekuur.html', answererEmail);
  await answerer.locator('#vb-list button').first().waitFor();
  const assigned = await openEvery(answerer, 'answerer', problems);
  if (assigned < 10) problems.push(`the answerer opened only ${assigned} questions`);
  await verdict(answerer, 'answerer', problems);

  const asker = await trapped(browser, 'asker', problems);
  await asker.addInitScript((token) => localStorage.setItem('kring.token', token), askerToken);
  await asker.goto(baseUrl + '/');
  await asker.getByRole('button', { name: 'Vraag het' }).click();
  await asker.locator('#vb-mine li').nth(4).waitFor();
  await asker.locator('#vb-mine .vb-reason').first().waitFor();
  await asker.locator('#vb-mine .vb-published-title').first().waitFor();
  await verdict(asker, 'asker', problems);

  const visitor = await trapped(browser, 'visitor', problems);
  await visitor.goto(`${baseUrl}/#/join/${community}`);
  await visitor.getByRole('button', { name: 'Lees de VraagBaak' }).click();
  await visitor.locator('#vb-public li').first().waitFor();
  while (await visitor.locator('#vb-more').isVisible()) {
    const before = await visitor.locator('#vb-public li').count();
    await visitor.locator('#vb-more').click();
    await visitor.locator('#vb-public li').nth(before).waitFor();
  }
  const count = await visitor.locator('#vb-public li').count();
  if (count !== 37) problems.push(`the visitor sees ${count} published questions, not the 37 published`);
  await visitor.getByLabel('Zoeken in de VraagBaak').fill('antwoord');
  await visitor.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await visitor.locator('#vb-public-status', { hasText: 'gevonden' }).waitFor();
  const shown = await visitor.locator('#vb-public').textContent();
  if (!shown.includes('__xss()')) problems.push('visitor: the payloads are not on the page as text');
  await verdict(visitor, 'visitor', problems);
  await checkCsp(visitor, baseUrl + '/', problems);
});
