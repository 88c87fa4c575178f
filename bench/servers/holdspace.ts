// Holdspace as `npm start` runs it (in-memory unless REDIS_URL is set), for the benchmarks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHoldspace } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { serveBenchRequests } from '../support/child-server.js';

const config = loadConfig({ RECORDS_ENABLED: 'false', ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'holdspace-bench-')) });
const holdspace = await createHoldspace(config);
await holdspace.listen();
serveBenchRequests(holdspace.url(), { facilitatorKey: holdspace.secrets.facilitatorKey });
