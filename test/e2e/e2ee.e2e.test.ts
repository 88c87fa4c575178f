import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peekFrame } from '../../shared/e2ee/sframe.js';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { until } from '../support/holdspace.js';
import { startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';
import { decodeOpus } from '../support/opus-check.js';
import { probeSummary, receivesFrom, serveProbe } from '../support/probe.js';
import { captureProducer, rtpPayload, vp8Frames } from '../support/rtp-capture.js';

interface Person {
  name: string;
  id: string;
  page: Page;
}

interface Room {
  roomId: string;
  facilitator: RoomConnection;
  people: Person[];
}

const figures: Record<string, unknown> = {};

describe('end-to-end encrypted audio and video in real Chromium', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let site: { url: string; close(): Promise<void> };
  let encrypted: Room;

  const summary = (person: Person) => probeSummary(person.page);
  const byName = (room: Room, name: string) => room.people.find((p) => p.name === name)!;

  async function openRoom(names: string[], encrypt: boolean): Promise<Room> {
    const room = await server.createRoom(encrypt ? 'Encrypted group' : 'Plain group');
    const facilitator = server.connect(room.token);
    await until(facilitator, (s) => s.group !== null);
    const facilitatorId = (await until(facilitator, (s) => s.self !== null)).self!.you.id;
    const seats: { name: string; id: string; token: string }[] = [{ name: 'Facilitator', id: facilitatorId, token: room.token }];
    for (const name of names) {
      const joined = await server.join(room.inviteUrl, name);
      expect((await facilitator.send({ type: 'admit', memberId: joined.memberId })).ok).toBe(true);
      seats.push({ name, id: joined.memberId, token: joined.token });
    }
    const people: Person[] = [];
    for (const seat of seats) {
      const { page } = await browser.participant();
      await page.goto(site.url);
      await page.evaluate(([url, token, on]) => window.probe.join(url!, token!, { audio: true, video: true }, on === 'on'), [server.url, seat.token, encrypt ? 'on' : 'off']);
      people.push({ name: seat.name, id: seat.id, page });
    }
    for (const person of people) {
      const others = people.filter((p) => p !== person).map((p) => p.id);
      await receivesFrom(person.page, others, 30_000, person.name).catch(async (error: Error) => {
        const states = await Promise.all(people.map(async (p) => `${p.name}: ${JSON.stringify(await summary(p))} ${JSON.stringify(await p.page.evaluate(() => window.probe.frameCounts()))}`));
        throw new Error(`${error.message}\n${states.join('\n')}`);
      });
    }
    return { roomId: room.roomId, facilitator, people };
  }

  /** What the SFU forwards of one person's microphone and camera over `ms`, captured on the room's router. */
  async function capture(room: Room, person: Person, ms: number) {
    const media = server.sfu.room(room.roomId)!;
    const router = (await media.router())!;
    const peer = media.peers.find((p) => p.participantId === person.id)!;
    const producerOf = (source: string) => peer.publications.find((p) => p.source === source)!.producer.id;
    const [audio, video] = await Promise.all([captureProducer(router, producerOf('mic')), captureProducer(router, producerOf('camera'))]);
    await new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all([audio.stop(), video.stop()]);
    return { audio: audio.packets, video: video.packets };
  }

  async function decodeVideo(page: Page, packets: Buffer[]) {
    const frames = vp8Frames(packets);
    const first = frames.findIndex((f) => f.key);
    const chunks = frames.slice(Math.max(first, 0)).map((f) => ({ key: f.key, data: f.data.toString('base64') }));
    return { frames: chunks.length, keyFrames: chunks.filter((c) => c.key).length, ...(await page.evaluate((c) => window.probe.decodeVp8(c), chunks)) };
  }

  beforeAll(async () => {
    [site, server, browser] = await Promise.all([serveProbe(), startMediaHoldspace({ MEDIA_WORKERS: '1' }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await site?.close();
    console.log(`e2ee figures: ${JSON.stringify(figures)}`);
  });

  it('with encryption on, everyone sees and hears everyone, and every page shows the same safety code', async () => {
    encrypted = await openRoom(['Ana', 'Ben'], true);
    const codes = new Set<string>();
    for (const person of encrypted.people) {
      const state = (await summary(person))!;
      expect(state).toMatchObject({ status: 'live', micOn: true, cameraOn: true, error: null });
      const encryption = state.encryption as { status: string; code: string };
      expect(encryption.status).toBe('ready');
      codes.add(encryption.code);
      const counts = (await person.page.evaluate(() => window.probe.frameCounts()))!;
      expect(counts.sealed).toBeGreaterThan(0);
      expect(counts.opened).toBeGreaterThan(0);
    }
    // Everyone holds the same key, wrapped for the same browsers: one code to read aloud.
    await waitFor(
      async () => new Set(await Promise.all(encrypted.people.map(async (p) => ((await summary(p))!.encryption as { code: string }).code))).size === 1,
      10_000,
      'one safety code',
    );
    expect(codes.size).toBeGreaterThanOrEqual(1);
  });

  it('keeps speaking indicators, airtime and the talking stick working on encrypted audio', async () => {
    const facilitator = byName(encrypted, 'Facilitator');
    const ana = byName(encrypted, 'Ana');
    const ben = byName(encrypted, 'Ben');
    await waitFor(async () => {
      const heard = (await summary(facilitator))!.heardMs;
      return (heard[ana.id] ?? 0) > 0 && (heard[ben.id] ?? 0) > 0;
    }, 10_000, 'airtime from the audio-level header extension');
    await waitFor(async () => ((await summary(ana))?.speaking.length ?? 0) > 0, 5_000, 'speaking indicators at a member');

    expect((await encrypted.facilitator.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    expect((await encrypted.facilitator.send({ type: 'floor.grant', to: ana.id })).ok).toBe(true);
    for (const listener of [facilitator, ana]) {
      expect(await listener.page.evaluate(([id]) => window.probe.silenceAfter(id!, 1_000, 8_000), [ben.id])).not.toBeNull();
    }
    expect(await ben.page.evaluate(([id]) => window.probe.audioFlowing(id!, 1_000), [ana.id])).toBe(true);
    expect((await encrypted.facilitator.send({ type: 'floor.mode', mode: 'open' })).ok).toBe(true);
    await waitFor(() => facilitator.page.evaluate(([id]) => window.probe.audioFlowing(id!, 600), [ben.id]), 8_000, 'Ben heard again in open mode');
  });

  it('forwards what the server cannot read: every captured frame is AES-GCM ciphertext under the room key, no Opus frame decodes to the sound, no VP8 frame to the picture', async () => {
    const ana = byName(encrypted, 'Ana');
    const ben = byName(encrypted, 'Ben');
    const { audio, video } = await capture(encrypted, ana, 3_000);
    expect(audio.length).toBeGreaterThan(50);
    // Every frame carries an SFrame header after the Opus TOC byte.
    expect(audio.every((packet) => peekFrame(rtpPayload(packet).payload, 1) !== null)).toBe(true);
    // The proof: each captured frame authenticates (AES-GCM) under the room key at a member's page, which
    // a frame sent in clear never does. Decoders are lenient with garbage, so decoding is only a figure.
    const opens = (kind: 'audio' | 'video', frames: Buffer[]) =>
      Promise.all(frames.map((frame) => ben.page.evaluate(([k, data]) => window.probe.frameOpens(k as 'audio' | 'video', data!), [kind, frame.toString('base64')])));
    const audioOpened = await opens('audio', audio.map((packet) => rtpPayload(packet).payload));
    expect(audioOpened.filter(Boolean).length).toBe(audio.length);
    const videoFrames = vp8Frames(video).map((frame) => frame.data);
    expect(videoFrames.length).toBeGreaterThan(5);
    const videoOpened = await opens('video', videoFrames);
    // A frame cut at the start or end of the capture may be incomplete; all whole ones authenticate.
    expect(videoOpened.filter(Boolean).length).toBeGreaterThanOrEqual(videoFrames.length - 2);
    const opus = decodeOpus(audio);
    figures.encryptedOpus = opus;
    // libopus turns any packet with a valid TOC byte into some sound, now and then near the note; the plain control is above a half.
    expect(opus.melodic).toBeLessThan(opus.packets / 4);
    const vp8 = await decodeVideo(byName(encrypted, 'Facilitator').page, video);
    figures.encryptedVp8 = vp8;
    expect(vp8.keyFrames).toBeGreaterThan(0);
  });

  it('the same capture with encryption off decodes (the control)', async () => {
    const plain = await openRoom(['Cleo'], false);
    const cleo = byName(plain, 'Cleo');
    const { audio, video } = await capture(plain, cleo, 3_000);
    const opus = decodeOpus(audio);
    figures.plainOpus = opus;
    expect(opus.melodic).toBeGreaterThan(opus.packets / 2);
    const vp8 = await decodeVideo(byName(plain, 'Facilitator').page, video);
    figures.plainVp8 = vp8;
    expect(vp8.pictures).toBeGreaterThan(0);
    for (const person of plain.people) await person.page.evaluate(() => window.probe.close());
  });

  it('a removed member’s page cannot open what is sent after the re-key', async () => {
    const facilitator = byName(encrypted, 'Facilitator');
    const ana = byName(encrypted, 'Ana');
    const ben = byName(encrypted, 'Ben');
    const kidOf = async (person: Person) => (await person.page.evaluate(() => window.probe.frameCounts()))!.sendingKid;
    const opensAtBen = async () => {
      const { audio } = await capture(encrypted, ana, 600);
      const frames = audio.slice(-10).map((p) => rtpPayload(p).payload.toString('base64'));
      const opened = await Promise.all(frames.map((f) => ben.page.evaluate(([data]) => window.probe.frameOpens('audio', data!), [f])));
      return { frames: frames.length, opened: opened.filter(Boolean).length };
    };
    // Before: what Ana sends opens at Ben's page.
    const before = await opensAtBen();
    expect(before.frames).toBeGreaterThan(0);
    expect(before.opened).toBe(before.frames);

    const keyBefore = await kidOf(facilitator);
    const removedAt = Date.now();
    expect((await encrypted.facilitator.send({ type: 'remove', memberId: ben.id })).ok).toBe(true);
    // The facilitator's browser re-keys a few seconds later (batched), and Ana moves to the new key.
    await waitFor(async () => (await kidOf(facilitator)) !== keyBefore && (await kidOf(ana)) === (await kidOf(facilitator)), 15_000, 're-key after removal');
    figures.removalToRekeyMs = Date.now() - removedAt;
    const after = await opensAtBen();
    expect(after.frames).toBeGreaterThan(0);
    expect(after.opened).toBe(0);
    // Those who stayed still see and hear each other.
    await receivesFrom(facilitator.page, [ana.id], 15_000, 'Facilitator after the re-key');
    await receivesFrom(ana.page, [facilitator.id], 15_000, 'Ana after the re-key');
  });
});
