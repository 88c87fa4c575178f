import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId, type RoomConnection } from '../../client/src/session/connection.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import { ask, handshake } from './support/handshake.js';
import { startHoldspaceProcess, type HoldspaceProcess } from './support/holdspace-process.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';

/**
 * One member floods at a thousand events a second. The issue asks for a minute; on two cores, with the
 * other suites running beside it, the flood runs 24 s in three 8 s bursts between quiet spells, and the
 * quiet spells are the baseline: whatever else loads the machine weighs on both alike.
 */
const PHASES: ('quiet' | 'flood')[] = ['quiet', 'flood', 'quiet', 'flood', 'quiet', 'flood', 'quiet'];
const PHASE_MS = { quiet: 4_000, flood: 8_000 };
const SAMPLE_EVERY_MS = 200;

interface FloodFigures {
  sent: number;
  answered: number;
  accepted: number;
  rateLimited: number;
  otherRefusals: number;
  cut: number;
  connects: number;
  handshakeRefused: Record<string, number>;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

describe('a member flooding the room', () => {
  let server: HoldspaceProcess;
  let room: SeatedRoom;
  let flooder: ChildProcess;

  beforeAll(async () => {
    // Production limits: 10 events a second per socket, bursts of 30, 30 handshakes a minute per address.
    server = await startHoldspaceProcess({ exposeGc: true, env: { LOG_LEVEL: 'warn' } });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Cleo', 'Dan', 'Mallory']);
    expect(await room.facilitator.send({ type: 'floor.mode', mode: 'queue' })).toMatchObject({ ok: true });
    flooder = fork(fileURLToPath(new URL('./support/flood-process.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FLOOD_URL: server.url, FLOOD_TOKEN: room.members[4]!.token, FLOOD_RATE: '1000' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise((resolve) => flooder.once('message', resolve));
  }, 60_000);

  afterAll(async () => {
    flooder?.send({ kind: 'quit' });
    await server?.stop();
  });

  it('is limited, while the others keep their pace and the server its memory', { timeout: 90_000 }, async () => {
    const members: RoomConnection[] = [room.facilitator, ...room.members.slice(0, 4).map((m) => m.connection)];
    const cleo = room.members[2]!;
    const latencies = { quiet: [] as number[], flood: [] as number[] };
    let muted = false;
    /** A control event: the facilitator's command, until every other member holds the new version. */
    const sample = async (phase: 'quiet' | 'flood') => {
      muted = !muted;
      const at = performance.now();
      const ack = await room.facilitator.send({ type: 'member.mute', memberId: cleo.id, muted });
      if (!ack.ok) throw new Error(`control command refused: ${ack.code}`);
      await Promise.all(members.map((c) => until(c, (s) => (s.group?.version ?? 0) >= ack.version, 10_000)));
      latencies[phase].push(performance.now() - at);
    };

    // Warm up both sides before anything is measured.
    for (let i = 0; i < 10; i++) await sample('quiet');
    latencies.quiet.length = 0;
    const heapAtStart = await server.heap();
    const heaps: { phase: string; heapUsed: number }[] = [];

    for (const phase of PHASES) {
      flooder.send({ kind: phase === 'flood' ? 'start' : 'stop' });
      const until = Date.now() + PHASE_MS[phase];
      while (Date.now() < until) {
        await sample(phase);
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      }
      heaps.push({ phase, heapUsed: (await server.heap()).heapUsed });
    }
    flooder.send({ kind: 'stop' });
    const figures = await new Promise<FloodFigures>((resolve) => {
      flooder.once('message', (message: { figures: FloodFigures }) => resolve(message.figures));
      flooder.send({ kind: 'figures' });
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const heapAtEnd = await server.heap();

    // A member on the same address who drops now must still get back in.
    const dan = room.members[3]!;
    dan.connection.socket.disconnect();
    dan.connection.socket.connect();
    const back = await until(dan.connection, (s) => s.status === 'online' || s.status === 'closed', 10_000).catch(() => null);

    const floodSeconds = (PHASES.filter((p) => p === 'flood').length * PHASE_MS.flood) / 1000;
    const quietMedian = percentile(latencies.quiet, 0.5);
    const floodMedian = percentile(latencies.flood, 0.5);
    const peakHeap = Math.max(...heaps.map((h) => h.heapUsed));
    console.log(
      `flood: ${figures.sent} events in ${floodSeconds} s of flooding (${Math.round(figures.sent / floodSeconds)}/s); answered ${figures.answered}: ` +
        `${figures.accepted} accepted (${((figures.accepted / Math.max(1, figures.sent)) * 100).toFixed(1)}%), ${figures.rateLimited} RATE_LIMITED, ${figures.otherRefusals} other refusals; ` +
        `cut off ${figures.cut} times, ${figures.connects} connections, handshakes refused ${JSON.stringify(figures.handshakeRefused)}. ` +
        `Control latency quiet p50 ${quietMedian.toFixed(1)} ms / p90 ${percentile(latencies.quiet, 0.9).toFixed(1)} ms (${latencies.quiet.length} samples), ` +
        `flooded p50 ${floodMedian.toFixed(1)} ms / p90 ${percentile(latencies.flood, 0.9).toFixed(1)} ms (${latencies.flood.length} samples), ratio ${(floodMedian / quietMedian).toFixed(2)}. ` +
        `Server heap after GC: start ${mb(heapAtStart.heapUsed)} MB, peak ${mb(peakHeap)} MB, end ${mb(heapAtEnd.heapUsed)} MB (rss ${mb(heapAtEnd.rss)} MB). ` +
        `A member dropping afterwards: ${back?.status ?? 'not back in 10 s'}${back?.farewell ? ` (${back.farewell.code})` : ''}.`,
    );

    expect(figures.sent).toBeGreaterThan(floodSeconds * 500);
    expect(figures.rateLimited).toBeGreaterThan(0);
    expect(figures.cut).toBeGreaterThan(0);
    // Past the first burst of each connection, a flooder gets through a small fraction of what it sends.
    expect(figures.accepted / figures.sent).toBeLessThan(0.1);
    expect(floodMedian).toBeLessThanOrEqual(2 * quietMedian);
    expect(peakHeap - heapAtStart.heapUsed).toBeLessThan(32 * 1_048_576);
    expect(heapAtEnd.heapUsed - heapAtStart.heapUsed).toBeLessThan(8 * 1_048_576);
    expect(back?.status).toBe('online');
    expect(server.faults).toEqual([]);
  });
});

describe('one token, one address: many sockets, junk entries and key guessing', () => {
  let server: HoldspaceProcess;
  let room: SeatedRoom;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    // Production limits: 30 entries a minute per address, 10 events a second per socket.
    server = await startHoldspaceProcess({ env: { LOG_LEVEL: 'warn' } });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Mallory']);
  }, 60_000);
  afterAll(async () => server?.stop());

  it('caps the sockets one member opens, and their events together, not only per socket', { timeout: 60_000 }, async () => {
    const mallory = room.members[2]!;
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => handshake(server.url, { protocol: PROTOCOL_VERSION, token: mallory.token })));
    const sockets = outcomes.flatMap((o) => ('connected' in o ? [o.connected] : []));
    const refused = outcomes.flatMap((o) => ('refused' in o ? [o.refused] : []));
    let accepted = 0;
    let limited = 0;
    const sends: Promise<void>[] = [];
    for (const socket of sockets) {
      for (let i = 0; i < 100; i++) {
        sends.push(
          ask(socket, 'command', { id: commandId(), type: i % 2 ? 'hand.lower' : 'hand.raise' }).then((answer) => {
            if ((answer as { ok?: boolean }).ok) accepted++;
            else if ((answer as { code?: string }).code === 'RATE_LIMITED') limited++;
          }),
        );
      }
    }
    await Promise.all(sends);
    console.log(`one token, 30 handshakes: ${sockets.length} sockets open, refused ${JSON.stringify(countOf(refused))}; ${sockets.length * 100} commands sent at once, ${accepted} accepted, ${limited} RATE_LIMITED`);
    for (const socket of sockets) socket.close();
    // The member's own tab is still in, and a second tab fits.
    expect(sockets.length).toBe(3);
    // Past the cap, refused as too many; past 30 handshakes a minute, as too many attempts.
    expect(refused).toContain('TOO_MANY_CONNECTIONS');
    expect(refused.filter((code) => code !== 'TOO_MANY_CONNECTIONS' && code !== 'RATE_LIMITED')).toEqual([]);
    // Three sockets may each spend a burst of 30, but the member has 60 between them.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(60);
    await until(mallory.connection, (s) => s.status === 'online');
  });

  it('lets a valid member reconnect and a new member join from an address sending junk', { timeout: 60_000 }, async () => {
    const junk = { inspect: [] as number[], join: [] as number[], handshake: [] as string[] };
    for (let i = 0; i < 60; i++) {
      junk.inspect.push((await post('/api/invites/inspect', { invite: `junk-${i}` })).status);
      junk.join.push((await post('/api/join', { invite: `junk-${i}`, name: 'Junk' })).status);
      const attempt = await handshake(server.url, { protocol: PROTOCOL_VERSION, token: `junk-${i}` });
      junk.handshake.push('refused' in attempt ? attempt.refused : 'connected');
    }
    console.log(`junk from one address: inspect ${JSON.stringify(countOf(junk.inspect))}, join ${JSON.stringify(countOf(junk.join))}, handshake ${JSON.stringify(countOf(junk.handshake))}`);
    expect(junk.inspect).toContain(429);
    expect(junk.handshake).toContain('RATE_LIMITED');
    expect(junk.handshake).not.toContain('connected');

    const ben = room.members[1]!;
    ben.connection.socket.disconnect();
    ben.connection.socket.connect();
    expect((await until(ben.connection, (s) => s.status === 'online' || s.status === 'closed', 10_000)).status).toBe('online');
    const reopened = await handshake(server.url, { protocol: PROTOCOL_VERSION, token: room.facilitatorToken });
    expect(reopened).toHaveProperty('connected');
    if ('connected' in reopened) reopened.connected.close();
    const invite = new URL(room.inviteUrl).hash.slice(1);
    expect((await post('/api/invites/inspect', { invite })).status).toBe(200);
    const joined = await post('/api/join', { invite, name: 'Cleo' });
    expect(joined.status).toBe(201);
    const cleo = server.connect(((await joined.json()) as { token: string }).token);
    await until(cleo, (s) => s.self !== null && s.status === 'online', 10_000);
  });

  it('limits and logs a run of guessed facilitator keys, without logging the keys', { timeout: 60_000 }, async () => {
    const guesses = Array.from({ length: 300 }, () => randomBytes(24).toString('base64url'));
    const statuses: number[] = [];
    for (const guess of guesses) {
      const answer = await fetch(`${server.url}/api/rooms`, { headers: { authorization: `Bearer ${guess}` } });
      statuses.push(answer.status);
      await answer.body?.cancel();
    }
    const counts = countOf(statuses);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.includes('facilitator key'));
    console.log(`key guessing: ${guesses.length} wrong keys answered ${JSON.stringify(counts)}; ${lines.length} log lines, e.g. ${lines.at(-1)}`);
    expect(counts[401]).toBeGreaterThan(0);
    expect(counts[401]).toBeLessThanOrEqual(30);
    expect(counts[429]).toBe(guesses.length - counts[401]!);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(counts[401]! + 5);
    expect(lines.some((line) => line.includes('127.0.0.1'))).toBe(true);
    const logs = server.stdout();
    expect(guesses.filter((guess) => logs.includes(guess))).toEqual([]);
    expect(logs).not.toContain(server.facilitatorKey);
  });
});

function countOf<T extends string | number>(values: T[]): Record<T, number> {
  const counts = {} as Record<T, number>;
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
