import { describe, expect, it } from 'vitest';
import type { ClientCommand, CommandOf } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/errors.js';
import { expectPublished, expectRefused, groupRoom, roundSettings, START, table, type TestRoom } from './fixtures.test-support.js';
import { facilitatorView, groupView } from './projection.js';

type Cast = CommandOf<'scene.start'>['cast'];

/** m0 plays herself, m1 her mother, m2 her double; m3 and m4 watch. */
const kitchenScene = (room: TestRoom, durationSeconds?: number): CommandOf<'scene.start'> =>
  room.command('scene.start', {
    title: 'At the kitchen table',
    setting: 'Sunday dinner, age twelve',
    cast: [
      { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
      { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
      { role: 'Inner voice', kind: 'double', memberId: room.m(2) },
    ],
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
  });

const staged = (durationSeconds?: number) => {
  const room = groupRoom({ members: 5 });
  room.must(room.send(room.facilitator, kitchenScene(room, durationSeconds)));
  return room;
};

const sceneOf = (room: TestRoom) => groupView(room.state).scene;

describe('starting a scene', () => {
  it('everyone sees the scene, its cast and its timer; nobody holds the floor alone', () => {
    const room = groupRoom({ members: 5 });
    room.lead('floor.grant', { to: room.m(3) });
    room.after(10_000);
    const before = room.state;
    expectPublished(room.send(room.facilitator, kitchenScene(room, 600)), before);
    expect(sceneOf(room)).toMatchObject({
      title: 'At the kitchen table',
      setting: 'Sunday dinner, age twelve',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
        { role: 'Inner voice', kind: 'double', memberId: room.m(2) },
      ],
      startedAt: START + 10_000,
      endsAt: START + 610_000,
      frozenAt: null,
    });
    expect(groupView(room.state).floor.turn).toBeNull();
    expect(facilitatorView(room.state).airtime).toEqual({ [room.m(3)]: 10_000 });
  });

  it('a scene without a duration has no timer and no setting unless given', () => {
    const room = groupRoom({ members: 2 });
    room.lead('scene.start', { title: 'The empty chair', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }] });
    expect(sceneOf(room)).toMatchObject({ setting: null, endsAt: null });
  });

  it('a member who dropped a moment ago can still be cast', () => {
    const room = groupRoom({ members: 2 });
    room.drop(room.m(0));
    room.lead('scene.start', { title: 'The empty chair', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }] });
    expect(sceneOf(room)?.cast[0]?.memberId).toBe(room.m(0));
  });

  it.each(table<{ name: string; code: ErrorCode; cast: (room: TestRoom) => Cast }>([
    {
      name: 'two protagonists: INVALID',
      code: 'INVALID',
      cast: (room) => [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Also me', kind: 'protagonist', memberId: room.m(1) },
      ],
    },
    { name: 'no protagonist: INVALID', code: 'INVALID', cast: (room) => [{ role: 'Mother', kind: 'antagonist', memberId: room.m(0) }] },
    {
      name: 'one member in two roles: INVALID',
      code: 'INVALID',
      cast: (room) => [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Mother', kind: 'antagonist', memberId: room.m(0) },
      ],
    },
    { name: 'the facilitator cast in a role: NOT_FOUND', code: 'NOT_FOUND', cast: (room) => [{ role: 'Me', kind: 'protagonist', memberId: room.facilitator }] },
    { name: 'someone still waiting: NOT_FOUND', code: 'NOT_FOUND', cast: (room) => [{ role: 'Me', kind: 'protagonist', memberId: room.waiting[0]! }] },
    { name: 'nobody by that id: NOT_FOUND', code: 'NOT_FOUND', cast: () => [{ role: 'Me', kind: 'protagonist', memberId: 'member-unknown' }] },
    {
      name: 'a member who has left: NOT_FOUND',
      code: 'NOT_FOUND',
      cast: (room) => {
        room.drop(room.m(1));
        room.tickAt(START + 60_000);
        return [
          { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
          { role: 'Mother', kind: 'antagonist', memberId: room.m(1) },
        ];
      },
    },
  ]))('a scene is refused with %s', (_, { cast, code }) => {
    const room = groupRoom({ members: 3, waiting: 1 });
    const command = room.command('scene.start', { title: 'Scene', cast: cast(room) });
    expectRefused(room, room.facilitator, command, code);
  });

  it.each(table([
    { name: 'another scene is running: SCENE_RUNNING', code: 'SCENE_RUNNING', setup: (room: TestRoom) => room.must(room.send(room.facilitator, kitchenScene(room))) },
    { name: 'a round is running: ROUND_RUNNING', code: 'ROUND_RUNNING', setup: (room: TestRoom) => room.lead('round.start', { round: roundSettings() }) },
  ] as const))('starting a scene is refused when %s', (_, { setup, code }) => {
    const room = groupRoom({ members: 5 });
    setup(room);
    expectRefused(room, room.facilitator, kitchenScene(room), code);
  });
});

describe('role reversal', () => {
  it('two roles swap players; everything else about the scene stays', () => {
    const room = staged();
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'scene.reverse', { roleA: 0, roleB: 1 }), before);
    expect(sceneOf(room)?.cast).toEqual([
      { role: 'Me', kind: 'protagonist', memberId: room.m(1) },
      { role: 'Mother', kind: 'antagonist', memberId: room.m(0) },
      { role: 'Inner voice', kind: 'double', memberId: room.m(2) },
    ]);
  });

  it('a frozen scene can be reversed', () => {
    const room = staged();
    room.lead('scene.freeze');
    room.lead('scene.reverse', { roleA: 2, roleB: 0 });
    expect(sceneOf(room)?.cast.map((part) => part.memberId)).toEqual([room.m(2), room.m(1), room.m(0)]);
  });

  it.each(table([
    { name: 'the same role twice', roleA: 1, roleB: 1 },
    { name: 'a role the cast does not have', roleA: 0, roleB: 3 },
  ]))('reversing %s is refused as INVALID', (_, { roleA, roleB }) => {
    const room = staged();
    expectRefused(room, room.facilitator, room.command('scene.reverse', { roleA, roleB }), 'INVALID');
  });
});

