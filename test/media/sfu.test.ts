import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';
import {
  browserDtls,
  cameraParameters,
  mediaEvents,
  mediaOk,
  mediaRequest,
  micParameters,
  startMediaHoldspace,
  waitFor,
  type MediaHoldspace,
} from '../support/media.js';

/** Join media the way a browser does: capabilities, then a send and a receive transport. */
async function joinMedia(connection: RoomConnection) {
  const joined = await mediaOk(connection, 'media.join', {});
  const send = (await mediaOk(connection, 'media.transport.create', { direction: 'send' })).transport;
  const recv = (await mediaOk(connection, 'media.transport.create', { direction: 'recv' })).transport;
  const { offers } = await mediaOk(connection, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  return { joined, send, recv, offers };
}

let ssrc = 1000;
async function publishMic(connection: RoomConnection, sendTransportId: string) {
  ssrc += 10;
  return mediaOk(connection, 'media.produce', { transportId: sendTransportId, kind: 'audio', source: 'mic', rtpParameters: micParameters(ssrc) });
}

describe('the SFU over real Socket.IO and a real mediasoup worker', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  const byName = (name: string) => room.members.find((m) => m.name === name)!;

  beforeAll(async () => {
    // These tests fire requests faster than any browser; the event budget is not what they test.
    server = await startMediaHoldspace({ EVENT_BURST: '1000' });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Cleo']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('offers each published track to the others, consumed paused until the receiver is ready', async () => {
    const ana = byName('Ana').connection;
    const ben = byName('Ben').connection;
    const anaMedia = await joinMedia(ana);
    expect(anaMedia.joined.routerRtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
    expect(anaMedia.send.iceCandidates[0]).toMatchObject({ address: '127.0.0.1', protocol: 'udp' });
    await mediaOk(ana, 'media.transport.connect', { transportId: anaMedia.send.id, dtlsParameters: browserDtls });

    await joinMedia(ben);
    const offers = mediaEvents(ben, 'media.offer');
    const mic = await publishMic(ana, anaMedia.send.id);
    expect(mic.silencedBy).toBeNull();
    const camera = await mediaOk(ana, 'media.produce', { transportId: anaMedia.send.id, kind: 'video', source: 'camera', rtpParameters: cameraParameters(ssrc + 100) });

    const micOffer = await offers.next((o) => o.producerId === mic.producerId);
    expect(micOffer).toEqual({ producerId: mic.producerId, participantId: byName('Ana').id, kind: 'audio', source: 'mic' });
    await offers.next((o) => o.producerId === camera.producerId);

    const gone = '00000000-0000-4000-8000-000000000000';
    const batch = await mediaOk(ben, 'media.consume', { producerIds: [mic.producerId, camera.producerId, gone] });
    expect(batch.missing).toEqual([gone]);
    const consumer = batch.consumers.find((c) => c.kind === 'audio')!;
    const video = batch.consumers.find((c) => c.kind === 'video')!;
    expect(consumer).toMatchObject({ producerId: mic.producerId, participantId: byName('Ana').id, kind: 'audio', source: 'mic', producerPaused: false });
    expect(video).toMatchObject({ producerId: camera.producerId, source: 'camera' });
    // Simulcast: the consumer is offered both spatial layers.
    expect(video.rtpParameters.encodings?.[0]?.scalabilityMode).toMatch(/^[LS]2T3/);
    const benPeer = server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === byName('Ben').id)!;
    expect(benPeer.describe().consumerIds.sort()).toEqual([consumer.id, video.id].sort());
    // Created paused: nothing flows until the browser says its tracks are attached.
    expect(benPeer.describe().pausedConsumerIds.sort()).toEqual([consumer.id, video.id].sort());
    expect(await mediaOk(ben, 'media.consumer.resume', { consumerIds: [consumer.id, video.id] })).toMatchObject({ missing: [] });
    expect(benPeer.describe().pausedConsumerIds).toEqual([]);
    // Asking again answers the same consumer rather than a second one.
    expect((await mediaOk(ben, 'media.consume', { producerIds: [mic.producerId] })).consumers[0]!.id).toBe(consumer.id);

    // Someone joining later is offered what is already published.
    const cleo = await joinMedia(byName('Cleo').connection);
    expect(cleo.offers.map((o) => o.producerId).sort()).toEqual([mic.producerId, camera.producerId].sort());
    await mediaOk(byName('Cleo').connection, 'media.leave', {});
  });

  it('lets a connection touch only its own transports, producers and consumers', async () => {
    const ana = byName('Ana').connection;
    const ben = byName('Ben').connection;
    const anaPeer = server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === byName('Ana').id)!.describe();
    const [anaTransport] = anaPeer.transportIds;
    const [anaProducer] = anaPeer.producerIds;

    expect(await mediaRequest(ben, 'media.transport.connect', { transportId: anaTransport!, dtlsParameters: browserDtls })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await mediaRequest(ben, 'media.producer.pause', { producerId: anaProducer! })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await mediaRequest(ben, 'media.producer.close', { producerId: anaProducer! })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await mediaRequest(ben, 'media.produce', { transportId: anaTransport!, kind: 'audio', source: 'mic', rtpParameters: micParameters(9) })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    const benSend = server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === byName('Ben').id)!.describe().transportIds[0]!;
    // One microphone per connection, and the screen is the facilitator's.
    await publishMic(ben, benSend);
    expect(await mediaRequest(ben, 'media.produce', { transportId: benSend, kind: 'audio', source: 'mic', rtpParameters: micParameters(77) })).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await mediaRequest(ben, 'media.produce', { transportId: benSend, kind: 'video', source: 'screen', rtpParameters: cameraParameters(80) })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await mediaRequest(ben, 'media.produce', { transportId: benSend, kind: 'audio', source: 'camera', rtpParameters: micParameters(90) })).toMatchObject({ ok: false, code: 'INVALID' });
    // Nobody consumes their own voice.
    const benMic = server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === byName('Ben').id)!.mic!.producer.id;
    expect(await mediaRequest(ben, 'media.consume', { producerIds: [benMic] })).toMatchObject({ ok: true, consumers: [], missing: [benMic] });
    expect(ana.socket.connected).toBe(true);
  });

  it('parses every payload at the edge and bounds what a browser may send', async () => {
    const ben = byName('Ben').connection;
    const send = server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === byName('Ben').id)!.describe().transportIds[0]!;
    const huge = micParameters(5);
    const cases: [string, unknown][] = [
      ['media.join', { extra: true }],
      ['media.transport.create', { direction: 'sideways' }],
      ['media.transport.connect', { transportId: 'not-an-id', dtlsParameters: browserDtls }],
      ['media.transport.connect', { transportId: send, dtlsParameters: { fingerprints: [{ algorithm: 'md5', value: 'AA:BB' }] } }],
      ['media.transport.connect', { transportId: send, dtlsParameters: { fingerprints: Array.from({ length: 9 }, () => browserDtls.fingerprints[0]) } }],
      ['media.produce', { transportId: send, kind: 'audio', source: 'mic', rtpParameters: { ...huge, codecs: Array.from({ length: 9 }, () => huge.codecs[0]) } }],
      ['media.produce', { transportId: send, kind: 'audio', source: 'mic', rtpParameters: { ...huge, codecs: [{ ...huge.codecs[0], parameters: { long: 'x'.repeat(300) } }] } }],
      ['media.produce', { transportId: send, kind: 'audio', source: 'mic', rtpParameters: { ...huge, headerExtensions: [{ uri: 'urn:evil', id: 1 }] } }],
      ['media.capabilities', { rtpCapabilities: { codecs: Array.from({ length: 33 }, () => ({ kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48000 })) } }],
      ['media.consume', { producerIds: ['x'.repeat(5000)] }],
      ['media.consume', { producerIds: [] }],
      ['media.consume', { producerIds: Array.from({ length: 65 }, () => send) }],
      ['media.consume', null],
    ];
    for (const [event, payload] of cases) {
      const answer = await mediaRequest(ben, event as 'media.join', payload as Record<string, unknown>);
      expect(answer, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toMatchObject({ ok: false, code: 'INVALID' });
    }
    // The connection survives all of it.
    expect((await mediaRequest(ben, 'media.transport.restartIce', { transportId: send })).ok).toBe(true);
  });

  it('pauses microphones the floor silences, refuses their resumption, and releases them', async () => {
    const { facilitator } = room;
    const ana = byName('Ana');
    const ben = byName('Ben');
    const peerOf = (id: string) => server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === id)!;
    const anaSilences = mediaEvents(ana.connection, 'media.silenced');
    const benSilences = mediaEvents(ben.connection, 'media.silenced');
    const anaMic = peerOf(ana.id).mic!.producer.id;
    const benMic = peerOf(ben.id).mic!.producer.id;

    expect((await facilitator.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    await anaSilences.next((m) => m.producerId === anaMic && m.reason === 'NO_STICK');
    await benSilences.next((m) => m.producerId === benMic && m.reason === 'NO_STICK');
    expect(peerOf(ana.id).mic!.producer.paused).toBe(true);

    // A member cannot talk over the floor.
    expect(await mediaRequest(ana.connection, 'media.producer.resume', { producerId: anaMic })).toMatchObject({ ok: false, code: 'FLOOR_NOT_ALLOWED' });

    expect((await facilitator.send({ type: 'floor.grant', to: ana.id })).ok).toBe(true);
    await anaSilences.next((m) => m.reason === null);
    await waitFor(() => peerOf(ana.id).mic!.producer.paused === false, 2_000, 'Ana heard again');
    expect(peerOf(ben.id).mic!.producer.paused).toBe(true);

    // Ben mutes himself while silenced: when the floor opens, his own choice stands.
    await mediaOk(ben.connection, 'media.producer.pause', {producerId: benMic});
    expect((await facilitator.send({ type: 'floor.mode', mode: 'open' })).ok).toBe(true);
    await benSilences.next((m) => m.reason === null);
    expect(peerOf(ben.id).mic!.producer.paused).toBe(true);
    await mediaOk(ben.connection, 'media.producer.resume', { producerId: benMic });
    expect(peerOf(ben.id).mic!.producer.paused).toBe(false);

    // The facilitator's mute is enforced the same way.
    expect((await facilitator.send({ type: 'member.mute', memberId: ben.id, muted: true })).ok).toBe(true);
    await benSilences.next((m) => m.reason === 'MUTED_BY_FACILITATOR');
    expect(peerOf(ben.id).mic!.producer.paused).toBe(true);
    expect((await facilitator.send({ type: 'member.mute', memberId: ben.id, muted: false })).ok).toBe(true);
    await waitFor(() => peerOf(ben.id).mic!.producer.paused === false, 2_000, 'Ben heard again');
  });

  it('publishes a microphone silenced from the start when someone else holds the stick', async () => {
    const cleo = byName('Cleo');
    expect((await room.facilitator.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    expect((await room.facilitator.send({ type: 'floor.grant', to: byName('Ana').id })).ok).toBe(true);
    const { send } = await joinMedia(cleo.connection);
    const mic = await publishMic(cleo.connection, send.id);
    expect(mic.silencedBy).toBe('NO_STICK');
    const ben = await mediaOk(byName('Ben').connection, 'media.consume', { producerIds: [mic.producerId] });
    expect(ben.consumers[0]!.producerPaused).toBe(true);
    expect((await room.facilitator.send({ type: 'floor.mode', mode: 'open' })).ok).toBe(true);
  });

  it('closes everything a connection owned within 2 seconds of it leaving', async () => {
    const cleo = byName('Cleo');
    const roomMedia = server.sfu.room(room.roomId)!;
    const owned = roomMedia.peers.find((p) => p.participantId === cleo.id)!.describe();
    expect(owned.transportIds).toHaveLength(2);
    const benClosed = mediaEvents(byName('Ben').connection, 'media.consumer.closed');
    const closedAt = Date.now();
    cleo.connection.close();

    await waitFor(
      async () => {
        const dump = (await roomMedia.dump())!;
        const ids = new Set([...dump.transportIds, ...dump.mapProducerIdConsumerIds.map((e) => e.key), ...dump.mapConsumerIdProducerId.map((e) => e.key)]);
        return [...owned.transportIds, ...owned.producerIds, ...owned.consumerIds].every((id) => !ids.has(id));
      },
      2_000,
      'the router forgetting Cleo',
    );
    expect(Date.now() - closedAt).toBeLessThan(2_000);
    await benClosed.next((m) => owned.producerIds.includes(m.producerId));
    expect(roomMedia.peers.map((p) => p.participantId)).not.toContain(cleo.id);
  });

  it('moves a room whose worker dies to a new worker, and tells its members to join again', async () => {
    const roomMedia = server.sfu.room(room.roomId)!;
    const pid = (await roomMedia.workerPid())!;
    const ana = byName('Ana').connection;
    const resets = mediaEvents(ana, 'media.reset');
    process.kill(pid, 'SIGKILL');

    expect(await resets.next(() => true, 5_000)).toEqual({ reason: 'worker-restarted' });
    const again = await waitFor(async () => {
      const answer = await mediaRequest(ana, 'media.join', {});
      return answer.ok ? answer : null;
    }, 10_000, 'media.join after the worker died', 200);
    expect(again.routerRtpCapabilities.codecs?.length).toBeGreaterThan(0);
    const newPid = await roomMedia.workerPid();
    expect(newPid).not.toBe(pid);
    await waitFor(() => server.sfu.pool.workers.length === 1, 10_000, 'a replacement worker');
    const send = (await mediaOk(ana, 'media.transport.create', { direction: 'send' })).transport;
    expect((await publishMic(ana, send.id)).producerId).toBeTruthy();
  });
});

describe('who may use media', () => {
  let server: MediaHoldspace;
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a member still in the waiting room, and more connections than the room allows', async () => {
    server = await startMediaHoldspace({ MEDIA_MAX_PEERS_PER_ROOM: '2' });
    const room = await seatedRoom(server, ['Dee']);
    const waiting = await server.join(room.inviteUrl, 'Eli');
    const eli = server.connect(waiting.token);
    await until(eli, (s) => s.self !== null);
    expect(await mediaRequest(eli, 'media.join', {})).toMatchObject({ ok: false, code: 'NOT_ADMITTED' });

    await mediaOk(room.facilitator, 'media.join', {});
    await mediaOk(room.members[0]!.connection, 'media.join', {});
    expect((await room.facilitator.send({ type: 'admit', memberId: waiting.memberId })).ok).toBe(true);
    await until(eli, (s) => s.group !== null);
    expect(await mediaRequest(eli, 'media.join', {})).toMatchObject({ ok: false, code: 'ROOM_FULL' });
    // Joining again on the same connection replaces, it does not count twice.
    await mediaOk(room.facilitator, 'media.join', {});
  });
});
