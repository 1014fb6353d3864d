// The WebSocket to Kring: a fresh one-minute ticket for every connection (the token goes in the
// Authorization header of that request, never in a URL), requests matched to replies by id,
// and reconnecting with exponential backoff and full jitter (0.5 s doubling up to 30 s) so that
// thousands of phones do not all come back in the same second after an outage. A reply that
// cannot come (the socket closed) resolves as {ok:false, error:{code:'disconnected'}}.
// States: 'connecting', 'connected', 'lost' (retrying), 'ended' (banned, signed out elsewhere:
// retrying would not help).
/* global kringApi */

const MAX_BACKOFF_MS = 30000;

export class Connection {
  constructor({ token, onFrame, onState, onSignedOut }) {
    this.token = token;
    this.onFrame = onFrame;
    this.onState = onState;
    this.onSignedOut = onSignedOut;
    this.socket = null;
    this.connected = false;
    this.attempts = 0;
    this.nextId = 1;
    this.pending = new Map();
    this.timer = null;
    this.stopped = false;
    window.addEventListener('online', () => { if (!this.connected && !this.stopped) this.connectNow(); });
  }

  start() {
    this.stopped = false;
    this.connectNow();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000);
    this.socket = null;
  }

  connectNow() {
    clearTimeout(this.timer);
    this.connect();
  }

  async connect() {
    if (this.stopped || !this.token()) return;
    this.onState('connecting');
    let ticket;
    try {
      ticket = (await kringApi('/ws-ticket', this.token(), { method: 'POST' })).ticket;
    } catch (err) {
      if (err.status === 401) { this.onSignedOut(); return; }
      this.retry();
      return;
    }
    if (this.stopped) return;
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${proto}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
    this.socket = socket;
    socket.addEventListener('message', (e) => {
      let frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (frame.type === 'welcome') { this.connected = true; this.attempts = 0; this.onState('connected'); }
      if (frame.type === 'reply') {
        const resolve = this.pending.get(frame.id);
        this.pending.delete(frame.id);
        if (resolve) resolve(frame);
        return;
      }
      this.onFrame(frame);
    });
    socket.addEventListener('close', (e) => {
      if (this.socket !== socket) return;
      this.connected = false;
      this.socket = null;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'disconnected' } });
      this.pending.clear();
      if (this.stopped) return;
      if (e.code === 4500) { this.onSignedOut(); return; }             // signed out, token gone
      if (e.code === 4501 || e.code === 4503) { this.onState('ended'); return; } // replaced, banned
      this.retry(e.code === 4029 ? 30000 : 0);                          // 4029: too many connections
    });
  }

  retry(minimumMs = 0) {
    this.onState('lost');
    this.attempts += 1;
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.attempts, 6));
    const delay = Math.max(minimumMs, Math.random() * ceiling);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  request(type, fields) {
    return new Promise((resolve) => {
      if (!this.connected) { resolve({ ok: false, error: { code: 'disconnected' } }); return; }
      const id = 'r' + this.nextId++;
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ ...fields, type, id }));
    });
  }

  /** A frame without a reply (typing); dropped while disconnected. */
  tell(type, fields) {
    if (this.connected) this.socket.send(JSON.stringify({ ...fields, type }));
  }
}
