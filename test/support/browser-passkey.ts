import type { Page } from 'playwright-core';
import { sees } from './room-people.js';

/** A platform authenticator in this page's browser (DevTools' WebAuthn domain): passkeys with user verification, answered at once. */
export async function addVirtualAuthenticator(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return authenticatorId;
}

/** The break-glass route: the facilitator key makes an administrator's setup link (as an operator would with curl). */
export async function setupLink(url: string, facilitatorKey: string): Promise<string> {
  const response = await fetch(`${url}/api/accounts/setup-link`, { method: 'POST', headers: { authorization: `Bearer ${facilitatorKey}` } });
  if (response.status !== 201) throw new Error(`setup link refused: ${response.status}`);
  return ((await response.json()) as { link: string }).link;
}

/** Open a setup or invitation link, register under `name` with the page's authenticator, keep the recovery codes: the console shows. */
export async function registerInBrowser(page: Page, link: string, name: string): Promise<string[]> {
  await page.goto(link);
  await page.getByLabel('Your name as members and colleagues see it').fill(name);
  await page.getByRole('button', { name: 'Create a passkey and continue' }).click();
  const codes = await sees(page.locator('[data-recovery-codes] code'), 'the recovery codes');
  const shown = await codes.locator('xpath=ancestor::ul').locator('code').allTextContents();
  await page.getByRole('button', { name: 'I have kept them: continue' }).click();
  await sees(page.getByText(`Signed in as ${name}`), `${name} signed in on the console`);
  return shown;
}

/** On the console's sign-in page: sign in with the page's passkey. */
export async function signInInBrowser(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await sees(page.getByText(`Signed in as ${name}`), `${name} signed in on the console`);
}
