import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What each sealed column holds; bound into every value so a ciphertext moved to another column does not open. */
export type SealedField = 'note' | 'goal' | 'progress' | 'rating' | 'contact' | 'location' | 'feedback-prompt' | 'feedback-items' | 'summary';

/** A DATA_KEY as written: 32 bytes in base64 or base64url, or 64 hex digits. */
export const dataKeyPattern = /^([A-Fa-f0-9]{64}|[A-Za-z0-9+/_-]{43}=?)$/;

export function decodeDataKey(text: string): Buffer {
  const key = /^[A-Fa-f0-9]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text.replace(/=$/, ''), 'base64url');
  if (key.length !== 32) throw new Error('DATA_KEY must be 32 bytes: 64 hex digits or 43 base64url characters');
  return key;
}

/**
 * Encryption at rest for the content of records: AES-256-GCM with a fresh 96-bit IV per value,
 * the key kept apart from the database, so a dump of the database alone reveals no content.
 */
export class RecordCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the records key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  seal(field: SealedField, plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(field));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  open(field: SealedField, sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  sealJson(field: SealedField, value: unknown): string {
    return this.seal(field, JSON.stringify(value));
  }

  openJson<T>(field: SealedField, sealed: string): T {
    return JSON.parse(this.open(field, sealed)) as T;
  }
}
