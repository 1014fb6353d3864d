// Never lose a word: two members talk; the server is killed (SIGKILL) while Alice's messages are
// on their way, both keep typing while it is down, it is restarted on the same port; every
// typed message must arrive exactly once, in the order it was typed, on both ends, with the
// room's seqs gap-free, and both outboxes empty.
// The Java test drives the server: this script prints KILL and waits for a DOWN line on
// standard input, then prints RESTART and waits for UP.
// Usage: node outbox.mjs <baseUrl> <community> <inviteCode1> <inviteCode2> <roomName>
import { createInterface } from 'node:readline';
import { joinByInvite, newPage, run, send } from './browser.mjs';

const [baseUrl, community, code1, code2, roomName] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function ask(what, answer) {
  console.log(what);
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`no ${answer} after ${what}`);
    if (value.trim() === answer) return;
  }
}

/** The delivered messages on a page, in the order shown: [{seq, text}]. */
async function shown(page) {
  return page.locator('#messages li[data-seq]').evaluateAll((items) => items.map((li) => ({
    seq: Number(li.dataset.seq), text: li.querySelector('.body').textContent })));
}

await run(async (browser, problems) => {
  // while the server is down the browser logs the refused reconnects as errors: expected here
  const expectedErrors = /ERR_CONNECTION_REFUSED|WebSocket connection to .* failed/;
  const alice = await newPage(browser, 'alice', problems, { expectedErrors });
  const bob = await newPage(browser, 'bob', problems, { expectedErrors });
  await joinByInvite(alice, baseUrl, community, code1, 'Alice_outbox');
  await joinByInvite(bob, baseUrl, community, code2, 'Bob_outbox');
  await alice.getByRole('button', { name: roomName }).click();
  await bob.getByRole('button', { name: roomName }).click();
  await bob.locator('#presence', { hasText: '2 online' }).waitFor();

  const typed = { alice: [], bob: [] };
  const say = async (page, who, text) => { typed[who].push(text); await send(page, text); };
  // a conversation, each message seen on the other side before the next
  await say(alice, 'alice', 'a1 hoi, hoe was je dag?');
  await bob.locator('#messages li[data-seq]', { hasText: 'a1 hoi' }).waitFor();
  await say(bob, 'bob', 'b1 best goed, en jij?');
  await alice.locator('#messages li[data-seq]', { hasText: 'b1 best' }).waitFor();
  // Alice types three in a row and the server dies while they are on their way
  await say(alice, 'alice', 'a2 ging wel');
  await say(alice, 'alice', 'a3 morgen weer school');
  await say(alice, 'alice', 'a4 zin in het weekend');
  await ask('KILL', 'DOWN');
  await alice.locator('#status:not([data-state="connected"])').waitFor();
  await bob.locator('#status:not([data-state="connected"])').waitFor();
  // both go on typing while there is no server: the words wait in the outbox, shown as waiting
  await say(bob, 'bob', 'b2 ik ook');
  await say(alice, 'alice', 'a5 ben je er nog?');
  await say(bob, 'bob', 'b3 de verbinding doet raar');
  await say(alice, 'alice', 'a6 hier ook');
  await bob.locator('#messages li.pending', { hasText: 'b3 de verbinding' }).waitFor();
  await ask('RESTART', 'UP');
  // back: every message arrives, on both pages (the backoff may wait up to 30 s)
  const total = typed.alice.length + typed.bob.length;
  for (const page of [alice, bob]) {
    await page.waitForFunction((n) => document.querySelectorAll('#messages li[data-seq]').length >= n
      && !document.querySelector('#messages li.pending'), total, { timeout: 90000 });
  }
  const seenByAlice = await shown(alice);
  const seenByBob = await shown(bob);
  if (JSON.stringify(seenByAlice) !== JSON.stringify(seenByBob)) {
    problems.push('the two ends differ:\n' + JSON.stringify(seenByAlice) + '\n' + JSON.stringify(seenByBob));
  }
  const seqs = seenByAlice.map((m) => m.seq);
  if (JSON.stringify(seqs) !== JSON.stringify(Array.from({ length: total }, (_, i) => i + 1))) {
    problems.push('seqs are not 1..' + total + ' in order: ' + seqs.join(','));
  }
  const texts = seenByAlice.map((m) => m.text);
  for (const who of ['alice', 'bob']) {
    const mine = texts.filter((t) => typed[who].includes(t));
    if (JSON.stringify(mine) !== JSON.stringify(typed[who])) {
      problems.push(`${who}'s messages not exactly once in typing order: ${JSON.stringify(mine)}`);
    }
  }
  for (const page of [alice, bob]) {
    const left = await page.evaluate(() => localStorage.getItem('kring.outbox'));
    if (left !== '[]') problems.push('an outbox was not emptied: ' + left);
  }
});
