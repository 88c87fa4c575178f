import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RecordsRefusal, type GroupRecords } from '../../server/records/group-records.js';
import { openTestRecords, tuesdayGroup, type RecordsBackend, type TestRecords } from '../support/records.js';


const refusedWith = async (code: string, action: Promise<unknown>) => {
  const error = await action.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RecordsRefusal);
  expect((error as RecordsRefusal).code).toBe(code);
};

/** A group of three with session 1 run and ended, as the live room would leave it. */
async function groupWithOneSession(records: GroupRecords) {
  const group = await records.createGroup(tuesdayGroup);
  const ana = await records.addMember(group.id, { name: 'Ana', emergencyContact: 'Sister Marta +49 30 1234567' });
  const ben = await records.addMember(group.id, { name: 'Ben' });
  const cleo = await records.addMember(group.id, { name: 'Cleo' });
  const session = await records.startSession(group.id, new Date('2025-03-04T17:00:00Z'));
  await records.endSession(
    session.sessionId,
    {
      attendance: { [ana.member.id]: 'present', [ben.member.id]: 'late', [cleo.member.id]: 'absent' },
      ratings: { [ana.member.id]: 4, [ben.member.id]: 7 },
      locations: { [ana.member.id]: 'at home in Leipzig, kitchen', [ben.member.id]: 'office, door closed' },
      feedback: [{ prompt: 'What did you notice about how we listened?', items: ['felt heard by the whole circle', 'too many interruptions tonight', 'quiet but warm'] }],
      rounds: [{ purpose: 'check-in', prompt: 'How do you arrive?', outcomes: { [ana.member.id]: 'spoke', [ben.member.id]: 'passed' } }],
    },
    new Date('2025-03-04T18:30:00Z'),
  );
  return { group, ana, ben, cleo, session };
}

