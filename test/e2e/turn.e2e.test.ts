import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICE_POLICY_KEY } from '../../client/src/media/media-link.js';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startCoturn, type RunningCoturn } from '../support/coturn.js';
import { until } from '../support/holdspace.js';
import { testCertificate, type TestCertificate } from '../support/proxy.js';
import { startMediaHoldspace, waitFor, type MediaHoldspace } from '../support/media.js';
import { probeSummary, receivesFrom, serveProbe } from '../support/probe.js';

interface Person {
  name: string;
  id: string;
  page: Page;
}

const SECRET = 'a-turn-secret-shared-with-coturn';
/** TURN over TLS needs a name its certificate is for; Chromium resolves it to loopback. */
const TURN_NAME = 'turn.holdspace.test';

/**
 * Members whose browsers may use only TURN (iceTransportPolicy 'relay', the media link's
 * diagnostics switch) reach each other through Debian's coturn, configured from deploy/.
 */
describe('audio and video relayed through a real coturn', () => {
  let coturn: RunningCoturn;
  let certificate: TestCertificate;
  let browser: TestBrowser;
  let site: { url: string; close(): Promise<void> };
  const servers: MediaHoldspace[] = [];

  /** A facilitator and these members in a room of a Holdspace handing out `turnUrls`, each in a relay-only browser. */
  async function group(turnUrls: string, names: string[]): Promise<{ facilitator: RoomConnection; people: Person[] }> {
    const server = await startMediaHoldspace({ TURN_URLS: turnUrls, TURN_SECRET: SECRET });
    servers.push(server);
    const room = await server.createRoom('Relayed group');
    const facilitator = server.connect(room.token);
    const facilitatorId = (await until(facilitator, (s) => s.self !== null)).self!.you.id;
    const tokens = [{ name: 'Facilitator', id: facilitatorId, token: room.token }];
    for (const name of names) {
      const joined = await server.join(room.inviteUrl, name);
      expect((await facilitator.send({ type: 'admit', memberId: joined.memberId })).ok).toBe(true);
      tokens.push({ name, id: joined.memberId, token: joined.token });
    }
    const people: Person[] = [];
    for (const { name, id, token } of tokens) {
      const { page } = await browser.participant();
      await page.addInitScript((key) => localStorage.setItem(key, 'relay'), ICE_POLICY_KEY);
      await page.goto(site.url);
      await page.evaluate(([url, t]) => window.probe.join(url!, t!, { audio: true, video: true }), [server.url, token]);
      people.push({ name, id, page });
    }
    return { facilitator, people };
  }

  const receivesEveryone = async (people: Person[]) => {
    for (const person of people) {
      const others = people.filter((p) => p !== person).map((p) => p.id);
      await receivesFrom(person.page, others, 30_000, person.name).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${person.name}: ${JSON.stringify(await probeSummary(person.page))}\ncoturn:\n${coturn.log().slice(-3000)}`);
      });
    }
  };

  const paths = (person: Person) => person.page.evaluate(() => window.probe.paths());

  beforeAll(async () => {
    certificate = await testCertificate(TURN_NAME);
    const flags = [`--host-resolver-rules=MAP ${TURN_NAME} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${certificate.spki}`];
    [coturn, site, browser] = await Promise.all([startCoturn(SECRET, { tls: { name: TURN_NAME, cert: certificate.cert, key: certificate.key } }), serveProbe(), launchBrowser(flags)]);
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.stop();
    await site?.close();
    await coturn?.stop();
    if (certificate) await rm(certificate.dir, { recursive: true, force: true });
  });

  let udp: { facilitator: RoomConnection; people: Person[] };

  it('lets members see and hear each other with TURN over UDP as the only path', async () => {
    udp = await group(coturn.urls.udp, ['Ana', 'Ben']);
    await receivesEveryone(udp.people);
    for (const person of udp.people) {
      const used = await paths(person);
      expect(used.length, `${person.name}'s transports`).toBeGreaterThanOrEqual(2);
      for (const path of used) expect(path, person.name).toMatchObject({ candidateType: 'relay', relayProtocol: 'udp' });
    }
    // Each browser's send and receive transports hold an allocation of their own.
    expect(coturn.allocations()).toBeGreaterThanOrEqual(6);
  });

  it('still silences everyone but the stick holder when media is relayed', async () => {
    const [facilitator, ana, ben] = udp.people as [Person, Person, Person];
    expect((await udp.facilitator.send({ type: 'floor.mode', mode: 'stick' })).ok).toBe(true);
    expect((await udp.facilitator.send({ type: 'floor.grant', to: ana.id })).ok).toBe(true);
    for (const listener of [facilitator, ana]) {
      expect(await listener.page.evaluate(([id]) => window.probe.silenceAfter(id!, 1_000, 8_000), [ben.id]), `${listener.name} hearing Ben`).not.toBeNull();
    }
    for (const listener of [facilitator, ben]) {
      expect(await listener.page.evaluate(([id]) => window.probe.audioFlowing(id!, 1_000), [ana.id]), `${listener.name} hearing Ana`).toBe(true);
    }
    await waitFor(async () => (await probeSummary(ben.page))?.silencedBy === 'NO_STICK', 3_000, 'Ben told why he is silent');
    expect(await ben.page.evaluate(() => window.probe.setMic(false))).toEqual({ ok: true });
    expect(await ben.page.evaluate(() => window.probe.setMic(true))).toMatchObject({ ok: false, code: 'FLOOR_NOT_ALLOWED' });
  });

  it('carries media over TURN on TCP when that is the only relay handed out', async () => {
    const before = coturn.allocations();
    const tcp = await group(coturn.urls.tcp, ['Cleo']);
    await receivesEveryone(tcp.people);
    for (const person of tcp.people) {
      for (const path of await paths(person)) expect(path, person.name).toMatchObject({ candidateType: 'relay', relayProtocol: 'tcp' });
    }
    expect(coturn.allocations() - before).toBeGreaterThanOrEqual(4);
  });

  it('carries media over TURN on TLS (turns:) when that is the only relay handed out', async () => {
    const before = coturn.allocations();
    const tls = await group(coturn.urls.tls!, ['Dee']);
    await receivesEveryone(tls.people);
    for (const person of tls.people) {
      for (const path of await paths(person)) expect(path, person.name).toMatchObject({ candidateType: 'relay', relayProtocol: 'tls' });
    }
    expect(coturn.allocations() - before).toBeGreaterThanOrEqual(4);
  });
});
