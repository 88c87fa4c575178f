import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];
const commands: readonly string[] = ['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK'];

/**
 * Kysely over PGlite: Kysely's own PostgreSQL dialect, given a pool whose one connection goes to
 * one query or transaction at a time (PGlite serves a single connection). Written here rather
 * than taken from kysely-pglite, which brings a command-line toolkit into production.
 */
export function pgliteDialect(db: PGlite): PostgresDialect {
  let turn: Promise<void> = Promise.resolve();
  const run = async (text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
    const result = await db.query(text, [...parameters]);
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
    const command = (commands.includes(verb) ? verb : 'SELECT') as Command;
    return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
  };
  const pool: PostgresPool = {
    // The next caller waits until the one before releases the connection.
    connect: () =>
      new Promise<PostgresPoolClient>((handOut) => {
        turn = turn.then(
          () =>
            new Promise<void>((release) => {
              let released = false;
              handOut({
                query: run as PostgresPoolClient['query'],
                release: () => {
                  if (released) return;
                  released = true;
                  release();
                },
              });
            }),
        );
      }),
    end: async () => {
      await turn;
    },
  };
  return new PostgresDialect({ pool });
}
