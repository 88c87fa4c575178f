import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';

const probeClient = (url: string) => createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
type ProbeClient = ReturnType<typeof probeClient>;

/** Every redis-server started here, killed if this process exits without stopping them. */
const servers = new Set<ChildProcess>();
process.once('exit', () => servers.forEach((server) => server.kill('SIGKILL')));

/**
 * A port nobody listens on right now, below the kernel's ephemeral range (32768 and up on Linux):
 * a server restarted on the same port must not find it taken by some client's outgoing socket.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

export interface RunningRedis {
  url: string;
  port: number;
  /** Stop it (SIGTERM saves the append-only file first; SIGKILL does not). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Start it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stop it and delete its data. */
  destroy(): Promise<void>;
}

/**
 * A real redis-server of our own on a free port, with its data in a temporary folder: an
 * append-only file so a restart brings back what was written (fsync on every write unless
 * told otherwise), and no RDB snapshots. With `persistence: false`, neither: a restart comes
 * back empty.
 */
export async function startRedis(options: { appendfsync?: 'always' | 'everysec'; persistence?: boolean } = {}): Promise<RunningRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run \`node scripts/test-tools.mjs\` (npm test does) or apt-get install redis-server`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    const persistence = options.persistence === false ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'always'];
    const process = spawnRedis(port, dir, persistence);
    child = process;
    // A data command, not PING: it fails with LOADING until the append-only file is read.
    await waitUntilReady(url, process, (client) => client.exists('holdspace:ready'));
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    url,
    port,
    stop,
    start,
    destroy: async () => {
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server on 127.0.0.1, no RDB snapshots, killed if this process exits first. */
function spawnRedis(port: number, dir: string, options: string[]): ChildProcess {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--protected-mode', 'no', '--loglevel', 'warning', ...options], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  servers.add(child);
  child.once('exit', () => servers.delete(child));
  return child;
}

async function waitUntilReady(url: string, process: ChildProcess, probe: (client: ProbeClient) => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`redis-server exited with ${process.exitCode}`);
    const client = probeClient(url);
    client.on('error', () => undefined);
    try {
      await client.connect();
      await probe(client);
      await client.close();
      return;
    } catch {
      if (client.isOpen) client.destroy();
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not come up in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export interface RunningRedisCluster {
  /** Every master, as REDIS_URL takes them with REDIS_CLUSTER=true (one would do: the rest are found from it). */
  urls: string[];
  /** Kill every node and delete their data. */
  destroy(): Promise<void>;
}

/**
 * A real Redis Cluster of our own: `masters` redis-servers with `cluster-enabled yes` on free
 * ports (client and cluster bus), the slots spread evenly by `redis-cli --cluster create`, no
 * replicas. Ready once every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RunningRedisCluster> {
  if (!existsSync(REDIS_CLI)) throw new Error(`${REDIS_CLI} is missing: run \`node scripts/test-tools.mjs\` (npm test does) or apt-get install redis-server`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-redis-cluster-'));
  const taken = new Set<number>();
  const port = async () => {
    let found = await freePort();
    while (taken.has(found)) found = await freePort();
    taken.add(found);
    return found;
  };
  const nodes: { port: number; url: string; process: ChildProcess }[] = [];
  const destroy = async () => {
    await Promise.all(
      nodes.map(({ process }) => {
        if (process.exitCode !== null || process.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => process.once('exit', () => resolve()));
        process.kill('SIGKILL');
        return exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const [clientPort, busPort] = [await port(), await port()];
      const nodeDir = join(dir, String(clientPort));
      await mkdir(nodeDir);
      const options = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPort), '--cluster-node-timeout', '2000', '--appendonly', 'no'];
      nodes.push({ port: clientPort, url: `redis://127.0.0.1:${clientPort}`, process: spawnRedis(clientPort, nodeDir, options) });
    }
    await Promise.all(nodes.map(({ url, process }) => waitUntilReady(url, process, (client) => client.ping())));
    const create = spawnSync(REDIS_CLI, ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    await Promise.all(nodes.map(({ url, process }) => waitUntilReady(url, process, clusterStateOk)));
  } catch (error) {
    await destroy();
    throw error;
  }
  return { urls: nodes.map((node) => node.url), destroy };
}

async function clusterStateOk(client: ProbeClient): Promise<void> {
  const info = await client.clusterInfo();
  if (!info.includes('cluster_state:ok')) throw new Error('cluster not ready');
}
