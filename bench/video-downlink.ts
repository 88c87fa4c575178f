// Video downlink of a member of a circle of 13, with receiver-side adaptation on and off in the
// same run. The room has 13 seats (the facilitator and 12 members); 6 members are on camera and
// microphone, each camera fed a high-motion 1280x720 clip this benchmark writes with ffmpeg
// (moving test pattern, grain on every frame), each microphone a continuous melody; member 1 holds
// the floor. Member 6 is measured on the product's own room page, built from client/ and opened
// in a 1920x1080 window (full screen on a full-HD monitor): the tile sizes are the product's layout
// of 13 seats, not set by the bench; the floor holder's width at other common windows is read too.
// Encryption is off: the facilitator here is a socket without a browser, and E2EE's keys come from
// a facilitator's browser (its cost is bench/e2ee.ts's; it adds a few bytes a frame). The other five are probe pages (the product's
// media modules) whose remote videos take the sizes the product page laid out. What member 6
// receives is read from its browser (every inbound stream, and every byte of its transports); the
// layer the SFU forwards it from the floor holder's camera is read from the server's consumer.
// 13 encoders do not fit on 2 cores, so the downlink with 12 cameras is computed from rates
// measured per stream: the floor holder's stream at the layer the product picks for its tile, 11
// small tiles, 12 microphones, plus the share of transport overhead (RTCP, SRTP) measured on the room
// page. The per-layer rates come from a room of 3 (bench/support/layer-rates.ts), where the senders'
// bandwidth estimates are not starved; the room of 6's own rates are reported beside them.
//   npx tsx bench/video-downlink.ts        (BENCH_QUICK=1 for a short run)
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type ServerHandle } from './support/child-server.js';
import { median, openMediaPages, until, type MediaPages } from './support/media-pages.js';
import { measureLayerRates, type LayerRates } from './support/layer-rates.js';
import { openMediaRoom } from './support/media-room.js';
import { spatialLayerFor } from '../shared/session/video-layers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const SEATED_MEMBERS = 12;
const ON_CAMERA = 6;
/** Full screen on a full-HD monitor (a maximised window there is about 1920x960). */
const VIEWPORT = { width: 1920, height: 1080 };
/** Windows at which the floor holder's tile width is reported: laptops, a maximised full-HD window, a larger monitor. */
const SURVEY = [
  { width: 1366, height: 650 },
  { width: 1536, height: 730 },
  { width: 1920, height: 960 },
  { width: 1920, height: 1080 },
  { width: 2560, height: 1300 },
];

type Received = Awaited<ReturnType<Window['mediaWatch']['received']>>;
type Sent = Awaited<ReturnType<Window['mediaWatch']['sent']>>;

export interface RoomDownlink {
  /** everything member 6's transports received, kbit/s (RTP, RTCP, SRTP overhead) */
  totalKbps: number;
  videoKbps: number;
  audioKbps: number;
  holder: { kbps: number; frameWidth: number; tileCssWidth: number; sfuLayer: number | null; preferredLayer: number | null };
  /** one small tile (median over the four), and one microphone (median over the five) */
  small: { kbps: number; frameWidth: number; tileCssWidth: number };
  audioStreamKbps: number;
  /** seats the product's circle drew */
  seats: number;
  /** the floor holder's tile width (CSS px) in the product's layout at other windows */
  holderTileAt: Record<string, number>;
  /** video received by the other members on camera who do not hold the floor, kbit/s (mean) */
  othersVideoKbps: number;
  /** the floor holder's camera encodings and its bandwidth estimate, at the end of the window */
  holderSends: Sent;
  /** 1-minute load average of the machine when the window closed */
  load: number;
}

export interface VideoDownlinkResult {
  clip: string;
  captureWidth: number;
  viewport: string;
  on: RoomDownlink;
  off: RoomDownlink;
  /** per-layer rates measured in a room of 3 */
  layers: LayerRates;
  /**
   * Computed, kbit/s: a member of a circle of 13, 12 of them on camera, the floor holder speaking and
   * the other 11 listening (microphones quiet). `on`: the floor holder at the layer the product picks
   * for its tile at this window, `onMiddle`: at the middle layer (a tile of 321-640 px, e.g. a
   * maximised full-HD window), `allHeard`: as `onMiddle` with all 12 microphones sounding at once
   * (every tile at the full frame rate), `off`: every stream at the top layer; `room6`: from the room
   * of 6's own rates (every microphone sounding; starved estimates, every stream at the lowest layer).
   */
  circleOf13: { on: number; onMiddle: number; allHeard: number; off: number; room6On: number; room6Off: number };
}

/** A 1280x720 clip that compresses badly: a moving test pattern under fresh grain on every frame. */
function writeClip(dir: string, seconds: number): string {
  const clip = join(dir, 'moving-720p.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30,noise=alls=40:allf=t+u', '-t', String(seconds), '-pix_fmt', 'yuv420p', clip]);
  return clip;
}

