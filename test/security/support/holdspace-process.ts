import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoomConnection } from '../../../client/src/session/connection.js';

const entry = fileURLToPath(new URL('./holdspace-process-entry.ts', import.meta.url));

export interface Fault {
  kind: 'uncaughtException' | 'unhandledRejection';
  error: string;
}

export interface HoldspaceProcess {
  /** Where to connect: always the real loopback address, whatever PUBLIC_URL says. */
  url: string;
  pid: number;
  facilitatorKey: string;
  sessionSecret: string;
  /** Object/Array/Function prototypes as they were at start, to compare against later. */
  prototypesAtStart: string;
  /** Everything the process wrote so far: its pino logs (stdout) and anything else (stderr). */
  stdout(): string;
  stderr(): string;
  faults: Fault[];
  /** Null while running; the exit code or signal once it ended. */
  exited(): string | null;
  /** heapUsed after a full GC (needs `gc`, see start options) and rss, in bytes. */
  heap(): Promise<{ heapUsed: number; rss: number }>;
  prototypes(): Promise<string>;
  createRoom(title?: string): Promise<{ roomId: string; token: string; inviteUrl: string }>;
  join(inviteUrl: string, name: string): Promise<{ roomId: string; memberId: string; token: string }>;
  connect(token: string, options?: ConstructorParameters<typeof RoomConnection>[2]): RoomConnection;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Environment for the server, on top of a quiet test default (LOG_LEVEL info, media off). */
  env?: Record<string, string>;
  /** Run with --expose-gc so heap() measures what survives a collection. */
  exposeGc?: boolean;
}

/** A real Holdspace in a child process on a free loopback port, with its own data folder. */
export async function startHoldspaceProcess(options: StartOptions = {}): Promise<HoldspaceProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'holdspace-security-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The server's behaviour comes from `options.env` alone, not from whatever the runner has set.
    if (value !== undefined && !/^(DEBUG|LOG_LEVEL|PUBLIC_URL|REDIS_URL|NODE_OPTIONS|VITEST.*|MEDIA_.*|EVENTS_PER_SECOND|EVENT_BURST|ENTRY_PER_MINUTE|SOCKETS_PER_PARTICIPANT|CONNECTIONS_PER_ADDRESS|MAX_ROOMS|UNUSED_ROOM_HOURS)$/.test(key)) env[key] = value;
  }
  Object.assign(env, { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', MEDIA_ENABLED: 'false', NODE_ENV: 'production', RECORDS_ENABLED: 'false' }, options.env);
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx', ...(options.exposeGc ? ['--expose-gc'] : [])],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const faults: Fault[] = [];
  let exit: string | null = null;
  const answers = new Map<number, (value: unknown) => void>();
  let nextId = 1;
  const ready = new Promise<{ port: number; facilitatorKey: string; sessionSecret: string; prototypes: string }>((resolve, reject) => {
    child.on('message', (message: { type: string; id?: number; value?: unknown } & Record<string, unknown>) => {
      if (message.type === 'ready') resolve(message as never);
      else if (message.type === 'fault') faults.push({ kind: message.kind as Fault['kind'], error: String(message.error) });
      else if (message.type === 'answer') answers.get(message.id!)?.(message.value);
    });
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      reject(new Error(`the server process ended before it listened (${exit}):\n${stderr.slice(-3000)}\n${stdout.slice(-2000)}`));
      for (const settle of answers.values()) settle(null);
    });
  });
  const started = await ready;
  const url = `http://127.0.0.1:${started.port}`;
  const connections = new Set<RoomConnection>();

  const ask = <T>(kind: string): Promise<T> =>
    new Promise((resolve, reject) => {
      if (exit !== null) return reject(new Error(`the server process has ended (${exit})`));
      const id = nextId++;
      answers.set(id, (value) => {
        answers.delete(id);
        resolve(value as T);
      });
      child.send({ id, kind });
    });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };

  return {
    url,
    pid: child.pid!,
    facilitatorKey: started.facilitatorKey,
    sessionSecret: started.sessionSecret,
    prototypesAtStart: started.prototypes,
    stdout: () => stdout,
    stderr: () => stderr,
    faults,
    exited: () => exit,
    heap: () => ask('heap'),
    prototypes: () => ask('prototypes'),
    createRoom: async (title = 'Tuesday group') =>
      (await post('/api/rooms', { title, facilitatorName: 'Dr. Rivera' }, { authorization: `Bearer ${started.facilitatorKey}` })) as never,
    join: async (inviteUrl, name) => (await post('/api/join', { invite: new URL(inviteUrl).hash.slice(1), name })) as never,
    connect: (token, connectionOptions = {}) => {
      const connection = new RoomConnection(url, token, { reconnectionDelay: 50, reconnectionDelayMax: 200, ...connectionOptions });
      connections.add(connection);
      return connection;
    },
    stop: async () => {
      for (const connection of connections) connection.close();
      if (exit === null) {
        const ended = new Promise((resolve) => child.once('exit', resolve));
        await Promise.race([ask('stop'), new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (exit === null) child.kill('SIGKILL');
        await ended;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
