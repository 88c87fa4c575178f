import type { Migration, MigrationProvider } from 'kysely';
import { groups } from './0001-groups.js';
import { goalsSafetyFeedback } from './0002-goals-safety-feedback.js';
import { accounts } from './0003-accounts.js';

/** Every schema version in order; a new one is a new file and a new line here, never an edit of an applied one. */
export const migrations: Record<string, Migration> = {
  '0001-groups': groups,
  '0002-goals-safety-feedback': goalsSafetyFeedback,
  '0003-accounts': accounts,
};

export const latestSchema = Object.keys(migrations).at(-1)!;

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
