import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/events.js';
import type { Actor } from '../../shared/session/rules.js';
import { feedbackAnonymiser } from '../../server/access/anonymiser.js';
import { ClusterRooms } from '../../server/cluster/cluster-rooms.js';
import { createLogger } from '../../server/logger.js';
import type { RoomHandle } from '../../server/rooms/room-directory.js';
import { FakeRedis, RecordingAudience } from '../support/cluster-fakes.js';

/**
 * The cluster's routing and takeover with fakes at its ports (store, leases, link, presence):
 * every branch in milliseconds. test/redis/* prove the same against real processes and Redis.
 */
let nodes: ClusterRooms[] = [];
let counter = 0;
const commandId = () => `cmd-${String(++counter).padStart(6, '0')}`;

async function startNode(redis: FakeRedis, nodeId: string, endedRetentionMs = 60_000): Promise<ClusterRooms> {
  const rooms = new ClusterRooms({
    nodeId,
    anonymise: feedbackAnonymiser('a-secret-for-tests-only-0123456789'),
    // Long: no heartbeat fires during a test unless it asks for one.
    leaseMs: 60_000,
    endedRetentionMs,
    ...redis.node(nodeId),
    logger: createLogger('silent'),
    settings: {},
    closeSockets: () => undefined,
  });
  rooms.reachThrough(new RecordingAudience());
  await rooms.start();
  nodes.push(rooms);
  return rooms;
}

const facilitatorOf = (room: RoomHandle): Actor => ({ role: 'facilitator', id: room.state.facilitatorIds[0]! });
const stick = (room: RoomHandle): Promise<Ack> => room.dispatch(facilitatorOf(room), { id: commandId(), type: 'floor.mode', mode: 'stick' });

afterEach(async () => {
  await Promise.allSettled(nodes.map((node) => node.close()));
  nodes = [];
});

describe('the cluster router', () => {
  it('forwards a command to the node running the room, which applies it', async () => {
    const redis = new FakeRedis();
    const [a, b] = [await startNode(redis, 'node-a'), await startNode(redis, 'node-b')];
    const created = await b.create('Tuesday group', { name: 'Dana' });
    const viaA = (await a.get(created.id))!;

    const ack = await stick(viaA);

    expect(ack).toEqual({ ok: true, version: created.state.version + 1 });
    expect(redis.requests.map(({ from, to }) => [from, to])).toEqual([['node-a', 'node-b']]);
    expect(redis.rooms.get(created.id)!.floor.mode).toBe('stick');
    expect([a.loaded, b.loaded]).toEqual([0, 1]);
    expect(redis.owners.get(created.id)).toBe('node-b');
  });

  it('takes the room over when its owner no longer listens (it died)', async () => {
    const redis = new FakeRedis();
    const [a, b] = [await startNode(redis, 'node-a'), await startNode(redis, 'node-b')];
    const created = await b.create('Tuesday group', { name: 'Dana' });
    const viaA = (await a.get(created.id))!;
    redis.listeners.delete('node-b');

    const ack = await stick(viaA);

    expect(ack).toEqual({ ok: true, version: created.state.version + 1 });
    expect(redis.owners.get(created.id)).toBe('node-a');
    expect(a.loaded).toBe(1);
    expect(redis.rooms.get(created.id)!.floor.mode).toBe('stick');
  });

  it('takes the room over when its lease lapsed, and the old owner’s actor steps aside (NotOwner → ROOM_MOVING) and forwards', async () => {
    const redis = new FakeRedis();
    const [a, b] = [await startNode(redis, 'node-a'), await startNode(redis, 'node-b')];
    const created = await b.create('Tuesday group', { name: 'Dana' });
    const viaA = (await a.get(created.id))!;
    redis.owners.delete(created.id);

    expect(await stick(viaA)).toMatchObject({ ok: true });
    expect(redis.owners.get(created.id)).toBe('node-a');
    expect(redis.requests).toEqual([]);

    // node-b still runs its actor: its save is refused by the fence, it lets the room go and forwards.
    const ack = await created.dispatch(facilitatorOf(created), { id: commandId(), type: 'floor.mode', mode: 'open' });
    expect(ack).toEqual({ ok: true, version: created.state.version + 2 });
    expect([a.loaded, b.loaded]).toEqual([1, 0]);
    expect(redis.requests.map(({ from, to }) => [from, to])).toEqual([['node-b', 'node-a']]);
    expect(redis.rooms.get(created.id)!.floor.mode).toBe('open');
  });

  it('answers ROOM_GONE when the room is no longer in the store, and frees the lease it took', async () => {
    const redis = new FakeRedis();
    const [a, b] = [await startNode(redis, 'node-a'), await startNode(redis, 'node-b')];
    const created = await b.create('Tuesday group', { name: 'Dana' });
    const viaA = (await a.get(created.id))!;
    // A Redis that kept nothing came back empty.
    redis.rooms.clear();
    redis.owners.clear();

    expect(await stick(viaA)).toMatchObject({ ok: false, code: 'ROOM_GONE' });
    expect(redis.owners.has(created.id)).toBe(false);
    expect(a.loaded).toBe(0);
  });

  it('answers STORE_UNAVAILABLE while the store is away, and changes nothing', async () => {
    const redis = new FakeRedis();
    const a = await startNode(redis, 'node-a');
    const created = await a.create('Tuesday group', { name: 'Dana' });
    const before = redis.rooms.get(created.id);
    redis.owners.delete(created.id);
    await a.close();
    const b = await startNode(redis, 'node-b');
    const viaB = (await b.get(created.id))!;
    redis.down = true;

    expect(await stick(viaB)).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
    redis.down = false;
    expect(redis.rooms.get(created.id)).toBe(before);
    expect(await stick(viaB)).toMatchObject({ ok: true });
  });
});

describe('the cluster’s rooms', () => {
  it('let go of an ended session after the retention time, as one process does', async () => {
    const redis = new FakeRedis();
    const a = await startNode(redis, 'node-a', 50);
    const created = await a.create('Tuesday group', { name: 'Dana' });

    expect(await created.dispatch(facilitatorOf(created), { id: commandId(), type: 'session.end' })).toMatchObject({ ok: true });
    expect(a.loaded).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(a.loaded).toBe(0);
    expect(redis.owners.has(created.id)).toBe(false);
    expect(redis.rooms.get(created.id)?.endedAt).not.toBeNull();
  });
});
