import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * What nodes tell each other through Redis (forwarded commands, broadcasts) is sealed with
 * AES-256-GCM under a key derived from the session secret, which every node shares. Redis, its
 * dumps, slow log and MONITOR see ciphertext: no feedback answer next to its sender, no private
 * view next to its recipient. And a message not sealed by a node (someone else with access to
 * Redis) fails to open and is dropped, so nobody can forge a command as another participant.
 */
export class TransportCipher {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = createHmac('sha256', secret).update('holdspace cluster transport v1').digest();
  }

  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The text, or null when it was not sealed with this key (or was altered). */
  open(sealed: string): string | null {
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
