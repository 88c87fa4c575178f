import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { until } from '../support/holdspace.js';
import { startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';
import { doesNotHear, hears, openPerson, sees, seesNo, videoFrames, type Person } from '../support/room-people.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));

const NOTICE = 'Your microphone is paused until the talking stick reaches you.';
/** The notice must be on the silenced member's screen this soon after the command. */
const NOTICE_LIMIT_MS = 100;
const TRIALS = 8;
/** Five members, every camera on: on this machine the smallest room where the notice came late. */
const NAMES = ['Ana', 'Ben', 'Cleo', 'Dev', 'Eve'] as const;

declare global {
  interface Window {
    /** Resolves with when (epoch ms) the pause notice is next drawn, and when the room message before it arrived. */
    nextNotice?: Promise<{ shownAt: number; roomAt: number | null }>;
    roomArrivals?: number[];
  }
}

/**
 * The talking stick moves away from a member who is speaking: the SFU pauses their microphone at
 * once, and their own screen must say so just as fast ("your microphone is paused"), or they keep
 * talking into silence. Measured on the real client in Chromium, in a room of five with cameras on,
 * from the facilitator's command to the notice being in the silenced member's page.
 */
describe('the silenced member learns at once', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let facilitator: RoomConnection;
  const people = {} as Record<(typeof NAMES)[number], Person>;

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
    const room = await server.createRoom('Tuesday evening group');
    facilitator = server.connect(room.token);
    await until(facilitator, (s) => s.group !== null);
    // This facilitator is a socket, not a browser: nobody would make the room key, so media here is plain (e2ee.e2e covers encryption).
    expect(await facilitator.send({ type: 'encryption.set', on: false })).toMatchObject({ ok: true });
    for (const name of NAMES) {
      const person = (people[name] = await openPerson(browser, name));
      const { page } = person;
      // When each room message reaches the page's main thread: says whether a late notice came late over the wire or in the page.
      await page.addInitScript(() => {
        const arrivals: number[] = (window.roomArrivals = []);
        const Socket = window.WebSocket;
        window.WebSocket = class extends Socket {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            this.addEventListener('message', (event) => {
              if (typeof event.data === 'string' && event.data.startsWith('42["room"')) arrivals.push(performance.timeOrigin + performance.now());
            });
          }
        } as typeof WebSocket;
      });
      await page.goto(room.inviteUrl);
      await page.getByLabel('Your name in the group').fill(name);
      await page.getByLabel('I agree to the group agreement').check();
      await page.getByRole('button', { name: 'Ask to join' }).click();
      await sees(page.getByRole('heading', { name: "You're in the waiting room" }), `${name} in the waiting room`);
      await until(facilitator, (s) => s.self?.role === 'facilitator' && s.self.waiting.some((w) => w.name === name));
      const self = facilitator.snapshot.self;
      person.id = (self?.role === 'facilitator' ? self.waiting : []).find((w) => w.name === name)!.id;
      expect(await facilitator.send({ type: 'admit', memberId: person.id })).toMatchObject({ ok: true });
      await sees(page.getByRole('heading', { name: /The circle/ }), `${name}'s circle`);
    }
    // Everyone sees everyone: the load a real group puts on each page is there before anything is timed.
    await waitFor(async () => Object.values(await videoFrames(people.Ben)).filter((frames) => frames > 0).length >= NAMES.length, 30_000, "every camera on Ben's screen");
    await hears(people.Ana, [people.Ben]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const grant = async (to: Person) => {
    const ack = await facilitator.send({ type: 'floor.grant', to: to.id });
    if (!ack.ok) throw new Error(`floor.grant refused: ${ack.code}`);
  };

  /** Watch for the notice without polling: a poll would be work on the very thread being timed. */
  const armWatch = (person: Person) =>
    person.page.evaluate((notice) => {
      window.nextNotice = new Promise((resolve) => {
        const drawn = () => Array.from(document.querySelectorAll('.controls__note')).some((note) => note.textContent?.includes(notice));
        const since = performance.timeOrigin + performance.now();
        const observer = new MutationObserver(() => {
          if (!drawn()) return;
          observer.disconnect();
          const shownAt = performance.timeOrigin + performance.now();
          resolve({ shownAt, roomAt: window.roomArrivals!.find((at) => at >= since) ?? null });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    }, NOTICE);

  it(`shows "your microphone is paused" on the silenced member's screen as the stick moves on (median within ${NOTICE_LIMIT_MS} ms, drawn within ${NOTICE_LIMIT_MS} ms of its message)`, async () => {
    const ben = people.Ben;
    expect((await facilitator.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    await grant(ben);
    const latencies: number[] = [];
    const arrivals: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      // Ben holds the stick and is heard; no notice on his screen.
      await until(facilitator, (s) => s.group?.floor.turn?.holder === ben.id);
      await seesNo(ben.page.getByText(NOTICE), "the pause notice on Ben's screen while he holds the stick", 5_000);
      await armWatch(ben);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sentAt = Date.now();
      await grant(people.Ana);
      const { shownAt, roomAt } = await ben.page.evaluate(() => window.nextNotice!);
      latencies.push(Math.round(shownAt - sentAt));
      arrivals.push(roomAt === null ? NaN : Math.round(roomAt - sentAt));
      await grant(ben);
    }
    console.log(`pause notice on the silenced member's screen, ms after the command: ${latencies.join(', ')} (room message reached the page at ${arrivals.join(', ')})`);
    // And the SFU did pause him: Ana no longer hears Ben once the stick is hers.
    await grant(people.Ana);
    await sees(ben.page.getByText(NOTICE), "the pause notice on Ben's screen");
    await doesNotHear(people.Ana, ben);
    // What the page controls: the notice is drawn as its message arrives, not after the room redraws.
    // When the message itself arrives is up to the machine (five camera pages share two cores here):
    // the median must meet the target; the benchmark's floor row times it against the SFU pause.
    const drawing = latencies.map((latency, i) => latency - arrivals[i]!);
    expect(drawing.every((ms) => ms < NOTICE_LIMIT_MS)).toBe(true);
    expect([...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)]).toBeLessThan(NOTICE_LIMIT_MS);
  }, 120_000);
});
