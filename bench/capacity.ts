// Sizing: rooms of 13 (a facilitator and 12 members) at 5 commands/s per room, from 50 rooms up,
// for Holdspace and for a bare Socket.IO server relaying the same group view at the same rate,
// each step measured from outside with the clients in 2 processes beside the server. Says how
// many rooms one node holds with p99 command-to-last-member under 20 ms.
import { fileURLToPath } from 'node:url';
import { startServer } from './support/child-server.js';
import { measureLoad, type LoadResult } from './load.js';
import { openRoom } from './support/room-clients.js';

export const CAPACITY_P99_MS = 20;

export interface CapacityStep {
  rooms: number;
  holdspace: LoadResult;
  bare: LoadResult;
}

export interface CapacityResult {
  steps: CapacityStep[];
  /** The most rooms (of the steps tried, every smaller step included) each held at p99 < CAPACITY_P99_MS; 0 if none. */
  held: { holdspace: number; bare: number };
  payloadBytes: number;
  /** Why the ladder ended before its last step, if it did. */
  stoppedBy: string | null;
}

/** A group view of a room of 13 as Holdspace broadcasts it: the bytes the baseline relays. */
async function groupView(members: number): Promise<unknown> {
  const server = await startServer('holdspace');
  try {
    const room = await openRoom(server.url, String(server.info.facilitatorKey), members);
    const group = room.group();
    room.close();
    return group;
  } finally {
    await server.stop();
  }
}

export async function measureCapacity(options: { ladder?: number[]; measureMs?: number; onStep?: (step: CapacityStep) => void } = {}): Promise<CapacityResult> {
  const ladder = options.ladder ?? [50, 100, 150, 200, 300, 400];
  const measureMs = options.measureMs ?? 15_000;
  const members = 12;
  const payload = await groupView(members);
  // Room and connection limits sized for the run: one address opens every socket here.
  const env = { MAX_ROOMS: '5000', CONNECTIONS_PER_ADDRESS: '1000000' };
  const steps: CapacityStep[] = [];
  let stoppedBy: string | null = null;
  for (const rooms of ladder) {
    try {
      const holdspace = await measureLoad({ rooms, members, rate: 5, measureMs, env });
      const bare = await measureLoad({ rooms, members, rate: 5, measureMs, target: 'bare', payload });
      const step = { rooms, holdspace, bare };
      steps.push(step);
      options.onStep?.(step);
    } catch (error) {
      // The steps measured so far still stand; the ladder ends here.
      stoppedBy = `${rooms} rooms: ${(error as Error).message}`;
      break;
    }
  }
  // The last step before the first one missed: a later step that happens to pass on a noisy machine does not count.
  const held = (pick: (step: CapacityStep) => LoadResult) => {
    const missed = steps.findIndex((step) => pick(step).latency.p99 >= CAPACITY_P99_MS || pick(step).errors > 0);
    return (missed === -1 ? steps.at(-1) : steps[missed - 1])?.rooms ?? 0;
  };
  return { steps, held: { holdspace: held((s) => s.holdspace), bare: held((s) => s.bare) }, payloadBytes: JSON.stringify(payload).length, stoppedBy };
}

const ms = (value: number) => (value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);

/** One line per step, for the console and BENCHMARKS.md. */
export function describeStep({ rooms, holdspace, bare }: CapacityStep): string {
  const side = (r: LoadResult) => `p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, server CPU ${r.serverCpuPercent.toFixed(0)}%${r.errors ? `, ${r.errors} errors` : ''}`;
  return `${rooms} rooms (${rooms * 13} sockets, ${rooms * 5} commands/s): Holdspace ${side(holdspace)}, machine ${holdspace.machineCpuPercent.toFixed(0)}% | bare Socket.IO ${side(bare)}, machine ${bare.machineCpuPercent.toFixed(0)}%`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await measureCapacity({
    ladder: quick ? [50, 150, 300] : undefined,
    measureMs: quick ? 5_000 : 15_000,
    onStep: (step) => console.log(describeStep(step)),
  });
  if (result.stoppedBy) console.log(`stopped at ${result.stoppedBy}`);
  console.log(`held at p99 < ${CAPACITY_P99_MS} ms: Holdspace ${result.held.holdspace} rooms, bare Socket.IO ${result.held.bare} rooms (group view ${result.payloadBytes} bytes)`);
  process.exit(0);
}
