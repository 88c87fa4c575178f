import type { RoomState } from '../../shared/session/state.js';
import { summarise, type RoomStore, type RoomSummary } from './room-store.js';

/**
 * One process, no persistence. Room states are immutable values, so they are kept as they are.
 * An ended session is forgotten after `endedRetentionMs`, as Redis expires it.
 */
export class MemoryStore implements RoomStore {
  readonly #rooms = new Map<string, RoomState>();
  readonly #endedRetentionMs: number;
  readonly #expiries = new Set<NodeJS.Timeout>();

  constructor(endedRetentionMs = 30 * 60_000) {
    this.#endedRetentionMs = endedRetentionMs;
  }

  /** The rooms whose session is still running, as they stand. */
  running(): RoomState[] {
    return [...this.#rooms.values()].filter((room) => room.endedAt === null);
  }

  async create(state: RoomState): Promise<void> {
    if (this.#rooms.has(state.id)) throw new Error(`room ${state.id} exists`);
    this.#rooms.set(state.id, state);
  }

  async ping(): Promise<void> {}

  async load(roomId: string): Promise<RoomState | null> {
    return this.#rooms.get(roomId) ?? null;
  }

  async save(next: RoomState, expectedRevision: number): Promise<boolean> {
    const current = this.#rooms.get(next.id);
    if (!current || current.revision !== expectedRevision) return false;
    this.#rooms.set(next.id, next);
    if (next.endedAt !== null && current.endedAt === null) {
      const expiry = setTimeout(() => {
        this.#expiries.delete(expiry);
        this.#rooms.delete(next.id);
      }, this.#endedRetentionMs);
      expiry.unref();
      this.#expiries.add(expiry);
    }
    return true;
  }

  async list(): Promise<RoomSummary[]> {
    return [...this.#rooms.values()].map(summarise);
  }

  async delete(roomId: string): Promise<void> {
    this.#rooms.delete(roomId);
  }

  async close(): Promise<void> {
    for (const expiry of this.#expiries) clearTimeout(expiry);
    this.#expiries.clear();
    this.#rooms.clear();
  }
}
