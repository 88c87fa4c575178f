import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { addVirtualAuthenticator } from '../support/browser-passkey.js';
import { startHoldspace, type RunningHoldspace } from '../support/holdspace.js';
import { sees } from '../support/room-people.js';
import { screenFaults } from './support/screen-check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GERMAN_PHASES = ['Ankommen', 'Eingangsrunde', 'Arbeitsphase', 'Rollenspiel', 'Feedback', 'Abschlussrunde'];

/**
 * The facilitator's and member's pages outside the room, in German: setup with a passkey, the
 * recovery codes, the console with the accounts panel and audit trail, a group and its page, a
 * member's own page, and the sign-in page. On each, at desktop and phone size, every text is a
 * message of the German catalogue (or marked user data) and axe finds no WCAG 2.1 A/AA fault.
 */
describe('the console and group pages in German', () => {
  let dataDir: string;
  let server: RunningHoldspace;
  let browser: TestBrowser;

  /** A fresh browser context that has chosen German, as the language picker remembers it. */
  const german = async () => {
    const { context, page } = await browser.participant();
    await context.addInitScript(() => localStorage.setItem('holdspace.language', 'de'));
    page.setDefaultTimeout(15_000);
    return page;
  };
  const checked: string[] = [];
  /** Every text in the catalogue and no axe violation, at both sizes; notices are dismissed first. */
  const allGerman = async (page: Page, screen: string) => {
    for (const close of await page.locator('.notice__close').all()) await close.click();
    expect(await screenFaults(page, screen, 'de')).toEqual([]);
    checked.push(screen);
  };

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    dataDir = await mkdtemp(join(tmpdir(), 'holdspace-console-de-e2e-'));
    [server, browser] = await Promise.all([startHoldspace({ RECORDS_ENABLED: 'true', DATA_DIR: dataDir, MEDIA_ENABLED: 'false' }), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('walks setup, console, accounts, a group, a member’s page and sign-in with every word from the German catalogue; new rooms and groups start with German phases', { timeout: 120_000 }, async () => {
    const page = await german();
    await addVirtualAuthenticator(page);
    const start = await server.holdspace.startLink();
    await page.goto(start!.link);
    await sees(page.getByRole('heading', { name: 'Holdspace einrichten' }), 'the setup page in German');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await allGerman(page, 'setup');

    await page.getByLabel('Ihr Name, wie Mitglieder und Kolleg:innen ihn sehen').fill('Dr. Weber');
    await page.getByRole('button', { name: 'Passkey erstellen und weiter' }).click();
    await sees(page.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' }), 'the recovery codes');
    await allGerman(page, 'recovery codes');
    await page.getByRole('button', { name: 'Ich habe sie aufbewahrt: weiter' }).click();

    await sees(page.getByText('Angemeldet als Dr. Weber (Administrator:in)'), 'the console, signed in');
    await sees(page.getByRole('heading', { name: 'Gruppenleitungen' }), 'the accounts panel');
    await page.getByRole('button', { name: 'Therapeut:in einladen' }).click();
    await sees(page.locator('[data-account-invite]'), 'an invitation link');
    await page.getByText('Protokoll', { exact: true }).click();
    await sees(page.getByRole('cell', { name: 'Konto eingeladen' }), 'the audit trail in German');
    await page.getByLabel('Name des Raums').fill('Donnerstagsraum');
    await page.getByRole('button', { name: 'Raum erstellen' }).click();
    await sees(page.locator('[data-room="Donnerstagsraum"]').getByText(/^Erstellt am /), 'the one-off room listed');
    await allGerman(page, 'console with accounts and audit trail');
    const room = (await server.holdspace.rooms.list()).find((listed) => listed.title === 'Donnerstagsraum')!;
    expect((await server.holdspace.rooms.get(room.id))!.state.agenda.phases.map((phase) => phase.name)).toEqual(GERMAN_PHASES);

    await page.getByRole('button', { name: 'Neue Gruppe' }).click();
    await page.getByLabel('Name der Gruppe').fill('Dienstagabendgruppe');
    await page.getByLabel('Trifft sich jeden').selectOption('tuesday');
    await page.getByLabel('Um', { exact: true }).fill('18:00');
    await page.getByLabel('Zeitzone').fill('Europe/Berlin');
    await allGerman(page, 'new group form');
    await page.getByRole('button', { name: 'Gruppe erstellen' }).click();
    await sees(page.getByRole('heading', { name: 'Dienstagabendgruppe', level: 1 }), 'the group page');
    await sees(page.getByText(/^Jeden Dienstag um 18:00 \(Europe\/Berlin\) · nächste Sitzung: Dienstag/), 'the cadence and next session in German');
    await page.getByLabel('Name des Mitglieds').fill('Ana');
    await page.getByRole('button', { name: 'Mitglied hinzufügen' }).click();
    const link = await (await sees(page.locator('[data-member="Ana"] [data-member-link]'), "Ana's personal link")).inputValue();
    await page.getByRole('textbox', { name: 'Notiz' }).fill('Erste Notiz zur Gruppe');
    await page.getByRole('button', { name: 'Notiz speichern' }).click();
    await sees(page.locator('[data-note]').getByText(/^Geschrieben am /), 'the note saved');
    await allGerman(page, 'group page');
    const groupId = new URL(page.url()).pathname.split('/').pop()!;
    const group = await page.evaluate(async (id) => (await (await fetch(`/api/groups/${id}`)).json()) as { group: { agenda: { name: string; prompts: string[] }[] } }, groupId);
    expect(group.group.agenda.map((phase) => phase.name)).toEqual(GERMAN_PHASES);
    expect(group.group.agenda[1]!.prompts).toEqual(['Wie kommen Sie seit dem letzten Treffen hier an?']);

    const ana = await german();
    await ana.goto(link);
    await sees(ana.getByText('Willkommen, Ana.'), "Ana's own group page");
    await ana.getByLabel('Ein Ziel von mir').fill('Sagen, was ich brauche');
    await ana.getByRole('button', { name: 'Ziel hinzufügen' }).click();
    await ana.locator('[data-goal]').getByLabel('Eine kurze Notiz, wie es läuft').fill('Heute ruhig geblieben');
    await ana.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await sees(ana.getByText('Heute ruhig geblieben'), 'her progress note');
    await allGerman(ana, "member's group page");

    await page.goto(`${server.url}/facilitate`);
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await sees(page.getByRole('heading', { name: 'Anmelden' }), 'the sign-in page');
    await allGerman(page, 'sign-in');
    expect(checked).toHaveLength(7);
  });
});
