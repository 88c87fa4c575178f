import { randomInt } from 'node:crypto';
import type { Anonymiser } from '../../shared/session/rules.js';
import type { ClientCommand, SystemCommand } from '../../shared/protocol/commands.js';
import { reject, type Rejection } from '../../shared/protocol/errors.js';
import type { Ack, Snapshot } from '../../shared/protocol/events.js';
import { createRoom, nextDeadline } from '../../shared/session/room.js';
import type { Actor } from '../../shared/session/rules.js';
import type { RoomSettings, RoomState } from '../../shared/session/state.js';
import type { Logger } from '../logger.js';
import { RoomActor, snapshotOf, type RoomAudience } from '../rooms/room-actor.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { newId } from '../rooms/rooms.js';
import { RoomGone, StoreUnavailable, type LeasedRoomStore } from '../store/room-store.js';
import type { MediaConnections, MediaHangUp, MediaReply } from '../media/media-connections.js';
import type { MediaDesk } from '../media/signalling.js';
import type { Link, Notice, RoomAnswer, RoomOp, RoomReply, RoomRequest } from './node-link.js';
import type { PresenceLedger } from './presence-book.js';
import type { Leases } from './room-lease.js';

export interface ClusterRoomsDeps {
  nodeId: string;
  anonymise: Anonymiser;
  leaseMs: number;
  store: LeasedRoomStore;
  leases: Leases;
  link: Link;
  presence: PresenceLedger;
  logger: Logger;
  settings: Partial<RoomSettings>;
  /** Stop taking connections and close this node's sockets (their clients reconnect elsewhere). */
  closeSockets(): void;
  /** Called on every heartbeat, e.g. to trim the broadcast stream. */
  onBeat?(): Promise<void>;
}

/** How long a command may take to find its room's owner: under the client's 8 s acknowledgement timeout. */
const ROUTE_BUDGET_MS = 6_000;
const FORWARD_TIMEOUT_MS = 2_000;
/** A node that stopped listening may only be reconnecting to Redis: ask again before calling it dead. */
const SILENCE_CHECKS_MS = [100, 250, 500];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const system: Actor = { role: 'system' };

/** What runs on the room's actor; a hang-up only ever goes to the node that already runs it. */
type RoutedOp = Exclude<RoomOp, { kind: 'hangup' }>;

/**
 * The rooms of one node among several sharing Redis. Each room's actor runs on the node holding
 * its lease; a command arriving anywhere else is forwarded there, and when the owner is gone
 * (its lease lapsed, or it no longer listens on Redis) the first node that needs the room takes
 * it over from the state in Redis, timers included.
 */
export class ClusterRooms implements RoomDirectory {
  readonly #deps: ClusterRoomsDeps;
  /** Rooms this node runs. */
  readonly #actors = new Map<string, RoomActor>();
  /** Takeovers under way. */
  readonly #adoptions = new Map<string, Promise<RoomActor | 'taken' | 'missing'>>();
  readonly #presenceQueues = new Map<string, Promise<unknown>>();
  readonly #loading = new Map<string, Promise<RoomState | null>>();
  readonly #created = new Set<(actor: RoomActor) => void>();
  readonly #working = new Set<Promise<unknown>>();
  /** When this node started running each room, so one just created or taken over is not let go before anyone arrives. */
  readonly #startedAt = new WeakMap<RoomActor, number>();
  /** Nodes found dead, so their other rooms are freed without asking again. */
  readonly #dead = new Set<string>();
  /** One check per node at a time, shared by every command and socket that found it silent. */
  readonly #silenceChecks = new Map<string, Promise<boolean>>();
  #audience: RoomAudience | null = null;
  /** The media of the rooms this node runs, when it carries media. */
  #media: MediaConnections | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #beating = false;
  #closing = false;

