import { randomBytes } from 'node:crypto';
import { TokenSigner, type SessionClaims } from '../../../server/access/tokens.js';

/** Claims as the token carries them, without checking its signature. */
export function claimsOf(token: string): SessionClaims {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as SessionClaims;
}

/** The same token with some claims rewritten and its original signature kept: what a tamperer can make. */
export function rebound(token: string, changes: Partial<SessionClaims>): string {
  const [prefix, , mac] = token.split('.');
  const body = Buffer.from(JSON.stringify({ ...claimsOf(token), ...changes })).toString('base64url');
  return `${prefix}.${body}.${mac}`;
}

/** A correctly signed session that ended `agoMs` ago (signed with the server's own secret). */
export function expiredSession(secret: string, claims: Omit<SessionClaims, 'kind' | 'exp'>, agoMs = 1_000): string {
  return new TokenSigner(secret).session(claims, 1, Date.now() - agoMs - 1);
}

/** A session that ends `inMs` from now (signed with the server's own secret). */
export function shortSession(secret: string, claims: Omit<SessionClaims, 'kind' | 'exp'>, inMs: number): string {
  return new TokenSigner(secret).session(claims, inMs);
}

/** A well-formed session signed by some other server: right shape, wrong secret. */
export function foreignSession(claims: Omit<SessionClaims, 'kind' | 'exp'>): string {
  return new TokenSigner(randomBytes(32).toString('base64url')).session(claims, 3_600_000);
}
