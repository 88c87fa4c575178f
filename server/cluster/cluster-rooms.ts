import type { ClientCommand, SystemCommand } from '../../shared/protocol/commands.js';
import { reject } from '../../shared/protocol/errors.js';
import type { Ack, Snapshot } from '../../shared/protocol/events.js';
import type { Actor, Anonymiser } from '../../shared/session/rules.js';
import type { RoomSettings, RoomState } from '../../shared/session/state.js';
import type { Logger } from '../logger.js';
import { ClusterMediaDesk } from '../media/cluster-media-desk.js';
import type { MediaConnections, MediaReply } from '../media/media-connections.js';
import type { MediaDesk } from '../media/signalling.js';
import { snapshotOf, type RoomActor, type RoomAudience } from '../rooms/room-actor.js';
import type { Opener, RoomDirectory, RoomHandle, RoomPlan } from '../rooms/room-directory.js';
import { RoomFactory } from '../rooms/room-factory.js';
import { RoomGone, type LeasedRoomStore } from '../store/room-store.js';
import { ClusterPresence } from './cluster-presence.js';
import { CommandRouter, type RoutedOp } from './command-router.js';
import { DeadNodes } from './dead-nodes.js';
import type { Link, Notice, RoomAnswer } from './node-link.js';
import type { PresenceLedger } from './presence-book.js';
import type { Leases } from './room-lease.js';
import { RoomOwnership } from './room-ownership.js';

export interface ClusterRoomsDeps {
  nodeId: string;
  anonymise: Anonymiser;
  leaseMs: number;
  /** How long an ended session stays running (its goodbye screen and released feedback readable). */
  endedRetentionMs: number;
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

/**
 * The rooms of one node among several sharing Redis. Each room's actor runs on the node holding
 * its lease (RoomOwnership); an operation arriving anywhere else is forwarded there, and when the
 * owner is gone the first node that needs the room takes it over (CommandRouter). Presence is read
 * across nodes (ClusterPresence), media goes where the room runs (ClusterMediaDesk), and a
 * heartbeat keeps it all: leases, presence records, rooms without an owner, dead nodes' media.
 */
export class ClusterRooms implements RoomDirectory {
  readonly #deps: ClusterRoomsDeps;
  readonly #factory: RoomFactory;
  readonly #presence: ClusterPresence;
  readonly #dead: DeadNodes;
  readonly #ownership: RoomOwnership;
  readonly #router: CommandRouter;
  readonly #loading = new Map<string, Promise<RoomState | null>>();
  readonly #working = new Set<Promise<unknown>>();
  /** The media of the rooms this node runs, when it carries media. */
  #media: ClusterMediaDesk | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #beating = false;

