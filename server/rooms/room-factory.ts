import { randomBytes, randomInt } from 'node:crypto';
import { groupRoom } from '../../shared/session/group-room.js';
import type { Opener, RoomPlan } from './room-directory.js';
import { createRoom } from '../../shared/session/room.js';
import type { Anonymiser } from '../../shared/session/rules.js';
import type { RoomSettings, RoomState } from '../../shared/session/state.js';
import type { Logger } from '../logger.js';
import type { RoomStore } from '../store/room-store.js';
import { RoomActor, type RoomAudience } from './room-actor.js';

export const newId = (): string => randomBytes(9).toString('base64url');

export interface RoomFactoryDeps {
  store: RoomStore;
  logger: Logger;
  settings: Partial<RoomSettings>;
  anonymise: Anonymiser;
  /** How long an ended session stays loaded (its goodbye screen and released feedback readable). */
  endedRetentionMs: number;
  /** Stop running a room whose session ended `endedRetentionMs` ago; must not throw. */
  unload(actor: RoomActor): void;
}

/**
 * How a room is made and its actor started, for one process (Rooms) and for a node of a
 * cluster alike: the actor's dependencies, its listeners, and unloading once the session ended.
 */
export class RoomFactory {
  readonly #deps: RoomFactoryDeps;
  readonly #created = new Set<(actor: RoomActor) => void>();
  #audience: RoomAudience | null = null;

  constructor(deps: RoomFactoryDeps) {
    this.#deps = deps;
  }

  /** The gateway registers itself as the way rooms reach people. */
  reachThrough(audience: RoomAudience): void {
    this.#audience = audience;
  }

  /** Called once for every actor started, e.g. to give it a media room. */
  onActor(listener: (actor: RoomActor) => void): void {
    this.#created.add(listener);
  }

  /**
   * A new room, stored and running; `claim` runs before it is stored (a node of a cluster takes its
   * lease). With a group's plan, the room is that standing group's session and its id the session's.
   */
  async create(title: string, opener: Opener, claim?: (roomId: string) => Promise<void>, plan?: RoomPlan): Promise<RoomActor> {
    const base = { title, facilitatorId: opener.id ?? newId(), facilitatorName: opener.name, now: Date.now(), settings: this.#deps.settings };
    const state = plan && 'sessionId' in plan ? groupRoom({ ...base, ...plan }) : createRoom({ ...base, id: newId(), ...(plan ? { agenda: plan.agenda } : {}) });
    await claim?.(state.id);
    await this.#deps.store.create(state);
    return this.start(state);
  }

  start(state: RoomState): RoomActor {
    if (!this.#audience) throw new Error('rooms have no audience yet');
    const actor = new RoomActor(state, {
      store: this.#deps.store,
      audience: this.#audience,
      logger: this.#deps.logger,
      now: Date.now,
      newId,
      randomInt: (max) => randomInt(max),
      anonymise: this.#deps.anonymise,
    });
    actor.onChange((after, before) => {
      if (after.endedAt === null || before.endedAt !== null) return;
      // An ended session is unloaded after a while, so a process serving many groups does not grow.
      const timer = setTimeout(() => this.#deps.unload(actor), this.#deps.endedRetentionMs);
      timer.unref();
      // Disposed first (closed, moved to another node): the timer must not hold the actor until then.
      actor.onDispose(() => clearTimeout(timer));
    });
    for (const listener of this.#created) listener(actor);
    return actor;
  }
}
