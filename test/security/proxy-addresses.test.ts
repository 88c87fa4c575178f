import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import { startHoldspace } from '../support/holdspace.js';
import { handshake } from './support/handshake.js';

// Each test server is reached on loopback, as a proxy on the same machine would reach it.
const ENTRY_PER_MINUTE = 3;
const ana = '203.0.113.10';
const ben = '198.51.100.20';

/** A join with a junk invite, as sent by a proxy for the member at `forwardedFor`. */
async function junkJoin(url: string, forwardedFor: string): Promise<{ status: number; code: string }> {
  const response = await fetch(`${url}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ invite: 'not-an-invite', name: 'Someone' }),
  });
  return { status: response.status, code: ((await response.json()) as { code: string }).code };
}

/** A Socket.IO handshake with a junk token, as forwarded by a proxy for the member at `forwardedFor`. */
const junkHandshake = (url: string, forwardedFor: string) => handshake(url, { protocol: PROTOCOL_VERSION, token: 'junk' }, { extraHeaders: { 'x-forwarded-for': forwardedFor } });

describe('per-address entry budgets behind a proxy', () => {
  it.each([
    { trust: 'loopback', separate: true },
    { trust: '1', separate: true },
    { trust: '', separate: false },
  ])('TRUST_PROXY="$trust": HTTP failures of one member spend only their own budget: $separate', async ({ trust, separate }) => {
    const server = await startHoldspace({ ENTRY_PER_MINUTE: String(ENTRY_PER_MINUTE), ...(trust ? { TRUST_PROXY: trust } : {}) });
    try {
      for (let i = 0; i < ENTRY_PER_MINUTE; i++) expect((await junkJoin(server.url, ana)).code).toBe('UNAUTHENTICATED');
      expect(await junkJoin(server.url, ana)).toEqual({ status: 429, code: 'RATE_LIMITED' });
      // Ben sits behind the same proxy: his first mistake is his own only when the proxy is trusted.
      expect((await junkJoin(server.url, ben)).code).toBe(separate ? 'UNAUTHENTICATED' : 'RATE_LIMITED');
    } finally {
      await server.stop();
    }
  });

  it.each([
    { trust: 'loopback', separate: true },
    { trust: '', separate: false },
  ])('TRUST_PROXY="$trust": handshake failures of one member spend only their own budget: $separate', async ({ trust, separate }) => {
    const server = await startHoldspace({ ENTRY_PER_MINUTE: String(ENTRY_PER_MINUTE), ...(trust ? { TRUST_PROXY: trust } : {}) });
    try {
      for (let i = 0; i < ENTRY_PER_MINUTE; i++) expect(await junkHandshake(server.url, ana)).toEqual({ refused: 'UNAUTHENTICATED' });
      expect(await junkHandshake(server.url, ana)).toEqual({ refused: 'RATE_LIMITED' });
      expect(await junkHandshake(server.url, ben)).toEqual({ refused: separate ? 'UNAUTHENTICATED' : 'RATE_LIMITED' });
    } finally {
      await server.stop();
    }
  });

  it('an address the proxy setting does not name cannot choose its own address by sending the header', async () => {
    const server = await startHoldspace({ ENTRY_PER_MINUTE: String(ENTRY_PER_MINUTE), TRUST_PROXY: '10.9.8.7' });
    try {
      for (let i = 0; i < ENTRY_PER_MINUTE; i++) await junkJoin(server.url, `${ana}, 10.0.0.${i}`);
      expect((await junkJoin(server.url, ben)).code).toBe('RATE_LIMITED');
      for (let i = 0; i < ENTRY_PER_MINUTE; i++) await junkHandshake(server.url, `198.18.0.${i}`);
      expect(await junkHandshake(server.url, ben)).toEqual({ refused: 'RATE_LIMITED' });
    } finally {
      await server.stop();
    }
  });
});
