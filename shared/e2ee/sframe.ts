/**
 * SFrame (RFC 9605) frame protection with AES_128_GCM_SHA256_128: a small header carrying the
 * key id (KID) and a per-sender counter (CTR), then ciphertext and a 16-byte tag. The codec bytes
 * the SFU reads stay in clear before the header and are authenticated as metadata (AAD).
 * Pure apart from WebCrypto, which Node and browsers (and their workers) both provide.
 */

/** AES_128_GCM_SHA256_128 (RFC 9605 section 8.1, cipher suite 0x0004). */
export const CIPHER_SUITE = 0x0004;
const KEY_BYTES = 16;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** KID and CTR each fit in at most 8 bytes. */
const MAX_FIELD_BYTES = 8;

/** WebCrypto's key type, as both the browser's and Node's typings name it. */
export type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export interface SframeHeader {
  kid: bigint;
  ctr: bigint;
  /** Bytes the header took. */
  length: number;
}

/** Big-endian bytes of a value, as few as it needs (at least one). */
function minimalBytes(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  } while (rest > 0n);
  return Uint8Array.from(bytes);
}

function fieldOf(value: bigint): { bits: number; bytes: Uint8Array } {
  if (value < 0n || value >= 1n << 64n) throw new RangeError('SFrame KID and CTR must fit in 64 bits');
  // Values below 8 sit in the config byte itself (X or Y = 0).
  if (value < 8n) return { bits: Number(value), bytes: new Uint8Array(0) };
  const bytes = minimalBytes(value);
  return { bits: 0b1000 | (bytes.length - 1), bytes };
}

/** |X|K K K|Y|C C C| then the KID bytes, then the CTR bytes (RFC 9605 section 4.3). */
export function encodeHeader(kid: bigint, ctr: bigint): Uint8Array {
  const k = fieldOf(kid);
  const c = fieldOf(ctr);
  const header = new Uint8Array(1 + k.bytes.length + c.bytes.length);
  header[0] = (k.bits << 4) | c.bits;
  header.set(k.bytes, 1);
  header.set(c.bytes, 1 + k.bytes.length);
  return header;
}

function readField(bits: number, data: Uint8Array, at: number): { value: bigint; next: number } | null {
  if ((bits & 0b1000) === 0) return { value: BigInt(bits), next: at };
  const length = (bits & 0b0111) + 1;
  if (length > MAX_FIELD_BYTES || at + length > data.length) return null;
  let value = 0n;
  for (let i = 0; i < length; i++) value = (value << 8n) | BigInt(data[at + i]!);
  return { value, next: at + length };
}

/** The header at the start of `data`, or null when it is cut short. */
export function decodeHeader(data: Uint8Array): SframeHeader | null {
  const config = data[0];
  if (config === undefined) return null;
  const kid = readField(config >> 4, data, 1);
  if (!kid) return null;
  const ctr = readField(config & 0x0f, data, kid.next);
  if (!ctr) return null;
  return { kid: kid.value, ctr: ctr.value, length: ctr.next };
}

/** The nonce of one frame: the key's salt XOR the counter, big-endian in the nonce's last bytes. */
export function nonceFor(salt: Uint8Array, ctr: bigint): Uint8Array {
  if (salt.length !== NONCE_BYTES) throw new RangeError('SFrame salt must be 12 bytes');
  const nonce = Uint8Array.from(salt);
  let rest = ctr;
  for (let i = NONCE_BYTES - 1; i >= 0 && rest > 0n; i--) {
    nonce[i]! ^= Number(rest & 0xffn);
    rest >>= 8n;
  }
  return nonce;
}

/** The AEAD key and salt one KID encrypts with, derived from its base key (RFC 9605 section 4.4.2). */
export interface FrameKey {
  kid: bigint;
  key: CryptoKey;
  salt: Uint8Array;
}

const text = new TextEncoder();

function kidSuffix(kid: bigint): Uint8Array {
  const out = new Uint8Array(10);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, kid);
  view.setUint16(8, CIPHER_SUITE);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function hkdf(secret: Uint8Array, label: string, suffix: Uint8Array, bytes: number): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', concat(secret), 'HKDF', false, ['deriveBits']);
  const info = concat(text.encode(label), suffix);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: text.encode('SFrame 1.0 '), info }, base, bytes * 8);
  return new Uint8Array(bits);
}

export async function deriveFrameKey(baseKey: Uint8Array, kid: bigint): Promise<FrameKey> {
  const suffix = kidSuffix(kid);
  const raw = await hkdf(baseKey, 'SFrame 1.0 Secret key ', suffix, KEY_BYTES);
  const salt = await hkdf(baseKey, 'SFrame 1.0 Secret salt ', suffix, NONCE_BYTES);
  const key = await crypto.subtle.importKey('raw', concat(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { kid, key, salt };
}

/**
 * Protect one frame: `clear` bytes stay readable (the codec header the SFU needs), then the
 * SFrame header, then the sealed rest. The clear bytes and the header are authenticated.
 */
export async function sealFrame(frame: Uint8Array, clear: number, key: FrameKey, ctr: bigint): Promise<Uint8Array> {
  const prefix = frame.subarray(0, clear);
  const header = encodeHeader(key.kid, ctr);
  const aad = concat(prefix, header);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: concat(nonceFor(key.salt, ctr)), additionalData: aad, tagLength: TAG_BYTES * 8 }, key.key, concat(frame.subarray(clear)));
  return concat(aad, new Uint8Array(sealed));
}

/** The header of a protected frame whose first `clear` bytes are in clear; null if it is not one. */
export function peekFrame(data: Uint8Array, clear: number): SframeHeader | null {
  if (data.length < clear + 1 + TAG_BYTES) return null;
  const header = decodeHeader(data.subarray(clear));
  return header && clear + header.length + TAG_BYTES <= data.length ? header : null;
}

/** The original frame, or null when the key is wrong or the frame was altered. */
export async function openFrame(data: Uint8Array, clear: number, key: FrameKey): Promise<Uint8Array | null> {
  const header = peekFrame(data, clear);
  if (!header || header.kid !== key.kid) return null;
  const aadLength = clear + header.length;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: concat(nonceFor(key.salt, header.ctr)), additionalData: concat(data.subarray(0, aadLength)), tagLength: TAG_BYTES * 8 },
      key.key,
      concat(data.subarray(aadLength)),
    );
    return concat(data.subarray(0, clear), new Uint8Array(plain));
  } catch {
    return null;
  }
}

/**
 * How many leading bytes the SFU must read: VP8's payload header (10 bytes on a key frame, whose
 * first bit P is 0, else 3; RFC 6386 section 9.1) and Opus's TOC byte.
 */
export function clearBytes(codec: 'audio' | 'video', frame: Uint8Array): number {
  if (codec === 'audio') return Math.min(1, frame.length);
  const first = frame[0];
  if (first === undefined) return 0;
  return Math.min((first & 0x01) === 0 ? 10 : 3, frame.length);
}
