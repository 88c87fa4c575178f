import type { RoomState } from '../../shared/session/state.js';

export interface RoomSummary {
  id: string;
  title: string;
  createdAt: number;
  ended: boolean;
}

/**
 * Where room state lives between commands. The in-memory store is the embedded default; a
 * Redis store fills the same interface. Implementations throw StoreUnavailable when they
 * cannot answer, and never half-apply a save.
 */
export interface RoomStore {
  create(state: RoomState): Promise<void>;
  load(roomId: string): Promise<RoomState | null>;
  /** Replace the room if its stored revision is still `expectedRevision`; false if another writer won. */
  save(next: RoomState, expectedRevision: number): Promise<boolean>;
  list(): Promise<RoomSummary[]>;
  /** Forget a room at once (one nobody ever used). */
  delete(roomId: string): Promise<void>;
  /** Resolves when the store answers now (a readiness probe); throws StoreUnavailable when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A store several nodes share (Redis): a save is fenced by the room's lease and throws NotOwner
 * once another node runs the room; a node forgets what it kept of a room it stops running.
 */
export interface LeasedRoomStore extends RoomStore {
  forget(roomId: string): void;
}

export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super('room store unavailable', { cause });
    this.name = 'StoreUnavailable';
  }
}

export const summarise = (state: RoomState): RoomSummary => ({ id: state.id, title: state.title, createdAt: state.createdAt, ended: state.endedAt !== null });

/** The save was refused because this node no longer holds the room's lease: another node runs it now. */
export class NotOwner extends Error {
  constructor(roomId: string) {
    super(`this node no longer runs room ${roomId}`);
    this.name = 'NotOwner';
  }
}

/** The room is not in the store any more (expired, or a Redis that kept nothing came back empty). */
export class RoomGone extends Error {
  constructor(roomId: string) {
    super(`room ${roomId} no longer exists`);
    this.name = 'RoomGone';
  }
}
