import { randomBytes, randomInt } from 'node:crypto';
import { createRoom } from '../../shared/session/room.js';
import type { RoomSettings, RoomState } from '../../shared/session/state.js';
import type { Anonymiser } from '../../shared/session/rules.js';
import type { Logger } from '../logger.js';
import type { RoomStore } from '../store/room-store.js';
import { RoomActor, type RoomAudience } from './room-actor.js';
import type { RoomDirectory } from './room-directory.js';

export const newId = (): string => randomBytes(9).toString('base64url');

/** The rooms this process serves: each loaded once from the store and driven by its actor. */
export class Rooms implements RoomDirectory {
  readonly #actors = new Map<string, Promise<RoomActor | null>>();
  readonly #store: RoomStore;
  readonly #logger: Logger;
  readonly #settings: Partial<RoomSettings>;
  #audience: RoomAudience | null = null;
  readonly #created = new Set<(actor: RoomActor) => void>();

  readonly #anonymise: Anonymiser;

  /** How long an ended session stays loaded (its goodbye screen and released feedback readable). */
  readonly #endedRetentionMs: number;

  /** How long a room nobody has entered stays before it is forgotten. */
  readonly #unusedRoomMs: number;

  constructor(store: RoomStore, logger: Logger, settings: Partial<RoomSettings>, anonymise: Anonymiser, endedRetentionMs = 30 * 60_000, unusedRoomMs = 24 * 3_600_000) {
    this.#store = store;
    this.#unusedRoomMs = unusedRoomMs;
    this.#logger = logger;
    this.#settings = settings;
    this.#anonymise = anonymise;
    this.#endedRetentionMs = endedRetentionMs;
  }

  /** The gateway registers itself as the way rooms reach people. */
  reachThrough(audience: RoomAudience): void {
    this.#audience = audience;
  }

  /** Called once for every actor this process starts, e.g. to give it a media room. */
  onActor(listener: (actor: RoomActor) => void): void {
    this.#created.add(listener);
  }

  async create(title: string, facilitatorName: string): Promise<RoomActor> {
    const state = createRoom({ id: newId(), title, facilitatorId: newId(), facilitatorName, now: Date.now(), settings: this.#settings });
    await this.#store.create(state);
    const actor = this.#start(state);
    this.#actors.set(state.id, Promise.resolve(actor));
    // Any change at all (the facilitator's first connection, a member joining) is a use.
    setTimeout(() => void this.#forgetUnused(actor, state.revision), this.#unusedRoomMs).unref();
    return actor;
  }

  get(roomId: string): Promise<RoomActor | null> {
    let actor = this.#actors.get(roomId);
    if (!actor) {
      actor = this.#store.load(roomId).then((state) => (state ? this.#start(state) : null));
      actor.then(
        (loaded) => loaded === null && this.#actors.delete(roomId),
        () => this.#actors.delete(roomId),
      );
      this.#actors.set(roomId, actor);
    }
    return actor;
  }

  list() {
    return this.#store.list();
  }

  get loaded(): number {
    return this.#actors.size;
  }

  async close(): Promise<void> {
    for (const actor of this.#actors.values()) (await actor.catch(() => null))?.dispose();
    this.#actors.clear();
  }

  #start(state: RoomState): RoomActor {
    if (!this.#audience) throw new Error('rooms have no audience yet');
    const actor = new RoomActor(state, {
      store: this.#store,
      audience: this.#audience,
      logger: this.#logger,
      now: Date.now,
      newId,
      randomInt: (max) => randomInt(max),
      anonymise: this.#anonymise,
    });
    actor.onChange((after, before) => {
      if (after.endedAt === null || before.endedAt !== null) return;
      // An ended session is unloaded after a while, so a process serving many groups does not grow.
      setTimeout(() => this.#unload(actor), this.#endedRetentionMs).unref();
    });
    for (const listener of this.#created) listener(actor);
    return actor;
  }

  async #forgetUnused(actor: RoomActor, createdRevision: number): Promise<void> {
    if (actor.state.revision !== createdRevision || (await this.#actors.get(actor.id)?.catch(() => null)) !== actor) return;
    await this.#unload(actor);
    await this.#store.delete(actor.id).catch((error: unknown) => this.#logger.warn({ err: error, room: actor.id }, 'could not forget an unused room'));
    this.#logger.info({ room: actor.id }, 'room never used; forgotten');
  }

  async #unload(actor: RoomActor): Promise<void> {
    const current = await this.#actors.get(actor.id)?.catch(() => null);
    if (current !== actor) return;
    this.#actors.delete(actor.id);
    actor.dispose();
  }
}
