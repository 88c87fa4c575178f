import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { startCaddy, startNginx, testCertificate, type RunningProxy, type TestCertificate } from '../support/proxy.js';
import { freePort } from '../support/redis-server.js';
import { hears, openPerson, sees, seesVideoOf, type Person } from '../support/room-people.js';
import { waitFor } from '../support/media.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NAME = 'holdspace.test';
/** The browser finds holdspace.test here, where only the proxy listens. */
const PROXY_ADDRESS = '127.0.0.2';
/** Holdspace itself listens here: the browser has no name for it. */
const HOLDSPACE_ADDRESS = '127.0.0.3';

/** A Socket.IO WebSocket the proxy upgraded, in each proxy's access log format (Caddy logs a hijacked connection as status 0, with the upgrade's answer). */
const upgrades: Record<'caddy' | 'nginx', RegExp> = {
  caddy: /"uri":"\/socket\.io\/\?[^"]*transport=websocket[^"]*"[^\n]*"Sec-Websocket-Accept"/g,
  nginx: /"GET \/socket\.io\/\?\S*transport=websocket\S* HTTP\/1\.1" 101 /g,
};

/**
 * A session at https://holdspace.test reached only through Debian's Caddy or nginx, configured
 * from deploy/, with a certificate from a test CA: pre-join gets camera and microphone (a secure
 * context at a real-looking name), the session runs, and its WebSockets pass the proxy.
 */
describe.each(['caddy', 'nginx'] as const)('a session through %s over HTTPS', (kind) => {
  let certificate: TestCertificate;
  let server: MediaHoldspace;
  let proxy: RunningProxy;
  let browser: TestBrowser;
  let origin: string;
  let invite = '';
  const people: Person[] = [];

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    certificate = await testCertificate(NAME);
    const [port, holdspacePort] = [await freePort(), await freePort()];
    origin = `https://${NAME}:${port}`;
    server = await startMediaHoldspace({ HOST: HOLDSPACE_ADDRESS, PORT: String(holdspacePort), PUBLIC_URL: origin });
    const target = { address: PROXY_ADDRESS, port, name: NAME, certificate, upstream: `${HOLDSPACE_ADDRESS}:${holdspacePort}` };
    proxy = kind === 'caddy' ? await startCaddy(target) : await startNginx(target, await freePort());
    browser = await launchBrowser([`--host-resolver-rules=MAP ${NAME} ${PROXY_ADDRESS}`, `--ignore-certificate-errors-spki-list=${certificate.spki}`]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await server?.stop();
    if (certificate) await rm(certificate.dir, { recursive: true, force: true });
  });

  it('lets the facilitator create a room at the public address and open it', async () => {
    const facilitator = await openPerson(browser, 'Dr. Rivera');
    people.push(facilitator);
    const { page } = facilitator;
    await page.goto(`${origin}/facilitate#key=${encodeURIComponent(server.facilitatorKey)}`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await sees(page.getByRole('heading', { name: 'Your groups and rooms' }), 'the facilitator console');
    await page.getByLabel('Group name').fill('Evening group');
    await page.getByLabel('Your name as members will see it').fill('Dr. Rivera');
    await page.getByRole('button', { name: 'Create room' }).click();
    invite = await (await sees(page.locator('[data-invite-link]'), 'the invite link')).inputValue();
    // Invites name the address people use (PUBLIC_URL), not the one Holdspace listens on.
    expect(invite.startsWith(`${origin}/join#`)).toBe(true);
    await page.getByRole('button', { name: /Enter room/ }).click();
    await sees(page.getByRole('heading', { name: /Get ready to facilitate/ }), 'the facilitator pre-join');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await sees(page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');
  });

  it('gives members camera and microphone in pre-join, and lets them in', async () => {
    for (const name of ['Ana', 'Ben']) {
      const member = await openPerson(browser, name);
      people.push(member);
      const { page } = member;
      await page.goto(invite);
      await sees(page.getByRole('heading', { name: 'Joining Evening group' }), `${name}'s pre-join screen`);
      await sees(page.locator('.preview video'), `${name}'s camera preview`);
      await sees(page.getByText('We can hear you.'), `${name}'s level meter hearing the microphone`);
      await page.getByLabel('Your name in the group').fill(name);
      await page.getByLabel('I agree to the group agreement').check();
      await page.getByRole('button', { name: 'Ask to join' }).click();
      await sees(page.getByRole('heading', { name: "You're in the waiting room" }), `${name} in the waiting room`);
    }
    const [facilitator, ...members] = people as [Person, ...Person[]];
    for (const member of members) await facilitator.page.getByRole('button', { name: `Admit ${member.name}` }).click();
    for (const person of people) {
      await sees(person.page.getByRole('heading', { name: 'The circle, 3 seats' }), `${person.name}'s circle`);
      person.id = (await (await sees(person.page.locator('article.seat--me'), `${person.name}'s own tile`)).getAttribute('data-seat'))!;
    }
  });

  it('carries the session: everyone sees and hears the others', async () => {
    for (const person of people) {
      const others = people.filter((other) => other !== person);
      await seesVideoOf(person, others);
      await hears(person, others);
    }
  });

  it('passed every WebSocket through the proxy', async () => {
    for (const person of people) await person.page.context().close();
    // A proxy logs an upgraded connection once it closes.
    const count = () => proxy.accessLog().match(upgrades[kind])?.length ?? 0;
    const seen = await waitFor(() => (count() >= people.length ? count() : 0), 10_000, `WebSocket upgrades in ${kind}'s access log`).catch((error: Error) => {
      throw new Error(`${error.message}\n${proxy.accessLog().slice(-2000)}`);
    });
    expect(seen).toBeGreaterThanOrEqual(people.length);
  });
});
