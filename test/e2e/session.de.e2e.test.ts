import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { openPerson, sees } from '../support/room-people.js';
import { screenFaults } from './support/screen-check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));


/** The screen as it stands, at desktop and phone size: every word from the German catalogue, and no WCAG 2.1 A/AA fault. */
const allGerman = async (page: Page, screen: string) => expect(await screenFaults(page, screen, 'de')).toEqual([]);

/**
 * A member's way in and out in German: the language chosen at pre-join and kept after a reload,
 * home and a broken invite, the waiting room, and the end of the session. The facilitator leads in English.
 */
describe('entering, waiting and leaving in German', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('chosen at pre-join, remembered, and every screen of the way in German', { timeout: 150_000 }, async () => {
    const lead = await openPerson(browser, 'Dr. Rivera');
    await lead.page.goto(`${server.url}/facilitate#key=${encodeURIComponent(server.facilitatorKey)}`);
    await lead.page.getByLabel('Group name').fill('Dienstagsgruppe');
    await lead.page.getByLabel('Your name as members will see it').fill('Dr. Rivera');
    await lead.page.getByRole('button', { name: 'Create room' }).click();
    const invite = await (await sees(lead.page.locator('[data-invite-link]'), 'the invite link')).inputValue();
    await lead.page.getByRole('button', { name: /Enter room/ }).click();
    await sees(lead.page.getByRole('heading', { name: /Get ready to facilitate/ }), 'the facilitator’s pre-join');
    await lead.page.getByRole('button', { name: 'Open the room' }).click();
    await sees(lead.page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');

    const { page } = await openPerson(browser, 'Ana');
    await page.goto(invite);
    await sees(page.getByRole('heading', { name: 'Joining Dienstagsgruppe' }), 'the pre-join in English at first');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await sees(page.getByRole('heading', { name: 'Beitritt zu Dienstagsgruppe' }), 'the pre-join in German once chosen');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.reload();
    await sees(page.getByRole('heading', { name: 'Beitritt zu Dienstagsgruppe' }), 'German still chosen after a reload');
    await sees(page.getByRole('combobox', { name: 'Sprache' }), 'the picker in German');
    await sees(page.getByText(/^(Wir können Sie hören\.|Sagen Sie etwas, um Ihr Mikrofon zu testen\.)$/), 'the microphone check');
    await allGerman(page, 'pre-join');

    await page.goto(`${server.url}/join`);
    await sees(page.getByRole('heading', { name: 'Diese Einladung öffnet keinen Raum' }), 'a link without an invite, in German');
    await allGerman(page, 'join without an invite');
    // Home in between: from /join, the invite link would change only the hash and not load the page.
    await page.goto(`${server.url}/`);
    await sees(page.getByText('Ein ruhiger Online-Raum für Gruppentherapie.'), 'home in German');
    await allGerman(page, 'home');

    await page.goto(invite);
    await page.getByLabel('Ihr Name in der Gruppe').fill('Ana');
    await page.getByLabel('Ich stimme der Gruppenvereinbarung zu').check();
    await page.getByRole('button', { name: 'Um Einlass bitten' }).click();
    await sees(page.getByRole('heading', { name: 'Sie sind im Warteraum' }), 'the waiting room in German');
    await allGerman(page, 'waiting room');

    await lead.page.getByRole('button', { name: 'Admit Ana' }).click();
    await sees(page.getByRole('heading', { name: /The circle|Der Kreis/ }), 'Ana in the room');
    await lead.page.getByRole('button', { name: 'End the session…' }).click();
    await lead.page.getByRole('dialog', { name: 'End the session for everyone?' }).getByRole('button', { name: 'End the session' }).click();
    await sees(page.getByRole('heading', { name: 'Die Sitzung ist beendet' }), 'the end in German');
    await allGerman(page, 'session ended');
  });
});
