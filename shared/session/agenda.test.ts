import { describe, expect, it } from 'vitest';
import { expectPublished, expectRefused, groupRoom, table } from './fixtures.test-support.js';
import { groupView } from './projection.js';

describe('the agenda', () => {
  it('a new room shows the default session plan, starting at arrival with an open floor', () => {
    const view = groupView(groupRoom().state);
    expect(view.agenda.phases.map((phase) => phase.name)).toEqual(['Arrival', 'Check-in', 'Work', 'Role-play', 'Feedback', 'Check-out']);
    expect(view.agenda.current).toBe(0);
    expect(view.floor.mode).toBe('open');
  });

  it.each(table([
    { name: 'Arrival opens the floor', index: 0, mode: 'open' },
    { name: 'Check-in hands out the talking stick', index: 1, mode: 'stick' },
    { name: 'Work opens a queue of raised hands', index: 2, mode: 'queue' },
    { name: 'Role-play keeps a queue', index: 3, mode: 'queue' },
    { name: 'Feedback keeps a queue', index: 4, mode: 'queue' },
    { name: 'Check-out hands out the talking stick', index: 5, mode: 'stick' },
  ]))('moving to %s and shows the phase as current', (_, { index, mode }) => {
    const room = groupRoom({ members: 2 });
    room.lead('floor.mode', { mode: index === 0 ? 'stick' : 'open' });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'phase.go', { index }), before);
    const view = groupView(room.state);
    expect(view.agenda.current).toBe(index);
    expect(view.floor.mode).toBe(mode);
  });

  it('a phase without a floor mode leaves the floor as it is', () => {
    const room = groupRoom({ members: 2 });
    room.lead('agenda.set', { phases: [{ name: 'Arrival', floorMode: 'open' }, { name: 'Open work' }] });
    room.lead('floor.mode', { mode: 'queue' });
    room.lead('phase.go', { index: 1 });
    expect(groupView(room.state).floor.mode).toBe('queue');
  });

  it('moving to a phase the agenda does not have is refused with NOT_FOUND', () => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.facilitator, room.command('phase.go', { index: 6 }), 'NOT_FOUND');
  });

  it('a new agenda replaces the plan and keeps the current phase when it still exists', () => {
    const room = groupRoom();
    room.lead('phase.go', { index: 1 });
    const phases = [{ name: 'Arrival' }, { name: 'Check-in', floorMode: 'stick' as const }, { name: 'Closing', floorMode: 'open' as const }];
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'agenda.set', { phases }), before);
    expect(groupView(room.state).agenda).toEqual({ phases, current: 1 });
  });

  it('a shorter agenda moves the current phase to its last one', () => {
    const room = groupRoom();
    room.lead('phase.go', { index: 5 });
    room.lead('agenda.set', { phases: [{ name: 'Arrival' }, { name: 'Work' }] });
    expect(groupView(room.state).agenda.current).toBe(1);
  });
});
