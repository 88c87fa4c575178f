import type { ClientCommand, SystemCommand } from '../../shared/protocol/commands.js';
import { reject, type ErrorCode } from '../../shared/protocol/errors.js';
import type { Ack, RoomMessage, SelfMessage, Snapshot } from '../../shared/protocol/events.js';
import { shutOut } from '../../shared/session/admission.js';
import { groupView, selfView } from '../../shared/session/projection.js';
import { nextDeadline, reduce, type Outcome } from '../../shared/session/room.js';
import type { Actor, Anonymiser, RuleContext } from '../../shared/session/rules.js';
import type { RoomState } from '../../shared/session/state.js';
import type { Logger } from '../logger.js';
import { NotOwner, StoreUnavailable, type RoomStore } from '../store/room-store.js';

/** How a room reaches its people; the Socket.IO gateway fills it. */
export interface RoomAudience {
  group(roomId: string, message: RoomMessage): void;
  self(participantId: string, message: SelfMessage): void;
  admitted(participantId: string, roomId: string, snapshot: Snapshot): void;
  dismissed(participantId: string, code: ErrorCode): void;
}

export interface RoomActorDeps {
  store: RoomStore;
  audience: RoomAudience;
  logger: Logger;
  now(): number;
  newId(): string;
  randomInt(maxExclusive: number): number;
  anonymise: Anonymiser;
}

export type StateListener = (state: RoomState, before: RoomState) => void;

/** The longest a timer is set for; a longer deadline is reached in steps (setTimeout caps near 24.8 days). */
const MAX_TIMER_MS = 60 * 60 * 1000;

/** What one participant is sent on (re)connection: the group view once admitted, and their own. */
export function snapshotOf(state: RoomState, participantId: string, serverTime: number, anonymise: Anonymiser): Snapshot {
  const person = state.participants[participantId];
  const group = person?.status === 'admitted' ? groupView(state) : null;
  return { serverTime, group, self: selfView(state, participantId, anonymise) };
}

/**
 * The single writer of one room: commands are applied one at a time through the pure reducer,
 * stored, then projected to each audience. Timers fire the room's deadlines.
 */
export class RoomActor {
  readonly id: string;
  readonly #deps: RoomActorDeps;
  #state: RoomState;
  #tail: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #disposed = false;
  #spentDeadline: number | null = null;
  /** Last self view sent to each participant, as JSON, so only changes go out. */
  readonly #sentSelf = new Map<string, string>();
  readonly #connections = new Map<string, number>();
  readonly #listeners = new Set<StateListener>();
  readonly #disposeListeners = new Set<() => void>();

  constructor(state: RoomState, deps: RoomActorDeps) {
    this.id = state.id;
    this.#state = state;
    this.#deps = deps;
    this.#schedule();
  }

  get state(): RoomState {
    return this.#state;
  }

