import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import type { Ack, SnapshotAck } from '../../shared/protocol/events.js';
import { connectTo, startBalancer, startNodes, type Balancer, type NodeProcess } from '../support/cluster.js';
import { consistent, group, seatClusterRoom, type ClusterRoom } from '../support/cluster-session.js';
import { until } from '../support/holdspace.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

const PERSISTENCE_OFF = /persistence is off/;
const TAKING_OVER = /taking its rooms over/g;

const sync = (connection: RoomConnection) => connection.socket.timeout(5_000).emitWithAck('sync', {}) as Promise<SnapshotAck>;
const code = (answer: Ack | SnapshotAck) => (answer.ok ? 'ok' : answer.code);

/** Ask until Redis is back in reach (nodes reconnect by themselves), then answer what came. */
async function onceReachable<T extends Ack | SnapshotAck>(ask: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (answer.ok || !['STORE_UNAVAILABLE', 'ROOM_MOVING'].includes(answer.code) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Redis away, or back without what it held, told to people as it is; and a node's death logged as one event. */
describe('Redis outages and losses, on two nodes (Redis with an append-only file)', () => {
  let redis: RunningRedis;
  let nodes: [NodeProcess, NodeProcess];
  let balancer: Balancer;
  const rooms: ClusterRoom[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    nodes = (await startNodes(redis.url, ['node-a', 'node-b'])) as [NodeProcess, NodeProcess];
    balancer = await startBalancer(nodes.map((node) => node.port));
  }, 120_000);
  afterAll(async () => {
    rooms.forEach((room) => room.everyone.forEach((c) => c.close()));
    await balancer?.close();
    await Promise.all(nodes?.map((node) => node.destroy()) ?? []);
    await redis?.destroy();
  });

  it('says nothing about persistence when Redis keeps an append-only file', () => {
    for (const node of nodes) expect(node.output).not.toMatch(PERSISTENCE_OFF);
  });

  it('logs the takeover of a dead node once, however many sockets and commands find it gone', async () => {
    const [a, b] = nodes;
    const room = await seatClusterRoom(a.url, [balancer.url, b.url], ['Ana', 'Ben', 'Chloe', 'Dev', 'Eve']);
    rooms.push(room);
    const onB = room.members.filter((m) => m.url === b.url);
    try {
      await a.stop('SIGKILL');
      // Members on the surviving node act at once: each command finds the owner gone.
      const acks = await Promise.all(onB.map((m) => m.connection.send({ type: 'hand.raise' })));
      expect(acks.map(code)).toEqual(onB.map(() => 'ok'));
      await consistent(room.everyone, 10_000, Math.max(...acks.map((ack) => (ack.ok ? ack.version : 0))));
      expect(b.output.match(TAKING_OVER) ?? []).toHaveLength(1);
    } finally {
      room.everyone.forEach((c) => c.close());
      if (!a.running) await a.start('node-a-again');
    }
  }, 120_000);

  it('answers a sync from an admitted member on a node not running the room STORE_UNAVAILABLE while Redis is away', async () => {
    const [a, b] = nodes;
    // Ana connects to B while still waiting; the facilitator on A admits her.
    const room = await seatClusterRoom(a.url, [a.url, b.url], ['Ana', 'Ben']);
    rooms.push(room);
    const ana = room.member('Ana');
    expect(ana.url).toBe(b.url);
    expect(code(await sync(ana.connection))).toBe('ok');
    const before = group(ana.connection);

    await redis.stop('SIGKILL');
    try {
      const answer = await sync(ana.connection);
      expect(answer).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
      // Her own resync changes nothing either: she still sees the room, not the waiting room.
      ana.connection.resync();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(group(ana.connection)).toEqual(before);
      expect(ana.connection.snapshot.self?.role === 'member' && ana.connection.snapshot.self.you.status).toBe('admitted');
    } finally {
      await redis.start();
    }
    const back = await onceReachable(() => sync(ana.connection));
    expect(back).toMatchObject({ ok: true, self: { you: { status: 'admitted' } } });
  }, 60_000);
});

describe('Redis without persistence, restarted under a running session', () => {
  let redis: RunningRedis;
  let nodes: [NodeProcess, NodeProcess];
  let room: ClusterRoom;

  beforeAll(async () => {
    redis = await startRedis({ persistence: false });
    nodes = (await startNodes(redis.url, ['node-c', 'node-d'], { SESSION_RECHECK_SECONDS: '1' })) as [NodeProcess, NodeProcess];
    room = await seatClusterRoom(nodes[0].url, [nodes[0].url, nodes[1].url], ['Ana', 'Ben', 'Chloe', 'Dev']);
  }, 120_000);
  afterAll(async () => {
    room?.everyone.forEach((c) => c.close());
    await Promise.all(nodes?.map((node) => node.destroy()) ?? []);
    await redis?.destroy();
  });

  it('warns at start that a Redis restart would end every session', () => {
    for (const node of nodes) expect(node.output).toMatch(PERSISTENCE_OFF);
  });

  it('tells everyone the room no longer exists (ROOM_GONE), on both nodes, by command, sync, handshake and re-check', async () => {
    const [c, d] = nodes;
    const { facilitator: f, member } = room;
    expect([member('Ana').url, f.url]).toEqual([d.url, c.url]);
    await redis.stop('SIGKILL');
    await redis.start();

    // A sync on the node not running the room.
    const synced = await onceReachable(() => sync(member('Ana').connection));
    expect(synced).toMatchObject({ ok: false, code: 'ROOM_GONE' });
    // Commands, on the node that ran it and on the other.
    const fromOwner = await onceReachable(() => f.connection.send({ type: 'floor.mode', mode: 'queue' }));
    expect(fromOwner).toMatchObject({ ok: false, code: 'ROOM_GONE', message: expect.stringMatching(/no longer exists/) });
    const fromOther = await onceReachable(() => member('Chloe').connection.send({ type: 'hand.raise' }));
    expect(code(fromOther)).toBe('ROOM_GONE');
    // The clients that were told say so, and stop.
    for (const connection of [f.connection, member('Chloe').connection]) {
      expect(connection.snapshot).toMatchObject({ status: 'closed', farewell: { code: 'ROOM_GONE' } });
    }
    // A new connection with a token of the room.
    const again = connectTo(c.url, member('Ben').token);
    try {
      await until(again, (s) => s.status === 'closed', 10_000);
      expect(again.snapshot.farewell).toMatchObject({ code: 'ROOM_GONE', message: expect.stringMatching(/no longer exists/) });
    } finally {
      again.close();
    }
    // Those who sent nothing hear it from the periodic re-check of open sockets.
    for (const name of ['Ana', 'Ben', 'Dev']) {
      await until(member(name).connection, (s) => s.farewell?.code === 'ROOM_GONE', 10_000);
    }
  }, 60_000);
});
