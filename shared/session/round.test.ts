import { describe, expect, it } from 'vitest';
import type { ClientCommand } from '../protocol/commands.js';
import { expectPublished, expectRefused, expectSealed, groupRoom, roundSettings, START, table, type TestRoom } from './fixtures.test-support.js';
import { testAnonymiser } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView } from './projection.js';

const roundOf = (room: TestRoom) => groupView(room.state).round!;
const holder = (room: TestRoom) => groupView(room.state).floor.turn?.holder ?? null;
const outcomes = (room: TestRoom) => facilitatorView(room.state).round?.outcomes;

describe('starting a round', () => {
  it('a check-in in seat order: every member here speaks in turn, the first holds the floor with the time box', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.m(1), 'hand.raise');
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'round.start', { round: roundSettings({ timeBoxSeconds: 120 }) }), before);
    expect(roundOf(room)).toMatchObject({
      purpose: 'check-in',
      prompt: 'How are you arriving today?',
      order: 'seats',
      timeBoxMs: 120_000,
      speakers: [room.m(0), room.m(1), room.m(2)],
      current: room.m(0),
      next: room.m(1),
      done: [],
      closed: false,
    });
    expect(groupView(room.state).floor).toMatchObject({ turn: { holder: room.m(0), endsAt: START + 120_000, warnAt: START + 90_000 }, queue: [] });
  });

  it('the circle follows the seats as the facilitator arranged them', () => {
    const room = groupRoom({ members: 3 });
    room.lead('seats.reorder', { order: [room.m(2), room.facilitator, room.m(0), room.m(1)] });
    room.lead('round.start', { round: roundSettings() });
    expect(roundOf(room).speakers).toEqual([room.m(2), room.m(0), room.m(1)]);
  });

  it('members who have left are not in the round; a member who just dropped still is', () => {
    const room = groupRoom({ members: 4 });
    room.drop(room.m(1));
    room.tickAt(START + 60_000);
    room.drop(room.m(2));
    room.lead('round.start', { round: roundSettings() });
    expect(roundOf(room).speakers).toEqual([room.m(0), room.m(2), room.m(3)]);
  });

  it('a random order is a shuffle of everyone here, fixed by the seed', () => {
    const speakersFor = (seed: number) => {
      const room = groupRoom({ members: 6, seed });
      room.lead('round.start', { round: roundSettings({ order: 'random' }) });
      return { room, speakers: roundOf(room).speakers };
    };
    const { room, speakers } = speakersFor(7);
    expect([...speakers].sort()).toEqual([...room.members].sort());
    expect(holder(room)).toBe(speakers[0]);
    expect(speakersFor(7).speakers).toEqual(speakers);
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => speakersFor(seed + 1).speakers.join(',')));
    expect(orders.size).toBeGreaterThan(10);
    expect(orders.has(room.members.join(','))).toBe(false);
  });

  it('a volunteer round starts with nobody speaking', () => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.grant', { to: room.m(1) });
    room.lead('round.start', { round: roundSettings({ order: 'volunteers' }) });
    expect(roundOf(room)).toMatchObject({ speakers: [], current: null, closed: false });
    expect(holder(room)).toBeNull();
  });

  it('a new round can start once the last one is over', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    room.lead('round.end');
    const first = roundOf(room).id;
    room.lead('round.start', { round: roundSettings({ prompt: 'What are you taking home?' }) });
    expect(roundOf(room)).toMatchObject({ prompt: 'What are you taking home?', closed: false, current: room.m(0) });
    expect(roundOf(room).id).not.toBe(first);
  });

  it.each(table([
    { name: 'a round is already running: ROUND_RUNNING', code: 'ROUND_RUNNING', setup: (room: TestRoom) => room.lead('round.start', { round: roundSettings() }) },
    {
      name: 'a scene is running: SCENE_RUNNING',
      code: 'SCENE_RUNNING',
      setup: (room: TestRoom) => room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }] }),
    },
    {
      name: 'no member is here: TOO_FEW_MEMBERS',
      code: 'TOO_FEW_MEMBERS',
      setup: (room: TestRoom) => {
        for (const id of room.members) room.drop(id);
        room.tickAt(START + 60_000);
      },
    },
  ]))('starting a round is refused when %s', (_, { setup, code }) => {
    const room = groupRoom({ members: 2 });
    setup(room);
    expectRefused(room, room.facilitator, room.command('round.start', { round: roundSettings() }), code);
  });
});

