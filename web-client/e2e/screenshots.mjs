// The main screens at phone (375 px) and desktop (1280 px) width, for docs/screenshots, and the
// size of a first visit (every request until the front door has loaded, bytes as transferred).
// Usage: node screenshots.mjs <baseUrl> <community> <inviteCode1> <inviteCode2> <roomName> <outDir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { joinByInvite, newPage, run, send } from './browser.mjs';

const [baseUrl, community, code1, code2, roomName, outDir] = process.argv.slice(2);
const WIDTHS = { phone: { width: 375, height: 740 }, desktop: { width: 1280, height: 800 } };
mkdirSync(outDir, { recursive: true });

await run(async (browser, problems) => {
  // a first visit: a fresh context, the invite link, everything until the page is idle
  const first = await newPage(browser, 'first-visit', problems, { viewport: WIDTHS.phone });
  const sizes = [];
  first.on('requestfinished', async (r) => {
    const s = await r.sizes();
    sizes.push({ url: new URL(r.url()).pathname, bytes: s.responseBodySize + s.responseHeadersSize });
  });
  await first.goto(`${baseUrl}/#/join/${community}/${code1}`, { waitUntil: 'networkidle' });
  await first.getByRole('heading', { name: 'Huisregels' }).waitFor();
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  writeFileSync(`${outDir}/first-visit.json`, JSON.stringify({ requests: sizes.length, bytes: total, files: sizes }, null, 2));
  console.log(`first visit: ${sizes.length} requests, ${total} bytes`);

  for (const [name, viewport] of Object.entries(WIDTHS)) {
    const code = name === 'phone' ? code1 : code2;
    const page = name === 'phone' ? first : await newPage(browser, name, problems, { viewport });
    if (name !== 'phone') await page.goto(`${baseUrl}/#/join/${community}/${code}`);
    await page.getByRole('heading', { name: 'Huisregels' }).waitFor();
    await page.getByLabel('Schuilnaam').fill('Zonnebloem');
    await page.locator('#pseudonym-check[data-ok="true"]').waitFor();
    await page.screenshot({ path: `${outDir}/join-${name}.png`, fullPage: true });
    await joinByInvite(page, baseUrl, community, code, name === 'phone' ? 'Zonnebloem' : 'Merel_22');
    await page.getByRole('button', { name: roomName }).click();
    await page.locator('#messages li[data-seq]').first().waitFor();
    await send(page, name === 'phone' ? 'Herkenbaar wat jullie schrijven. Bij mij helpt wandelen soms.' : 'Dank je, dat is fijn om te lezen.');
    await page.locator('#messages li[data-seq]', { hasText: name === 'phone' ? 'wandelen' : 'fijn om te lezen' }).waitFor();
    await page.screenshot({ path: `${outDir}/chat-${name}.png` });
    await page.getByLabel('Bericht', { exact: true }).fill('ik zie het soms echt niet meer zitten, ik wil niet meer leven');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Toch versturen' }).waitFor();
    await page.screenshot({ path: `${outDir}/check-${name}.png` });
    await page.getByRole('button', { name: 'Nu hulp zoeken' }).click();
    await page.getByRole('dialog').getByText('113').first().waitFor();
    await page.screenshot({ path: `${outDir}/help-${name}.png` });
    await page.keyboard.press('Escape');

  }
});
