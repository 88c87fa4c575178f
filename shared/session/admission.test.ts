import { describe, expect, it } from 'vitest';
import { expectPublished, expectRefused, expectSealed, groupRoom, roundSettings, START, table, type TestRoom } from './fixtures.test-support.js';
import { inviteGeneration } from './admission.js';
import { migrateRoom } from './migrations.js';
import { defaultSettings, nextDeadline } from './room.js';
import { testAnonymiser } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView } from './projection.js';

const seatIds = (room: TestRoom) => groupView(room.state).seats.map((seat) => seat.id);
const waitingIds = (room: TestRoom) => facilitatorView(room.state).waiting.map((person) => person.id);

describe('joining and the waiting room', () => {
  it('a member who opens the invite link waits, is shown to the facilitator, and has no seat yet', () => {
    const room = groupRoom({ members: 1 });
    const before = room.state;
    const outcome = room.system({ type: 'join', memberId: 'member-new', name: 'Ana' });
    expectPublished(outcome, before);
    expect(facilitatorView(room.state).waiting).toEqual([{ id: 'member-new', name: 'Ana', presence: 'away' }]);
    expect(seatIds(room)).not.toContain('member-new');
    expect(memberView(room.state, 'member-new', testAnonymiser).you).toEqual({ id: 'member-new', name: 'Ana', status: 'waiting' });
  });

  it.each(table([
    { name: 'the same person joins twice: INVALID', settings: {}, prepare: (room: TestRoom): string => room.join('Ana'), code: 'INVALID' },
    { name: 'the waiting room is full: WAITING_ROOM_FULL', settings: { maxWaiting: 2 }, prepare: (room: TestRoom): string => (room.join(), room.join(), 'member-new'), code: 'WAITING_ROOM_FULL' },
  ]))('joining is refused when %s', (_, { settings, prepare, code }) => {
    const room = groupRoom({ settings });
    const id = prepare(room);
    const before = room.state;
    expect(room.system({ type: 'join', memberId: id, name: 'Ana' })).toMatchObject({ ok: false, code });
    expect(room.state).toBe(before);
  });

  it('a full group still lets people wait: the cap on members applies when they are admitted', () => {
    const room = groupRoom({ members: 2, settings: { maxMembers: 2 } });
    expect(room.system({ type: 'join', memberId: 'member-new', name: 'Ana' })).toMatchObject({ ok: true });
  });
});

describe('names that could pass for someone else', () => {
  /** The facilitator is Dana; Ana and Lola are seated; Ben waits; Rex was removed. */
  const namedRoom = () => {
    const room = groupRoom();
    room.admitNew('Ana');
    room.admitNew('Lola');
    room.waiting.push(room.join('Ben'));
    const rex = room.admitNew('Rex');
    room.lead('remove', { memberId: rex });
    return room;
  };

  it.each(table([
    { name: 'the facilitator’s exact name', given: 'Dana', code: 'NAME_TAKEN' },
    { name: 'a seated member’s name in other case', given: 'ANA', code: 'NAME_TAKEN' },
    { name: 'a waiting person’s name', given: 'ben', code: 'NAME_TAKEN' },
    { name: 'the facilitator’s name with Cyrillic look-alikes', given: 'D\u0430n\u0430', code: 'NAME_TAKEN' },
    { name: 'a name with a Greek capital Alpha', given: '\u0391na', code: 'NAME_TAKEN' },
    { name: 'a name with an accent added', given: '\u00C1na', code: 'NAME_TAKEN' },
    { name: 'a name in fullwidth letters', given: '\uFF22\uFF45\uFF4E', code: 'NAME_TAKEN' },
    { name: 'a name with digits for letters', given: '1o1a', code: 'NAME_TAKEN' },
    { name: 'a name with a capital I for an l and a zero for an o', given: 'L0IA', code: 'NAME_TAKEN' },
    { name: 'a name with an extra space or dot', given: 'A na.', code: 'NAME_TAKEN' },
    { name: 'a name ending “, facilitator”', given: 'Sam, facilitator', code: 'NAME_NOT_ALLOWED' },
    { name: 'a name ending “(facilitator)”', given: 'Sam (Facilitator)', code: 'NAME_NOT_ALLOWED' },
    { name: 'a look-alike of the word facilitator', given: 'Sam, f\u0430cilit\u0430tor', code: 'NAME_NOT_ALLOWED' },
  ]))('joining as %s is refused', (_, { given, code }) => {
    const room = namedRoom();
    const before = room.state;
    expect(room.system({ type: 'join', memberId: 'member-new', name: given })).toMatchObject({ ok: false, code });
    expect(room.state).toBe(before);
  });

  it.each(table([
    { name: 'a removed member’s name, once they are gone', given: 'Rex' },
    { name: 'a name that merely contains another', given: 'Anabel' },
    { name: 'a different name in another script', given: 'Дмитрий' },
  ]))('joining as %s is accepted', (_, { given }) => {
    const room = namedRoom();
    expect(room.system({ type: 'join', memberId: 'member-new', name: given })).toMatchObject({ ok: true });
  });

  it('a name frees up when its holder is declined', () => {
    const room = namedRoom();
    room.lead('decline', { memberId: room.waiting[0]! });
    expect(room.system({ type: 'join', memberId: 'member-new', name: 'Ben' })).toMatchObject({ ok: true });
  });
});