describe.each<RecordsBackend>(['PGlite', 'PostgreSQL'])('records on %s', (backend) => {
  let opened: TestRecords;
  let records: GroupRecords;
  beforeAll(async () => {
    opened = await openTestRecords(backend);
    records = opened.records;
  });
  afterAll(async () => {
    await opened?.close();
  });

  test('a group takes members up to its cap, with distinct names, each with a personal link', async () => {
    const group = await records.createGroup(tuesdayGroup);
    expect(group).toMatchObject({ name: 'Tuesday evening group', feedbackK: 3, memberCap: 3, retentionMonths: 12, closedAt: null });
    expect(group.agenda[1]).toEqual({ name: 'Work', floorMode: 'queue', theme: 'Closeness and distance', prompts: [] });
    const ana = await records.addMember(group.id, { name: 'Ana' });
    await refusedWith('NAME_TAKEN', records.addMember(group.id, { name: 'ANA' }));
    await records.addMember(group.id, { name: 'Ben' });
    await records.addMember(group.id, { name: 'Cleo' });
    await refusedWith('GROUP_FULL', records.addMember(group.id, { name: 'Dan' }));
    expect((await records.roster(group.id)).map((m) => m.name)).toEqual(['Ana', 'Ben', 'Cleo']);

    expect(await records.verifyMemberLink(ana.link)).toEqual({ groupId: group.id, memberId: ana.member.id, name: 'Ana' });
    // Leaving frees the seat and ends the link.
    await records.removeMember(group.id, ana.member.id);
    expect(await records.verifyMemberLink(ana.link)).toBeNull();
    expect((await records.addMember(group.id, { name: 'Dan' })).member.name).toBe('Dan');
    expect((await records.roster(group.id, true)).map((m) => [m.name, m.leftAt !== null])).toEqual([['Ben', false], ['Cleo', false], ['Dan', false], ['Ana', true]]);
  });

  test('a link re-issued replaces the old one at once; a revoked link opens nothing', async () => {
    const group = await records.createGroup({ ...tuesdayGroup, name: 'Links' });
    const { member, link } = await records.addMember(group.id, { name: 'Eve' });
    const second = await records.issueLink(group.id, member.id);
    expect(await records.verifyMemberLink(link)).toBeNull();
    expect((await records.verifyMemberLink(second))?.memberId).toBe(member.id);
    await records.revokeLink(group.id, member.id);
    expect(await records.verifyMemberLink(second)).toBeNull();
    expect((await records.roster(group.id))[0]?.hasLink).toBe(false);
    // Nothing in the database is the link itself.
    const stored = await sql<{ link_hash: string | null }>`select link_hash from members`.execute(opened.database.db);
    expect(stored.rows.some((row) => row.link_hash === link || row.link_hash === second)).toBe(false);
  });

  test('sessions are numbered; ending one writes its record once; the next session sees the trend', async () => {
    const { group, ana, ben, cleo, session } = await groupWithOneSession(records);
    expect(session.number).toBe(1);
    await refusedWith('SESSION_ENDED', records.endSession(session.sessionId, { attendance: {}, ratings: {}, locations: {}, feedback: [], rounds: [] }));
    const second = await records.startSession(group.id);
    expect(second.number).toBe(2);
    await refusedWith('SESSION_RUNNING', records.startSession(group.id));
    // A member of another group is refused and nothing of the outcome is written.
    const other = await records.createGroup({ ...tuesdayGroup, name: 'Other' });
    const stranger = await records.addMember(other.id, { name: 'Zoe' });
    await refusedWith('NOT_FOUND', records.endSession(second.sessionId, { attendance: { [ana.member.id]: 'present', [stranger.member.id]: 'present' }, ratings: {}, locations: {}, feedback: [], rounds: [] }));
    expect((await records.sessions(group.id))[0]).toMatchObject({ number: 2, endedAt: null });
    await records.endSession(second.sessionId, { attendance: { [ana.member.id]: 'left_early', [ben.member.id]: 'present', [cleo.member.id]: 'present' }, ratings: { [ana.member.id]: 6 }, locations: {}, feedback: [], rounds: [] });

    expect(await records.lastRatings(group.id)).toEqual({
      [ana.member.id]: [{ session: 1, rating: 4 }, { session: 2, rating: 6 }],
      [ben.member.id]: [{ session: 1, rating: 7 }],
    });
    expect((await records.lastAttendance(group.id))[cleo.member.id]).toEqual([{ session: 1, status: 'absent' }, { session: 2, status: 'present' }]);
    expect((await records.sessions(group.id)).map((s) => s.number)).toEqual([2, 1]);

    const record = await records.sessionRecord(group.id, 1);
    expect(record?.attendance.map((a) => [a.name, a.status])).toEqual([['Ana', 'present'], ['Ben', 'late'], ['Cleo', 'absent']]);
    expect(record?.locations.map((l) => l.location)).toEqual(['at home in Leipzig, kitchen', 'office, door closed']);
    expect(record?.feedback).toEqual([{ prompt: 'What did you notice about how we listened?', items: ['felt heard by the whole circle', 'too many interruptions tonight', 'quiet but warm'] }]);
    expect(record?.agenda.map((p) => p.name)).toEqual(['Check-in', 'Work']);
    expect(record?.rounds[0]?.outcomes[ben.member.id]).toBe('passed');
  });

  test('goals with progress notes belong to their member; notes are the facilitator\'s, per session and per member', async () => {
    const { group, ana, ben } = await groupWithOneSession(records);
    const goal = await records.addGoal(ana.member.id, { text: 'Say no to my brother without apologising', visibleToGroup: false });
    await records.addProgress(ana.member.id, goal.id, 'Managed it once this week, felt shaky after');
    const shown = await records.updateGoal(ana.member.id, goal.id, { visibleToGroup: true });
    expect(shown).toMatchObject({ text: 'Say no to my brother without apologising', visibleToGroup: true, progress: [{ note: 'Managed it once this week, felt shaky after' }] });
    await refusedWith('NOT_FOUND', records.addProgress(ben.member.id, goal.id, 'not mine'));
    expect((await records.goalsByMember(group.id))[ana.member.id]?.map((g) => g.id)).toEqual([goal.id]);
    expect(await records.goalsOf(ben.member.id)).toEqual([]);

    const sessionNote = await records.addNote(group.id, { text: 'Ben withdrew after the feedback round', session: 1 });
    const memberNote = await records.addNote(group.id, { text: 'Ana: watch for anniversary of loss in May', memberId: ana.member.id });
    await refusedWith('NOT_FOUND', records.addNote(group.id, { text: 'x', session: 9 }));
    expect((await records.notes(group.id, { session: 1 })).map((n) => n.id)).toEqual([sessionNote.id]);
    expect((await records.notes(group.id, { memberId: ana.member.id })).map((n) => n.text)).toEqual(['Ana: watch for anniversary of loss in May']);
    await records.updateNote(group.id, memberNote.id, 'Ana: anniversary in May; check in before');
    await records.deleteNote(group.id, sessionNote.id);
    expect((await records.notes(group.id)).map((n) => n.text)).toEqual(['Ana: anniversary in May; check in before']);
  });

  test('a dump of the database holds no note, goal, progress note, contact, location or feedback text', async () => {
    const { group, ana } = await groupWithOneSession(records);
    const goal = await records.addGoal(ana.member.id, { text: 'Stop drinking alone on Sundays', visibleToGroup: true });
    await records.addProgress(ana.member.id, goal.id, 'Two dry Sundays in a row now');
    await records.addNote(group.id, { text: 'Ana disclosed the relapse in session one', memberId: ana.member.id });
    const dump = await opened.dump();
    // The search finds what is stored in the clear: the group's name does show.
    expect(dump.includes('Tuesday evening group')).toBe(true);
    for (const secret of ['Stop drinking alone', 'Two dry Sundays', 'disclosed the relapse', 'Sister Marta', 'kitchen', 'felt heard by the whole circle', 'how we listened']) {
      expect({ secret, hits: dump.includes(secret) }).toEqual({ secret, hits: false });
    }
  });

  test('deleting a member\'s data deletes their rows everywhere; anonymous feedback stays, it names nobody', async () => {
    const { group, ana, ben } = await groupWithOneSession(records);
    const goal = await records.addGoal(ana.member.id, { text: 'Ask for help once', visibleToGroup: false });
    await records.addProgress(ana.member.id, goal.id, 'asked my neighbour');
    await records.addNote(group.id, { text: 'about Ana', memberId: ana.member.id });
    await refusedWith('NOT_FOUND', records.deleteMemberData(group.id, 'no-such-member'));
    await records.deleteMemberData(group.id, ana.member.id);
    const db = opened.database.db;
    const count = async (table: string, column: string, value: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(db)).rows[0]?.n;
    for (const table of ['attendance', 'ratings', 'locations', 'goals', 'notes']) expect({ table, rows: await count(table, 'member_id', ana.member.id) }).toEqual({ table, rows: 0 });
    expect(await count('goal_progress', 'goal_id', goal.id)).toBe(0);
    expect(await count('members', 'id', ana.member.id)).toBe(0);
    expect(await count('attendance', 'member_id', ben.member.id)).toBe(1);
    expect((await records.sessionRecord(group.id, 1))?.feedback[0]?.items).toHaveLength(3);
  });

  test('the purge deletes closed groups and departed members past retention, and nothing younger', async () => {
    const old = await records.createGroup({ ...tuesdayGroup, name: 'Closed long ago', retentionMonths: 6 }, new Date('2023-01-01T00:00:00Z'));
    await records.addMember(old.id, { name: 'Old member' });
    await records.startSession(old.id, new Date('2023-01-10T00:00:00Z'));
    await records.updateGroup(old.id, { closed: true }, new Date('2023-02-01T00:00:00Z'));
    const recent = await records.createGroup({ ...tuesdayGroup, name: 'Closed lately' });
    await records.updateGroup(recent.id, { closed: true }, new Date('2025-05-01T00:00:00Z'));
    const open = await records.createGroup({ ...tuesdayGroup, name: 'Still meeting' });
    const gone = await records.addMember(open.id, { name: 'Left in 2024' });
    const stays = await records.addMember(open.id, { name: 'Left lately' });
    await records.removeMember(open.id, gone.member.id, new Date('2024-01-15T00:00:00Z'));
    await records.removeMember(open.id, stays.member.id, new Date('2025-05-15T00:00:00Z'));

    const purged = await records.purgeExpired(new Date('2025-06-01T00:00:00Z'));
    expect(purged.groups).toBeGreaterThanOrEqual(1);
    expect(await records.getGroup(old.id)).toBeNull();
    const left = await sql<{ n: number }>`select count(*)::int as n from sessions where group_id = ${old.id}`.execute(opened.database.db);
    expect(left.rows[0]?.n).toBe(0);
    expect(await records.getGroup(recent.id)).not.toBeNull();
    expect((await records.roster(open.id, true)).map((m) => m.name)).toEqual(['Left lately']);
  });

  test('anonymity: no table can say who wrote a feedback item', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns where table_schema = 'public'`.execute(opened.database.db);
    const feedbackColumns = columns.rows.filter((c) => c.table_name === 'released_feedback').map((c) => c.column_name).sort();
    expect(feedbackColumns).toEqual(['id', 'items', 'position', 'prompt', 'session_id']);
    expect(columns.rows.filter((c) => /author|writer|written_by|submitted|answered_by/i.test(c.column_name))).toEqual([]);
    // The only tables that hold feedback are not joined to members by any key.
    const keys = await sql<{ from_table: string; to_table: string }>`
      select tc.table_name as from_table, ccu.table_name as to_table
      from information_schema.table_constraints tc join information_schema.constraint_column_usage ccu using (constraint_name, table_schema)
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'`.execute(opened.database.db);
    expect(keys.rows.filter((k) => k.from_table === 'released_feedback').map((k) => k.to_table)).toEqual(['sessions']);
  });
});
