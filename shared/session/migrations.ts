import type { RoomState } from './state.js';

/**
 * The shape of stored room state this release writes. Bump it with every change to `RoomState`
 * that an older release would misread, and add the step from the previous shape below.
 */
export const STATE_SCHEMA = 2;

/** A stored room as JSON: any schema this release knows, possibly older than its own. */
type StoredRoom = Partial<RoomState> & Record<string, unknown>;

/** Each step turns a room of schema `n` into one of schema `n + 1`; keys are `n`. */
const steps: Record<number, (room: StoredRoom) => StoredRoom> = {
  // Schema 1 (before rooms carried a schema) had the same fields as schema 2.
  1: (room) => ({ ...room, schema: 2 }),
};

/** The stored room was written by a newer release than this one: this node must not run it. */
export class StateTooNew extends Error {
  constructor(
    readonly roomId: string,
    readonly schema: number,
  ) {
    super(`room ${roomId} is stored in schema ${schema}; this release knows up to ${STATE_SCHEMA}`);
    this.name = 'StateTooNew';
  }
}

/** Bring a room read from storage up to this release's schema; a room with no schema is schema 1. */
export function migrateRoom(stored: StoredRoom): RoomState {
  const from = stored.schema ?? 1;
  if (!Number.isInteger(from) || from < 1) throw new Error(`room ${String(stored.id)} has no valid schema (${String(stored.schema)})`);
  if (from > STATE_SCHEMA) throw new StateTooNew(String(stored.id), from);
  let room = stored;
  for (let schema = from; schema < STATE_SCHEMA; schema++) room = steps[schema]!(room);
  return room as RoomState;
}
