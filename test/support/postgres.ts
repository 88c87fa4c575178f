import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

const BIN = '/usr/lib/postgresql/15/bin';

/** Every cluster started here, stopped if this process exits without stopping them. */
const clusters = new Set<string>();
process.once('exit', () => clusters.forEach((data) => spawnSync(...asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' })));

/** initdb refuses to run as root: as root, run PostgreSQL's tools as the postgres user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

const run = (command: string, args: string[]) => {
  const [file, argv] = asPostgres(command, args);
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
};

export interface RunningPostgres {
  /** A fresh database `holdspace` on it, as DATABASE_URL takes it. */
  url: string;
  port: number;
  /** A new empty database on the same server, for a test that needs its own. */
  createDatabase(name: string): Promise<string>;
  /** What pg_dump writes of one database (plain SQL, data included). */
  dump(database?: string): string;
  /** Stop it and delete its data. */
  destroy(): Promise<void>;
}

/**
 * A real PostgreSQL of our own (Debian's postgresql 15) on a free port, its cluster and socket in
 * a temporary folder, trust authentication on 127.0.0.1 only, no fsync: made for tests.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  if (!existsSync(`${BIN}/initdb`)) throw new Error(`${BIN}/initdb is missing: run \`node scripts/test-tools.mjs\` (npm test does) or apt-get install postgresql`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-postgres-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run(`${BIN}/initdb`, ['-D', data, '-U', 'holdspace', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  clusters.add(data);
  run(`${BIN}/pg_ctl`, ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, 'start']);
  const psql = (sqlText: string) => run(`${BIN}/psql`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'holdspace', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sqlText]);
  const createDatabase = async (name: string) => {
    psql(`create database "${name}"`);
    return `postgres://holdspace@127.0.0.1:${port}/${name}`;
  };
  const url = await createDatabase('holdspace');
  return {
    url,
    port,
    createDatabase,
    dump: (database = 'holdspace') => run(`${BIN}/pg_dump`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'holdspace', '-d', database]),
    destroy: async () => {
      spawnSync(...asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
      clusters.delete(data);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
