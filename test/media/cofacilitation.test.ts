import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';
import { cameraParameters, mediaEvents, mediaOk, micParameters, startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';

/** Two facilitators in one room, over real Socket.IO and a real mediasoup worker: the SFU lets both be heard as the facilitator is. */
describe('the SFU in a co-led room', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  let sam: { id: string; connection: RoomConnection };
  const mics = new Map<string, string>();
  let ssrc = 5000;

  const peerOf = (participantId: string) => server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === participantId)!;
  const paused = (participantId: string) => peerOf(participantId).mic!.producer.paused;
  const ids = () => ({ rivera: room.facilitator, sam: sam.connection, ana: room.members[0]!.connection, ben: room.members[1]!.connection });
  const idOf = { rivera: '', sam: '', ana: '', ben: '' };

  beforeAll(async () => {
    server = await startMediaHoldspace({ EVENT_BURST: '1000' });
    room = await seatedRoom(server, ['Ana', 'Ben']);
    const entered = await server.facilitate(room.roomId, { name: 'Sam' });
    sam = { id: entered.facilitatorId, connection: server.connect(entered.token) };
    await until(room.facilitator, (s) => s.group?.seats.length === 4 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);
    Object.assign(idOf, { rivera: room.facilitator.snapshot.self!.you.id, sam: sam.id, ana: room.members[0]!.id, ben: room.members[1]!.id });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('both facilitators publish a microphone the floor never silences, and both are sent the heard airtime', async () => {
    for (const [name, connection] of Object.entries(ids())) {
      const heard = mediaEvents(connection, 'media.heard');
      const joined = await mediaOk(connection, 'media.join', {});
      const send = (await mediaOk(connection, 'media.transport.create', { direction: 'send' })).transport;
      await mediaOk(connection, 'media.transport.create', { direction: 'recv' });
      await mediaOk(connection, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
      const mic = await mediaOk(connection, 'media.produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: micParameters((ssrc += 10)) });
      expect(mic.silencedBy, name).toBeNull();
      mics.set(name, mic.producerId);
      // The heard airtime is the facilitators' to see: it goes to each of them, to no member.
      if (name === 'rivera' || name === 'sam') await heard.next(() => true, 5_000);
      if (name === 'sam') {
        // The screen is the facilitators' to share: the co-facilitator's too.
        await mediaOk(connection, 'media.produce', { transportId: send.id, kind: 'video', source: 'screen', rtpParameters: cameraParameters((ssrc += 10)) });
      }
    }
    expect(peerOf(idOf.sam).describe().producerIds).toHaveLength(2);
  });

  it('under the stick, both facilitators stay heard while the members without it are paused', async () => {
    const silences = mediaEvents(ids().ben, 'media.silenced');
    expect((await sam.connection.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    await silences.next((m) => m.reason === 'NO_STICK');
    await waitFor(() => paused(idOf.ana) && paused(idOf.ben), 2_000, 'members paused without the stick');
    expect([paused(idOf.rivera), paused(idOf.sam)]).toEqual([false, false]);

    expect((await sam.connection.send({ type: 'floor.grant', to: idOf.ana })).ok).toBe(true);
    await waitFor(() => !paused(idOf.ana), 2_000, 'Ana heard with the stick');
    expect([paused(idOf.rivera), paused(idOf.sam), paused(idOf.ben)]).toEqual([false, false, true]);

    // A member consuming the co-facilitator's voice gets it flowing, as the first facilitator's.
    const consumed = await mediaOk(ids().ben, 'media.consume', { producerIds: [mics.get('sam')!, mics.get('rivera')!] });
    expect(consumed.consumers.map((c) => c.producerPaused)).toEqual([false, false]);
  });

  it('in a scene, both facilitators are heard from off stage; the audience is not', async () => {
    expect((await room.facilitator.send({ type: 'scene.start', title: 'A conversation', cast: [{ role: 'Me', kind: 'protagonist', memberId: idOf.ana }] })).ok).toBe(true);
    await waitFor(() => paused(idOf.ben), 2_000, 'Ben paused in the audience');
    expect([paused(idOf.rivera), paused(idOf.sam), paused(idOf.ana)]).toEqual([false, false, false]);
    expect((await sam.connection.send({ type: 'scene.end' })).ok).toBe(true);
  });
});
