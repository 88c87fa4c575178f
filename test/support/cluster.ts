import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoomConnection } from '../../client/src/session/connection.js';
import { freePort } from './redis-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every node process this test file started, killed if the test process exits without stopping them. */
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** Shared by every node of a test cluster: tokens signed by one node are read by all. */
export const clusterSecrets = { FACILITATOR_KEY: 'test-facilitator-key-0123456789', SESSION_SECRET: 'test-session-secret-0123456789-0123456789' };

export interface NodeProcess {
  nodeId: string;
  port: number;
  url: string;
  /** Its DATA_DIR, kept across stops and starts. */
  dataDir: string;
  readonly running: boolean;
  /** Stop the process: SIGTERM lets it hand its rooms over, SIGKILL does not. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Start it again on the same port (a new process, the same node id unless given another). */
  start(nodeId?: string): Promise<void>;
  /** Kill it and delete its data folder. */
  destroy(): Promise<void>;
  /** What the current process printed so far (its logs, at LOG_LEVEL warn unless HOLDSPACE_TEST_LOGS). */
  readonly output: string;
  /** How the last process ended: its exit code, or the signal that killed it; null while it runs. */
  readonly exit: number | string | null;
}

/**
 * A real Holdspace node: `server/main.ts` in its own process (through tsx), as `npm start` runs
 * it, with REDIS_URL set when given. Ready once it prints its facilitator link.
 */
export async function startNode(options: {
  /** Without one the node runs alone, as a single `npm start` does. */
  redisUrl?: string;
  nodeId: string;
  port?: number;
  env?: Record<string, string>;
  /** The checkout to run (another release's, for a rolling deploy); this one by default. */
  root?: string;
}): Promise<NodeProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = await mkdtemp(join(tmpdir(), 'holdspace-node-'));
  let child: ChildProcess | null = null;
  let nodeId = options.nodeId;
  let output = '';
  let exit: number | string | null = null;

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };

  const start = async (id = nodeId) => {
    // One process per node: a start while the last one still runs replaces it.
    if (child && child.exitCode === null && child.signalCode === null) await stop('SIGKILL');
    nodeId = id;
    const process_ = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: options.root ?? root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        NODE_ID: nodeId,
        MEDIA_ENABLED: 'false',
        LOG_LEVEL: process.env.HOLDSPACE_TEST_LOGS ? 'debug' : 'warn',
        ENTRY_PER_MINUTE: '100000',
        EVENTS_PER_SECOND: '1000',
        EVENT_BURST: '5000',
        RECORDS_ENABLED: 'false',
        ...clusterSecrets,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = process_;
    exit = null;
    children.add(process_);
    process_.once('exit', (code, signal) => {
      children.delete(process_);
      exit = code ?? signal;
    });
    output = '';
    process_.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.HOLDSPACE_TEST_LOGS) process.stderr.write(`[${nodeId}] ${chunk.toString()}`);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        process_.kill('SIGKILL');
        reject(new Error(`node ${nodeId} did not start in 90 s:\n${output}`));
      }, 90_000);
      process_.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (process.env.HOLDSPACE_TEST_LOGS) process.stderr.write(`[${nodeId}] ${chunk.toString()}`);
        if (/Facilitator link:|Setup link|Sign in at/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      process_.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${nodeId} exited with ${code}:\n${output}`));
      });
    });
  };

  await start();
  return {
    get nodeId() {
      return nodeId;
    },
    port,
    dataDir,
    url: `http://127.0.0.1:${port}`,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    get output() {
      return output;
    },
    get exit() {
      return exit;
    },
    start,
    stop,
    async destroy() {
      await stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}


export interface Balancer {
  url: string;
  close(): Promise<void>;
}

/** Several nodes at once; if one does not start, the others are stopped too. */
export async function startNodes(redisUrl: string, nodeIds: string[], env: Record<string, string> = {}): Promise<NodeProcess[]> {
  const started = await Promise.allSettled(nodeIds.map((nodeId) => startNode({ redisUrl, nodeId, env })));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  const nodes = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (failure) {
    await Promise.all(nodes.map((node) => node.destroy()));
    throw failure.reason;
  }
  return nodes;
}

/**
 * A TCP load balancer in front of the nodes, as a same-origin balancer would sit in front of
 * browsers: each connection goes to the next node in turn, skipping nodes that refuse; when a
 * node dies its connections close and the clients reconnect through here to another.
 */
export async function startBalancer(ports: number[]): Promise<Balancer> {
  let next = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= ports.length) return void client.destroy();
      const port = ports[next++ % ports.length]!;
      const backend = connect(port, '127.0.0.1');
      let connected = false;
      backend.on('error', () => {
        backend.destroy();
        if (connected) client.destroy();
        else tryBackend(attempt + 1);
      });
      backend.once('connect', () => {
        connected = true;
        open.add(backend);
        backend.on('close', () => {
          open.delete(backend);
          client.destroy();
        });
        client.on('error', () => backend.destroy());
        client.on('close', () => backend.destroy());
        client.pipe(backend);
        backend.pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Talk to a node's HTTP API as a browser would. */
export async function post<T>(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

export const createRoomAt = (url: string, title = 'Tuesday group') =>
  post<{ roomId: string; token: string; inviteUrl: string }>(url, '/api/rooms', { title, facilitatorName: 'Dr. Rivera' }, { authorization: `Bearer ${clusterSecrets.FACILITATOR_KEY}` });

export const joinAt = (url: string, inviteUrl: string, name: string) =>
  post<{ roomId: string; memberId: string; token: string }>(url, '/api/join', { invite: new URL(inviteUrl).hash.slice(1), name });

/** A client as the browser's, with quick reconnects for tests. */
export const connectTo = (url: string, token: string) => new RoomConnection(url, token, { reconnectionDelay: 50, reconnectionDelayMax: 250 });
