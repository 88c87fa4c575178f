import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { seatedRoom, type SeatedRoom } from '../support/holdspace.js';
import { mediaEvents, mediaOk, mediaRequest, micParameters, startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';

/** A microphone published the way a browser does: join, a send and a receive transport, capabilities, produce. */
async function publishMic(connection: RoomConnection, ssrc: number) {
  const joined = await mediaOk(connection, 'media.join', {});
  const send = (await mediaOk(connection, 'media.transport.create', { direction: 'send' })).transport;
  await mediaOk(connection, 'media.transport.create', { direction: 'recv' });
  await mediaOk(connection, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  return mediaOk(connection, 'media.produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: micParameters(ssrc) });
}

describe('the stage in the SFU follows the cast as it changes mid-scene (real mediasoup worker)', () => {
  let server: MediaHoldspace;
  let room: SeatedRoom;
  const byName = (name: string) => room.members.find((m) => m.name === name)!;

  beforeAll(async () => {
    server = await startMediaHoldspace({ EVENT_BURST: '1000' });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Cleo', 'Dev']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a double added behind the protagonist is heard by the audience at once; the audience stays unheard; a swap and the double stepping out move the stage too', async () => {
    const [ana, ben, cleo, dev] = ['Ana', 'Ben', 'Cleo', 'Dev'].map(byName) as [typeof room.members[number], typeof room.members[number], typeof room.members[number], typeof room.members[number]];
    const mics = new Map<string, string>();
    for (const [i, person] of [ana, ben, cleo, dev].entries()) mics.set(person.id, (await publishMic(person.connection, 5000 + i * 10)).producerId);
    const producerOf = (id: string) => server.sfu.room(room.roomId)!.peers.find((p) => p.participantId === id)!.mic!.producer;
    // What a listener's consumer says of a speaker's microphone: a paused producer forwards nothing to it.
    const forwardedTo = async (listener: RoomConnection, speakerId: string) => !(await mediaOk(listener, 'media.consume', { producerIds: [mics.get(speakerId)!] })).consumers[0]!.producerPaused;
    const benSilences = mediaEvents(ben.connection, 'media.silenced');

    expect(await room.facilitator.send({ type: 'scene.start', title: 'At the kitchen table', cast: [{ role: 'Me', kind: 'protagonist', memberId: ana.id }] })).toMatchObject({ ok: true });
    await benSilences.next((m) => m.reason === 'AUDIENCE');
    await waitFor(() => producerOf(ben.id).paused && producerOf(cleo.id).paused && producerOf(dev.id).paused, 2_000, 'the audience paused');
    expect(await forwardedTo(cleo.connection, ben.id)).toBe(false);
    expect(await forwardedTo(cleo.connection, ana.id)).toBe(true);

    const added = performance.now();
    expect(await room.facilitator.send({ type: 'scene.double', part: 0, memberId: ben.id })).toMatchObject({ ok: true });
    await benSilences.next((m) => m.reason === null);
    await waitFor(() => !producerOf(ben.id).paused, 2_000, "the double's microphone resumed");
    const heardAfterMs = Math.round(performance.now() - added);
    expect(await forwardedTo(cleo.connection, ben.id)).toBe(true);
    expect(await forwardedTo(dev.connection, ben.id)).toBe(true);
    // The audience stays unheard, and cannot unpause itself over the stage.
    expect(producerOf(cleo.id).paused).toBe(true);
    expect(await forwardedTo(ben.connection, cleo.id)).toBe(false);
    expect(await mediaRequest(cleo.connection, 'media.producer.resume', { producerId: mics.get(cleo.id)! })).toMatchObject({ ok: false, code: 'FLOOR_NOT_ALLOWED' });

    // Dev takes over the protagonist's part: Dev is heard, Ana joins the audience.
    expect(await room.facilitator.send({ type: 'scene.swap', part: 0, memberId: dev.id })).toMatchObject({ ok: true });
    await waitFor(() => !producerOf(dev.id).paused && producerOf(ana.id).paused, 2_000, 'the swap on the stage');
    expect(await forwardedTo(cleo.connection, dev.id)).toBe(true);
    expect(await forwardedTo(cleo.connection, ana.id)).toBe(false);

    // The double steps out: silenced again like the rest of the audience.
    expect(await room.facilitator.send({ type: 'scene.undouble', part: 1 })).toMatchObject({ ok: true });
    await benSilences.next((m) => m.reason === 'AUDIENCE');
    await waitFor(() => producerOf(ben.id).paused, 2_000, 'the double paused again');
    expect(await forwardedTo(cleo.connection, ben.id)).toBe(false);
    console.log(`the double's microphone was forwarded ${heardAfterMs} ms after scene.double was sent`);
    expect(await room.facilitator.send({ type: 'scene.end' })).toMatchObject({ ok: true });
  });
});
