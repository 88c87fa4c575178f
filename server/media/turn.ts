import { createHmac, randomBytes } from 'node:crypto';
import type { IceServer } from '../../shared/protocol/media.js';
import type { MediaConfig } from '../config.js';

/**
 * The ICE servers handed to a browser. TURN credentials follow coturn's REST scheme
 * (use-auth-secret): the username is "<expiry seconds>:<random>", the password
 * base64(HMAC-SHA1(secret, username)). The random part keeps participant ids out of TURN logs.
 */
export function iceServers(turn: MediaConfig['turn'], now = Date.now()): IceServer[] {
  if (turn.urls.length === 0) return [];
  const stun = turn.urls.filter((url) => url.startsWith('stun:'));
  const relays = turn.urls.filter((url) => !url.startsWith('stun:'));
  const servers: IceServer[] = stun.length > 0 ? [{ urls: stun }] : [];
  if (relays.length > 0 && turn.secret) {
    const username = `${Math.floor(now / 1000) + turn.ttlSeconds}:${randomBytes(6).toString('base64url')}`;
    servers.push({ urls: relays, username, credential: turnPassword(turn.secret, username) });
  }
  return servers;
}

export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}
