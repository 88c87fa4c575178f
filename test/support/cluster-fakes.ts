import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { RoomMessage, SelfMessage, Snapshot } from '../../shared/protocol/events.js';
import type { RoomState } from '../../shared/session/state.js';
import type { Link, Notice, RoomReply, RoomRequest } from '../../server/cluster/node-link.js';
import type { PresenceLedger } from '../../server/cluster/presence-book.js';
import type { Claim, Leases } from '../../server/cluster/room-lease.js';
import type { RoomAudience } from '../../server/rooms/room-actor.js';
import { NotOwner, StoreUnavailable, summarise, type LeasedRoomStore, type RoomSummary } from '../../server/store/room-store.js';

/**
 * What several nodes share, in memory: stand-ins at the cluster's ports (store, leases, link,
 * presence) for the Redis-backed classes, so routing and takeover run in one fast test.
 * The multi-process suites in test/redis prove the same paths against a real Redis.
 */
export class FakeRedis {
  readonly rooms = new Map<string, RoomState>();
  /** Room id -> the node holding its lease; delete an entry to model a lapsed lease. */
  readonly owners = new Map<string, string>();
  /** Room id -> node id -> participants with a socket there. */
  readonly present = new Map<string, Map<string, Set<string>>>();
  readonly listeners = new Map<string, { answer: (request: RoomRequest) => Promise<RoomReply>; heard: (notice: Notice) => void }>();
  /** Every request sent between nodes, in order. */
  readonly requests: { from: string; to: string; request: RoomRequest }[] = [];
  /** While true every call fails as a Redis that is away does. */
  down = false;

  available(): void {
    if (this.down) throw new StoreUnavailable(new Error('Redis is down (fake)'));
  }

  node(nodeId: string) {
    return { store: new FakeStore(this, nodeId), leases: new FakeLeases(this, nodeId), link: new FakeLink(this, nodeId), presence: new FakePresence(this, nodeId) };
  }
}

export class FakeStore implements LeasedRoomStore {
  readonly #redis: FakeRedis;
  readonly #nodeId: string;

  constructor(redis: FakeRedis, nodeId: string) {
    this.#redis = redis;
    this.#nodeId = nodeId;
  }

  async ping(): Promise<void> {
    this.#redis.available();
  }

