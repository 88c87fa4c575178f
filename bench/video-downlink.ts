// Video downlink per member with receiver-side adaptation on and off, in the same run. A room of 6
// real Chromium pages, each camera fed a high-motion 1280x720 clip this benchmark writes with
// ffmpeg (moving test pattern, grain on every frame) and a continuous fake microphone; member 1
// holds the floor. Every page lays out the same circle: the floor holder's tile 960 px wide,
// everyone else's 240 px. The same room runs on a server with MEDIA_ADAPT_VIDEO=false and on one
// with it on; each member's received bytes are read from the browser's inbound-rtp statistics.
// A circle of 13 cannot run here (13 encoders on 2 cores), so its downlink is computed from the
// per-stream rates measured in the room of 6: the floor holder's stream plus 11 small tiles plus
// 12 microphones.
//   npx tsx bench/video-downlink.ts        (BENCH_QUICK=1 for a short run)
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { ReceiveStats } from '../test/e2e/pages/media-stats.js';
import { startServer, type ServerHandle } from './support/child-server.js';
import { median, openMediaPages, until, type MediaPages } from './support/media-pages.js';
import { openMediaRoom } from './support/media-room.js';

const MEMBERS = 6;
const HOLDER_TILE_PX = 960;
const SMALL_TILE_PX = 240;

export interface RoomDownlink {
  /** video received per member who does not hold the floor, kbit/s (mean) */
  memberVideoKbps: number;
  /** audio received per member, kbit/s (mean) */
  memberAudioKbps: number;
  /** the floor holder's video at one listener, kbit/s (median over listeners), and its decoded width */
  holderStreamKbps: number;
  holderWidth: number;
  /** one small tile's video at one listener, kbit/s (median over every small tile), and its decoded width */
  smallStreamKbps: number;
  smallWidth: number;
  /** one microphone at one listener, kbit/s (median) */
  audioStreamKbps: number;
  /** pages whose encoder said it was held back by CPU or bandwidth */
  limitedSenders: string[];
}

export interface VideoDownlinkResult {
  clip: string;
  captureWidth: number;
  on: RoomDownlink;
  off: RoomDownlink;
  /** computed from the measured per-stream rates: a member of a circle of 13 who does not hold the floor, kbit/s */
  circleOf13: { on: number; off: number };
}

/** A 1280x720 clip that compresses badly: a moving test pattern under fresh grain on every frame. */
function writeClip(dir: string, seconds: number): string {
  const clip = join(dir, 'moving-720p.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30,noise=alls=40:allf=t+u', '-t', String(seconds), '-pix_fmt', 'yuv420p', clip]);
  return clip;
}

const kbps = (bytes: number, ms: number) => (bytes * 8) / ms;

