import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RecordCipher } from '../../server/records/cipher.js';
import { migrate, schemaVersion } from '../../server/records/database.js';
import { linkHash } from '../../server/records/member-link.js';
import { latestSchema } from '../../server/records/migrations/index.js';
import { SqlRecords } from '../../server/records/sql-records.js';
import { openTestRecords, type RecordsBackend, type TestRecords } from '../support/records.js';

describe.each<RecordsBackend>(['PGlite', 'PostgreSQL'])('schema versions on %s', (backend) => {
  let opened: TestRecords;
  beforeAll(async () => {
    opened = await openTestRecords(backend);
  });
  afterAll(async () => {
    await opened?.close();
  });

  test('an empty database is brought to the latest version', async () => {
    expect(await schemaVersion(opened.database.db)).toBe(latestSchema);
    // Running the migrations again changes nothing.
    await migrate(opened.database.db);
    expect(await schemaVersion(opened.database.db)).toBe(latestSchema);
  });

  test('a database at the previous version is upgraded at start with its data intact', async () => {
    const database = await opened.emptyDatabase();
    expect(await schemaVersion(database.db)).toBeNull();
    await migrate(database.db, '0001-groups');
    expect(await schemaVersion(database.db)).toBe('0001-groups');
    const cipher = new RecordCipher(randomBytes(32));
    const db = database.db;
    // What release 1 wrote: a group, a member with a link, an ended session with attendance, a rating and a note.
    const now = new Date('2025-01-07T17:00:00Z');
    await sql`insert into groups values ('group-1', 'Monday group', 'Agreement v1', ${JSON.stringify({ weekday: 'monday', time: '19:30', timeZone: 'America/New_York', durationMinutes: 90 })}, ${JSON.stringify([{ name: 'Check-in', prompts: [] }])}, 3, 10, 12, ${now}, null)`.execute(db);
    await sql`insert into members values ('member-1', 'group-1', 'Noor', ${linkHash('a'.repeat(43))}, ${now}, ${now}, null)`.execute(db);
    await sql`insert into sessions values ('session-1', 'group-1', 1, ${now}, ${now}, ${JSON.stringify([{ name: 'Check-in', prompts: [] }])}, null)`.execute(db);
    await sql`insert into attendance values ('session-1', 'member-1', 'late')`.execute(db);
    await sql`insert into ratings values ('session-1', 'member-1', ${cipher.sealJson('rating', 5)})`.execute(db);
    await sql`insert into notes values ('note-1', 'group-1', 'session-1', null, ${cipher.seal('note', 'first session went quietly')}, ${now}, ${now})`.execute(db);

    await migrate(db);
    expect(await schemaVersion(db)).toBe(latestSchema);
    const records = new SqlRecords(db, cipher, { retentionMonths: 12, close: async () => {} });
    expect(await records.getGroup('group-1')).toMatchObject({ name: 'Monday group', cadence: { weekday: 'monday', time: '19:30' } });
    expect(await records.verifyMemberLink('a'.repeat(43))).toEqual({ groupId: 'group-1', memberId: 'member-1', name: 'Noor' });
    expect(await records.roster('group-1')).toMatchObject([{ id: 'member-1', name: 'Noor', emergencyContact: null }]);
    expect(await records.lastRatings('group-1')).toEqual({ 'member-1': [{ session: 1, rating: 5 }] });
    expect(await records.lastAttendance('group-1')).toEqual({ 'member-1': [{ session: 1, status: 'late' }] });
    expect((await records.notes('group-1')).map((n) => [n.session, n.text])).toEqual([[1, 'first session went quietly']]);
    // What the new version adds works on the old rows.
    await records.addGoal('member-1', { text: 'Speak first once', visibleToGroup: true });
    expect((await records.startSession('group-1')).number).toBe(2);
  });
});
