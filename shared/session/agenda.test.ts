import { describe, expect, it } from 'vitest';
import { clientCommandSchema } from '../protocol/commands.js';
import { expectPublished, expectRefused, groupRoom, table, type TestRoom } from './fixtures.test-support.js';
import { groupView } from './projection.js';

const names = (room: TestRoom) => groupView(room.state).agenda.phases.map((phase) => phase.name);
const current = (room: TestRoom) => groupView(room.state).agenda.current;

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
    const phases = [{ name: 'Arrival', prompts: [] }, { name: 'Check-in', floorMode: 'stick' as const, theme: 'Trust', prompts: ['Who do you trust here?'] }, { name: 'Closing', floorMode: 'open' as const, prompts: [] }];
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

describe('editing the agenda', () => {
  it('adds a phase with a floor mode, a theme and prompts at the end; every screen sees it', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    const phase = { name: 'Conflict', floorMode: 'queue' as const, theme: 'Conflict resolution', prompts: ['When did you last disagree openly?', 'What do you do instead?'] };
    expectPublished(room.act(room.facilitator, 'phase.add', { phase }), before);
    expect(groupView(room.state).agenda.phases.at(-1)).toEqual(phase);
    expect(current(room)).toBe(0);
  });

  it('a phase added without prompts has none', () => {
    const room = groupRoom();
    room.lead('phase.add', { phase: { name: 'Quiet minute' } });
    expect(groupView(room.state).agenda.phases.at(-1)).toEqual({ name: 'Quiet minute', prompts: [] });
  });

  it('renames a phase and gives it a theme and prompts; the current phase may be edited, its floor stays until the facilitator moves', () => {
    const room = groupRoom({ members: 2 });
    room.lead('phase.go', { index: 2 });
    const before = room.state;
    const phase = { name: 'Themed work', floorMode: 'open' as const, theme: 'Trust', prompts: ['What makes trust grow?'] };
    expectPublished(room.act(room.facilitator, 'phase.edit', { index: 2, phase }), before);
    expect(groupView(room.state).agenda.phases[2]).toEqual(phase);
    expect(groupView(room.state).floor.mode).toBe('queue');
    room.lead('phase.go', { index: 1 });
    room.lead('phase.go', { index: 2 });
    expect(groupView(room.state).floor.mode).toBe('open');
  });

  it.each(table([
    { name: 'a later phase earlier: the current one stays current', go: 1, move: { index: 4, to: 0 }, order: ['Feedback', 'Arrival', 'Check-in', 'Work', 'Role-play', 'Check-out'], now: 2 },
    { name: 'the current phase itself: it stays current where it lands', go: 1, move: { index: 1, to: 4 }, order: ['Arrival', 'Work', 'Role-play', 'Feedback', 'Check-in', 'Check-out'], now: 4 },
    { name: 'an earlier phase past the current one', go: 2, move: { index: 0, to: 5 }, order: ['Check-in', 'Work', 'Role-play', 'Feedback', 'Check-out', 'Arrival'], now: 1 },
  ]))('reorders %s', (_, { go, move, order, now }) => {
    const room = groupRoom();
    room.lead('phase.go', { index: go });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'phase.move', move), before);
    expect(names(room)).toEqual(order);
    expect(current(room)).toBe(now);
  });

  it.each(table([
    { name: 'a phase before the current one: the current one stays current', go: 3, remove: 0, order: ['Check-in', 'Work', 'Role-play', 'Feedback', 'Check-out'], now: 2 },
    { name: 'a phase after the current one', go: 1, remove: 4, order: ['Arrival', 'Check-in', 'Work', 'Role-play', 'Check-out'], now: 1 },
  ]))('removes %s', (_, { go, remove, order, now }) => {
    const room = groupRoom();
    room.lead('phase.go', { index: go });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'phase.remove', { index: remove }), before);
    expect(names(room)).toEqual(order);
    expect(current(room)).toBe(now);
  });

  it('refuses to remove the phase the session is in (PHASE_CURRENT), so the agenda is never left without one', () => {
    const room = groupRoom();
    room.lead('phase.go', { index: 2 });
    expectRefused(room, room.facilitator, room.command('phase.remove', { index: 2 }), 'PHASE_CURRENT');
    const single = groupRoom();
    single.lead('agenda.set', { phases: [{ name: 'Only', prompts: [] }] });
    expectRefused(single, single.facilitator, single.command('phase.remove', { index: 0 }), 'PHASE_CURRENT');
  });

  it('refuses a thirteenth phase (AGENDA_FULL)', () => {
    const room = groupRoom();
    for (let i = 0; i < 6; i++) room.lead('phase.add', { phase: { name: `Extra ${i + 1}` } });
    expect(names(room)).toHaveLength(12);
    expectRefused(room, room.facilitator, room.command('phase.add', { phase: { name: 'One too many' } }), 'AGENDA_FULL');
  });

  it.each(table([
    { name: 'editing a phase the agenda does not have', type: 'phase.edit', body: { index: 6, phase: { name: 'Ghost' } } },
    { name: 'moving a phase the agenda does not have', type: 'phase.move', body: { index: 6, to: 0 } },
    { name: 'moving a phase past the end', type: 'phase.move', body: { index: 0, to: 6 } },
    { name: 'removing a phase the agenda does not have', type: 'phase.remove', body: { index: 7 } },
  ] as const))('refuses %s with NOT_FOUND', (_, { type, body }) => {
    const room = groupRoom();
    expectRefused(room, room.facilitator, { id: room.nextCommandId(), type, ...body } as never, 'NOT_FOUND');
  });

  it.each(table([
    { name: 'a phase without a name', body: { phase: { name: '   ' } } },
    { name: 'a theme over 200 characters', body: { phase: { name: 'Work', theme: 'x'.repeat(201) } } },
    { name: 'thirteen prompts', body: { phase: { name: 'Work', prompts: Array.from({ length: 13 }, (_, i) => `Prompt ${i}`) } } },
    { name: 'an empty prompt', body: { phase: { name: 'Work', prompts: [' '] } } },
    { name: 'an unknown floor mode', body: { phase: { name: 'Work', floorMode: 'shout' } } },
    { name: 'a field the phase does not have', body: { phase: { name: 'Work', colour: 'red' } } },
  ]))('refuses at the edge %s', (_, { body }) => {
    expect(clientCommandSchema.safeParse({ id: 'command-1', type: 'phase.add', ...body }).success).toBe(false);
  });
});
