// Floor enforcement: the talking stick is with member B; the facilitator grants it to member A.
// Timed from the facilitator's floor.grant until B's audio stops arriving at the listeners (every
// other member's page, the real client through the e2e suite's probe page). Baseline, alternated
// trial by trial on the same pages: B's microphone producer paused directly on the server
// (producer.pause(), no session, no floor), timed from the same parent process the same way.
//
// How "stops arriving" is read: each listener page polls inbound-rtp of B's audio every 5 ms, but
// Chromium answers getStats from a cache it refreshes every ~50 ms, so bytesReceived moves in 50 ms
// steps. The figure is therefore the stamp Chromium puts on the last packet that did arrive
// (lastPacketReceivedTimestamp, read once the stream has been quiet for 400 ms) on the slowest
// listener; the 50 ms-grained poll is reported beside it. Audio packets come every 20 ms, so the
// last one lands up to 20 ms before the stream is cut: figures near 0 (or below) mean "at once".
//
// B's own page is the real client (the room's views, built as `npm start` builds them), so each
// handed stick also times the "your microphone is paused" notice on B's screen: from the command
// until the notice is in B's page (a MutationObserver there stamps it; nothing polls that page).
//   npx tsx bench/floor-silence.ts        (BENCH_QUICK=1 for a short run)
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type ServerHandle } from './support/child-server.js';
import { median, openMediaPages, until, type MediaPages } from './support/media-pages.js';
import { openMediaRoom } from './support/media-room.js';

export interface SilenceFigures {
  /** ms from the command to the last packet of B's audio at the slowest listener, by the packet's own stamp */
  median: number;
  max: number;
  /** ms from the command until the SFU had paused B's microphone (the worker confirmed it) */
  sfuPausedMedian: number;
  /** ms from the command to the last 5 ms poll that saw bytesReceived grow (50 ms grain: Chromium's stats cache) */
  polledMedian: number;
  /** ms from the command until the pause notice was in B's page (stick handed only) */
  noticeMedian: number;
  noticeMax: number;
  n: number;
}

export interface FloorSilenceResult {
  grant: SilenceFigures;
  pause: SilenceFigures;
  listeners: number;
  video: boolean;
}

interface Trial {
  stamped: number;
  polled: number;
  sfuPaused: number;
  notice: number;
}

const NOTICE = 'Your microphone is paused until the talking stick reaches you.';
const root = fileURLToPath(new URL('../', import.meta.url));

declare global {
  interface Window {
    /** Resolves with when (epoch ms) the pause notice is next drawn in this page. */
    pauseNoticeAt?: Promise<number>;
  }
}

/** B at the real client: the room's page opened on B's saved session, as a reload would. */
async function openClientPage(pages: MediaPages, url: string, roomId: string, token: string): Promise<Page> {
  const { page } = await pages.browser.participant();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.addInitScript(
    ([roomId, token]) => sessionStorage.setItem('holdspace.session', JSON.stringify({ roomId, token, role: 'member', media: { audio: true, video: true } })),
    [roomId, token] as const,
  );
  await page.goto(`${url}/room/${roomId}`);
  await page.getByRole('heading', { name: /The circle/ }).waitFor({ timeout: 30_000 });
  return page;
}

const armNotice = (page: Page) =>
  page.evaluate((notice) => {
    window.pauseNoticeAt = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!Array.from(document.querySelectorAll('.controls__note')).some((note) => note.textContent?.includes(notice))) return;
        observer.disconnect();
        resolve(performance.timeOrigin + performance.now());
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }, NOTICE);

const epoch = () => performance.timeOrigin + performance.now();
/** A stream counts as flowing if bytes grew this recently, and as stopped after this much quiet. */
const FLOWING_MS = 80;
const QUIET_MS = 400;

interface Audio {
  grewAt: { at: number; lastPacketAt: number | null } | null;
  last: { at: number } | null;
  offset: number | null;
}

const lastAudio = (page: Page, id: string) => page.evaluate((who) => window.mediaWatch.lastAudio(who), id) as Promise<Audio>;

/** When B's audio last arrived at this listener (epoch ms): as polled, and as the statistics stamp it. */
function lastArrival(audio: Audio): { polled: number; stamped: number } | null {
  if (!audio.grewAt) return null;
  const stamped = audio.grewAt.lastPacketAt !== null && audio.offset !== null ? Math.min(audio.grewAt.at, audio.grewAt.lastPacketAt + audio.offset) : audio.grewAt.at;
  return { polled: audio.grewAt.at, stamped };
}

