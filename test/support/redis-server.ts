import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

const REDIS_SERVER = '/usr/bin/redis-server';

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
 * told otherwise), and no RDB snapshots.
 */
export async function startRedis(options: { appendfsync?: 'always' | 'everysec' } = {}): Promise<RunningRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run \`node scripts/test-tools.mjs\` (npm test does) or apt-get install redis-server`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    const process = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'always', '--protected-mode', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child = process;
    servers.add(process);
    process.once('exit', () => servers.delete(process));
    await waitUntilReady(url, process);
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

async function waitUntilReady(url: string, process: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`redis-server exited with ${process.exitCode}`);
    const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      // A data command, not PING: it fails with LOADING until the append-only file is read.
      await client.exists('holdspace:ready');
      await client.close();
      return;
    } catch {
      if (client.isOpen) client.destroy();
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not come up in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
