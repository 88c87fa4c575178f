import { describe, expect, it } from 'vitest';
import { commandRules, facilitatorCommandTypes, type ClientCommand, type FacilitatorCommandType } from '../protocol/commands.js';
import { expectPublished, expectRefused, expectSealed, facilitatorExamples, groupRoom, roundSettings, START, table, type TestRoom } from './fixtures.test-support.js';
import { APPLIED_MEMORY, createRoom, nextDeadline, reduce } from './room.js';

describe('who may send what', () => {
  it('is one table, assembled from the mechanics, that reads as the permission audit', () => {
    const senders = Object.fromEntries(commandRules.map((rule) => [rule.type, rule.sender]));
    expect(senders).toEqual({
      admit: 'facilitator', 'admit.all': 'facilitator', decline: 'facilitator', remove: 'facilitator', 'seats.reorder': 'facilitator', leave: 'anyone',
      'agenda.set': 'facilitator', 'phase.go': 'facilitator', 'phase.add': 'facilitator', 'phase.edit': 'facilitator', 'phase.move': 'facilitator', 'phase.remove': 'facilitator',
      'floor.mode': 'facilitator', 'floor.grant': 'facilitator', 'floor.next': 'facilitator', 'floor.release': 'facilitator',
      'queue.reorder': 'facilitator', 'queue.remove': 'facilitator', 'member.mute': 'facilitator',
      'hand.raise': 'member', 'hand.lower': 'anyone', 'stick.pass': 'anyone', meToo: 'member',
      'round.start': 'facilitator', 'round.next': 'facilitator', 'round.end': 'facilitator',
      'turn.done': 'anyone', 'round.pass': 'anyone', 'round.volunteer': 'member', 'round.rate': 'member',
      'scene.start': 'facilitator', 'scene.reverse': 'facilitator', 'scene.freeze': 'facilitator', 'scene.resume': 'facilitator', 'scene.end': 'facilitator',
      'scene.double': 'facilitator', 'scene.swap': 'facilitator', 'scene.undouble': 'facilitator',
      'problem.start': 'facilitator', 'problem.next': 'facilitator', 'problem.end': 'facilitator',
      'problem.define': 'member', 'problem.option': 'member', 'problem.weigh': 'member', 'problem.plan': 'member',
      'feedback.open': 'facilitator', 'feedback.close': 'facilitator', 'feedback.submit': 'member',
      'alert.ack': 'facilitator', 'moment.need': 'member', 'moment.back': 'member',
      'location.confirm': 'member',
      'encryption.set': 'facilitator',
      'handout.show': 'facilitator', 'handout.hide': 'facilitator',
      'session.end': 'facilitator',
    });
    expect(commandRules.length).toBe(Object.keys(senders).length);
  });

  it('the same table says who may send a command from the waiting room: only leave; everything else needs them admitted', () => {
    const from = Object.fromEntries(commandRules.map((rule) => [rule.type, rule.statuses]));
    const fromWaitingRoom = Object.entries(from).filter(([, statuses]) => statuses.includes('waiting')).map(([type]) => type);
    expect(fromWaitingRoom).toEqual(['leave']);
    expect(Object.values(from).every((statuses) => statuses.includes('admitted'))).toBe(true);
  });

  it.each(commandRules.filter((rule) => !rule.statuses.includes('waiting')).map((rule) => rule.type))(
    'someone still waiting who sends %s is told NOT_ADMITTED and nothing changes',
    (type) => {
      const room = groupRoom({ members: 2, waiting: 1 });
      const command = { id: room.nextCommandId(), type } as ClientCommand;
      expectRefused(room, room.waiting[0]!, command, 'NOT_ADMITTED');
    },
  );

  it('the examples cover every facilitator command', () => {
    expect(new Set(Object.keys(facilitatorExamples))).toEqual(facilitatorCommandTypes);
  });

  it.each(Object.keys(facilitatorExamples) as FacilitatorCommandType[])('a member who sends %s is told only the facilitator can do that', (type) => {
    const room = groupRoom({ members: 3, waiting: 1 });
    room.act(room.m(2), 'hand.raise');
    room.act(room.m(0), 'moment.need', { tellGroup: false });
    const command = { id: room.nextCommandId(), type, ...facilitatorExamples[type](room) } as ClientCommand;
    expectRefused(room, room.m(0), command, 'FORBIDDEN');
  });

  it.each([
    { type: 'hand.raise', body: {} },
    { type: 'round.volunteer', body: {} },
    { type: 'round.rate', body: { rating: 5 } },
    { type: 'feedback.submit', body: { promptId: 'prompt-1', text: 'hi' } },
    { type: 'moment.need', body: { tellGroup: true } },
    { type: 'moment.back', body: {} },
    { type: 'meToo', body: {} },
  ] as const)('the facilitator cannot send the member-only %s', ({ type, body }) => {
    const room = groupRoom({ members: 3 });
    const command = { id: room.nextCommandId(), type, ...body } as ClientCommand;
    expectRefused(room, room.facilitator, command, 'FORBIDDEN');
  });

  it.each(table([
    { name: 'someone the room has never seen is told UNAUTHENTICATED', setup: (_room: TestRoom) => 'stranger-1', code: 'UNAUTHENTICATED' },
    { name: 'a member still in the waiting room is told NOT_ADMITTED', setup: (room: TestRoom) => room.waiting[0]!, code: 'NOT_ADMITTED' },
    {
      name: 'a member the facilitator declined is told DECLINED',
      setup: (room: TestRoom) => {
        room.lead('decline', { memberId: room.waiting[0]! });
        return room.waiting[0]!;
      },
      code: 'DECLINED',
    },
    {
      name: 'a member the facilitator removed is told REMOVED',
      setup: (room: TestRoom) => {
        room.lead('remove', { memberId: room.m(0) });
        return room.m(0);
      },
      code: 'REMOVED',
    },
  ] as const))('%s, whatever they send', (_, { setup, code }) => {
    const room = groupRoom({ members: 2, waiting: 1 });
    const who = setup(room);
    for (const command of [room.command('hand.raise'), room.command('meToo'), room.command('floor.release'), room.command('moment.need', { tellGroup: true })]) {
      expectRefused(room, who, command, code);
    }
  });
});

