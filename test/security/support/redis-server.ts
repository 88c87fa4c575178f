import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

export const redisAvailable = existsSync('/usr/bin/redis-server');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const redisClient = (url: string) => createClient({ url, RESP: 2 });
export type RedisClient = ReturnType<typeof redisClient>;

/**
 * A throwaway redis-server on a free loopback port. The dump is written uncompressed so its bytes
 * can be searched as they are; nothing is saved unless asked (SAVE), no append-only file.
 */
export async function startRedisServer(): Promise<{ url: string; client: RedisClient; dumpFile: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-redis-'));
  let server: ChildProcess | null = null;
  let port = 0;
  // A free port can be taken between the probe and the start: try again on another.
  for (let attempt = 0; attempt < 5 && !server; attempt++) {
    port = await freePort();
    const candidate = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--rdbcompression', 'no', '--dbfilename', 'dump.rdb'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const ready = await new Promise<boolean>((resolve) => {
      let output = '';
      const timer = setTimeout(() => resolve(false), 10_000);
      candidate.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      candidate.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ready) {
      candidate.stdout!.resume();
      server = candidate;
    } else candidate.kill('SIGKILL');
  }
  if (!server) throw new Error('redis-server did not start');
  const url = `redis://127.0.0.1:${port}`;
  const client = redisClient(url);
  client.on('error', () => undefined);
  await client.connect();
  return {
    url,
    client,
    dumpFile: join(dir, 'dump.rdb'),
    stop: async () => {
      await client.close().catch(() => client.destroy());
      const running = server!;
      running.kill('SIGTERM');
      await new Promise((resolve) => (running.exitCode !== null ? resolve(null) : running.once('exit', resolve)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every key in the database as one record each (a stream: one record per entry), and the slow log apart. */
export async function redisRecords(client: RedisClient): Promise<{ keys: number; records: string[]; slowlog: string[] }> {
  const records: string[] = [];
  let keys = 0;
  for await (const batch of client.scanIterator({ COUNT: 500 })) {
    for (const key of batch) {
      keys++;
      const type = await client.type(key);
      if (type === 'string') records.push(`${key} ${await client.get(key)}`);
      else if (type === 'hash') records.push(`${key} ${JSON.stringify(await client.hGetAll(key))}`);
      else if (type === 'set') records.push(`${key} ${JSON.stringify(await client.sMembers(key))}`);
      else if (type === 'zset') records.push(`${key} ${JSON.stringify(await client.zRange(key, 0, -1))}`);
      else if (type === 'list') records.push(`${key} ${JSON.stringify(await client.lRange(key, 0, -1))}`);
      else if (type === 'stream') for (const entry of (await client.xRange(key, '-', '+')) ?? []) records.push(`${key} ${entry.id} ${JSON.stringify(entry.message)}`);
      else records.push(`${key} (${type})`);
    }
  }
  const slow = (await client.sendCommand(['SLOWLOG', 'GET', '1000'])) as unknown[];
  return { keys, records, slowlog: slow.map((entry) => `slowlog ${JSON.stringify(entry)}`) };
}

/** SAVE, then the dump file's printable runs, one record each. */
export async function dumpRecords(client: RedisClient, dumpFile: string): Promise<{ bytes: number; records: string[] }> {
  await client.sendCommand(['SAVE']);
  const bytes = await readFile(dumpFile);
  return { bytes: bytes.length, records: bytes.toString('latin1').match(/[\x20-\x7e]{8,}/g) ?? [] };
}

/** Every command Redis executes, as MONITOR prints it: what anyone with access to the server sees in flight. */
export async function monitorRedis(url: string): Promise<{ lines(): string[]; stop(): void }> {
  const { connect } = await import('node:net');
  const { port, hostname } = new URL(url);
  const socket = connect(Number(port), hostname);
  let buffer = '';
  const lines: string[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\r\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('MONITOR\r\n');
  return { lines: () => lines, stop: () => socket.destroy() };
}