describe('ghosts in the waiting room', () => {
  /** Someone asks to join (POST /api/join) but no socket of theirs ever opens. */
  const ghost = (room: TestRoom, name: string) => {
    const id = `ghost-${name}`;
    room.must(room.system({ type: 'join', memberId: id, name }));
    return id;
  };
  const waitingNow = (room: TestRoom) => facilitatorView(room.state).waiting.map((person) => [person.name, person.presence]);

  it('the facilitator sees who in the waiting room is actually connected', () => {
    const room = groupRoom({ waiting: 1 });
    ghost(room, 'Ghost');
    expect(waitingNow(room)).toEqual([
      ['Member 1', 'online'],
      ['Ghost', 'away'],
    ]);
  });

  it('a join whose socket never opens leaves the waiting room when its time runs out, and frees its place', () => {
    const room = groupRoom({ settings: { maxWaiting: 2, waitingMs: 120_000 } });
    const id = ghost(room, 'Ghost');
    ghost(room, 'Ghoul');
    expect(room.system({ type: 'join', memberId: 'member-real', name: 'Ana' })).toMatchObject({ ok: false, code: 'WAITING_ROOM_FULL' });
    expect(nextDeadline(room.state)).toBe(START + 120_000);
    room.tickAt(START + 119_999);
    expect(waitingNow(room)).toHaveLength(2);
    const before = room.state;
    expectPublished(room.tickAt(START + 120_000), before);
    expect(waitingNow(room)).toEqual([]);
    expect(room.state.participants[id]).toBeUndefined();
    expect(room.system({ type: 'join', memberId: 'member-real', name: 'Ana' })).toMatchObject({ ok: true });
  });

  it('someone waiting who drops is shown away and leaves the list unless they come back in time', () => {
    const room = groupRoom({ waiting: 2, settings: { waitingMs: 120_000 } });
    const [stays, goes] = room.waiting as [string, string];
    room.now = START + 10_000;
    room.drop(stays);
    room.drop(goes);
    expect(waitingNow(room)).toEqual([
      ['Member 1', 'away'],
      ['Member 2', 'away'],
    ]);
    room.now = START + 100_000;
    room.reconnect(stays);
    room.tickAt(START + 130_000);
    expect(facilitatorView(room.state).waiting).toEqual([{ id: stays, name: 'Member 1', presence: 'online' }]);
  });

  it('someone waiting and connected waits as long as it takes', () => {
    const room = groupRoom({ waiting: 1, settings: { waitingMs: 120_000 } });
    room.tickAt(START + 60 * 60_000);
    expect(waitingIds(room)).toEqual(room.waiting);
    expect(room.act(room.facilitator, 'admit', { memberId: room.waiting[0]! })).toMatchObject({ ok: true });
  });

  it('an expired entry that reconnects later is unknown: its session has to start again from the invite', () => {
    const room = groupRoom({ settings: { waitingMs: 120_000 } });
    const id = ghost(room, 'Ghost');
    room.tickAt(START + 120_000);
    expect(room.reconnect(id)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('rooms stored before the waiting time existed expire ghosts after the default time', () => {
    const room = groupRoom();
    const { waitingMs: _dropped, ...oldSettings } = room.state.settings;
    const { schema: _schema, inviteGeneration: _generation, ...stored } = { ...room.state, settings: oldSettings };
    room.state = migrateRoom(JSON.parse(JSON.stringify(stored)));
    ghost(room, 'Ghost');
    expect(nextDeadline(room.state)).toBe(START + defaultSettings.waitingMs);
  });
});

describe('replacing the invite link', () => {
  it('after the invite is replaced, joining through the old one is refused with INVITE_REPLACED and the new one works', () => {
    const room = groupRoom({ members: 1, waiting: 1 });
    const before = room.state;
    expectSealed(room.system({ type: 'invite.replace' }), before);
    expect(inviteGeneration(room.state)).toBe(1);
    const afterReplace = room.state;
    for (const invite of [undefined, 0]) {
      expect(room.system({ type: 'join', memberId: 'member-new', name: 'Ana', ...(invite === undefined ? {} : { invite }) })).toMatchObject({ ok: false, code: 'INVITE_REPLACED' });
      expect(room.state).toBe(afterReplace);
    }
    expect(room.system({ type: 'join', memberId: 'member-new', name: 'Ana', invite: 1 })).toMatchObject({ ok: true });
  });

  it('people already waiting or seated are not touched by a new invite', () => {
    const room = groupRoom({ members: 1, waiting: 1 });
    room.system({ type: 'invite.replace' });
    expect(waitingIds(room)).toEqual(room.waiting);
    expect(seatIds(room)).toEqual([room.facilitator, room.m(0)]);
    expect(room.act(room.facilitator, 'admit', { memberId: room.waiting[0]! })).toMatchObject({ ok: true });
  });
});

describe('admit', () => {
  it('an admitted member leaves the waiting room and takes the next seat in the circle', () => {
    const room = groupRoom({ members: 2, waiting: 2 });
    const [first, second] = room.waiting as [string, string];
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'admit', { memberId: second }), before);
    expect(seatIds(room)).toEqual([room.facilitator, room.m(0), room.m(1), second]);
    expect(waitingIds(room)).toEqual([first]);
    expect(memberView(room.state, second, testAnonymiser).you.status).toBe('admitted');
  });

  it('admitting someone already in changes nothing', () => {
    const room = groupRoom({ members: 2 });
    const outcome = room.act(room.facilitator, 'admit', { memberId: room.m(0) });
    expect(outcome).toMatchObject({ ok: true, published: false });
    expect(seatIds(room)).toEqual([room.facilitator, room.m(0), room.m(1)]);
  });

  it.each(table([
    { name: 'nobody by that id is here: NOT_FOUND', target: () => 'member-unknown', code: 'NOT_FOUND' },
    { name: 'the id is the facilitator’s own: NOT_FOUND', target: (room: TestRoom) => room.facilitator, code: 'NOT_FOUND' },
    { name: 'the group is full: ROOM_FULL', target: (room: TestRoom) => room.waiting[0]!, code: 'ROOM_FULL' },
    { name: 'they were removed: NOT_FOUND', target: (room: TestRoom) => (room.lead('remove', { memberId: room.m(0) }), room.m(0)), code: 'NOT_FOUND' },
    { name: 'they left: NOT_FOUND', target: (room: TestRoom) => (room.act(room.m(0), 'leave'), room.m(0)), code: 'NOT_FOUND' },
    { name: 'they were declined: NOT_FOUND', target: (room: TestRoom) => (room.lead('decline', { memberId: room.waiting[0]! }), room.waiting[0]!), code: 'NOT_FOUND' },
  ]))('admitting is refused when %s', (_, { target, code }) => {
    const room = groupRoom({ members: 3, waiting: 1, settings: { maxMembers: 3 } });
    expectRefused(room, room.facilitator, room.command('admit', { memberId: target(room) }), code);
  });

  it('once a member is removed their place frees up for someone waiting', () => {
    const room = groupRoom({ members: 2, waiting: 1, settings: { maxMembers: 2 } });
    expect(room.act(room.facilitator, 'admit', { memberId: room.waiting[0]! })).toMatchObject({ ok: false, code: 'ROOM_FULL' });
    room.lead('remove', { memberId: room.m(0) });
    expect(room.act(room.facilitator, 'admit', { memberId: room.waiting[0]! })).toMatchObject({ ok: true });
  });
});

describe('decline', () => {
  it('a declined person leaves the waiting room, never gets a seat, and is told DECLINED afterwards', () => {
    const room = groupRoom({ members: 1, waiting: 1 });
    const person = room.waiting[0]!;
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'decline', { memberId: person }), before);
    expect(waitingIds(room)).toEqual([]);
    expect(seatIds(room)).not.toContain(person);
    expect(room.act(person, 'hand.raise')).toMatchObject({ ok: false, code: 'DECLINED' });
  });

  it.each(table([
    { name: 'an admitted member (remove them instead)', target: (room: TestRoom) => room.m(0) },
    { name: 'someone already declined', target: (room: TestRoom) => (room.lead('decline', { memberId: room.waiting[0]! }), room.waiting[0]!) },
    { name: 'nobody by that id', target: () => 'member-unknown' },
    { name: 'the facilitator', target: (room: TestRoom) => room.facilitator },
  ]))('declining %s is refused with NOT_FOUND', (_, { target }) => {
    const room = groupRoom({ members: 1, waiting: 1 });
    const id = target(room);
    expectRefused(room, room.facilitator, room.command('decline', { memberId: id }), 'NOT_FOUND');
  });
});