describe('a command sent twice (a retry after a lost acknowledgement)', () => {
  it.each(table([
    { name: 'a raised hand', sender: 'member', command: (room: TestRoom) => room.command('hand.raise') },
    { name: 'a granted floor', sender: 'facilitator', command: (room: TestRoom) => room.command('floor.grant', { to: room.m(0), timeBoxSeconds: 120 }) },
    { name: 'a started round', sender: 'facilitator', command: (room: TestRoom) => room.command('round.start', { round: roundSettings({ order: 'random' }) }) },
    { name: 'a lowered hand that changed nothing', sender: 'member', command: (room: TestRoom) => room.command('hand.lower') },
  ] as const))('%s is applied once; the second time nothing changes and it is marked duplicate', (_, { sender, command }) => {
    const room = groupRoom({ members: 3 });
    const actor = sender === 'member' ? room.m(1) : room.facilitator;
    const sent = command(room);
    const first = room.send(actor, sent);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    const afterFirst = room.state;
    room.after(5_000);
    const second = room.send(actor, sent);
    expect(second).toEqual({ ok: true, state: afterFirst, published: false, stored: false, duplicate: true });
    expect(room.state).toBe(afterFirst);
  });

  it('the same command id from a different member is that member’s own command', () => {
    const room = groupRoom({ members: 2 });
    const command = room.command('hand.raise');
    room.send(room.m(0), command);
    const outcome = room.send(room.m(1), command);
    expect(outcome).toMatchObject({ ok: true, duplicate: false });
    expect(room.state.floor.queue).toEqual([room.m(0), room.m(1)]);
  });

  it('a refused command is not remembered, so it can succeed once the reason is gone', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    const grant = room.command('floor.grant', { to: room.m(1) });
    expect(room.send(room.facilitator, grant)).toMatchObject({ ok: false, code: 'ROUND_RUNNING' });
    room.lead('round.end');
    expect(room.send(room.facilitator, grant)).toMatchObject({ ok: true, duplicate: false });
    expect(room.state.floor.turn?.holder).toBe(room.m(1));
  });

  it(`only the last ${APPLIED_MEMORY} command ids per participant are remembered`, () => {
    const room = groupRoom({ members: 1 });
    const first = room.command('hand.raise');
    room.send(room.m(0), first);
    for (let i = 0; i < APPLIED_MEMORY - 1; i++) room.act(room.m(0), i % 2 === 0 ? 'hand.lower' : 'hand.raise');
    expect(room.send(room.m(0), first)).toMatchObject({ duplicate: true });
    room.act(room.m(0), 'hand.lower');
    expect(room.send(room.m(0), first)).toMatchObject({ ok: true, duplicate: false });
  });
});

