import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId, type RoomSocket } from '../../client/src/session/connection.js';
import { protocolMismatch } from '../../server/realtime/gateway.js';
import { commandTypes, facilitatorCommandTypes, PROTOCOL_VERSION, type CommandType } from '../../shared/protocol/commands.js';
import type { SnapshotAck } from '../../shared/protocol/events.js';
import { sampleCommands } from '../support/sample-commands.js';
import { seatedRoom, startHoldspace, until, type RunningHoldspace, type SeatedRoom } from '../support/holdspace.js';

const allTypes = commandTypes;
const facilitatorTypes = commandTypes.filter((type) => facilitatorCommandTypes.has(type));

/** Payloads no honest client sends, for a command of the given type. */
function hostilePayloads(type: CommandType): [string, unknown][] {
  const deep: unknown[] = [];
  let cursor = deep;
  for (let i = 0; i < 2000; i++) cursor = (cursor[0] = []) as unknown[];
  return [
    ['nothing', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', type],
    ['an array', [type]],
    ['no id', { type }],
    ['an id of the wrong type', { id: 7, type }],
    ['an id with spaces', { id: 'drop table rooms', type }],
    ['an unknown type', { id: commandId(), type: `${type}.admin` }],
    ['a prototype key', JSON.parse(`{"id":"${commandId()}","type":"${type}","__proto__":{"role":"facilitator"}}`)],
    ['a constructor key', { id: commandId(), type, constructor: { prototype: { role: 'facilitator' } } }],
    ['an extra field', { id: commandId(), type, role: 'facilitator' }],
    ['a huge string', { id: commandId(), type, memberId: 'x'.repeat(25_000), text: 'y'.repeat(25_000) }],
    ['deep nesting', { id: commandId(), type, order: deep }],
    ['NaN and Infinity', { id: commandId(), type, index: Number.NaN, rating: Number.POSITIVE_INFINITY, k: -1 }],
    ['binary', { id: commandId(), type, text: new Uint8Array([0, 1, 2]) }],
  ];
}

function rawSocket(url: string, token: string): Promise<RoomSocket> {
  const socket: RoomSocket = io(url, { auth: { protocol: PROTOCOL_VERSION, token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The same socket as Socket.IO's untyped client, to send what no typed client would. */
const untyped = (socket: RoomSocket): Socket => socket;

/** The acknowledgement of anything sent, unchecked: tests match it against what they expect. */
const ask = (socket: RoomSocket, event: string, ...args: unknown[]): Promise<unknown> => untyped(socket).timeout(5_000).emitWithAck(event, ...args);

const codeOf = (ack: unknown) => (typeof ack === 'object' && ack !== null && 'code' in ack ? ack.code : 'ok');

describe('hostile input', () => {
  let server: RunningHoldspace;
  let room: SeatedRoom;
  let mallory: RoomSocket;
  let facilitatorSocket: RoomSocket;

  /** The room as the server holds it, read through the facilitator's snapshot. */
  const roomNow = async () => {
    const snapshot = (await facilitatorSocket.timeout(5_000).emitWithAck('sync', {})) as SnapshotAck;
    if (!snapshot.ok) throw new Error('sync refused');
    return JSON.stringify({ group: snapshot.group, self: snapshot.self });
  };

  beforeAll(async () => {
    // The budget per socket is raised here so every hostile payload reaches validation; the
    // rate limit has its own test below.
    server = await startHoldspace({ EVENTS_PER_SECOND: '1000', EVENT_BURST: '5000' });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Mallory']);
    mallory = await rawSocket(server.url, room.members[2]!.token);
    facilitatorSocket = await rawSocket(server.url, room.facilitatorToken);
  });
  afterAll(async () => {
    mallory?.close();
    facilitatorSocket?.close();
    await server?.stop();
  });

  it('answers every malformed command with INVALID and changes nothing', async () => {
    const before = await roomNow();
    let answered = 0;
    for (const type of allTypes) {
      for (const [label, payload] of hostilePayloads(type)) {
        const ack = await ask(mallory, 'command', payload);
        expect(ack, `${type} with ${label}`).toMatchObject({ ok: false, code: 'INVALID' });
        expect((ack as { message: string }).message.length).toBeGreaterThan(0);
        answered++;
      }
    }
    expect(answered).toBe(allTypes.length * 16);
    expect(await roomNow()).toBe(before);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('refuses every facilitator command from a member with FORBIDDEN', async () => {
    const before = await roomNow();
    const samples = sampleCommands({ member: room.members[0]!.id, other: room.members[1]!.id, prompt: 'prompt-123' });
    for (const type of facilitatorTypes) {
      const ack = await ask(mallory, 'command', { ...samples[type], id: commandId() });
      expect(ack, type).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(await roomNow()).toBe(before);
  });

  it('answers unknown events with UNKNOWN_EVENT and ignores those without an acknowledgement', async () => {
    const before = await roomNow();
    for (const event of ['admin', 'state', 'room', 'snapshot', 'constructor', '__proto__', 'x'.repeat(500)]) {
      expect(await ask(mallory, event, { role: 'facilitator' })).toMatchObject({ ok: false, code: 'UNKNOWN_EVENT' });
    }
    untyped(mallory).emit('command', { id: commandId(), type: 'admit', memberId: room.members[0]!.id });
    untyped(mallory).emit('sync');
    expect(await ask(mallory, 'sync', { since: 'yesterday' })).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await roomNow()).toBe(before);
  });

  it('drops a socket that sends a packet over the size limit, and keeps serving everyone else', async () => {
    const before = await roomNow();
    const brute = await rawSocket(server.url, room.members[2]!.token);
    const closed = new Promise<string>((resolve) => brute.once('disconnect', (reason) => resolve(reason)));
    untyped(brute).emit('command', { id: commandId(), type: 'hand.raise', text: 'z'.repeat(200_000) });
    expect(await closed).toBe('transport close');
    expect(await roomNow()).toBe(before);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    // Ana is unaffected.
    const ack = await room.members[0]!.connection.send({ type: 'hand.raise' });
    expect(ack).toMatchObject({ ok: true });
    await until(room.facilitator, (s) => s.group?.floor.queue.includes(room.members[0]!.id) ?? false);
  });

  it('refuses handshakes without a valid session for this protocol', async () => {
    const attempt = (auth: unknown) =>
      new Promise<string>((resolve) => {
        const socket = io(server.url, { auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, forceNew: true });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (error) => {
          socket.close();
          resolve((error as Error & { data?: { code?: string } }).data?.code ?? error.message);
        });
      });
    const token = room.members[0]!.token;
    expect(await attempt({})).toBe('UNSUPPORTED_PROTOCOL');
    // A page of the previous release is told to reload in the words it knows; a newer page, that this server is behind.
    expect(await attempt({ protocol: 1, token })).toBe('UNSUPPORTED_PROTOCOL');
    expect(await attempt({ protocol: PROTOCOL_VERSION + 1, token })).toBe('SERVER_TOO_OLD');
    expect(await attempt({ protocol: PROTOCOL_VERSION })).toBe('UNAUTHENTICATED');
    expect(await attempt({ protocol: PROTOCOL_VERSION, token: `${token}x` })).toBe('UNAUTHENTICATED');
    const [prefix, body, mac] = token.split('.');
    const forged = Buffer.from(Buffer.from(body!, 'base64url').toString().replace('"member"', '"facilitator"')).toString('base64url');
    expect(await attempt({ protocol: PROTOCOL_VERSION, token: `${prefix}.${forged}.${mac}` })).toBe('UNAUTHENTICATED');
    expect(await attempt({ protocol: PROTOCOL_VERSION, token: room.inviteUrl.split('#')[1] })).toBe('UNAUTHENTICATED');
    expect(await attempt({ protocol: PROTOCOL_VERSION, token })).toBe('connected');
  });

  it.each([
    { client: 5, server: 5, expected: null },
    { client: 4, server: 5, expected: 'CLIENT_TOO_OLD' },
    { client: 6, server: 5, expected: 'SERVER_TOO_OLD' },
    { client: 1, server: 5, expected: 'UNSUPPORTED_PROTOCOL' },
    { client: '5', server: 5, expected: 'UNSUPPORTED_PROTOCOL' },
    { client: undefined, server: 5, expected: 'UNSUPPORTED_PROTOCOL' },
  ])('tells a protocol $client client of a protocol $server server: $expected', ({ client, server, expected }) => {
    expect(protocolMismatch(client, server)).toBe(expected);
  });

  it('shuts a removed member out, also on the way back in', async () => {
    const ben = room.members[1]!;
    const farewell = until(ben.connection, (s) => s.farewell?.code === 'REMOVED');
    expect(await room.facilitator.send({ type: 'remove', memberId: ben.id })).toMatchObject({ ok: true });
    await farewell;
    await expect(rawSocket(server.url, ben.token)).rejects.toMatchObject({ data: { code: 'REMOVED' } });
    // The same invite link only leads back to the waiting room.
    const again = await server.join(room.inviteUrl, 'Ben');
    const socket = await rawSocket(server.url, again.token);
    expect(await ask(socket, 'command', { id: commandId(), type: 'hand.raise' })).toMatchObject({ ok: false, code: 'NOT_ADMITTED' });
    socket.close();
    const seats = (room.facilitator.snapshot.group?.seats ?? []).map((seat) => seat.id);
    expect(seats).not.toContain(ben.id);
  });

  it('limits a socket that sends events faster than a person can, without slowing anyone else', async () => {
    const limited = await startHoldspace({ EVENTS_PER_SECOND: '10', EVENT_BURST: '20' });
    try {
      const flood = await seatedRoom(limited, ['Ana', 'Mallory']);
      const spammer = await rawSocket(limited.url, flood.members[1]!.token);
      const answers = await Promise.all(Array.from({ length: 100 }, () => ask(spammer, 'command', { id: commandId(), type: 'meToo' })));
      const codes = answers.map(codeOf);
      expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(75);
      expect(codes.filter((code) => code !== 'RATE_LIMITED').length).toBeLessThanOrEqual(25);
      // Ana, on the same address, is not limited.
      expect(await flood.members[0]!.connection.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
      spammer.close();
    } finally {
      await limited.stop();
    }
  });
});

describe('sessions that end while the socket is open', () => {
  it('shows a member whose session expired out within the recheck interval', async () => {
    const server = await startHoldspace({ SESSION_TTL_HOURS: '0.001', SESSION_RECHECK_SECONDS: '1' });
    try {
      const room = await seatedRoom(server, ['Ana']);
      const ana = room.members[0]!.connection;
      const shownOut = await until(ana, (s) => s.status === 'closed', 8_000);
      expect(shownOut.farewell?.code).toBe('UNAUTHENTICATED');
    } finally {
      await server.stop();
    }
  });
});