async function runRoom(server: ServerHandle, pages: MediaPages, settleMs: number, windowMs: number): Promise<RoomDownlink & { captureWidth: number }> {
  const room = await openMediaRoom(server.url, String(server.info.facilitatorKey), MEMBERS);
  const holder = room.members[0]!.id;
  await room.command({ type: 'floor.grant', to: holder });
  const people: { page: Page; id: string }[] = await Promise.all(
    room.members.map(async (member) => {
      const page = await pages.probe();
      // Wide enough that every tile of the circle is on screen (one row).
      await page.setViewportSize({ width: 2400, height: 1000 });
      await page.evaluate(([url, token]) => window.probe.join(url!, token!, { audio: true, video: true }), [server.url, member.token]);
      return { page, id: member.id };
    }),
  );
  try {
    for (const { page, id } of people) {
      const others = room.members.filter((m) => m.id !== id).map((m) => m.id);
      await until(
        async () => {
          const remotes = (await page.evaluate(() => window.probe.summary()))?.remotes ?? {};
          return others.every((o) => remotes[o]?.audio && remotes[o]?.video);
        },
        60_000,
        'every page receiving the other 5',
      );
      await page.evaluate(() => window.probe.watchTiles());
      for (const other of others) await page.evaluate(([who, width]) => window.probe.sizeVideo(who!, Number(width)), [other, String(other === holder ? HOLDER_TILE_PX : SMALL_TILE_PX)]);
    }
    // Bandwidth estimates ramp up, and layers settle where the tiles put them.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const read = () => Promise.all(people.map(({ page }) => page.evaluate(() => window.probe.stats())));
    const before = await read();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = await read();
    const ms = performance.now() - t0;
    const bytes = (stats: ReceiveStats[], match: (s: ReceiveStats) => boolean) => stats.filter(match).reduce((n, s) => n + s.bytesReceived, 0);
    const rate = (i: number, match: (s: ReceiveStats) => boolean) => kbps(bytes(after[i]!, match) - bytes(before[i]!, match), ms);
    const listeners = people.map((p, i) => ({ ...p, i })).filter((p) => p.id !== holder);
    const holderStreams = listeners.map(({ i }) => rate(i, (s) => s.participantId === holder && s.source === 'camera'));
    const smallStreams = listeners.flatMap(({ i, id }) =>
      room.members.filter((m) => m.id !== holder && m.id !== id).map((m) => rate(i, (s) => s.participantId === m.id && s.source === 'camera')),
    );
    const width = (match: (s: ReceiveStats) => boolean) => median(listeners.flatMap(({ i }) => after[i]!.filter(match).map((s) => s.frameWidth)));
    const senders = await Promise.all(people.map(({ page }) => page.evaluate(() => window.probe.sendStats())));
    const captureWidth = (await people[0]!.page.evaluate(() => window.probe.localTracks())).find((t) => t.kind === 'video')?.width ?? 0;
    return {
      captureWidth,
      memberVideoKbps: listeners.reduce((n, { i }) => n + rate(i, (s) => s.kind === 'video'), 0) / listeners.length,
      memberAudioKbps: people.reduce((n, _, i) => n + rate(i, (s) => s.kind === 'audio'), 0) / people.length,
      holderStreamKbps: median(holderStreams),
      holderWidth: width((s) => s.participantId === holder && s.source === 'camera'),
      smallStreamKbps: median(smallStreams),
      smallWidth: width((s) => s.participantId !== holder && s.source === 'camera'),
      audioStreamKbps: median(listeners.flatMap(({ i }) => room.members.map((m) => rate(i, (s) => s.participantId === m.id && s.kind === 'audio')).filter((r) => r > 0))),
      limitedSenders: senders.flatMap((sent, i) => sent.filter((s) => s.source === 'camera' && s.qualityLimitation).map((s) => `member ${i + 1}: ${s.qualityLimitation}`)),
    };
  } finally {
    await Promise.all(people.map(({ page }) => page.context().close().catch(() => undefined)));
    room.close();
  }
}

export async function measureVideoDownlink(options: { settleMs?: number; windowMs?: number } = {}): Promise<VideoDownlinkResult> {
  const settleMs = options.settleMs ?? 12_000;
  const windowMs = options.windowMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-clip-'));
  let pages: MediaPages | null = null;
  const servers: ServerHandle[] = [];
  try {
    const clip = writeClip(dir, 4);
    pages = await openMediaPages({ browserFlags: [`--use-file-for-fake-video-capture=${clip}`] });
    const start = async (adapt: boolean) => {
      const server = await startServer('holdspace-media', { ENTRY_PER_MINUTE: '100000', MEDIA_ADAPT_VIDEO: String(adapt) });
      servers.push(server);
      return server;
    };
    const [serverOn, serverOff] = await Promise.all([start(true), start(false)]);
    const off = await runRoom(serverOff, pages, settleMs, windowMs);
    const on = await runRoom(serverOn, pages, settleMs, windowMs);
    const circle = (room: RoomDownlink, small: number) => room.holderStreamKbps + 11 * small + 12 * room.audioStreamKbps;
    return {
      clip: '1280x720, 30 fps, testsrc2 + grain (ffmpeg)',
      captureWidth: on.captureWidth,
      on,
      off,
      // Off, every tile gets what the floor holder's gets: the top layer.
      circleOf13: { on: circle(on, on.smallStreamKbps), off: circle(off, off.smallStreamKbps) },
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
