// Never lose a word: every typed message goes into the outbox (kept in localStorage, so a
// reload or a crashed tab keeps it) with its clientMsgId, and leaves only when the server has
// acknowledged it. Messages are sent one at a time in the order they were typed, so they land
// in that order even across reconnects; a message whose ack was lost is sent again with the same
// clientMsgId, which the server answers with the first send's seq (exactly once).
// Every read and change goes to localStorage itself, so two tabs of one member never overwrite
// each other's waiting messages (both may send one; the server keeps it once).
const KEY = 'kring.outbox';

function read() {
  let list;
  try { list = JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (err) { list = []; }
  return Array.isArray(list) ? list.filter((m) => m && typeof m.clientMsgId === 'string' && typeof m.body === 'string') : [];
}

function write(list) { localStorage.setItem(KEY, JSON.stringify(list)); }

export class Outbox {
  add(room, body, cw) {
    const item = { clientMsgId: crypto.randomUUID(), room, body, cw: Boolean(cw) };
    write([...read(), item]);
    return item;
  }

  first() { return read()[0]; }

  remove(clientMsgId) { write(read().filter((m) => m.clientMsgId !== clientMsgId)); }

  inRoom(room) { return read().filter((m) => m.room === room); }

  get size() { return read().length; }

  clear() { localStorage.removeItem(KEY); }
}
