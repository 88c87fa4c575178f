import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatedRoom, type SeatedRoom } from '../support/holdspace.js';
import { mediaOk, startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { freePort } from '../support/redis-server.js';

/** A documentation address (TEST-NET-3): announced to browsers, never sent anything. */
const ANNOUNCED = '203.0.113.10';

/**
 * What a browser is given to reach the SFU across real networks: the media port over UDP, then
 * TCP, at the announced address, then TURN over UDP, TCP and TLS.
 */
describe('the paths to the SFU a browser is handed', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = await startMediaHoldspace({
      MEDIA_PORT: String(port),
      MEDIA_ANNOUNCED_ADDRESS: ANNOUNCED,
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turn:turn.example.org:3478?transport=tcp,turns:turn.example.org:443?transport=tcp',
      TURN_SECRET: 'a-turn-secret-shared-with-coturn',
    });
    room = await seatedRoom(server, ['Ana']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('offers the media port over UDP first, then over TCP, at the announced address', async () => {
    const ana = room.members[0]!.connection;
    await mediaOk(ana, 'media.join', {});
    for (const direction of ['send', 'recv'] as const) {
      const { transport } = await mediaOk(ana, 'media.transport.create', { direction });
      const udp = transport.iceCandidates.find((c) => c.protocol === 'udp');
      const tcp = transport.iceCandidates.find((c) => c.protocol === 'tcp');
      expect(udp).toMatchObject({ address: ANNOUNCED, port });
      // The browser connects out to the server's TCP port (passive on the server's side).
      expect(tcp).toMatchObject({ address: ANNOUNCED, port, tcpType: 'passive' });
      expect(udp!.priority).toBeGreaterThan(tcp!.priority);
    }
  });

  it('hands out TURN over UDP, TCP and TLS with one short-lived credential', async () => {
    const { iceServers } = await mediaOk(room.members[0]!.connection, 'media.join', {});
    expect(iceServers).toHaveLength(1);
    expect(iceServers[0]!.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp', 'turns:turn.example.org:443?transport=tcp']);
    expect(iceServers[0]!.username).toMatch(/^\d+:[A-Za-z0-9_-]+$/);
    expect(iceServers[0]!.credential).toBeTruthy();
  });
});
