import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { facilitator as de } from '../../client/src/i18n/de/facilitator.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { until } from '../support/holdspace.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { openPerson, sees, seesNo, type Person } from '../support/room-people.js';
import { screenFaults } from './support/screen-check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));
const MEMBERS = ['Ana', 'Ben', 'Cleo'] as const;
const tabs = ['people', 'floor', 'round', 'scene', 'problem', 'feedback', 'agenda', 'share'] as const;

/**
 * The facilitator's room in German, in Chromium: three people waiting (one let in by her own
 * button, the others all at once), a member who needs a moment, a raised hand, each tab of the
 * panel in turn with its forms unfolded, and a check-in round started. On each, at desktop and
 * phone size, every text the facilitator can read or hear is a German catalogue message (or user
 * data), and axe finds no WCAG 2.1 A/AA fault. The members act over sockets.
 */
describe('the facilitator’s room in German', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let lead: Person;
  const members = {} as Record<(typeof MEMBERS)[number], { id: string; connection: RoomConnection }>;

  const check = (screen: string) => screenFaults(lead.page, screen, 'de');
  const panel = () => lead.page.locator('#panel');
  const openTab = async (id: (typeof tabs)[number]) => {
    const tab = panel().getByRole('tab', { name: new RegExp(`^${de.panel.tab[id]}`) });
    await tab.click();
    await sees(panel().locator(`#tabpanel-${id}`), `the ${id} tab open`);
  };

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
    const room = await server.createRoom('Donnerstagsgruppe');
    lead = await openPerson(browser, 'Dr. Rivera');
    const saved = JSON.stringify({ roomId: room.roomId, token: room.token, role: 'facilitator', media: { audio: true, video: false } });
    await lead.page.addInitScript((value) => {
      sessionStorage.setItem('holdspace.session', value);
      localStorage.setItem('holdspace.language', 'de');
    }, saved);
    await lead.page.goto(`${server.url}/room/${room.roomId}`);
    await sees(lead.page.getByRole('heading', { name: de.panel.title }), 'the panel in German');
    for (const name of MEMBERS) {
      const joined = await server.join(room.inviteUrl, name);
      members[name] = { id: joined.memberId, connection: server.connect(joined.token) };
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('three wait: one is let in by her own button, the others all at once', async () => {
    await sees(lead.page.getByRole('button', { name: de.waiting.admitAll.replace('{{count}}', '3') }), 'admit all three, in German');
    const problems = await check('waiting');
    await lead.page.getByRole('button', { name: de.waiting.admitName.replace('{{name}}', 'Ana') }).click();
    await sees(lead.page.getByRole('heading', { name: de.waiting.title.replace('{{count}}', '2') }), 'two still waiting');
    await lead.page.getByRole('button', { name: de.waiting.admitAll.replace('{{count}}', '2') }).click();
    await seesNo(lead.page.locator('#waiting-list-title'), 'the waiting list');
    expect(problems).toEqual([]);
  });

  it('each tab of the panel in turn, with a member who needs a moment and a raised hand', async () => {
    for (const name of MEMBERS) await until(members[name].connection, (s) => s.group !== null);
    expect(await members.Ben.connection.send({ type: 'moment.need', tellGroup: false })).toMatchObject({ ok: true });
    expect(await members.Cleo.connection.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
    await sees(lead.page.getByRole('region', { name: de.alerts.title }), 'Ben’s moment');
    const problems: string[] = [];
    for (const id of tabs) {
      await openTab(id);
      if (id === 'feedback') await panel().locator('details.options summary').click();
      if (id === 'agenda') await panel().locator('.agenda-edit__phase').first().getByRole('button', { name: new RegExp(de.agenda.edit, 'i') }).click();
      problems.push(...(await check(`tab ${id}`)));
    }
    expect(problems).toEqual([]);
  });

  it('a check-in round started from the Round tab holds the floor', async () => {
    await openTab('round');
    await lead.page.getByRole('button', { name: de.round.start['check-in'] }).click();
    await sees(panel().getByText(de.round.running), 'the round running, in German');
    const problems = await check('round');
    await openTab('floor');
    await sees(panel().getByText(de.floor.heldBy.round), 'the floor held by the round');
    problems.push(...(await check('floor during the round')));
    expect(problems).toEqual([]);
  });
});
