import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeDataKey, RecordCipher } from '../../server/records/cipher.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { clusterSecrets, startNode, type NodeProcess } from '../support/cluster.js';
import { freePort } from '../support/redis-server.js';
import { recordsAsStored, recordsDecrypted } from '../support/records-dump.js';
import { openPerson, seatOrder, sees, seesNo, type Person } from '../support/room-people.js';
import { addVirtualAuthenticator, registerInBrowser, setupLink } from '../support/browser-passkey.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// As in client.e2e.test.ts: the README's screenshots are rewritten only with UPDATE_SCREENSHOTS=1.
const screenshots = process.env.UPDATE_SCREENSHOTS ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : join(tmpdir(), `holdspace-screenshots-${process.pid}/`);

const MEMBERS = ['Ana', 'Ben', 'Cleo'] as const;
type MemberName = (typeof MEMBERS)[number];
const AGREEMENT = 'What is said in the group stays in the group. We speak for ourselves.';
const PROMPT = 'How do you arrive since the last meeting?';
const SHARED_GOAL = 'Say what I need before I get angry';
const PRIVATE_GOAL = 'Call my father without rehearsing it';
const PROGRESS = 'Told my sister I needed a break, calmly';
const NOTE = 'Ana spoke first tonight; Ben stayed quiet until the end';
const QUESTION = 'What helped you most tonight?';
const ANSWERS: Record<MemberName, string> = {
  Ana: 'The quiet minute at the start helped me land',
  Ben: 'Hearing the others name their week made mine lighter',
  Cleo: 'Being allowed to pass without explaining',
};
const MOODS: Record<MemberName, number> = { Ana: 6, Ben: 4, Cleo: 7 };
const LOCATIONS: Record<MemberName, string> = { Ana: 'At home in Leipzig', Ben: 'In my car outside work', Cleo: 'At my desk at home' };

/**
 * Issue 13 end to end through the UI: a standing group's first session, a restart of the server
 * process on the same data, the second session with what the first left, a link revoked while its
 * page is open, and the export of session 1 with no author next to any feedback answer.
 */