describe('going round', () => {
  it.each(table([
    { name: 'says they are done: spoke', command: 'turn.done', outcome: 'spoke' },
    { name: 'passes: passed', command: 'round.pass', outcome: 'passed' },
  ] as const))('the speaker %s, and the next seat gets the floor', (_, { command, outcome }) => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings({ timeBoxSeconds: 120 }) });
    room.after(20_000);
    const before = room.state;
    expectPublished(room.act(room.m(0), command), before);
    expect(roundOf(room)).toMatchObject({ current: room.m(1), next: room.m(2), done: [room.m(0)] });
    expect(groupView(room.state).floor.turn).toMatchObject({ holder: room.m(1), startedAt: START + 20_000, endsAt: START + 140_000 });
    expect(outcomes(room)).toEqual({ [room.m(0)]: outcome });
    expect(facilitatorView(room.state).airtime).toEqual({ [room.m(0)]: 20_000 });
  });

  it('the speaker’s time box runs out: a tick moves the round on and counts them timed out', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings({ timeBoxSeconds: 60 }) });
    expect(room.tickAt(START + 59_999)).toMatchObject({ stored: false });
    const before = room.state;
    expectPublished(room.tickAt(START + 60_000), before);
    expect(roundOf(room).current).toBe(room.m(1));
    expect(outcomes(room)).toEqual({ [room.m(0)]: 'timed-out' });
    expect(groupView(room.state).floor.turn).toMatchObject({ holder: room.m(1), endsAt: START + 120_000 });
  });

  it('the facilitator moves the round on: the speaker counts as skipped', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'round.next'), before);
    expect(roundOf(room).current).toBe(room.m(1));
    expect(outcomes(room)).toEqual({ [room.m(0)]: 'skipped' });
  });

  it('members who left before their turn are passed over and counted absent', () => {
    const room = groupRoom({ members: 4 });
    room.lead('round.start', { round: roundSettings() });
    room.drop(room.m(1));
    room.drop(room.m(2));
    room.tickAt(START + 60_000);
    room.act(room.m(0), 'turn.done');
    expect(roundOf(room).current).toBe(room.m(3));
    expect(outcomes(room)).toEqual({ [room.m(0)]: 'spoke', [room.m(1)]: 'absent', [room.m(2)]: 'absent' });
  });

  it('after the last speaker the round closes and the floor is free', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    room.act(room.m(0), 'turn.done');
    room.act(room.m(1), 'round.pass');
    expect(roundOf(room)).toMatchObject({ current: null, next: null, done: [room.m(0), room.m(1)], closed: true });
    expect(holder(room)).toBeNull();
  });

  it('the facilitator ends the round early: it closes, the floor is free, and who had a turn stays on record', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    room.act(room.m(0), 'turn.done');
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'round.end'), before);
    expect(roundOf(room)).toMatchObject({ closed: true, current: null, done: [room.m(0)] });
    expect(holder(room)).toBeNull();
  });

  it.each(table([
    { name: 'a member whose turn it is not says done', sender: 1, command: 'turn.done' },
    { name: 'a member whose turn it is not passes', sender: 2, command: 'round.pass' },
    { name: 'the facilitator passes on the speaker’s behalf', sender: 'facilitator', command: 'round.pass' },
  ] as const))('NOT_YOUR_TURN when %s', (_, { sender, command }) => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    expectRefused(room, sender === 'facilitator' ? room.facilitator : room.m(sender), room.command(command), 'NOT_YOUR_TURN');
  });
});

describe('volunteer rounds', () => {
  it('volunteers speak in the order they offered, and the round waits for more until the facilitator ends it', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings({ order: 'volunteers', timeBoxSeconds: 90 }) });
    const before = room.state;
    expectPublished(room.act(room.m(2), 'round.volunteer'), before);
    expect(groupView(room.state).floor.turn).toMatchObject({ holder: room.m(2), endsAt: START + 90_000 });
    room.act(room.m(0), 'round.volunteer');
    expect(roundOf(room)).toMatchObject({ speakers: [room.m(2), room.m(0)], current: room.m(2), next: room.m(0) });
    room.act(room.m(2), 'turn.done');
    room.act(room.m(0), 'turn.done');
    expect(roundOf(room)).toMatchObject({ current: null, closed: false });
    expect(holder(room)).toBeNull();
    room.act(room.m(1), 'round.volunteer');
    expect(holder(room)).toBe(room.m(1));
    room.lead('round.end');
    expect(roundOf(room).closed).toBe(true);
  });

  it('volunteering twice keeps one place', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings({ order: 'volunteers' }) });
    room.act(room.m(0), 'round.volunteer');
    room.act(room.m(1), 'round.volunteer');
    expect(room.act(room.m(1), 'round.volunteer')).toMatchObject({ ok: true, published: false });
    expect(roundOf(room).speakers).toEqual([room.m(0), room.m(1)]);
  });

  it.each(['seats', 'random'] as const)('volunteering in a round that goes in %s order is refused with WRONG_FLOOR_MODE', (order) => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings({ order }) });
    expectRefused(room, room.m(1), room.command('round.volunteer'), 'WRONG_FLOOR_MODE');
  });
});

