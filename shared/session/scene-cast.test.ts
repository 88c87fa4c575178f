import { describe, expect, it } from 'vitest';
import type { ClientCommand } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/errors.js';
import { expectPublished, expectRefused, groupRoom, START, table, type TestRoom } from './fixtures.test-support.js';
import { groupView } from './projection.js';
import { mayBeHeard } from './speech.js';

/** m0 plays herself, m1 her mother; m2, m3 and m4 watch. */
const staged = (members = 5) => {
  const room = groupRoom({ members });
  room.lead('scene.start', {
    title: 'At the kitchen table',
    cast: [
      { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
      { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
    ],
  });
  return room;
};

const castOf = (room: TestRoom) => groupView(room.state).scene?.cast;
const heard = (room: TestRoom, id: string) => mayBeHeard(room.state, id).allowed;

describe('a double steps in behind a cast member mid-scene', () => {
  it('the double joins the cast behind the part, takes its role name, and is heard like the cast', () => {
    const room = staged();
    expect(heard(room, room.m(2))).toBe(false);
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'scene.double', { part: 0, memberId: room.m(2) }), before);
    expect(castOf(room)).toEqual([
      { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
      { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
      { role: 'Me', kind: 'double', memberId: room.m(2), behind: 0 },
    ]);
    expect(heard(room, room.m(2))).toBe(true);
    expect(mayBeHeard(room.state, room.m(3))).toEqual({ allowed: false, reason: 'AUDIENCE' });
  });

  it('a frozen scene takes a double too, and each part may have its own', () => {
    const room = staged();
    room.lead('scene.freeze');
    room.lead('scene.double', { part: 0, memberId: room.m(2) });
    room.lead('scene.double', { part: 1, memberId: room.m(3) });
    expect(castOf(room)?.map((part) => [part.kind, part.behind])).toEqual([
      ['protagonist', undefined],
      ['antagonist', undefined],
      ['double', 0],
      ['double', 1],
    ]);
  });

  it.each(table<{ name: string; code: ErrorCode; command: (room: TestRoom) => ClientCommand }>([
    { name: 'a part the cast does not have: INVALID', code: 'INVALID', command: (room) => room.command('scene.double', { part: 5, memberId: room.m(2) }) },
    { name: 'someone already on stage: INVALID', code: 'INVALID', command: (room) => room.command('scene.double', { part: 0, memberId: room.m(1) }) },
    { name: 'the facilitator: NOT_FOUND', code: 'NOT_FOUND', command: (room) => room.command('scene.double', { part: 0, memberId: room.facilitator }) },
    { name: 'nobody by that id: NOT_FOUND', code: 'NOT_FOUND', command: (room) => room.command('scene.double', { part: 0, memberId: 'member-unknown' }) },
    {
      name: 'a double behind a double: INVALID',
      code: 'INVALID',
      command: (room) => {
        room.lead('scene.double', { part: 0, memberId: room.m(2) });
        return room.command('scene.double', { part: 2, memberId: room.m(3) });
      },
    },
  ]))('doubling is refused for %s', (_, { command, code }) => {
    const room = staged();
    expectRefused(room, room.facilitator, command(room), code);
  });

  it('a full cast takes no double', () => {
    const room = groupRoom({ members: 10 });
    room.lead('scene.start', {
      title: 'A crowded room',
      cast: Array.from({ length: 8 }, (_, i) => ({ role: `Role ${i}`, kind: i === 0 ? ('protagonist' as const) : ('other' as const), memberId: room.m(i) })),
    });
    expectRefused(room, room.facilitator, room.command('scene.double', { part: 0, memberId: room.m(8) }), 'INVALID');
  });
});

describe('a cast member is swapped for someone from the audience', () => {
  it('the newcomer takes the part and is heard; the one who stepped out joins the audience and is silenced', () => {
    const room = staged();
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'scene.swap', { part: 1, memberId: room.m(3) }), before);
    expect(castOf(room)?.[1]).toEqual({ role: 'Mother', kind: 'antagonist', memberId: room.m(3) });
    expect(heard(room, room.m(3))).toBe(true);
    expect(mayBeHeard(room.state, room.m(1))).toEqual({ allowed: false, reason: 'AUDIENCE' });
  });

  it('a double stays behind the part when its player is swapped', () => {
    const room = staged();
    room.lead('scene.double', { part: 0, memberId: room.m(2) });
    room.lead('scene.swap', { part: 0, memberId: room.m(4) });
    expect(castOf(room)?.map((part) => part.memberId)).toEqual([room.m(4), room.m(1), room.m(2)]);
    expect(castOf(room)?.[2]?.behind).toBe(0);
  });

  it.each(table<{ name: string; code: ErrorCode; command: (room: TestRoom) => ClientCommand }>([
    { name: 'someone already on stage: INVALID', code: 'INVALID', command: (room) => room.command('scene.swap', { part: 1, memberId: room.m(0) }) },
    { name: 'a part the cast does not have: INVALID', code: 'INVALID', command: (room) => room.command('scene.swap', { part: 4, memberId: room.m(3) }) },
    { name: 'someone still waiting: NOT_FOUND', code: 'NOT_FOUND', command: (room) => room.command('scene.swap', { part: 1, memberId: room.waiting[0]! }) },
    {
      name: 'a member who has left: NOT_FOUND',
      code: 'NOT_FOUND',
      command: (room) => {
        room.drop(room.m(3));
        room.tickAt(START + 60_000);
        return room.command('scene.swap', { part: 1, memberId: room.m(3) });
      },
    },
  ]))('a swap is refused for %s', (_, { command, code }) => {
    const room = groupRoom({ members: 5, waiting: 1 });
    room.lead('scene.start', {
      title: 'At the kitchen table',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
      ],
    });
    expectRefused(room, room.facilitator, command(room), code);
  });
});