  constructor(deps: ClusterRoomsDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    await this.#deps.link.start(
      (request) => this.#answer(request),
      (notice) => this.#heard(notice),
    );
    this.#heartbeat = setInterval(() => void this.#beat(), Math.max(200, Math.floor(this.#deps.leaseMs / 3)));
  }

  reachThrough(audience: RoomAudience): void {
    this.#audience = audience;
  }

  /**
   * Media requests go where the room runs, like commands: answered by `local` for the rooms this
   * node runs, forwarded to their node for the others.
   */
  mediaDesk(local: MediaConnections): MediaDesk {
    this.#media = local;
    return {
      answer: (call) => this.#track(this.#route(call.roomId, { kind: 'media', call })) as Promise<MediaReply>,
      hangUp: (hangUp) => void this.#track(this.#hangUp(hangUp)),
    };
  }

  onActor(listener: (actor: RoomActor) => void): void {
    this.#created.add(listener);
  }

  get loaded(): number {
    return this.#actors.size;
  }

  async create(title: string, facilitatorName: string): Promise<RoomHandle> {
    const state = createRoom({ id: newId(), title, facilitatorId: newId(), facilitatorName, now: Date.now(), settings: this.#deps.settings });
    try {
      await this.#deps.leases.claim(state.id);
    } catch (error) {
      throw new StoreUnavailable(error);
    }
    await this.#deps.store.create(state);
    this.#actors.set(state.id, this.#start(state));
    return new RoomRoute(this, state);
  }

  async get(roomId: string): Promise<RoomHandle | null> {
    const actor = await this.#running(roomId);
    const state = actor ? actor.state : await this.#load(roomId);
    return state ? new RoomRoute(this, state) : null;
  }

  /** One read of a room's state at a time, shared by everyone asking meanwhile (handshakes, re-checks). */
  #load(roomId: string): Promise<RoomState | null> {
    let loading = this.#loading.get(roomId);
    if (!loading) {
      loading = this.#deps.store.load(roomId);
      this.#loading.set(roomId, loading);
      const done = () => this.#loading.delete(roomId);
      loading.then(done, done);
    }
    return loading;
  }

  list() {
    return this.#deps.store.list();
  }

  /**
   * Hand this node's rooms over: stop taking connections, close the sockets (their clients
   * reconnect to another node), finish what is queued, then release every lease and say so.
   */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#deps.closeSockets();
    await Promise.allSettled([...this.#working]);
    await this.#deps.presence.leave();
    await Promise.allSettled([...this.#adoptions.values()]);
    await Promise.allSettled(
      [...this.#actors].map(async ([roomId, actor]) => {
        await this.#release(roomId, actor);
        await this.#deps.link.notify({ kind: 'released', roomId });
      }),
    );
    await this.#deps.link.stop();
  }

  // --- what a RoomRoute asks for ----------------------------------------------------------

  /** Run an operation on the room wherever its actor runs; always answers, never throws. */
  route(roomId: string, op: Extract<RoutedOp, { kind: 'dispatch' | 'presence' }>): Promise<Ack> {
    return this.#track(this.#route(roomId, op)) as Promise<Ack>;
  }

  /** Work a closing node finishes before it lets its rooms go. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#working.add(work);
    void work.finally(() => this.#working.delete(work));
    return work;
  }

  /** Throws StoreUnavailable while Redis is away and RoomGone once the room is not in it: never an older state. */
  async snapshot(roomId: string, participantId: string): Promise<Snapshot> {
    const actor = await this.#running(roomId).catch(() => null);
    if (actor) return actor.snapshot(participantId);
    // A fresh read, not one shared with a handshake that began earlier: it must not be older
    // than a broadcast this socket may already have had.
    const state = await this.#deps.store.load(roomId);
    if (!state) throw new RoomGone(roomId);
    return snapshotOf(state, participantId, Date.now(), this.#deps.anonymise);
  }

  async connected(roomId: string, participantId: string): Promise<Ack> {
    await this.#deps.presence.add(roomId, participantId);
    return this.route(roomId, { kind: 'presence', participantId });
  }

  disconnected(roomId: string, participantId: string): Promise<Ack> | null {
    const work = this.#track(this.#deps.presence.remove(roomId, participantId).then((last) => (last ? this.route(roomId, { kind: 'presence', participantId }) : null)));
    return work.then((ack) => ack ?? { ok: true, version: 0 });
  }

  /** A socket with media closed: tell the room's node, if any node runs it (none is woken for this). */
  async #hangUp(hangUp: MediaHangUp): Promise<void> {
    if (this.#actors.has(hangUp.roomId)) return this.#media?.hangUp(hangUp);
    try {
      const holder = await this.#deps.leases.holder(hangUp.roomId);
      if (holder === null || holder === this.#deps.nodeId || this.#dead.has(holder)) return;
      await this.#deps.link.request(holder, { roomId: hangUp.roomId, op: { kind: 'hangup', hangUp } }, FORWARD_TIMEOUT_MS);
    } catch {
      // Redis is away: the room's node drops this media when it finds this node gone, or the room moves.
    }
  }

  // --- routing ----------------------------------------------------------------------------

  async #route(roomId: string, op: RoutedOp): Promise<RoomAnswer> {
    const deadline = Date.now() + ROUTE_BUDGET_MS;
    for (;;) {
      try {
        const local = await this.#running(roomId);
        if (local) {
          const ack = await this.#perform(roomId, local, op);
          if (ack !== 'moved') return ack;
          continue;
        }
        const holder = await this.#deps.leases.holder(roomId);
        if (holder === null || holder === this.#deps.nodeId) {
          if (this.#closing) {
            // A closing node takes nothing on; another node will.
            if (Date.now() > deadline) return reject('ROOM_MOVING');
            await pause(100);
            continue;
          }
          if ((await this.#adopt(roomId)) === 'missing') return reject('ROOM_GONE');
          continue;
        }
        if (this.#dead.has(holder)) {
          // Found dead before; a node id given again to a restarted node (NODE_ID) listens again.
          if (await this.#deps.link.listening(holder)) this.#dead.delete(holder);
          else await this.#deps.leases.evict(roomId, holder);
          continue;
        }
        const answer = await this.#deps.link.request(holder, { roomId, op }, Math.max(100, Math.min(FORWARD_TIMEOUT_MS, deadline - Date.now())));
        if (answer === 'absent') {
          // Nobody heard it: unless the room has moved meanwhile, its node is gone.
          if ((await this.#deps.leases.holder(roomId)) === holder && (await this.#silent(holder))) await this.#deps.leases.evict(roomId, holder);
          continue;
        }
        if (answer !== 'timeout' && 'ack' in answer) return answer.ack;
        await pause(20);
      } catch (error) {
        this.#deps.logger.warn({ room: roomId, err: error instanceof StoreUnavailable ? error.cause : error }, 'room unreachable: Redis unavailable');
        return reject('STORE_UNAVAILABLE');
      }
      if (Date.now() > deadline) return reject('ROOM_MOVING');
    }
  }

  /** Another node asks this one to run an operation on a room. */
  async #answer({ roomId, op }: RoomRequest): Promise<RoomReply> {
    try {
      if (op.kind === 'hangup') {
        this.#media?.hangUp(op.hangUp);
        return { ack: { ok: true } };
      }
      let actor = await this.#running(roomId);
      if (!actor) {
        if (this.#closing || (await this.#deps.leases.holder(roomId)) !== this.#deps.nodeId) return { moved: true };
        const adopted = await this.#adopt(roomId);
        if (adopted === 'missing') return { ack: reject('ROOM_GONE') };
        if (adopted === 'taken') return { moved: true };
        actor = adopted;
      }
      const ack = await this.#perform(roomId, actor, op);
      return ack === 'moved' ? { moved: true } : { ack };
    } catch {
      return { ack: reject('STORE_UNAVAILABLE') };
    }
  }

  async #perform(roomId: string, actor: RoomActor, op: RoutedOp): Promise<RoomAnswer | 'moved'> {
    const ack = await this.#apply(roomId, actor, op);
    if (ack.ok || ack.code !== 'ROOM_MOVING') return ack;
    this.#drop(roomId, actor);
    return 'moved';
  }

  #apply(roomId: string, actor: RoomActor, op: RoutedOp): Promise<RoomAnswer> {
    switch (op.kind) {
      case 'dispatch':
        return actor.dispatch(op.actor, op.command);
      case 'presence':
        return this.#presence(roomId, actor, op.participantId);
      case 'media':
        return this.#media ? this.#media.answer(op.call) : Promise.resolve(reject('MEDIA_UNAVAILABLE', 'this server carries no audio or video'));
    }
  }

  /** The actor of a room this node runs (waiting for a takeover under way), or null. */
  async #running(roomId: string): Promise<RoomActor | null> {
    const actor = this.#actors.get(roomId);
    if (actor) return actor;
    const adoption = this.#adoptions.get(roomId);
    if (!adoption) return null;
    const adopted = await adoption.catch(() => null);
    return adopted instanceof RoomActor ? adopted : null;
  }

  /** Take the room over if nobody holds it: lease first, then the state, then the actor and its timers. */
  #adopt(roomId: string): Promise<RoomActor | 'taken' | 'missing'> {
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
      const actor = this.#start(state);
      this.#actors.set(roomId, actor);
      actor.announce();
      // Who is connected now, on every node: the previous owner's count went with it.
      void this.#presenceSync(roomId, actor);
      return actor;
    })();
    this.#adoptions.set(roomId, adoption);
    const done = () => this.#adoptions.get(roomId) === adoption && this.#adoptions.delete(roomId);
    adoption.then(done, done);
    return adoption;
  }

  #start(state: RoomState): RoomActor {
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
    this.#startedAt.set(actor, Date.now());
    for (const listener of this.#created) listener(actor);
    return actor;
  }

  /** This node no longer runs the room. */
  #drop(roomId: string, actor: RoomActor): void {
    actor.dispose();
    if (this.#actors.get(roomId) !== actor) return;
    this.#actors.delete(roomId);
    this.#deps.store.forget(roomId);
  }

  /** Is the node gone? It does not listen on Redis, asked a few times over about a second. */
  #silent(nodeId: string): Promise<boolean> {
    if (this.#dead.has(nodeId)) return Promise.resolve(true);
    let check = this.#silenceChecks.get(nodeId);
    if (!check) {
      check = (async () => {
        for (const wait of SILENCE_CHECKS_MS) {
          await pause(wait);
          if (await this.#deps.link.listening(nodeId)) return false;
        }
        this.#deps.logger.warn({ node: nodeId }, 'node no longer listens; taking its rooms over');
        this.#dead.add(nodeId);
        return true;
      })();
      this.#silenceChecks.set(nodeId, check);
      const done = () => this.#silenceChecks.delete(nodeId);
      check.then(done, done);
    }
    return check;
  }

  // --- presence ---------------------------------------------------------------------------

  /** One participant's sockets changed somewhere: read who is here, in order with other reads. */
  #presence(roomId: string, actor: RoomActor, participantId: string): Promise<Ack | Rejection> {
    return this.#presenceQueue(roomId, async () => {
      const here = await this.#deps.presence.present(roomId);
      return actor.dispatch(system, { type: 'presence', participantId, online: here.has(participantId) });
    });
  }

  /** Bring everyone's presence in line with the sockets on all live nodes; how many are connected. */
  #presenceSync(roomId: string, actor: RoomActor): Promise<number | Rejection> {
    return this.#presenceQueue(roomId, async () => {
      const here = await this.#deps.presence.present(roomId);
      for (const person of Object.values(actor.state.participants)) {
        if (person.status === 'removed' || person.status === 'declined') continue;
        const connected = here.has(person.id);
        // Shown here but connected nowhere (their node died); or shown away while connected (a
        // connection announced while Redis was away). Someone gone (left, or past the grace
        // period) comes back only by connecting again, as with one process.
        if (connected ? person.presence === 'away' : person.presence === 'online') {
          await actor.dispatch(system, { type: 'presence', participantId: person.id, online: connected });
        }
      }
      return here.size;
    });
  }

  #presenceQueue<T>(roomId: string, task: () => Promise<T>): Promise<T | Rejection> {
    const previous = this.#presenceQueues.get(roomId) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.#deps.logger.warn({ room: roomId, err: error instanceof Error ? error.message : String(error) }, 'presence not read: Redis unavailable');
      return reject('STORE_UNAVAILABLE');
    });
    this.#presenceQueues.set(roomId, next);
    void next.then(() => this.#presenceQueues.get(roomId) === next && this.#presenceQueues.delete(roomId));
    return next;
  }

  // --- heartbeat and notices --------------------------------------------------------------

  async #beat(): Promise<void> {
    if (this.#beating || this.#closing) return;
    this.#beating = true;
    try {
      await Promise.allSettled([this.#renew(), this.#deps.presence.refresh(), this.#watch(), this.#sweepMedia(), this.#deps.onBeat?.()]);
    } finally {
      this.#beating = false;
    }
  }

  /** Keep the leases of the rooms this node runs; let go of any another node has taken. */
  async #renew(): Promise<void> {
    await Promise.allSettled(
      [...this.#actors].map(async ([roomId, actor]) => {
        const claim = await this.#deps.leases.claim(roomId);
        if (claim === 'taken') {
          this.#deps.logger.info({ room: roomId }, 'lease lost; another node runs the room');
          return this.#drop(roomId, actor);
        }
        if (claim === 'reclaimed') {
          // The lease had lapsed (Redis away?): run on only if nobody changed the room meanwhile.
          const stored = await this.#deps.store.load(roomId);
          if (!stored || stored.revision !== actor.state.revision) return this.#drop(roomId, actor);
        }
        const connected = await this.#presenceSync(roomId, actor);
        // Nobody connected anywhere and no deadline to keep: let the room go until it is needed
        // (not in its first moments here: the facilitator who just created it is on the way).
        const settled = Date.now() - (this.#startedAt.get(actor) ?? 0) > 2 * this.#deps.leaseMs;
        if (connected === 0 && nextDeadline(actor.state) === null && settled) await this.#release(roomId, actor);
      }),
    );
  }

  /** Stop running a room here and free its lease, so any node can take it when it is needed. */
  async #release(roomId: string, actor: RoomActor): Promise<void> {
    await actor.idle();
    if (this.#actors.get(roomId) !== actor) return;
    this.#drop(roomId, actor);
    await this.#deps.leases.release(roomId);
  }

  /** Rooms with people on this node must have an owner somewhere, or their timers stop: take them. */
  async #watch(): Promise<void> {
    await Promise.allSettled(
      this.#deps.presence.rooms().map(async (roomId) => {
        if (this.#actors.has(roomId) || this.#adoptions.has(roomId)) return;
        if ((await this.#deps.leases.holder(roomId)) === null) await this.#adopt(roomId);
      }),
    );
  }

  /** Media held here for sockets of a node that died goes with them (their browsers join again elsewhere). */
  async #sweepMedia(): Promise<void> {
    const media = this.#media;
    if (!media) return;
    await Promise.allSettled(
      [...media.origins()]
        .filter((origin) => origin !== this.#deps.nodeId)
        .map(async (origin) => {
          if (!(await this.#deps.link.listening(origin)) && (await this.#silent(origin))) media.forgetOrigin(origin);
        }),
    );
  }

  #heard(notice: Notice): void {
    if (notice.kind !== 'released' || this.#closing || this.#actors.has(notice.roomId)) return;
    if (!this.#deps.presence.rooms().includes(notice.roomId)) return;
    void this.#adopt(notice.roomId).catch(() => undefined);
  }
}

/** A room as the gateway and the API hold it: every call goes to wherever the room runs now. */
class RoomRoute implements RoomHandle {
  readonly id: string;
  readonly state: RoomState;
  readonly #rooms: ClusterRooms;

  constructor(rooms: ClusterRooms, state: RoomState) {
    this.id = state.id;
    this.state = state;
    this.#rooms = rooms;
  }

  dispatch(actor: Actor, command: ClientCommand | SystemCommand): Promise<Ack> {
    return this.#rooms.route(this.id, { kind: 'dispatch', actor, command });
  }

  snapshot(participantId: string): Promise<Snapshot> {
    return this.#rooms.snapshot(this.id, participantId);
  }

  connected(participantId: string): Promise<Ack> {
    return this.#rooms.connected(this.id, participantId);
  }

  disconnected(participantId: string): Promise<Ack> | null {
    return this.#rooms.disconnected(this.id, participantId);
  }
}
