import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { openPerson, sees, tile, type Person } from '../support/room-people.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));

/**
 * Two facilitators co-lead one room through the UI: the second opens the facilitator link on
 * their own device and joins the room as co-facilitator; a member sees both as leads.
 */
describe('two facilitators co-leading in the browser', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let rivera: Person;
  let sam: Person;
  let ana: Person;
  let invite = '';

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const console = (person: Person) => person.page.goto(`${server.url}/facilitate#key=${encodeURIComponent(server.facilitatorKey)}`);
  const openRoom = async (person: Person) => {
    await sees(person.page.getByRole('heading', { name: /Get ready to facilitate/ }), `${person.name}'s pre-join`);
    await person.page.getByRole('button', { name: 'Open the room' }).click();
    await sees(person.page.getByRole('heading', { name: 'Facilitator panel' }), `${person.name}'s facilitator panel`);
  };

  it('the second facilitator joins the first one’s room as co-facilitator, and each sees the other as co-lead', { timeout: 120_000 }, async () => {
    rivera = await openPerson(browser, 'Dr. Rivera');
    await console(rivera);
    await rivera.page.getByLabel('Group name').fill('Co-led evening group');
    await rivera.page.getByLabel('Your name as members will see it').fill('Dr. Rivera');
    await rivera.page.getByRole('button', { name: 'Create room' }).click();
    invite = await (await sees(rivera.page.locator('[data-invite-link]'), 'the invite link')).inputValue();
    await rivera.page.getByRole('button', { name: /Enter room/ }).click();
    await openRoom(rivera);

    sam = await openPerson(browser, 'Sam');
    await console(sam);
    await sam.page.getByRole('button', { name: /Enter room/ }).click();
    const form = await sees(sam.page.locator('[data-co-facilitate]'), 'the co-facilitator form');
    await form.getByLabel('Your name as members will see it').fill('Sam');
    await form.getByRole('button', { name: 'Join as co-facilitator' }).click();
    await openRoom(sam);

    await sees(sam.page.locator('[data-co-leads]').getByText('Dr. Rivera'), 'Dr. Rivera as co-lead on Sam’s panel');
    await sees(rivera.page.locator('[data-co-leads]').getByText('Sam'), 'Sam as co-lead on Dr. Rivera’s panel');
    // The first facilitator is still in the room, not taken over.
    await sees(rivera.page.getByRole('heading', { name: 'The circle, 2 seats' }), 'both leads in Dr. Rivera’s circle');
  });

  it('each admits a member; a member sees both as leads; one grants the floor and the other starts a round', { timeout: 120_000 }, async () => {
    const people: Person[] = [];
    for (const [name, admitter] of [['Ana', rivera], ['Ben', sam]] as const) {
      const person = await openPerson(browser, name);
      people.push(person);
      await person.page.goto(invite);
      await person.page.getByLabel('Your name in the group').fill(name);
      await person.page.getByLabel('I agree to the group agreement').check();
      await person.page.getByRole('button', { name: 'Ask to join' }).click();
      await sees(person.page.getByRole('heading', { name: "You're in the waiting room" }), `${name} waiting`);
      await admitter.page.getByRole('button', { name: `Admit ${name}` }).click();
      await sees(person.page.getByRole('heading', { name: /The circle/ }), `${name}'s circle`);
    }
    ana = people[0]!;
    await sees(ana.page.getByRole('heading', { name: 'The circle, 4 seats' }), 'four seats on Ana’s screen');
    for (const lead of ['Dr. Rivera', 'Sam']) await sees(tile(ana, lead).locator('.seat__role', { hasText: 'facilitator' }), `${lead} labelled a facilitator on Ana’s screen`);
    expect(await ana.page.locator('[data-leads]').innerText()).toBe('Led by Dr. Rivera and Sam');

    await rivera.page.getByRole('button', { name: /Give floor to Ana/ }).click();
    await sees(ana.page.getByRole('figure', { name: 'You have the floor' }), 'Ana holding the floor');
    await sam.page.getByRole('tab', { name: /^Round/ }).click();
    await sam.page.getByLabel('Prompt').fill('How are you arriving today?');
    await sam.page.getByRole('button', { name: 'Start check-in round' }).click();
    await sees(ana.page.getByText("It's your turn. Speak when you are ready."), 'the round Sam started reaching Ana');
  });
});