describe('remove', () => {
  it('a removed member loses seat, raised hand and floor, and every later command of theirs is refused with REMOVED', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.m(0), 'hand.raise');
    room.act(room.m(1), 'hand.raise');
    room.lead('floor.grant', { to: room.m(2) });
    room.act(room.m(0), 'meToo');

    room.lead('remove', { memberId: room.m(0) });
    expect(seatIds(room)).toEqual([room.facilitator, room.m(1), room.m(2)]);
    expect(groupView(room.state).floor.queue).toEqual([room.m(1)]);
    expect(memberView(room.state, room.m(0), testAnonymiser).you.status).toBe('removed');
    expect(room.act(room.m(0), 'hand.raise')).toMatchObject({ ok: false, code: 'REMOVED' });

    room.after(10_000);
    room.lead('remove', { memberId: room.m(2) });
    expect(groupView(room.state).floor.turn).toBeNull();
    expect(facilitatorView(room.state).airtime[room.m(2)]).toBe(10_000);
  });

  it('removing the member whose turn it is in a round moves the round to the next speaker', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    room.lead('remove', { memberId: room.m(0) });
    const round = groupView(room.state).round!;
    expect(round.current).toBe(room.m(1));
    expect(groupView(room.state).floor.turn?.holder).toBe(room.m(1));
    expect(facilitatorView(room.state).round?.outcomes).toEqual({ [room.m(0)]: 'absent' });
  });

  it('a removed member still to come in a round is skipped when their turn would come', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    room.lead('remove', { memberId: room.m(1) });
    room.act(room.m(0), 'turn.done');
    expect(groupView(room.state).round?.current).toBe(room.m(2));
    expect(facilitatorView(room.state).round?.outcomes).toEqual({ [room.m(0)]: 'spoke', [room.m(1)]: 'absent' });
  });

  it('a removed member loses their role in a running scene', () => {
    const room = groupRoom({ members: 3 });
    room.lead('scene.start', {
      title: 'At the kitchen table',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
      ],
    });
    room.lead('remove', { memberId: room.m(1) });
    expect(groupView(room.state).scene?.cast).toEqual([{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }]);
  });

  it('a removed member’s “I need a moment” alert goes with them', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'moment.need', { tellGroup: false });
    room.lead('remove', { memberId: room.m(0) });
    expect(facilitatorView(room.state).alerts).toEqual([]);
  });

  it.each(table([
    { name: 'nobody by that id', target: () => 'member-unknown' },
    { name: 'the facilitator', target: (room: TestRoom) => room.facilitator },
    { name: 'someone already removed', target: (room: TestRoom) => (room.lead('remove', { memberId: room.m(0) }), room.m(0)) },
  ]))('removing %s is refused with NOT_FOUND', (_, { target }) => {
    const room = groupRoom({ members: 2 });
    const id = target(room);
    expectRefused(room, room.facilitator, room.command('remove', { memberId: id }), 'NOT_FOUND');
  });
});

