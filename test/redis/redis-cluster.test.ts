import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeChannel, roomKeys } from '../../server/redis/redis-keys.js';
import { clusterSecrets, createRoomAt, startBalancer, startNodes, type Balancer, type NodeProcess } from '../support/cluster.js';
import { command, group, recordVersions, seatClusterRoom } from '../support/cluster-session.js';
import { failover, percentile } from '../support/failover.js';
import { startRedisCluster, type RunningRedisCluster } from '../support/redis-server.js';

/**
 * Two Holdspace nodes on a real Redis Cluster of three masters (REDIS_CLUSTER=true, one seed in
 * REDIS_URL: the nodes find the rest). The same session, forwarding and failover as on one
 * server, and each room's keys together on the shard its hash tag names.
 */
describe('Holdspace on a Redis Cluster', () => {
  let redis: RunningRedisCluster;
  let nodes: NodeProcess[];
  let balancer: Balancer;
  /** The cluster as a client sees it, and each master on its own (a key on another master answers MOVED). */
  let inspect: ReturnType<typeof createCluster>;
  let masters: ReturnType<typeof createClient>[];
  const recovery: number[] = [];

  /** The masters that hold any key matching the pattern, searched one by one (SCAN is per node). */
  const holding = async (pattern: string) => {
    const found = await Promise.all(masters.map(async (master) => (await master.scan('0', { MATCH: pattern, COUNT: 10_000 })).keys));
    return found.flatMap((keys, i) => (keys.length > 0 ? [{ master: i, keys }] : []));
  };

  beforeAll(async () => {
    redis = await startRedisCluster(3);
    nodes = await startNodes(redis.urls[0]!, ['node-a', 'node-b'], { REDIS_CLUSTER: 'true' });
    balancer = await startBalancer(nodes.map((node) => node.port));
    inspect = createCluster({ rootNodes: [{ url: redis.urls[0]! }] });
    masters = redis.urls.map((url) => createClient({ url }));
    await Promise.all([inspect.connect(), ...masters.map((master) => master.connect())]);
  });
  afterAll(async () => {
    if (recovery.length > 0) console.log(`Redis Cluster failover recovery over ${recovery.length} runs: p50 ${percentile(recovery, 50)} ms, worst ${Math.max(...recovery)} ms (${recovery.join(', ')} ms)`);
    await Promise.all([inspect?.close(), ...(masters ?? []).map((master) => master.close())]);
    await balancer?.close();
    await Promise.all(nodes?.map((node) => node.destroy()) ?? []);
    await redis?.destroy();
  });

  it('plays a session with clients on both nodes, every client seeing the same versions, the room’s keys in one slot', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const room = await seatClusterRoom(b.url, [a.url, b.url], ['Ana', 'Ben', 'Chloe', 'Dev']);
    const { everyone, facilitator: f, member } = room;
    try {
      const records = everyone.map((connection) => recordVersions(connection));
      const run = (who: typeof f.connection, intent: Parameters<typeof f.connection.send>[0]) => command(everyone, who, intent);
      // Facilitator, Ben and Dev are on node A: their commands are forwarded to B, which runs the room.
      await run(f.connection, { type: 'round.start', round: { prompt: 'How are you arriving today?', order: 'seats', timeBoxSeconds: 60, moodScale: false } });
      for (const name of ['Ana', 'Ben', 'Chloe', 'Dev']) await run(member(name).connection, { type: 'turn.done' });
      for (const name of ['Dev', 'Ana', 'Ben']) await run(member(name).connection, { type: 'hand.raise' });
      await run(f.connection, { type: 'floor.next', timeBoxSeconds: 120 });
      await run(member('Dev').connection, { type: 'turn.done' });
      await run(f.connection, { type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
      const promptId = group(f.connection).feedback.open!.id;
      for (const name of ['Ana', 'Ben', 'Chloe']) expect((await member(name).connection.send({ type: 'feedback.submit', promptId, text: `marker-${name}` })).ok).toBe(true);

      // Every key of the room so far (state, answers, who answered, lease, presence on both
      // nodes) is on one master, in one slot: the one its hash tag names.
      const keys = roomKeys(room.roomId);
      const shards = await holding(`*${room.roomId}*`);
      expect(shards).toHaveLength(1);
      const stored = shards[0]!.keys;
      expect(stored.sort()).toEqual(
        [keys.state, keys.applied, keys.feedbackItems, keys.feedbackSubmitters, keys.owner, keys.nodes, keys.presentAt(a.nodeId), keys.presentAt(b.nodeId)].sort(),
      );
      const slots = await Promise.all(stored.map((key) => inspect.clusterKeySlot(key)));
      expect(new Set(slots).size).toBe(1);
      expect(await masters[shards[0]!.master]!.clusterCountKeysInSlot(slots[0]!)).toBeGreaterThanOrEqual(stored.length);

      // Each node listens on a sharded channel, counted on that channel's shard alone.
      for (const node of nodes) {
        const counts = await Promise.all(masters.map(async (master) => (await master.pubSubShardNumSub(nodeChannel(node.nodeId)))[nodeChannel(node.nodeId)] ?? 0));
        expect(counts.sort()).toEqual([0, 0, 1]);
      }

      await run(f.connection, { type: 'feedback.close' });
      const released = everyone.map((c) => JSON.stringify(group(c).feedback.results.at(-1)));
      expect(new Set(released).size).toBe(1);
      expect(group(f.connection).feedback.results.at(-1)!.items!.map((item) => item.text).sort()).toEqual(['marker-Ana', 'marker-Ben', 'marker-Chloe']);
      expect(await inspect.exists([keys.feedbackItems, keys.feedbackSubmitters])).toBe(0);

      const last = group(f.connection).version;
      const reference = records[0]!;
      expect(reference.versions.length).toBeGreaterThan(10);
      for (const [i, record] of records.entries()) {
        expect(record.versions.at(-1), `client ${i}`).toBe(last);
        expect(record.versions, `client ${i}`).toEqual(reference.versions);
        for (const version of record.versions) expect(record.views.get(version), `client ${i} at version ${version}`).toBe(reference.views.get(version));
      }
    } finally {
      everyone.forEach((c) => c.close());
    }
  }, 90_000);

  it('spreads rooms over the shards by their hash tag, and lists them all from either node', async () => {
    const created: string[] = [];
    const shardOf = new Map<string, number>();
    // Room ids are random: three masters, so a second shard turns up within a few rooms.
    while (new Set(shardOf.values()).size < 2 && created.length < 20) {
      const { roomId } = await createRoomAt(nodes[created.length % 2]!.url, `Group ${created.length}`);
      created.push(roomId);
      const shards = await holding(`*${roomId}*`);
      expect(shards).toHaveLength(1);
      shardOf.set(roomId, shards[0]!.master);
    }
    expect(new Set(shardOf.values()).size).toBe(2);
    for (const node of nodes) {
      const response = await fetch(`${node.url}/api/rooms`, { headers: { authorization: `Bearer ${clusterSecrets.FACILITATOR_KEY}`, connection: 'close' } });
      const listed = ((await response.json()) as { rooms: { id: string }[] }).rooms.map((room) => room.id);
      expect(listed).toEqual(expect.arrayContaining(created));
    }
  }, 60_000);

  it('recovers every client within 10 s after SIGKILL of the owner, from either node, nothing lost', async () => {
    const stage = { nodes, balancer, holder: (roomId: string) => inspect.get(roomKeys(roomId).owner) };
    for (let run = 0; run < 2; run++) recovery.push(await failover(stage, 'SIGKILL', run));
  }, 180_000);
});
