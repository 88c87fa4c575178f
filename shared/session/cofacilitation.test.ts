import { describe, expect, it } from 'vitest';
import type { ClientCommand, FacilitatorCommandType } from '../protocol/commands.js';
import { MAX_FACILITATORS } from './admission.js';
import { CO_FACILITATOR, expectPublished, expectRefused, facilitatorExamples, groupRoom, roundSettings, testAnonymiser, type TestRoom } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView, selfView } from './projection.js';
import { mayBeHeard } from './speech.js';

/** A room led by two: the facilitator who opened it and a co-facilitator who came in through the server's seam. */
const coLedRoom = (options: { members?: number; waiting?: number; seed?: number } = {}) => {
  const room = groupRoom(options);
  room.addFacilitator();
  return room;
};

/** The scenario the permission tables use: a hand up, a moment needed, someone waiting. */
const busy = (room: TestRoom) => {
  room.act(room.m(2), 'hand.raise');
  room.act(room.m(0), 'moment.need', { tellGroup: false });
  return room;
};

describe('a second facilitator entering the live room', () => {
  it('is seated beside the first as a lead, and everyone sees both as facilitators', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    const state = expectPublished(room.system({ type: 'join.facilitator', facilitatorId: CO_FACILITATOR, name: 'Sam' }), before);
    expect(state.facilitatorIds).toEqual([room.facilitator, CO_FACILITATOR]);
    expect(state.participants[CO_FACILITATOR]).toMatchObject({ role: 'facilitator', status: 'admitted', name: 'Sam' });
    expect(groupView(state).seats.map((seat) => [seat.name, seat.role])).toEqual([
      ['Dana', 'facilitator'],
      ['Sam', 'facilitator'],
      ['Member 1', 'member'],
      ['Member 2', 'member'],
    ]);
  });

  it('entering again as the same facilitator (a second tab, a reload) changes nothing', () => {
    const room = coLedRoom({ members: 1 });
    const before = room.state;
    expect(room.system({ type: 'join.facilitator', facilitatorId: CO_FACILITATOR, name: 'Sam' })).toMatchObject({ ok: true, stored: false });
    expect(room.state).toBe(before);
    expect(room.system({ type: 'join.facilitator', facilitatorId: room.facilitator, name: 'Dana' })).toMatchObject({ ok: true, stored: false });
    expect(room.state).toBe(before);
  });

  it.each([
    { name: 'an id a member holds: FORBIDDEN', id: (room: TestRoom) => room.m(0), who: 'Sam', code: 'FORBIDDEN' },
    { name: 'a name that passes for a member’s: NAME_TAKEN', id: () => 'facilitator-3', who: 'Member 1', code: 'NAME_TAKEN' },
    { name: 'a name that passes for the other facilitator’s: NAME_TAKEN', id: () => 'facilitator-3', who: 'DANA', code: 'NAME_TAKEN' },
  ])('is refused for $name, and nothing changes', ({ id, who, code }) => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    expect(room.system({ type: 'join.facilitator', facilitatorId: id(room), name: who })).toMatchObject({ ok: false, code });
    expect(room.state).toBe(before);
  });

  it(`is refused past ${MAX_FACILITATORS} facilitators, and once the session has ended`, () => {
    const room = groupRoom({ members: 1 });
    for (let i = 2; i <= MAX_FACILITATORS; i++) room.addFacilitator(`facilitator-${i}`, `Lead ${i}`);
    const full = room.state;
    expect(room.system({ type: 'join.facilitator', facilitatorId: 'facilitator-99', name: 'One too many' })).toMatchObject({ ok: false, code: 'ROOM_FULL' });
    expect(room.state).toBe(full);
    room.lead('session.end');
    const ended = room.state;
    expect(room.system({ type: 'join.facilitator', facilitatorId: 'facilitator-98', name: 'Late' })).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
    expect(room.state).toBe(ended);
  });
});

