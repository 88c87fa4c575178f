import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import { errorMessages } from '../../shared/protocol/errors.js';
import { seatedRoom, startHoldspace, until, type RunningHoldspace, type SeatedRoom } from '../support/holdspace.js';

/** What a handshake with this token comes to: 'connected', or the code it was refused with. */
function handshake(url: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, { auth: { protocol: PROTOCOL_VERSION, token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve((error as Error & { data?: { code?: string } }).data?.code ?? error.message);
    });
  });
}

const seatIds = (connection: RoomConnection) => (connection.snapshot.group?.seats ?? []).map((seat) => seat.id);

describe('leaving and removal last', () => {
  let server: RunningHoldspace;
  beforeAll(async () => {
    server = await startHoldspace({ MEDIA_ENABLED: 'false' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    { how: 'leaves', code: 'LEFT', end: (_room: SeatedRoom, ben: SeatedRoom['members'][number]) => ben.connection.send({ type: 'leave' }) },
    { how: 'is removed', code: 'REMOVED', end: (room: SeatedRoom, ben: SeatedRoom['members'][number]) => room.facilitator.send({ type: 'remove', memberId: ben.id }) },
  ])('a member who $how is shown out on every open socket, and their old token is refused ($code) at the handshake', async ({ code, end }) => {
    const room = await seatedRoom(server, ['Ana', 'Ben']);
    const ben = room.members[1]!;
    // A second tab of Ben's, with the same session token.
    const otherTab = server.connect(ben.token);
    await until(otherTab, (s) => s.group !== null);
    const shownOut = until(otherTab, (s) => s.status === 'closed' && s.farewell?.code === code);

    void end(room, ben);
    await shownOut;
    await until(room.facilitator, (s) => !seatIds(room.facilitator).includes(ben.id) && s.group !== null);

    expect(await handshake(server.url, ben.token)).toBe(code);
    // Some time later the facilitator still does not see Ben back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seatIds(room.facilitator)).not.toContain(ben.id);
    expect(room.facilitator.snapshot.self?.role === 'facilitator' && room.facilitator.snapshot.self.waiting.map((p) => p.id)).toEqual([]);
  });
});

describe('replacing a room’s invite link', () => {
  let server: RunningHoldspace;
  beforeAll(async () => {
    server = await startHoldspace({ MEDIA_ENABLED: 'false' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = async (path: string, body: unknown, key?: string) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const inviteOf = (url: string) => new URL(url).hash.slice(1);

  it('the old link answers INVITE_REPLACED with its own message, the new one lets people wait, and nobody inside is touched', async () => {
    const room = await seatedRoom(server, ['Ana']);
    const oldInvite = inviteOf(room.inviteUrl);

    const replaced = await post(`/api/rooms/${room.roomId}/invite`, {}, server.facilitatorKey);
    expect(replaced.status).toBe(200);
    const newInvite = inviteOf(String(replaced.body.inviteUrl));
    expect(newInvite).not.toBe(oldInvite);

    for (const [path, body] of [['/api/invites/inspect', { invite: oldInvite }], ['/api/join', { invite: oldInvite, name: 'Rex' }]] as const) {
      const answer = await post(path, body);
      expect(answer, path).toMatchObject({ status: 410, body: { code: 'INVITE_REPLACED', message: errorMessages.INVITE_REPLACED } });
    }
    expect(errorMessages.INVITE_REPLACED).toMatch(/replaced/);

    expect(await post('/api/invites/inspect', { invite: newInvite })).toMatchObject({ status: 200, body: { roomTitle: 'Tuesday group' } });
    const joined = await post('/api/join', { invite: newInvite, name: 'Cleo' });
    expect(joined.status).toBe(201);
    await until(room.facilitator, (s) => s.self?.role === 'facilitator' && s.self.waiting.some((p) => p.name === 'Cleo'));

    // The facilitator's console hands out the new link from now on.
    const facilitate = await post(`/api/rooms/${room.roomId}/facilitate`, {}, server.facilitatorKey);
    expect(inviteOf(String(facilitate.body.inviteUrl)).split('.')[1]).not.toBe(oldInvite.split('.')[1]);
    expect((await post('/api/join', { invite: inviteOf(String(facilitate.body.inviteUrl)), name: 'Dev' })).status).toBe(201);

    // Ana, already seated, keeps her seat and her session.
    expect(await room.members[0]!.connection.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
  });

  it('only the facilitator key can replace a link', async () => {
    const room = await server.createRoom();
    expect(await post(`/api/rooms/${room.roomId}/invite`, {})).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await post(`/api/rooms/${room.roomId}/invite`, {}, 'not-the-key-at-all-0000')).toMatchObject({ status: 401 });
    expect((await post('/api/invites/inspect', { invite: inviteOf(room.inviteUrl) })).status).toBe(200);
  });
});

describe('names at the door', () => {
  let server: RunningHoldspace;
  beforeAll(async () => {
    server = await startHoldspace({ MEDIA_ENABLED: 'false' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    { what: 'the facilitator’s name', name: 'Dr. Rivera', status: 409, code: 'NAME_TAKEN' },
    { what: 'a homoglyph of a member’s name', name: '\u0410na', status: 409, code: 'NAME_TAKEN' },
    { what: 'a “, facilitator” suffix', name: 'Sam, facilitator', status: 422, code: 'NAME_NOT_ALLOWED' },
    { what: 'a right-to-left override', name: 'Sam\u202Erotatilicaf', status: 422, code: 'NAME_NOT_ALLOWED' },
    { what: 'zero-width characters only', name: '\u200B\u200C\u200D', status: 422, code: 'NAME_NOT_ALLOWED' },
    { what: 'a control character', name: 'Sam\u0007', status: 422, code: 'NAME_NOT_ALLOWED' },
    { what: 'a lone surrogate', name: 'Sam\uD800', status: 422, code: 'NAME_NOT_ALLOWED' },
  ])('joining with $what is refused with $code and a reason', async ({ name, status, code }) => {
    const room = await seatedRoom(server, ['Ana']);
    const response = await fetch(`${server.url}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invite: new URL(room.inviteUrl).hash.slice(1), name }),
    });
    const body = (await response.json()) as { code: string; message: string; detail?: string };
    expect(response.status).toBe(status);
    expect(body).toMatchObject({ code, message: errorMessages[code as keyof typeof errorMessages] });
    expect(body.detail?.length ?? 0).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(room.facilitator.snapshot.self?.role === 'facilitator' && room.facilitator.snapshot.self.waiting).toEqual([]);
  });
});
