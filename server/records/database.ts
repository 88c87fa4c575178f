import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import { pgliteDialect } from './pglite-dialect.js';
import type { RecordsDatabase } from './schema.js';

/** Where records are kept: PostgreSQL when a URL is given, else PGlite in the data folder. */
export interface DatabaseLocation {
  url: string | null;
  dataDir: string;
}

export interface OpenDatabase {
  db: Kysely<RecordsDatabase>;
  kind: 'pglite' | 'postgres';
  /** The embedded database, for its dump; null on PostgreSQL. */
  pglite: PGlite | null;
  close(): Promise<void>;
}

export const migrationTable = 'records_schema_version';

/** Open the records database once (PGlite's first open takes seconds: never per request). */
export async function openDatabase(location: DatabaseLocation): Promise<OpenDatabase> {
  if (location.url) {
    const pool = new pg.Pool({ connectionString: location.url, max: 8 });
    const db = new Kysely<RecordsDatabase>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    return { db, kind: 'postgres', pglite: null, close: () => db.destroy() };
  }
  const dir = join(location.dataDir, 'records');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(dir);
  const db = new Kysely<RecordsDatabase>({ dialect: pgliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Bring the schema to `target` (the latest by default); the versions applied are kept in records_schema_version. */
export async function migrate(db: Kysely<RecordsDatabase>, target?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: migrationTable, migrationLockTableName: `${migrationTable}_lock` });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`The records database could not be upgraded (migration ${failed}): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The newest schema version applied, or null on an empty database. */
export async function schemaVersion(db: Kysely<RecordsDatabase>): Promise<string | null> {
  const exists = await sql<{ found: boolean }>`select to_regclass(${migrationTable}) is not null as found`.execute(db);
  if (!exists.rows[0]?.found) return null;
  const rows = await sql<{ name: string }>`select name from ${sql.table(migrationTable)} order by name desc limit 1`.execute(db);
  return rows.rows[0]?.name ?? null;
}
