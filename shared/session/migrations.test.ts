import { describe, expect, it } from 'vitest';
import { migrateRoom, STATE_SCHEMA, StateTooNew } from './migrations.js';
import { roundSettings, TestRoom } from './fixtures.test-support.js';
import type { RoomState } from './state.js';

/** A live room as the previous release stored it: no schema, and prompts without who may answer. */
function storedByPreviousRelease(): { stored: Record<string, unknown>; room: TestRoom } {
  const room = new TestRoom({ members: 4 });
  room.lead('round.start', { round: { prompt: 'How are you arriving?', order: 'seats', moodScale: true } });
  room.lead('round.end');
  room.lead('feedback.open', { question: 'What stayed with you?', answer: 'text', audience: 'group', k: 3, about: { memberId: room.m(3) } });
  const { schema: _schema, feedback, facilitatorIds, ...rest } = JSON.parse(JSON.stringify(room.state)) as RoomState;
  const { eligible: _eligible, open, ...feedbackRest } = feedback;
  const { eligibleCount: _count, ...openRest } = open!;
  return { stored: { ...rest, facilitatorId: facilitatorIds[0], feedback: { ...feedbackRest, open: openRest } }, room };
}

describe('room state migrations', () => {
  it('brings a room of the previous release (no schema) up to this schema with every field intact', () => {
    const { stored, room } = storedByPreviousRelease();
    const migrated = migrateRoom(structuredClone(stored));
    expect(migrated.schema).toBe(STATE_SCHEMA);
    // Rooms stored before encrypted media keep their media unencrypted (see encryption.test.ts).
    expect({ ...migrated, feedback: null }).toEqual({ ...room.state, settings: { ...room.state.settings, mediaEncryption: false }, feedback: null });
    // The open prompt keeps the rule it was opened under: every admitted member but its subject may answer.
    expect(migrated.feedback).toEqual({ ...room.state.feedback, eligible: [room.m(0), room.m(1), room.m(2)], open: { ...room.state.feedback.open!, eligibleCount: 3 } });
  });

  it('gives a schema 3 room an empty problem-solving state, plain media, and its one facilitator as the first lead', () => {
    const room = new TestRoom({ members: 2 }).state;
    const { problemSolving: _none, facilitatorIds: _ids, ...schema3 } = JSON.parse(JSON.stringify(room)) as RoomState;
    const migrated = migrateRoom({ ...schema3, schema: 3, facilitatorId: room.facilitatorIds[0] });
    expect(migrated.problemSolving).toEqual({ current: null, past: [] });
    expect(migrated).toEqual({ ...room, settings: { ...room.settings, mediaEncryption: false } });
    expect(migrated).not.toHaveProperty('facilitatorId');
  });

  it('gives a schema 3 room no screen share and no handout', () => {
    const { screenShare: _share, handout: _handout, facilitatorIds, ...stored } = JSON.parse(JSON.stringify(new TestRoom({ members: 2 }).state)) as RoomState;
    const migrated = migrateRoom({ ...stored, schema: 3, facilitatorId: facilitatorIds[0] });
    expect(migrated.schema).toBe(STATE_SCHEMA);
    expect(migrated).toMatchObject({ screenShare: null, handout: null });
  });

  it('leaves a room of this schema as it is', () => {
    const room = new TestRoom({ members: 2 }).state;
    expect(migrateRoom(JSON.parse(JSON.stringify(room)))).toEqual(room);
  });

  it.each([
    { name: 'a newer release', schema: STATE_SCHEMA + 1, error: StateTooNew },
    { name: 'a schema of zero', schema: 0, error: Error },
    { name: 'a schema that is not a whole number', schema: 1.5, error: Error },
  ])('refuses a room written by $name instead of misreading it', ({ schema, error }) => {
    expect(() => migrateRoom({ ...storedByPreviousRelease().stored, schema })).toThrow(error);
  });
});

describe('stored rooms of schema 3', () => {
  it('get phases with no prompts, and a running round that gives no floor mode back (it never took one)', () => {
    const room = new TestRoom({ members: 2 });
    room.lead('round.start', { round: roundSettings() });
    const { agenda, round, ...rest } = JSON.parse(JSON.stringify(room.state)) as RoomState;
    const { label: _label, restoreMode: _restore, ...oldRound } = round!;
    const stored: Record<string, unknown> = { ...rest, schema: 3, agenda: { ...agenda, phases: agenda.phases.map(({ prompts: _prompts, ...phase }) => phase) }, round: oldRound };
    const migrated = migrateRoom(stored);
    expect(migrated.schema).toBe(STATE_SCHEMA);
    expect(migrated.agenda.phases.every((phase) => Array.isArray(phase.prompts) && phase.prompts.length === 0)).toBe(true);
    expect(migrated.round).toEqual({ ...room.state.round, label: null, restoreMode: null });
    expect(migrateRoom({ ...stored, round: null }).round).toBeNull();
  });
});
