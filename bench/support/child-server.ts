import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerHandle {
  url: string;
  info: Record<string, unknown>;
  child: ChildProcess;
  /** CPU time (µs) and memory the server process reports about itself. */
  usage(): Promise<{ cpuMicros: number; rss: number; heapUsed: number }>;
  /** Ask the server to collect garbage (it runs with --expose-gc) and report memory. */
  gc(): Promise<{ rss: number; heapUsed: number }>;
  /** Any other request a bench server answers (see its own message handler). */
  ask<T>(type: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Start one of bench/servers/*.ts in its own process, so clients and server do not share a core's event loop. */
export function startServer(name: string, env: Record<string, string> = {}): Promise<ServerHandle> {
  const entry = fileURLToPath(new URL(`../servers/${name}.ts`, import.meta.url));
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [])],
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextRequest = 0;
  const request = <T>(type: string, body?: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextRequest;
      const onMessage = (message: { id?: number; answer?: T; error?: string }) => {
        if (message.id !== id) return;
        child.off('message', onMessage);
        if (message.error !== undefined) reject(new Error(`bench server ${name}, ${type}: ${message.error}`));
        else resolve(message.answer as T);
      };
      child.on('message', onMessage);
      child.send({ id, type, body });
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server ${name} exited with ${code}`)));
    child.once('message', (ready: { url: string; info: Record<string, unknown> }) =>
      resolve({
        url: ready.url,
        info: ready.info,
        child,
        usage: () => request('usage'),
        gc: () => request('gc'),
        ask: (type, body) => request(type, body),
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

/** The server side of the protocol above: call once the server listens. */
export function serveBenchRequests(url: string, info: Record<string, unknown> = {}): void {
  process.on('message', (message: { id: number; type: string }) => {
    if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      process.send!({ id: message.id, answer: { cpuMicros: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed } });
    } else if (message.type === 'gc') {
      (globalThis as { gc?: () => void }).gc?.();
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      process.send!({ id: message.id, answer: { rss: memory.rss, heapUsed: memory.heapUsed } });
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.send!({ url, info });
}

/** Answer one more kind of request from the parent (ServerHandle.ask); a failure is sent back as an error. */
export function answerBenchRequest<B, T>(type: string, answer: (body: B) => T | Promise<T>): void {
  process.on('message', (message: { id: number; type: string; body?: B }) => {
    if (message.type !== type) return;
    Promise.resolve()
      .then(() => answer(message.body as B))
      .then(
        (value) => process.send!({ id: message.id, answer: value }),
        (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error).slice(0, 2000) }),
      );
  });
}
