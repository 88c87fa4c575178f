import { describe, expect, it } from 'vitest';
import { clientCommandSchema, limits, type ClientCommand } from '../protocol/commands.js';
import { expectPublished, expectRefused, groupRoom, roundSettings, START, table, type TestRoom } from './fixtures.test-support.js';
import { testAnonymiser } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView } from './projection.js';

const floorOf = (room: TestRoom) => groupView(room.state).floor;
const holder = (room: TestRoom) => floorOf(room).turn?.holder ?? null;

/** A room in stick mode with the stick at member `at`. */
const stickRoom = (members: number, at: number) => {
  const room = groupRoom({ members });
  room.lead('floor.mode', { mode: 'stick' });
  room.lead('floor.grant', { to: room.m(at) });
  return room;
};

describe('floor mode', () => {
  it.each(['open', 'queue', 'stick'] as const)('the facilitator switches the floor to %s and everyone sees it', (mode) => {
    const room = groupRoom({ members: 2 });
    if (mode === 'open') room.lead('floor.mode', { mode: 'queue' });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'floor.mode', { mode }), before);
    expect(floorOf(room).mode).toBe(mode);
  });

  it('choosing the mode the floor is already in publishes nothing', () => {
    const room = groupRoom({ members: 2 });
    expect(room.act(room.facilitator, 'floor.mode', { mode: 'open' })).toMatchObject({ ok: true, published: false });
  });
});

describe('raised hands', () => {
  it('hands queue in the order they were raised', () => {
    const room = groupRoom({ members: 3 });
    for (const index of [2, 0, 1]) room.act(room.m(index), 'hand.raise');
    expect(floorOf(room).queue).toEqual([room.m(2), room.m(0), room.m(1)]);
    expect(groupView(room.state).floor.queue).toContain(room.m(0));
  });

  it.each(table([
    { name: 'raising a hand twice keeps one place in the queue', setup: (room: TestRoom) => room.act(room.m(0), 'hand.raise'), command: 'hand.raise' },
    { name: 'the speaker raising a hand does not queue them', setup: (room: TestRoom) => room.lead('floor.grant', { to: room.m(0) }), command: 'hand.raise' },
    { name: 'lowering a hand that is not raised changes nothing', setup: () => undefined, command: 'hand.lower' },
  ] as const))('%s', (_, { setup, command }) => {
    const room = groupRoom({ members: 2 });
    setup(room);
    const queue = floorOf(room).queue;
    expect(room.act(room.m(0), command)).toMatchObject({ ok: true, published: false });
    expect(floorOf(room).queue).toEqual(queue);
  });

  it('a member lowers their hand and leaves the queue; the others keep their order', () => {
    const room = groupRoom({ members: 3 });
    for (const index of [0, 1, 2]) room.act(room.m(index), 'hand.raise');
    const before = room.state;
    expectPublished(room.act(room.m(1), 'hand.lower'), before);
    expect(floorOf(room).queue).toEqual([room.m(0), room.m(2)]);
    expect(groupView(room.state).floor.queue).not.toContain(room.m(1));
  });

  it('the facilitator takes a hand out of the queue', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'hand.raise');
    room.act(room.m(1), 'hand.raise');
    room.lead('queue.remove', { memberId: room.m(0) });
    expect(floorOf(room).queue).toEqual([room.m(1)]);
  });

  it('taking out a hand that is not raised is refused with NOT_FOUND', () => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.facilitator, room.command('queue.remove', { memberId: room.m(0) }), 'NOT_FOUND');
  });
});

describe('queue.reorder', () => {
  const queued = () => {
    const room = groupRoom({ members: 4 });
    for (const index of [0, 1, 2]) room.act(room.m(index), 'hand.raise');
    return room;
  };

  it('the facilitator puts the queue in a new order', () => {
    const room = queued();
    const order = [room.m(2), room.m(0), room.m(1)];
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'queue.reorder', { order }), before);
    expect(floorOf(room).queue).toEqual(order);
  });

  it.each(table([
    { name: 'a raised hand is left out', order: (room: TestRoom) => [room.m(0), room.m(1)] },
    { name: 'someone without a raised hand is added', order: (room: TestRoom) => [room.m(0), room.m(1), room.m(2), room.m(3)] },
    { name: 'someone without a raised hand replaces one', order: (room: TestRoom) => [room.m(0), room.m(1), room.m(3)] },
    { name: 'one member appears twice and another is dropped', order: (room: TestRoom) => [room.m(0), room.m(0), room.m(1)] },
    { name: 'the list is empty', order: () => [] },
  ]))('a new order is refused as INVALID when %s', (_, { order }) => {
    const room = queued();
    expectRefused(room, room.facilitator, room.command('queue.reorder', { order: order(room) }), 'INVALID');
  });
});