const kbps = (bytes: number, ms: number) => (bytes * 8) / ms;
const received = (page: Page) => page.evaluate(() => window.mediaWatch.received());

async function runRoom(server: ServerHandle, pages: MediaPages, settleMs: number, windowMs: number): Promise<RoomDownlink & { captureWidth: number }> {
  const room = await openMediaRoom(server.url, String(server.info.facilitatorKey), SEATED_MEMBERS);
  const onCamera = room.members.slice(0, ON_CAMERA);
  const holder = onCamera[0]!.id;
  const measured = onCamera.at(-1)!;
  await room.command({ type: 'encryption.set', on: false });
  await room.command({ type: 'floor.grant', to: holder });
  const probes = await Promise.all(
    onCamera.slice(0, -1).map(async (member) => {
      const page = await pages.probe();
      await page.setViewportSize(VIEWPORT);
      await page.evaluate(([url, token]) => window.probe.join(url!, token!, { audio: true, video: true }), [server.url, member.token]);
      return { page, id: member.id };
    }),
  );
  const session = JSON.stringify({ roomId: room.roomId, token: measured.token, role: 'member', media: { audio: true, video: true } });
  const app = await pages.at(`${server.url}/room/${room.roomId}`, `sessionStorage.setItem('holdspace.session', ${JSON.stringify(session)})`, VIEWPORT);
  const others = (id: string) => onCamera.filter((m) => m.id !== id).map((m) => m.id);
  try {
    await until(
      async () => {
        const streams = (await received(app)).streams.filter((s) => s.frameWidth > 0 || s.kind === 'audio');
        return others(measured.id).every((o) => streams.some((s) => s.participant === o && s.kind === 'video') && streams.some((s) => s.participant === o && s.kind === 'audio'));
      },
      60_000,
      'the room page receiving the other 5',
    );
    // The product's layout at this window: the floor holder in the spotlight, the rest in the ring.
    const layout = (await received(app)).streams.filter((s) => s.kind === 'video');
    const holderTile = Math.max(...layout.filter((s) => s.participant === holder).map((s) => s.elementWidth));
    const smallTile = median(layout.filter((s) => s.participant !== holder).map((s) => s.elementWidth));
    const seats = await app.locator('.circle__seat').count();
    const holderTileAt: Record<string, number> = {};
    for (const size of SURVEY) {
      await app.setViewportSize(size);
      holderTileAt[`${size.width}x${size.height}`] = await app.evaluate(() => Math.round(document.querySelector('.spotlight__media')?.getBoundingClientRect().width ?? 0));
    }
    await app.setViewportSize(VIEWPORT);
    for (const { page, id } of probes) {
      await until(
        async () => {
          const remotes = (await page.evaluate(() => window.probe.summary()))?.remotes ?? {};
          return others(id).every((o) => remotes[o]?.audio && remotes[o]?.video);
        },
        60_000,
        'every probe receiving the other 5',
      );
      await page.evaluate(() => window.probe.watchTiles());
      for (const other of others(id)) await page.evaluate(([who, width]) => window.probe.sizeVideo(who!, Number(width)), [other, String(other === holder ? holderTile : smallTile)]);
    }
    // Bandwidth estimates ramp up, and layers settle where the tiles put them.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const readProbes = () => Promise.all(probes.map(({ page }) => page.evaluate(() => window.probe.stats())));
    const [before, probesBefore] = await Promise.all([received(app), readProbes()]);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const [after, probesAfter] = await Promise.all([received(app), readProbes()]);
    const ms = performance.now() - t0;
    const load = loadavg()[0]!;
    const rate = (match: (s: Received['streams'][number]) => boolean) =>
      kbps(after.streams.filter(match).reduce((n, s) => n + s.bytes, 0) - before.streams.filter(match).reduce((n, s) => n + s.bytes, 0), ms);
    const fromHolder = (s: Received['streams'][number]) => s.participant === holder && s.kind === 'video';
    const smallOnes = others(measured.id).filter((o) => o !== holder);
    const consumers = await server.ask<{ from?: string; source?: string; kind: string; preferredSpatialLayer: number | null; currentSpatialLayer: number | null }[]>('media.received', {
      roomId: room.roomId,
      participantId: measured.id,
    });
    const holderConsumer = consumers.find((c) => c.from === holder && c.source === 'camera');
    const listeners = probes.map((p, i) => ({ ...p, i })).filter((p) => p.id !== holder);
    const probeVideo = (i: number) => {
      const sum = (stats: typeof probesAfter[number]) => stats.filter((s) => s.kind === 'video').reduce((n, s) => n + s.bytesReceived, 0);
      return kbps(sum(probesAfter[i]!) - sum(probesBefore[i]!), ms);
    };
    const holderPage = probes.find((p) => p.id === holder)!.page;
    const captureWidth = (await holderPage.evaluate(() => window.probe.localTracks())).find((t) => t.kind === 'video')?.width ?? 0;
    return {
      captureWidth,
      totalKbps: kbps(after.transportBytes - before.transportBytes, ms),
      videoKbps: rate((s) => s.kind === 'video'),
      audioKbps: rate((s) => s.kind === 'audio'),
      holder: {
        kbps: rate(fromHolder),
        frameWidth: after.streams.find(fromHolder)?.frameWidth ?? 0,
        tileCssWidth: holderTile,
        sfuLayer: holderConsumer?.currentSpatialLayer ?? null,
        preferredLayer: holderConsumer?.preferredSpatialLayer ?? null,
      },
      small: {
        kbps: median(smallOnes.map((o) => rate((s) => s.participant === o && s.kind === 'video'))),
        frameWidth: median(after.streams.filter((s) => smallOnes.includes(s.participant) && s.kind === 'video').map((s) => s.frameWidth)),
        tileCssWidth: smallTile,
      },
      audioStreamKbps: median(others(measured.id).map((o) => rate((s) => s.participant === o && s.kind === 'audio'))),
      seats,
      holderTileAt,
      othersVideoKbps: listeners.reduce((n, { i }) => n + probeVideo(i), 0) / listeners.length,
      holderSends: await holderPage.evaluate(() => window.mediaWatch.sent()),
      load,
    };
  } finally {
    await Promise.all([app, ...probes.map((p) => p.page)].map((page) => page.context().close().catch(() => undefined)));
    room.close();
  }
}

