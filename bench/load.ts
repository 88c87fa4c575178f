// Under load: many rooms of 13 sockets each, a steady command rate per room, clients in
// separate processes. Reports fan-out latency, server CPU and memory per room.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from './support/child-server.js';
import { machineCpu } from './support/proc.js';
import { summarise } from './support/room-clients.js';

export interface LoadResult {
  rooms: number;
  sockets: number;
  commandsPerSecondPerRoom: number;
  latency: ReturnType<typeof summarise>;
  errors: number;
  serverCpuPercent: number;
  /** The whole machine, % of all cores: server, client processes and anything else running. */
  machineCpuPercent: number;
  rssPerRoomKb: number;
  heapPerRoomKb: number;
}

export interface LoadOptions {
  rooms?: number;
  members?: number;
  rate?: number;
  processes?: number;
  measureMs?: number;
  env?: Record<string, string>;
  /** 'bare': the baseline, a bare Socket.IO server relaying `payload` (a group view) at the same rate. */
  target?: 'holdspace' | 'bare';
  payload?: unknown;
}

export async function measureLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const rooms = options.rooms ?? 100;
  const members = options.members ?? 12;
  const rate = options.rate ?? 5;
  const processes = options.processes ?? 2;
  const measureMs = options.measureMs ?? 30_000;
  const bare = options.target === 'bare';
  const server = bare ? await startServer('bare') : await startServer('holdspace', { ENTRY_PER_MINUTE: '100000', ...options.env });
  let drivers: ChildProcess[] = [];
  try {
    const base = await server.gc();
    const driverEntry = fileURLToPath(new URL(bare ? './clients/bare-room-driver.ts' : './clients/room-driver.ts', import.meta.url));
    drivers = Array.from({ length: processes }, () => fork(driverEntry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    // A client process that dies fails the step instead of leaving it waiting for ever.
    const next = (child: ChildProcess) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const died = (code: number | null, signal: string | null) => reject(new Error(`a client process exited (code ${code}, signal ${signal}) before answering`));
        child.once('exit', died);
        child.once('message', (m) => {
          child.off('exit', died);
          resolve(m as Record<string, unknown>);
        });
      });
    const ready = drivers.map(next);
    drivers.forEach((child, i) =>
      child.send({
        url: server.url,
        facilitatorKey: server.info.facilitatorKey,
        rooms: Math.floor(rooms / processes) + (i < rooms % processes ? 1 : 0),
        members,
        commandsPerSecond: rate,
        warmupMs: 3_000,
        measureMs,
        payload: options.payload,
      }),
    );
    await Promise.all(ready);
    const loaded = await server.gc();
    const done = drivers.map(next);
    const cpuBefore = await server.usage();
    const machineBefore = machineCpu();
    const wallBefore = performance.now();
    drivers.forEach((child) => child.send('go'));
    const results = await Promise.all(done);
    const cpuAfter = await server.usage();
    const machineAfter = machineCpu();
    const wall = performance.now() - wallBefore;
    const failed = results.filter((r) => r.type !== "done");
    if (failed.length) throw new Error(`a client process failed: ${JSON.stringify(failed).slice(0, 500)}`);
    const samples = results.flatMap((r) => r.samples as number[]);
    return {
      rooms,
      sockets: rooms * (members + 1),
      commandsPerSecondPerRoom: rate,
      latency: summarise(samples),
      errors: results.reduce((n, r) => n + (r.errors as number), 0),
      serverCpuPercent: ((cpuAfter.cpuMicros - cpuBefore.cpuMicros) / 1000 / wall) * 100,
      machineCpuPercent: ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
      rssPerRoomKb: (loaded.rss - base.rss) / 1024 / rooms,
      heapPerRoomKb: (loaded.heapUsed - base.heapUsed) / 1024 / rooms,
    };
  } finally {
    for (const child of drivers) if (child.exitCode === null && child.signalCode === null) child.kill();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureLoad({ measureMs: Number(process.env.MEASURE_MS ?? 30_000) });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
