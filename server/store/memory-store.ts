import type { RoomState } from '../../shared/session/state.js';
import { summarise, type RoomStore, type RoomSummary } from './room-store.js';

/** One process, no persistence. Room states are immutable values, so they are kept as they are. */
export class MemoryStore implements RoomStore {
  readonly #rooms = new Map<string, RoomState>();

  async create(state: RoomState): Promise<void> {
    if (this.#rooms.has(state.id)) throw new Error(`room ${state.id} exists`);
    this.#rooms.set(state.id, state);
  }

  async load(roomId: string): Promise<RoomState | null> {
    return this.#rooms.get(roomId) ?? null;
  }

  async save(next: RoomState, expectedRevision: number): Promise<boolean> {
    const current = this.#rooms.get(next.id);
    if (!current || current.revision !== expectedRevision) return false;
    this.#rooms.set(next.id, next);
    return true;
  }

  async list(): Promise<RoomSummary[]> {
    return [...this.#rooms.values()].map(summarise);
  }

  async close(): Promise<void> {
    this.#rooms.clear();
  }
}
