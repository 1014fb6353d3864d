// Never lose a word: every typed message goes into the outbox (kept in localStorage, so a
// reload or a crashed tab keeps it) with its clientMsgId, and leaves only when the server has
// acknowledged it. Messages are sent one at a time in the order they were typed, so they land
// in that order even across reconnects; a message whose ack was lost is sent again with the same
// clientMsgId, which the server answers with the first send's seq (exactly once).
const KEY = 'kring.outbox';

export class Outbox {
  constructor() {
    try { this.list = JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (err) { this.list = []; }
    if (!Array.isArray(this.list)) this.list = [];
    this.list = this.list.filter((m) => m && typeof m.clientMsgId === 'string' && typeof m.body === 'string');
  }

  save() { localStorage.setItem(KEY, JSON.stringify(this.list)); }

  add(room, body, cw) {
    const item = { clientMsgId: crypto.randomUUID(), room, body, cw: Boolean(cw) };
    this.list.push(item);
    this.save();
    return item;
  }

  first() { return this.list[0]; }

  remove(clientMsgId) {
    this.list = this.list.filter((m) => m.clientMsgId !== clientMsgId);
    this.save();
  }

  inRoom(room) { return this.list.filter((m) => m.room === room); }

  get size() { return this.list.length; }

  clear() {
    this.list = [];
    localStorage.removeItem(KEY);
  }
}
