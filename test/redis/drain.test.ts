import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/events.js';
import { startBalancer, startNode, type NodeProcess } from '../support/cluster.js';
import { seatClusterRoom, group } from '../support/cluster-session.js';
import { startHoldspace, until } from '../support/holdspace.js';
import { waitFor } from '../support/media.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { ready: boolean; reason?: string } };
};

describe('/readyz', () => {
  let redis: RunningRedis;
  beforeAll(async () => void (redis = await startRedis()));
  afterAll(() => redis?.destroy());

  it('is 503 with a reason while Redis is down, and 200 again once it is back', async () => {
    const server = await startHoldspace({ REDIS_URL: redis.url });
    try {
      expect(await readyz(server.url)).toEqual({ status: 200, body: { ready: true } });
      await redis.stop('SIGKILL');
      const down = await readyz(server.url);
      expect(down.status).toBe(503);
      expect(down.body.reason).toMatch(/store .*does not answer/);
      // Alive all the same: a liveness probe must not restart a node for its store's outage.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await redis.start();
      await waitFor(async () => (await readyz(server.url)).status === 200, 10_000, 'ready again after Redis came back');
    } finally {
      await server.stop();
    }
  });
});

describe('draining', () => {
  it('refuses new rooms and reports not ready, runs the keep-rooms step, and leaves later commands for the next server', async () => {
    const server = await startHoldspace();
    const room = await server.createRoom();
    const facilitator = server.connect(room.token);
    await until(facilitator, (s) => s.group !== null);
    let release: () => void = () => undefined;
    const kept: string[] = [];
    server.holdspace.onDrain(async () => {
      kept.push(...(await server.holdspace.rooms.list()).map((summary) => summary.id));
      await new Promise<void>((resolve) => (release = resolve));
    });
    const drained = server.holdspace.drain(10_000);

    await waitFor(() => kept.length > 0, 5_000, 'the keep-rooms step ran');
    expect(kept).toEqual([room.roomId]);
    expect(await readyz(server.url)).toEqual({ status: 503, body: { ready: false, reason: 'draining: this server is shutting down' } });
    const refused = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.facilitatorKey}` },
      body: JSON.stringify({ title: 'Too late' }),
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ ok: false, code: 'DRAINING' });
    // Not refused (the client would give up on it) but unanswered: the client re-sends it, same id, once it reconnects.
    const late = await Promise.race([facilitator.send({ type: 'floor.mode', mode: 'stick' }), new Promise((resolve) => setTimeout(() => resolve('no answer'), 500))]);
    expect(late).toBe('no answer');

    release();
    expect(await drained).toBe(true);
    facilitator.close();
  });

  it('SIGTERM of a single process under a live session: every command it received is answered, then it exits 0', async () => {
    // Memory mode: REDIS_URL empty.
    const node: NodeProcess = await startNode({ redisUrl: '', nodeId: 'solo' });
    try {
      const room = await seatClusterRoom(node.url, [node.url], ['Ana', 'Ben', 'Chloe']);
      const { facilitator: f, everyone } = room;
      const answered: Ack[] = [];
      const burst = Array.from({ length: 40 }, (_, i) => f.connection.send({ type: 'agenda.set', phases: [{ name: `Part ${i}` }] }).then((ack) => void answered.push(ack)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await node.stop('SIGTERM');
      expect(node.exit).toBe(0);
      await Promise.race([Promise.all(burst), new Promise((resolve) => setTimeout(resolve, 1_000))]);
      // What reached the server before the signal was answered, and answered as applied.
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.filter((ack) => !ack.ok)).toEqual([]);
      const acked = Math.max(...answered.map((ack) => (ack.ok ? ack.version : 0)));
      // Nobody's view was left behind what the server told the facilitator it had applied.
      for (const connection of everyone) expect(group(connection).version, 'each client saw every applied change').toBeGreaterThanOrEqual(acked);
      everyone.forEach((c) => c.close());
    } finally {
      await node.destroy();
    }
  }, 60_000);
});

describe('SIGTERM with Redis and two nodes', () => {
  let redis: RunningRedis;
  beforeAll(async () => void (redis = await startRedis()));
  afterAll(() => redis?.destroy());

  it('hands the room to the other node: commands sent around the signal are all applied once', async () => {
    const [a, b] = await Promise.all([startNode({ redisUrl: redis.url, nodeId: 'drain-a' }), startNode({ redisUrl: redis.url, nodeId: 'drain-b' })]);
    const balancer = await startBalancer([a.port, b.port]);
    try {
      const room = await seatClusterRoom(a.url, [balancer.url], ['Ana', 'Ben', 'Chloe']);
      const { facilitator: f, everyone } = room;
      const start = group(f.connection).version;
      const sent = Array.from({ length: 30 }, (_, i) => f.connection.send({ type: 'agenda.set', phases: [{ name: `Part ${i}` }] }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      // Clients of the stopped node come back through the balancer to the other one.
      await a.stop('SIGTERM');
      expect(a.exit).toBe(0);
      const acks = await Promise.all(sent);
      expect(acks.filter((ack) => !ack.ok)).toEqual([]);
      // The drain answered all it applied before handing over: nothing came back to be re-sent as a duplicate.
      expect(acks.filter((ack) => ack.ok && ack.duplicate)).toEqual([]);
      const versions = acks.map((ack) => (ack.ok ? ack.version : 0));
      // Each applied exactly once: a re-sent command is answered with the version it was first applied at.
      expect(new Set(versions).size).toBe(sent.length);
      expect(Math.min(...versions)).toBeGreaterThan(start);
      const acked = Math.max(...versions);
      await waitFor(() => everyone.every((c) => group(c).version >= acked), 10_000, 'everyone caught up on the other node');
      expect(group(f.connection).agenda.phases).toEqual([{ name: `Part ${versions.indexOf(Math.max(...versions))}`, prompts: [] }]);
      everyone.forEach((c) => c.close());
    } finally {
      await balancer.close();
      await Promise.all([a.destroy(), b.destroy()]);
    }
  }, 90_000);
});

