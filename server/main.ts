import type { AddressInfo } from 'node:net';
import { createHoldspace } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { Sfu } from './media/sfu.js';
import { startupSummary } from './startup-summary.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  let media: Sfu | undefined;
  try {
    media = config.media.enabled ? await Sfu.start(config.media, logger) : undefined;
  } catch (error) {
    console.error(`Audio and video cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  let holdspace;
  try {
    holdspace = await createHoldspace(config, { logger, ...(media ? { media } : {}) });
  } catch (error) {
    // Most often the records database: PostgreSQL unreachable at DATABASE_URL, or DATA_DIR not writable.
    console.error(`Holdspace cannot start: ${(error as Error).message} (check DATABASE_URL and DATA_DIR)`);
    media?.close();
    process.exit(1);
  }
  try {
    await holdspace.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === 'EADDRINUSE' ? `Port ${config.port} is in use: set PORT to a free port, e.g. PORT=3001 npm start` : String(error));
    process.exit(1);
  }
  holdspace.logger.info({ url: holdspace.url() }, 'Holdspace is listening');
  const listening = holdspace.http.address() as AddressInfo;
  console.log(`\nHoldspace is running at ${holdspace.url()}`);
  console.log(startupSummary(config, listening, holdspace.url()).join('\n'));
  const start = await holdspace.startLink();
  if (start?.kind === 'setup') console.log(`Setup link (one-time, registers the first administrator's passkey): ${start.link}\n`);
  else if (start?.kind === 'key') console.log(`Facilitator link: ${start.link}\n`);
  else console.log(`Sign in at ${holdspace.url()}/facilitate\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    holdspace.logger.info({ signal, drainMs: config.drainMs }, 'shutting down');
    holdspace.drain(config.drainMs).then(
      (finished) => process.exit(finished ? 0 : 1),
      (error: unknown) => {
        holdspace.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
