import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { RecordCipher, SealedField } from '../../server/records/cipher.js';

const sealedFields: SealedField[] = ['note', 'goal', 'progress', 'rating', 'contact', 'location', 'feedback-prompt', 'feedback-items', 'summary'];

/** A stopped server's PGlite records (DATA_DIR/records), opened by the test as anyone with the folder could. */
async function withRecords<T>(dataDir: string, read: (pglite: PGlite) => Promise<T>): Promise<T> {
  const pglite = await PGlite.create(join(dataDir, 'records'));
  try {
    return await read(pglite);
  } finally {
    await pglite.close();
  }
}

/** Every byte of the records folder, then PGlite's own dump of it: what a copy of the disk or a backup holds. */
export async function recordsAsStored(dataDir: string): Promise<Buffer> {
  const folder = join(dataDir, 'records');
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const bytes = await Promise.all(files.map((file) => readFile(join(file.parentPath, file.name))));
  const dump = await withRecords(dataDir, async (pglite) => Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  return Buffer.concat([...bytes, dump]);
}

const opened = (cipher: RecordCipher, value: unknown): unknown => {
  if (typeof value !== 'string' || !value.startsWith('v1.')) return value;
  for (const field of sealedFields) {
    try {
      return cipher.open(field, value);
    } catch {
      // Sealed for another column: try the next.
    }
  }
  return value;
};

/** Every row of every table with its sealed columns opened by the key, one JSON line per row: what a thief with the key reads. */
export async function recordsDecrypted(dataDir: string, cipher: RecordCipher): Promise<string[]> {
  return withRecords(dataDir, async (pglite) => {
    const tables = await pglite.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const rows: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const result = await pglite.query<Record<string, unknown>>(`select * from "${table}"`);
      for (const row of result.rows) rows.push(JSON.stringify({ table, ...Object.fromEntries(Object.entries(row).map(([column, value]) => [column, opened(cipher, value)])) }));
    }
    return rows;
  });
}