  constructor(deps: ClusterRoomsDeps) {
    this.#deps = deps;
    const { store, leases, link, logger, leaseMs } = deps;
    this.#factory = new RoomFactory({
      store,
      logger,
      settings: deps.settings,
      anonymise: deps.anonymise,
      endedRetentionMs: deps.endedRetentionMs,
      unload: (actor) => void this.#ownership.release(actor.id, actor).catch(() => undefined),
    });
    this.#presence = new ClusterPresence(deps.presence, logger);
    this.#dead = new DeadNodes(link, logger);
    this.#ownership = new RoomOwnership({ leaseMs, store, leases, logger, factory: this.#factory, presence: this.#presence });
    this.#router = new CommandRouter({
      nodeId: deps.nodeId,
      leases,
      link,
      logger,
      ownership: this.#ownership,
      dead: this.#dead,
      run: (roomId, actor, op) => this.#run(roomId, actor, op),
      hangUp: (hangUp) => this.#media?.local.hangUp(hangUp),
    });
  }

  async start(): Promise<void> {
    await this.#deps.link.start(
      (request) => this.#router.answer(request),
      (notice) => this.#heard(notice),
    );
    this.#heartbeat = setInterval(() => void this.#beat(), Math.max(200, Math.floor(this.#deps.leaseMs / 3)));
  }

  reachThrough(audience: RoomAudience): void {
    this.#factory.reachThrough(audience);
  }

  onActor(listener: (actor: RoomActor) => void): void {
    this.#factory.onActor(listener);
  }

  /** Media requests go where the room runs, like commands. */
  mediaDesk(local: MediaConnections): MediaDesk {
    this.#media = new ClusterMediaDesk({
      nodeId: this.#deps.nodeId,
      local,
      leases: this.#deps.leases,
      link: this.#deps.link,
      dead: this.#dead,
      runsHere: (roomId) => this.#ownership.runsHere(roomId),
      route: (call) => this.#router.route(call.roomId, { kind: 'media', call }) as Promise<MediaReply>,
      track: (work) => this.#track(work),
    });
    return this.#media;
  }

  get loaded(): number {
    return this.#ownership.size;
  }

  async create(title: string, opener: Opener, plan?: RoomPlan): Promise<RoomHandle> {
    const actor = await this.#ownership.create(title, opener, plan);
    return new RoomRoute(this, actor.state);
  }

  async get(roomId: string): Promise<RoomHandle | null> {
    const actor = await this.#ownership.running(roomId);
    const state = actor ? actor.state : await this.#load(roomId);
    return state ? new RoomRoute(this, state) : null;
  }

  list() {
    return this.#deps.store.list();
  }

  /**
   * Hand this node's rooms over: stop taking connections, close the sockets (their clients
   * reconnect to another node), finish what is queued, then release every lease and say so.
   */
  async close(): Promise<void> {
    if (this.#ownership.closing) return;
    this.#ownership.stopTaking();
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#deps.closeSockets();
    await Promise.allSettled([...this.#working]);
    await this.#deps.presence.leave();
    await this.#ownership.releaseAll((roomId) => this.#deps.link.notify({ kind: 'released', roomId }));
    await this.#deps.link.stop();
  }

  /** Run an operation on the room wherever its actor runs; always answers, never throws. */
  route(roomId: string, op: Extract<RoutedOp, { kind: 'dispatch' | 'presence' }>): Promise<Ack> {
    return this.#track(this.#router.route(roomId, op)) as Promise<Ack>;
  }

  /** Throws StoreUnavailable while Redis is away and RoomGone once the room is not in it: never an older state. */
  async snapshot(roomId: string, participantId: string): Promise<Snapshot> {
    const actor = await this.#ownership.running(roomId).catch(() => null);
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

  /** Work a closing node finishes before it lets its rooms go. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#working.add(work);
    void work.finally(() => this.#working.delete(work));
    return work;
  }

  #run(roomId: string, actor: RoomActor, op: RoutedOp): Promise<RoomAnswer> {
    switch (op.kind) {
      case 'dispatch':
        return actor.dispatch(op.actor, op.command);
      case 'presence':
        return this.#presence.tell(roomId, actor, op.participantId);
      case 'media':
        return this.#media ? this.#media.local.answer(op.call) : Promise.resolve(reject('MEDIA_UNAVAILABLE', 'this server carries no audio or video'));
    }
  }

  async #beat(): Promise<void> {
    if (this.#beating || this.#ownership.closing) return;
    this.#beating = true;
    try {
      const { presence, onBeat } = this.#deps;
      await Promise.allSettled([this.#ownership.renew(), presence.refresh(), this.#ownership.watch(presence.rooms()), this.#media?.sweep(), onBeat?.()]);
    } finally {
      this.#beating = false;
    }
  }

  /** A closing node released a room: take it if people here are in it. */
  #heard(notice: Notice): void {
    if (notice.kind !== 'released' || this.#ownership.closing || this.#ownership.runsHere(notice.roomId)) return;
    if (!this.#deps.presence.rooms().includes(notice.roomId)) return;
    void this.#ownership.adopt(notice.roomId).catch(() => undefined);
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
