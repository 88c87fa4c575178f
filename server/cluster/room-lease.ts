import { LuaScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { roomKeys } from '../redis/redis-keys.js';

// 1: held and renewed; 2: it had lapsed and nobody took it, so it is ours again; 0: another node holds it.
const CLAIM = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 2
`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

// The node is gone: drop its lease on the room if it still holds it, and its sockets there.
const EVICT = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`);

export type Claim = 'held' | 'reclaimed' | 'taken';

/** What the cluster needs of the room leases (RoomLeases in Redis; a fake in unit tests). */
export interface Leases {
  /** Take the room if nobody holds it, or renew it if this node does. */
  claim(roomId: string): Promise<Claim>;
  holder(roomId: string): Promise<string | null>;
  /** Let the room go, if this node holds it. */
  release(roomId: string): Promise<void>;
  /** A node that no longer listens on Redis has died: free its rooms without waiting for the lease to lapse. */
  evict(roomId: string, deadNodeId: string): Promise<void>;
}

/**
 * One owner per room: a key `{room:<id>}:owner` holding the node id, set with NX semantics and a
 * time to live, renewed by the owner's heartbeat. Saves are fenced on it (see RedisStore), so a
 * node that lost its lease cannot write even if it has not noticed yet.
 */
export class RoomLeases implements Leases {
  readonly #redis: RedisClient;
  readonly #nodeId: string;
  readonly #leaseMs: number;

  constructor(redis: RedisClient, nodeId: string, leaseMs: number) {
    this.#redis = redis;
    this.#nodeId = nodeId;
    this.#leaseMs = leaseMs;
  }

  /** Take the room if nobody holds it, or renew it if this node does. */
  async claim(roomId: string): Promise<Claim> {
    const outcome = await CLAIM.run(this.#redis, [roomKeys(roomId).owner], [this.#nodeId, this.#leaseMs]);
    return outcome === 1 ? 'held' : outcome === 2 ? 'reclaimed' : 'taken';
  }

  async holder(roomId: string): Promise<string | null> {
    return this.#redis.get(roomKeys(roomId).owner);
  }

  async release(roomId: string): Promise<void> {
    await RELEASE.run(this.#redis, [roomKeys(roomId).owner], [this.#nodeId]);
  }

  /** A node that no longer listens on Redis has died: free its rooms without waiting for the lease to lapse. */
  async evict(roomId: string, deadNodeId: string): Promise<void> {
    const keys = roomKeys(roomId);
    await EVICT.run(this.#redis, [keys.owner, keys.presentAt(deadNodeId), keys.nodes], [deadNodeId]);
  }
}