describe('granting and releasing the floor', () => {
  it('the facilitator gives the floor to a member: they hold it and leave the queue', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.m(0), 'hand.raise');
    room.act(room.m(1), 'hand.raise');
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'floor.grant', { to: room.m(1) }), before);
    expect(floorOf(room)).toMatchObject({ turn: { holder: room.m(1), startedAt: START, endsAt: null, warnAt: null }, queue: [room.m(0)] });
  });

  it('the facilitator may take the floor themselves', () => {
    const room = groupRoom({ members: 1 });
    room.lead('floor.grant', { to: room.facilitator });
    expect(holder(room)).toBe(room.facilitator);
  });

  it.each(table([
    { name: 'nobody by that id', to: () => 'member-unknown' },
    { name: 'someone still waiting', to: (room: TestRoom) => room.waiting[0]! },
    { name: 'a removed member', to: (room: TestRoom) => (room.lead('remove', { memberId: room.m(1) }), room.m(1)) },
    { name: 'a member gone past the grace period', to: (room: TestRoom) => (room.drop(room.m(1)), room.tickAt(START + 60_000), room.m(1)) },
  ]))('granting the floor to %s is refused with NOT_FOUND', (_, { to }) => {
    const room = groupRoom({ members: 2, waiting: 1 });
    const id = to(room);
    expectRefused(room, room.facilitator, room.command('floor.grant', { to: id }), 'NOT_FOUND');
  });

  it('a member who dropped a moment ago can still be given the floor', () => {
    const room = groupRoom({ members: 2 });
    room.drop(room.m(1));
    room.lead('floor.grant', { to: room.m(1) });
    expect(holder(room)).toBe(room.m(1));
  });

  it.each(table([
    { name: 'no time box: no countdown', seconds: undefined, endsAt: null, warnAt: null },
    { name: 'two minutes: countdown with a warning 30 s before the end', seconds: 120, endsAt: START + 120_000, warnAt: START + 90_000 },
    { name: 'one minute: countdown but too short for a warning', seconds: 60, endsAt: START + 60_000, warnAt: null },
    { name: '61 seconds: just long enough for a warning', seconds: 61, endsAt: START + 61_000, warnAt: START + 31_000 },
  ]))('a time box of %s', (_, { seconds, endsAt, warnAt }) => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.grant', seconds === undefined ? { to: room.m(0) } : { to: room.m(0), timeBoxSeconds: seconds });
    expect(floorOf(room).turn).toEqual({ holder: room.m(0), startedAt: START, endsAt, warnAt });
  });

  it('floor.next serves the first raised hand with the time box given', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.m(2), 'hand.raise');
    room.act(room.m(0), 'hand.raise');
    room.lead('floor.next', { timeBoxSeconds: 120 });
    expect(floorOf(room)).toMatchObject({ turn: { holder: room.m(2), endsAt: START + 120_000 }, queue: [room.m(0)] });
  });

  it('floor.next with nobody waiting ends the current turn', () => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.grant', { to: room.m(0) });
    room.lead('floor.next', {});
    expect(floorOf(room).turn).toBeNull();
  });

  it('floor.release ends the turn and keeps the queue', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(1), 'hand.raise');
    room.lead('floor.grant', { to: room.m(0) });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'floor.release'), before);
    expect(floorOf(room)).toMatchObject({ turn: null, queue: [room.m(1)] });
  });

  it('releasing a floor nobody holds publishes nothing', () => {
    const room = groupRoom({ members: 2 });
    expect(room.act(room.facilitator, 'floor.release')).toMatchObject({ ok: true, published: false });
  });

  it('the speaker says they are done in a queue: the floor goes back to nobody', () => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.mode', { mode: 'queue' });
    room.act(room.m(1), 'hand.raise');
    room.lead('floor.grant', { to: room.m(0) });
    room.act(room.m(0), 'turn.done');
    expect(floorOf(room)).toMatchObject({ turn: null, queue: [room.m(1)] });
  });

  it('saying “done” without holding the floor is refused with NOT_YOUR_TURN', () => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.grant', { to: room.m(0) });
    expectRefused(room, room.m(1), room.command('turn.done'), 'NOT_YOUR_TURN');
  });
});

