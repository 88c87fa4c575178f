import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import type { FacilitatorView } from '../../shared/session/projection.js';
import { seatedRoom, startHoldspace, until, type RunningHoldspace, type SeatedRoom } from '../support/holdspace.js';
import { recordFrames } from './support/frame-recorder.js';

/**
 * Anonymous feedback in a room led by two facilitators: a second lead is one more pair of eyes,
 * never one more answer, and nothing either of them receives, nor the server's debug log, ties
 * an answer to a member.
 */
describe('anonymous feedback with two facilitators', () => {
  let server: RunningHoldspace;
  let room: SeatedRoom;
  let sam: RoomConnection;
  let samId: string;
  const log: string[] = [];
  const heardBy = { rivera: [] as string[], sam: [] as string[] };

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (log.push(chunk.toString()), done()) });
    server = await startHoldspace({}, { logger: pino({ level: 'debug' }, sink) });
    room = await seatedRoom(server, ['Ana', 'Ben']);
    const entered = await server.facilitate(room.roomId, { name: 'Sam' });
    samId = entered.facilitatorId;
    sam = server.connect(entered.token);
    await until(room.facilitator, (s) => s.group?.seats.length === 4 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);
    recordFrames(room.facilitator.socket, (text) => void heardBy.rivera.push(text), () => undefined);
    recordFrames(sam.socket, (text) => void heardBy.sam.push(text), () => undefined);
  });
  afterAll(async () => server?.stop());

  it('k counts members only: two members and two facilitators cannot open a prompt of k 3', async () => {
    expect(await sam.send({ type: 'feedback.open', question: 'What stayed with you?', answer: 'text', audience: 'facilitator', k: 3 })).toMatchObject({ ok: false, code: 'TOO_FEW_MEMBERS' });
    expect(await room.facilitator.send({ type: 'feedback.open', question: 'What stayed with you?', answer: 'text', audience: 'facilitator', k: 3 })).toMatchObject({ ok: false, code: 'TOO_FEW_MEMBERS' });
  });

  it('with a third member the count shown is the three members; neither facilitator may answer; answers reach no one while open; both leads read them after', async () => {
    const chloe = await server.join(room.inviteUrl, 'Chloe');
    const chloeConnection = server.connect(chloe.token);
    expect(await sam.send({ type: 'admit', memberId: chloe.memberId })).toMatchObject({ ok: true });
    const members = [...room.members.map((m) => ({ id: m.id, connection: m.connection })), { id: chloe.memberId, connection: chloeConnection }];
    await until(chloeConnection, (s) => s.group?.seats.length === 5 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);

    expect(await room.facilitator.send({ type: 'feedback.open', question: 'What stayed with you?', answer: 'text', audience: 'facilitator', k: 3 })).toMatchObject({ ok: true });
    for (const connection of [room.facilitator, sam, ...members.map((m) => m.connection)]) await until(connection, (s) => s.group?.feedback.open !== null);
    const prompt = sam.snapshot.group!.feedback.open!;
    // What everyone sees: three may answer, the faces in the circle minus both leads.
    expect(prompt.eligibleCount).toBe(3);
    for (const lead of [room.facilitator, sam]) {
      expect(await lead.send({ type: 'feedback.submit', promptId: prompt.id, text: 'a lead padding the count' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }

    const framesBefore = { rivera: heardBy.rivera.length, sam: heardBy.sam.length };
    const markers = members.map(() => `zq-content-${randomBytes(5).toString('hex')}`);
    for (const [i, member] of members.entries()) expect(await member.connection.send({ type: 'feedback.submit', promptId: prompt.id, text: markers[i]! })).toMatchObject({ ok: true });
    await until(members[2]!.connection, (s) => s.self?.role === 'member' && s.self.feedback?.answered === true);
    // Not a byte reaches either lead while answers come in: no count ticking, no item.
    expect(heardBy.rivera.length - framesBefore.rivera).toBe(0);
    expect(heardBy.sam.length - framesBefore.sam).toBe(0);

    expect(await sam.send({ type: 'feedback.close' })).toMatchObject({ ok: true });
    for (const lead of [room.facilitator, sam]) {
      const view = (await until(lead, (s) => (s.self as FacilitatorView).feedbackResults.length === 1)).self as FacilitatorView;
      expect(view.feedbackResults[0]!.items.map((item) => item.text).sort()).toEqual([...markers].sort());
    }
    for (const member of members) expect(JSON.stringify(member.connection.snapshot)).not.toContain('zq-content-');

    // The debug log holds no answer, and its feedback lines name no one.
    const text = log.join('');
    for (const marker of markers) expect(text).not.toContain(marker);
    const feedbackLines = log.filter((line) => line.includes('feedback answer'));
    expect(feedbackLines.length).toBeGreaterThanOrEqual(5);
    for (const id of [...members.map((m) => m.id), samId, room.facilitator.snapshot.self!.you.id]) {
      expect(feedbackLines.filter((line) => line.includes(id))).toEqual([]);
    }
  });
});
