import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { addVirtualAuthenticator, registerInBrowser, signInInBrowser } from '../support/browser-passkey.js';
import { startHoldspace, type RunningHoldspace } from '../support/holdspace.js';
import { openPerson, sees, type Person } from '../support/room-people.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Accounts in Chromium with a virtual authenticator: the setup link registers the administrator,
 * a therapist is invited, registers and signs in, both open the same group's session as
 * facilitators, and a member reaches no facilitator page.
 */
describe('facilitators with passkeys in the browser', () => {
  let dataDir: string;
  let server: RunningHoldspace;
  let browser: TestBrowser;
  let admin: Person;
  let therapist: Person;
  let broken = false;
  const step = (name: string, run: () => Promise<void>) =>
    it(name, async (context) => {
      if (broken) context.skip();
      await run().catch((error: unknown) => {
        broken = true;
        throw error;
      });
    });
  const clicks = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).click();

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    dataDir = await mkdtemp(join(tmpdir(), 'holdspace-accounts-e2e-'));
    [server, browser] = await Promise.all([startHoldspace({ RECORDS_ENABLED: 'true', DATA_DIR: dataDir, MEDIA_ENABLED: 'false' }), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  step('the setup link printed at the first start registers the administrator with a passkey', async () => {
    const start = await server.holdspace.startLink();
    expect(start?.kind).toBe('setup');
    admin = await openPerson(browser, 'Dr. Rivera');
    await addVirtualAuthenticator(admin.page);
    const codes = await registerInBrowser(admin.page, start!.link, 'Dr. Rivera');
    expect(codes).toHaveLength(8);
    await sees(admin.page.getByRole('heading', { name: 'Facilitators' }), 'the administrator’s accounts panel');
    // The link was single-use.
    const again = await openPerson(browser, 'Someone else');
    await again.page.goto(start!.link);
    await sees(again.page.getByRole('heading', { name: 'This link cannot be used' }), 'the used setup link refused');
    await again.page.close();
  });

  step('the administrator invites a therapist, who registers with their own passkey, signs out and signs in again', async () => {
    await clicks(admin.page, 'Invite a therapist');
    const link = await (await sees(admin.page.locator('[data-account-invite]'), 'the invitation link')).inputValue();
    therapist = await openPerson(browser, 'Sam Okafor');
    await addVirtualAuthenticator(therapist.page);
    await registerInBrowser(therapist.page, link, 'Sam Okafor');
    // A therapist has no accounts panel.
    expect(await therapist.page.getByRole('heading', { name: 'Facilitators' }).count()).toBe(0);
    await clicks(therapist.page, 'Sign out');
    await sees(therapist.page.getByRole('heading', { name: 'Sign in' }), 'the sign-in page');
    await signInInBrowser(therapist.page, 'Sam Okafor');
    await admin.page.reload();
    await sees(admin.page.locator('[data-account="Sam Okafor"]'), 'the therapist in the administrator’s list');
  });

  let groupPath = '';
  let anaLink = '';
  step('the administrator creates a group and adds the therapist as co-lead; the therapist sees it', async () => {
    const { page } = admin;
    await clicks(page, 'New group');
    await page.getByLabel('Name of the group').fill('Co-led group');
    await page.getByLabel('Meets every').selectOption('thursday');
    await page.getByLabel('At', { exact: true }).fill('19:00');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Most members').fill('4');
    await clicks(page, 'Create group');
    await sees(page.getByRole('heading', { name: 'Co-led group', level: 1 }), 'the group page');
    groupPath = new URL(page.url()).pathname;
    await page.getByLabel("Member's name").fill('Ana');
    await clicks(page, 'Add member');
    anaLink = await (await sees(page.locator('[data-member="Ana"] [data-member-link]'), "Ana's personal link")).inputValue();
    await page.getByLabel('Add a co-lead').selectOption({ label: 'Sam Okafor' });
    await clicks(page, 'Add co-lead');
    await sees(page.locator('[data-leads]').getByText('Dr. Rivera, Sam Okafor'), 'both leads');
    await therapist.page.goto(`${server.url}/facilitate`);
    await sees(therapist.page.locator('[data-group="Co-led group"]'), 'the co-led group in the therapist’s console');
  });

  step('both leads open the same session as facilitators', async () => {
    await clicks(admin.page, 'Start session 1');
    await clicks(admin.page, 'Open the room');
    await sees(admin.page.getByRole('heading', { name: 'Facilitator panel' }), 'the administrator’s facilitator panel');
    await therapist.page.goto(`${server.url}${groupPath}`);
    await clicks(therapist.page, 'Return to session 1');
    await clicks(therapist.page, 'Open the room');
    await sees(therapist.page.getByRole('heading', { name: 'Facilitator panel' }), 'the co-lead’s facilitator panel');
    // Two seats, not one shared: each lead is their own facilitator, and each sees the other as co-lead.
    await sees(admin.page.locator('[data-co-leads]').getByText('Sam Okafor'), 'Sam as co-lead on Dr. Rivera’s panel');
    await sees(therapist.page.locator('[data-co-leads]').getByText('Dr. Rivera'), 'Dr. Rivera as co-lead on Sam’s panel');
  });

  step('a member joins from her personal link and sees both leads; one lead gives her the floor, the other starts a round', async () => {
    const ana = await openPerson(browser, 'Ana');
    await ana.page.goto(anaLink);
    await clicks(ana.page, 'Join the session');
    await ana.page.getByLabel('I agree to the group agreement').check();
    await clicks(ana.page, 'Ask to join');
    await sees(ana.page.locator('[data-leads]').getByText('Led by Dr. Rivera and Sam Okafor'), 'both leads named on Ana’s screen');
    await admin.page.getByRole('tab', { name: /^People/ }).click();
    await admin.page.getByRole('button', { name: /Give floor to Ana/ }).click();
    await sees(ana.page.getByRole('figure', { name: 'You have the floor' }), 'Ana holding the floor Dr. Rivera gave');
    await therapist.page.getByRole('tab', { name: /^Round/ }).click();
    await therapist.page.getByLabel('Prompt').fill('How are you arriving today?');
    await clicks(therapist.page, 'Start check-in round');
    await sees(ana.page.getByText("It's your turn. Speak when you are ready."), 'the round Sam started reaching Ana');
    await ana.page.close();
  });

  step('a member reaches no facilitator page', async () => {
    const member = await openPerson(browser, 'Ana');
    for (const path of ['/facilitate', groupPath]) {
      await member.page.goto(`${server.url}${path}`);
      await sees(member.page.getByRole('heading', { name: 'Sign in' }), `the sign-in page instead of ${path}`);
      expect(await member.page.getByText('Co-led group').count()).toBe(0);
    }
    const answer = await member.page.evaluate(async () => (await fetch('/api/groups')).status);
    expect(answer).toBe(401);
  });
});
