import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import type { Ack } from '../../shared/protocol/events.js';
import type { FacilitatorView, MemberView } from '../../shared/session/projection.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';

/**
 * Two facilitators co-lead one live room over real Socket.IO: the second enters through the
 * server's seam with the facilitator key, and each has the facilitator's powers and view.
 */
describe('a room co-led by two facilitators', () => {
  let server: RunningHoldspace;
  let roomId: string;
  let inviteUrl: string;
  let rivera: RoomConnection;
  let sam: RoomConnection;
  let samId: string;
  const members: { name: string; id: string; connection: RoomConnection }[] = [];

  const ok = (ack: Ack) => expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
  const leads = () => [rivera, sam];
  const everyone = () => [rivera, sam, ...members.map((m) => m.connection)];

  beforeAll(async () => {
    server = await startHoldspace();
    const room = await server.createRoom('Co-led Thursday group');
    ({ roomId, inviteUrl } = room);
    rivera = server.connect(room.token);
    await until(rivera, (s) => s.group !== null);
  });
  afterAll(async () => server?.stop());

  it('a second facilitator opening the room with the key joins as co-facilitator, beside the first, and does not take over', async () => {
    const entered = await server.facilitate(roomId, { name: 'Sam' });
    samId = entered.facilitatorId;
    sam = server.connect(entered.token);
    const seen = await until(sam, (s) => s.group !== null);
    expect(seen.self).toMatchObject({ role: 'facilitator', you: { id: samId, name: 'Sam' } });
    for (const lead of leads()) await until(lead, (s) => s.group?.seats.length === 2 && s.group.seats.every((seat) => seat.presence === 'online'));
    for (const lead of leads()) expect(lead.snapshot.group!.seats.map((seat) => [seat.name, seat.role, seat.presence])).toEqual([
      ['Dr. Rivera', 'facilitator', 'online'],
      ['Sam', 'facilitator', 'online'],
    ]);
    // The first facilitator is still themselves, connected as before.
    expect(rivera.snapshot.status).toBe('online');
    expect((rivera.snapshot.self as FacilitatorView).you.name).toBe('Dr. Rivera');
  });

  it('a lead coming back gets their own seat again; an id nobody leads under is refused', async () => {
    const again = await server.facilitate(roomId, { facilitatorId: samId });
    expect(again.facilitatorId).toBe(samId);
    const opener = await server.facilitate(roomId);
    expect(opener.facilitatorId).not.toBe(samId);
    await expect(server.facilitate(roomId, { facilitatorId: 'not-a-lead-here' })).rejects.toThrow(/404.*NOT_FOUND/);
    expect(rivera.snapshot.group!.seats).toHaveLength(2);
  });

  it('each admits a member from the waiting room both of them see', async () => {
    for (const name of ['Ana', 'Ben', 'Chloe']) {
      const joined = await server.join(inviteUrl, name);
      members.push({ name, id: joined.memberId, connection: server.connect(joined.token) });
    }
    for (const lead of leads()) await until(lead, (s) => (s.self as FacilitatorView).waiting.filter((w) => w.presence === 'online').length === 3);
    ok(await rivera.send({ type: 'admit', memberId: members[0]!.id }));
    ok(await sam.send({ type: 'admit', memberId: members[1]!.id }));
    ok(await sam.send({ type: 'admit', memberId: members[2]!.id }));
    await Promise.all(everyone().map((c) => until(c, (s) => s.group?.seats.length === 5 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000)));
    for (const member of members) {
      const seats = member.connection.snapshot.group!.seats;
      // Every member sees both as leads.
      expect(seats.filter((seat) => seat.role === 'facilitator').map((seat) => seat.name)).toEqual(['Dr. Rivera', 'Sam']);
      expect(member.connection.snapshot.self).toMatchObject({ role: 'member' });
    }
  });

  it('one grants the floor, the other starts a round; a member still may not', async () => {
    ok(await rivera.send({ type: 'floor.grant', to: members[1]!.id }));
    await until(sam, (s) => s.group?.floor.turn?.holder === members[1]!.id);
    ok(await sam.send({ type: 'round.start', round: { prompt: 'How are you arriving?', order: 'seats', moodScale: true } }));
    await Promise.all(everyone().map((c) => until(c, (s) => s.group?.round?.current === members[0]!.id)));
    expect(sam.snapshot.group!.round!.speakers).toEqual(members.map((m) => m.id));
    ok(await members[0]!.connection.send({ type: 'round.rate', rating: 4 }));
    // The rating is for both facilitators' eyes.
    for (const lead of leads()) await until(lead, (s) => (s.self as FacilitatorView).round?.ratings[members[0]!.id] === 4);
    ok(await rivera.send({ type: 'round.next' }));
    expect(await members[2]!.connection.send({ type: 'round.end' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    ok(await sam.send({ type: 'round.end' }));
    await until(rivera, (s) => s.group?.round?.closed === true);
  });

  it('anonymous feedback counts members only, and neither facilitator may answer', async () => {
    ok(await sam.send({ type: 'feedback.open', question: 'What stayed with you?', answer: 'text', audience: 'facilitator', k: 3 }));
    await Promise.all(everyone().map((c) => until(c, (s) => s.group?.feedback.open !== null)));
    const prompt = rivera.snapshot.group!.feedback.open!;
    expect(prompt.eligibleCount).toBe(3);
    for (const lead of leads()) expect(await lead.send({ type: 'feedback.submit', promptId: prompt.id, text: 'padding' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    for (const member of members) expect((member.connection.snapshot.self as MemberView).feedback).toMatchObject({ mayAnswer: true });
  });
});
