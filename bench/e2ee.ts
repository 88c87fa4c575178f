// End-to-end encrypted media against plain media, in the same run: rooms of 3 real client pages
// (the e2e suite's probe page: facilitator and two members, camera and microphone), one room at a
// time, alternating plain and encrypted. Per room: join to first remote frame of the last page to
// join (keys included: an encrypted page shows nothing until the room key reaches it), then CPU
// over a window: the whole Chromium process tree (renderers, the GPU/network processes, every
// frame worker) per participant, and the mediasoup worker.
//   npx tsx bench/e2ee.ts        (BENCH_QUICK=1 for a short run; E2EE_REPS=3, E2EE_WINDOW_MS=8000)
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.js';
import { until } from '../test/support/holdspace.js';
import { startMediaHoldspace, waitFor } from '../test/support/media.js';
import { serveProbe } from '../test/support/probe.js';
import { processCpuMs } from './support/proc.js';

export interface E2eeFigures {
  /** ms from the last page's join call to its first remote frame (median) */
  joinToFirstFrameMs: number;
  /** % of a core per participant, all Chromium processes */
  browserPercentPerParticipant: number;
  /** % of a core, the mediasoup worker carrying the room */
  workerPercent: number;
  n: number;
}

export interface E2eeResult {
  plain: E2eeFigures;
  encrypted: E2eeFigures;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Every process descended from `root` (Chromium's children and theirs). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) if (parent === pid) (found.push(child), walk(child));
  };
  walk(root);
  return found;
}

const treeCpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + (() => { try { return processCpuMs(pid); } catch { return 0; } })(), 0);

export async function measureE2ee(options: { reps?: number; windowMs?: number } = {}): Promise<E2eeResult> {
  const reps = options.reps ?? Number(process.env.E2EE_REPS ?? 3);
  const windowMs = options.windowMs ?? Number(process.env.E2EE_WINDOW_MS ?? 8_000);
  const [site, server, browser] = await Promise.all([serveProbe(), startMediaHoldspace({ MEDIA_WORKERS: '1', EVENT_BURST: '1000' }), launchBrowser()]);
  const samples: Record<'plain' | 'encrypted', { join: number[]; browser: number[]; worker: number[] }> = {
    plain: { join: [], browser: [], worker: [] },
    encrypted: { join: [], browser: [], worker: [] },
  };
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const mode of rep % 2 === 0 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const)) {
        const room = await server.createRoom(`bench ${mode} ${rep}`);
        const facilitator = server.connect(room.token);
        await until(facilitator, (s) => s.group !== null);
        const tokens = [room.token];
        const ids: string[] = [(await until(facilitator, (s) => s.self !== null)).self!.you.id];
        for (const name of ['Ana', 'Ben']) {
          const joined = await server.join(room.inviteUrl, name);
          await facilitator.send({ type: 'admit', memberId: joined.memberId });
          tokens.push(joined.token);
          ids.push(joined.memberId);
        }
        const pages: Page[] = [];
        for (const token of tokens) {
          const { page } = await browser.participant();
          await page.goto(site.url);
          await page.evaluate(([url, t, on]) => window.probe.join(url!, t!, { audio: true, video: true }, on === 'on'), [server.url, token, mode === 'encrypted' ? 'on' : 'off']);
          pages.push(page);
        }
        const last = pages.at(-1)!;
        const others = ids.slice(0, -1);
        const frames = await waitFor(
          async () => {
            const firsts = await last.evaluate(() => window.probe.firstFrames());
            return others.every((id) => firsts[id] !== undefined) ? firsts : null;
          },
          30_000,
          `${mode} room: the last page's first frames`,
        );
        samples[mode].join.push(Math.min(...others.map((id) => frames[id]!)));
        // Let encoders ramp up before the CPU window.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        const chromium = descendants(process.pid).filter((pid) => /chrom/.test(readFileSync(`/proc/${pid}/comm`, 'utf8')));
        const workerPid = (await server.sfu.room(room.roomId)!.workerPid())!;
        const [browserBefore, workerBefore, started] = [treeCpuMs(chromium), processCpuMs(workerPid), Date.now()];
        await new Promise((resolve) => setTimeout(resolve, windowMs));
        const elapsed = Date.now() - started;
        samples[mode].browser.push(((treeCpuMs(chromium) - browserBefore) / elapsed / pages.length) * 100);
        samples[mode].worker.push(((processCpuMs(workerPid) - workerBefore) / elapsed) * 100);
        for (const page of pages) {
          await page.evaluate(() => window.probe.close()).catch(() => undefined);
          await page.context().close();
        }
        facilitator.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    await site.close();
  }
  const figures = (mode: 'plain' | 'encrypted'): E2eeFigures => ({
    joinToFirstFrameMs: median(samples[mode].join),
    browserPercentPerParticipant: median(samples[mode].browser),
    workerPercent: median(samples[mode].worker),
    n: samples[mode].join.length,
  });
  return { plain: figures('plain'), encrypted: figures('encrypted') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureE2ee(process.env.BENCH_QUICK === '1' ? { reps: 2, windowMs: 5_000 } : {});
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
