import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { probeSummary, receivesFrom, serveProbe } from '../support/probe.js';
import { until } from '../support/holdspace.js';
import { startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';

interface Person {
  name: string;
  id: string;
  token: string;
  page: Page;
}

/** Figures the closing report quotes; printed at the end of the suite. */
const figures: Record<string, number[]> = { joinToFirstFrameMs: [], stickToSfuPauseMs: [], stickToSilenceMs: [], dropToFramesMs: [], workerDeathToFramesMs: [] };

describe('audio and video in real Chromium through the SFU', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let site: { url: string; close(): Promise<void> };
  let roomId: string;
  let inviteUrl: string;
  let facilitatorConnection: RoomConnection;
  const people: Record<'facilitator' | 'ana' | 'ben', Person> = {} as never;

  const probeUrl = () => site.url;
  const summary = (person: Person) => probeSummary(person.page);
  const others = (person: Person) => Object.values(people).filter((p) => p !== person);

  async function open(person: Omit<Person, 'page'>): Promise<Person> {
    const { page } = await browser.participant();
    await page.goto(probeUrl());
    const joined = { ...person, page };
    await page.evaluate(([url, token]) => window.probe.join(url!, token!, { audio: true, video: true }), [server.url, person.token]);
    return joined;
  }

  /** Every other person's audio and video arrive here: bytes grow, frames decode, video has a size. */
  async function receivesEveryone(person: Person, timeoutMs: number): Promise<void> {
    try {
      await receives(person, timeoutMs);
    } catch (error) {
      // Say what every page held, so a failure on a loaded machine can be told from a bug.
      const states = await Promise.all(
        Object.values(people).map(async (p) => `${p.name}: ${JSON.stringify(await summary(p).catch(() => null))} ${JSON.stringify(await p.page.evaluate(() => window.probe.history()).catch(() => null))}`),
      );
      throw new Error(`${(error as Error).message}\n${states.join('\n')}`);
    }
  }

  const receives = (person: Person, timeoutMs: number) =>
    receivesFrom(
      person.page,
      others(person).map((p) => p.id),
      timeoutMs,
      person.name,
    );

  /** How long after `since` the last of everyone's new remote videos showed its first frame. */
  async function lastFirstFrameSince(since: number): Promise<number> {
    let latest = since;
    for (const person of Object.values(people)) {
      const frames = await person.page.evaluate(() => window.probe.latestFirstFrames());
      for (const other of others(person)) latest = Math.max(latest, frames[other.id] ?? Infinity);
    }
    return latest - since;
  }

  const flowing = (listener: Person, speaker: Person, ms = 1_000) =>
    listener.page.evaluate(([id, window_]) => window.probe.audioFlowing(id!, Number(window_)), [speaker.id, String(ms)]);

  beforeAll(async () => {
    [site, server, browser] = await Promise.all([serveProbe(), startMediaHoldspace({ MEDIA_WORKERS: '2' }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await site?.close();
    console.log(`media figures: ${JSON.stringify(figures)}`);
  });

  it('lets a facilitator and two members each receive the others’ audio and video', async () => {
    const room = await server.createRoom('Thursday group');
    roomId = room.roomId;
    inviteUrl = room.inviteUrl;
    const ana = await server.join(room.inviteUrl, 'Ana');
    const ben = await server.join(room.inviteUrl, 'Ben');
    facilitatorConnection = server.connect(room.token);
    await until(facilitatorConnection, (s) => s.group !== null);
    for (const member of [ana, ben]) expect((await facilitatorConnection.send({ type: 'admit', memberId: member.memberId })).ok).toBe(true);

    const facilitatorId = (await until(facilitatorConnection, (s) => s.self !== null)).self!.you.id;
    people.facilitator = await open({ name: 'Facilitator', id: facilitatorId, token: room.token });
    people.ana = await open({ name: 'Ana', id: ana.memberId, token: ana.token });
    people.ben = await open({ name: 'Ben', id: ben.memberId, token: ben.token });

    for (const person of Object.values(people)) await receivesEveryone(person, 20_000);
    for (const person of Object.values(people)) {
      const state = (await summary(person))!;
      expect(state).toMatchObject({ status: 'live', micOn: true, cameraOn: true, silencedBy: null, error: null });
      expect(Object.keys(state.remotes).sort()).toEqual(others(person).map((p) => p.id).sort());
    }
    // Ben joined last, when the others were already publishing: his join is the one to time.
    const frames = await people.ben.page.evaluate(() => window.probe.firstFrames());
    figures.joinToFirstFrameMs!.push(Math.round(Math.min(...Object.values(frames))));
  });

  it('shows who is heard, and tells only the facilitator how long each was heard', async () => {
    const heard = await waitFor(
      async () => {
        const state = await summary(people.facilitator);
        return state && (state.heardMs[people.ana.id] ?? 0) > 0 && (state.heardMs[people.ben.id] ?? 0) > 0 ? state.heardMs : null;
      },
      10_000,
      'heard airtime at the facilitator',
    );
    expect(Object.keys(heard)).toEqual(expect.arrayContaining([people.ana.id, people.ben.id]));
    await waitFor(async () => ((await summary(people.ana))?.speaking.length ?? 0) > 0, 5_000, 'speaking indicators at a member');
    expect((await summary(people.ana))!.heardMs).toEqual({});
  });

  it('silences everyone but the stick holder at the listeners, refuses to unmute them, and open mode brings them back', async () => {
    const { facilitator, ana, ben } = people;
    expect((await facilitatorConnection.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    expect((await facilitatorConnection.send({ type: 'floor.grant', to: ana.id })).ok).toBe(true);

    // Ben's audio stops arriving at both listeners; Ana's keeps flowing.
    for (const listener of [facilitator, ana]) {
      expect(await listener.page.evaluate(([id]) => window.probe.silenceAfter(id!, 1_000, 8_000), [ben.id])).not.toBeNull();
    }
    expect(await flowing(facilitator, ana)).toBe(true);
    expect(await flowing(ben, ana)).toBe(true);
    await waitFor(async () => (await summary(ben))?.silencedBy === 'NO_STICK', 3_000, 'Ben told why he is silent');

    // The stick changes hands: time until Ana falls silent at each listener. Her audio arrives
    // as a steady stream (no DTX gaps), so its last packet marks when the SFU stopped it.
    for (const listener of [facilitator, ben]) {
      expect(await listener.page.evaluate(([id]) => window.probe.audioPacketRate(id!, 500), [ana.id])).toBeGreaterThan(35);
    }
    const watches = [facilitator, ben].map((listener) => listener.page.evaluate(([id]) => window.probe.silenceAfter(id!, 1_000, 10_000), [ana.id]));
    const anaMic = server.sfu.room(roomId)!.peers.find((p) => p.participantId === ana.id)!.mic!.producer;
    const pausedInSfu = new Promise<number>((resolve) => anaMic.observer.once('pause', () => resolve(Date.now())));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const handedAt = Date.now();
    expect((await facilitatorConnection.send({ type: 'floor.grant', to: ben.id })).ok).toBe(true);
    figures.stickToSfuPauseMs!.push((await pausedInSfu) - handedAt);
    for (const lastByteAt of await Promise.all(watches)) {
      expect(lastByteAt).not.toBeNull();
      figures.stickToSilenceMs!.push(Math.round(lastByteAt! - handedAt));
    }
    expect(await flowing(facilitator, ben)).toBe(true);
    expect(await flowing(ana, ben)).toBe(true);
    await waitFor(async () => (await summary(ana))?.silencedBy === 'NO_STICK', 3_000, 'Ana told why she is silent');

    // Without the stick, a member cannot unmute: the SFU refuses.
    expect(await ana.page.evaluate(() => window.probe.setMic(false))).toEqual({ ok: true });
    expect(await ana.page.evaluate(() => window.probe.setMic(true))).toMatchObject({ ok: false, code: 'FLOOR_NOT_ALLOWED' });
    expect(await flowing(facilitator, ana)).toBe(false);

    // Open mode: everyone may speak again.
    expect((await facilitatorConnection.send({ type: 'floor.mode', mode: 'open' })).ok).toBe(true);
    await waitFor(async () => (await summary(ana))?.silencedBy === null, 3_000, 'Ana free to speak');
    expect(await ana.page.evaluate(() => window.probe.setMic(true))).toEqual({ ok: true });
    for (const [listener, speaker] of [
      [facilitator, ana],
      [ben, ana],
      [facilitator, ben],
      [ana, ben],
    ] as const) {
      await waitFor(() => flowing(listener, speaker, 500), 5_000, `${speaker.name}'s audio back at ${listener.name}`);
    }
  });

  it('leaves nothing of a closed page on the router within 2 seconds', async () => {
    const media = server.sfu.room(roomId)!;
    const owned = media.peers.filter((p) => p.participantId === people.ben.id).map((p) => p.describe());
    expect(owned).toHaveLength(1);
    const ids = [...owned[0]!.transportIds, ...owned[0]!.producerIds, ...owned[0]!.consumerIds];
    expect(owned[0]!.transportIds).toHaveLength(2);
    expect(owned[0]!.producerIds).toHaveLength(2);

    const closedAt = Date.now();
    await people.ben.page.close();
    await waitFor(
      async () => {
        const dump = (await media.dump())!;
        const present = new Set([
          ...dump.transportIds,
          ...dump.mapProducerIdConsumerIds.map((e) => e.key),
          ...dump.mapConsumerIdProducerId.flatMap((e) => [e.key, e.value]),
        ]);
        return ids.every((id) => !present.has(id));
      },
      2_000,
      'the router holding nothing of Ben',
    );
    expect(Date.now() - closedAt).toBeLessThanOrEqual(2_000);
    await waitFor(async () => !(people.ben.id in ((await summary(people.facilitator))?.remotes ?? {})), 3_000, 'Ben gone from the facilitator’s remotes');

    // Ben comes back in a fresh page, as after a browser crash.
    people.ben = await open({ name: 'Ben', id: people.ben.id, token: people.ben.token });
    for (const person of Object.values(people)) await receivesEveryone(person, 20_000);
    const frames = await people.ben.page.evaluate(() => window.probe.firstFrames());
    figures.joinToFirstFrameMs!.push(Math.round(Math.min(...Object.values(frames))));
  });

  it('brings a member’s media back by itself after their connection drops', async () => {
    const droppedAt = Date.now();
    await people.ana.page.evaluate(() => window.probe.dropConnection());
    await waitFor(async () => (await summary(people.ana))?.status !== 'live', 5_000, 'Ana noticing the drop');
    for (const person of Object.values(people)) await receivesEveryone(person, 20_000);
    figures.dropToFramesMs!.push(await lastFirstFrameSince(droppedAt));
    expect((await summary(people.ana))!.status).toBe('live');
    // The dropped connection's media is gone from the router: only the new one remains.
    expect(server.sfu.room(roomId)!.peers.filter((p) => p.participantId === people.ana.id)).toHaveLength(1);
  });

  it('brings media back for everyone when the room’s worker process is killed', async () => {
    const media = server.sfu.room(roomId)!;
    const pid = (await media.workerPid())!;
    expect(pid).toBeGreaterThan(0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    await waitFor(async () => (await media.workerPid()) !== pid, 10_000, 'the room on another worker');
    for (const person of Object.values(people)) await receivesEveryone(person, 30_000);
    figures.workerDeathToFramesMs!.push(await lastFirstFrameSince(killedAt));
    for (const person of Object.values(people)) expect((await summary(person))!.status).toBe('live');
    await waitFor(() => server.sfu.pool.workers.length === 2 && server.sfu.pool.workers.every((w) => w.pid !== pid), 15_000, 'a replacement worker');
  });

  it('switches camera and microphone without interrupting what the others receive', async () => {
    const { ana } = people;
    const devices = await ana.page.evaluate(() => window.probe.devices());
    // Chromium's second fake camera delivers depth (Y16) frames no encoder takes; the third is an ordinary one.
    const camera = devices.video.find((d) => d.label === 'fake_device_2');
    const microphone = devices.audio.at(-1);
    expect(camera && microphone).toBeTruthy();
    await ana.page.evaluate(([id]) => window.probe.switchDevice('video', id!), [camera!.id]);
    await ana.page.evaluate(([id]) => window.probe.switchDevice('audio', id!), [microphone!.id]);
    expect((await ana.page.evaluate(() => window.probe.localTracks())).map((t) => t.label)).toContain('fake_device_2');
    expect((await summary(ana))!.error).toBeNull();
    for (const listener of others(ana)) await receivesEveryone(listener, 10_000);
  });

  it('lets a member listen only, then speak without a camera', async () => {
    const cleo = await server.join(inviteUrl, 'Cleo');
    expect((await facilitatorConnection.send({ type: 'admit', memberId: cleo.memberId })).ok).toBe(true);
    const { page } = await browser.participant();
    await page.goto(probeUrl());
    await page.evaluate(([url, token]) => window.probe.join(url!, token!, { audio: false, video: false }), [server.url, cleo.token]);
    const listener: Person = { name: 'Cleo', id: cleo.memberId, token: cleo.token, page };
    await receivesEveryone(listener, 20_000);
    expect(await summary(listener)).toMatchObject({ status: 'live', micOn: false, cameraOn: false });
    for (const person of Object.values(people)) expect(Object.keys((await summary(person))!.remotes)).not.toContain(cleo.memberId);

    // She decides to speak: the microphone opens and only audio goes out.
    expect(await page.evaluate(() => window.probe.setMic(true))).toEqual({ ok: true });
    for (const person of Object.values(people)) {
      await waitFor(async () => (await summary(person))?.remotes[cleo.memberId]?.audio === true, 10_000, `${person.name} receiving Cleo's audio`);
      await waitFor(() => flowing(person, listener, 500), 10_000, `Cleo's audio flowing to ${person.name}`);
      expect((await summary(person))!.remotes[cleo.memberId]!.video).toBe(false);
    }
    await page.close();
  });
});
