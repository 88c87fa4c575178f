import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import type { SealedField } from '../../server/records/cipher.js';
import { groupClient } from '../support/group-session.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';
import { openTestRecords, type TestRecords } from '../support/records.js';

const sealedFields: SealedField[] = ['note', 'goal', 'progress', 'rating', 'contact', 'location', 'feedback-prompt', 'feedback-items', 'summary'];
const PROMPTS = 8;

/**
 * The anonymity canary (anonymity.test.ts) carried over to the records: a standing group's session
 * with many anonymous answers is written to the database; every row of every table is read back,
 * sealed columns opened with the key, and no row holds an answer next to anyone's id or name.
 */
describe('anonymity canary, records', () => {
  let opened: TestRecords;
  let server: RunningHoldspace;
  afterAll(async () => {
    await server?.stop();
    await opened?.close();
  });

  it('a session’s released feedback in the database: 0 rows linking an author to an answer, 0 answers in the clear', { timeout: 90_000 }, async () => {
    opened = await openTestRecords('PGlite');
    server = await startHoldspace({ ENTRY_PER_MINUTE: '10000' }, { records: opened.records });
    const api = groupClient(() => server.url, await server.facilitator());
    const group = await api.createGroup({ memberCap: 5 });
    const roster = [];
    for (const name of ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli']) roster.push(await api.addMember(group.id, name));
    const session = await api.startSession(group.id);
    const facilitator = server.connect(session.token);
    const members: { id: string; name: string; connection: RoomConnection }[] = [];
    for (const member of roster) members.push({ ...member, connection: server.connect((await api.enter(member.link)).token) });
    await until(facilitator, (s) => s.group?.seats.length === 6 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);

    // Random markers, so an answer's text says nothing of its author; the test alone keeps the map.
    const authorOf = new Map<string, string>();
    for (let p = 0; p < PROMPTS; p++) {
      expect(await facilitator.send({ type: 'feedback.open', question: `Prompt ${p}`, answer: 'text', audience: p % 2 ? 'facilitator' : 'group', k: 3 })).toMatchObject({ ok: true });
      const promptId = (await until(facilitator, (s) => s.group?.feedback.open?.question === `Prompt ${p}`)).group!.feedback.open!.id;
      for (const member of members) {
        const marker = `zq-answer-${randomBytes(6).toString('hex')}`;
        authorOf.set(marker, member.id);
        expect(await member.connection.send({ type: 'feedback.submit', promptId, text: `${marker} thank you` })).toMatchObject({ ok: true });
      }
      expect(await facilitator.send({ type: 'feedback.close' })).toMatchObject({ ok: true });
    }
    expect(await facilitator.send({ type: 'session.end' })).toMatchObject({ ok: true });
    await expect.poll(async () => (await opened.records.sessions(group.id))[0]!.endedAt !== null, { timeout: 5_000 }).toBe(true);

    const db = opened.database.db;
    const tables = (await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(db)).rows.map((row) => row.table_name);
    const open = (value: unknown): string[] => {
      if (typeof value !== 'string' || !value.startsWith('v1.')) return [];
      return sealedFields.flatMap((field) => {
        try {
          return [opened.cipher.open(field, value)];
        } catch {
          return [];
        }
      });
    };
    const identities = members.flatMap((member) => [member.id, member.name]);
    let rowsWithAnswers = 0;
    let answersFound = 0;
    let links = 0;
    for (const table of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
      for (const row of rows) {
        const text = [JSON.stringify(row), ...Object.values(row).flatMap(open)].join('\n');
        const answers = [...authorOf.keys()].filter((marker) => text.includes(marker));
        if (answers.length === 0) continue;
        rowsWithAnswers += 1;
        answersFound += answers.length;
        if (identities.some((identity) => text.includes(identity))) links += 1;
      }
    }
    // Every answer was released (k = 3 of 5), so all of them are recorded, and none beside a member.
    expect(answersFound).toBe(PROMPTS * members.length);
    expect(rowsWithAnswers).toBe(PROMPTS);
    expect(links).toBe(0);
    // And a dump of the database alone shows no answer at all.
    const dump = (await opened.dump()).toString('latin1');
    expect([...authorOf.keys()].filter((marker) => dump.includes(marker))).toEqual([]);
  });
});
