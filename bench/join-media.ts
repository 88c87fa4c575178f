// Join to first remote frame: a member's page (the real client modules, through the e2e suite's
// probe page) joins a room where N-1 others already publish camera and microphone, timed from the
// join call to the first presented remote video frame and the first remote audio packet; side by
// side with a bare page (mediasoup-client alone) joining a bare router fed the same way, alternated
// join by join. The others are publish-only pages (bench/pages/bench-page.ts) in both setups, so
// the machine is not spent decoding everyone for everyone, and only the setup being timed sends.
// First remote audio is the first packet's arrival, counted back from Chromium's statistics (see
// bench/pages/media-watch.ts); the first frame is the first requestVideoFrameCallback.
//   npx tsx bench/join-media.ts        (BENCH_QUICK=1 for a short run; JOIN_SIZES=2,6 JOIN_REPS=3;
//                                       JOIN_TIMELINES=1 prints every signalling step of the median runs;
//                                       JOIN_PROPOSED=<a copy of the repo with a client change> times it too)
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startServer, type ServerHandle } from './support/child-server.js';
import { median, openMediaPages, until, type MediaPages } from './support/media-pages.js';
import { memberAuth, openMediaRoom } from './support/media-room.js';

type Firsts = {
  presented: Record<string, number>;
  decoded: Record<string, number>;
  audio: Record<string, number>;
  audioPolled: Record<string, number>;
  audioUnmuted: Record<string, number>;
};

export interface JoinSample {
  /** ms from the join call to the first presented frame of any remote video */
  firstFrame: number;
  /** ... to the first packet of any remote audio */
  firstAudio: number;
  /** ... to the last remote's first frame: everyone visible */
  allFrames: number;
  allAudio: number;
  timeline: { at: number; what: string }[];
}

export interface JoinFigures {
  firstFrame: number;
  firstAudio: number;
  allFrames: number;
  allAudio: number;
  n: number;
  /** Where the time went: ms from the join call to each step (medians over the runs). */
  steps: Record<string, number>;
  /** The timeline of the run whose first frame was the median one. */
  timeline: { at: number; what: string }[];
}

export interface JoinMediaResult {
  /** proposed: the probe page built from another checkout (a change to weigh), timed in the same rotation */
  sizes: { member: number; holdspace: JoinFigures; bare: JoinFigures; proposed?: JoinFigures }[];
}

const JOIN_TIMEOUT_MS = 30_000;
/** After switching which setup's publishers send: encoders restart and bandwidth estimates recover. */
const SETTLE_MS = 2_500;

/** Steps of a join, as the watcher's timeline names them; each matched by its first occurrence. */
const STEPS: [string, RegExp][] = [
  ['socket open', /^ws open$/],
  ['session snapshot', /^← snapshot$/],
  ['camera and mic open', /^getUserMedia done$/],
  ['media.join sent', /^→ media\.join$/],
  ['router capabilities back', /^← media\.join$/],
  ['receive transport asked', /^→ media\.transport\.create$/],
  ['consumers described', /^← (media\.consume|bare\.consumeAll)$/],
  ['resume sent', /^→ media\.consumer\.resume$/],
  ['a transport connected', /^pc\d+ connected$/],
];

function steps(samples: JoinSample[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [name, pattern] of STEPS) {
    const times = samples.map((s) => s.timeline.find((e) => pattern.test(e.what))?.at).filter((t): t is number => t !== undefined);
    if (times.length > 0) found[name] = Math.round(median(times));
  }
  found['first remote frame'] = Math.round(median(samples.map((s) => s.firstFrame)));
  return found;
}

function summarise(samples: JoinSample[]): JoinFigures {
  const byFrame = [...samples].sort((a, b) => a.firstFrame - b.firstFrame);
  return {
    steps: steps(samples),
    firstFrame: median(samples.map((s) => s.firstFrame)),
    firstAudio: median(samples.map((s) => s.firstAudio)),
    allFrames: median(samples.map((s) => s.allFrames)),
    allAudio: median(samples.map((s) => s.allAudio)),
    n: samples.length,
    timeline: byFrame[Math.floor((byFrame.length - 1) / 2)]?.timeline ?? [],
  };
}

