import type { Page } from 'playwright-core';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { roomKeys } from '../../server/redis/redis-keys.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { connectTo, createRoomAt, joinAt, startBalancer, startNodes, type Balancer, type NodeProcess } from '../support/cluster.js';
import { scrapeMetrics, seriesValue, testMetricsToken } from '../support/metrics.js';
import { until } from '../support/holdspace.js';
import { waitFor } from '../support/media.js';
import { probeSummary, receivesFrom, serveProbe } from '../support/probe.js';
import { startRedis, startRedisCluster } from '../support/redis-server.js';

/** Nodes carry media (a real worker each, on free ports) as `npm start` would with REDIS_URL. */
const MEDIA_ENV = { MEDIA_ENABLED: 'true', MEDIA_PORT: '0', MEDIA_WORKERS: '1', METRICS_TOKEN: testMetricsToken };
const RECOVERY_LIMIT_MS = 20_000;

interface Person {
  name: string;
  id: string;
  page: Page;
}

/** A Redis the nodes share, with a way to read who runs a room. */
interface SharedRedis {
  url: string;
  env: Record<string, string>;
  owner(roomId: string): Promise<unknown>;
  destroy(): Promise<void>;
}

const redisSetups: Record<string, () => Promise<SharedRedis>> = {
  'one Redis server': async () => {
    const redis = await startRedis();
    const client = createClient({ url: redis.url });
    await client.connect();
    return {
      url: redis.url,
      env: {},
      owner: (roomId) => client.get(roomKeys(roomId).owner),
      destroy: async () => {
        await client.close();
        await redis.destroy();
      },
    };
  },
  'a Redis Cluster': async () => {
    const redis = await startRedisCluster(3);
    const client = createCluster({ rootNodes: [{ url: redis.urls[0]! }] });
    await client.connect();
    return {
      url: redis.urls[0]!,
      env: { REDIS_CLUSTER: 'true' },
      owner: (roomId) => client.get(roomKeys(roomId).owner),
      destroy: async () => {
        await client.close();
        await redis.destroy();
      },
    };
  },
};

/**
 * Several nodes share the rooms; a room's media runs on the node running the room. Browsers
 * whose sockets are on another node have their media requests forwarded there, and their media
 * flows to that node's router. When that node dies, another takes the room over and everyone's
 * media joins the new router.
 */