describe('time boxes run out', () => {
  it.each(table([
    { name: 'in open mode the floor goes back to nobody', mode: 'open', next: () => null },
    { name: 'in queue mode the floor goes back to nobody (the queue waits for the facilitator)', mode: 'queue', next: () => null },
    { name: 'in stick mode the stick moves to the next seat', mode: 'stick', next: (room: TestRoom) => room.m(1) },
  ] as const))('when the time box ends, %s', (_, { mode, next }) => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode });
    room.act(room.m(2), 'hand.raise');
    room.lead('floor.grant', { to: room.m(0), timeBoxSeconds: 90 });
    expect(room.tickAt(START + 89_999)).toMatchObject({ ok: true, stored: false });
    expect(holder(room)).toBe(room.m(0));
    const before = room.state;
    expectPublished(room.tickAt(START + 90_000), before);
    expect(holder(room)).toBe(next(room));
    expect(floorOf(room).queue).toEqual([room.m(2)]);
  });

  it('the stick carries the time box on to the next speaker', () => {
    const room = stickRoom(3, 0);
    room.lead('floor.grant', { to: room.m(0), timeBoxSeconds: 90 });
    room.tickAt(START + 90_000);
    expect(floorOf(room).turn).toMatchObject({ holder: room.m(1), startedAt: START + 90_000, endsAt: START + 180_000 });
  });
});

describe('airtime', () => {
  it('each speaker’s time holding the floor adds up, and only the facilitator sees it', () => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.grant', { to: room.m(0) });
    room.after(40_000).lead('floor.grant', { to: room.m(1) });
    room.after(15_000).lead('floor.grant', { to: room.m(0) });
    room.after(5_000).lead('floor.release');
    expect(facilitatorView(room.state).airtime).toEqual({ [room.m(0)]: 45_000, [room.m(1)]: 15_000 });
    expect(JSON.stringify(groupView(room.state))).not.toContain('airtime');
    expect(JSON.stringify(memberView(room.state, room.m(0), testAnonymiser))).not.toContain('airtime');
  });
});

describe('the talking stick', () => {
  it.each(table([
    { name: 'forward to the next seat', members: 4, at: 1, direction: 'next', gone: [], expected: 2 },
    { name: 'back to the previous seat', members: 4, at: 1, direction: 'previous', gone: [], expected: 0 },
    { name: 'from the last seat round to the first', members: 4, at: 3, direction: 'next', gone: [], expected: 0 },
    { name: 'from the first seat back round to the last', members: 4, at: 0, direction: 'previous', gone: [], expected: 3 },
    { name: 'forward past someone who has left', members: 4, at: 1, direction: 'next', gone: [2], expected: 3 },
    { name: 'back past two who have left', members: 4, at: 3, direction: 'previous', gone: [1, 2], expected: 0 },
    { name: 'forward past the end and a departed first seat', members: 4, at: 3, direction: 'next', gone: [0], expected: 1 },
  ] as const))('the holder passes the stick %s', (_, { members, at, direction, gone, expected }) => {
    const room = stickRoom(members, at);
    for (const index of gone) room.drop(room.m(index));
    room.tickAt(START + 60_000);
    const before = room.state;
    expectPublished(room.act(room.m(at), 'stick.pass', { direction }), before);
    expect(holder(room)).toBe(room.m(expected));
  });

  it('the stick follows the circle as the facilitator arranged it', () => {
    const room = stickRoom(3, 0);
    room.lead('seats.reorder', { order: [room.facilitator, room.m(0), room.m(2), room.m(1)] });
    room.act(room.m(0), 'stick.pass', { direction: 'next' });
    expect(holder(room)).toBe(room.m(2));
  });

  it('a member who dropped but is within the grace period still gets the stick', () => {
    const room = stickRoom(3, 0);
    room.drop(room.m(1));
    room.act(room.m(0), 'stick.pass', { direction: 'next' });
    expect(holder(room)).toBe(room.m(1));
  });

  it('saying “done” with the stick passes it on to the next seat', () => {
    const room = stickRoom(3, 2);
    room.act(room.m(2), 'turn.done');
    expect(holder(room)).toBe(room.m(0));
  });

  it('saying “done” when nobody else is here puts the stick down', () => {
    const room = stickRoom(2, 0);
    room.drop(room.m(1));
    room.tickAt(START + 60_000);
    room.act(room.m(0), 'turn.done');
    expect(floorOf(room).turn).toBeNull();
  });

  it('the facilitator can move the stick on for the holder', () => {
    const room = stickRoom(3, 0);
    room.lead('stick.pass', { direction: 'next' });
    expect(holder(room)).toBe(room.m(1));
  });

  it('the facilitator hands the stick out to the first member seated when nobody holds it', () => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.lead('stick.pass', { direction: 'next' });
    expect(holder(room)).toBe(room.m(0));
  });

  it('when nobody holds the stick and the first seat has left, the stick goes to the first member still here', () => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.drop(room.m(0));
    room.tickAt(START + 60_000);
    room.lead('stick.pass', { direction: 'next' });
    expect(holder(room)).toBe(room.m(1));
  });

  it.each(table([
    { name: 'a member without the stick passes it: NOT_YOUR_TURN', mode: 'stick', sender: 1, code: 'NOT_YOUR_TURN' },
    { name: 'the holder passes it in open mode: WRONG_FLOOR_MODE', mode: 'open', sender: 0, code: 'WRONG_FLOOR_MODE' },
    { name: 'the holder passes it in queue mode: WRONG_FLOOR_MODE', mode: 'queue', sender: 0, code: 'WRONG_FLOOR_MODE' },
  ] as const))('passing the stick is refused when %s', (_, { mode, sender, code }) => {
    const room = stickRoom(3, 0);
    room.lead('floor.mode', { mode });
    expectRefused(room, room.m(sender), room.command('stick.pass', { direction: 'next' }), code);
  });

  it('nobody can be handed the stick in a room with no members', () => {
    const room = groupRoom();
    room.lead('floor.mode', { mode: 'stick' });
    expectRefused(room, room.facilitator, room.command('stick.pass', { direction: 'next' }), 'NOT_FOUND');
  });
});