describe('versions', () => {
  it('a new room starts at version 1', () => {
    const state = createRoom({ id: 'room-test-1', title: 'Tuesday group', facilitatorId: 'facilitator-1', facilitatorName: 'Dana', now: START });
    expect(state).toMatchObject({ version: 1, revision: 1, seats: ['facilitator-1'], floor: { mode: 'open', turn: null, queue: [] } });
  });

  it('every published change moves the version on by exactly one', () => {
    const room = groupRoom({ members: 4, waiting: 1 });
    const steps: ((room: TestRoom) => unknown)[] = [
      (r) => r.act(r.m(0), 'hand.raise'),
      (r) => r.act(r.m(1), 'hand.raise'),
      (r) => r.act(r.facilitator, 'queue.reorder', { order: [r.m(1), r.m(0)] }),
      (r) => r.act(r.facilitator, 'floor.next', { timeBoxSeconds: 120 }),
      (r) => r.act(r.m(2), 'meToo'),
      (r) => r.tickAt(START + 10 * 60_000),
      (r) => r.act(r.facilitator, 'admit', { memberId: r.waiting[0]! }),
      (r) => r.drop(r.m(3)),
      (r) => r.act(r.facilitator, 'round.start', { round: roundSettings({ moodScale: true }) }),
      (r) => r.act(r.m(0), 'turn.done'),
      (r) => r.act(r.facilitator, 'round.end'),
      (r) => r.act(r.facilitator, 'scene.start', { title: 'The empty chair', cast: [{ role: 'Me', kind: 'protagonist', memberId: r.m(0) }] }),
      (r) => r.act(r.facilitator, 'scene.end', {}),
      (r) => r.act(r.m(1), 'moment.need', { tellGroup: true }),
    ];
    for (const step of steps) {
      const before = room.state;
      const outcome = step(room) as ReturnType<TestRoom['send']>;
      expectPublished(outcome, before);
      expect(room.state.revision).toBe(before.revision + 1);
    }
  });

  it('changes only the facilitator may see are sealed: stored, but no version moves', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.facilitator, 'round.start', { round: roundSettings({ moodScale: true }) });
    const steps: ((r: TestRoom) => unknown)[] = [
      (r) => r.act(r.m(0), 'round.rate', { rating: 7 }),
      (r) => r.act(r.m(1), 'moment.need', { tellGroup: false }),
      (r) => r.act(r.facilitator, 'alert.ack', { memberId: r.m(1) }),
      (r) => r.act(r.m(1), 'moment.back'),
    ];
    for (const step of steps) {
      const before = room.state;
      expectSealed(step(room) as ReturnType<TestRoom['send']>, before);
    }
  });

  it('an accepted command that changes nothing is stored (to remember its id) but not published', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    const outcome = room.act(room.m(0), 'hand.lower');
    expect(outcome).toMatchObject({ ok: true, published: false, stored: true, duplicate: false });
    expect(room.state.version).toBe(before.version);
    expect(room.state.revision).toBe(before.revision + 1);
    expect({ ...room.state, applied: {}, revision: 0 }).toEqual({ ...before, applied: {}, revision: 0 });
  });

  it('a tick with nothing due returns the very same state, neither stored nor published', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    expect(room.tickAt(START + 1_000)).toEqual({ ok: true, state: before, published: false, stored: false, duplicate: false });
  });

  it('a refused command hands back a refusal with a message and leaves the state as it was', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    const outcome = room.act(room.m(0), 'turn.done');
    expect(outcome).toEqual({ ok: false, code: 'NOT_YOUR_TURN', message: 'It is not your turn to speak.' });
    expect(room.state).toBe(before);
  });

  it('reduce never mutates the state it is given', () => {
    const room = groupRoom({ members: 3 });
    const frozen = structuredClone(room.state);
    const before = room.state;
    reduce(before, { role: 'facilitator', id: room.facilitator }, room.command('round.start', { round: roundSettings({ order: 'random' }) }), room.ctx);
    reduce(before, { role: 'member', id: room.m(0) }, room.command('hand.raise'), room.ctx);
    reduce(before, { role: 'system' }, { type: 'presence', participantId: room.m(1), online: false }, room.ctx);
    expect(before).toEqual(frozen);
  });
});

