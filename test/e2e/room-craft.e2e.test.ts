import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { openPerson, sees, seesNo, type Person } from '../support/room-people.js';
import { axeViolations, describeViolations } from './support/axe.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));
const MEMBERS = ['Ana', 'Ben', 'Cleo', 'Dev'] as const;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * The facilitator's craft in the room, through the UI in Chromium: everyone waiting let in with one
 * click, the agenda's current phase given a theme that every screen shows, a check-in round of four
 * run with one facilitator action that holds the talking stick and gives the open floor back after,
 * the panel's main actions in sight without scrolling, and no WCAG 2.1 A/AA fault on the room.
 */
describe('themes, rounds and fewer clicks in the browser', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let facilitator: Person;
  const members = {} as Record<(typeof MEMBERS)[number], Person>;
  let broken = false;

  const step = (name: string, run: () => Promise<void>) =>
    it(name, async (context) => {
      if (broken) context.skip();
      await run();
    });

  /** Open the room in this person's tab as the page itself would after joining (the session kept in the tab). */
  const enterRoom = async (person: Person, roomId: string, token: string, role: 'facilitator' | 'member') => {
    const saved = JSON.stringify({ roomId, token, role, media: { audio: role === 'facilitator', video: false } });
    await person.page.addInitScript((value) => sessionStorage.setItem('holdspace.session', value), saved);
    await person.page.goto(`${server.url}/room/${roomId}`);
  };

  const agendaOf = (page: Page) => page.getByRole('navigation', { name: 'Session agenda' });
  const floorOf = (page: Page) => agendaOf(page).locator('.agenda__floor');
  const everyone = () => [facilitator, ...Object.values(members)];

  /** The element lies wholly inside the window as it is scrolled now, and nothing (the sticky controls) covers its middle. */
  const inSight = async (page: Page, locator: Locator, what: string) => {
    const element = await sees(locator, what);
    const box = await element.boundingBox();
    const size = page.viewportSize()!;
    expect(box, what).not.toBeNull();
    const onTop = await element.evaluate((node) => {
      const rect = node.getBoundingClientRect();
      const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
      return hit !== null && (hit === node || node.contains(hit));
    });
    expect({ what, top: box!.y >= 0, bottom: box!.y + box!.height <= size.height, left: box!.x >= 0, right: box!.x + box!.width <= size.width, onTop }).toEqual({
      what, top: true, bottom: true, left: true, right: true, onTop: true,
    });
  };

  const noViolations = async (person: Person, screen: string) => {
    const violations = await axeViolations(person.page);
    expect(violations.map((v) => v.id), `${screen}:\n${describeViolations(violations)}`).toEqual([]);
  };

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    broken = true;
    for (const person of everyone().filter(Boolean)) {
      const path = `${tmpdir()}/holdspace-craft-${person.name.replace(/\W+/g, '-')}.png`;
      await person.page.screenshot({ path, fullPage: true }).then(() => console.error(`screen of ${person.name}: ${path}`), () => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('four people wait; the facilitator lets them all in with one click', async () => {
    const room = await server.createRoom('Thursday group');
    facilitator = await openPerson(browser, 'Dr. Rivera');
    await enterRoom(facilitator, room.roomId, room.token, 'facilitator');
    await sees(facilitator.page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');
    for (const name of MEMBERS) {
      const person = (members[name] = await openPerson(browser, name));
      const joined = await server.join(room.inviteUrl, name);
      person.id = joined.memberId;
      await enterRoom(person, room.roomId, joined.token, 'member');
      await sees(person.page.getByRole('heading', { name: "You're in the waiting room" }), `${name} in the waiting room`);
    }
    const admitAll = facilitator.page.getByRole('button', { name: 'Admit all 4' });
    await sees(admitAll, 'the admit-all button with the four waiting');
    await admitAll.click();
    for (const person of Object.values(members)) await sees(person.page.getByRole('heading', { name: /The circle/ }), `${person.name}'s circle`);
    await seesNo(facilitator.page.getByRole('heading', { name: /Waiting to join/ }), 'the waiting list');
  });

  step('the facilitator gives the current phase a theme and a prompt; every screen shows the theme', async () => {
    const { page } = facilitator;
    await page.getByRole('tab', { name: /^Agenda/ }).click();
    const arrival = page.locator('[data-phase="Arrival"]');
    await arrival.getByRole('button', { name: /Edit/ }).click();
    await arrival.getByLabel('Theme').fill('Trust');
    await arrival.getByLabel('Prompts, one per line').fill('Who here would you trust with something small?');
    await arrival.getByRole('button', { name: 'Save phase' }).click();
    for (const person of everyone()) await sees(agendaOf(person.page).getByText('Theme: Trust'), `the theme on ${person.name}'s agenda bar`);

    // A prompt of the phase is one click from being the feedback question.
    await page.getByRole('tab', { name: /^Feedback/ }).click();
    await page.getByRole('button', { name: 'Use Who here would you trust with something small?' }).click();
    expect(await page.getByLabel('Question').inputValue()).toBe('Who here would you trust with something small?');
  });

  step('at 1280x800 the panel’s tabs and each tab’s main action are in sight without scrolling; no WCAG 2.1 A/AA fault', async () => {
    const { page } = facilitator;
    await page.setViewportSize(DESKTOP);
    await inSight(page, page.getByRole('tab', { name: /^People/ }), 'the People tab');
    await inSight(page, page.getByRole('tab', { name: /^Agenda/ }), 'the Agenda tab');
    await page.getByRole('tab', { name: /^Round/ }).click();
    await inSight(page, page.getByRole('button', { name: 'Start check-in round' }), 'Start check-in round');
    await page.getByRole('tab', { name: /^Feedback/ }).click();
    await inSight(page, page.getByRole('button', { name: 'Open anonymous feedback' }), 'Open anonymous feedback');
    await noViolations(facilitator, "the facilitator's room at 1280x800");
    await noViolations(members.Ana, "a member's room at 1280x800");
  });

  step('a check-in round of four runs from one facilitator action, in stick mode, and the open floor comes back after', async () => {
    const { page } = facilitator;
    for (const person of everyone()) await sees(floorOf(person.page).getByText('Open floor'), `the open floor on ${person.name}'s screen`);
    await page.getByRole('tab', { name: /^Round/ }).click();
    await page.getByRole('button', { name: 'Start check-in round' }).click();
    for (const person of everyone()) {
      await sees(person.page.getByRole('heading', { name: 'Check-in round' }), `the check-in round on ${person.name}'s screen`);
      await sees(floorOf(person.page).getByText('Talking stick'), `stick mode on ${person.name}'s screen`);
    }
    for (const name of MEMBERS) {
      const card = members[name].page.locator('.round');
      await sees(card.getByText("It's your turn."), `${name}'s turn`);
      await card.getByRole('button', { name: "I'm done" }).click();
    }
    for (const person of everyone()) await sees(floorOf(person.page).getByText('Open floor'), `the open floor back on ${person.name}'s screen`);
    await sees(page.getByText('4 of 4 had their turn'), "the round's summary for the facilitator");
  });

  step('on a phone (390x844) the facilitator reaches the panel’s main actions without scrolling; no WCAG 2.1 A/AA fault', async () => {
    for (const person of [facilitator, members.Ben]) await person.page.setViewportSize(PHONE);
    const { page } = facilitator;
    await page.evaluate(() => window.scrollTo(0, 0));
    await inSight(page, page.getByRole('link', { name: 'Panel', exact: true }), 'the jump to the panel');
    await page.getByRole('link', { name: 'Panel', exact: true }).click();
    await inSight(page, page.getByRole('tab', { name: /^Round/ }), 'the Round tab');
    await page.getByRole('tab', { name: /^Round/ }).click();
    await inSight(page, page.getByRole('button', { name: 'Start check-in round' }), 'Start check-in round');
    await page.evaluate(() => window.scrollTo(0, 0));
    await noViolations(facilitator, "the facilitator's room on a phone");
    await noViolations(members.Ben, "a member's room on a phone");
  });
});