describe('either facilitator has the facilitator’s powers', () => {
  it.each(Object.keys(facilitatorExamples) as FacilitatorCommandType[])('%s has the same effect from the co-facilitator as from the first', (type) => {
    const [first, second] = [busy(coLedRoom({ members: 3, waiting: 1 })), busy(coLedRoom({ members: 3, waiting: 1 }))];
    const command = (room: TestRoom) => ({ id: 'same-command', type, ...facilitatorExamples[type](room) }) as ClientCommand;
    const byFirst = first.send(first.facilitator, command(first));
    const bySecond = second.send(CO_FACILITATOR, command(second));
    expect(bySecond).not.toMatchObject({ code: 'FORBIDDEN' });
    expect(bySecond.ok).toBe(byFirst.ok);
    if (!byFirst.ok || !bySecond.ok) return expect(bySecond).toEqual(byFirst);
    const { applied: _a, ...firstState } = byFirst.state;
    const { applied: _b, ...secondState } = bySecond.state;
    expect(secondState).toEqual(firstState);
  });

  it.each(Object.keys(facilitatorExamples) as FacilitatorCommandType[])('%s is still refused from a member of a co-led room', (type) => {
    const room = busy(coLedRoom({ members: 3, waiting: 1 }));
    expectRefused(room, room.m(0), { id: room.nextCommandId(), type, ...facilitatorExamples[type](room) } as ClientCommand, 'FORBIDDEN');
  });

  it.each([
    { type: 'hand.raise', body: {} },
    { type: 'round.volunteer', body: {} },
    { type: 'round.rate', body: { rating: 5 } },
    { type: 'moment.need', body: { tellGroup: true } },
    { type: 'meToo', body: {} },
  ] as const)('the co-facilitator cannot send the member-only %s', ({ type, body }) => {
    const room = coLedRoom({ members: 3 });
    expectRefused(room, CO_FACILITATOR, { id: room.nextCommandId(), type, ...body } as ClientCommand, 'FORBIDDEN');
  });

  it('each facilitator is sent the facilitator’s view as themselves; members their own', () => {
    const room = coLedRoom({ members: 2, waiting: 1 });
    expect(selfView(room.state, room.facilitator, testAnonymiser)).toEqual(facilitatorView(room.state, room.facilitator));
    expect(facilitatorView(room.state, CO_FACILITATOR)).toMatchObject({ role: 'facilitator', you: { id: CO_FACILITATOR, name: 'Sam' }, waiting: [{ name: 'Member 3' }] });
    expect(selfView(room.state, CO_FACILITATOR, testAnonymiser)).toEqual(facilitatorView(room.state, CO_FACILITATOR));
    expect(selfView(room.state, room.m(0), testAnonymiser)).toEqual(memberView(room.state, room.m(0), testAnonymiser));
  });
});

describe('the floor and rounds treat both as facilitators', () => {
  it('the co-facilitator may pass the talking stick on from a member, like the first facilitator', () => {
    const room = coLedRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.lead('floor.grant', { to: room.m(0) });
    room.must(room.act(CO_FACILITATOR, 'stick.pass', { direction: 'next' }));
    expect(room.state.floor.turn?.holder).toBe(room.m(1));
  });

  it('the floor may be given to the co-facilitator; when they are done under the stick it goes back to nobody', () => {
    const room = coLedRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.lead('floor.grant', { to: CO_FACILITATOR });
    expect(room.state.floor.turn?.holder).toBe(CO_FACILITATOR);
    room.must(room.act(CO_FACILITATOR, 'turn.done'));
    expect(room.state.floor.turn).toBeNull();
  });

  it('both facilitators are heard without the stick and off stage; a member is not', () => {
    const room = coLedRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.lead('floor.grant', { to: room.m(0) });
    expect([room.facilitator, CO_FACILITATOR, room.m(1)].map((id) => mayBeHeard(room.state, id).allowed)).toEqual([true, true, false]);
    room.lead('scene.start', { title: 'A conversation', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }] });
    expect([room.facilitator, CO_FACILITATOR, room.m(1)].map((id) => mayBeHeard(room.state, id).allowed)).toEqual([true, true, false]);
  });

  it('a round goes round the members only, whichever facilitator starts it', () => {
    const room = coLedRoom({ members: 3 });
    room.must(room.act(CO_FACILITATOR, 'round.start', { round: roundSettings() }));
    expect(groupView(room.state).round?.speakers).toEqual(room.members);
    room.must(room.act(room.facilitator, 'round.next'));
    expect(groupView(room.state).round?.current).toBe(room.m(1));
  });
});

describe('anonymous feedback in a co-led room', () => {
  const question = { question: 'What stayed with you?', answer: 'text', audience: 'facilitator', k: 3 } as const;

  it('k counts members only: two facilitators and two members cannot open a prompt of k 3', () => {
    const room = coLedRoom({ members: 2 });
    expectRefused(room, CO_FACILITATOR, room.command('feedback.open', question), 'TOO_FEW_MEMBERS');
  });

  it('who may answer, and the count shown, are the members here, neither facilitator', () => {
    const room = coLedRoom({ members: 3 });
    room.must(room.act(CO_FACILITATOR, 'feedback.open', question));
    expect(room.state.feedback.eligible).toEqual(room.members);
    expect(groupView(room.state).feedback.open?.eligibleCount).toBe(3);
  });

  it.each(['first', 'co'] as const)('the %s facilitator may not answer, and nothing is stored', (which) => {
    const room = coLedRoom({ members: 3 });
    room.lead('feedback.open', question);
    const promptId = groupView(room.state).feedback.open!.id;
    expectRefused(room, which === 'first' ? room.facilitator : CO_FACILITATOR, room.command('feedback.submit', { promptId, text: 'padding' }), 'FORBIDDEN');
    expect(room.state.feedback.items).toEqual([]);
  });

  it('released answers for the facilitators reach both facilitators’ views and no member’s', () => {
    const room = coLedRoom({ members: 3 });
    room.lead('feedback.open', question);
    const promptId = groupView(room.state).feedback.open!.id;
    for (const [i, id] of room.members.entries()) room.must(room.act(id, 'feedback.submit', { promptId, text: `answer ${i}` }));
    room.must(room.act(CO_FACILITATOR, 'feedback.close'));
    for (const lead of [room.facilitator, CO_FACILITATOR]) expect(facilitatorView(room.state, lead).feedbackResults[0]?.items).toHaveLength(3);
    for (const id of room.members) expect(JSON.stringify(memberView(room.state, id, testAnonymiser))).not.toContain('answer 0');
  });
});
