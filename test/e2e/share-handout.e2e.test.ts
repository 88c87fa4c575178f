import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';
import { openPerson, sees, seesNo, type Person } from '../support/room-people.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));
const MEMBERS = ['Ana', 'Ben'] as const;
const screenshots = process.env.UPDATE_SCREENSHOTS ? `${root}docs/screenshots/` : `${tmpdir()}/`;

/** The shared screen's video on this page: its size and frames decoded so far. */
const screenVideo = (person: Person) =>
  person.page.locator('video[data-source="screen"]').evaluateAll((videos) =>
    (videos as HTMLVideoElement[]).map((video) => ({ width: video.videoWidth, height: video.videoHeight, frames: video.getVideoPlaybackQuality().totalVideoFrames })),
  );

/**
 * Imparting information, in real Chromium over a real mediasoup worker: the facilitator shares a
 * screen (Chromium's fake capture), every member's page decodes it on the stage, and stopping
 * it takes the tile away everywhere; a handout is shown to a member and hidden again.
 */
describe('the facilitator shares a screen and a handout', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let facilitator: Person;
  const members = {} as Record<(typeof MEMBERS)[number], Person>;

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    // Chromium's fake capture answers getDisplayMedia with a generated screen, no picker.
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser(['--auto-select-desktop-capture-source=Entire screen'])]);
    facilitator = await openPerson(browser, 'Dr. Rivera');
    const { page } = facilitator;
    await page.goto(`${server.url}/facilitate#key=${encodeURIComponent(server.facilitatorKey)}`);
    await page.getByLabel('Group name').fill('Tuesday evening group');
    await page.getByLabel('Your name as members will see it').fill('Dr. Rivera');
    await page.getByRole('button', { name: 'Create room' }).click();
    const invite = await (await sees(page.locator('[data-invite-link]'), 'the invite link')).inputValue();
    await page.getByRole('button', { name: /Enter room/ }).click();
    await page.getByRole('button', { name: 'Open the room' }).click();
    await sees(page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');
    for (const name of MEMBERS) {
      const person = (members[name] = await openPerson(browser, name));
      await person.page.goto(invite);
      await person.page.getByLabel('Your name in the group').fill(name);
      await person.page.getByLabel('I agree to the group agreement').check();
      await person.page.getByRole('button', { name: 'Ask to join' }).click();
      await sees(person.page.getByRole('heading', { name: "You're in the waiting room" }), `${name} waiting`);
      await page.getByRole('button', { name: `Admit ${name}` }).click();
      await sees(person.page.getByRole('heading', { name: /The circle/ }), `${name}'s circle`);
    }
    await page.getByRole('tab', { name: /^Share/ }).click();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('every member decodes the facilitator\'s screen on the stage; stopping it takes the tile away everywhere', async () => {
    await facilitator.page.getByRole('button', { name: 'Share screen' }).click();
    await sees(facilitator.page.getByRole('heading', { name: 'You are sharing your screen' }), "the facilitator's own stage");
    for (const person of Object.values(members)) {
      await sees(person.page.getByRole('heading', { name: 'Dr. Rivera is sharing their screen' }), `the screen stage on ${person.name}'s page`);
      const first = await waitFor(async () => (await screenVideo(person)).find((v) => v.width > 0 && v.height > 0 && v.frames > 0), 30_000, `decoded screen frames on ${person.name}'s page`);
      // Frames keep coming: the share is live, not one stuck picture.
      const later = await waitFor(async () => (await screenVideo(person)).find((v) => v.frames > first.frames + 5), 15_000, `more screen frames on ${person.name}'s page`);
      expect(later.width).toBeGreaterThan(0);
      expect(later.height).toBeGreaterThan(0);
    }
    await facilitator.page.getByRole('button', { name: 'Stop sharing' }).click();
    for (const person of [facilitator, ...Object.values(members)]) {
      await seesNo(person.page.locator('.screen-stage'), `the screen stage on ${person.name}'s page`);
      expect(await screenVideo(person)).toEqual([]);
    }
  });

  it('the browser\'s own "stop sharing" ends the share for everyone too', async () => {
    await facilitator.page.getByRole('button', { name: 'Share screen' }).click();
    await sees(members.Ana.page.getByRole('heading', { name: 'Dr. Rivera is sharing their screen' }), "the stage on Ana's page");
    // What Chrome's "Stop sharing" bar does: the capture track ends.
    await facilitator.page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('video[data-source="screen"]');
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      track?.stop();
      track?.dispatchEvent(new Event('ended'));
    });
    await seesNo(members.Ana.page.locator('.screen-stage'), "the screen stage on Ana's page");
    await sees(facilitator.page.getByRole('button', { name: 'Share screen' }), 'the share button back');
  });

  it('a handout is shown on a member\'s page beside the circle, then hidden', async () => {
    const ana = members.Ana.page;
    await facilitator.page.getByLabel('Title (optional)').fill('The window of tolerance');
    await facilitator.page.getByLabel('Text', { exact: true }).fill('When we are inside the window, we can think and feel at once.');
    await facilitator.page.getByRole('button', { name: 'Show text' }).click();
    const handout = await sees(ana.getByRole('region', { name: /Handout: The window of tolerance/ }), "the handout on Ana's page");
    expect(await handout.innerText()).toContain('we can think and feel at once');
    // It does not cover the circle: every seat stays visible and clickable around it.
    await sees(ana.getByRole('heading', { name: /The circle/ }), 'the circle beside the handout');
    expect(await ana.locator('dialog[open]').count()).toBe(0);

    // A picture: sent to the room over HTTPS, fetched by each page with its session.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4kWJEEmIY1TCqYfhqAACoeF4QNs6DGAAAAABJRU5ErkJggg==', 'base64');
    await facilitator.page.getByLabel(/Or a picture/).setInputFiles({ name: 'window.png', mimeType: 'image/png', buffer: png });
    await facilitator.page.getByLabel('What the picture shows (for screen readers)').fill('A band between two lines: the window');
    await facilitator.page.getByRole('button', { name: 'Show picture' }).click();
    const picture = await sees(ana.getByRole('img', { name: 'A band between two lines: the window' }), "the picture handout on Ana's page");
    await expect.poll(() => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);

    // What a member sees with both: the share on the stage, the handout beside it, the circle below.
    await facilitator.page.getByRole('button', { name: 'Share screen' }).click();
    await waitFor(async () => (await screenVideo(members.Ana)).find((v) => v.frames > 0), 30_000, "the share on Ana's page");
    await members.Ana.page.screenshot({ path: `${screenshots}screen-share-handout.png` });
    await facilitator.page.getByRole('button', { name: 'Stop sharing' }).click();
    await seesNo(ana.locator('.screen-stage'), "the screen stage on Ana's page");

    await facilitator.page.getByRole('button', { name: 'Hide handout' }).click();
    await seesNo(ana.getByRole('region', { name: /Handout/ }), "the handout on Ana's page");
  });
});
