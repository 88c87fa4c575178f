import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { seatedRoom, type SeatedRoom } from '../support/holdspace.js';
import { cameraParameters, mediaEvents, mediaOk, mediaRequest, micParameters, startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';

/** Join media as a browser does, with a send and a receive transport. */
async function joinMedia(connection: RoomConnection) {
  const joined = await mediaOk(connection, 'media.join', {});
  const send = (await mediaOk(connection, 'media.transport.create', { direction: 'send' })).transport;
  await mediaOk(connection, 'media.transport.create', { direction: 'recv' });
  await mediaOk(connection, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  return send;
}

describe('receiver-side video layers at the SFU', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  let camera: string;
  let mic: string;
  const ana = () => room.members[0]!;
  const ben = () => room.members[1]!;
  const benConsumers = () => server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === ben().id)!.describe().consumers;
  const benVideo = () => benConsumers().find((c) => c.producerId === camera)!;
  const benAudio = () => benConsumers().find((c) => c.producerId === mic)!;
  const tiles = (width: number, visible = true) => mediaOk(ben().connection, 'media.tiles', { tiles: [{ participantId: ana().id, source: 'camera', width, visible }] });

  beforeAll(async () => {
    server = await startMediaHoldspace({ EVENT_BURST: '1000' });
    room = await seatedRoom(server, ['Ana', 'Ben']);
    const anaSend = await joinMedia(ana().connection);
    await joinMedia(ben().connection);
    mic = (await mediaOk(ana().connection, 'media.produce', { transportId: anaSend.id, kind: 'audio', source: 'mic', rtpParameters: micParameters(5000) })).producerId;
    camera = (await mediaOk(ana().connection, 'media.produce', { transportId: anaSend.id, kind: 'video', source: 'camera', rtpParameters: cameraParameters(5100) })).producerId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sets layers and priorities before the consumer flows, and keeps audio first', async () => {
    const { consumers } = await mediaOk(ben().connection, 'media.consume', { producerIds: [mic, camera] });
    expect(benVideo()).toMatchObject({ paused: true, priority: 100 });
    expect(benAudio()).toMatchObject({ paused: true, priority: 255 });
    await mediaOk(ben().connection, 'media.consumer.resume', { consumerIds: consumers.map((c) => c.id) });
    expect(benVideo().paused).toBe(false);
    expect(benAudio().paused).toBe(false);
  });

  it('gives a small tile the lowest layer and tells the sender to stop encoding the top', async () => {
    const told = mediaEvents(ana().connection, 'media.layers');
    await tiles(200);
    expect(benVideo().preferredSpatialLayer).toBe(0);
    expect(await told.next((m) => m.producerId === camera)).toEqual({ producerId: camera, maxSpatialLayer: 0 });
    await tiles(1000);
    // This camera sends two layers: the worker clamps the wish to the top one it has.
    expect(benVideo().preferredSpatialLayer).toBe(1);
    await told.next((m) => m.maxSpatialLayer === 2);
  });

  it('pauses a hidden tile’s video at the server and resumes it when shown; audio flows throughout', async () => {
    await tiles(640, false);
    expect(benVideo().paused).toBe(true);
    expect(benAudio().paused).toBe(false);
    await tiles(640, true);
    expect(benVideo().paused).toBe(false);
  });

  it('raises the floor holder’s video priority', async () => {
    expect((await room.facilitator.send({ type: 'floor.grant', to: ana().id })).ok).toBe(true);
    await waitFor(() => benVideo().priority === 220, 5_000, 'the floor holder’s priority');
    expect(benAudio().priority).toBe(255);
    expect((await room.facilitator.send({ type: 'floor.release' })).ok).toBe(true);
    await waitFor(() => benVideo().priority === 100, 5_000, 'priority back after the floor is released');
  });

  it('"audio only" pauses every incoming video, "save bandwidth" keeps only the floor holder’s', async () => {
    await mediaOk(ben().connection, 'media.receive', { mode: 'audio' });
    expect(benVideo().paused).toBe(true);
    expect(benAudio().paused).toBe(false);
    await mediaOk(ben().connection, 'media.receive', { mode: 'save' });
    expect(benVideo().paused).toBe(true);
    expect((await room.facilitator.send({ type: 'floor.grant', to: ana().id })).ok).toBe(true);
    await waitFor(() => benVideo().paused === false, 5_000, 'the floor holder’s video resumed in save mode');
    await mediaOk(ben().connection, 'media.receive', { mode: 'all' });
    expect(benVideo().paused).toBe(false);
  });

  it('refuses malformed hints and choices, changing nothing', async () => {
    const before = benVideo();
    const bad: [string, unknown][] = [
      ['media.tiles', { tiles: [{ participantId: ana().id, source: 'camera', width: -1, visible: true }] }],
      ['media.tiles', { tiles: [{ participantId: ana().id, source: 'mic', width: 100, visible: true }] }],
      ['media.tiles', { tiles: Array.from({ length: 65 }, () => ({ participantId: ana().id, source: 'camera', width: 100, visible: true })) }],
      ['media.tiles', { tiles: [{ participantId: ana().id, source: 'camera', width: 100, visible: true, extra: 1 }] }],
      ['media.receive', { mode: 'everything' }],
    ];
    for (const [name, payload] of bad) expect(await mediaRequest(ben().connection, name as 'media.tiles', payload as never)).toMatchObject({ ok: false, code: 'INVALID' });
    expect(benVideo()).toEqual(before);
  });
});
