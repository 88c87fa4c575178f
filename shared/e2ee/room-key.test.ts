import { describe, expect, it } from 'vitest';
import { freshKey, generationOf, kidOf, makeKeyPair, ratchet, ratchetTo, safetyCode, stepOf, unwrapKey, wrapKey, MAX_STEP, type RoomKey } from './room-key.js';

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');

describe('key ids', () => {
  it('are a generation and a ratchet step', () => {
    const kid = kidOf(3, 7);
    expect(kid).toBe(0x307n);
    expect(generationOf(kid)).toBe(3);
    expect(stepOf(kid)).toBe(7);
  });

  it('a fresh key opens the next generation with new random bytes', () => {
    const first = freshKey(null);
    const second = freshKey({ ...first, kid: kidOf(1, 4) });
    expect(first.kid).toBe(kidOf(1, 0));
    expect(second.kid).toBe(kidOf(2, 0));
    expect(hex(second.secret)).not.toBe(hex(first.secret));
  });
});

describe('ratchet', () => {
  const key: RoomKey = { kid: kidOf(2, 0), secret: Uint8Array.from({ length: 32 }, (_, i) => i) };

  it('steps forward deterministically within the generation', async () => {
    const one = await ratchet(key);
    const again = await ratchet(key);
    expect(one.kid).toBe(kidOf(2, 1));
    expect(hex(one.secret)).toBe(hex(again.secret));
    expect(hex(one.secret)).not.toBe(hex(key.secret));
  });

  it('reaches a later step from an earlier one, never backwards or across generations', async () => {
    const three = await ratchet(await ratchet(await ratchet(key)));
    expect(hex((await ratchetTo(key, kidOf(2, 3)))!.secret)).toBe(hex(three.secret));
    expect(await ratchetTo(three, kidOf(2, 1))).toBeNull();
    expect(await ratchetTo(key, kidOf(3, 1))).toBeNull();
    expect(await ratchetTo(key, kidOf(2, 40), 16)).toBeNull();
  });

  it('stops at the last step: a fresh key is needed', async () => {
    await expect(ratchet({ ...key, kid: kidOf(2, MAX_STEP) })).rejects.toThrow(RangeError);
  });
});

describe('wrapping the room key for a member', () => {
  it('opens only for the member it was sealed for, from the maker it names', async () => {
    const maker = await makeKeyPair();
    const member = await makeKeyPair();
    const stranger = await makeKeyPair();
    const key = freshKey(null);
    const wrapped = await wrapKey(key, maker, member.publicKey);
    expect(wrapped.length).toBeLessThan(200);
    expect(wrapped).not.toContain(Buffer.from(key.secret).toString('base64url'));
    const opened = await unwrapKey(wrapped, member, maker.publicKey);
    expect(opened?.kid).toBe(key.kid);
    expect(hex(opened!.secret)).toBe(hex(key.secret));
    expect(await unwrapKey(wrapped, stranger, maker.publicKey)).toBeNull();
    expect(await unwrapKey(wrapped, member, stranger.publicKey)).toBeNull();
    // A blob for someone else, handed to us, does not open even though we share the maker.
    expect(await unwrapKey(await wrapKey(key, maker, stranger.publicKey), member, maker.publicKey)).toBeNull();
    expect(await unwrapKey('not-a-blob', member, maker.publicKey)).toBeNull();
  });

  it('public keys are raw P-256 points in base64url', async () => {
    const pair = await makeKeyPair();
    expect(pair.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  });
});

describe('safety code', () => {
  it('is nine digits, the same for everyone with the same key and holders in any order', async () => {
    const key = freshKey(null);
    const a = await safetyCode(key, ['k1', 'k2', 'k3']);
    expect(a).toMatch(/^\d{3} \d{3} \d{3}$/);
    expect(await safetyCode(key, ['k3', 'k1', 'k2'])).toBe(a);
  });

  it('differs when a holder was swapped (a key put in someone’s place) or the key differs', async () => {
    const key = freshKey(null);
    const a = await safetyCode(key, ['k1', 'k2', 'k3']);
    expect(await safetyCode(key, ['k1', 'k2', 'kX'])).not.toBe(a);
    expect(await safetyCode(freshKey(null), ['k1', 'k2', 'k3'])).not.toBe(a);
    expect(await safetyCode(await ratchet(key), ['k1', 'k2', 'k3'])).not.toBe(a);
  });
});
