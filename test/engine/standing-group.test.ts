import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { RoomConnection } from '../../client/src/session/connection.js';
import type { FacilitatorView, MemberView } from '../../shared/session/projection.js';
import { createHoldspace, type Holdspace } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { groupClient, recordFrames } from '../support/group-session.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';
import { openTestRecords, type TestRecords } from '../support/records.js';
import { firstAdmin } from '../support/passkey.js';

/**
 * A standing group meets twice in the live room, with a restart between the sessions: records on
 * PGlite under DATA_DIR, real Socket.IO clients, no browser. Each member comes back through the
 * same personal link as the same participant; the facilitator sees last week at check-in.
 */
describe('a standing group across two sessions and a restart', () => {
  let dataDir: string;
  let server: Holdspace | null = null;
  const connections: RoomConnection[] = [];
  // The facilitator's browser's sign-in cookie, sent on every socket as a browser would.
  let signedIn: Record<string, string> = {};
  const start = async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ENTRY_PER_MINUTE: '10000', RECORDS_ENABLED: 'true' });
    server = await createHoldspace(config, { logger: pino({ level: 'silent' }) });
    await server.listen();
    return server;
  };
  const connect = (token: string) => {
    const connection = new RoomConnection(server!.url(), token, { reconnectionDelay: 50, reconnectionDelayMax: 200, extraHeaders: signedIn });
    connections.push(connection);
    return connection;
  };
  afterAll(async () => {
    connections.forEach((connection) => connection.close());
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('session 1 is recorded; after a restart session 2 knows it, links bring the same members back, a revoked link ends at once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'holdspace-group-'));
    await start();
    const admin = await firstAdmin(server!.url(), server!.secrets.facilitatorKey);
    signedIn = admin.headers;
    const api = groupClient(() => server!.url(), admin);
    const group = await api.createGroup();
    const ana = await api.addMember(group.id, 'Ana', 'Marta (sister), +49 30 1234567');
    const ben = await api.addMember(group.id, 'Ben');
    const chloe = await api.addMember(group.id, 'Chloe', 'Dr. Okafor, +49 30 7654321');

    // Before the session: the link works, the room does not exist yet.
    const early = await api.memberCall('/session', { link: ana.link });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ code: 'NO_SESSION_RUNNING' });
    expect(typeof early.json!.nextSessionAt).toBe('string');

    // Session 1.
    const first = await api.startSession(group.id);
    expect(first.number).toBe(1);
    const facilitator = connect(first.token);
    const frames = new Map<string, string[]>();
    const members = new Map<string, RoomConnection>();
    for (const member of [ana, ben, chloe]) {
      const entered = await api.enter(member.link);
      expect(entered).toMatchObject({ roomId: first.roomId, memberId: member.id, number: 1 });
      const connection = connect(entered.token);
      frames.set(member.name, recordFrames(connection));
      members.set(member.name, connection);
    }
    const everyone = [facilitator, ...members.values()];
    // Roster members sit at once, in roster order, without a waiting room.
    for (const connection of everyone) {
      await until(connection, (s) => s.group?.seats.length === 4 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);
    }
    expect(facilitator.snapshot.group!.seats.map((seat) => seat.id).slice(1)).toEqual([ana.id, ben.id, chloe.id]);
    expect(facilitator.snapshot.group!.groupSession).toEqual({ number: 1, agreement: 'What is said here stays here.', sharedGoals: [] });
    expect((facilitator.snapshot.self as FacilitatorView).waiting).toEqual([]);

    // Check-in: locations, ratings.
    const anaRoom = members.get('Ana')!;
    const benRoom = members.get('Ben')!;
    const chloeRoom = members.get('Chloe')!;
    expect(await anaRoom.send({ type: 'location.confirm', location: 'at home in Leipzig' })).toMatchObject({ ok: true });
    expect(await chloeRoom.send({ type: 'location.confirm', location: 'in my car outside work' })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'location.confirm', location: 'the office' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await facilitator.send({ type: 'round.start', round: { prompt: 'How do you arrive since the last meeting?', order: 'seats', moodScale: true } })).toMatchObject({ ok: true });
    for (const [connection, rating] of [[anaRoom, 7], [benRoom, 4], [chloeRoom, 6]] as const) {
      expect(await connection.send({ type: 'round.rate', rating })).toMatchObject({ ok: true });
      expect(await connection.send({ type: 'turn.done' })).toMatchObject({ ok: true });
    }
    const panel = await until(facilitator, (s) => (s.self as FacilitatorView).group?.members.every((m) => m.arrived !== null) ?? false);
    expect((panel.self as FacilitatorView).group!.members.map((m) => [m.name, m.location, m.arrived])).toEqual([
      ['Ana', 'at home in Leipzig', 'on-time'],
      ['Ben', null, 'on-time'],
      ['Chloe', 'in my car outside work', 'on-time'],
    ]);

    // A member writes a goal the group may see; another one only for themselves and the facilitator.
    expect((await api.memberCall('/goals', { link: ana.link, text: 'Say no without apologising', visibleToGroup: true })).status).toBe(201);
    expect((await api.memberCall('/goals', { link: ben.link, text: 'Sleep before midnight', visibleToGroup: false })).status).toBe(201);
    await until(facilitator, (s) => (s.self as FacilitatorView).group!.members.filter((m) => m.goals.length > 0).length === 2);
    await until(anaRoom, (s) => s.group?.groupSession?.sharedGoals.length === 1 && (s.self as MemberView).group?.goals.length === 1);
    expect(anaRoom.snapshot.group!.groupSession!.sharedGoals).toEqual([{ memberId: ana.id, goalId: expect.any(String), text: 'Say no without apologising' }]);
    await until(benRoom, (s) => (s.self as MemberView).group?.goals[0]?.text === 'Sleep before midnight');

    // The facilitator's note, and anonymous feedback released to the group.
    await api.ok('POST', `/groups/${group.id}/notes`, { text: 'Ana spoke about her mother for the first time', session: 1, memberId: ana.id });
    expect(await facilitator.send({ type: 'feedback.open', question: 'What did you notice today?', answer: 'text', audience: 'group', k: 3 })).toMatchObject({ ok: true });
    const promptId = facilitator.snapshot.group?.feedback.open?.id ?? (await until(facilitator, (s) => s.group?.feedback.open !== null)).group!.feedback.open!.id;
    const answers = { Ana: 'warmth in the room', Ben: 'more laughter than last time', Chloe: 'I felt heard' } as const;
    for (const [name, text] of Object.entries(answers)) expect(await members.get(name)!.send({ type: 'feedback.submit', promptId, text })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'feedback.close' })).toMatchObject({ ok: true });

    // Safety: Chloe needs a moment, then her connection drops.
    expect(await chloeRoom.send({ type: 'moment.need', tellGroup: false })).toMatchObject({ ok: true });
    chloeRoom.close();
    const alerted = await until(facilitator, (s) => (s.self as FacilitatorView).alerts.some((alert) => alert.dropped !== null));
    expect((alerted.self as FacilitatorView).alerts).toEqual([
      { memberId: chloe.id, name: 'Chloe', at: expect.any(Number), toldGroup: false, dropped: { location: 'in my car outside work', emergencyContact: 'Dr. Okafor, +49 30 7654321' } },
    ]);

    // Chloe comes back on another device through the same link and ends her moment; then the session ends.
    const chloeAgain = connect((await api.enter(chloe.link)).token);
    frames.set('Chloe again', recordFrames(chloeAgain));
    await until(chloeAgain, (s) => s.group !== null && s.self?.role === 'member');
    expect(chloeAgain.snapshot.self).toMatchObject({ you: { id: chloe.id, name: 'Chloe' }, group: { location: 'in my car outside work' } });
    expect(await chloeAgain.send({ type: 'moment.back' })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'session.end' })).toMatchObject({ ok: true });
    await until(facilitator, (s) => s.group?.ended === true);
    const ended = async () => ((await api.ok('GET', `/groups/${group.id}/sessions`)).sessions as { endedAt: string | null }[])[0]!.endedAt !== null;
    await expect.poll(ended, { timeout: 5_000 }).toBe(true);

    // No member was ever sent an emergency contact, nor anyone else's location.
    for (const [name, seen] of frames) {
      const text = seen.join('\n');
      expect(text, name).not.toContain('Okafor');
      expect(text, name).not.toContain('Marta');
      if (!name.startsWith('Chloe')) expect(text, name).not.toContain('in my car');
      if (name !== 'Ana') expect(text, name).not.toContain('Leipzig');
      expect(text, name).not.toContain('her mother');
    }

    // The server restarts; the records stay under DATA_DIR.
    connections.splice(0).forEach((connection) => connection.close());
    await server!.close();
    await start();

    // Session 2: the members come back through the same links, Ana from a fresh client as on a new device.
    const second = await api.startSession(group.id);
    expect(second.number).toBe(2);
    const facilitator2 = connect(second.token);
    const anaNew = connect((await api.enter(ana.link)).token);
    const benAgain = connect((await api.enter(ben.link)).token);
    for (const connection of [facilitator2, anaNew, benAgain]) {
      await until(connection, (s) => s.group?.seats.length === 3 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);
    }
    expect(anaNew.snapshot.self).toMatchObject({ role: 'member', you: { id: ana.id, name: 'Ana', status: 'admitted' } });
    expect(facilitator2.snapshot.group!.seats.map((seat) => seat.id).slice(1)).toEqual([ana.id, ben.id]);

    // During check-in the facilitator sees session 1's ratings, attendance and goals.
    expect(await facilitator2.send({ type: 'round.start', round: { prompt: 'How do you arrive since the last meeting?', order: 'seats', moodScale: true } })).toMatchObject({ ok: true });
    const view = (await until(facilitator2, (s) => s.group?.round !== null)).self as FacilitatorView;
    const byName = Object.fromEntries(view.group!.members.map((m) => [m.name, m]));
    expect(byName.Ana).toMatchObject({ memberId: ana.id, ratings: [{ session: 1, rating: 7 }], lastAttendance: 'present', goals: [{ text: 'Say no without apologising', visibleToGroup: true }] });
    expect(byName.Ben).toMatchObject({ ratings: [{ session: 1, rating: 4 }], lastAttendance: 'present', goals: [{ text: 'Sleep before midnight', visibleToGroup: false }] });
    expect(byName.Chloe).toMatchObject({ ratings: [{ session: 1, rating: 6 }], lastAttendance: 'present', arrived: null });
    // Ben's goal is his and the facilitator's: not in the group's view.
    expect(anaNew.snapshot.group!.groupSession!.sharedGoals.map((goal) => goal.text)).toEqual(['Say no without apologising']);

    // Revoking Ben's link ends his open socket at once, and the link no longer opens anything.
    await api.ok('DELETE', `/groups/${group.id}/members/${ben.id}/link`);
    await until(benAgain, (s) => s.farewell?.code === 'REMOVED');
    const refused = await api.memberCall('/session', { link: ben.link });
    expect(refused).toMatchObject({ status: 401, json: { code: 'MEMBER_LINK_INVALID' } });
    await until(facilitator2, (s) => s.group?.seats.length === 2);
    // A new link for him works for his page; the old one stays refused.
    const reissued = new URL((await api.ok('POST', `/groups/${group.id}/members/${ben.id}/link`)).link as string).hash.replace('#link=', '');
    expect((await api.memberCall('', { link: reissued })).status).toBe(200);
    expect((await api.memberCall('', { link: ben.link })).status).toBe(401);

    // The export of session 1 holds all of it, and no author of any feedback answer.
    const exported = (await api.ok('GET', `/groups/${group.id}/sessions/1/export?format=json`)) as Record<string, any>;
    expect(exported.attendance).toEqual([
      { name: 'Ana', status: 'present' },
      { name: 'Ben', status: 'present' },
      { name: 'Chloe', status: 'present' },
    ]);
    expect(exported.ratings).toEqual(expect.arrayContaining([{ name: 'Ana', rating: 7 }, { name: 'Ben', rating: 4 }, { name: 'Chloe', rating: 6 }]));
    expect(exported.locations).toEqual(expect.arrayContaining([{ name: 'Ana', location: 'at home in Leipzig' }, { name: 'Chloe', location: 'in my car outside work' }]));
    expect(exported.rounds).toEqual([{ purpose: 'check-in', prompt: 'How do you arrive since the last meeting?', outcomes: expect.any(Array) }]);
    expect(exported.notes).toEqual([expect.objectContaining({ about: 'Ana', text: 'Ana spoke about her mother for the first time' })]);
    expect(exported.feedback).toHaveLength(1);
    expect(exported.feedback[0].prompt).toBe('What did you notice today?');
    expect([...exported.feedback[0].items].sort()).toEqual(Object.values(answers).sort());
    const feedbackText = JSON.stringify(exported.feedback);
    for (const who of [ana, ben, chloe]) {
      expect(feedbackText).not.toContain(who.name);
      expect(feedbackText).not.toContain(who.id);
    }
  }, 120_000);
});

describe('a session whose room was lost', () => {
  let opened: TestRecords | null = null;
  let server: RunningHoldspace | null = null;
  afterAll(async () => {
    await server?.stop();
    await opened?.close();
  });

  it('does not keep the group from meeting again: its record is closed and Session N+1 opens', async () => {
    opened = await openTestRecords('PGlite');
    server = await startHoldspace({ ENTRY_PER_MINUTE: '10000' }, { records: opened.records });
    const api = groupClient(() => server!.url, await server.facilitator());
    const group = await api.createGroup();
    await api.addMember(group.id, 'Ana');
    // As after a crash: the records say Session 1 runs, no server holds its room.
    await opened.records.startSession(group.id);
    const next = await api.startSession(group.id);
    expect(next.number).toBe(2);
    const sessions = (await api.ok('GET', `/groups/${group.id}/sessions`)).sessions as { number: number; endedAt: string | null }[];
    expect(sessions.map((s) => [s.number, s.endedAt !== null])).toEqual([[2, false], [1, true]]);
  });
});
