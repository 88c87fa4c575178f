// Holdspace (signalling only) serving a client build from BENCH_CLIENT_DIR instead of dist/client,
// so the client benchmark never rewrites the folder `npm start` and the e2e suite use. Requests
// for /api/ and /socket.io/ go to Holdspace as ever; every other path is a file of that build
// (or its index.html, as Holdspace answers for its own routes), served by express.static as
// Holdspace serves its own. /bare.html is the baseline page, from the same folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHoldspace } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { serveBenchRequests } from '../support/child-server.js';
import { serveClientBuild } from '../support/client-build.js';

const dir = process.env.BENCH_CLIENT_DIR;
if (!dir) throw new Error('BENCH_CLIENT_DIR: the folder of the client build to serve');
const config = loadConfig({ RECORDS_ENABLED: 'false', ...process.env, PORT: '0', HOST: '127.0.0.1', MEDIA_ENABLED: 'false', DATA_DIR: mkdtempSync(join(tmpdir(), 'holdspace-bench-')) });
const holdspace = await createHoldspace(config);

serveClientBuild(holdspace.http, dir);

await holdspace.listen();
serveBenchRequests(holdspace.url().replace('//localhost:', '//127.0.0.1:'), { facilitatorKey: holdspace.secrets.facilitatorKey });
