import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Secrets {
  facilitatorKey: string;
  sessionSecret: string;
}

/**
 * The facilitator key and token secret: from the environment, else generated once and kept in
 * the data folder (mode 600) so the facilitator link and open sessions survive a restart.
 */
export async function loadSecrets(dataDir: string, fromEnv: Partial<Secrets>): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as Partial<Secrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}: delete it to generate new secrets (${String(error)})`);
  }
  const secrets: Secrets = {
    facilitatorKey: fromEnv.facilitatorKey ?? stored.facilitatorKey ?? randomBytes(18).toString('base64url'),
    sessionSecret: fromEnv.sessionSecret ?? stored.sessionSecret ?? randomBytes(32).toString('base64url'),
  };
  const generated = (!fromEnv.facilitatorKey && !stored.facilitatorKey) || (!fromEnv.sessionSecret && !stored.sessionSecret);
  if (generated) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const keep: Partial<Secrets> = {};
    if (!fromEnv.facilitatorKey) keep.facilitatorKey = secrets.facilitatorKey;
    if (!fromEnv.sessionSecret) keep.sessionSecret = secrets.sessionSecret;
    await writeFile(file, JSON.stringify(keep), { mode: 0o600 });
  }
  return secrets;
}