for (const [where, shareRedis] of Object.entries(redisSetups)) describe(`audio and video when several nodes share the rooms, on ${where}`, () => {
  let redis: SharedRedis;
  let nodes: NodeProcess[];
  let balancer: Balancer;
  let browser: TestBrowser;
  let probe: { url: string; close(): Promise<void> };
  const recoveries: Record<string, number[]> = {};
  let restarts = 0;

  beforeAll(async () => {
    redis = await shareRedis();
    [nodes, probe, browser] = await Promise.all([startNodes(redis.url, ['media-a', 'media-b'], { ...MEDIA_ENV, ...redis.env }), serveProbe(), launchBrowser()]);
    balancer = await startBalancer(nodes.map((node) => node.port));
  });
  afterAll(async () => {
    for (const [signal, times] of Object.entries(recoveries)) console.log(`media back after ${signal} of the room's node (${where}): ${times.join(', ')} ms`);
    await browser?.close();
    await probe?.close();
    await balancer?.close();
    await Promise.all(nodes?.map((node) => node.destroy()) ?? []);
    await redis?.destroy();
  });

  /**
   * A room created on `owner` (so it runs there), its facilitator steering from a client on
   * `controlUrl`, and one probe page per person, each connected where `urls` says.
   */
  async function openRoom(owner: NodeProcess, controlUrl: string, urls: { facilitator: string; members: Record<string, string> }) {
    const room = await createRoomAt(owner.url, 'Media across nodes');
    const control = connectTo(controlUrl, room.token);
    const facilitatorId = (await until(control, (s) => s.self !== null, 10_000)).self!.you.id;
    const joined = await Promise.all(Object.keys(urls.members).map(async (name) => ({ name, ...(await joinAt(owner.url, room.inviteUrl, name)) })));
    for (const member of joined) expect((await control.send({ type: 'admit', memberId: member.memberId })).ok).toBe(true);
    expect(await redis.owner(room.roomId)).toBe(owner.nodeId);

    const open = async (name: string, id: string, token: string, url: string): Promise<Person> => {
      const { page } = await browser.participant();
      await page.goto(probe.url);
      await page.evaluate(([serverUrl, session]) => window.probe.join(serverUrl!, session!, { audio: true, video: true }), [url, token]);
      return { name, id, page };
    };
    const people = [
      await open('Facilitator', facilitatorId, room.token, urls.facilitator),
      ...(await Promise.all(joined.map((member) => open(member.name, member.memberId, member.token, urls.members[member.name]!)))),
    ];
    return { roomId: room.roomId, control, people, person: (name: string) => people.find((p) => p.name === name)! };
  }

  const everyoneReceivesEveryone = (people: Person[], timeoutMs: number) =>
    Promise.all(
      people.map((person) =>
        receivesFrom(
          person.page,
          people.filter((p) => p !== person).map((p) => p.id),
          timeoutMs,
          person.name,
        ),
      ),
    );

  const mediaPeers = async (node: NodeProcess) => seriesValue(await scrapeMetrics(node.url), 'holdspace_media_peers');

  async function leave(control: RoomConnection, people: Person[]): Promise<void> {
    control.close();
    await Promise.all(people.map((person) => person.page.context().close()));
  }

  it('carries the media of members connected to the other node, and the stick silences them in the owning node’s SFU', async () => {
    const [owner, other] = nodes as [NodeProcess, NodeProcess];
    const { control, people, person } = await openRoom(owner, owner.url, { facilitator: owner.url, members: { Ana: other.url, Ben: other.url } });
    try {
      await everyoneReceivesEveryone(people, 20_000);
      const [facilitator, ana, ben] = [person('Facilitator'), person('Ana'), person('Ben')];

      // The stick goes to Ana: Ben, connected to the other node, is paused by the owner's SFU and told why.
      expect((await control.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
      expect((await control.send({ type: 'floor.grant', to: ana.id })).ok).toBe(true);
      for (const listener of [facilitator, ana]) {
        expect(await listener.page.evaluate(([id]) => window.probe.silenceAfter(id!, 1_000, 8_000), [ben.id])).not.toBeNull();
      }
      await waitFor(async () => (await probeSummary(ben.page))?.silencedBy === 'NO_STICK', 5_000, 'Ben told why he is silent');
      expect(await facilitator.page.evaluate(([id]) => window.probe.audioFlowing(id!, 1_000), [ana.id])).toBe(true);

      // Open floor: Ben is heard again through the other node.
      expect((await control.send({ type: 'floor.mode', mode: 'open' })).ok).toBe(true);
      await waitFor(async () => (await probeSummary(ben.page))?.silencedBy === null, 5_000, 'Ben free to speak');
      await waitFor(() => facilitator.page.evaluate(([id]) => window.probe.audioFlowing(id!, 500), [ben.id]), 8_000, 'Ben heard again');
    } finally {
      await leave(control, people);
    }
    // The pages on the other node closed: their media on the owning node is gone with them.
    await waitFor(async () => (await mediaPeers(owner)) === 0, 5_000, 'no media connections left on the owning node');
  });

  it('closes the media of a dead node’s sockets on the room’s node, and their browsers join again through another', async () => {
    const owner = nodes[0]!;
    const other = nodes[1]!;
    const { control, people } = await openRoom(owner, owner.url, { facilitator: owner.url, members: { Ana: balancer.url, Ben: balancer.url } });
    try {
      await everyoneReceivesEveryone(people, 20_000);
      expect((await mediaPeers(owner))).toBe(people.length);
      await other.stop('SIGKILL');
      // Whoever was on the dead node is back through the balancer, and nothing of their old connection is left.
      await everyoneReceivesEveryone(people, RECOVERY_LIMIT_MS);
      await waitFor(async () => (await mediaPeers(owner)) === people.length, 5_000, 'one media connection per page on the room’s node');
    } finally {
      await leave(control, people);
      if (!other.running) await other.start(`${other.nodeId.replace(/-\d+$/, '')}-${++restarts}`);
    }
  }, 180_000);

  async function failover(signal: 'SIGTERM' | 'SIGKILL', ownerIndex: number): Promise<void> {
    const owner = nodes[ownerIndex]!;
    const survivor = nodes[1 - ownerIndex]!;
    // The facilitator's page is on the survivor (its media must move without its socket moving);
    // the members come through the balancer, one to each node.
    const { roomId, control, people } = await openRoom(owner, survivor.url, { facilitator: survivor.url, members: { Ana: balancer.url, Ben: balancer.url } });
    try {
      await everyoneReceivesEveryone(people, 20_000);
      const stoppedAt = Date.now();
      await owner.stop(signal);
      await everyoneReceivesEveryone(people, RECOVERY_LIMIT_MS);
      const took = Date.now() - stoppedAt;
      (recoveries[signal] ??= []).push(took);
      expect(took).toBeLessThan(RECOVERY_LIMIT_MS);
      expect(await redis.owner(roomId)).toBe(survivor.nodeId);
      for (const { page, name } of people) expect((await probeSummary(page))?.status, name).toBe('live');
    } finally {
      await leave(control, people);
      // A node that comes back is a new member of the cluster, under a new id.
      if (!owner.running) await owner.start(`${owner.nodeId.replace(/-\d+$/, '')}-${++restarts}`);
    }
  }

  it('moves everyone’s media to the new node’s router when the room’s node is killed (SIGKILL)', async () => {
    await failover('SIGKILL', 0);
  }, 180_000);

  it('moves everyone’s media to the new node’s router when the room’s node shuts down (SIGTERM)', async () => {
    await failover('SIGTERM', 1);
  }, 180_000);
});
