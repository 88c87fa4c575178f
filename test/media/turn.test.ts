import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { iceServers } from '../../server/media/turn.js';

describe('ICE servers handed to browsers', () => {
  const now = Date.UTC(2025, 0, 1);

  it('hands out nothing when no TURN or STUN server is configured', () => {
    expect(iceServers(loadConfig({}).media.turn, now)).toEqual([]);
  });

  it('signs short-lived TURN credentials the way coturn checks them (REST API, use-auth-secret)', () => {
    const secret = 'a-shared-secret-of-some-length';
    const { turn } = loadConfig({
      TURN_URLS: 'stun:turn.example.org:3478, turn:turn.example.org:3478?transport=udp,turn:turn.example.org:3478?transport=tcp,turns:turn.example.org:443?transport=tcp',
      TURN_SECRET: secret,
      TURN_TTL_SECONDS: '3600',
    }).media;
    const [stun, relay] = iceServers(turn, now);
    expect(stun).toEqual({ urls: ['stun:turn.example.org:3478'] });
    // UDP, TCP, and TLS on 443: one credential for all three, so the browser can fall back to each.
    expect(relay!.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp', 'turns:turn.example.org:443?transport=tcp']);
    const [expiry, nonce] = relay!.username!.split(':');
    expect(Number(expiry)).toBe(now / 1000 + 3600);
    // Nothing in the username names the participant.
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(relay!.credential).toBe(createHmac('sha1', secret).update(relay!.username!).digest('base64'));
    expect(iceServers(turn, now)[1]!.username).not.toBe(relay!.username);
  });

  it('refuses configurations that cannot work, naming the variable to fix', () => {
    expect(() => loadConfig({ TURN_URLS: 'turn:turn.example.org' })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ TURN_URLS: 'http://turn.example.org' })).toThrow(/TURN_URLS/);
    expect(() => loadConfig({ MEDIA_LISTEN_IP: '0.0.0.0' })).toThrow(/MEDIA_ANNOUNCED_ADDRESS/);
    expect(() => loadConfig({ MEDIA_LISTEN_IP: 'localhost' })).toThrow(/MEDIA_LISTEN_IP/);
    expect(() => loadConfig({ MEDIA_PORT: '65535', MEDIA_WORKERS: '2' })).toThrow(/MEDIA_PORT/);
    expect(loadConfig({ MEDIA_LISTEN_IP: '0.0.0.0', MEDIA_ANNOUNCED_ADDRESS: 'media.example.org' }).media).toMatchObject({ listenIp: '0.0.0.0', announcedAddress: 'media.example.org' });
    expect(loadConfig({ MEDIA_ENABLED: 'false' }).media.enabled).toBe(false);
  });

  it('runs on a laptop without any media variable set', () => {
    const { media } = loadConfig({});
    expect(media).toMatchObject({ enabled: true, listenIp: '127.0.0.1', announcedAddress: null, port: 40000, maxPeersPerRoom: 16 });
    expect(media.workers).toBeGreaterThanOrEqual(1);
  });
});
