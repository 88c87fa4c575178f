// What one camera stream costs a receiver at each simulcast layer, measured where the sender is not
// starved: a room of 3 probe pages (the floor holder, one other member on camera, the receiver),
// the receiver's tile of the floor holder set to each layer's width in turn, the other member's
// tile small: while they listen (microphone off) the rule gives it the lowest layer at half the
// frame rate; then once more with their microphone sounding too (heard: the full frame rate).
// On a 2-core machine shared with other suites, a room of 6 encoders starves the senders' bandwidth
// estimates (loopback loss bursts, round trips of hundreds of ms), so the room of 6 cannot show
// what the upper layers cost; these rates can.
import type { Page } from 'playwright-core';
import { loadavg } from 'node:os';
import type { ServerHandle } from './child-server.js';
import { median, until, type MediaPages } from './media-pages.js';
import { openMediaRoom } from './media-room.js';

export interface LayerRates {
  /** the floor holder's stream by spatial layer: kbit/s at the receiver, decoded width, the layer the SFU forwarded */
  holder: { layer: number; kbps: number; frameWidth: number; sfuLayer: number | null }[];
  /** a small tile of someone listening: kbit/s, decoded width */
  small: { kbps: number; frameWidth: number };
  /** a small tile of someone heard at the same time as the floor holder, and their microphone */
  smallHeard: { kbps: number; audioKbps: number };
  /** the floor holder's microphone, kbit/s */
  audioKbps: number;
  load: number;
}

const kbps = (bytes: number, ms: number) => (bytes * 8) / ms;

export async function measureLayerRates(server: ServerHandle, pages: MediaPages, options: { smallTile: number; settleMs: number; windowMs: number }): Promise<LayerRates> {
  const room = await openMediaRoom(server.url, String(server.info.facilitatorKey), 3);
  const [holder, other, receiver] = room.members as [{ id: string; token: string }, { id: string; token: string }, { id: string; token: string }];
  await room.command({ type: 'encryption.set', on: false });
  await room.command({ type: 'floor.grant', to: holder.id });
  const people: Page[] = [];
  try {
    for (const member of room.members) {
      const page = await pages.probe();
      people.push(page);
      await page.evaluate(([url, token]) => window.probe.join(url!, token!, { audio: true, video: true }), [server.url, member.token]);
    }
    const listener = people[2]!;
    await until(
      async () => {
        const remotes = (await listener.evaluate(() => window.probe.summary()))?.remotes ?? {};
        return [holder.id, other.id].every((o) => remotes[o]?.audio && remotes[o]?.video);
      },
      60_000,
      'the receiver getting both cameras',
    );
    await listener.evaluate(() => window.probe.watchTiles());
    await listener.evaluate(([who, width]) => window.probe.sizeVideo(who!, Number(width)), [other.id, String(options.smallTile)]);
    const holderRates: LayerRates['holder'] = [];
    const small: { kbps: number; frameWidth: number }[] = [];
    const audio: number[] = [];
    let smallHeard = { kbps: 0, audioKbps: 0 };
    await people[1]!.evaluate(() => window.probe.setMic(false));
    for (const [layer, tileWidth] of [[2, 1280], [1, 640], [0, 320], [-1, 640]] as const) {
      // The last window: the floor holder's tile back at the middle layer, the other member heard as well.
      if (layer < 0) await people[1]!.evaluate(() => window.probe.setMic(true));
      await listener.evaluate(([who, w]) => window.probe.sizeVideo(who!, Number(w)), [holder.id, String(tileWidth)]);
      await new Promise((resolve) => setTimeout(resolve, options.settleMs));
      const read = async () => (await listener.evaluate(() => window.mediaWatch.received())).streams;
      const before = await read();
      const t0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, options.windowMs));
      const after = await read();
      const ms = performance.now() - t0;
      const rate = (who: string, kind: 'audio' | 'video') => {
        const sum = (streams: typeof after) => streams.filter((s) => s.participant === who && s.kind === kind).reduce((n, s) => n + s.bytes, 0);
        return kbps(sum(after) - sum(before), ms);
      };
      const width = (who: string) => after.find((s) => s.participant === who && s.kind === 'video')?.frameWidth ?? 0;
      if (layer < 0) {
        smallHeard = { kbps: rate(other.id, 'video'), audioKbps: rate(other.id, 'audio') };
        continue;
      }
      const consumers = await server.ask<{ from?: string; source?: string; currentSpatialLayer: number | null }[]>('media.received', { roomId: room.roomId, participantId: receiver.id });
      holderRates.push({ layer, kbps: rate(holder.id, 'video'), frameWidth: width(holder.id), sfuLayer: consumers.find((c) => c.from === holder.id && c.source === 'camera')?.currentSpatialLayer ?? null });
      small.push({ kbps: rate(other.id, 'video'), frameWidth: width(other.id) });
      audio.push(rate(holder.id, 'audio'));
    }
    return {
      holder: holderRates.sort((a, b) => a.layer - b.layer),
      small: { kbps: median(small.map((s) => s.kbps)), frameWidth: median(small.map((s) => s.frameWidth)) },
      smallHeard,
      audioKbps: median(audio),
      load: loadavg()[0]!,
    };
  } finally {
    await Promise.all(people.map((page) => page.context().close().catch(() => undefined)));
    room.close();
  }
}
