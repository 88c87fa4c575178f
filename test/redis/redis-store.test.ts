import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupRoom, type TestRoom } from '../../shared/session/fixtures.test-support.js';
import type { RoomState } from '../../shared/session/state.js';
import { connectRedis, closeRedis, type RedisClient } from '../../server/redis/redis-connection.js';
import { roomKeys } from '../../server/redis/redis-keys.js';
import { RoomLeases } from '../../server/cluster/room-lease.js';
import { RedisStore } from '../../server/store/redis-store.js';
import { NotOwner, StoreUnavailable } from '../../server/store/room-store.js';
import { pino } from 'pino';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

const logger = pino({ level: 'silent' });
const HOUR = 3_600_000;

/** A room with a feedback prompt open and two answers in, under a fresh id. */
function roomWithAnswers(): { room: TestRoom; state: () => RoomState } {
  const room = groupRoom({ members: 4 });
  room.act(room.m(0), 'hand.raise');
  room.lead('feedback.open', { question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
  const promptId = room.state.feedback.open!.id;
  room.act(room.m(1), 'feedback.submit', { promptId, text: 'marker-first answer' });
  room.act(room.m(2), 'feedback.submit', { promptId, text: 'marker-second answer' });
  const id = `room-${randomBytes(6).toString('base64url')}`;
  return { room, state: () => ({ ...room.state, id }) };
}

/**
 * The Redis store on its own, against a real redis-server: what it keeps where, that a save is
 * all or nothing, fenced by the lease, and that rooms expire.
 */
describe('the Redis store', () => {
  let redis: RunningRedis;
  let client: RedisClient;
  let store: RedisStore;

  beforeAll(async () => {
    redis = await startRedis();
    client = await connectRedis({ urls: [redis.url], cluster: false }, 'commands', logger);
    store = new RedisStore(client, { ttlMs: HOUR, fenceNodeId: null });
  });
  afterAll(async () => {
    if (client) await closeRedis(client);
    await redis?.destroy();
  });

  it('gives back exactly the state it was given, through create and each save', async () => {
    const { room, state } = roomWithAnswers();
    await store.create(state());
    expect(await store.load(state().id)).toEqual(state());
    let previous = state();
    room.act(room.m(3), 'hand.raise');
    room.act(room.m(3), 'feedback.submit', { promptId: room.state.feedback.open!.id, text: 'marker-third' });
    expect(await store.save(state(), previous.revision)).toBe(true);
    expect(await store.load(state().id)).toEqual(state());
    previous = state();
    room.lead('feedback.close');
    expect(await store.save(state(), previous.revision)).toBe(true);
    expect(await store.load(state().id)).toEqual(state());
    await expect(store.create(state())).rejects.toThrow(/exists/);
  });

  it('keeps feedback content without authors, who answered apart and unordered, and forgets both at close', async () => {
    const { room, state } = roomWithAnswers();
    await store.create(state());
    const keys = roomKeys(state().id);
    const content = (await client.get(keys.feedbackItems))!;
    expect(content).toContain('marker-first answer');
    // No participant id or name sits next to the content.
    for (const person of Object.values(state().participants)) {
      expect(content).not.toContain(person.id);
      expect(content).not.toContain(person.name);
    }
    // Who answered: two keyed tags (as the session model keeps them), not member ids.
    const submitters = await client.sMembers(keys.feedbackSubmitters);
    expect(submitters.sort()).toEqual([...state().feedback.submitters].sort());
    expect(submitters).toHaveLength(2);
    for (const person of Object.values(state().participants)) expect(submitters).not.toContain(person.id);
    // Nor is any of it in the main state, or in the per-person command record.
    const json = (await client.hGet(keys.state, 'json'))!;
    expect(json).not.toContain('marker-');
    expect(JSON.stringify(await client.hGetAll(keys.applied))).not.toContain('marker-');

    const before = state();
    room.lead('feedback.close');
    await store.save(state(), before.revision);
    expect(await client.exists([keys.feedbackItems, keys.feedbackSubmitters])).toBe(0);
  });

  it('puts all of a room under one hash tag, so Redis Cluster keeps them in one slot', async () => {
    const { state } = roomWithAnswers();
    await store.create(state());
    const keys = await client.keys(`*${state().id}*`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect(key.startsWith(`{room:${state().id}}:`)).toBe(true);
  });

  it('refuses a save from a stale revision and changes nothing', async () => {
    const { room, state } = roomWithAnswers();
    await store.create(state());
    const stale = state();
    room.act(room.m(3), 'hand.raise');
    expect(await store.save(state(), stale.revision)).toBe(true);
    const stored = await store.load(state().id);
    room.act(room.m(0), 'hand.lower');
    expect(await store.save(state(), stale.revision)).toBe(false);
    expect(await store.load(state().id)).toEqual(stored);
  });

  it('refuses a save from a node that no longer holds the lease (fencing)', async () => {
    const { room, state } = roomWithAnswers();
    const leasesA = new RoomLeases(client, 'node-a', 60_000);
    const leasesB = new RoomLeases(client, 'node-b', 60_000);
    const onA = new RedisStore(client, { ttlMs: HOUR, fenceNodeId: 'node-a' });
    expect(await leasesA.claim(state().id)).toBe('reclaimed');
    await onA.create(state());
    await leasesA.release(state().id);
    expect(await leasesB.claim(state().id)).toBe('reclaimed');
    expect(await leasesA.claim(state().id)).toBe('taken');
    const before = state();
    room.act(room.m(3), 'hand.raise');
    await expect(onA.save(state(), before.revision)).rejects.toBeInstanceOf(NotOwner);
    expect(await store.load(state().id)).toEqual(before);
  });

  it('lets rooms expire after their time to live, and drops them from the list', async () => {
    const brief = new RedisStore(client, { ttlMs: 300, fenceNodeId: null });
    const { state } = roomWithAnswers();
    await brief.create(state());
    expect((await brief.list()).map((room) => room.id)).toContain(state().id);
    const ttl = await client.pTTL(roomKeys(state().id).state);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await brief.load(state().id)).toBeNull();
    expect(await client.keys(`*${state().id}*`)).toEqual([]);
    expect((await brief.list()).map((room) => room.id)).not.toContain(state().id);
  });

  it('forgets a room nobody entered after the unused time, and keeps one that changed for the full time to live', async () => {
    const store = new RedisStore(client, { ttlMs: HOUR, unusedTtlMs: 300, fenceNodeId: null });
    const unused = roomWithAnswers();
    const used = roomWithAnswers();
    await store.create(unused.state());
    await store.create(used.state());
    const created = used.state();
    used.room.act(used.room.m(3), 'hand.raise');
    expect(await store.save(used.state(), created.revision)).toBe(true);
    expect(await client.pTTL(roomKeys(unused.state().id).state)).toBeLessThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await store.load(unused.state().id)).toBeNull();
    expect(await client.keys(`*${unused.state().id}*`)).toEqual([]);
    expect(await store.load(used.state().id)).toEqual(used.state());
    expect(await client.pTTL(roomKeys(used.state().id).state)).toBeGreaterThan(HOUR - 60_000);
  });

  it('answers StoreUnavailable at once while Redis is away, and works again when it is back', async () => {
    const { room, state } = roomWithAnswers();
    await store.create(state());
    const before = state();
    await redis.stop('SIGKILL');
    room.act(room.m(3), 'hand.raise');
    const started = Date.now();
    await expect(store.save(state(), before.revision)).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.load(before.id)).rejects.toBeInstanceOf(StoreUnavailable);
    expect(Date.now() - started).toBeLessThan(1_000);
    await redis.start();
    const deadline = Date.now() + 5_000;
    while (!client.isReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.load(before.id)).toEqual(before);
    expect(await store.save(state(), before.revision)).toBe(true);
  });
});