/** Everything the room page's transports received over what its streams did: RTCP and SRTP. */
const overheadOf = (room: RoomDownlink) => (room.videoKbps + room.audioKbps > 0 ? room.totalKbps / (room.videoKbps + room.audioKbps) : 1);

/** A member of a circle of 13 with 12 cameras: the floor holder's stream and microphone, 11 small tiles and their microphones, and the transport overhead. */
const circleOf13 = (holder: number, holderMic: number, small: number, smallMic: number, overhead: number) => (holder + holderMic + 11 * (small + smallMic)) * overhead;

export async function measureVideoDownlink(options: { settleMs?: number; windowMs?: number } = {}): Promise<VideoDownlinkResult> {
  const settleMs = options.settleMs ?? 15_000;
  const windowMs = options.windowMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-clip-'));
  let pages: MediaPages | null = null;
  const servers: ServerHandle[] = [];
  try {
    const clip = writeClip(dir, 4);
    const clientDir = join(dir, 'client');
    await build({ configFile: join(root, 'vite.config.ts'), root: join(root, 'client'), logLevel: 'warn', build: { outDir: clientDir, emptyOutDir: true } });
    pages = await openMediaPages({ browserFlags: [`--use-file-for-fake-video-capture=${clip}`] });
    const start = async (adapt: boolean) => {
      const server = await startServer('holdspace-media', { ENTRY_PER_MINUTE: '100000', MEDIA_ADAPT_VIDEO: String(adapt), BENCH_CLIENT_DIR: clientDir });
      servers.push(server);
      return server;
    };
    const [serverOn, serverOff] = await Promise.all([start(true), start(false)]);
    const off = await runRoom(serverOff, pages, settleMs, windowMs);
    const on = await runRoom(serverOn, pages, settleMs, windowMs);
    const layers = await measureLayerRates(serverOn, pages, { smallTile: on.small.tileCssWidth, settleMs: Math.min(settleMs, 8_000), windowMs: Math.min(windowMs, 6_000) });
    const at = (layer: number) => layers.holder.find((l) => l.layer === layer)!.kbps;
    return {
      clip: '1280x720, 30 fps, testsrc2 + grain (ffmpeg)',
      captureWidth: on.captureWidth,
      viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      on,
      off,
      layers,
      circleOf13: {
        // A listener's quiet microphone: Opus DTX sends a frame or so a second, counted as nothing here.
        on: circleOf13(at(spatialLayerFor(on.holder.tileCssWidth)), layers.audioKbps, layers.small.kbps, 0, overheadOf(on)),
        onMiddle: circleOf13(at(1), layers.audioKbps, layers.small.kbps, 0, overheadOf(on)),
        allHeard: circleOf13(at(1), layers.audioKbps, layers.smallHeard.kbps, layers.smallHeard.audioKbps, overheadOf(on)),
        off: circleOf13(at(2), layers.audioKbps, at(2), 0, overheadOf(off)),
        room6On: circleOf13(on.holder.kbps, on.audioStreamKbps, on.small.kbps, on.audioStreamKbps, overheadOf(on)),
        room6Off: circleOf13(off.holder.kbps, off.audioStreamKbps, off.small.kbps, off.audioStreamKbps, overheadOf(off)),
      },
    };
  } finally {
    await pages?.close();
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await measureVideoDownlink(quick ? { settleMs: 8_000, windowMs: 5_000 } : {});
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