describe('rounds and scenes own the floor while they run', () => {
  const floorCommands: { name: string; sender: 'facilitator' | 'holder'; command: (room: TestRoom) => ClientCommand }[] = [
    { name: 'floor.grant', sender: 'facilitator', command: (room) => room.command('floor.grant', { to: room.m(2) }) },
    { name: 'floor.next', sender: 'facilitator', command: (room) => room.command('floor.next', {}) },
    { name: 'floor.release', sender: 'facilitator', command: (room) => room.command('floor.release') },
    { name: 'stick.pass by the facilitator', sender: 'facilitator', command: (room) => room.command('stick.pass', { direction: 'next' }) },
  ];

  it.each(table(floorCommands))('during a round, %s is refused with ROUND_RUNNING', (_, { command }) => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.act(room.m(2), 'hand.raise');
    room.lead('round.start', { round: roundSettings() });
    expectRefused(room, room.facilitator, command(room), 'ROUND_RUNNING');
  });

  it('during a round, the speaker cannot pass the stick out of turn order', () => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.mode', { mode: 'stick' });
    room.lead('round.start', { round: roundSettings() });
    expectRefused(room, room.m(0), room.command('stick.pass', { direction: 'previous' }), 'ROUND_RUNNING');
  });

  it.each(table([...floorCommands, { name: 'turn.done', sender: 'holder', command: (room: TestRoom) => room.command('turn.done') }]))(
    'during a scene, %s is refused with SCENE_RUNNING',
    (_, { sender, command }) => {
      const room = groupRoom({ members: 3 });
      room.lead('floor.mode', { mode: 'stick' });
      room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }] });
      expectRefused(room, sender === 'facilitator' ? room.facilitator : room.m(0), command(room), 'SCENE_RUNNING');
    },
  );

  it('after the round ends, the facilitator steers the floor again', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    room.lead('round.end');
    room.lead('floor.grant', { to: room.m(2) });
    expect(holder(room)).toBe(room.m(2));
  });
});