describe('seats.reorder', () => {
  it('the facilitator can rearrange the circle, and everyone sees the new order', () => {
    const room = groupRoom({ members: 3 });
    const order = [room.m(2), room.facilitator, room.m(0), room.m(1)];
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'seats.reorder', { order }), before);
    expect(seatIds(room)).toEqual(order);
  });

  it.each(table([
    { name: 'someone is left out', order: (room: TestRoom) => [room.facilitator, room.m(0), room.m(1)] },
    { name: 'the facilitator is left out', order: (room: TestRoom) => [room.m(0), room.m(1), room.m(2)] },
    { name: 'someone sits twice', order: (room: TestRoom) => [room.facilitator, room.m(0), room.m(0), room.m(1)] },
    { name: 'someone not in the circle is added', order: (room: TestRoom) => [room.facilitator, room.m(0), room.m(1), room.m(2), room.waiting[0]!] },
    { name: 'someone waiting takes a member’s place', order: (room: TestRoom) => [room.facilitator, room.m(0), room.m(1), room.waiting[0]!] },
    { name: 'the list is empty', order: () => [] },
  ]))('a new order is refused as INVALID when %s', (_, { order }) => {
    const room = groupRoom({ members: 3, waiting: 1 });
    expectRefused(room, room.facilitator, room.command('seats.reorder', { order: order(room) }), 'INVALID');
  });
});

