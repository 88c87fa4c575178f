// Holdspace with audio and video, as `npm start` runs it (one media worker unless MEDIA_WORKERS
// says otherwise), for the media benchmarks. Besides usage and gc it answers:
//   media.pids        the worker processes' pids (their CPU and RSS are read from /proc)
//   media.counts      mediasoup objects alive, from the workers' own dumps, and rooms loaded
//   media.traffic     packets forwarded and lost so far (bench/support/mediasoup-census.ts)
//   producer.pause    pause or resume a participant's microphone directly, bypassing the floor
//   producer.pausedAt when a participant's microphone was last paused in the SFU
//   memory            process.memoryUsage() after GC
//   heap.snapshot     write a heap snapshot after GC (to find what a soak left behind)
//   synthetic.rooms   more rooms on the same worker, fed from a live room (bench/support/synthetic-rooms.ts)
//   media.received    one participant's consumers: whose, which kind, paused, preferred and current layer
// With BENCH_CLIENT_DIR it serves that client build (bench/support/client-build.ts) instead of dist/client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { pino } from 'pino';
import { createHoldspace } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { mediaCodecs } from '../../server/media/room-media.js';
import { Sfu } from '../../server/media/sfu.js';
import { answerBenchRequest, serveBenchRequests } from '../support/child-server.js';
import { serveClientBuild } from '../support/client-build.js';
import { countMedia, lastPausedAt, measureTraffic, takeCensus } from '../support/mediasoup-census.js';
import { SyntheticRooms } from '../support/synthetic-rooms.js';

takeCensus();
const config = loadConfig({
  MEDIA_WORKERS: '1',
  RECORDS_ENABLED: 'false',
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  MEDIA_PORT: '0',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'holdspace-bench-')),
});
const logger = pino({ level: config.logLevel });
const sfu = await Sfu.start(config.media, logger);
const holdspace = await createHoldspace(config, { media: sfu, logger });
if (process.env.BENCH_CLIENT_DIR) serveClientBuild(holdspace.http, process.env.BENCH_CLIENT_DIR);
await holdspace.listen();

answerBenchRequest('media.pids', () => ({ workers: sfu.pool.workers.map((w) => w.pid) }));
answerBenchRequest('media.counts', async () => ({ ...(await countMedia()), roomsLoaded: holdspace.rooms.loaded }));
answerBenchRequest('media.traffic', () => measureTraffic());
/** process.memoryUsage() after GC: also the memory outside V8's heap (Buffers, native add-ons). */
answerBenchRequest('memory', () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
});
/** A heap snapshot after GC, to see what a soak left behind. */
answerBenchRequest('heap.snapshot', ({ path }: { path: string }) => {
  (globalThis as { gc?: () => void }).gc?.();
  return writeHeapSnapshot(path);
});

const micOf = (roomId: string, participantId: string) => {
  const peer = sfu.room(roomId)?.peers.find((p) => p.participantId === participantId && !p.ended);
  const producer = peer?.mic?.producer;
  if (!producer) throw new Error(`no microphone of ${participantId} in room ${roomId}`);
  return producer;
};
answerBenchRequest('producer.pause', async ({ roomId, participantId, paused }: { roomId: string; participantId: string; paused: boolean }) => {
  const producer = micOf(roomId, participantId);
  await (paused ? producer.pause() : producer.resume());
  return { paused: producer.paused };
});
answerBenchRequest('producer.pausedAt', ({ roomId, participantId }: { roomId: string; participantId: string }) => lastPausedAt(micOf(roomId, participantId).id));

answerBenchRequest('media.received', ({ roomId, participantId }: { roomId: string; participantId: string }) => {
  const peers = sfu.room(roomId)?.peers.filter((p) => !p.ended) ?? [];
  const owner = new Map(peers.flatMap((p) => p.publications.map((publication) => [publication.producer.id, { from: p.participantId, source: publication.source }] as const)));
  const receiver = peers.find((p) => p.participantId === participantId);
  if (!receiver) throw new Error(`no media peer of ${participantId} in room ${roomId}`);
  return receiver.describe().consumers.map(({ producerId, kind, paused, preferredSpatialLayer, currentSpatialLayer, priority }) => ({
    ...owner.get(producerId),
    kind,
    paused,
    preferredSpatialLayer,
    currentSpatialLayer,
    priority,
  }));
});

const synthetic = new SyntheticRooms(mediaCodecs);
answerBenchRequest('synthetic.rooms', ({ count }: { count: number }) => synthetic.resize(count));

// 127.0.0.1, not localhost: a browser trying ::1 first would add a fallback to every connection timed.
serveBenchRequests(holdspace.url().replace('//localhost:', '//127.0.0.1:'), { facilitatorKey: holdspace.secrets.facilitatorKey, workerPids: sfu.pool.workers.map((w) => w.pid) });
