import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * An invite link: anyone holding it may ask to join one room until it expires or the room's
 * link is replaced (gen: the room's invite generation; absent in links made before, meaning 0).
 */
const inviteClaims = z.strictObject({ kind: z.literal('invite'), room: z.string(), gen: z.number().int().min(0).optional(), exp: z.number(), nonce: z.string() });
/** A participant's session: who they are in which room, until it expires. */
const sessionClaims = z.strictObject({
  kind: z.literal('session'),
  room: z.string(),
  sub: z.string(),
  role: z.enum(['facilitator', 'member']),
  /** The signed-in account a facilitator's session was issued to; its sign-in must stay live for the socket to. */
  by: z.string().optional(),
  exp: z.number(),
});

export type InviteClaims = z.infer<typeof inviteClaims>;
export type SessionClaims = z.infer<typeof sessionClaims>;

const PREFIX = 'hs1';

/** Compact HMAC-signed tokens: small, self-contained, and checkable on any node with the secret. */
export class TokenSigner {
  readonly #secret: Buffer;

  constructor(secret: string) {
    this.#secret = Buffer.from(secret, 'utf8');
  }

  invite(room: string, generation: number, ttlMs: number, now = Date.now()): string {
    return this.#sign({ kind: 'invite', room, gen: generation, exp: now + ttlMs, nonce: randomBytes(6).toString('base64url') });
  }

  session(claims: Omit<SessionClaims, 'kind' | 'exp'>, ttlMs: number, now = Date.now()): string {
    return this.#sign({ kind: 'session', ...claims, exp: now + ttlMs });
  }

  readInvite(token: unknown, now = Date.now()): InviteClaims | null {
    return this.#read(token, inviteClaims, now);
  }

  readSession(token: unknown, now = Date.now()): SessionClaims | null {
    return this.#read(token, sessionClaims, now);
  }

  #sign(claims: object): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${PREFIX}.${body}.${this.#mac(body)}`;
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#secret).update(`${PREFIX}.${body}`).digest('base64url');
  }

  #read<T extends { exp: number }>(token: unknown, schema: z.ZodType<T>, now: number): T | null {
    if (typeof token !== 'string' || token.length > 2048) return null;
    const [prefix, body, mac, extra] = token.split('.');
    if (prefix !== PREFIX || !body || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const claims = schema.safeParse(json);
    if (!claims.success || claims.data.exp <= now) return null;
    return claims.data;
  }
}
