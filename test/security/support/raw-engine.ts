import WebSocket from 'ws';

/**
 * A bare engine.io v4 WebSocket, below Socket.IO's client: it sends whatever frames it is given,
 * answers pings only when asked to, and records what the server sent and how it ended.
 */
export class RawEngine {
  readonly ws: WebSocket;
  readonly received: (string | Buffer)[] = [];
  /** The close code once the server (or the network) ended the connection. */
  readonly closed: Promise<{ code: number; afterMs: number }>;
  readonly opened: Promise<boolean>;
  readonly #openedAt = Date.now();
  #waiters: { match: (frame: string) => boolean; resolve: (frame: string | null) => void }[] = [];
  #isClosed = false;

  constructor(url: string, options: { origin?: string; answerPings?: boolean; transport?: 'websocket' } = {}) {
    const target = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    this.ws = new WebSocket(target, { ...(options.origin ? { origin: options.origin } : {}), handshakeTimeout: 5_000 });
    this.opened = new Promise((resolve) => {
      this.ws.once('open', () => resolve(true));
      this.ws.once('unexpected-response', () => resolve(false));
      this.ws.once('error', () => resolve(false));
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code) => {
        this.#isClosed = true;
        for (const waiter of this.#waiters) waiter.resolve(null);
        this.#waiters = [];
        resolve({ code, afterMs: Date.now() - this.#openedAt });
      });
      this.ws.once('error', () => undefined);
    });
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? data : data.toString('utf8');
      this.received.push(frame);
      if (typeof frame !== 'string') return;
      if (frame === '2' && options.answerPings !== false) this.send('3');
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!waiter.match(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  send(frame: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** The next text frame (already received or to come) that matches; null if the connection ends first or time runs out. */
  next(match: (frame: string) => boolean, timeoutMs = 3_000): Promise<string | null> {
    const seen = this.received.find((frame): frame is string => typeof frame === 'string' && match(frame));
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.#isClosed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter = { match, resolve };
      this.#waiters.push(waiter);
      setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(null);
      }, timeoutMs);
    });
  }

  /** Join the main namespace with these handshake credentials; the server's answer frame, or null. */
  async connect(auth: unknown): Promise<string | null> {
    if (!(await this.opened)) return null;
    await this.next((frame) => frame.startsWith('0{'));
    this.send(`40${JSON.stringify(auth)}`);
    return this.next((frame) => frame.startsWith('40') || frame.startsWith('44'));
  }

  close(): void {
    this.ws.terminate();
  }
}