describe('me too', () => {
  it('each member’s “me too” counts once for the current speaker, and the group sees only the count', () => {
    const room = groupRoom({ members: 4 });
    room.lead('floor.grant', { to: room.m(0) });
    room.act(room.m(1), 'meToo');
    room.act(room.m(2), 'meToo');
    expect(room.act(room.m(1), 'meToo')).toMatchObject({ ok: true, published: false });
    expect(floorOf(room).meToo).toBe(2);
    expect(JSON.stringify(groupView(room.state).floor)).not.toContain(room.m(1));
  });

  it('a new turn starts the count again', () => {
    const room = groupRoom({ members: 3 });
    room.lead('floor.grant', { to: room.m(0) });
    room.act(room.m(1), 'meToo');
    room.lead('floor.grant', { to: room.m(2) });
    expect(floorOf(room).meToo).toBe(0);
    room.act(room.m(1), 'meToo');
    expect(floorOf(room).meToo).toBe(1);
  });

  it.each(table([
    { name: 'nobody is speaking', setup: () => undefined },
    { name: 'the speaker says it about themselves', setup: (room: TestRoom) => room.lead('floor.grant', { to: room.m(0) }) },
  ]))('“me too” is refused with NOT_FOUND when %s', (_, { setup }) => {
    const room = groupRoom({ members: 2 });
    setup(room);
    expectRefused(room, room.m(0), room.command('meToo'), 'NOT_FOUND');
  });
});

describe('member.mute', () => {
  it('the facilitator mutes a member: everyone sees them muted and silenced; unmuting restores them', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'member.mute', { memberId: room.m(0), muted: true }), before);
    expect(groupView(room.state).seats[1]).toMatchObject({ id: room.m(0), muted: true, silenced: 'MUTED_BY_FACILITATOR' });
    room.lead('member.mute', { memberId: room.m(0), muted: false });
    expect(groupView(room.state).seats[1]).toMatchObject({ id: room.m(0), muted: false, silenced: null });
  });

  it('muting someone already muted publishes nothing', () => {
    const room = groupRoom({ members: 2 });
    room.lead('member.mute', { memberId: room.m(0), muted: true });
    expect(room.act(room.facilitator, 'member.mute', { memberId: room.m(0), muted: true })).toMatchObject({ ok: true, published: false });
  });

  it.each(table([
    { name: 'the facilitator', target: (room: TestRoom) => room.facilitator },
    { name: 'someone still waiting', target: (room: TestRoom) => room.waiting[0]! },
    { name: 'nobody by that id', target: () => 'member-unknown' },
  ]))('muting %s is refused with NOT_FOUND', (_, { target }) => {
    const room = groupRoom({ members: 1, waiting: 1 });
    expectRefused(room, room.facilitator, room.command('member.mute', { memberId: target(room), muted: true }), 'NOT_FOUND');
  });
});

describe('short time boxes', () => {
  it.each(table([
    { name: 'a turn given by name', start: (room: TestRoom) => room.lead('floor.grant', { to: room.m(0), timeBoxSeconds: 30 }) },
    { name: 'the next raised hand', start: (room: TestRoom) => { room.must(room.act(room.m(0), 'hand.raise')); room.lead('floor.next', { timeBoxSeconds: 30 }); } },
    { name: 'a round’s turns', start: (room: TestRoom) => room.lead('round.start', { round: roundSettings({ timeBoxSeconds: 30 }) }) },
  ]))('30 seconds for %s: a countdown with no warning, and the turn ends exactly at 30 s', (_, { start }) => {
    const room = groupRoom({ members: 2 });
    start(room);
    expect(floorOf(room).turn).toMatchObject({ holder: room.m(0), endsAt: START + 30_000, warnAt: null });
    room.tickAt(START + 29_999);
    expect(holder(room)).toBe(room.m(0));
    room.tickAt(START + 30_000);
    expect(holder(room)).not.toBe(room.m(0));
  });

  it.each(table([
    { name: 'shorter than the least time box', seconds: limits.timeBoxMinSeconds - 1 },
    { name: 'zero', seconds: 0 },
    { name: 'negative', seconds: -30 },
    { name: 'a fraction of a second', seconds: 30.5 },
    { name: 'longer than an hour', seconds: limits.timeBoxSeconds + 1 },
  ]))('a time box %s is refused at the edge', (_, { seconds }) => {
    for (const command of [
      { id: 'command-1', type: 'floor.grant', to: 'member-1', timeBoxSeconds: seconds },
      { id: 'command-1', type: 'floor.next', timeBoxSeconds: seconds },
      { id: 'command-1', type: 'round.start', round: { prompt: 'How are you?', timeBoxSeconds: seconds } },
    ]) expect(clientCommandSchema.safeParse(command).success).toBe(false);
  });

  it('the least time box the model takes is at most the 30 s the panel offers', () => {
    expect(limits.timeBoxMinSeconds).toBeLessThanOrEqual(30);
    expect(clientCommandSchema.safeParse({ id: 'command-1', type: 'floor.next', timeBoxSeconds: limits.timeBoxMinSeconds }).success).toBe(true);
  });
});
