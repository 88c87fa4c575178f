import type { RoomSettings } from '../../shared/session/state.js';
import type { Anonymiser } from '../../shared/session/rules.js';
import type { Logger } from '../logger.js';
import type { RoomStore } from '../store/room-store.js';
import type { RoomActor, RoomAudience } from './room-actor.js';
import type { Opener, RoomDirectory, RoomPlan } from './room-directory.js';
import { RoomFactory } from './room-factory.js';

/** The rooms this process serves: each loaded once from the store and driven by its actor. */
export class Rooms implements RoomDirectory {
  readonly #actors = new Map<string, Promise<RoomActor | null>>();
  readonly #store: RoomStore;
  readonly #logger: Logger;
  readonly #factory: RoomFactory;

  /** How long a room nobody has entered stays before it is forgotten. */
  readonly #unusedRoomMs: number;
  /** The unused-room timer of each room created here, cleared when it unloads so it does not hold the actor for a day. */
  readonly #unusedTimers = new Map<string, NodeJS.Timeout>();

  constructor(store: RoomStore, logger: Logger, settings: Partial<RoomSettings>, anonymise: Anonymiser, endedRetentionMs = 30 * 60_000, unusedRoomMs = 24 * 3_600_000) {
    this.#store = store;
    this.#unusedRoomMs = unusedRoomMs;
    this.#logger = logger;
    this.#factory = new RoomFactory({ store, logger, settings, anonymise, endedRetentionMs, unload: (actor) => void this.#unload(actor) });
  }

  reachThrough(audience: RoomAudience): void {
    this.#factory.reachThrough(audience);
  }

  onActor(listener: (actor: RoomActor) => void): void {
    this.#factory.onActor(listener);
  }

  async create(title: string, opener: Opener, plan?: RoomPlan): Promise<RoomActor> {
    const actor = await this.#factory.create(title, opener, undefined, plan);
    this.#actors.set(actor.id, Promise.resolve(actor));
    // Any change at all (the facilitator's first connection, a member joining) is a use.
    const createdRevision = actor.state.revision;
    const timer = setTimeout(() => {
      this.#unusedTimers.delete(actor.id);
      void this.#forgetUnused(actor, createdRevision);
    }, this.#unusedRoomMs);
    timer.unref();
    this.#unusedTimers.set(actor.id, timer);
    return actor;
  }

  get(roomId: string): Promise<RoomActor | null> {
    let actor = this.#actors.get(roomId);
    if (!actor) {
      actor = this.#store.load(roomId).then((state) => (state ? this.#factory.start(state) : null));
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
    for (const timer of this.#unusedTimers.values()) clearTimeout(timer);
    this.#unusedTimers.clear();
    for (const actor of this.#actors.values()) (await actor.catch(() => null))?.dispose();
    this.#actors.clear();
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
    clearTimeout(this.#unusedTimers.get(actor.id));
    this.#unusedTimers.delete(actor.id);
    this.#actors.delete(actor.id);
    actor.dispose();
  }
}