/** Wait until every one of `others` has shown a frame and sent audio, then read the watcher. */
async function collect(page: Page, others: number, what: string): Promise<JoinSample> {
  const complete = (f: Firsts) => Object.keys(f.presented).length >= others && Object.keys(f.audio).length >= others;
  const firsts = await until(
    async () => {
      const f = (await page.evaluate(() => window.mediaWatch.firsts())) as Firsts;
      return complete(f) ? f : null;
    },
    JOIN_TIMEOUT_MS,
    `${what}: frames and audio from ${others} others`,
    100,
  );
  const timeline = await page.evaluate(() => {
    window.mediaWatch.stop();
    return window.mediaWatch.timeline();
  });
  const frames = Object.values(firsts.presented);
  const audio = Object.values(firsts.audio);
  return { firstFrame: Math.min(...frames), allFrames: Math.max(...frames), firstAudio: Math.min(...audio), allAudio: Math.max(...audio), timeline };
}

/** `proposed`: a checkout whose client to time as a third setup (Holdspace's server, that checkout's probe page). */
export async function measureJoinMedia(options: { sizes?: number[]; reps?: number; proposed?: string } = {}): Promise<JoinMediaResult> {
  const sizes = [...(options.sizes ?? [2, 6, 12])].sort((a, b) => a - b);
  const reps = options.reps ?? 5;
  const largest = sizes.at(-1)!;
  let holdspace: ServerHandle | null = null;
  let bare: ServerHandle | null = null;
  let pages: MediaPages | null = null;
  try {
    [holdspace, bare, pages] = await Promise.all([startServer('holdspace-media', { ENTRY_PER_MINUTE: '100000' }), startServer('bare-media'), openMediaPages(options.proposed ? { proposed: options.proposed } : {})]);
    const room = await openMediaRoom(holdspace.url, String(holdspace.info.facilitatorKey), largest);
    // The last member is the one who joins, again and again; the others publish.
    const joiner = room.members.at(-1)!;
    const publishers = room.members.slice(0, largest - 1);
    let publishing = 0;
    const publisherPages = { holdspace: [] as Page[], bare: [] as Page[] };
    // Only one setup's publishers send at a time (two rooms of encoders at once overload 2 cores):
    // switching pauses the other's producers in the browser, then lets the encoders settle.
    let active: 'holdspace' | 'bare' | null = null;
    const activate = async (setup: 'holdspace' | 'bare') => {
      if (active === setup) return;
      const other = setup === 'holdspace' ? 'bare' : 'holdspace';
      await Promise.all([
        ...publisherPages[other].map((page) => page.evaluate(() => window.bench.sending(false))),
        ...publisherPages[setup].map((page) => page.evaluate(() => window.bench.sending(true))),
      ]);
      active = setup;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    };
    const result: JoinMediaResult = { sizes: [] };

    for (const size of sizes) {
      // Fill both rooms up to size-1 publishers, a page of them per step and setup.
      const wanted = size - 1;
      if (wanted > publishing) {
        const hsPage = await pages.bench();
        const barePage = await pages.bench();
        const auths = publishers.slice(publishing, wanted).map((m) => memberAuth(m.token));
        const bareAuths = auths.map((_, i) => ({ room: 'bench', name: `publisher-${publishing + i + 1}` }));
        await hsPage.evaluate(([url, list]) => window.bench.publishers(url as string, list as Record<string, unknown>[], { video: true }), [holdspace.url, auths] as const);
        await barePage.evaluate(([url, list]) => window.bench.publishers(url as string, list as Record<string, unknown>[], { video: true }), [bare.url, bareAuths] as const);
        publisherPages.holdspace.push(hsPage);
        publisherPages.bare.push(barePage);
        publishing = wanted;
        active = null;
      }

      const samples: { holdspace: JoinSample[]; bare: JoinSample[]; proposed: JoinSample[] } = { holdspace: [], bare: [], proposed: [] };
      const joinHoldspace = async (variant?: 'proposed') => {
        await activate('holdspace');
        const page = await pages!.probe(variant);
        await page.evaluate(
          ([url, token]) => {
            window.mediaWatch.start();
            return window.probe.join(url!, token!, { audio: true, video: true });
          },
          [holdspace!.url, joiner.token],
        );
        samples[variant ?? 'holdspace'].push(await collect(page, wanted, `Holdspace member ${size}`));
        await page.evaluate(() => window.probe.close());
        await page.context().close();
      };
      const joinBare = async (rep: number) => {
        await activate('bare');
        const page = await pages!.bench();
        await page.evaluate(
          ([url, name]) => {
            window.mediaWatch.start();
            return window.bench.bareJoin(url!, 'bench', name!, { video: true });
          },
          [bare!.url, `joiner-${size}-${rep}`],
        );
        samples.bare.push(await collect(page, wanted, `bare member ${size}`));
        await page.evaluate(() => window.bench.close());
        await page.context().close();
      };
      // One unmeasured join of each warms the servers' code paths; then alternate, swapping who goes first.
      const setups = [() => joinHoldspace(), (rep: number) => joinBare(rep), ...(options.proposed ? [() => joinHoldspace('proposed')] : [])];
      for (const join of setups) await join(-1);
      samples.holdspace.length = 0;
      samples.bare.length = 0;
      samples.proposed.length = 0;
      for (let rep = 0; rep < reps; rep++) {
        const order = rep % 2 === 0 ? setups : [...setups].reverse();
        for (const join of order) await join(rep);
      }
      result.sizes.push({
        member: size,
        holdspace: summarise(samples.holdspace),
        bare: summarise(samples.bare),
        ...(options.proposed ? { proposed: summarise(samples.proposed) } : {}),
      });
    }
    room.close();
    return result;
  } finally {
    await pages?.close();
    await holdspace?.stop();
    await bare?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const sizes = process.env.JOIN_SIZES?.split(',').map(Number);
  const proposed = process.env.JOIN_PROPOSED;
  const result = await measureJoinMedia({ reps: Number(process.env.JOIN_REPS ?? (quick ? 2 : 5)), ...(sizes ? { sizes } : {}), ...(proposed ? { proposed } : {}) });
  for (const { member, holdspace, bare, proposed: tried } of result.sizes) {
    if (tried) {
      console.log(`\nmember ${member}: proposed first frame ${tried.firstFrame.toFixed(0)} ms (${(tried.firstFrame / bare.firstFrame).toFixed(2)}x), audio ${tried.firstAudio.toFixed(0)} ms (${(tried.firstAudio / bare.firstAudio).toFixed(2)}x)`);
      console.log(`  proposed steps: ${Object.entries(tried.steps).map(([k, v]) => `${k} ${v}`).join(' | ')}`);
    }
    console.log(`\nmember ${member}: Holdspace first frame ${holdspace.firstFrame.toFixed(0)} ms, audio ${holdspace.firstAudio.toFixed(0)} ms (all: ${holdspace.allFrames.toFixed(0)} / ${holdspace.allAudio.toFixed(0)} ms)`);
    console.log(`          bare      first frame ${bare.firstFrame.toFixed(0)} ms, audio ${bare.firstAudio.toFixed(0)} ms (all: ${bare.allFrames.toFixed(0)} / ${bare.allAudio.toFixed(0)} ms)`);
    console.log(`          ratio ${(holdspace.firstFrame / bare.firstFrame).toFixed(2)}x frame, ${(holdspace.firstAudio / bare.firstAudio).toFixed(2)}x audio`);
    console.log(`  Holdspace steps: ${Object.entries(holdspace.steps).map(([k, v]) => `${k} ${v}`).join(' | ')}`);
    console.log(`  bare steps:      ${Object.entries(bare.steps).map(([k, v]) => `${k} ${v}`).join(' | ')}`);
    if (process.env.JOIN_TIMELINES) {
      console.log(`  Holdspace timeline (median run): ${holdspace.timeline.map((e) => `${e.at} ${e.what}`).join(' | ')}`);
      console.log(`  bare timeline (median run):      ${bare.timeline.map((e) => `${e.at} ${e.what}`).join(' | ')}`);
    }
  }
  process.exit(0);
}
