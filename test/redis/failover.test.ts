import { createClient } from 'redis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { roomKeys } from '../../server/redis/redis-keys.js';
import { startBalancer, startNodes, type Balancer, type NodeProcess } from '../support/cluster.js';
import { failover, percentile } from '../support/failover.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

const RUNS_PER_SIGNAL = Number(process.env.FAILOVER_RUNS ?? 3);

/**
 * The node running a room dies (SIGTERM, then SIGKILL, each several times and from either node)
 * during a check-in round with a feedback prompt open: see `failover` for what must hold.
 */
describe('failover when the node running a room dies', () => {
  let redis: RunningRedis;
  let nodes: NodeProcess[];
  let balancer: Balancer;
  let inspect: ReturnType<typeof createClient>;
  const recovery: Record<'SIGTERM' | 'SIGKILL', number[]> = { SIGTERM: [], SIGKILL: [] };
  const stage = () => ({ nodes, balancer, holder: (roomId: string) => inspect.get(roomKeys(roomId).owner) });

  beforeAll(async () => {
    redis = await startRedis();
    nodes = await startNodes(redis.url, ['node-a', 'node-b']);
    balancer = await startBalancer(nodes.map((node) => node.port));
    inspect = createClient({ url: redis.url });
    await inspect.connect();
  });
  afterAll(async () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const times = recovery[signal];
      if (times.length > 0) console.log(`failover recovery after ${signal} over ${times.length} runs: p50 ${percentile(times, 50)} ms, worst ${Math.max(...times)} ms (${times.join(', ')} ms)`);
    }
    await inspect?.close();
    await balancer?.close();
    await Promise.all(nodes?.map((node) => node.destroy()) ?? []);
    await redis?.destroy();
  });

  it(`recovers every client within 10 s after SIGTERM of the owner (${RUNS_PER_SIGNAL} runs)`, async () => {
    for (let run = 0; run < RUNS_PER_SIGNAL; run++) recovery.SIGTERM.push(await failover(stage(), 'SIGTERM', run));
  }, 120_000 + RUNS_PER_SIGNAL * 60_000);

  it(`recovers every client within 10 s after SIGKILL of the owner (${RUNS_PER_SIGNAL} runs)`, async () => {
    for (let run = 0; run < RUNS_PER_SIGNAL; run++) recovery.SIGKILL.push(await failover(stage(), 'SIGKILL', run));
  }, 120_000 + RUNS_PER_SIGNAL * 60_000);
});
