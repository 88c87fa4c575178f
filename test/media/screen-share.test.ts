import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { pino } from 'pino';
import { RoomMedia } from '../../server/media/room-media.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';
import { cameraParameters, mediaEvents, mediaOk, mediaRequest, startMediaHoldspace, type MediaHoldspace } from '../support/media.js';

async function sendTransport(connection: RoomConnection): Promise<string> {
  const joined = await mediaOk(connection, 'media.join', {});
  const send = (await mediaOk(connection, 'media.transport.create', { direction: 'send' })).transport;
  await mediaOk(connection, 'media.transport.create', { direction: 'recv' });
  await mediaOk(connection, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  return send.id;
}

describe('the screen share in a real mediasoup worker', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  beforeAll(async () => {
    server = await startMediaHoldspace({ EVENT_BURST: '1000' });
    room = await seatedRoom(server, ['Ana', 'Ben']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a member\'s screen: FORBIDDEN, nothing on the router, nobody offered it, the room says nobody shares', async () => {
    const ana = room.members[0]!;
    const ben = room.members[1]!.connection;
    const send = await sendTransport(ana.connection);
    await sendTransport(ben);
    const offers = mediaEvents(ben, 'media.offer');
    const answer = await mediaRequest(ana.connection, 'media.produce', { transportId: send, kind: 'video', source: 'screen', rtpParameters: cameraParameters(4100) });
    expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const anaPeer = server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === ana.id)!;
    expect(anaPeer.describe().producerIds).toEqual([]);
    const dump = await server.sfu.room(room.roomId)!.dump();
    expect(dump?.mapProducerIdConsumerIds ?? []).toEqual([]);
    expect(offers.seen.filter((o) => o.source === 'screen')).toEqual([]);
    expect(ben.snapshot.group?.screenShare).toBeNull();
    expect(ana.connection.socket.connected).toBe(true);
  });

  it('the facilitator\'s screen producer puts the share on every member\'s view; closing it takes it off', async () => {
    const { facilitator } = room;
    const send = await sendTransport(facilitator);
    const screen = await mediaOk(facilitator, 'media.produce', { transportId: send, kind: 'video', source: 'screen', rtpParameters: cameraParameters(4200) });
    const facilitatorId = facilitator.snapshot.self!.you.id;
    await Promise.all(room.members.map((m) => until(m.connection, (s) => s.group?.screenShare?.by === facilitatorId)));
    await mediaOk(facilitator, 'media.producer.close', { producerId: screen.producerId });
    await Promise.all(room.members.map((m) => until(m.connection, (s) => s.group?.screenShare === null)));
    // Its media ending (leaving, a lost connection) ends the share just the same.
    await mediaOk(facilitator, 'media.produce', { transportId: send, kind: 'video', source: 'screen', rtpParameters: cameraParameters(4300) });
    await until(room.members[0]!.connection, (s) => s.group?.screenShare?.by === facilitatorId);
    await mediaOk(facilitator, 'media.leave', {});
    await until(room.members[0]!.connection, (s) => s.group?.screenShare === null);
  });

  it('a room whose media starts afresh (taken over, restored) forgets a share nobody carries any more', async () => {
    const actor = server.sfu.room(room.roomId)!.actor;
    const facilitatorId = actor.state.facilitatorIds[0]!;
    // The state remembers a share from the node that ran the room before.
    expect(await actor.dispatch({ role: 'system' }, { type: 'screen.shared', participantId: facilitatorId, on: true })).toMatchObject({ ok: true });
    await until(room.members[0]!.connection, (s) => s.group?.screenShare?.by === facilitatorId);
    const fresh = new RoomMedia(actor, server.sfu.pool, { maxPeers: 4, maxIncomingBitrate: 1_000_000, adaptVideo: true }, pino({ level: 'silent' }));
    await until(room.members[0]!.connection, (s) => s.group?.screenShare === null);
    fresh.close();
  });
});