describe('freezing and resuming', () => {
  it('freezing stops the clock: on resume the end moves later by exactly the time spent frozen', () => {
    const room = staged(300);
    room.after(60_000);
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'scene.freeze'), before);
    expect(sceneOf(room)).toMatchObject({ frozenAt: START + 60_000, endsAt: START + 300_000 });
    room.after(45_000).lead('scene.resume');
    expect(sceneOf(room)).toMatchObject({ frozenAt: null, endsAt: START + 345_000 });
  });

  it('a frozen scene does not end when its timer would have; after resuming it ends at the moved time', () => {
    const room = staged(300);
    room.after(60_000).lead('scene.freeze');
    expect(room.tickAt(START + 300_000)).toMatchObject({ stored: false });
    expect(sceneOf(room)).not.toBeNull();
    room.now = START + 400_000;
    room.lead('scene.resume');
    room.tickAt(START + 639_999);
    expect(sceneOf(room)).not.toBeNull();
    room.tickAt(START + 640_000);
    expect(sceneOf(room)).toBeNull();
  });

  it('a scene without a timer stays without one after a freeze', () => {
    const room = staged();
    room.lead('scene.freeze');
    room.after(30_000).lead('scene.resume');
    expect(sceneOf(room)).toMatchObject({ endsAt: null, frozenAt: null });
  });

  it('resuming a scene that is not frozen publishes nothing', () => {
    const room = staged(300);
    expect(room.act(room.facilitator, 'scene.resume')).toMatchObject({ ok: true, published: false });
  });

  it('freezing a frozen scene is refused with SCENE_FROZEN', () => {
    const room = staged();
    room.lead('scene.freeze');
    expectRefused(room, room.facilitator, room.command('scene.freeze'), 'SCENE_FROZEN');
  });
});

describe('ending a scene', () => {
  it('the timer runs out: a tick ends the scene', () => {
    const room = staged(120);
    expect(room.tickAt(START + 119_999)).toMatchObject({ stored: false });
    const before = room.state;
    expectPublished(room.tickAt(START + 120_000), before);
    expect(sceneOf(room)).toBeNull();
    expect(groupView(room.state).round).toBeNull();
  });

  it('the facilitator ends the scene without a sharing round', () => {
    const room = staged();
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'scene.end', {}), before);
    expect(sceneOf(room)).toBeNull();
    expect(groupView(room.state).round).toBeNull();
  });

  it('ending with a sharing round goes round the audience only, in seat order, starting at once', () => {
    const room = staged();
    room.lead('scene.end', { sharing: { prompt: 'What did the scene stir in you?', moodScale: false, timeBoxSeconds: 90 } });
    expect(sceneOf(room)).toBeNull();
    expect(groupView(room.state).round).toMatchObject({
      purpose: 'sharing',
      prompt: 'What did the scene stir in you?',
      order: 'seats',
      speakers: [room.m(3), room.m(4)],
      current: room.m(3),
    });
    expect(groupView(room.state).floor.turn).toMatchObject({ holder: room.m(3), endsAt: START + 90_000 });
  });

  it('an audience member who has left is not in the sharing round', () => {
    const room = staged();
    room.drop(room.m(3));
    room.tickAt(START + 60_000);
    room.lead('scene.end', { sharing: { prompt: 'What did the scene stir in you?', moodScale: false } });
    expect(groupView(room.state).round?.speakers).toEqual([room.m(4)]);
  });

  it('ending with a sharing round when nobody was watching is refused with TOO_FEW_MEMBERS, and the scene goes on', () => {
    const room = groupRoom({ members: 2 });
    room.lead('scene.start', {
      title: 'Two chairs',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: room.m(0) },
        { role: 'Sister', kind: 'other', memberId: room.m(1) },
      ],
    });
    const command = room.command('scene.end', { sharing: { prompt: 'What did you notice?', moodScale: false } });
    expectRefused(room, room.facilitator, command, 'TOO_FEW_MEMBERS');
    expect(sceneOf(room)).not.toBeNull();
  });

  it('after a scene ends the facilitator steers the floor again', () => {
    const room = staged();
    room.lead('scene.end', {});
    room.lead('floor.grant', { to: room.m(3) });
    expect(groupView(room.state).floor.turn?.holder).toBe(room.m(3));
  });
});

describe('scene commands with no scene', () => {
  it.each(table<{ name: string; command: (room: TestRoom) => ClientCommand }>([
    { name: 'scene.reverse', command: (room) => room.command('scene.reverse', { roleA: 0, roleB: 1 }) },
    { name: 'scene.freeze', command: (room) => room.command('scene.freeze') },
    { name: 'scene.resume', command: (room) => room.command('scene.resume') },
    { name: 'scene.end', command: (room) => room.command('scene.end', {}) },
  ]))('%s is refused with NO_SCENE', (_, { command }) => {
    const room = groupRoom({ members: 3 });
    expectRefused(room, room.facilitator, command(room), 'NO_SCENE');
  });

  it('a scene that ended by its timer cannot be frozen afterwards', () => {
    const room = staged(60);
    room.tickAt(START + 60_000);
    expectRefused(room, room.facilitator, room.command('scene.freeze'), 'NO_SCENE');
  });
});
