import { migrateRoom } from '../../shared/session/migrations.js';
import type { RoomState } from '../../shared/session/state.js';
import { LuaScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { roomIndexKey, roomKeys } from '../redis/redis-keys.js';
import { NotOwner, StoreUnavailable, type LeasedRoomStore, type RoomSummary } from './room-store.js';

export interface RedisStoreOptions {
  /** Every key of a room expires this long after its last change: ended and idle rooms go away. */
  ttlMs: number;
  /** A room as created (nobody has entered it yet) expires this soon, unless that is later than `ttlMs`. */
  unusedTtlMs?: number;
  /** When set, a save succeeds only while this node holds the room's lease (fencing a deposed owner). */
  fenceNodeId: string | null;
}

const UNCHANGED = '-';

// KEYS: state, applied, feedback items, feedback submitters, owner.
// ARGV: expected revision ('' on create), fence node ('' for none), ttl ms, revision, version, json,
// title, createdAt, ended, items ('-' unchanged, '' none, else JSON), submitters count ('-' unchanged),
// applied reset ('1' replaces the whole hash), applied pair count, then applied pairs, then submitters.
const SAVE = new LuaScript(`
if ARGV[2] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[2] then return -1 end
if ARGV[1] == '' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
elseif redis.call('HGET', KEYS[1], 'revision') ~= ARGV[1] then
  return 0
end
local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'revision', ARGV[4], 'version', ARGV[5], 'json', ARGV[6], 'title', ARGV[7], 'createdAt', ARGV[8], 'ended', ARGV[9])
if ARGV[10] ~= '-' then
  if ARGV[10] == '' then redis.call('DEL', KEYS[3]) else redis.call('SET', KEYS[3], ARGV[10]) end
end
local pairCount = tonumber(ARGV[13])
local at = 14
if ARGV[12] == '1' then redis.call('DEL', KEYS[2]) end
for i = 1, pairCount do
  redis.call('HSET', KEYS[2], ARGV[at], ARGV[at + 1])
  at = at + 2
end
if ARGV[11] ~= '-' then
  redis.call('DEL', KEYS[4])
  local count = tonumber(ARGV[11])
  for i = 0, count - 1 do redis.call('SADD', KEYS[4], ARGV[at + i]) end
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
return 1
`);

type FeedbackContent = Pick<RoomState['feedback'], 'items' | 'receipts'>;

/**
 * Room state in Redis. The state is one hash; apart from it are the applied command ids (a hash
 * per participant), the open prompt's answers with their command ids (content, no author), and
 * the set of who answered (no order, no time), deleted when the prompt closes. Every save is one
 * Lua script that checks the revision (and the lease, when fenced) before writing anything.
 */
export class RedisStore implements LeasedRoomStore {
  readonly #redis: RedisClient;
  readonly #options: RedisStoreOptions;
  /** The last state this store wrote per room, so a save sends only the parts that changed. */
  readonly #written = new Map<string, RoomState>();

  constructor(redis: RedisClient, options: RedisStoreOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  async create(state: RoomState): Promise<void> {
    const outcome = await this.#write(state, null);
    if (outcome === 0) throw new Error(`room ${state.id} exists`);
    await this.#call(() => this.#redis.zAdd(roomIndexKey, { score: state.createdAt, value: state.id }));
  }

  async ping(): Promise<void> {
    await this.#call(() => this.#redis.ping());
  }

  async load(roomId: string): Promise<RoomState | null> {
    const keys = roomKeys(roomId);
    const [json, applied, content, submitters] = await this.#call(() =>
      this.#redis.multi().hGet(keys.state, 'json').hGetAll(keys.applied).get(keys.feedbackItems).sMembers(keys.feedbackSubmitters).execTyped(),
    );
    if (json === null) return null;
    // Written by this release or an older one during a rolling deploy: brought up to this schema.
    const core = migrateRoom(JSON.parse(json));
    const feedback: FeedbackContent = content ? (JSON.parse(content) as FeedbackContent) : { items: [], receipts: [] };
    return {
      ...core,
      applied: Object.fromEntries(Object.entries(applied).map(([id, ids]) => [id, JSON.parse(ids) as string[]])),
      feedback: { ...core.feedback, items: feedback.items, receipts: feedback.receipts, submitters: submitters.sort() },
    };
  }

  async save(next: RoomState, expectedRevision: number): Promise<boolean> {
    const outcome = await this.#write(next, expectedRevision);
    if (outcome === -1) throw new NotOwner(next.id);
    return outcome === 1;
  }

  async list(): Promise<RoomSummary[]> {
    const ids = await this.#call(() => this.#redis.zRange(roomIndexKey, 0, -1));
    const rows = await this.#call(() => Promise.all(ids.map((id) => this.#redis.hmGet(roomKeys(id).state, ['title', 'createdAt', 'ended']))));
    const rooms: RoomSummary[] = [];
    const expired: string[] = [];
    ids.forEach((id, i) => {
      const [title, createdAt, ended] = rows[i] as (string | null)[];
      if (title == null || createdAt == null) return void expired.push(id);
      rooms.push({ id, title, createdAt: Number(createdAt), ended: ended === '1' });
    });
    if (expired.length > 0) await this.#call(() => this.#redis.zRem(roomIndexKey, expired));
    return rooms;
  }

  async delete(roomId: string): Promise<void> {
    const keys = roomKeys(roomId);
    await this.#call(() => this.#redis.del([keys.state, keys.applied, keys.feedbackItems, keys.feedbackSubmitters]));
    await this.#call(() => this.#redis.zRem(roomIndexKey, roomId));
    this.#written.delete(roomId);
  }

  /** Forget what was written for a room this node no longer runs. */
  forget(roomId: string): void {
    this.#written.delete(roomId);
  }

  /** The connection belongs to whoever made it; nothing to close here. */
  async close(): Promise<void> {
    this.#written.clear();
  }

  async #write(next: RoomState, expectedRevision: number | null): Promise<number> {
    const last = this.#written.get(next.id);
    // Diff against what this store wrote, but only if that is what Redis holds now.
    const base = last && expectedRevision !== null && last.revision === expectedRevision ? last : null;
    const { applied, feedback, ...rest } = next;
    const { items, receipts, submitters, ...feedbackRest } = feedback;
    const json = JSON.stringify({ ...rest, applied: {}, feedback: { ...feedbackRest, items: [], receipts: [], submitters: [] } });

    const contentChanged = !base || base.feedback.items !== items || base.feedback.receipts !== receipts;
    const content = !contentChanged ? UNCHANGED : items.length === 0 && receipts.length === 0 ? '' : JSON.stringify({ items, receipts });
    const submittersChanged = !base || base.feedback.submitters !== submitters;
    const appliedPairs: string[] = [];
    for (const [id, ids] of Object.entries(applied)) {
      if (!base || base.applied[id] !== ids) appliedPairs.push(id, JSON.stringify(ids));
    }
    const keys = roomKeys(next.id);
    const outcome = (await this.#call(() =>
      SAVE.run(
        this.#redis,
        [keys.state, keys.applied, keys.feedbackItems, keys.feedbackSubmitters, keys.owner],
        [
          expectedRevision ?? '',
          this.#options.fenceNodeId ?? '',
          // The first save of a room is its creation: until someone enters, it lives only as long as an unused room may.
          Math.round(expectedRevision === null ? Math.min(this.#options.ttlMs, this.#options.unusedTtlMs ?? Infinity) : this.#options.ttlMs),
          next.revision,
          next.version,
          json,
          next.title,
          next.createdAt,
          next.endedAt === null ? 0 : 1,
          content,
          submittersChanged ? submitters.length : UNCHANGED,
          base ? 0 : 1,
          appliedPairs.length / 2,
          ...appliedPairs,
          ...(submittersChanged ? submitters : []),
        ],
      ),
    )) as number;
    if (outcome === 1) this.#written.set(next.id, next);
    else this.#written.delete(next.id);
    return outcome;
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new StoreUnavailable(error);
    }
  }
}
