import { pino } from 'pino';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RecordCipher } from '../../server/records/cipher.js';
import { migrate, openDatabase } from '../../server/records/database.js';
import type { GroupRecords } from '../../server/records/group-records.js';
import { openRecords } from '../../server/records/open-records.js';
import { SqlRecords } from '../../server/records/sql-records.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';
import { tuesdayGroup } from '../support/records.js';

let postgres: RunningPostgres;
let records: GroupRecords | undefined;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await records?.close();
  await postgres?.destroy();
});

test('the server purges what is past retention at start and then on its interval (DATABASE_URL)', async () => {
  const key = randomBytes(32).toString('base64url');
  // A group closed two years ago, written before this server starts.
  const before = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
  await migrate(before.db);
  const earlier = new SqlRecords(before.db, new RecordCipher(Buffer.from(key, 'base64url')), { retentionMonths: 12, close: () => before.close() });
  const old = await earlier.createGroup({ ...tuesdayGroup, name: 'Closed in 2023' }, new Date('2023-01-01T00:00:00Z'));
  await earlier.updateGroup(old.id, { closed: true }, new Date('2023-06-01T00:00:00Z'));
  await earlier.close();

  records = await openRecords({ databaseUrl: postgres.url, dataKey: null, retentionMonths: 12, purgeIntervalMs: 200 }, { dataDir: '/nonexistent', dataKey: key, logger: pino({ level: 'silent' }) });
  expect(await records.getGroup(old.id)).toBeNull();

  // Closed just now with one month's retention: gone once a month has passed, which the interval purge sees.
  const open = await records.createGroup({ ...tuesdayGroup, name: 'Closing', retentionMonths: 1 }, new Date(Date.now() - 70 * 86_400_000));
  await records.updateGroup(open.id, { closed: true }, new Date(Date.now() - 40 * 86_400_000));
  const kept = await records.createGroup({ ...tuesdayGroup, name: 'Closed lately' });
  await records.updateGroup(kept.id, { closed: true });
  const deadline = Date.now() + 5_000;
  while ((await records.getGroup(open.id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await records.getGroup(open.id)).toBeNull();
  expect(await records.getGroup(kept.id)).not.toBeNull();
});
