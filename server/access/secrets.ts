import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Secrets {
  facilitatorKey: string;
  sessionSecret: string;
  /** The key that encrypts records at rest (32 bytes, base64url). */
  dataKey: string;
}

const generators: Record<keyof Secrets, () => string> = {
  facilitatorKey: () => randomBytes(18).toString('base64url'),
  sessionSecret: () => randomBytes(32).toString('base64url'),
  dataKey: () => randomBytes(32).toString('base64url'),
};

/**
 * The facilitator key, token secret and records key: from the environment, else generated once
 * and kept in the data folder (mode 600) so the facilitator link, open sessions and encrypted
 * records survive a restart.
 */
export async function loadSecrets(dataDir: string, fromEnv: Partial<Secrets>): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as Partial<Secrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}: delete it to generate new secrets (${String(error)})`);
  }
  const names = Object.keys(generators) as (keyof Secrets)[];
  const pick = (name: keyof Secrets) => fromEnv[name] ?? stored[name] ?? generators[name]();
  const secrets: Secrets = { facilitatorKey: pick('facilitatorKey'), sessionSecret: pick('sessionSecret'), dataKey: pick('dataKey') };
  const generated = names.some((name) => !fromEnv[name] && !stored[name]);
  if (generated) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const keep: Partial<Secrets> = {};
    for (const name of names) if (!fromEnv[name]) keep[name] = secrets[name];
    await writeFile(file, JSON.stringify(keep), { mode: 0o600 });
  }
  return secrets;
}