describe('a standing group in the browser, across two sessions and a restart', () => {
  const dataKey = randomBytes(32).toString('hex');
  let server: NodeProcess;
  let browser: TestBrowser;
  let facilitator: Person;
  const members = {} as Record<MemberName, Person>;
  const links = {} as Record<MemberName, string>;
  const ids = {} as Record<MemberName, string>;
  let groupPath = '';
  let seatsInSession1: string[] = [];
  let broken = false;

  const step = (name: string, run: () => Promise<void>, timeoutMs = 60_000) =>
    it(
      name,
      async (context) => {
        if (broken) context.skip();
        await run();
      },
      timeoutMs,
    );
  const shot = (person: Person, name: string) => person.page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
  const clicks = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).click();
  const download = async (page: Page, button: string | RegExp) => {
    const [file] = await Promise.all([page.waitForEvent('download'), clicks(page, button)]);
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  };
  // Pages use the public name: a passkey (and so the sign-in) is bound to a domain such as localhost, never to an IP address.
  const site = () => `http://localhost:${new URL(server.url).port}`;
  const secretOf = (link: string) => new URL(link).hash.replace('#link=', '');

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    await mkdir(screenshots, { recursive: true });
    // `npm start` in its own process with records on PGlite in its data folder; stopped and started again below.
    const port = await freePort();
    const env = { RECORDS_ENABLED: 'true', DATA_KEY: dataKey, PUBLIC_URL: `http://localhost:${port}`, MEDIA_ENABLED: 'true', MEDIA_PORT: '0', MEDIA_WORKERS: '1' };
    [server, browser] = await Promise.all([startNode({ nodeId: 'groups-e2e', port, env }), launchBrowser()]);
  }, 180_000);

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    broken = true;
    for (const person of [facilitator, ...Object.values(members)].filter(Boolean)) {
      const path = `${tmpdir()}/holdspace-groups-e2e-${person.name.replace(/\W+/g, '-')}.png`;
      await person.page.screenshot({ path }).then(() => console.error(`screen of ${person.name}: ${path}`), () => undefined);
    }
    console.error(`server output:\n${server?.output.slice(-4000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  /** A member opens their personal link, joins the running session and sits in the circle. */
  const joins = async (member: Person, name: MemberName) => {
    await member.page.goto(links[name]);
    await sees(member.page.getByText(`Welcome, ${name}.`), `${name}'s own group page`);
    await clicks(member.page, 'Join the session');
    await sees(member.page.getByText(`You join as ${name}.`), `the pre-join knowing ${name}`);
    await member.page.getByLabel('I agree to the group agreement').check();
    await clicks(member.page, 'Ask to join');
    const seat = await sees(member.page.locator(`article[data-name="${name}"]`), `${name}'s own seat`);
    member.id = (await seat.getAttribute('data-seat')) ?? '';
  };

  /** The facilitator starts the group's next session from its page and opens the room. */
  const startsSession = async (number: number) => {
    const { page } = facilitator;
    await clicks(page, `Start session ${number}`);
    await sees(page.getByRole('heading', { name: `Get ready to facilitate Tuesday evening group, session ${number}` }), `the pre-join for session ${number}`);
    await clicks(page, 'Open the room');
    await sees(page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');
  };

  const startsCheckIn = async () => {
    const { page } = facilitator;
    await page.getByRole('navigation', { name: 'Session agenda' }).getByRole('button', { name: 'Check-in' }).click();
    await page.getByRole('tab', { name: /^Round/ }).click();
    await page.getByLabel('Prompt').fill(PROMPT);
    await clicks(page, 'Start check-in round');
  };

  const confirmsLocation = async (name: MemberName) => {
    const page = members[name].page;
    await page.getByLabel('Where are you right now, in a few words?').fill(LOCATIONS[name]);
    await clicks(page, 'Confirm');
    await sees(page.getByText('Thank you. Only the facilitator sees where you are.'), `${name}'s location confirmed`);
  };

  step('the facilitator creates a weekly group with its agreement, k and cap', async () => {
    facilitator = await openPerson(browser, 'Dr. Rivera');
    const { page } = facilitator;
    // The first administrator registers a passkey from the setup link (made here through the break-glass key route).
    await addVirtualAuthenticator(page);
    await registerInBrowser(page, await setupLink(server.url, clusterSecrets.FACILITATOR_KEY), 'Dr. Rivera');
    await sees(page.getByRole('heading', { name: 'Groups that meet every week' }), 'the groups section of the console');
    await clicks(page, 'New group');
    await page.getByLabel('Name of the group').fill('Tuesday evening group');
    await page.getByLabel('Group agreement').fill(AGREEMENT);
    await page.getByLabel('Meets every').selectOption('tuesday');
    await page.getByLabel('At', { exact: true }).fill('18:00');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Feedback is shown once this many have answered').fill('3');
    await page.getByLabel('Most members').fill('3');
    await clicks(page, 'Create group');
    await sees(page.getByRole('heading', { name: 'Tuesday evening group', level: 1 }), 'the group page');
    groupPath = new URL(page.url()).pathname;
    await sees(page.getByText(/Every Tuesday at 18:00 \(Europe\/Berlin\) · next session: Tuesday/), 'the cadence and the next session');
    await sees(page.getByText(AGREEMENT), 'the agreement');
    await sees(page.getByText(/Feedback is shown once 3 have answered · at most 3 members/), 'k and the member cap');
    const calendar = await download(page, 'Calendar file (.ics)');
    expect(calendar.text).toContain('SUMMARY:Tuesday evening group');
    await page.goto(`${site()}/facilitate`);
    await sees(page.locator('[data-group="Tuesday evening group"]').getByText(/next: Tuesday.* · 0 of 3 members/), 'the group with its next session in the console');
    await page.goto(`${site()}${groupPath}`);
  });

  step('the facilitator adds three members, Ana with an emergency contact, and hands out their personal links', async () => {
    const { page } = facilitator;
    for (const name of MEMBERS) {
      await page.getByLabel("Member's name").fill(name);
      if (name === 'Ana') await page.getByLabel('Emergency contact (optional)').fill('Maria (sister), +49 30 1234567');
      await clicks(page, 'Add member');
      links[name] = await (await sees(page.locator(`[data-member="${name}"]`).locator('[data-member-link]'), `${name}'s personal link`)).inputValue();
      expect(links[name]).toMatch(/\/group#link=[A-Za-z0-9_-]{32,}$/);
    }
    await sees(page.getByText('The group is full.'), 'the member cap reached');
  });

  step('session 1 opens; Ana writes a shared goal with a progress note and a private goal; all three join from their links', async () => {
    await startsSession(1);
    for (const name of MEMBERS) members[name] = await openPerson(browser, name);
    const ana = members.Ana.page;
    await ana.goto(links.Ana);
    await sees(ana.getByText(AGREEMENT), 'the group agreement on her page');
    for (const [goal, shared] of [[SHARED_GOAL, true], [PRIVATE_GOAL, false]] as const) {
      await ana.getByLabel('A goal of mine').fill(goal);
      if (shared) await ana.getByLabel('Share it with the group').check();
      await clicks(ana, 'Add goal');
      await sees(ana.locator(`[data-goal="${goal}"]`), `her goal "${goal}"`);
    }
    const shared = ana.locator(`[data-goal="${SHARED_GOAL}"]`);
    expect(await shared.getByLabel('Share this goal with the group').isChecked()).toBe(true);
    expect(await ana.locator(`[data-goal="${PRIVATE_GOAL}"]`).getByLabel('Share this goal with the group').isChecked()).toBe(false);
    await shared.getByLabel('A short note on how it is going').fill(PROGRESS);
    await shared.getByRole('button', { name: 'Add note' }).click();
    await sees(shared.getByText(PROGRESS), 'her progress note');
    const calendar = await download(ana, 'Add to my calendar (.ics)');
    expect(calendar.text).toContain('BEGIN:VEVENT');
    for (const name of MEMBERS) expect(calendar.text).not.toContain(name);
    await shot(members.Ana, 'my-group');

    for (const name of MEMBERS) await joins(members[name], name);
    for (const name of MEMBERS) ids[name] = members[name].id;
    await sees(facilitator.page.locator('article[data-name="Cleo"]'), "Cleo's seat on the facilitator's screen");
    seatsInSession1 = await seatOrder(facilitator);
    expect(seatsInSession1).toEqual(expect.arrayContaining([...MEMBERS]));
  }, 120_000);

  step('check-in of session 1: each member says where they are and rates their mood; Ana and Ben speak, Cleo passes', async () => {
    await startsCheckIn();
    for (const name of MEMBERS) {
      await confirmsLocation(name);
      await clicks(members[name].page, `Mood ${MOODS[name]} of 10`);
    }
    for (const name of MEMBERS) {
      const page = members[name].page;
      await sees(page.getByText("It's your turn. Speak when you are ready."), `${name}'s turn`);
      await clicks(page, name === 'Cleo' ? 'Pass' : "I'm done");
    }
    const order = facilitator.page.getByRole('list', { name: 'Speaking order' });
    for (const name of MEMBERS) await sees(order.locator('.round__speaker', { hasText: name }).getByText(`mood ${MOODS[name]}/10`), `${name}'s rating`);
    await sees(order.locator('.round__speaker', { hasText: 'Cleo' }).getByText('passed'), "Cleo's pass");
    await sees(facilitator.page.locator('[data-history="Ana"]').getByText(`· at ${LOCATIONS.Ana}`), "Ana's location beside her");
  });

  step('an anonymous feedback prompt: all three answer, the facilitator releases, the group reads the answers', async () => {
    const { page } = facilitator;
    await page.getByRole('tab', { name: /^Feedback/ }).click();
    await page.getByLabel('Question').fill(QUESTION);
    await page.locator('summary', { hasText: 'Options' }).click();
    await page.getByLabel('Answer with').selectOption('text');
    await clicks(page, 'Open anonymous feedback');
    for (const name of MEMBERS) {
      const member = members[name].page;
      await (await sees(member.getByLabel('Your answer'), `the prompt on ${name}'s screen`)).fill(ANSWERS[name]);
      await clicks(member, 'Send anonymously');
      await sees(member.getByText('Your answer is in.'), `${name}'s answer sent`);
    }
    await clicks(page, 'Close and release');
    for (const name of MEMBERS) await sees(members.Ben.page.locator('.feedback__text', { hasText: ANSWERS[name] }), `the released answer "${ANSWERS[name]}"`);
  });

  step('the facilitator ends session 1, goes back to the group page and writes a private note about Ana for session 1', async () => {
    const { page } = facilitator;
    await clicks(page, 'End the session…');
    await page.getByRole('button', { name: 'End the session', exact: true }).click();
    for (const name of MEMBERS) {
      await sees(members[name].page.getByRole('heading', { name: 'The session has ended' }), `the end on ${name}'s screen`);
      await clicks(members[name].page, 'Leave');
    }
    await clicks(page, 'Back to the group');
    await sees(page.getByRole('heading', { name: 'Tuesday evening group', level: 1 }), 'the group page again');
    const past = page.locator('[data-session="1"]');
    await sees(past.getByText('Ana: present · Ben: present · Cleo: present'), "session 1's attendance");
    await page.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await page.getByLabel('About session').selectOption({ label: 'Session 1' });
    await page.getByLabel('About member').selectOption({ label: 'Ana' });
    await clicks(page, 'Save note');
    await sees(page.locator('[data-note]').getByText(NOTE), 'the note saved');
    await sees(page.getByRole('button', { name: 'Start session 2' }), 'the button for session 2');
    await shot(facilitator, 'group-page');
  });

  step('the server process is stopped and a new one starts on the same data folder', async () => {
    await server.stop('SIGTERM');
    await server.start();
    await facilitator.page.reload();
    await sees(facilitator.page.locator('[data-note]').getByText(NOTE), 'the note after the restart');
    await sees(facilitator.page.locator('[data-member="Ana"]').getByText(`Goal (shared with the group): ${SHARED_GOAL} · latest progress: ${PROGRESS}`), "Ana's goal after the restart");
  }, 120_000);

  step('session 2: the same links seat the same people in the same seats, Ben on a new device', async () => {
    await startsSession(2);
    members.Ben = await openPerson(browser, 'Ben');
    for (const name of MEMBERS) {
      await joins(members[name], name);
      expect(members[name].id, `${name} is the same member as in session 1`).toBe(ids[name]);
    }
    await sees(facilitator.page.locator('article[data-name="Cleo"]'), "Cleo's seat on the facilitator's screen");
    expect(await seatOrder(facilitator)).toEqual(seatsInSession1);
    expect(await seatOrder(members.Ben)).toEqual(await seatOrder(members.Ana));
  }, 120_000);

  step("check-in of session 2: the facilitator sees session 1's mood, attendance and every goal; members see only the shared goal", async () => {
    await startsCheckIn();
    const history = (name: MemberName) => facilitator.page.locator(`[data-history="${name}"]`);
    for (const name of MEMBERS) {
      await sees(history(name).getByText(`· before: ${MOODS[name]}`), `${name}'s mood of session 1`);
      await sees(history(name).getByText('· came last time'), `${name}'s attendance of session 1`);
    }
    await history('Ana').getByText('2 goals').click();
    await sees(history('Ana').getByText(`${SHARED_GOAL} (shared) · latest: ${PROGRESS}`), "Ana's shared goal with its progress");
    await sees(history('Ana').getByText(`${PRIVATE_GOAL} (private)`), "Ana's private goal");

    await confirmsLocation('Ben');
    await sees(history('Ben').getByText(`· at ${LOCATIONS.Ben}`), "Ben's location of today beside him");
    await shot(facilitator, 'group-check-in');

    const ben = members.Ben.page;
    await ben.getByText('Goals members share').click();
    await sees(ben.locator('[data-shared-goal]').getByText(`Ana: ${SHARED_GOAL}`), "Ana's shared goal on Ben's screen");
    expect(await ben.getByText(PRIVATE_GOAL).count()).toBe(0);
    expect(await ben.getByText(LOCATIONS.Ana).count()).toBe(0);
    expect(await ben.getByText(`mood ${MOODS.Ana}/10`).count()).toBe(0);
  });

  step("Cleo's link is revoked while she sits in session 2: she is out at once and the link opens nothing", async () => {
    const groupTab = await facilitator.page.context().newPage();
    await groupTab.goto(`${site()}${groupPath}`);
    groupTab.once('dialog', (dialog) => void dialog.accept());
    const revoked = Date.now();
    await clicks(groupTab, 'End link of Cleo');
    const cleo = members.Cleo.page;
    await sees(cleo.getByRole('heading', { name: 'You are no longer in the session' }), 'Cleo dismissed', 5_000);
    console.log(`Cleo's page showed her dismissal ${Date.now() - revoked} ms after the click`);
    await seesNo(facilitator.page.locator('article[data-name="Cleo"]'), "Cleo's seat on the facilitator's screen");
    await sees(groupTab.locator('[data-member="Cleo"]').getByText('No working link'), 'the roster showing her link ended');
    await groupTab.close();

    await cleo.goto(links.Cleo);
    await sees(cleo.getByText('This personal link no longer works. Ask your facilitator for a new one.'), 'the refusal of her link');
    for (const path of ['/api/me', '/api/me/session']) {
      const answer = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: secretOf(links.Cleo) }) });
      expect(answer.status, path).toBe(401);
      expect(((await answer.json()) as { code: string }).code).toBe('MEMBER_LINK_INVALID');
    }
  });

  step('the export of session 1, Markdown and JSON, holds the session and no author of any answer; nor does the database', async () => {
    const { page } = facilitator;
    await page.goto(`${site()}${groupPath}`);
    const markdown = (await download(page, 'Summary (Markdown) of session 1')).text;
    const json = JSON.parse((await download(page, 'Data (JSON) of session 1')).text) as Record<string, any>;
    for (const expected of ['## Attendance', '- Ana: present', '- Ben: present', '- Cleo: present', '## Phases', '- Check-in', `  - ${PROMPT}`, `### check-in: ${PROMPT}`, '- Ana: spoke', '- Cleo: passed', `### ${QUESTION}`, `(Ana) ${NOTE}`, `- Ben: ${MOODS.Ben}/10`]) {
      expect(markdown).toContain(expected);
    }
    expect(json.attendance).toEqual(MEMBERS.map((name) => ({ name, status: 'present' })));
    expect(json.phases).toContainEqual(expect.objectContaining({ name: 'Check-in', prompts: [PROMPT] }));
    expect(json.rounds[0].outcomes).toEqual(expect.arrayContaining([{ name: 'Ana', outcome: 'spoke' }, { name: 'Cleo', outcome: 'passed' }]));
    expect(json.feedback).toEqual([{ prompt: QUESTION, items: expect.arrayContaining(Object.values(ANSWERS)) }]);
    expect(json.notes).toEqual([expect.objectContaining({ about: 'Ana', text: NOTE })]);

    // The anonymity canary over the export: no member's name or id on an answer's line, in the feedback section, or beside an answer in JSON.
    const feedbackSection = markdown.slice(markdown.indexOf('## Released anonymous feedback')).split('\n## ')[0]!;
    const authorLinks = (text: string) => MEMBERS.filter((name) => text.includes(name) || text.includes(ids[name]));
    expect(authorLinks(feedbackSection)).toEqual([]);
    for (const name of MEMBERS) expect(authorLinks(markdown.split('\n').find((line) => line.includes(ANSWERS[name]))!)).toEqual([]);
    expect(authorLinks(JSON.stringify(json.feedback))).toEqual([]);
    for (const name of MEMBERS) expect(markdown + JSON.stringify(json)).not.toContain(ids[name]);

    // The database as a thief would take it: the folder's bytes hold no content, and decrypted rows hold no author beside an answer.
    for (const person of [facilitator, ...Object.values(members)]) await person.page.close();
    await server.stop('SIGTERM');
    const stored = await recordsAsStored(server.dataDir);
    for (const content of [NOTE, SHARED_GOAL, PRIVATE_GOAL, PROGRESS, LOCATIONS.Ana, ...Object.values(ANSWERS)]) expect(stored.includes(content), content).toBe(false);
    const rows = await recordsDecrypted(server.dataDir, new RecordCipher(decodeDataKey(dataKey)));
    const answerRows = rows.filter((row) => Object.values(ANSWERS).some((answer) => row.includes(answer)));
    expect(answerRows.length).toBeGreaterThan(0);
    for (const row of answerRows) expect(authorLinks(row), row.slice(0, 300)).toEqual([]);
  }, 120_000);
});
