import type { Opener, RoomPlan } from '../rooms/room-directory.js';
import { nextDeadline } from '../../shared/session/room.js';
import type { Logger } from '../logger.js';
import type { RoomActor } from '../rooms/room-actor.js';
import type { RoomFactory } from '../rooms/room-factory.js';
import { StoreUnavailable, type LeasedRoomStore } from '../store/room-store.js';
import type { ClusterPresence } from './cluster-presence.js';
import type { Leases } from './room-lease.js';

export interface RoomOwnershipDeps {
  leaseMs: number;
  store: LeasedRoomStore;
  leases: Leases;
  factory: RoomFactory;
  presence: ClusterPresence;
  logger: Logger;
}

/** A room this node could not take over: another node holds it, or it is not in the store. */
export type Adoption = RoomActor | 'taken' | 'missing';

/**
 * The rooms this node runs, each under a lease: made here, or taken over from the state in the
 * store when nobody holds them; kept by renewing the lease on every heartbeat; let go when the
 * lease is lost, when nobody is connected, or when the node closes.
 */
export class RoomOwnership {
  readonly #deps: RoomOwnershipDeps;
  readonly #actors = new Map<string, RoomActor>();
  /** Takeovers under way. */
  readonly #adoptions = new Map<string, Promise<Adoption>>();
  /** When this node started running each room, so one just created or taken over is not let go before anyone arrives. */
  readonly #startedAt = new WeakMap<RoomActor, number>();
  #closing = false;

  constructor(deps: RoomOwnershipDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#actors.size;
  }

  /** A closing node takes nothing on. */
  get closing(): boolean {
    return this.#closing;
  }

  runsHere(roomId: string): boolean {
    return this.#actors.has(roomId);
  }

  async create(title: string, opener: Opener, plan?: RoomPlan): Promise<RoomActor> {
    const claim = async (roomId: string) => {
      try {
        await this.#deps.leases.claim(roomId);
      } catch (error) {
        throw new StoreUnavailable(error);
      }
    };
    const actor = await this.#deps.factory.create(title, opener, claim, plan);
    this.#run(actor);
    return actor;
  }

  /** The actor of a room this node runs (waiting for a takeover under way), or null. */
  async running(roomId: string): Promise<RoomActor | null> {
    const actor = this.#actors.get(roomId);
    if (actor) return actor;
    const adoption = this.#adoptions.get(roomId);
    if (!adoption) return null;
    const adopted = await adoption.catch(() => 'missing' as const);
    return typeof adopted === 'string' ? null : adopted;
  }

  /** Take the room over if nobody holds it: lease first, then the state, then the actor and its timers. */
  adopt(roomId: string): Promise<Adoption> {
    const running = this.#actors.get(roomId);
    if (running) return Promise.resolve(running);
    const existing = this.#adoptions.get(roomId);
    if (existing) return existing;
    const adoption = (async () => {
      const claim = await this.#deps.leases.claim(roomId);
      if (claim === 'taken') return 'taken' as const;
      const state = await this.#deps.store.load(roomId);
      if (!state) {
        await this.#deps.leases.release(roomId);
        return 'missing' as const;
      }
      this.#deps.logger.info({ room: roomId }, 'running room on this node');
      const actor = this.#deps.factory.start(state);
      this.#run(actor);
      actor.announce();
      // Who is connected now, on every node: the previous owner's count went with it.
      void this.#deps.presence.sync(roomId, actor);
      return actor;
    })();
    this.#adoptions.set(roomId, adoption);
    const done = () => this.#adoptions.get(roomId) === adoption && this.#adoptions.delete(roomId);
    adoption.then(done, done);
    return adoption;
  }

  /** Rooms with people on this node must have an owner somewhere, or their timers stop: take them. */
  async watch(roomIds: string[]): Promise<void> {
    await Promise.allSettled(
      roomIds.map(async (roomId) => {
        if (this.#actors.has(roomId) || this.#adoptions.has(roomId)) return;
        if ((await this.#deps.leases.holder(roomId)) === null) await this.adopt(roomId);
      }),
    );
  }

  /** Keep the leases of the rooms this node runs; let go of any another node has taken, or nobody needs. */
  async renew(): Promise<void> {
    await Promise.allSettled(
      [...this.#actors].map(async ([roomId, actor]) => {
        const claim = await this.#deps.leases.claim(roomId);
        if (claim === 'taken') {
          this.#deps.logger.info({ room: roomId }, 'lease lost; another node runs the room');
          return this.drop(roomId, actor);
        }
        if (claim === 'reclaimed') {
          // The lease had lapsed (Redis away?): run on only if nobody changed the room meanwhile.
          const stored = await this.#deps.store.load(roomId);
          if (!stored || stored.revision !== actor.state.revision) return this.drop(roomId, actor);
        }
        const connected = await this.#deps.presence.sync(roomId, actor);
        // Nobody connected anywhere and no deadline to keep: let the room go until it is needed
        // (not in its first moments here: the facilitator who just created it is on the way).
        const settled = Date.now() - (this.#startedAt.get(actor) ?? 0) > 2 * this.#deps.leaseMs;
        if (connected === 0 && nextDeadline(actor.state) === null && settled) await this.release(roomId, actor);
      }),
    );
  }

  /** This node no longer runs the room. */
  drop(roomId: string, actor: RoomActor): void {
    actor.dispose();
    if (this.#actors.get(roomId) !== actor) return;
    this.#actors.delete(roomId);
    this.#deps.store.forget(roomId);
  }

  /** Stop running a room here and free its lease, so any node can take it when it is needed. */
  async release(roomId: string, actor: RoomActor): Promise<void> {
    await actor.idle();
    if (this.#actors.get(roomId) !== actor) return;
    this.drop(roomId, actor);
    await this.#deps.leases.release(roomId);
  }

  /** The node closes: take nothing more on, finish the takeovers under way, then let every room go. */
  async releaseAll(released: (roomId: string) => Promise<void>): Promise<void> {
    this.#closing = true;
    await Promise.allSettled([...this.#adoptions.values()]);
    await Promise.allSettled(
      [...this.#actors].map(async ([roomId, actor]) => {
        await this.release(roomId, actor);
        await released(roomId);
      }),
    );
  }

  /** Stop taking rooms on, ahead of `releaseAll`. */
  stopTaking(): void {
    this.#closing = true;
  }

  #run(actor: RoomActor): void {
    this.#actors.set(actor.id, actor);
    this.#startedAt.set(actor, Date.now());
  }
}