  async create(state: RoomState): Promise<void> {
    this.#redis.available();
    if (this.#redis.rooms.has(state.id)) throw new Error(`room ${state.id} exists`);
    this.#redis.rooms.set(state.id, state);
  }

  async load(roomId: string): Promise<RoomState | null> {
    this.#redis.available();
    return this.#redis.rooms.get(roomId) ?? null;
  }

  /** Fenced on the lease, as the Redis store's save script is. */
  async save(next: RoomState, expectedRevision: number): Promise<boolean> {
    this.#redis.available();
    if (this.#redis.owners.get(next.id) !== this.#nodeId) throw new NotOwner(next.id);
    if (this.#redis.rooms.get(next.id)?.revision !== expectedRevision) return false;
    this.#redis.rooms.set(next.id, next);
    return true;
  }

  async list(): Promise<RoomSummary[]> {
    this.#redis.available();
    return [...this.#redis.rooms.values()].map(summarise);
  }

  async delete(roomId: string): Promise<void> {
    this.#redis.available();
    this.#redis.rooms.delete(roomId);
  }

  forget(): void {}

  async close(): Promise<void> {}
}

export class FakeLeases implements Leases {
  readonly #redis: FakeRedis;
  readonly #nodeId: string;

  constructor(redis: FakeRedis, nodeId: string) {
    this.#redis = redis;
    this.#nodeId = nodeId;
  }

  async claim(roomId: string): Promise<Claim> {
    this.#redis.available();
    const holder = this.#redis.owners.get(roomId);
    if (holder === this.#nodeId) return 'held';
    if (holder !== undefined) return 'taken';
    this.#redis.owners.set(roomId, this.#nodeId);
    return 'reclaimed';
  }

  async holder(roomId: string): Promise<string | null> {
    this.#redis.available();
    return this.#redis.owners.get(roomId) ?? null;
  }

  async release(roomId: string): Promise<void> {
    this.#redis.available();
    if (this.#redis.owners.get(roomId) === this.#nodeId) this.#redis.owners.delete(roomId);
  }

  async evict(roomId: string, deadNodeId: string): Promise<void> {
    this.#redis.available();
    if (this.#redis.owners.get(roomId) === deadNodeId) this.#redis.owners.delete(roomId);
    this.#redis.present.get(roomId)?.delete(deadNodeId);
  }
}

export class FakeLink implements Link {
  readonly #redis: FakeRedis;
  readonly #nodeId: string;

  constructor(redis: FakeRedis, nodeId: string) {
    this.#redis = redis;
    this.#nodeId = nodeId;
  }

  async start(answer: (request: RoomRequest) => Promise<RoomReply>, heard: (notice: Notice) => void): Promise<void> {
    this.#redis.listeners.set(this.#nodeId, { answer, heard });
  }

  async request(nodeId: string, request: RoomRequest): Promise<RoomReply | 'absent' | 'timeout'> {
    this.#redis.available();
    this.#redis.requests.push({ from: this.#nodeId, to: nodeId, request });
    const target = this.#redis.listeners.get(nodeId);
    if (!target) return 'absent';
    // Through the wire as JSON, as between processes.
    return JSON.parse(JSON.stringify(await target.answer(JSON.parse(JSON.stringify(request)) as RoomRequest))) as RoomReply;
  }

  async listening(nodeId: string): Promise<boolean> {
    this.#redis.available();
    return this.#redis.listeners.has(nodeId);
  }

  async notify(notice: Notice): Promise<void> {
    this.#redis.available();
    for (const { heard } of this.#redis.listeners.values()) heard(notice);
  }

  async stop(): Promise<void> {
    this.#redis.listeners.delete(this.#nodeId);
  }
}

export class FakePresence implements PresenceLedger {
  readonly #redis: FakeRedis;
  readonly #nodeId: string;
  /** Room id -> one entry per socket, by participant. */
  readonly #sockets = new Map<string, string[]>();

  constructor(redis: FakeRedis, nodeId: string) {
    this.#redis = redis;
    this.#nodeId = nodeId;
  }

  async add(roomId: string, participantId: string): Promise<boolean> {
    const sockets = this.#sockets.get(roomId) ?? [];
    this.#sockets.set(roomId, [...sockets, participantId]);
    this.#here(roomId).add(participantId);
    return !sockets.includes(participantId);
  }

  async remove(roomId: string, participantId: string): Promise<boolean> {
    const sockets = [...(this.#sockets.get(roomId) ?? [])];
    const at = sockets.indexOf(participantId);
    if (at >= 0) sockets.splice(at, 1);
    if (sockets.length > 0) this.#sockets.set(roomId, sockets);
    else this.#sockets.delete(roomId);
    if (sockets.includes(participantId)) return false;
    this.#here(roomId).delete(participantId);
    return true;
  }

  rooms(): string[] {
    return [...this.#sockets.keys()];
  }

  async present(roomId: string): Promise<Set<string>> {
    this.#redis.available();
    return new Set([...(this.#redis.present.get(roomId)?.values() ?? [])].flatMap((ids) => [...ids]));
  }

  async refresh(): Promise<void> {}

  async leave(): Promise<void> {
    for (const roomId of this.rooms()) this.#redis.present.get(roomId)?.delete(this.#nodeId);
    this.#sockets.clear();
  }

  #here(roomId: string): Set<string> {
    const nodes = this.#redis.present.get(roomId) ?? new Map<string, Set<string>>();
    this.#redis.present.set(roomId, nodes);
    const here = nodes.get(this.#nodeId) ?? new Set<string>();
    nodes.set(this.#nodeId, here);
    return here;
  }
}

/** What a room sent its people, in order. */
export class RecordingAudience implements RoomAudience {
  readonly groups: RoomMessage[] = [];
  readonly selves: { participantId: string; message: SelfMessage }[] = [];
  readonly dismissals: { participantId: string; code: ErrorCode }[] = [];

  group(_roomId: string, message: RoomMessage): void {
    this.groups.push(message);
  }

  self(participantId: string, message: SelfMessage): void {
    this.selves.push({ participantId, message });
  }

  admitted(participantId: string, _roomId: string, snapshot: Snapshot): void {
    this.selves.push({ participantId, message: { serverTime: snapshot.serverTime, self: snapshot.self } });
  }

  dismissed(participantId: string, code: ErrorCode): void {
    this.dismissals.push({ participantId, code });
  }

  get sent(): number {
    return this.groups.length + this.selves.length + this.dismissals.length;
  }
}
