/**
 * A Holdspace as `npm start` runs it, in a process of its own so a crash, its logs (stdout) and
 * Socket.IO's debug output (stderr) are observable. Started by holdspace-process.ts over IPC.
 */
import type { AddressInfo } from 'node:net';
import { createHoldspace, type HoldspaceParts } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { createLogger } from '../../../server/logger.js';

type Request = { id: number; kind: 'heap' | 'prototypes' | 'stop' };

const send = (message: unknown) => process.send?.(message);

// Faults are counted and reported rather than left to kill the process, so the test sees each one.
for (const kind of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(kind, (error: unknown) => {
    const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    process.stderr.write(`[fault] ${kind}: ${text}\n`);
    send({ type: 'fault', kind, error: text.slice(0, 2000) });
  });
}

/** What the prototypes every payload could pollute look like: any change after the fuzz is a finding. */
function prototypes(): string {
  const shape = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
  return JSON.stringify([shape(Object.prototype), shape(Array.prototype), shape(Function.prototype), shape(String.prototype), ({} as Record<string, unknown>).role ?? null]);
}

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
const parts: HoldspaceParts = { logger };
if (config.media.enabled) {
  const { Sfu } = await import('../../../server/media/sfu.js');
  parts.media = await Sfu.start(config.media, logger);
}
const holdspace = await createHoldspace(config, parts);
await holdspace.listen();

process.on('message', (request: Request) => {
  if (request.kind === 'heap') {
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    send({ type: 'answer', id: request.id, value: { heapUsed, rss } });
  } else if (request.kind === 'prototypes') {
    send({ type: 'answer', id: request.id, value: prototypes() });
  } else if (request.kind === 'stop') {
    void holdspace.close().finally(() => {
      send({ type: 'answer', id: request.id, value: null });
      setTimeout(() => process.exit(0), 50);
    });
  }
});

// The test that started this process is gone: go with it.
process.on('disconnect', () => process.exit(0));

const port = (holdspace.http.address() as AddressInfo).port;
send({ type: 'ready', port, facilitatorKey: holdspace.secrets.facilitatorKey, sessionSecret: holdspace.secrets.sessionSecret, prototypes: prototypes() });
