import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { seatedRoom, type SeatedRoom } from '../support/holdspace.js';
import { startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';
import { receivesFrom, serveProbe } from '../support/probe.js';

/** Figures the report quotes; printed at the end of the suite. */
const figures: Record<string, number[]> = { hideToServerPauseMs: [], showToFrameMs: [] };

describe('video layers by need in real Chromium', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let site: { url: string; close(): Promise<void> };
  let room: SeatedRoom;
  let ana: Page;
  let ben: Page;
  const anaId = () => room.members[0]!.id;
  const benId = () => room.members[1]!.id;
  /** Ben's consumer of Ana's camera, as the SFU holds it. */
  const benSeesAna = () => {
    const peer = server.sfu.room(room.roomId)?.peers.find((p) => p.participantId === benId());
    const anaPeer = server.sfu.room(room.roomId)?.peers.find((p) => p.participantId === anaId());
    const camera = anaPeer?.publications.find((p) => p.source === 'camera')?.producer.id;
    return peer?.describe().consumers.find((c) => c.producerId === camera) ?? null;
  };
  const videoBytesFromAna = async () =>
    (await ben.evaluate(() => window.probe.stats())).filter((s) => s.participantId === anaId() && s.kind === 'video').reduce((n, s) => n + s.bytesReceived, 0);
  const audioBytesFromAna = async () =>
    (await ben.evaluate(() => window.probe.stats())).filter((s) => s.participantId === anaId() && s.kind === 'audio').reduce((n, s) => n + s.bytesReceived, 0);

  beforeAll(async () => {
    [site, server, browser] = await Promise.all([serveProbe(), startMediaHoldspace(), launchBrowser()]);
    room = await seatedRoom(server, ['Ana', 'Ben']);
    const open = async (token: string, video: boolean) => {
      const { page } = await browser.participant();
      await page.goto(site.url);
      await page.evaluate(([url, t, v]) => window.probe.join(url!, t!, { audio: true, video: v === 'yes' }), [server.url, token, video ? 'yes' : 'no']);
      return page;
    };
    [ana, ben] = await Promise.all([open(room.members[0]!.token, true), open(room.members[1]!.token, false)]);
    await ben.evaluate(() => window.probe.watchTiles());
    await receivesFrom(ben, [anaId()], 20_000, 'Ben');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await site?.close();
    console.log(`video layer figures: ${JSON.stringify(figures)}`);
  });

  it('gives a 640 px tile the middle layer, and the sender stops encoding the top one', async () => {
    await waitFor(() => benSeesAna()?.preferredSpatialLayer === 1, 5_000, 'the middle layer for a 640 px tile');
    await waitFor(async () => JSON.stringify(await ana.evaluate(() => window.probe.cameraEncodings())) === '[true,true,false]', 5_000, 'Ana’s top encoding off');
    await ben.evaluate((id) => window.probe.sizeVideo(id, 1280), anaId());
    await waitFor(() => benSeesAna()?.preferredSpatialLayer === 2, 5_000, 'the top layer for a 1280 px tile');
    await waitFor(async () => JSON.stringify(await ana.evaluate(() => window.probe.cameraEncodings())) === '[true,true,true]', 5_000, 'Ana’s top encoding on again');
    await ben.evaluate((id) => window.probe.sizeVideo(id, 640), anaId());
  });

  it('goes by CSS pixels: a small tile on a 2x screen keeps the lowest layer, so a circle on a laptop stays within a home link', async () => {
    const cdp = await ben.context().newCDPSession(ben);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
    try {
      expect(await ben.evaluate(() => devicePixelRatio)).toBe(2);
      await ben.evaluate((id) => window.probe.sizeVideo(id, 300), anaId());
      await waitFor(() => benSeesAna()?.preferredSpatialLayer === 0, 5_000, 'the lowest layer for a 300 px tile at 2x');
    } finally {
      await cdp.send('Emulation.clearDeviceMetricsOverride');
      await ben.evaluate((id) => window.probe.sizeVideo(id, 640), anaId());
      await cdp.detach();
    }
    await waitFor(() => benSeesAna()?.preferredSpatialLayer === 1, 5_000, 'the middle layer again for 640 px');
  });

  it('hiding a tile pauses its consumer at the server; showing it brings frames back within a second', async () => {
    for (let run = 0; run < 3; run++) {
      const hiddenAt = Date.now();
      await ben.evaluate((id) => window.probe.showVideo(id, false), anaId());
      await waitFor(() => benSeesAna()?.paused === true, 5_000, 'Ben’s consumer of Ana’s camera paused at the server');
      figures.hideToServerPauseMs!.push(Date.now() - hiddenAt);
      // Audio is not a tile: it keeps flowing.
      const audio = await audioBytesFromAna();
      await waitFor(async () => (await audioBytesFromAna()) > audio, 2_000, 'Ana’s audio still arriving');

      const shownAt = await ben.evaluate((id) => {
        window.probe.showVideo(id, true);
        return Date.now();
      }, anaId());
      await waitFor(() => benSeesAna()?.paused === false, 5_000, 'Ben’s consumer of Ana’s camera resumed');
      const frameAt = await waitFor(async () => {
        const at = (await ben.evaluate(() => window.probe.lastFrames()))[anaId()] ?? 0;
        return at > shownAt ? at : null;
      }, 5_000, 'a new frame of Ana after the tile showed again');
      figures.showToFrameMs!.push(frameAt - shownAt);
      expect(frameAt - shownAt).toBeLessThan(1_000);
    }
  });

  it('"audio only" stops every incoming video byte, and "everyone" brings video back', async () => {
    expect(await ben.evaluate(() => window.probe.setReceiveMode('audio'))).toEqual({ ok: true });
    await waitFor(() => benSeesAna()?.paused === true, 5_000, 'the video consumer paused');
    // Packets already on their way may still land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [video, audio] = [await videoBytesFromAna(), await audioBytesFromAna()];
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await videoBytesFromAna()).toBe(video);
    expect(await audioBytesFromAna()).toBeGreaterThan(audio);

    expect(await ben.evaluate(() => window.probe.setReceiveMode('all'))).toEqual({ ok: true });
    const back = await videoBytesFromAna();
    await waitFor(async () => (await videoBytesFromAna()) > back, 3_000, 'video arriving again');
  });
});
