import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditActions } from '../../server/accounts/audit-trail.js';
import { groupClient } from '../support/group-session.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';
import { invitedTherapist } from '../support/passkey.js';
import { openTestRecords, type TestRecords } from '../support/records.js';

/**
 * Every action the audit trail must hold, done through the API and the live room as people do
 * them; then the audit table is searched for a note's, a goal's and an answer's text.
 */
describe('the audit trail', () => {
  let opened: TestRecords;
  let server: RunningHoldspace;
  beforeAll(async () => {
    opened = await openTestRecords('PGlite');
    server = await startHoldspace({ ENTRY_PER_MINUTE: '10000' }, { records: opened.records });
  });
  afterAll(async () => {
    await server?.stop();
    await opened?.close();
  });

  test('holds an entry for every listed action and none of a session’s content; it cannot be changed', { timeout: 90_000 }, async () => {
    const admin = await server.facilitator();
    const therapist = await invitedTherapist(admin, 'Sam Okafor');
    await therapist.call('POST', '/accounts/sign-out');
    expect((await therapist.signIn({ tamper: true })).json?.code).toBe('SIGN_IN_FAILED');
    expect((await therapist.signIn()).status).toBe(200);
    expect((await admin.call('POST', '/accounts/recover', { code: admin.recoveryCodes[0] })).status).toBe(200);
    expect((await admin.addPasskey()).status).toBe(201);
    const leaving = await invitedTherapist(admin, 'Leaving Therapist');
    expect((await admin.call('DELETE', `/accounts/${leaving.account!.id}`)).status).toBe(204);

    const marker = () => randomBytes(6).toString('hex');
    const noteText = `note-${marker()}`;
    const goalText = `goal-${marker()}`;
    const answerText = `answer-${marker()}`;
    const api = groupClient(() => server.url, admin);
    const group = await api.createGroup({ memberCap: 5 });
    await api.ok('PATCH', `/groups/${group.id}`, { agreement: 'What is said here stays here, always.' });
    await api.ok('POST', `/groups/${group.id}/leads`, { accountId: therapist.account!.id });
    const roster = [];
    for (const name of ['Ana', 'Ben', 'Chloe', 'Dev']) roster.push(await api.addMember(group.id, name));
    await api.ok('POST', `/groups/${group.id}/notes`, { text: noteText, memberId: roster[0]!.id });
    expect((await api.memberCall('/goals', { link: roster[0]!.link, text: goalText, visibleToGroup: false })).status).toBe(201);
    const session = await api.startSession(group.id);
    const facilitator = server.connect(session.token);
    const members = [];
    for (const member of roster.slice(0, 3)) members.push(server.connect((await api.enter(member.link)).token));
    await until(facilitator, (s) => s.group?.seats.length === 4 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);
    expect(await facilitator.send({ type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 })).toMatchObject({ ok: true });
    const promptId = (await until(facilitator, (s) => s.group?.feedback.open !== null)).group!.feedback.open!.id;
    for (const member of members) expect(await member.send({ type: 'feedback.submit', promptId, text: `${answerText} thank you` })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'feedback.close' })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'remove', memberId: roster[2]!.id })).toMatchObject({ ok: true });
    expect(await facilitator.send({ type: 'session.end' })).toMatchObject({ ok: true });
    await expect.poll(async () => (await opened.records.sessions(group.id))[0]!.endedAt !== null, { timeout: 5_000 }).toBe(true);
    expect((await api.call('GET', `/groups/${group.id}/sessions/1/export?format=json`)).status).toBe(200);
    await api.ok('POST', `/groups/${group.id}/members/${roster[1]!.id}/link`);
    await api.ok('DELETE', `/groups/${group.id}/members/${roster[1]!.id}/link`);
    await api.ok('DELETE', `/groups/${group.id}/members/${roster[2]!.id}`);
    await api.ok('DELETE', `/groups/${group.id}/members/${roster[3]!.id}/data`);
    // A one-off room: created, someone admitted from the waiting room.
    const room = await server.createRoom('One-off');
    const host = server.connect(room.token);
    await until(host, (s) => s.group !== null);
    const guest = await server.join(room.inviteUrl, 'Guest');
    expect(await host.send({ type: 'admit', memberId: guest.memberId })).toMatchObject({ ok: true });
    expect((await admin.call('GET', '/audit/export')).status).toBe(200);

    const missing = async () => {
      const entries = (await admin.call('GET', '/audit?limit=500')).json!.entries as { action: string }[];
      return auditActions.filter((action) => !entries.some((entry) => entry.action === action));
    };
    await expect.poll(missing, { timeout: 5_000 }).toEqual([]);
    const entries = (await admin.call('GET', '/audit?limit=500')).json!.entries as { action: string; actor: string | null }[];
    expect(entries.find((entry) => entry.action === 'sign-in.failed')?.actor).toBe(therapist.account!.id);

    // No content: the whole table, every column, holds no note, goal or answer, and no member's name.
    const rows = JSON.stringify((await sql`select * from audit`.execute(opened.database.db)).rows);
    expect([noteText, goalText, answerText, 'Ana', 'Chloe'].filter((text) => rows.includes(text))).toEqual([]);
    // Append-only in the database itself.
    await expect(sql`update audit set action = 'nothing'`.execute(opened.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit`.execute(opened.database.db)).rejects.toThrow(/append-only/);
    // A therapist reads no audit trail.
    expect((await therapist.call('GET', '/audit')).status).toBe(403);
  });
});
