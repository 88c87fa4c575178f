import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHoldspaceProcess, type HoldspaceProcess } from './support/holdspace-process.js';
import { until } from '../support/holdspace.js';

const PERMISSIONS = 'camera=(self), microphone=(self)';

/** The headers of a WebSocket upgrade answer (101), which never pass through Express. */
function upgradeHeaders(url: string, path: string): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64') },
    });
    req.once('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.headers);
    });
    req.once('response', (response) => resolve(response.headers));
    req.once('error', reject);
    req.end();
  });
}

/** A raw TCP connection; `closed` resolves with how long after opening the server closed it. */
function rawConnection(url: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    const closed = new Promise<number>((settle) => socket.once('close', () => settle(Date.now() - opened)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

const settledWithin = <T>(promise: Promise<T>, ms: number) => Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the HTTP edge: what it tells strangers, and how long it waits for them', () => {
  let server: HoldspaceProcess;
  const keyHeader = () => ({ authorization: `Bearer ${server.facilitatorKey}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    server = await startHoldspaceProcess({ env: { CONNECTIONS_PER_ADDRESS: '12', MAX_ROOMS: '4', UNUSED_ROOM_HOURS: '0.0015' } });
  }, 30_000);
  afterAll(async () => server?.stop());

  it('caps the connections one address holds open, and takes new ones once they close', { timeout: 20_000 }, async () => {
    const held = await Promise.all(Array.from({ length: 12 }, () => rawConnection(server.url)));
    const extra = await Promise.all(Array.from({ length: 4 }, () => rawConnection(server.url)));
    const extraClosed = await Promise.all(extra.map((c) => settledWithin(c.closed, 2_000)));
    const heldClosed = await Promise.all(held.map((c) => settledWithin(c.closed, 100)));
    expect(extraClosed).toEqual([true, true, true, true]);
    expect(heldClosed.filter(Boolean)).toEqual([]);
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } })).status).toBe(200);
  });

  it('/healthz says the server is up and nothing about how many rooms or sockets it holds', async () => {
    const answer = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
  });

  it("sends the same security headers on Socket.IO's own responses (polling, refusals, upgrades) as on the app's", async () => {
    const app = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { connection: 'close' } });
    const refused = await fetch(`${server.url}/socket.io/?EIO=4&transport=carrier-pigeon`, { headers: { connection: 'close' } });
    expect(polling.status).toBe(200);
    expect(refused.status).toBe(400);
    const upgrade = await upgradeHeaders(server.url, '/socket.io/?EIO=4&transport=websocket');
    const wanted = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'permissions-policy'];
    for (const name of wanted) expect(app.headers.get(name), `app: ${name}`).toBeTruthy();
    expect(app.headers.get('permissions-policy')).toBe(PERMISSIONS);
    for (const [where, get] of [
      ['polling', (name: string) => polling.headers.get(name)],
      ['refusal', (name: string) => refused.headers.get(name)],
      ['upgrade', (name: string) => upgrade[name] as string | undefined],
    ] as const) {
      for (const name of wanted) expect(get(name), `${where}: ${name}`).toBe(app.headers.get(name));
    }
  });

  it('caps the open rooms with ROOM_LIMIT, pages the list, and forgets rooms nobody ever used', { timeout: 30_000 }, async () => {
    const list = async (query = '') => (await (await fetch(`${server.url}/api/rooms${query}`, { headers: keyHeader() })).json()) as { rooms: { id: string; createdAt: number }[]; next: string | null };
    const used = await server.createRoom('Used');
    const facilitator = server.connect(used.token);
    await until(facilitator, (s) => s.group !== null);
    const unused = await server.createRoom('Never opened');
    await server.createRoom('Third');
    await server.createRoom('Fourth');
    const over = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: keyHeader(), body: JSON.stringify({ title: 'Fifth' }) });
    expect(over.status).toBe(409);
    expect(await over.json()).toMatchObject({ ok: false, code: 'ROOM_LIMIT' });

    const first = await list('?limit=3');
    expect(first.rooms).toHaveLength(3);
    expect(first.next).toEqual(expect.any(String));
    const second = await list(`?limit=3&after=${encodeURIComponent(first.next!)}`);
    expect(second.rooms).toHaveLength(1);
    expect(second.next).toBeNull();
    const paged = [...first.rooms, ...second.rooms];
    expect(new Set(paged.map((r) => r.id)).size).toBe(4);
    expect(paged.map((r) => r.createdAt)).toEqual([...paged.map((r) => r.createdAt)].sort((a, b) => b - a));
    expect((await fetch(`${server.url}/api/rooms?limit=100000`, { headers: keyHeader() })).status).toBe(400);

    // Some five seconds later the rooms nobody opened are gone, and with them the cap's hold.
    const gone = Date.now() + 15_000;
    while ((await list()).rooms.some((r) => r.id === unused.roomId) && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 200));
    const left = (await list()).rooms.map((r) => r.id);
    expect(left).toEqual([used.roomId]);
    const facilitate = await fetch(`${server.url}/api/rooms/${unused.roomId}/facilitate`, { method: 'POST', headers: keyHeader(), body: '{}' });
    expect(facilitate.status).toBe(404);
    expect((await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: keyHeader(), body: JSON.stringify({ title: 'Fifth' }) })).status).toBe(201);
    expect(facilitator.snapshot.status).toBe('online');
  });

  it('marks every answer that carries a token as not to be stored', async () => {
    const created = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: keyHeader(), body: JSON.stringify({ title: 'Cache check' }) });
    const room = (await created.json()) as { roomId: string; inviteUrl: string };
    const facilitate = await fetch(`${server.url}/api/rooms/${room.roomId}/facilitate`, { method: 'POST', headers: keyHeader(), body: '{}' });
    const joined = await fetch(`${server.url}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invite: new URL(room.inviteUrl).hash.slice(1), name: 'Ana' }),
    });
    for (const [where, response] of [['create', created], ['facilitate', facilitate], ['join', joined]] as const) {
      expect(response.ok, where).toBe(true);
      expect(response.headers.get('cache-control'), where).toContain('no-store');
    }
  });

  it('closes a connection that never finishes its headers', { timeout: 30_000 }, async () => {
    const slow = await rawConnection(server.url);
    slow.socket.write('GET /healthz HTTP/1.1\r\nHost: holdspace\r\nX-Slow: ');
    // A byte every second, as a slowloris client would, so no idle timeout would catch it.
    const drip = setInterval(() => slow.socket.writable && slow.socket.write('a'), 1_000);
    try {
      expect(await settledWithin(slow.closed, 20_000)).toBe(true);
      expect(await slow.closed).toBeLessThan(20_000);
    } finally {
      clearInterval(drip);
      slow.socket.destroy();
    }
  });
});
