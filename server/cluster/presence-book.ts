import type { Logger } from '../logger.js';
import { LuaScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { roomKeys } from '../redis/redis-keys.js';

// KEYS: the room's node set, then each listed node's presence set; ARGV: those node ids.
// A node whose set has expired has stopped refreshing it (it died): it leaves the node set.
const PRESENT = new LuaScript(`
local present = {}
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[i])) do present[#present + 1] = id end
  else
    redis.call('SREM', KEYS[1], ARGV[i - 1])
  end
end
return present
`);

/** What the cluster needs of the record of who is connected where (PresenceBook in Redis; a fake in unit tests). */
export interface PresenceLedger {
  /** Count a socket in; true when it is this participant's first on this node. */
  add(roomId: string, participantId: string): Promise<boolean>;
  /** Count a socket out; true when it was this participant's last on this node. */
  remove(roomId: string, participantId: string): Promise<boolean>;
  /** Rooms with sockets on this node. */
  rooms(): string[];
  /** Everyone connected to the room on any live node. Throws when the store cannot answer. */
  present(roomId: string): Promise<Set<string>>;
  /** Rewrite and extend this node's records (heals what an outage lost). */
  refresh(): Promise<void>;
  /** Remove this node from every room (it is shutting down). */
  leave(): Promise<void>;
}

/**
 * Who is connected to a room, across nodes. Each node counts its own sockets per participant and
 * keeps the set of those it holds in `{room:<id>}:at:<node>`, refreshed by its heartbeat and
 * expiring when the node dies. A participant is present while any live node lists them.
 */
export class PresenceBook implements PresenceLedger {
  readonly #redis: RedisClient;
  readonly #nodeId: string;
  readonly #ttlMs: number;
  readonly #logger: Logger;
  readonly #sockets = new Map<string, Map<string, number>>();

  constructor(redis: RedisClient, nodeId: string, ttlMs: number, logger: Logger) {
    this.#redis = redis;
    this.#nodeId = nodeId;
    this.#ttlMs = ttlMs;
    this.#logger = logger;
  }

  /** Count a socket in; true when it is this participant's first here (Redis has been told). */
  async add(roomId: string, participantId: string): Promise<boolean> {
    const counts = this.#sockets.get(roomId) ?? new Map<string, number>();
    this.#sockets.set(roomId, counts);
    const count = (counts.get(participantId) ?? 0) + 1;
    counts.set(participantId, count);
    if (count > 1) return false;
    const keys = roomKeys(roomId);
    const mine = keys.presentAt(this.#nodeId);
    await this.#quietly(
      this.#redis.multi().sAdd(mine, participantId).pExpire(mine, this.#ttlMs).sAdd(keys.nodes, this.#nodeId).pExpire(keys.nodes, this.#ttlMs * 4).exec(),
    );
    return true;
  }

  /** Count a socket out; true when it was this participant's last here. */
  async remove(roomId: string, participantId: string): Promise<boolean> {
    const counts = this.#sockets.get(roomId);
    const count = (counts?.get(participantId) ?? 1) - 1;
    if (count > 0) {
      counts!.set(participantId, count);
      return false;
    }
    counts?.delete(participantId);
    if (counts?.size === 0) this.#sockets.delete(roomId);
    await this.#quietly(this.#redis.sRem(roomKeys(roomId).presentAt(this.#nodeId), participantId));
    return true;
  }

  /** Rooms with sockets on this node. */
  rooms(): string[] {
    return [...this.#sockets.keys()];
  }

  /** Everyone connected to the room on any live node. Throws when Redis cannot answer. */
  async present(roomId: string): Promise<Set<string>> {
    const keys = roomKeys(roomId);
    const nodes = await this.#redis.sMembers(keys.nodes);
    if (nodes.length === 0) return new Set();
    const ids = (await PRESENT.run(this.#redis, [keys.nodes, ...nodes.map((node) => keys.presentAt(node))], nodes)) as string[];
    return new Set(ids);
  }

  /** Rewrite this node's sets from its own counts and extend them: heals anything a Redis outage lost. */
  async refresh(): Promise<void> {
    await this.#quietly(
      Promise.all(
        // One transaction per room: on Redis Cluster a transaction may only touch one slot.
        [...this.#sockets].map(([roomId, counts]) => {
          const keys = roomKeys(roomId);
          const mine = keys.presentAt(this.#nodeId);
          return this.#redis
            .multi()
            .del(mine)
            .sAdd(mine, [...counts.keys()])
            .pExpire(mine, this.#ttlMs)
            .sAdd(keys.nodes, this.#nodeId)
            .pExpire(keys.nodes, this.#ttlMs * 4)
            .exec();
        }),
      ),
    );
  }

  /** Remove this node from every room (it is shutting down, its sockets are closed). */
  async leave(): Promise<void> {
    const rooms = this.rooms();
    this.#sockets.clear();
    await this.#quietly(
      Promise.all(
        rooms.map((roomId) => {
          const keys = roomKeys(roomId);
          return this.#redis.multi().del(keys.presentAt(this.#nodeId)).sRem(keys.nodes, this.#nodeId).exec();
        }),
      ),
    );
  }

  async #quietly(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      // The heartbeat's refresh rewrites the sets once Redis is back.
      this.#logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'presence not recorded yet');
    }
  }
}
