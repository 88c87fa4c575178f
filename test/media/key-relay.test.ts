import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyPair, wrapKey, freshKey, type KeyPair } from '../../shared/e2ee/room-key.js';
import { seatedRoom, type SeatedRoom } from '../support/holdspace.js';
import { mediaEvents, mediaOk, mediaRequest, startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';

/**
 * The server relays the room key without holding it: browsers publish ECDH public keys, the key
 * maker (a facilitator's browser) learns who holds one, and each wrapped blob reaches only the
 * connection whose public key it names. Real Socket.IO, a real mediasoup worker.
 */
describe('relaying end-to-end media keys', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  const pairs: Record<string, KeyPair> = {};
  const member = (name: string) => room.members.find((m) => m.name === name)!;

  beforeAll(async () => {
    server = await startMediaHoldspace({ EVENT_BURST: '1000' });
    room = await seatedRoom(server, ['Ana', 'Ben']);
    for (const name of ['facilitator', 'Ana', 'Ben']) pairs[name] = await makeKeyPair();
    for (const connection of [room.facilitator, member('Ana').connection, member('Ben').connection]) await mediaOk(connection, 'media.join', {});
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('tells the key maker (the facilitator’s browser) who published a key, and nobody else', async () => {
    const makerHears = mediaEvents(room.facilitator, 'media.e2ee.holders');
    const anaHears = mediaEvents(member('Ana').connection, 'media.e2ee.holders');
    await mediaOk(room.facilitator, 'media.e2ee.publish', { publicKey: pairs.facilitator!.publicKey });
    await mediaOk(member('Ana').connection, 'media.e2ee.publish', { publicKey: pairs.Ana!.publicKey });
    await mediaOk(member('Ben').connection, 'media.e2ee.publish', { publicKey: pairs.Ben!.publicKey });
    const holders = await makerHears.next((m) => m.keys.length === 2);
    expect(holders.keys).toEqual(
      expect.arrayContaining([
        { participantId: member('Ana').id, publicKey: pairs.Ana!.publicKey },
        { participantId: member('Ben').id, publicKey: pairs.Ben!.publicKey },
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(anaHears.seen).toEqual([]);
  });

  it('delivers each wrapped blob only to the browser it is sealed for; the others are told to ratchet', async () => {
    const anaKeys = mediaEvents(member('Ana').connection, 'media.e2ee.key');
    const benKeys = mediaEvents(member('Ben').connection, 'media.e2ee.key');
    const key = freshKey(null);
    const wrapped = await wrapKey(key, pairs.facilitator!, pairs.Ana!.publicKey);
    const holders = [pairs.facilitator!.publicKey, pairs.Ana!.publicKey, pairs.Ben!.publicKey];
    const answer = await mediaOk(room.facilitator, 'media.e2ee.wrap', { kid: key.kid.toString(), holders, keys: [{ to: pairs.Ana!.publicKey, wrapped }] });
    expect(answer.missing).toEqual([]);
    expect(await anaKeys.next()).toEqual({ kid: key.kid.toString(), from: pairs.facilitator!.publicKey, holders, wrapped });
    expect(await benKeys.next()).toEqual({ kid: key.kid.toString(), from: pairs.facilitator!.publicKey, holders, wrapped: null });
    expect(anaKeys.seen).toHaveLength(1);
  });

  it('refuses a wrap from a member, an oversized or malformed blob, and changes nothing', async () => {
    const benKeys = mediaEvents(member('Ben').connection, 'media.e2ee.key');
    const holders = [pairs.Ana!.publicKey];
    const fromMember = await mediaRequest(member('Ana').connection, 'media.e2ee.wrap', { kid: '1', holders, keys: [{ to: pairs.Ben!.publicKey, wrapped: 'A'.repeat(100) }] });
    expect(fromMember).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const oversized = await mediaRequest(room.facilitator, 'media.e2ee.wrap', { kid: '1', holders, keys: [{ to: pairs.Ben!.publicKey, wrapped: 'A'.repeat(5000) }] });
    expect(oversized).toMatchObject({ ok: false, code: 'INVALID' });
    const notAKey = await mediaRequest(member('Ben').connection, 'media.e2ee.publish', { publicKey: '<script>' });
    expect(notAKey).toMatchObject({ ok: false, code: 'INVALID' });
    const unknown = await mediaOk(room.facilitator, 'media.e2ee.wrap', { kid: '1', holders, keys: [{ to: (await makeKeyPair()).publicKey, wrapped: 'A'.repeat(100) }] });
    expect(unknown.missing).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(benKeys.seen.filter((m) => m.wrapped !== null)).toEqual([]);
  });

  it('tells the key maker when a holder’s media ends, so it can re-key', async () => {
    const makerHears = mediaEvents(room.facilitator, 'media.e2ee.holders');
    await mediaOk(member('Ben').connection, 'media.leave', {});
    const after = await makerHears.next((m) => m.keys.length === 1);
    expect(after.keys).toEqual([{ participantId: member('Ana').id, publicKey: pairs.Ana!.publicKey }]);
  });

  it('passes a member’s “my code differs” to the facilitator', async () => {
    const doubts = mediaEvents(room.facilitator, 'media.e2ee.doubt');
    await mediaOk(member('Ana').connection, 'media.e2ee.doubt', {});
    expect(await doubts.next()).toEqual({ participantId: member('Ana').id });
    await waitFor(() => doubts.seen.length === 1, 1_000, 'one doubt');
  });
});