describe('nextDeadline: when the server timer must fire next', () => {
  it.each(table([
    { name: 'nothing is timed', setup: (_room: TestRoom) => undefined, expected: null },
    {
      name: 'a speaker’s time box',
      setup: (room: TestRoom) => room.lead('floor.grant', { to: room.m(0), timeBoxSeconds: 90 }),
      expected: START + 90_000,
    },
    {
      name: 'a dropped member’s grace period',
      setup: (room: TestRoom) => room.drop(room.m(1)),
      expected: START + 60_000,
    },
    {
      name: 'the earliest of a scene timer and a grace period',
      setup: (room: TestRoom) => {
        room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }], durationSeconds: 30 });
        room.drop(room.m(1));
      },
      expected: START + 30_000,
    },
    {
      name: 'a frozen scene’s timer does not count',
      setup: (room: TestRoom) => {
        room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }], durationSeconds: 30 });
        room.lead('scene.freeze');
      },
      expected: null,
    },
  ]))('%s', (_, { setup, expected }) => {
    const room = groupRoom({ members: 2 });
    setup(room);
    expect(nextDeadline(room.state)).toBe(expected);
  });

  it('a tick exactly at the deadline changes something; one just before does not', () => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.grant', { to: room.m(0), timeBoxSeconds: 90 });
    const deadline = nextDeadline(room.state)!;
    expect(room.tickAt(deadline - 1)).toMatchObject({ ok: true, published: false });
    expect(room.tickAt(deadline)).toMatchObject({ ok: true, published: true });
    expect(nextDeadline(room.state)).toBeNull();
  });
});

describe('ending the session', () => {
  it('closes everything live, releases feedback only by its own rule, and refuses what follows', () => {
    const room = groupRoom({ members: 4 });
    room.act(room.m(0), 'hand.raise');
    room.act(room.facilitator, 'feedback.open', { question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
    const promptId = room.state.feedback.open!.id;
    room.act(room.m(0), 'feedback.submit', { promptId, text: 'one' });
    room.act(room.m(1), 'feedback.submit', { promptId, text: 'two' });
    room.act(room.facilitator, 'round.start', { round: roundSettings() });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'session.end'), before);
    expect(room.state.endedAt).toBe(START);
    expect(room.state.round?.closed).toBe(true);
    expect(room.state.floor.turn).toBeNull();
    expect(room.state.floor.queue).toEqual([]);
    // Two answers are fewer than k: withheld, and deleted.
    expect(room.state.feedback.results.at(-1)?.items).toBeNull();
    expect(room.state.feedback.items).toEqual([]);
    expect(nextDeadline(room.state)).toBeNull();
    expectRefused(room, room.m(2), room.command('hand.raise'), 'SESSION_ENDED');
    expectRefused(room, room.facilitator, room.command('floor.mode', { mode: 'open' }), 'SESSION_ENDED');
    expect(reduce(room.state, { role: 'system' }, { type: 'join', memberId: 'late-member', name: 'Late' }, room.ctx)).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
  });
});
