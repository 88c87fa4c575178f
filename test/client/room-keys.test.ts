import { afterEach, describe, expect, it, vi } from 'vitest';
import { REKEY_BATCH_MS, RoomKeys, type KeyState } from '../../client/src/media/e2ee/room-keys.js';
import { MediaSignalling, type MediaPort, type MediaRequests } from '../../client/src/media/media-signalling.js';
import { generationOf, makeKeyPair, stepOf, unwrapKey, type KeyPair, type RoomKey } from '../../shared/e2ee/room-key.js';
import { reject } from '../../shared/protocol/errors.js';
import type { MediaRequest } from '../../shared/protocol/media.js';

/** The key maker's browser over a fake media port: what it asks the server to relay, and the keys it uses. */
function makerBrowser() {
  const wraps: MediaRequest<'media.e2ee.wrap'>[] = [];
  const untouched = async () => reject('INTERNAL', 'not part of this test');
  const requests: MediaRequests = {
    'media.join': untouched,
    'media.capabilities': untouched,
    'media.transport.create': untouched,
    'media.transport.connect': untouched,
    'media.transport.restartIce': untouched,
    'media.produce': untouched,
    'media.producer.pause': untouched,
    'media.producer.resume': untouched,
    'media.producer.close': untouched,
    'media.consume': untouched,
    'media.consumer.resume': untouched,
    'media.tiles': untouched,
    'media.receive': untouched,
    'media.leave': untouched,
    'media.e2ee.publish': untouched,
    'media.e2ee.doubt': untouched,
    'media.e2ee.wrap': async (request) => {
      wraps.push(request);
      return { ok: true, missing: [] };
    },
  };
  const port: MediaPort = { connected: true, requests, listen: () => () => undefined };
  const used: RoomKey[] = [];
  const states: KeyState[] = [];
  const keys = new RoomKeys(new MediaSignalling(port), { useKey: (key) => void used.push(key) }, (state) => void states.push(state));
  const handlers = keys.handlers();
  const holders = (pairs: KeyPair[]) => handlers['media.e2ee.holders']({ keys: pairs.map((p, i) => ({ participantId: `m${i}`, publicKey: p.publicKey })) });
  return { keys, wraps, used, states, holders };
}

const settle = () => vi.advanceTimersByTimeAsync(50);

describe('the key maker’s browser', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes a key for those present, ratchets it for a newcomer, and re-keys without whoever left, batched', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const [ana, ben, cleo] = await Promise.all([makeKeyPair(), makeKeyPair(), makeKeyPair()]);
    const maker = makerBrowser();

    maker.holders([ana!]);
    await vi.waitFor(() => expect(maker.wraps).toHaveLength(1));
    const first = maker.wraps[0]!;
    expect(first.keys.map((k) => k.to)).toEqual([ana!.publicKey]);
    expect(maker.keys.state).toMatchObject({ maker: true, status: 'ready' });
    expect(maker.keys.state.code).toMatch(/^\d{3} \d{3} \d{3}$/);

    // Ben arrives: the next step of the same generation, sealed for Ben only.
    maker.holders([ana!, ben!]);
    await vi.waitFor(() => expect(maker.wraps).toHaveLength(2));
    const joined = maker.wraps[1]!;
    expect(joined.keys.map((k) => k.to)).toEqual([ben!.publicKey]);
    expect(generationOf(BigInt(joined.kid))).toBe(generationOf(BigInt(first.kid)));
    expect(stepOf(BigInt(joined.kid))).toBe(stepOf(BigInt(first.kid)) + 1);
    // The safety code covers the maker and both members.
    expect(joined.holders).toHaveLength(3);
    expect(joined.holders).toEqual(expect.arrayContaining([ana!.publicKey, ben!.publicKey]));

    // Ana and Ben leave within the batch window, Cleo arrives: one new generation for Cleo alone.
    maker.holders([ben!]);
    await settle();
    maker.holders([ben!, cleo!]);
    await vi.waitFor(() => expect(maker.wraps).toHaveLength(3));
    maker.holders([cleo!]);
    await settle();
    expect(maker.wraps).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(REKEY_BATCH_MS);
    await vi.waitFor(() => expect(maker.wraps).toHaveLength(4));
    const rekey = maker.wraps[3]!;
    expect(generationOf(BigInt(rekey.kid))).toBe(generationOf(BigInt(first.kid)) + 1);
    expect(rekey.keys.map((k) => k.to)).toEqual([cleo!.publicKey]);
    expect(rekey.holders).not.toContain(ana!.publicKey);
    expect(rekey.holders).not.toContain(ben!.publicKey);
    // The maker sends with each key as soon as it makes it.
    expect(maker.used.map((k) => k.kid.toString())).toEqual(maker.wraps.map((w) => w.kid));
  });

  it('seals a key only its addressee can open, and it is the key the maker sends with', async () => {
    const ana = await makeKeyPair();
    const maker = makerBrowser();
    maker.holders([ana]);
    await vi.waitFor(() => expect(maker.wraps).toHaveLength(1));
    const { kid, holders, keys } = maker.wraps[0]!;
    const makerKey = holders.find((h) => h !== ana.publicKey)!;
    const opened = await unwrapKey(keys[0]!.wrapped, ana, makerKey);
    expect(opened?.kid.toString()).toBe(kid);
    expect(Buffer.from(opened!.secret).equals(Buffer.from(maker.used[0]!.secret))).toBe(true);
  });
});
