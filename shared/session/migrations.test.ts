import { describe, expect, it } from 'vitest';
import { migrateRoom, STATE_SCHEMA, StateTooNew } from './migrations.js';
import { TestRoom } from './fixtures.test-support.js';

/** A live room as the previous release stored it: the same JSON, without a schema. */
function storedByPreviousRelease(): Record<string, unknown> {
  const room = new TestRoom({ members: 4 });
  room.lead('round.start', { round: { prompt: 'How are you arriving?', order: 'seats', moodScale: true } });
  const { schema: _schema, ...stored } = JSON.parse(JSON.stringify(room.state)) as Record<string, unknown>;
  return stored;
}

describe('room state migrations', () => {
  it('brings a room of the previous release (no schema) up to this schema with every field intact', () => {
    const stored = storedByPreviousRelease();
    const migrated = migrateRoom(structuredClone(stored));
    expect(migrated.schema).toBe(STATE_SCHEMA);
    const { schema: _schema, ...rest } = migrated;
    expect(rest).toEqual(stored);
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
    expect(() => migrateRoom({ ...storedByPreviousRelease(), schema })).toThrow(error);
  });
});
