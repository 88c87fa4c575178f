import { describe, expect, it } from 'vitest';
import { groupRoom, roundSettings, table, type TestRoom } from './fixtures.test-support.js';
import { groupView } from './projection.js';
import { mayBeHeard } from './speech.js';

/** Who may be heard, seat by seat (facilitator first), as the group view also shows it. */
const silences = (room: TestRoom) => groupView(room.state).seats.map((seat) => seat.silenced);

describe('who may be heard', () => {
  it.each(table<{ name: string; setup: (room: TestRoom) => void; expected: (string | null)[] }>([
    { name: 'open floor: everyone', setup: () => undefined, expected: [null, null, null, null] },
    {
      name: 'queue with a speaker: everyone (only the stick and the stage silence people)',
      setup: (room) => {
        room.lead('floor.mode', { mode: 'queue' });
        room.lead('floor.grant', { to: room.m(1) });
      },
      expected: [null, null, null, null],
    },
    {
      name: 'talking stick: only its holder and the facilitator',
      setup: (room) => {
        room.lead('floor.mode', { mode: 'stick' });
        room.lead('floor.grant', { to: room.m(1) });
      },
      expected: [null, 'NO_STICK', null, 'NO_STICK'],
    },
    {
      name: 'talking stick nobody holds: only the facilitator',
      setup: (room) => room.lead('floor.mode', { mode: 'stick' }),
      expected: [null, 'NO_STICK', 'NO_STICK', 'NO_STICK'],
    },
    {
      name: 'check-in round with the stick: only the current speaker and the facilitator',
      setup: (room) => {
        room.lead('phase.go', { index: 1 });
        room.lead('round.start', { round: roundSettings() });
        room.act(room.m(0), 'turn.done');
      },
      expected: [null, 'NO_STICK', null, 'NO_STICK'],
    },
    {
      name: 'scene: the cast and the facilitator; the audience is silenced, even the one who held the stick',
      setup: (room) => {
        room.lead('floor.mode', { mode: 'stick' });
        room.lead('floor.grant', { to: room.m(2) });
        room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }, { role: 'Father', kind: 'antagonist', memberId: room.m(1) }] });
      },
      expected: [null, null, null, 'AUDIENCE'],
    },
    {
      name: 'frozen scene: still the cast and the facilitator',
      setup: (room) => {
        room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(2) }] });
        room.lead('scene.freeze');
      },
      expected: [null, 'AUDIENCE', 'AUDIENCE', null],
    },
    {
      name: 'muted by the facilitator: silenced even on stage or holding the stick',
      setup: (room) => {
        room.lead('floor.mode', { mode: 'stick' });
        room.lead('floor.grant', { to: room.m(0) });
        room.lead('member.mute', { memberId: room.m(0), muted: true });
        room.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(1) }] });
        room.lead('member.mute', { memberId: room.m(1), muted: true });
      },
      expected: [null, 'MUTED_BY_FACILITATOR', 'MUTED_BY_FACILITATOR', 'AUDIENCE'],
    },
  ]))('%s', (_, { setup, expected }) => {
    const room = groupRoom({ members: 3 });
    setup(room);
    expect(silences(room)).toEqual(expected);
    for (const [index, id] of room.state.seats.entries()) {
      const reason = expected[index];
      expect(mayBeHeard(room.state, id)).toEqual(reason === null ? { allowed: true } : { allowed: false, reason });
    }
  });

  it.each(table<{ name: string; who: (room: TestRoom) => string }>([
    { name: 'someone still waiting', who: (room) => room.waiting[0]! },
    { name: 'someone declined', who: (room) => (room.lead('decline', { memberId: room.waiting[0]! }), room.waiting[0]!) },
    { name: 'a removed member', who: (room) => (room.lead('remove', { memberId: room.m(0) }), room.m(0)) },
    { name: 'someone unknown', who: () => 'member-unknown' },
  ]))('%s cannot be heard: NOT_ADMITTED', (_, { who }) => {
    const room = groupRoom({ members: 2, waiting: 1 });
    const id = who(room);
    expect(mayBeHeard(room.state, id)).toEqual({ allowed: false, reason: 'NOT_ADMITTED' });
  });
});