describe('mood scale', () => {
  it('members rate their mood; only the facilitator sees the ratings, each member sees only their own', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings({ moodScale: true }) });
    const before = room.state;
    expectSealed(room.act(room.m(0), 'round.rate', { rating: 3 }), before);
    room.act(room.m(2), 'round.rate', { rating: 8 });
    room.act(room.m(2), 'round.rate', { rating: 9 });
    expect(facilitatorView(room.state).round?.ratings).toEqual({ [room.m(0)]: 3, [room.m(2)]: 9 });
    expect(memberView(room.state, room.m(0), testAnonymiser).myRating).toBe(3);
    expect(memberView(room.state, room.m(1), testAnonymiser).myRating).toBeNull();
    expect(JSON.stringify(groupView(room.state))).not.toMatch(/rating/i);
    expect(roundOf(room).moodScale).toBe(true);
  });

  it('giving the same rating again publishes nothing', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings({ moodScale: true }) });
    room.act(room.m(0), 'round.rate', { rating: 4 });
    expect(room.act(room.m(0), 'round.rate', { rating: 4 })).toMatchObject({ ok: true, published: false });
  });

  it('rating in a round without a mood scale is refused as INVALID', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    expectRefused(room, room.m(0), room.command('round.rate', { rating: 4 }), 'INVALID');
  });

  it('once the round is over a member no longer sees their rating', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings({ moodScale: true }) });
    room.act(room.m(0), 'round.rate', { rating: 4 });
    room.lead('round.end');
    expect(memberView(room.state, room.m(0), testAnonymiser).myRating).toBeNull();
    expect(facilitatorView(room.state).round?.ratings).toEqual({ [room.m(0)]: 4 });
  });
});

describe('what the group sees of a round', () => {
  it('the group sees who has had a turn but not who spoke, passed, timed out or was skipped', () => {
    const room = groupRoom({ members: 4 });
    room.lead('round.start', { round: roundSettings({ timeBoxSeconds: 60 }) });
    room.act(room.m(0), 'turn.done');
    room.act(room.m(1), 'round.pass');
    room.tickAt(START + 60_000);
    room.lead('round.next');
    const group = groupView(room.state);
    expect(group.round?.done).toEqual([room.m(0), room.m(1), room.m(2), room.m(3)]);
    expect(JSON.stringify(group)).not.toMatch(/passed|spoke|timed-out|skipped|outcome/);
    expect(JSON.stringify(memberView(room.state, room.m(0), testAnonymiser))).not.toMatch(/passed|spoke|outcome/);
    expect(outcomes(room)).toEqual({ [room.m(0)]: 'spoke', [room.m(1)]: 'passed', [room.m(2)]: 'timed-out', [room.m(3)]: 'skipped' });
  });
});

describe('round commands with no round to act on', () => {
  const roundCommands: { name: string; sender: 'facilitator' | 'member'; command: (room: TestRoom) => ClientCommand }[] = [
    { name: 'round.pass', sender: 'member', command: (room) => room.command('round.pass') },
    { name: 'round.volunteer', sender: 'member', command: (room) => room.command('round.volunteer') },
    { name: 'round.rate', sender: 'member', command: (room) => room.command('round.rate', { rating: 5 }) },
    { name: 'round.next', sender: 'facilitator', command: (room) => room.command('round.next') },
    { name: 'round.end', sender: 'facilitator', command: (room) => room.command('round.end') },
  ];
  const sender = (room: TestRoom, who: 'facilitator' | 'member') => (who === 'facilitator' ? room.facilitator : room.m(0));

  it.each(table(roundCommands))('%s before any round is refused with NO_ROUND', (_, { sender: who, command }) => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, sender(room, who), command(room), 'NO_ROUND');
  });

  it.each(table(roundCommands))('%s after the round has ended is refused with ROUND_CLOSED', (_, { sender: who, command }) => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings({ order: 'volunteers', moodScale: true }) });
    room.lead('round.end');
    expectRefused(room, sender(room, who), command(room), 'ROUND_CLOSED');
  });

  it('“done” with no round and no floor is refused with NOT_YOUR_TURN (free conversation rules apply)', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    room.lead('round.end');
    expectRefused(room, room.m(0), room.command('turn.done'), 'NOT_YOUR_TURN');
  });
});