  /** Called after every stored change, e.g. by the media room to enforce the floor. */
  onChange(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispatch(actor: Actor, command: ClientCommand | SystemCommand): Promise<Ack> {
    const run = this.#tail.then(() => this.#apply(actor, command));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  snapshot(participantId: string): Snapshot {
    const snapshot = snapshotOf(this.#state, participantId, this.#deps.now(), this.#deps.anonymise);
    this.#sentSelf.set(participantId, JSON.stringify(snapshot.self));
    return snapshot;
  }

  /**
   * Send everyone the room as it stands, once: a node taking a room over cannot know what its
   * last owner broadcast before dying, e.g. a change it saved but never sent.
   */
  announce(): void {
    const { audience } = this.#deps;
    for (const person of Object.values(this.#state.participants)) {
      if (person.status === 'removed' || person.status === 'declined') {
        audience.dismissed(person.id, person.status === 'removed' ? 'REMOVED' : 'DECLINED');
      } else if (person.status === 'admitted') {
        // As on admission: an admission the last owner saved but never sent lets their sockets hear the room.
        audience.admitted(person.id, this.id, this.snapshot(person.id));
      } else {
        const { serverTime, self } = this.snapshot(person.id);
        audience.self(person.id, { serverTime, self });
      }
    }
  }

  /** Resolves once every command dispatched so far has been applied (or refused). */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }

  /** A socket of this participant opened; the first one marks them present. */
  connected(participantId: string): Promise<Ack> {
    const count = (this.#connections.get(participantId) ?? 0) + 1;
    this.#connections.set(participantId, count);
    return this.dispatch({ role: 'system' }, { type: 'presence', participantId, online: true });
  }

  /** A socket closed; when the last one goes, the participant's grace period starts. */
  disconnected(participantId: string): Promise<Ack> | null {
    const count = (this.#connections.get(participantId) ?? 1) - 1;
    if (count > 0) {
      this.#connections.set(participantId, count);
      return null;
    }
    this.#connections.delete(participantId);
    return this.dispatch({ role: 'system' }, { type: 'presence', participantId, online: false });
  }

  /** Called once when this actor stops serving the room (unloaded, moved to another node, closed). */
  onDispose(listener: () => void): void {
    this.#disposeListeners.add(listener);
  }

  dispose(): void {
    if (!this.#disposed) for (const listener of this.#disposeListeners) listener();
    this.#disposeListeners.clear();
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#listeners.clear();
  }

  async #apply(actor: Actor, command: ClientCommand | SystemCommand): Promise<Ack> {
    if (this.#disposed) return reject('ROOM_MOVING', 'room closed');
    const before = this.#state;
    let outcome: Outcome;
    try {
      outcome = reduce(before, actor, command, this.#context());
      if (outcome.ok && outcome.stored) {
        outcome = await this.#store(before, outcome, actor, command);
      }
    } catch (error) {
      if (this.#state !== before && !(error instanceof NotOwner)) this.#settle(before, this.#state, this.#state.version !== before.version);
      if (error instanceof NotOwner) {
        // Another node holds this room's lease now: this actor stops, the command goes there.
        this.#deps.logger.info({ room: this.id }, 'room taken over by another node');
        this.dispose();
        return reject('ROOM_MOVING');
      }
      if (error instanceof StoreUnavailable) {
        this.#deps.logger.warn({ room: this.id, err: error.cause }, 'store unavailable; command refused');
        return reject('STORE_UNAVAILABLE');
      }
      this.#deps.logger.error({ room: this.id, type: command.type, err: error }, 'command failed');
      return reject('INTERNAL');
    }
    if (!outcome.ok || !outcome.stored) {
      // The store held a newer state than this actor (a lost reply, a takeover): everyone gets it.
      if (this.#state !== before) this.#settle(before, this.#state, this.#state.version !== before.version);
      if (!outcome.ok) return outcome;
    } else {
      this.#state = outcome.state;
      // An answer's author learns it landed from the acknowledgement; a self view sent now would
      // cross the cluster's broadcast stream at the very moment the answer was stored.
      this.#settle(before, outcome.state, outcome.published, command.type !== 'feedback.submit');
    }
    return outcome.duplicate ? { ok: true, version: outcome.state.version, duplicate: true } : { ok: true, version: outcome.state.version };
  }

  #settle(before: RoomState, after: RoomState, published: boolean, sendSelfViews = true): void {
    this.#publish(before, after, published, sendSelfViews);
    this.#schedule();
    for (const listener of this.#listeners) listener(after, before);
  }

  /** Save; if another writer got there first, reload and apply the command once more on its state. */
  async #store(before: RoomState, outcome: Outcome & { ok: true }, actor: Actor, command: ClientCommand | SystemCommand): Promise<Outcome> {
    if (await this.#deps.store.save(outcome.state, before.revision)) return outcome;
    const latest = await this.#deps.store.load(this.id);
    if (!latest) throw new Error(`room ${this.id} vanished from the store`);
    this.#state = latest;
    const retried = reduce(latest, actor, command, this.#context());
    if (!retried.ok || !retried.stored) return retried;
    if (await this.#deps.store.save(retried.state, latest.revision)) return retried;
    throw new StoreUnavailable(new Error('concurrent writers kept winning'));
  }

  #context(): RuleContext {
    return { now: this.#deps.now(), newId: this.#deps.newId, randomInt: this.#deps.randomInt, anonymise: this.#deps.anonymise };
  }

  #publish(before: RoomState, after: RoomState, published: boolean, sendSelfViews: boolean): void {
    const { audience, now } = this.#deps;
    const serverTime = now();
    if (published) audience.group(this.id, { serverTime, group: groupView(after) });
    for (const person of Object.values(after.participants)) {
      const was = before.participants[person.id]?.status;
      const shut = shutOut(person.status);
      if (shut && was !== person.status) {
        this.#sentSelf.delete(person.id);
        audience.dismissed(person.id, shut);
        continue;
      }
      if (shut) continue;
      if (was !== person.status && person.status === 'admitted' && was !== undefined) {
        audience.admitted(person.id, this.id, this.snapshot(person.id));
        continue;
      }
      if (!sendSelfViews) continue;
      const self = selfView(after, person.id, this.#deps.anonymise);
      const json = JSON.stringify(self);
      if (this.#sentSelf.get(person.id) === json) continue;
      this.#sentSelf.set(person.id, json);
      audience.self(person.id, { serverTime, self });
    }
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#disposed) return;
    const deadline = nextDeadline(this.#state);
    // A deadline that a tick has already met without effect must not spin the timer.
    if (deadline === null || deadline === this.#spentDeadline) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, deadline - this.#deps.now()));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (deadline <= this.#deps.now()) this.#spentDeadline = deadline;
      void this.dispatch({ role: 'system' }, { type: 'tick' }).then(() => {
        if (!this.#timer) this.#schedule();
      });
    }, delay);
  }
}
