// SFU cost. Part 1: the mediasoup worker's CPU (from /proc/<pid>/stat) for a room of 6 real
// Chromium pages, each publishing microphone and simulcast camera and receiving the other 5 (60
// forwarded streams), per forwarded stream; baseline in the same run, window for window: the same
// 6 pages as bare mediasoup-client members of a bare router (bench/servers/bare-media.ts).
// Part 2: how many such rooms one worker holds before packet loss shows. Six more Chromium pages
// per room would fill this 2-core machine long before the worker, so the extra rooms are synthetic
// (bench/support/synthetic-rooms.ts: Holdspace's router setup fed by pipeToRouter from a live room
// of 6 publishing pages, 60 SRTP-encrypted forwarded streams each, to a socket nobody reads); the
// search doubles them until the worker loses packets on arrival, reaches a core, or the steps end.
//   npx tsx bench/sfu-cost.ts        (BENCH_QUICK=1 for a short run)
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { MediaTraffic } from './support/mediasoup-census.js';
import { startServer, type ServerHandle } from './support/child-server.js';
import { openMediaPages, until, type MediaPages } from './support/media-pages.js';
import { memberAuth, openMediaRoom } from './support/media-room.js';
import { cpuOver } from './support/proc.js';

const MEMBERS = 6;
/** After everyone receives everyone: bandwidth estimates ramp up the simulcast layers. */
const SETTLE_MS = 6_000;
/** Ingress loss above this share of packets counts as loss showing (a stray packet does not). */
const LOSS_THRESHOLD = 0.001;

export interface RoomCost {
  /** the worker process, % of one core */
  workerCpuPercent: number;
  /** the server's Node process (signalling, session), % of one core */
  nodeCpuPercent: number;
  /** the whole machine, % of all cores (what the pages and everyone else left) */
  machinePercent: number;
  /** consumers that forwarded packets in the window */
  forwarded: number;
  packetsPerSecond: number;
  megabitsPerSecond: number;
  perStreamPercent: number;
  /** worker CPU per forwarded packet */
  microsPerPacket: number;
}

export interface CapacityStep {
  rooms: number;
  workerCpuPercent: number;
  machinePercent: number;
  forwarded: number;
  packetsPerSecond: number;
  megabitsPerSecond: number;
  /** share of arriving packets the worker saw missing, % */
  ingressLossPercent: number;
}

export interface SfuCostResult {
  holdspace: RoomCost;
  bare: RoomCost;
  windows: number;
  capacity: {
    steps: CapacityStep[];
    /** the most rooms (live + synthetic) measured without loss */
    held: number;
    /** why the search stopped */
    stoppedBy: string;
    /** rooms one core would carry at the measured worker CPU per synthetic room */
    projectedPerCore: number;
  };
}

const delta = (a: MediaTraffic, b: MediaTraffic) => ({
  packets: b.consumerPackets - a.consumerPackets,
  bytes: b.consumerBytes - a.consumerBytes,
  ingress: b.producerPackets - a.producerPackets,
  lost: b.producerPacketsLost - a.producerPacketsLost,
});

/** Worker and server CPU over `ms`, with what was forwarded meanwhile. */
async function measureWindow(server: ServerHandle, workerPid: number, ms: number) {
  const traffic0 = await server.ask<MediaTraffic>('media.traffic');
  const usage0 = await server.usage();
  const t0 = performance.now();
  const cpu = await cpuOver(workerPid, ms);
  const usage1 = await server.usage();
  const seconds = (performance.now() - t0) / 1000;
  const traffic1 = await server.ask<MediaTraffic>('media.traffic');
  const moved = delta(traffic0, traffic1);
  return {
    workerCpuPercent: cpu.processPercent,
    machinePercent: cpu.machinePercent,
    nodeCpuPercent: ((usage1.cpuMicros - usage0.cpuMicros) / 1000 / (seconds * 1000)) * 100,
    forwarded: traffic1.forwarding,
    packetsPerSecond: moved.packets / seconds,
    megabitsPerSecond: (moved.bytes * 8) / seconds / 1e6,
    ingressLossPercent: moved.ingress + moved.lost > 0 ? (Math.max(0, moved.lost) / (moved.ingress + Math.max(0, moved.lost))) * 100 : 0,
  };
}

function average(costs: Awaited<ReturnType<typeof measureWindow>>[]): RoomCost {
  const mean = (pick: (c: (typeof costs)[number]) => number) => costs.reduce((n, c) => n + pick(c), 0) / costs.length;
  const workerCpuPercent = mean((c) => c.workerCpuPercent);
  const forwarded = mean((c) => c.forwarded);
  const packetsPerSecond = mean((c) => c.packetsPerSecond);
  return {
    workerCpuPercent,
    nodeCpuPercent: mean((c) => c.nodeCpuPercent),
    machinePercent: mean((c) => c.machinePercent),
    forwarded,
    packetsPerSecond,
    megabitsPerSecond: mean((c) => c.megabitsPerSecond),
    perStreamPercent: workerCpuPercent / forwarded,
    microsPerPacket: ((workerCpuPercent / 100) * 1e6) / packetsPerSecond,
  };
}