describe('a double steps out', () => {
  it('the double leaves the stage and is silenced again; the doubles after it still point at their parts', () => {
    const room = staged();
    room.lead('scene.double', { part: 0, memberId: room.m(2) });
    room.lead('scene.double', { part: 1, memberId: room.m(3) });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'scene.undouble', { part: 2 }), before);
    expect(castOf(room)).toEqual([
      { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
      { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
      { role: 'Mother', kind: 'double', memberId: room.m(3), behind: 1 },
    ]);
    expect(mayBeHeard(room.state, room.m(2))).toEqual({ allowed: false, reason: 'AUDIENCE' });
  });

  it('a double cast when the scene started can step out too', () => {
    const room = groupRoom({ members: 3 });
    room.lead('scene.start', {
      title: 'Inner voice',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Inner voice', kind: 'double', memberId: room.m(1) },
      ],
    });
    room.lead('scene.undouble', { part: 1 });
    expect(castOf(room)).toEqual([{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }]);
  });

  it.each(table([
    { name: 'the protagonist', part: 0 },
    { name: 'the antagonist', part: 1 },
    { name: 'a part the cast does not have', part: 6 },
  ]))('ending a double is refused as INVALID for %s', (_, { part }) => {
    const room = staged();
    expectRefused(room, room.facilitator, room.command('scene.undouble', { part }), 'INVALID');
  });
});

describe('a player leaves mid-scene', () => {
  it('the doubles after their part still stand behind the right parts', () => {
    const room = groupRoom({ members: 5 });
    room.lead('scene.start', {
      title: 'At the kitchen table',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
        { role: 'Sister', kind: 'other', memberId: room.m(4) },
      ],
    });
    room.lead('scene.double', { part: 2, memberId: room.m(2) });
    room.lead('remove', { memberId: room.m(1) });
    expect(castOf(room)).toEqual([
      { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
      { role: 'Sister', kind: 'other', memberId: room.m(4) },
      { role: 'Sister', kind: 'double', memberId: room.m(2), behind: 1 },
    ]);
  });

  it('a double whose part is left empty stays on stage as a plain double', () => {
    const room = staged();
    room.lead('scene.double', { part: 1, memberId: room.m(2) });
    room.lead('remove', { memberId: room.m(1) });
    expect(castOf(room)).toEqual([
      { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
      { role: 'Mother', kind: 'double', memberId: room.m(2) },
    ]);
  });
});

describe('cast changes and the rest of the room', () => {
  it.each(table<{ name: string; command: (room: TestRoom) => ClientCommand }>([
    { name: 'scene.double', command: (room) => room.command('scene.double', { part: 0, memberId: room.m(1) }) },
    { name: 'scene.swap', command: (room) => room.command('scene.swap', { part: 0, memberId: room.m(1) }) },
    { name: 'scene.undouble', command: (room) => room.command('scene.undouble', { part: 0 }) },
  ]))('%s without a scene is refused with NO_SCENE', (_, { command }) => {
    const room = groupRoom({ members: 3 });
    expectRefused(room, room.facilitator, command(room), 'NO_SCENE');
  });

  it('only the facilitator changes the cast', () => {
    const room = staged();
    expectRefused(room, room.m(0), room.command('scene.double', { part: 0, memberId: room.m(2) }), 'FORBIDDEN');
  });

  it('the audience cannot raise a hand while a scene runs (the button is hidden), and can again after', () => {
    const room = staged();
    expectRefused(room, room.m(3), room.command('hand.raise'), 'SCENE_RUNNING');
    room.lead('scene.end', {});
    room.act(room.m(3), 'hand.raise');
    expect(groupView(room.state).floor.queue).toEqual([room.m(3)]);
  });

  it('the sharing round after the scene leaves out everyone who was on stage at its end, doubles included', () => {
    const room = staged();
    room.lead('scene.double', { part: 0, memberId: room.m(2) });
    room.lead('scene.swap', { part: 1, memberId: room.m(3) });
    room.lead('scene.end', { sharing: { prompt: 'What did the scene stir in you?', moodScale: false } });
    expect(groupView(room.state).round?.speakers).toEqual([room.m(1), room.m(4)]);
  });
});
