import { describe, expect, it } from 'vitest';
import { clearBytes, decodeHeader, deriveFrameKey, encodeHeader, nonceFor, openFrame, peekFrame, sealFrame, TAG_BYTES } from './sframe.js';

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const unhex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));

describe('SFrame header (RFC 9605 section 4.3)', () => {
  it.each([
    // KID and CTR below 8 fit in the config byte.
    { kid: 0n, ctr: 0n, bytes: '00' },
    { kid: 7n, ctr: 5n, bytes: '75' },
    // Larger values: X or Y set, K or C is the length minus one, then the big-endian bytes.
    { kid: 8n, ctr: 0n, bytes: '8008' },
    { kid: 0n, ctr: 256n, bytes: '090100' },
    { kid: 0x1_02n, ctr: 0xffff_ffffn, bytes: '9b0102ffffffff' },
    { kid: (1n << 64n) - 1n, ctr: 1n, bytes: 'f1ffffffffffffffff' },
  ])('kid $kid ctr $ctr is $bytes', ({ kid, ctr, bytes }) => {
    expect(hex(encodeHeader(kid, ctr))).toBe(bytes);
    expect(decodeHeader(unhex(bytes))).toEqual({ kid, ctr, length: bytes.length / 2 });
  });

  it('refuses values past 64 bits and headers cut short', () => {
    expect(() => encodeHeader(1n << 64n, 0n)).toThrow(RangeError);
    expect(() => encodeHeader(0n, -1n)).toThrow(RangeError);
    expect(decodeHeader(new Uint8Array(0))).toBeNull();
    expect(decodeHeader(unhex('9b0102ff'))).toBeNull();
  });
});

describe('nonce', () => {
  it('is the salt XOR the counter in its last bytes', () => {
    const salt = unhex('000102030405060708090a0b');
    expect(hex(nonceFor(salt, 0n))).toBe('000102030405060708090a0b');
    expect(hex(nonceFor(salt, 0x0102n))).toBe('000102030405060708090b09');
    expect(hex(nonceFor(salt, (1n << 64n) - 1n))).toBe('00010203fbfaf9f8f7f6f5f4');
  });

  it('differs for every counter, so no two frames of a sender share one', () => {
    const salt = crypto.getRandomValues(new Uint8Array(12));
    const nonces = new Set(Array.from({ length: 1000 }, (_, i) => hex(nonceFor(salt, BigInt(i)))));
    expect(nonces.size).toBe(1000);
  });
});

describe('codec bytes left in clear', () => {
  it.each([
    { what: 'Opus: the TOC byte', kind: 'audio' as const, first: 0x78, clear: 1 },
    { what: 'VP8 key frame (P bit 0): 10 bytes', kind: 'video' as const, first: 0x10, clear: 10 },
    { what: 'VP8 delta frame (P bit 1): 3 bytes', kind: 'video' as const, first: 0x11, clear: 3 },
  ])('$what', ({ kind, first, clear }) => {
    const frame = new Uint8Array(40);
    frame[0] = first;
    expect(clearBytes(kind, frame)).toBe(clear);
  });

  it('never more than the frame has', () => {
    expect(clearBytes('video', Uint8Array.of(0x10, 1))).toBe(2);
    expect(clearBytes('audio', new Uint8Array(0))).toBe(0);
  });
});

describe('sealing and opening a frame', () => {
  const base = Uint8Array.from({ length: 32 }, (_, i) => i);
  const frame = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff);
  frame[0] = 0x10;

  it('keeps the clear bytes, adds header and tag, and opens back to the frame', async () => {
    const key = await deriveFrameKey(base, 0x101n);
    const sealed = await sealFrame(frame, 10, key, 42n);
    expect(hex(sealed.subarray(0, 10))).toBe(hex(frame.subarray(0, 10)));
    expect(peekFrame(sealed, 10)).toEqual({ kid: 0x101n, ctr: 42n, length: 4 });
    expect(sealed.length).toBe(frame.length + 4 + TAG_BYTES);
    // The rest is not the frame's bytes.
    expect(hex(sealed.subarray(14, 40))).not.toContain(hex(frame.subarray(10, 20)));
    expect(await openFrame(sealed, 10, key)).toEqual(frame);
  });

  it('refuses another key, an altered clear byte or an altered payload', async () => {
    const key = await deriveFrameKey(base, 1n);
    const other = await deriveFrameKey(Uint8Array.from({ length: 32 }, () => 9), 1n);
    const sealed = await sealFrame(frame, 10, key, 1n);
    expect(await openFrame(sealed, 10, other)).toBeNull();
    const clearAltered = Uint8Array.from(sealed);
    clearAltered[3]! ^= 1;
    expect(await openFrame(clearAltered, 10, key)).toBeNull();
    const bodyAltered = Uint8Array.from(sealed);
    bodyAltered[30]! ^= 1;
    expect(await openFrame(bodyAltered, 10, key)).toBeNull();
    expect(await openFrame(frame, 10, key)).toBeNull();
  });

  it('derives different keys and salts per KID from one base key', async () => {
    const a = await deriveFrameKey(base, 1n);
    const b = await deriveFrameKey(base, 2n);
    expect(hex(a.salt)).not.toBe(hex(b.salt));
    const sealed = await sealFrame(frame, 1, a, 0n);
    expect(await openFrame(sealed, 1, { ...b, kid: 1n })).toBeNull();
  });
});