describe('a round holds the talking stick', () => {
  const mode = (room: TestRoom) => groupView(room.state).floor.mode;
  const silenced = (room: TestRoom) => groupView(room.state).seats.filter((seat) => seat.silenced === 'NO_STICK').map((seat) => seat.id);
  const finish = (room: TestRoom) => {
    for (const id of [...roundOf(room).speakers]) room.must(room.act(id, 'turn.done'));
  };

  it.each(table([
    { name: 'an open floor', before: 'open' },
    { name: 'raised hands', before: 'queue' },
  ] as const))('starting a round from %s puts the room in stick mode: only the speaker is heard', (_, { before }) => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode: before });
    room.lead('round.start', { round: roundSettings() });
    expect(mode(room)).toBe('stick');
    expect(silenced(room)).toEqual([room.m(1), room.m(2)]);
  });

  it.each(table([
    { name: 'after the last speaker', close: finish },
    { name: 'when the facilitator ends it early (cancelled)', close: (room: TestRoom) => room.lead('round.end') },
    { name: 'when the last speaker leaves the session', close: (room: TestRoom) => { room.must(room.act(room.m(0), 'turn.done')); room.must(room.act(room.m(1), 'turn.done')); room.must(room.act(room.m(2), 'leave')); } },
  ]))('the mode before the round comes back %s, and nobody is left silenced', (_, { close }) => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'queue' });
    room.lead('round.start', { round: roundSettings() });
    close(room);
    expect(roundOf(room).closed).toBe(true);
    expect(mode(room)).toBe('queue');
    expect(silenced(room)).toEqual([]);
    expect(groupView(room.state).floor.turn).toBeNull();
  });

  it('a volunteer round gives the mode back when the facilitator ends it', () => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings({ order: 'volunteers' }) });
    expect(mode(room)).toBe('stick');
    room.lead('round.end');
    expect(mode(room)).toBe('open');
  });

  it('a room already in stick mode stays in it after the round', () => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.mode', { mode: 'stick' });
    room.lead('round.start', { round: roundSettings() });
    room.lead('round.end');
    expect(mode(room)).toBe('stick');
  });

  it.each(table([
    { name: 'the facilitator chose another floor mode', change: (room: TestRoom) => room.lead('floor.mode', { mode: 'queue' }), after: 'queue' },
    { name: 'the session moved to a phase with its own mode', change: (room: TestRoom) => room.lead('phase.go', { index: 2 }), after: 'queue' },
  ] as const))('when %s during the round, that choice stands after it (the facilitator’s latest word wins)', (_, { change, after }) => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    change(room);
    room.lead('round.end');
    expect(mode(room)).toBe(after);
  });
});

describe('what a round is for', () => {
  it.each(table([
    { name: 'a check-in by default', body: {}, purpose: 'check-in', label: null },
    { name: 'a check-out', body: { purpose: 'check-out' }, purpose: 'check-out', label: null },
    { name: 'a sharing round', body: { purpose: 'sharing' }, purpose: 'sharing', label: null },
    { name: 'a custom round with its own label', body: { purpose: 'custom', label: 'Appreciations' }, purpose: 'custom', label: 'Appreciations' },
  ] as const))('%s: every screen gets its purpose and label', (_, { body, purpose, label }) => {
    const room = groupRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings(body) });
    expect(roundOf(room)).toMatchObject({ purpose, label });
  });

  it.each(table([
    { name: 'a custom round without a label', body: { purpose: 'custom' } },
    { name: 'a label on a round that is not custom', body: { purpose: 'check-out', label: 'Goodbyes' } },
  ] as const))('%s is refused as INVALID', (_, { body }) => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.facilitator, room.command('round.start', { round: roundSettings(body) }), 'INVALID');
  });
});
