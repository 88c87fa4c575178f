import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startHoldspace, type RunningHoldspace } from '../support/holdspace.js';
import { openPerson, sees, type Person } from '../support/room-people.js';
import { addVirtualAuthenticator, registerInBrowser, setupLink } from '../support/browser-passkey.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// As in client.e2e.test.ts: the README's screenshots are rewritten only with UPDATE_SCREENSHOTS=1.
const screenshots = process.env.UPDATE_SCREENSHOTS ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : join(tmpdir(), `holdspace-screenshots-${process.pid}/`);

const MEMBERS = ['Ana', 'Ben', 'Cleo'] as const;
type MemberName = (typeof MEMBERS)[number];
const GOAL = 'Say what I need before I get angry';
const NOTE = 'Ana spoke first tonight; Ben stayed quiet until the end';
const PROGRESS = 'Told my sister I needed a break, calmly';

/**
 * A standing group through the UI only: the facilitator creates it and its roster, members open
 * their personal links, goals and notes outlive a restart, a link ended is refused.
 */
describe('a standing group in the browser', () => {
  let dataDir: string;
  let server: RunningHoldspace;
  let browser: TestBrowser;
  let facilitator: Person;
  const members = {} as Record<MemberName, Person>;
  const links = {} as Record<MemberName, string>;
  let groupPath = '';
  let broken = false;

  const step = (name: string, run: () => Promise<void>) =>
    it(name, async (context) => {
      if (broken) context.skip();
      await run();
    });
  const shot = (person: Person, name: string) => person.page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
  /** Each start of the server takes a free port; the link's path and secret are what a member keeps. */
  const onThisServer = (link: string) => `${server.url}${new URL(link).pathname}${new URL(link).hash}`;
  const start = () => startHoldspace({ RECORDS_ENABLED: 'true', DATA_DIR: dataDir });

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    await mkdir(screenshots, { recursive: true });
    dataDir = await mkdtemp(join(tmpdir(), 'holdspace-groups-e2e-'));
    [server, browser] = await Promise.all([start(), launchBrowser()]);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    broken = true;
    for (const person of [facilitator, ...Object.values(members)].filter(Boolean)) {
      const path = `${tmpdir()}/holdspace-groups-e2e-${person.name.replace(/\W+/g, '-')}.png`;
      await person.page.screenshot({ path }).then(() => console.error(`screen of ${person.name}: ${path}`), () => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const clicks = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).click();
  const download = async (page: Page, button: string | RegExp) => {
    const [file] = await Promise.all([page.waitForEvent('download'), clicks(page, button)]);
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  };

  step('the facilitator creates a weekly group from the console and sees its next session', async () => {
    facilitator = await openPerson(browser, 'Dr. Rivera');
    const { page } = facilitator;
    // The first administrator registers a passkey from the setup link (made here through the break-glass key route).
    await addVirtualAuthenticator(page);
    await registerInBrowser(page, await setupLink(server.url, server.facilitatorKey), 'Dr. Rivera');
    await sees(page.getByRole('heading', { name: 'Groups that meet every week' }), 'the groups section of the console');
    await clicks(page, 'New group');
    await page.getByLabel('Name of the group').fill('Tuesday evening group');
    await page.getByLabel('Meets every').selectOption('tuesday');
    await page.getByLabel('At', { exact: true }).fill('18:00');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Most members').fill('3');
    await clicks(page, 'Create group');
    await sees(page.getByRole('heading', { name: 'Tuesday evening group', level: 1 }), 'the group page');
    groupPath = new URL(page.url()).pathname;
    expect(groupPath).toMatch(/^\/facilitate\/groups\/[A-Za-z0-9_-]+$/);
    await sees(page.getByText(/Every Tuesday at 18:00 \(Europe\/Berlin\) · next session: Tuesday/), 'the cadence and the next session');

    await page.goto(`${server.url}/facilitate`);
    const listed = page.locator('[data-group="Tuesday evening group"]');
    await sees(listed.getByText(/next: Tuesday.* · 0 of 3 members/), 'the group with its next session in the console');
  });

  step('the facilitator adds three members, one with an emergency contact, and copies each personal link', async () => {
    const { page } = facilitator;
    await page.goto(`${server.url}${groupPath}`);
    for (const name of MEMBERS) {
      await page.getByLabel("Member's name").fill(name);
      if (name === 'Ana') await page.getByLabel('Emergency contact (optional)').fill('Maria (sister), +49 30 1234567');
      await clicks(page, 'Add member');
      const row = page.locator(`[data-member="${name}"]`);
      links[name] = await (await sees(row.locator('[data-member-link]'), `${name}'s personal link`)).inputValue();
      expect(links[name]).toMatch(/\/group#link=[A-Za-z0-9_-]{32,}$/);
    }
    await sees(page.locator('[data-member="Ana"]').getByText('Emergency contact: Maria (sister), +49 30 1234567'), "Ana's emergency contact");
    await sees(page.getByText('The group is full.'), 'the member cap reached');
    await sees(page.getByRole('button', { name: 'Start session 1' }), 'the button to start session 1');
  });

  step('Ana opens her personal link: her group, its next session and agreement; she writes a goal she shares and a progress note', async () => {
    const ana = (members.Ana = await openPerson(browser, 'Ana'));
    await ana.page.goto(links.Ana);
    await sees(ana.page.getByRole('heading', { name: 'Tuesday evening group' }), 'her group');
    expect(ana.page.url()).not.toContain('link=');
    await sees(ana.page.getByText('Welcome, Ana.'), 'her own name');
    await sees(ana.page.locator('[data-next-session]').getByText(/Tuesday/), 'the next session');
    await sees(ana.page.getByText(/What is said in the group stays in the group/), 'the group agreement');
    await ana.page.getByLabel('A goal of mine').fill(GOAL);
    await ana.page.getByLabel('Share it with the group').check();
    await clicks(ana.page, 'Add goal');
    const goal = ana.page.locator(`[data-goal="${GOAL}"]`);
    await sees(goal, 'her goal');
    expect(await goal.getByLabel('Share this goal with the group').isChecked()).toBe(true);
    await goal.getByLabel('A short note on how it is going').fill(PROGRESS);
    await clicks(ana.page, 'Add note');
    await sees(goal.getByText(PROGRESS), 'her progress note');
    const calendar = await download(ana.page, 'Add to my calendar (.ics)');
    expect(calendar.name).toMatch(/\.ics$/);
    expect(calendar.text).toContain('BEGIN:VEVENT');
    for (const name of MEMBERS) expect(calendar.text).not.toContain(name);
    await shot(ana, 'my-group');
  });

  step("the facilitator sees Ana's goal and progress in the roster and writes a private note about her", async () => {
    const { page } = facilitator;
    await page.reload();
    const ana = page.locator('[data-member="Ana"]');
    await sees(ana.getByText(`Goal (shared with the group): ${GOAL} · latest progress: ${PROGRESS}`), "Ana's goal in the roster");
    await page.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await page.getByLabel('About member').selectOption({ label: 'Ana' });
    await clicks(page, 'Save note');
    await sees(page.locator('[data-note]').getByText(NOTE), 'the note saved');
    await sees(page.locator('[data-note]').getByText(/about Ana/), 'the note is about Ana');
    const calendar = await download(page, 'Calendar file (.ics)');
    expect(calendar.text).toContain('SUMMARY:Tuesday evening group');
    for (const name of MEMBERS) expect(calendar.text).not.toContain(name);
    await shot(facilitator, 'group-page');
  });

  step('after a restart the same links work: Ben on a new device, Ana in her tab; goals and notes are still there', async () => {
    await server.stop();
    server = await start();
    const ben = (members.Ben = await openPerson(browser, 'Ben'));
    await ben.page.goto(onThisServer(links.Ben));
    await sees(ben.page.getByText('Welcome, Ben.'), 'Ben as himself, on a fresh browser');
    // Ana's goals are hers only: Ben's page has none of them.
    expect(await ben.page.getByText(GOAL).count()).toBe(0);

    await members.Ana.page.goto(onThisServer(links.Ana));
    await sees(members.Ana.page.locator(`[data-goal="${GOAL}"]`).getByText(PROGRESS), "Ana's goal and progress after the restart");

    // The sign-in is kept in the records, and the browser's cookie is the host's, whatever the port: still signed in.
    await facilitator.page.goto(`${server.url}/facilitate`);
    await sees(facilitator.page.getByText('Signed in as Dr. Rivera'), 'the console, still signed in after the restart');
    await facilitator.page.getByRole('link', { name: /Open Tuesday evening group/ }).click();
    await sees(facilitator.page.locator('[data-note]').getByText(NOTE), 'the note after the restart');
    await sees(facilitator.page.locator('[data-member="Ana"]').getByText(`Goal (shared with the group): ${GOAL}`), "Ana's goal after the restart");
  });

  step("an ended link is refused: Cleo's page says so, and the member API answers MEMBER_LINK_INVALID", async () => {
    const cleo = (members.Cleo = await openPerson(browser, 'Cleo'));
    await cleo.page.goto(onThisServer(links.Cleo));
    await sees(cleo.page.getByText('Welcome, Cleo.'), "Cleo's group page while her link works");

    const { page } = facilitator;
    page.once('dialog', (dialog) => void dialog.accept());
    await clicks(page, 'End link of Cleo');
    await sees(page.locator('[data-member="Cleo"]').getByText('No working link'), 'the roster showing her link ended');

    // Her open page learns it at its next request.
    await cleo.page.getByLabel('A goal of mine').fill('Come every week');
    await clicks(cleo.page, 'Add goal');
    await sees(cleo.page.getByText('This personal link no longer works. Ask your facilitator for a new one.'), 'the refusal on her open page');
    await cleo.page.reload();
    await sees(cleo.page.getByText('This personal link no longer works.'), 'the refusal after a reload');
    const secret = new URL(links.Cleo).hash.replace('#link=', '');
    const answer = await fetch(`${server.url}/api/me`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: secret }) });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBe('MEMBER_LINK_INVALID');
  });

  // Needs feat/groups-live's routes (POST /api/groups/:id/sessions, POST /api/me/session).
  step('session 1: the facilitator starts it from the group page; Ana joins from "my group" and sits as Ana, without the waiting room', async () => {
    const { page } = facilitator;
    await clicks(page, 'Start session 1');
    await sees(page.getByRole('heading', { name: /Get ready to facilitate Tuesday evening group, session 1/ }), 'the facilitator pre-join for session 1');
    await clicks(page, 'Open the room');
    await sees(page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');

    const ana = members.Ana;
    await ana.page.goto(onThisServer(links.Ana));
    await clicks(ana.page, 'Join the session');
    await sees(ana.page.getByText('You join as Ana.'), 'the pre-join knowing who she is');
    await ana.page.getByLabel('I agree to the group agreement').check();
    await clicks(ana.page, 'Ask to join');
    await sees(ana.page.locator('article[data-name="Ana"]'), 'her own seat in the circle');
    await sees(page.locator('article[data-name="Ana"]'), "Ana's seat on the facilitator's screen");
  });

  step("check-in in session 1: Ana confirms where she is and rates her mood; beside her the facilitator sees where she is and her goal", async () => {
    const { page } = facilitator;
    await page.getByRole('navigation', { name: 'Session agenda' }).getByRole('button', { name: 'Check-in' }).click();
    await page.getByRole('tab', { name: /^Round/ }).click();
    await page.getByLabel('Prompt').fill('How do you arrive since the last meeting?');
    await clicks(page, 'Start check-in round');
    const ana = members.Ana.page;
    await ana.getByLabel('Where are you right now, in a few words?').fill('At home in Leipzig');
    await clicks(ana, 'Confirm');
    await sees(ana.getByText('Thank you. Only the facilitator sees where you are.'), 'her location confirmed');
    await clicks(ana, 'Mood 6 of 10');
    const history = page.locator('[data-history="Ana"]');
    await sees(history.getByText('· at At home in Leipzig'), "Ana's location beside her in the check-in");
    await sees(history.getByText('1 goal'), "Ana's goal beside her in the check-in");
    await sees(page.locator('.round__speaker', { hasText: 'Ana' }).getByText('mood 6/10'), "Ana's rating");
  });
});
