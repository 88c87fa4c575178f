import type { RecordsConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { decodeDataKey, RecordCipher } from './cipher.js';
import { migrate, openDatabase } from './database.js';
import type { GroupRecords } from './group-records.js';
import { SqlRecords } from './sql-records.js';

/**
 * The records, ready: the database opened once (PGlite in DATA_DIR/records, or PostgreSQL),
 * upgraded to the latest schema, and a purge of what is past retention now and on an interval.
 */
export async function openRecords(config: RecordsConfig, options: { dataDir: string; dataKey: string; logger: Logger }): Promise<GroupRecords> {
  const cipher = new RecordCipher(decodeDataKey(config.dataKey ?? options.dataKey));
  const database = await openDatabase({ url: config.databaseUrl, dataDir: options.dataDir });
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  let timer: NodeJS.Timeout | undefined;
  const records = new SqlRecords(database.db, cipher, {
    retentionMonths: config.retentionMonths,
    close: async () => {
      clearInterval(timer);
      await database.close();
    },
  });
  const purge = () =>
    records.purgeExpired().then(
      (purged) => {
        if (purged.groups || purged.members) options.logger.info(purged, 'records past retention deleted');
      },
      (error: unknown) => options.logger.error({ err: error }, 'records purge failed'),
    );
  await purge();
  timer = setInterval(() => void purge(), config.purgeIntervalMs);
  timer.unref();
  options.logger.info({ database: database.kind }, 'records opened');
  return records;
}
