import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateGroup } from '../../shared/protocol/groups.js';
import { RecordCipher } from '../../server/records/cipher.js';
import { migrate, openDatabase, type OpenDatabase } from '../../server/records/database.js';
import { SqlRecords } from '../../server/records/sql-records.js';
import { startPostgres, type RunningPostgres } from './postgres.js';

export type RecordsBackend = 'PGlite' | 'PostgreSQL';

export interface TestRecords {
  records: SqlRecords;
  database: OpenDatabase;
  /** The records' key, to read sealed columns back as a thief with the key would. */
  cipher: RecordCipher;
  /** Everything the database holds as stored: pg_dump's output, or PGlite's data folder as an uncompressed tar. */
  dump(): Promise<Buffer>;
  /** A second, empty database on the same backend, left at `target` (no migrations when null). */
  emptyDatabase(): Promise<OpenDatabase>;
  close(): Promise<void>;
}

/** Real records on a real database: PGlite in a temporary folder, or a PostgreSQL of our own. */
export async function openTestRecords(backend: RecordsBackend, retentionMonths = 12): Promise<TestRecords> {
  const dataDir = await mkdtemp(join(tmpdir(), 'holdspace-records-'));
  const postgres: RunningPostgres | null = backend === 'PostgreSQL' ? await startPostgres() : null;
  const database = await openDatabase({ url: postgres?.url ?? null, dataDir });
  await migrate(database.db);
  const cipher = new RecordCipher(randomBytes(32));
  const records = new SqlRecords(database.db, cipher, { retentionMonths, close: () => database.close() });
  const extra: OpenDatabase[] = [];
  let databases = 0;
  return {
    records,
    database,
    cipher,
    dump: async () => {
      if (postgres) return Buffer.from(postgres.dump());
      // Checkpoint so what is in PGlite's buffers is in the files too.
      await database.pglite!.query('checkpoint');
      const tar = await database.pglite!.dumpDataDir('none');
      return Buffer.from(await tar.arrayBuffer());
    },
    emptyDatabase: async () => {
      databases += 1;
      const opened = postgres
        ? await openDatabase({ url: await postgres.createDatabase(`empty${databases}`), dataDir })
        : await openDatabase({ url: null, dataDir: await mkdtemp(join(tmpdir(), 'holdspace-records-empty-')) });
      extra.push(opened);
      return opened;
    },
    close: async () => {
      // A Holdspace handed these records closes them itself; PGlite refuses a second close.
      await records.close().catch((error: unknown) => {
        if (!String(error).includes('closed')) throw error;
      });
      for (const opened of extra) await opened.close();
      await postgres?.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A weekly group as a facilitator would set it up: three seats, Tuesdays 18:00 in Berlin. */
export const tuesdayGroup: CreateGroup = {
  name: 'Tuesday evening group',
  agreement: 'What is said here stays here.',
  cadence: { weekday: 'tuesday', time: '18:00', timeZone: 'Europe/Berlin', durationMinutes: 90 },
  agenda: [
    { name: 'Check-in', floorMode: 'stick', prompts: ['How do you arrive since the last meeting?'] },
    { name: 'Work', floorMode: 'queue', theme: 'Closeness and distance', prompts: [] },
  ],
  feedbackK: 3,
  memberCap: 3,
};
