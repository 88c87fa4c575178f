import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser, type TestBrowser } from '../support/browser.js';
import { RoomConnection } from '../../client/src/session/connection.js';
import { post } from '../support/cluster.js';
import { seatedRoom, type RoomHost, type SeatedRoom } from '../support/holdspace.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { receivesFrom, serveProbe } from '../support/probe.js';

/** This test's own network: a namespace and a veth pair on a private /24; nothing else is addressed. */
const tag = process.pid % 10_000;
const namespace = `hs-weak-${tag}`;
const hostSide = `hsw${tag}a`;
const memberSide = `hsw${tag}b`;
const subnet = `10.231.${tag % 250}`;
const hostAddress = `${subnet}.1`;
const memberAddress = `${subnet}.2`;
/** The weak member's downlink: a token bucket at 1.5 Mbit/s, then 1 packet in 400 dropped at random (0.25 %): the loss budget of 1 % is for the link, not half spent before it. */
const RATE = '1500kbit';
const DROP_ONE_IN = 400;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const tc = (...args: string[]) => execFileSync('tc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const inNamespace = (...args: string[]) => ip('netns', 'exec', namespace, ...args);

function makeNetwork(): void {
  ip('netns', 'add', namespace);
  ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', memberSide);
  ip('link', 'set', memberSide, 'netns', namespace);
  ip('addr', 'add', `${hostAddress}/24`, 'dev', hostSide);
  ip('link', 'set', hostSide, 'up');
  inNamespace('ip', 'addr', 'add', `${memberAddress}/24`, 'dev', memberSide);
  inNamespace('ip', 'link', 'set', memberSide, 'up');
  inNamespace('ip', 'link', 'set', 'lo', 'up');
  // What the host sends into the namespace is the weak member's downlink.
  tc('qdisc', 'add', 'dev', hostSide, 'root', 'handle', '1:', 'tbf', 'rate', RATE, 'burst', '16kb', 'latency', '150ms');
  // This kernel has no netem: the loss is an nftables rule inside the namespace, on what arrives.
  inNamespace('nft', 'add', 'table', 'inet', 'weak');
  inNamespace('nft', 'add', 'chain', 'inet', 'weak', 'downlink', '{ type filter hook input priority 0; }');
  inNamespace('nft', 'add', 'rule', 'inet', 'weak', 'downlink', 'iifname', memberSide, 'numgen', 'random', 'mod', String(DROP_ONE_IN), '==', '0', 'drop');
}

/** A free TCP port on this address. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, host, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function removeNetwork(): void {
  for (const undo of [() => ip('link', 'del', hostSide), () => ip('netns', 'del', namespace)]) {
    try {
      undo();
    } catch {
      // Already gone (a half-made network, or the namespace took the veth with it).
    }
  }
}

describe('a member on a weak downlink (network namespace, tc token bucket and loss)', () => {
  let server: MediaHoldspace;
  let site: { url: string; close(): Promise<void> };
  let speakersBrowser: TestBrowser;
  let weakBrowser: TestBrowser;
  let room: SeatedRoom;
  let dir: string;
  let weak: Page;
  let serverUrl: string;
  const speakers: Page[] = [];
  const connections: RoomConnection[] = [];

  beforeAll(async () => {
    removeNetwork();
    makeNetwork();
    dir = await mkdtemp(join(tmpdir(), 'holdspace-weak-'));
    const wrapper = join(dir, 'chromium-in-namespace');
    await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ${CHROMIUM} "$@"\n`);
    await chmod(wrapper, 0o755);
    site = await serveProbe(hostAddress);
    const origin = new URL(site.url).origin;
    // Pages at the test's own address are not a secure context by default: these two are.
    const secure = [`--unsafely-treat-insecure-origin-as-secure=${origin}`];
    // PUBLIC_URL is the pages' origin, so their sockets are let in; the API is reached at the listening address.
    const port = await freePort(hostAddress);
    serverUrl = `http://${hostAddress}:${port}`;
    [server, speakersBrowser, weakBrowser] = await Promise.all([
      startMediaHoldspace({ HOST: hostAddress, PORT: String(port), PUBLIC_URL: origin, MEDIA_LISTEN_IP: hostAddress }),
      launchBrowser(secure),
      launchBrowser(secure, wrapper),
    ]);
    const host: RoomHost = {
      createRoom: (title = 'Weak link group') =>
        post(serverUrl, '/api/rooms', { title, facilitatorName: 'Dr. Rivera' }, { authorization: `Bearer ${server.facilitatorKey}` }),
      join: (inviteUrl, name) => post(serverUrl, '/api/join', { invite: new URL(inviteUrl).hash.slice(1), name }),
      connect: (token) => {
        const connection = new RoomConnection(serverUrl, token, { reconnectionDelay: 50, reconnectionDelayMax: 250 });
        connections.push(connection);
        return connection;
      },
    };
    room = await seatedRoom(host, ['Ana', 'Ben', 'Cleo', 'Dan']);
    const open = async (browser: TestBrowser, token: string, devices: boolean) => {
      const { page } = await browser.participant();
      await page.goto(site.url);
      await page.evaluate(([url, t, d]) => window.probe.join(url!, t!, { audio: d === 'yes', video: d === 'yes' }), [serverUrl, token, devices ? 'yes' : 'no']);
      return page;
    };
    for (const member of room.members.slice(0, 3)) speakers.push(await open(speakersBrowser, member.token, true));
    weak = await open(weakBrowser, room.members[3]!.token, false);
    await weak.evaluate(() => window.probe.watchTiles());
    const [ana, ben, cleo] = room.members;
    // The circle as Dan's screen lays it out: Ana (who will hold the floor) large, the others small.
    await weak.setViewportSize({ width: 1600, height: 900 });
    await receivesFrom(weak, [ana!.id, ben!.id, cleo!.id], 30_000, 'Dan');
    await weak.evaluate(([a, b, c]) => {
      window.probe.sizeVideo(a!, 960);
      window.probe.sizeVideo(b!, 240);
      window.probe.sizeVideo(c!, 240);
    }, [ana!.id, ben!.id, cleo!.id]);
    expect((await room.facilitator.send({ type: 'floor.grant', to: ana!.id })).ok).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await weakBrowser?.close();
    await speakersBrowser?.close();
    for (const connection of connections) connection.close();
    await server?.stop();
    await site?.close();
    removeNetwork();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every speaker’s audio whole, the floor holder’s video decodable, and gives up the others’ video first', async () => {
    // Bandwidth estimation settles on the shaped link.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const seen = await weak.evaluate(() => window.probe.watchReception(10_000));
    console.log(`weak link (${RATE}, 1 packet in ${DROP_ONE_IN} dropped) at Dan over 10 s: ${JSON.stringify(seen)}`);
    const [ana, ben, cleo] = room.members;
    for (const speaker of [ana!, ben!, cleo!]) {
      const heard = seen[speaker.id]!;
      expect(heard.audioPackets).toBeGreaterThan(400);
      expect(heard.audioLost / (heard.audioPackets + heard.audioLost)).toBeLessThan(0.01);
      expect(heard.longestAudioGapMs).toBeLessThanOrEqual(200);
    }
    const holder = seen[ana!.id]!;
    expect(holder.frames).toBeGreaterThan(50);
    // The others' video gave way first: never more of it than of the floor holder's.
    for (const other of [ben!, cleo!]) {
      expect(seen[other.id]!.videoBytes).toBeLessThanOrEqual(holder.videoBytes);
      expect(seen[other.id]!.frameWidth).toBeLessThanOrEqual(holder.frameWidth);
    }
    const total = Object.values(seen).reduce((n, s) => n + s.videoBytes, 0);
    expect((total * 8) / 10_000).toBeLessThan(1_500);
  });
});