export async function measureFloorSilence(options: { trials?: number; listeners?: number; video?: boolean } = {}): Promise<FloorSilenceResult> {
  const trials = options.trials ?? 15;
  const listenerCount = options.listeners ?? 3;
  let server: ServerHandle | null = null;
  let pages: MediaPages | null = null;
  try {
    // The server serves the client from dist/client, as `npm start` builds it.
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    [server, pages] = await Promise.all([startServer('holdspace-media', { ENTRY_PER_MINUTE: '100000' }), openMediaPages()]);
    // Members: A (gets the stick), B (held it), and the rest only listen; A listens too.
    const room = await openMediaRoom(server.url, String(server.info.facilitatorKey), listenerCount + 1);
    await room.command({ type: 'encryption.set', on: false });
    const [a, b] = room.members as [{ id: string; token: string }, { id: string; token: string }];
    const people = await Promise.all(
      room.members.map(async (member) => {
        if (member.id === b.id) return { ...member, page: await openClientPage(pages!, server!.url, room.roomId, member.token) };
        const page = await pages!.probe();
        await page.evaluate(([url, token, video]) => window.probe.join(url!, token!, { audio: true, video: video === 'yes' }), [server!.url, member.token, options.video === false ? 'no' : 'yes']);
        return { ...member, page };
      }),
    );
    const listeners = people.filter((p) => p.id !== b.id);
    const bPage = people.find((p) => p.id === b.id)!.page;
    for (const listener of listeners) {
      await until(async () => (await listener.page.evaluate(() => window.probe.summary()))?.remotes[b.id]?.audio, 20_000, `B's audio at a listener`);
      await listener.page.evaluate((id) => window.mediaWatch.follow([id]), b.id);
    }
    await room.command({ type: 'floor.mode', mode: 'stick' });
    await room.command({ type: 'floor.grant', to: b.id });

    const allFlowing = () =>
      until(
        async () => {
          const audio = await Promise.all(listeners.map((l) => lastAudio(l.page, b.id)));
          return audio.every((x) => x.grewAt && epoch() - x.grewAt.at < FLOWING_MS);
        },
        10_000,
        "B's audio flowing at every listener",
        20,
      );

    /** Run `silence`, then answer ms until the last listener stopped receiving B's audio. */
    const trial = async (silence: () => Promise<unknown>, notice: boolean): Promise<Trial> => {
      await allFlowing();
      if (notice) await armNotice(bPage);
      const t0 = epoch();
      await silence();
      const noticeAt = notice ? await bPage.evaluate(() => window.pauseNoticeAt!) : NaN;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      // Read after the quiet: the command's acknowledgement can arrive before the worker confirms the pause.
      const sfuPausedAt = await server!.ask<number | null>('producer.pausedAt', { roomId: room.roomId, participantId: b.id });
      if (sfuPausedAt === null || sfuPausedAt < t0) throw new Error("B's microphone was not paused in the SFU");
      const audio = await Promise.all(listeners.map((l) => lastAudio(l.page, b.id)));
      const stoppedAt = audio.map((x) => {
        const arrival = lastArrival(x);
        if (arrival === null || !x.last || x.last.at - x.grewAt!.at < QUIET_MS / 2) throw new Error(`B's audio did not stop at a listener: ${JSON.stringify(x)}`);
        return arrival;
      });
      return { polled: Math.max(...stoppedAt.map((s) => s.polled)) - t0, stamped: Math.max(...stoppedAt.map((s) => s.stamped)) - t0, sfuPaused: sfuPausedAt - t0, notice: noticeAt - t0 };
    };
    const grantTrial = async () => {
      const took = await trial(() => room.command({ type: 'floor.grant', to: a.id }), true);
      await room.command({ type: 'floor.grant', to: b.id });
      return took;
    };
    const pauseTrial = async () => {
      const took = await trial(() => server!.ask('producer.pause', { roomId: room.roomId, participantId: b.id, paused: true }), false);
      await server!.ask('producer.pause', { roomId: room.roomId, participantId: b.id, paused: false });
      return took;
    };

    // One of each unmeasured, then alternate, swapping which goes first.
    await grantTrial();
    await pauseTrial();
    const grants: Trial[] = [];
    const pauses: Trial[] = [];
    for (let i = 0; i < trials; i++) {
      if (i % 2 === 0) {
        grants.push(await grantTrial());
        pauses.push(await pauseTrial());
      } else {
        pauses.push(await pauseTrial());
        grants.push(await grantTrial());
      }
    }
    room.close();
    const figures = (values: Trial[]): SilenceFigures => ({
      median: median(values.map((v) => v.stamped)),
      max: Math.max(...values.map((v) => v.stamped)),
      sfuPausedMedian: median(values.map((v) => v.sfuPaused)),
      polledMedian: median(values.map((v) => v.polled)),
      noticeMedian: median(values.map((v) => v.notice)),
      noticeMax: Math.max(...values.map((v) => v.notice)),
      n: values.length,
    });
    return { grant: figures(grants), pause: figures(pauses), listeners: listeners.length, video: options.video !== false };
  } finally {
    await pages?.close();
    await server?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await measureFloorSilence({ trials: quick ? 5 : 15 });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
