/**
 * The room key and how it travels: a 32-byte secret per key id, ratcheted forward one way when
 * someone joins (so a newcomer cannot read what came before) and replaced by a fresh one when
 * someone leaves (a new generation they never receive). It is wrapped for each member with ECDH
 * P-256 and AES-GCM, and the safety code everyone reads aloud is derived from it and the keys it
 * was wrapped for. Pure apart from WebCrypto; the server never sees any of it in clear.
 */

import type { CryptoKey } from './sframe.js';

const SECRET_BYTES = 32;
/** A KID is a generation (a fresh random key) and a step (ratchets since): generation << 8 | step. */
const STEP_BITS = 8n;
export const MAX_STEP = 255;

export interface RoomKey {
  kid: bigint;
  secret: Uint8Array;
}

export const kidOf = (generation: number, step: number): bigint => (BigInt(generation) << STEP_BITS) | BigInt(step);
export const generationOf = (kid: bigint): number => Number(kid >> STEP_BITS);
export const stepOf = (kid: bigint): number => Number(kid & 0xffn);

const text = new TextEncoder();

function bytes(value: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  return value instanceof Uint8Array ? Uint8Array.from(value) : new Uint8Array(value);
}

/** A fresh random key of a generation above `previous` (or the first one). */
export function freshKey(previous: RoomKey | null): RoomKey {
  const generation = previous ? generationOf(previous.kid) + 1 : 1;
  return { kid: kidOf(generation, 0), secret: crypto.getRandomValues(new Uint8Array(SECRET_BYTES)) };
}

/** One step forward: whoever holds this key can compute the next, nobody can go back. */
export async function ratchet(key: RoomKey): Promise<RoomKey> {
  const step = stepOf(key.kid);
  // Past the last step, a fresh key of the next generation is the only way on.
  if (step >= MAX_STEP) throw new RangeError('ratchet exhausted: make a fresh key');
  const base = await crypto.subtle.importKey('raw', bytes(key.secret), 'HKDF', false, ['deriveBits']);
  const next = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode('holdspace ratchet') }, base, SECRET_BYTES * 8);
  return { kid: kidOf(generationOf(key.kid), step + 1), secret: new Uint8Array(next) };
}

/** The key for `kid` from one we hold, if it lies ahead of it in the same generation (at most `limit` steps). */
export async function ratchetTo(key: RoomKey, kid: bigint, limit = 16): Promise<RoomKey | null> {
  if (generationOf(kid) !== generationOf(key.kid)) return null;
  const steps = stepOf(kid) - stepOf(key.kid);
  if (steps < 0 || steps > limit) return null;
  let current = key;
  for (let i = 0; i < steps; i++) current = await ratchet(current);
  return current;
}

export function toBase64Url(data: Uint8Array): string {
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  const binary = atob(value.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** One browser's key pair for receiving the room key; the public half is what it publishes. */
export interface KeyPair {
  privateKey: CryptoKey;
  /** Raw uncompressed P-256 point, base64url (87 characters). */
  publicKey: string;
}

export async function makeKeyPair(): Promise<KeyPair> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  return { privateKey: pair.privateKey, publicKey: toBase64Url(bytes(raw)) };
}

async function wrappingKey(own: CryptoKey, theirs: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const publicKey = await crypto.subtle.importKey('raw', fromBase64Url(theirs), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, own, 256);
  const base = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode('holdspace room key wrap') }, base, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

/** Seal a room key for one member: only the holder of `to`'s private key can open it. */
export async function wrapKey(roomKey: RoomKey, maker: KeyPair, to: string): Promise<string> {
  const key = await wrappingKey(maker.privateKey, to, 'encrypt');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const body = text.encode(JSON.stringify({ kid: roomKey.kid.toString(), secret: toBase64Url(roomKey.secret) }));
  // The recipient's own public key is bound in, so a blob cannot be replayed to someone else.
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: text.encode(to) }, key, body);
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return toBase64Url(out);
}

/** Open a blob sealed for us by the maker whose public key is `from`; null if it is not for us or was altered. */
export async function unwrapKey(wrapped: string, own: KeyPair, from: string): Promise<RoomKey | null> {
  try {
    const data = fromBase64Url(wrapped);
    const key = await wrappingKey(own.privateKey, from, 'decrypt');
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: data.subarray(0, 12), additionalData: text.encode(own.publicKey) }, key, data.subarray(12));
    const body = JSON.parse(new TextDecoder().decode(plain)) as { kid: string; secret: string };
    const secret = fromBase64Url(body.secret);
    return secret.length === SECRET_BYTES ? { kid: BigInt(body.kid), secret } : null;
  } catch {
    return null;
  }
}

/**
 * The code everyone compares aloud: from the key's generation secret and the set of public keys
 * it went to (the maker's included). Each browser computes it over the set it was told, after
 * checking its own key is in it, so a server that put its own key in someone's place, or told
 * people different sets, gives them a code that differs from the others'.
 * Nine digits in three groups ("284 109 553").
 */
export async function safetyCode(key: RoomKey, holders: string[]): Promise<string> {
  const set = [...new Set(holders)].sort().join('\n');
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new Uint8Array([...text.encode('holdspace safety code\n'), ...key.secret, ...text.encode(`\n${key.kid}\n${set}`)])),
  );
  const number = new DataView(digest.buffer).getBigUint64(0) % 1_000_000_000n;
  const digits = number.toString().padStart(9, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