export async function measureSfuCost(options: { windows?: number; windowMs?: number; capacitySteps?: number[]; capacityBudgetMs?: number } = {}): Promise<SfuCostResult> {
  const windows = options.windows ?? 2;
  const windowMs = options.windowMs ?? 10_000;
  const steps = options.capacitySteps ?? [1, 2, 4, 8, 16, 32];
  const budgetMs = options.capacityBudgetMs ?? 150_000;
  let holdspace: ServerHandle | null = null;
  let bare: ServerHandle | null = null;
  let pages: MediaPages | null = null;
  try {
    [holdspace, bare, pages] = await Promise.all([startServer('holdspace-media', { ENTRY_PER_MINUTE: '100000' }), startServer('bare-media'), openMediaPages()]);
    const holdspacePid = (await holdspace.ask<{ workers: number[] }>('media.pids')).workers[0]!;
    const barePid = (await bare.ask<{ workers: number[] }>('media.pids')).workers[0]!;
    const room = await openMediaRoom(holdspace.url, String(holdspace.info.facilitatorKey), MEMBERS);

    const holdspaceRoom = async () => {
      const people = await Promise.all(
        room.members.map(async (member) => {
          const page = await pages!.probe();
          await page.evaluate(([url, token]) => window.probe.join(url!, token!, { audio: true, video: true }), [holdspace!.url, member.token]);
          return { page, id: member.id };
        }),
      );
      for (const { page, id } of people) {
        const others = room.members.filter((m) => m.id !== id).map((m) => m.id);
        await until(
          async () => {
            const remotes = (await page.evaluate(() => window.probe.summary()))?.remotes ?? {};
            return others.every((o) => remotes[o]?.audio && remotes[o]?.video);
          },
          30_000,
          'every Holdspace page receiving the other 5',
        );
      }
      return people.map((p) => p.page);
    };
    let bareRooms = 0;
    const bareRoom = async () => {
      const name = `cost-${++bareRooms}`;
      const people: Page[] = await Promise.all(Array.from({ length: MEMBERS }, () => pages!.bench()));
      await Promise.all(people.map((page, i) => page.evaluate(([url, roomName, member]) => window.bench.bareMember(url!, roomName!, member!, { video: true }), [bare!.url, name, `member-${i}`])));
      const received = await Promise.all(people.map((page) => page.evaluate(() => window.bench.receiveAll())));
      if (received.some((n) => n !== (MEMBERS - 1) * 2)) throw new Error(`bare members received ${received.join(', ')} streams`);
      return people;
    };
    const closeAll = (open: Page[]) => Promise.all(open.map((page) => page.context().close()));

    const costs = { holdspace: [] as Awaited<ReturnType<typeof measureWindow>>[], bare: [] as Awaited<ReturnType<typeof measureWindow>>[] };
    for (let i = 0; i < windows; i++) {
      for (const setup of i % 2 === 0 ? (['holdspace', 'bare'] as const) : (['bare', 'holdspace'] as const)) {
        const open = setup === 'holdspace' ? await holdspaceRoom() : await bareRoom();
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        costs[setup].push(setup === 'holdspace' ? await measureWindow(holdspace, holdspacePid, windowMs) : await measureWindow(bare, barePid, windowMs));
        await closeAll(open);
      }
    }

    // Part 2: a live room of 6 publish-only members (one page), then synthetic rooms on its worker.
    const liveRoom = await openMediaRoom(holdspace.url, String(holdspace.info.facilitatorKey), MEMBERS);
    const source = await pages.bench();
    await source.evaluate(([url, auths]) => window.bench.publishers(url as string, auths as Record<string, unknown>[], { video: true }), [holdspace.url, liveRoom.members.map((m) => memberAuth(m.token))] as const);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const capacity: SfuCostResult['capacity'] = { steps: [], held: 0, stoppedBy: 'the last step', projectedPerCore: Number.NaN };
    const base = await measureWindow(holdspace, holdspacePid, windowMs / 2);
    const started = performance.now();
    for (const rooms of steps) {
      const made = await holdspace.ask<{ rooms: number; consumers: number }>('synthetic.rooms', { count: rooms });
      if (made.consumers !== rooms * MEMBERS * (MEMBERS - 1) * 2) throw new Error(`synthetic rooms: ${JSON.stringify(made)}`);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const step = await measureWindow(holdspace, holdspacePid, windowMs / 2);
      capacity.steps.push({ rooms, ...step });
      if (step.ingressLossPercent / 100 > LOSS_THRESHOLD) {
        capacity.stoppedBy = `packet loss on arrival (${step.ingressLossPercent.toFixed(2)}%)`;
        break;
      }
      capacity.held = rooms;
      if (step.workerCpuPercent >= 95) {
        capacity.stoppedBy = 'the worker at a full core';
        break;
      }
      if (step.machinePercent >= 97) {
        capacity.stoppedBy = `the machine at ${step.machinePercent.toFixed(0)}% of both cores`;
        break;
      }
      if (performance.now() - started > budgetMs) {
        capacity.stoppedBy = 'the time budget';
        break;
      }
    }
    const clean = capacity.steps.filter((s) => s.rooms <= capacity.held).at(-1);
    if (clean) capacity.projectedPerCore = Math.floor((100 - base.workerCpuPercent) / ((clean.workerCpuPercent - base.workerCpuPercent) / clean.rooms));
    await holdspace.ask('synthetic.rooms', { count: 0 });
    room.close();
    liveRoom.close();
    return { holdspace: average(costs.holdspace), bare: average(costs.bare), windows, capacity };
  } finally {
    await pages?.close();
    await holdspace?.stop();
    await bare?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await measureSfuCost(quick ? { windows: 1, windowMs: 6_000, capacitySteps: [1, 2, 4] } : {});
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
