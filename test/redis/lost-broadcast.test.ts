import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intent } from '../../client/src/session/connection.js';
import type { Ack } from '../../shared/protocol/events.js';
import { roomKeys } from '../../server/redis/redis-keys.js';
import { startBalancer, startNode, type Balancer, type NodeProcess } from '../support/cluster.js';
import { command, consistent, group, seatClusterRoom, type ClusterRoom } from '../support/cluster-session.js';
import { RECOVERY_LIMIT_MS } from '../support/failover.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

/**
 * The node running a room dies the instant a change is saved in Redis, before it broadcasts it
 * (a test hook makes the node kill itself there: see server/cluster/die-after-save.ts). The node
 * that takes the room over must send everyone the room as saved: clients on the surviving node,
 * whose sockets never dropped, hold the saved version within the failover time, with no later
 * command to bring it as a version gap.
 */
describe('a change saved by a node that died before broadcasting it', () => {
  let redis: RunningRedis;
  let folder: string;
  const nodes: Record<'a' | 'b', NodeProcess> = {} as Record<'a' | 'b', NodeProcess>;
  const armFiles = { a: '', b: '' };
  let balancer: Balancer;
  let inspect: ReturnType<typeof createClient>;
  const rooms: ClusterRoom[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    folder = await mkdtemp(join(tmpdir(), 'holdspace-arm-'));
    for (const name of ['a', 'b'] as const) {
      armFiles[name] = join(folder, `die-after-save-${name}`);
      nodes[name] = await startNode({ redisUrl: redis.url, nodeId: `node-${name}`, env: { HOLDSPACE_TEST_DIE_AFTER_SAVE: armFiles[name] } });
    }
    balancer = await startBalancer([nodes.a.port, nodes.b.port]);
    inspect = createClient({ url: redis.url });
    await inspect.connect();
  }, 120_000);
  afterAll(async () => {
    rooms.forEach((room) => room.everyone.forEach((c) => c.close()));
    await inspect?.close();
    await balancer?.close();
    await Promise.all(Object.values(nodes).map((node) => node.destroy()));
    await redis?.destroy();
    await rm(folder, { recursive: true, force: true });
  });

  /**
   * A room run by `owner`; the facilitator and every other member reach it through the balancer,
   * the rest connect straight to `survivor`. After `prepare`, `act` sends one command; the owner
   * dies right after saving it.
   */
  async function ownerDiesAfterSave(
    owner: 'a' | 'b',
    prepare: (room: ClusterRoom) => Promise<unknown>,
    act: (room: ClusterRoom) => Promise<Ack>,
  ): Promise<{ room: ClusterRoom; saved: number; ack: Ack; took: number }> {
    const survivor = owner === 'a' ? 'b' : 'a';
    const room = await seatClusterRoom(nodes[owner].url, [balancer.url, nodes[survivor].url], ['Ana', 'Ben', 'Chloe', 'Dev', 'Eve']);
    rooms.push(room);
    const keys = roomKeys(room.roomId);
    expect(await inspect.get(keys.owner)).toBe(nodes[owner].nodeId);
    await prepare(room);
    const before = await consistent(room.everyone).then(() => group(room.facilitator.connection).version);

    try {
      await writeFile(armFiles[owner], 'armed');
      const died = new Promise<void>((resolve) => {
        const poll = setInterval(() => !nodes[owner].running && (clearInterval(poll), resolve()), 5);
      });
      const acked = act(room);
      await died;
      const diedAt = Date.now();
      await rm(armFiles[owner], { force: true });
      const saved = Number(await inspect.hGet(keys.state, 'version'));
      expect(saved).toBe(before + 1);

      const took = (await consistent(room.everyone, RECOVERY_LIMIT_MS, saved)) - diedAt;
      expect(await inspect.get(keys.owner)).toBe(nodes[survivor].nodeId);
      const ack = await acked;
      return { room, saved, ack, took };
    } finally {
      await rm(armFiles[owner], { force: true });
      if (!nodes[owner].running) await nodes[owner].start(`node-${owner}-again`);
    }
  }

  const onSurvivor = (room: ClusterRoom, owner: 'a' | 'b') => room.members.filter((m) => m.url === nodes[owner === 'a' ? 'b' : 'a'].url);

  it('a hand raised by a member on the surviving node, forwarded to the owner: everyone sees it, its author once', async () => {
    let raiser = '';
    const { room, saved, ack, took } = await ownerDiesAfterSave(
      'a',
      async () => undefined,
      (r) => {
        const member = onSurvivor(r, 'a')[0]!;
        raiser = member.id;
        return member.connection.send({ type: 'hand.raise' } satisfies Intent);
      },
    );
    console.log(`forwarded hand raise saved as version ${saved}; every client held it ${took} ms after the owner died`);
    expect(ack).toMatchObject({ ok: true, version: saved });
    for (const c of room.everyone) expect(group(c).floor.queue).toEqual([raiser]);
  }, 120_000);

  it('the talking stick handed on by the facilitator: the next speaker and the others on the surviving node see it', async () => {
    let next = '';
    const { room, saved, took } = await ownerDiesAfterSave(
      'b',
      async (r) => {
        await command(r.everyone, r.facilitator.connection, { type: 'floor.mode', mode: 'stick' });
        await command(r.everyone, r.facilitator.connection, { type: 'floor.grant', to: r.member('Ana').id });
      },
      (r) => {
        next = onSurvivor(r, 'b').find((m) => m.name !== 'Ana')!.id;
        return r.facilitator.connection.send({ type: 'floor.grant', to: next });
      },
    );
    console.log(`stick handed on, saved as version ${saved}; every client held it ${took} ms after the owner died`);
    for (const c of room.everyone) expect(group(c).floor.turn?.holder).toBe(next);
  }, 120_000);
});