describe('presence: dropping and reconnecting', () => {
  /** m0 holds the floor, m1 and m2 have raised hands. */
  const busyRoom = () => {
    const room = groupRoom({ members: 3 });
    room.act(room.m(1), 'hand.raise');
    room.act(room.m(2), 'hand.raise');
    room.lead('floor.grant', { to: room.m(0) });
    return room;
  };

  it('a dropped member shows as away and keeps seat, floor and queue place during the grace period', () => {
    const room = busyRoom();
    const before = room.state;
    expectPublished(room.drop(room.m(0)), before);
    const afterFirstDrop = room.state;
    expectPublished(room.drop(room.m(1)), afterFirstDrop);
    room.tickAt(START + 59_999);
    const view = groupView(room.state);
    expect(view.seats.find((seat) => seat.id === room.m(0))?.presence).toBe('away');
    expect(view.floor.turn?.holder).toBe(room.m(0));
    expect(view.floor.queue).toEqual([room.m(1), room.m(2)]);
  });

  it('once the grace period passes, a tick takes their floor and queue place but leaves their seat', () => {
    const room = busyRoom();
    room.drop(room.m(0));
    room.drop(room.m(1));
    const before = room.state;
    expectPublished(room.tickAt(START + 60_000), before);
    const view = groupView(room.state);
    expect(view.seats.map((seat) => [seat.id, seat.presence])).toEqual([
      [room.facilitator, 'online'],
      [room.m(0), 'gone'],
      [room.m(1), 'gone'],
      [room.m(2), 'online'],
    ]);
    expect(view.floor.turn).toBeNull();
    expect(view.floor.queue).toEqual([room.m(2)]);
    expect(facilitatorView(room.state).airtime[room.m(0)]).toBe(60_000);
  });

  it('a member who reconnects within the grace period keeps everything, even when the old deadline passes', () => {
    const room = busyRoom();
    room.drop(room.m(0));
    room.drop(room.m(1));
    room.now = START + 30_000;
    const before = room.state;
    expectPublished(room.reconnect(room.m(0)), before);
    room.reconnect(room.m(1));
    room.tickAt(START + 120_000);
    const view = groupView(room.state);
    expect(view.seats.find((seat) => seat.id === room.m(0))?.presence).toBe('online');
    expect(view.floor.turn?.holder).toBe(room.m(0));
    expect(view.floor.queue).toEqual([room.m(1), room.m(2)]);
  });

  it('a member who comes back after the grace period is online again in their seat, without their old places', () => {
    const room = busyRoom();
    room.drop(room.m(1));
    room.tickAt(START + 60_000);
    room.reconnect(room.m(1));
    const view = groupView(room.state);
    expect(view.seats.find((seat) => seat.id === room.m(1))?.presence).toBe('online');
    expect(view.floor.queue).toEqual([room.m(2)]);
  });

  it('when the current speaker of a round is gone for good, the round moves on and counts them absent', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    room.drop(room.m(0));
    room.tickAt(START + 60_000);
    expect(groupView(room.state).round?.current).toBe(room.m(1));
    expect(facilitatorView(room.state).round?.outcomes).toEqual({ [room.m(0)]: 'absent' });
  });

  it.each(table([
    { name: 'a second socket closing does not restart the grace period', steps: (room: TestRoom) => (room.drop(room.m(0)), room.after(30_000), room.drop(room.m(0))) },
    { name: 'a second connection while online changes nothing', steps: (room: TestRoom) => room.reconnect(room.m(0)) },
    { name: 'dropping after already gone changes nothing', steps: (room: TestRoom) => (room.drop(room.m(0)), room.tickAt(START + 60_000), room.drop(room.m(0))) },
  ]))('%s', (_, { steps }) => {
    const room = groupRoom({ members: 2 });
    const outcome = steps(room);
    expect(outcome).toMatchObject({ ok: true, published: false, stored: false });
    if (room.state.participants[room.m(0)]!.presence === 'away') expect(room.state.participants[room.m(0)]!.awayUntil).toBe(START + 60_000);
  });

  it('presence of someone unknown is refused with NOT_FOUND', () => {
    const room = groupRoom({ members: 1 });
    expect(room.drop('member-unknown')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('the grace period follows the room settings', () => {
    const room = groupRoom({ members: 2, settings: { graceMs: 5_000 } });
    room.act(room.m(0), 'hand.raise');
    room.drop(room.m(0));
    room.tickAt(START + 5_000);
    expect(groupView(room.state).floor.queue).toEqual([]);
  });
});

describe('leaving on purpose', () => {
  it('a member who leaves is out for good: queue place, turn and seat go at once, and every later command is refused with LEFT', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.facilitator, 'floor.mode', { mode: 'queue' });
    room.act(room.m(1), 'hand.raise');
    room.act(room.m(0), 'hand.raise');
    room.act(room.facilitator, 'floor.next');
    expect(room.state.floor.turn?.holder).toBe(room.m(1));
    const before = room.state;
    expectPublished(room.act(room.m(1), 'leave'), before);
    expect(memberView(room.state, room.m(1), testAnonymiser).you.status).toBe('left');
    expect(room.state.floor.turn).toBeNull();
    expect(seatIds(room)).toEqual([room.facilitator, room.m(0), room.m(2)]);
    room.act(room.m(0), 'leave');
    expect(room.state.floor.queue).toEqual([]);
    expect(room.act(room.m(0), 'hand.raise')).toMatchObject({ ok: false, code: 'LEFT' });
  });

  it('a member who left is not shown online again when a socket of theirs comes back', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'leave');
    const before = room.state;
    expect(room.reconnect(room.m(0))).toMatchObject({ ok: true, stored: false });
    expect(room.state).toBe(before);
    expect(seatIds(room)).toEqual([room.facilitator, room.m(1)]);
  });

  it('a member who left a role in a running scene leaves the stage', () => {
    const room = groupRoom({ members: 2 });
    room.lead('scene.start', { title: 'At the door', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }, { role: 'Father', kind: 'antagonist', memberId: room.m(1) }] });
    room.act(room.m(1), 'leave');
    expect(groupView(room.state).scene?.cast.map((part) => part.memberId)).toEqual([room.m(0)]);
  });

  it('someone waiting can leave the waiting room, and is no longer on the facilitator’s list', () => {
    const room = groupRoom({ members: 1, waiting: 2 });
    const [first, second] = room.waiting as [string, string];
    const before = room.state;
    expectPublished(room.act(first, 'leave'), before);
    expect(waitingIds(room)).toEqual([second]);
    expect(room.act(room.facilitator, 'admit', { memberId: first })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('the facilitator who leaves keeps their seat and comes back with a new session', () => {
    const room = groupRoom({ members: 1 });
    room.act(room.facilitator, 'leave');
    expect(groupView(room.state).seats.find((seat) => seat.id === room.facilitator)?.presence).toBe('gone');
    room.reconnect(room.facilitator);
    expect(groupView(room.state).seats.find((seat) => seat.id === room.facilitator)?.presence).toBe('online');
  });
});

describe('admitting everyone waiting at once', () => {
  it('lets in everyone the facilitator sees waiting, in the order they came, with one command', () => {
    const room = groupRoom({ members: 1, waiting: 3 });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'admit.all', { memberIds: [...room.waiting].reverse() }), before);
    expect(waitingIds(room)).toEqual([]);
    expect(groupView(room.state).seats.map((seat) => seat.id)).toEqual([room.facilitator, room.m(0), ...room.waiting]);
  });

  it('refuses with WAITING_CHANGED when someone arrived after the facilitator looked, so nobody unseen is let in', () => {
    const room = groupRoom({ waiting: 2 });
    const seen = [...room.waiting];
    room.join('Late Larry');
    expectRefused(room, room.facilitator, room.command('admit.all', { memberIds: seen }), 'WAITING_CHANGED');
  });

  it('refuses with WAITING_CHANGED when someone on the list left meanwhile', () => {
    const room = groupRoom({ waiting: 2 });
    room.must(room.act(room.waiting[1]!, 'leave'));
    expectRefused(room, room.facilitator, room.command('admit.all', { memberIds: [...room.waiting] }), 'WAITING_CHANGED');
  });

  it('refuses with NOT_FOUND when nobody waits', () => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.facilitator, room.command('admit.all', { memberIds: [] }), 'NOT_FOUND');
  });

  it('refuses with ROOM_FULL, letting nobody in, when not all of them fit', () => {
    const room = groupRoom({ members: 2, waiting: 2, settings: { maxMembers: 3 } });
    expectRefused(room, room.facilitator, room.command('admit.all', { memberIds: [...room.waiting] }), 'ROOM_FULL');
  });

  it('is the facilitator’s alone', () => {
    const room = groupRoom({ members: 1, waiting: 1 });
    expectRefused(room, room.m(0), room.command('admit.all', { memberIds: [...room.waiting] }), 'FORBIDDEN');
  });
});
