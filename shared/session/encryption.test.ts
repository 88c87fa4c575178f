import { describe, expect, it } from 'vitest';
import { expectRefused, groupRoom } from './fixtures.test-support.js';
import { migrateRoom, STATE_SCHEMA } from './migrations.js';
import { groupView } from './projection.js';
import type { RoomState } from './state.js';

describe('end-to-end encrypted media, a room setting', () => {
  it('is on in a new room, and the group view says so', () => {
    const room = groupRoom({ members: 2 });
    expect(room.state.settings.mediaEncryption).toBe(true);
    expect(groupView(room.state).mediaEncryption).toBe(true);
  });

  it('the facilitator turns it off and on; everyone sees the change', () => {
    const room = groupRoom({ members: 2 });
    expect(room.act(room.facilitator, 'encryption.set', { on: false })).toMatchObject({ ok: true, published: true });
    expect(groupView(room.state).mediaEncryption).toBe(false);
    expect(room.act(room.facilitator, 'encryption.set', { on: false })).toMatchObject({ ok: true, published: false });
    room.lead('encryption.set', { on: true });
    expect(groupView(room.state).mediaEncryption).toBe(true);
  });

  it('a member cannot change it', () => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.m(0), { id: room.nextCommandId(), type: 'encryption.set', on: false }, 'FORBIDDEN');
  });

  it('a room stored before the setting existed keeps its media as it was: unencrypted', () => {
    const room = groupRoom({ members: 2 });
    const { mediaEncryption: _on, ...settings } = room.state.settings;
    const { facilitatorIds, problemSolving: _none, ...schema3 } = JSON.parse(JSON.stringify(room.state)) as RoomState;
    const migrated = migrateRoom(JSON.parse(JSON.stringify({ ...schema3, schema: 3, settings, facilitatorId: facilitatorIds[0] })));
    expect(migrated.schema).toBe(STATE_SCHEMA);
    expect(migrated.settings.mediaEncryption).toBe(false);
    expect({ ...migrated, settings: null }).toEqual({ ...room.state, settings: null });
  });
});
