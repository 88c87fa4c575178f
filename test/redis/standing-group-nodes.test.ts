import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomConnection } from '../../client/src/session/connection.js';
import type { FacilitatorView } from '../../shared/session/projection.js';
import { clusterSecrets, startNodes, type NodeProcess } from '../support/cluster.js';
import { groupClient, recordFrames } from '../support/group-session.js';
import { until } from '../support/holdspace.js';
import { firstAdmin } from '../support/passkey.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

/**
 * The standing group's flow on PostgreSQL + Redis with two server processes: the group is run
 * through one node and its members come in through the other; a node restarts between sessions.
 */
describe('a standing group on two nodes, PostgreSQL and Redis', () => {
  let postgres: RunningPostgres;
  let redis: RunningRedis;
  let a: NodeProcess;
  let b: NodeProcess;
  const connections: RoomConnection[] = [];
  // The facilitator's sign-in cookie, sent on every socket as a browser would.
  let signedIn: Record<string, string> = {};
  const connect = (node: NodeProcess, token: string) => {
    const connection = new RoomConnection(node.url, token, { reconnectionDelay: 50, reconnectionDelayMax: 200, extraHeaders: signedIn });
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    redis = await startRedis();
    // One records key for every node: a value sealed by one opens on the other.
    const env = { RECORDS_ENABLED: 'true', DATABASE_URL: postgres.url, DATA_KEY: randomBytes(32).toString('hex') };
    [a, b] = (await startNodes(redis.url, ['node-a', 'node-b'], env)) as [NodeProcess, NodeProcess];
  }, 120_000);
  afterAll(async () => {
    connections.forEach((connection) => connection.close());
    await Promise.all([a?.destroy(), b?.destroy()]);
    await redis?.destroy();
    await postgres?.destroy();
  });

  it('session 1 recorded across nodes; session 2 after a restart shows it; a revoked link ends on the other node', { timeout: 120_000 }, async () => {
    // One sign-in, kept in the shared PostgreSQL, is good on every node.
    const admin = await firstAdmin(a.url.replace('127.0.0.1', 'localhost'), clusterSecrets.FACILITATOR_KEY);
    signedIn = admin.headers;
    const viaA = groupClient(() => a.url, admin);
    const viaB = groupClient(() => b.url, admin);
    const group = await viaA.createGroup();
    const ana = await viaA.addMember(group.id, 'Ana', 'Marta (sister), +49 30 1234567');
    const ben = await viaA.addMember(group.id, 'Ben');
    const chloe = await viaA.addMember(group.id, 'Chloe');

    // Session 1 opens on A; the members enter through B.
    const first = await viaA.startSession(group.id);
    const facilitator = connect(a, first.token);
    const room = new Map<string, RoomConnection>();
    const frames: string[][] = [];
    for (const member of [ana, ben, chloe]) {
      const entered = await viaB.enter(member.link);
      expect(entered.memberId).toBe(member.id);
      const connection = connect(b, entered.token);
      frames.push(recordFrames(connection));
      room.set(member.name, connection);
    }
    await until(facilitator, (s) => s.group?.seats.length === 4 && s.group.seats.every((seat) => seat.presence === 'online'), 15_000);
    expect(await room.get('Ana')!.send({ type: 'location.confirm', location: 'at home in Leipzig' })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'round.start', round: { prompt: 'How do you arrive?', order: 'seats', moodScale: true } })).toMatchObject({ ok: true });
    for (const [name, rating] of [['Ana', 7], ['Ben', 4], ['Chloe', 6]] as const) {
      expect(await room.get(name)!.send({ type: 'round.rate', rating })).toMatchObject({ ok: true });
      expect(await room.get(name)!.send({ type: 'turn.done' })).toMatchObject({ ok: true });
    }
    expect((await viaB.memberCall('/goals', { link: ana.link, text: 'Say no without apologising', visibleToGroup: true })).status).toBe(201);
    await until(facilitator, (s) => (s.self as FacilitatorView).group?.members[0]?.goals.length === 1);
    await viaA.ok('POST', `/groups/${group.id}/notes`, { text: 'Ana spoke about her mother', session: 1, memberId: ana.id });

    // Ana needs a moment and drops: the facilitator on A sees where she is and whom to call.
    expect(await room.get('Ana')!.send({ type: 'moment.need', tellGroup: false })).toMatchObject({ ok: true });
    room.get('Ana')!.close();
    const alert = await until(facilitator, (s) => (s.self as FacilitatorView).alerts[0]?.dropped != null, 10_000);
    expect((alert.self as FacilitatorView).alerts[0]!.dropped).toEqual({ location: 'at home in Leipzig', emergencyContact: 'Marta (sister), +49 30 1234567' });
    for (const seen of frames) expect(seen.join('\n')).not.toContain('Marta');

    expect(await facilitator.send({ type: 'session.end' })).toMatchObject({ ok: true });
    await expect.poll(async () => ((await viaB.ok('GET', `/groups/${group.id}/sessions`)).sessions as { endedAt: string | null }[])[0]!.endedAt !== null, { timeout: 10_000 }).toBe(true);

    // A restarts; session 2 opens on B, members come through A.
    connections.splice(0).forEach((connection) => connection.close());
    await a.stop('SIGTERM');
    await a.start();
    const second = await viaB.startSession(group.id);
    expect(second.number).toBe(2);
    const facilitator2 = connect(b, second.token);
    const anaNew = connect(a, (await viaA.enter(ana.link)).token);
    const benAgain = connect(a, (await viaA.enter(ben.link)).token);
    await until(facilitator2, (s) => s.group?.seats.length === 3 && s.group.seats.every((seat) => seat.presence === 'online'), 15_000);
    expect(anaNew.snapshot.self ?? (await until(anaNew, (s) => s.self !== null)).self).toMatchObject({ you: { id: ana.id, name: 'Ana' } });
    const byName = Object.fromEntries((facilitator2.snapshot.self as FacilitatorView).group!.members.map((m) => [m.name, m]));
    expect(byName.Ana).toMatchObject({ ratings: [{ session: 1, rating: 7 }], lastAttendance: 'present', goals: [{ text: 'Say no without apologising' }] });
    expect(byName.Ben).toMatchObject({ ratings: [{ session: 1, rating: 4 }], lastAttendance: 'present' });

    // Revoked through A while Ben's socket is open on A, his room running on B.
    await viaA.ok('DELETE', `/groups/${group.id}/members/${ben.id}/link`);
    await until(benAgain, (s) => s.farewell?.code === 'REMOVED', 10_000);
    expect(await viaB.memberCall('/session', { link: ben.link })).toMatchObject({ status: 401, json: { code: 'MEMBER_LINK_INVALID' } });

    const exported = (await viaB.ok('GET', `/groups/${group.id}/sessions/1/export?format=json`)) as Record<string, any>;
    expect(exported.ratings).toEqual(expect.arrayContaining([{ name: 'Ana', rating: 7 }, { name: 'Ben', rating: 4 }, { name: 'Chloe', rating: 6 }]));
    expect(exported.locations).toEqual([{ name: 'Ana', location: 'at home in Leipzig' }]);
    expect(exported.notes).toEqual([expect.objectContaining({ text: 'Ana spoke about her mother' })]);
    // Written by whichever node ran the room; the database dump holds none of the content in the clear.
    const dump = postgres.dump();
    for (const secret of ['Leipzig', 'her mother', 'Say no without', 'Marta']) expect(dump).not.toContain(secret);
  });
});
