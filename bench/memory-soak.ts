// Memory. Part 1: server heap and RSS, and the mediasoup worker's RSS, per active room of 13
// (facilitator + 12 members) with media, against rooms of 13 with signalling only measured on the
// same server in the same run. Media without browsers: each participant's socket signals what a
// browser would (join, two transports, DTLS parameters, a microphone and a two-layer simulcast
// camera, consumers of the 24 others' producers, resumed), so every server-side object exists
// (26 producers, 312 consumers, 26 transports per room) but no packet flows: the worker's packet
// buffers stay empty, so its RSS here is a floor.
// Part 2: a bounded soak (SOAK_MINUTES, default 5) of rooms opening and closing (the facilitator's
// session.end, then every socket closes) while members join and leave (the leave command) with
// media as above; heap and RSS after GC, and mediasoup objects alive (from the workers' dumps),
// against the baseline before the first soak room. An ended session stays loaded for
// ENDED_ROOM_MINUTES (30 by default) by design; the soak shortens that to 15 s and waits it out
// at the end, so what is left is what would never go. The heap an ended room holds meanwhile is
// reported, to size the default retention.
//   npx tsx bench/memory-soak.ts        (BENCH_QUICK=1 for a short run; SOAK_MINUTES=20;
//                                        SOAK_SERVER_ENV=MALLOC_ARENA_MAX=2 for the server process)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaRoom } from './support/media-room.js';
import { browserDtls, cameraParameters, micParameters } from '../test/support/media.js';
import { startServer, type ServerHandle } from './support/child-server.js';
import { grewMost, summariseHeapSnapshot } from './support/heap-snapshot.js';
import { memberAuth, openMediaRoom } from './support/media-room.js';
import type { MediaCounts } from './support/mediasoup-census.js';
import { processRss } from './support/proc.js';
import { benchCommandId, connect, type RawSocket } from './support/room-clients.js';

const MEMBERS = 12;
/** How long an ended session stays loaded during the soak (ENDED_ROOM_MINUTES is 30 by default). */
const ENDED_ROOM_MS = 15_000;
/**
 * JavaScript objects (from heap snapshots, not heapUsed) may differ by this much with nothing kept.
 * heapUsed is not the test: it also counts V8's optimised code and its metadata, which grew by
 * ~3 MB over a 3-minute soak while the objects stayed within a few KB.
 */
const HEAP_TOLERANCE_KB = 256;
/**
 * RSS does not come back to its baseline after GC (glibc keeps freed native memory in its arenas:
 * with MALLOC_ARENA_MAX=2 the same soak levels off lower), so the test is whether it keeps rising
 * while the load stays the same: from the first busy sample to the last, by more than this.
 */
const RSS_CLIMB = 0.1;

type Counts = MediaCounts & { roomsLoaded: number };

export interface MemoryFigures {
  heapKb: number;
  rssKb: number;
  /** memory outside V8's heap that V8 knows of (Buffers and the like) */
  externalKb: number;
  workerRssKb: number;
}

export interface SoakSample extends MemoryFigures {
  minute: number;
  roomsOpened: number;
  counts: Counts;
}

export interface MemorySoakResult {
  rooms: number;
  /** per active room of 13 */
  media: MemoryFigures;
  signalling: MemoryFigures;
  soak: {
    minutes: number;
    roomsOpened: number;
    joins: number;
    leaves: number;
    /** after GC, before the first soak room and after the last closed */
    baseline: MemoryFigures & { counts: Counts };
    final: MemoryFigures & { counts: Counts };
    samples: SoakSample[];
    /** heap an ended room holds while it stays loaded (ENDED_ROOM_MINUTES), from the rooms that unloaded at the end */
    heapPerEndedRoomKb: number;
    retainedRooms: number;
    /** RSS growth while busy, from the first sample to the last, % */
    rssClimbPercent: number;
    /** from heap snapshots before and after: JavaScript objects kept, and V8's compiled code (not held by any object) */
    jsObjectsKb: number;
    compiledCodeKb: number;
    grew: { name: string; count: number; bytes: number }[];
    leaked: boolean;
    why: string;
  };
}

let ssrc = 10_000;

async function ask(socket: RawSocket, name: string, payload: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const answer = (await socket.timeout(10_000).emitWithAck(name, payload)) as Record<string, any>;
  if (!answer.ok) throw new Error(`${name}: ${answer.code} ${answer.message ?? ''}`);
  return answer;
}

/** What a browser's media session sends to publish (everything but the packets). */
async function publish(socket: RawSocket): Promise<unknown> {
  const joined = await ask(socket, 'media.join');
  const send = (await ask(socket, 'media.transport.create', { direction: 'send' })).transport;
  const recv = (await ask(socket, 'media.transport.create', { direction: 'recv' })).transport;
  await ask(socket, 'media.transport.connect', { transportId: send.id, dtlsParameters: browserDtls });
  await ask(socket, 'media.transport.connect', { transportId: recv.id, dtlsParameters: browserDtls });
  await ask(socket, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  await ask(socket, 'media.produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: micParameters((ssrc += 10)) });
  await ask(socket, 'media.produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: cameraParameters((ssrc += 10)) });
  return joined.routerRtpCapabilities;
}

/** Consume everything on offer to this socket and resume it, as a browser does once its tracks are attached. */
async function receive(socket: RawSocket, routerCapabilities: unknown): Promise<number> {
  const { offers } = await ask(socket, 'media.capabilities', { rtpCapabilities: routerCapabilities });
  if (offers.length === 0) return 0;
  const { consumers } = await ask(socket, 'media.consume', { producerIds: offers.map((o: { producerId: string }) => o.producerId) });
  if (consumers.length > 0) await ask(socket, 'media.consumer.resume', { consumerIds: consumers.map((c: { id: string }) => c.id) });
  return consumers.length;
}

interface LiveRoom {
  room: MediaRoom;
  sockets: Map<string, RawSocket>;
  capabilities: unknown;
}

async function openRoom(server: ServerHandle, withMedia: boolean, members = MEMBERS): Promise<LiveRoom> {
  const room = await openMediaRoom(server.url, String(server.info.facilitatorKey), members);
  const sockets = new Map<string, RawSocket>([['facilitator', room.facilitator]]);
  for (const member of room.members) sockets.set(member.id, await connect(server.url, memberAuth(member.token)));
  let capabilities: unknown = null;
  if (withMedia) {
    for (const socket of sockets.values()) capabilities = await publish(socket);
    for (const socket of sockets.values()) await receive(socket, capabilities);
  }
  return { room, sockets, capabilities };
}

async function closeRoom(live: LiveRoom): Promise<void> {
  await live.room.command({ type: 'session.end' });
  for (const socket of live.sockets.values()) socket.close();
}

const kb = (bytes: number) => bytes / 1024;

/** serverEnv: more environment for the server process, e.g. MALLOC_ARENA_MAX=2 to see what glibc's arenas do to RSS. */
export async function measureMemorySoak(options: { rooms?: number; soakMinutes?: number; concurrentRooms?: number; serverEnv?: Record<string, string> } = {}): Promise<MemorySoakResult> {
  const roomCount = options.rooms ?? 10;
  const minutes = options.soakMinutes ?? 5;
  const concurrent = options.concurrentRooms ?? 3;
  // Generous budgets: a room's worth of joins and media requests from one address, faster than people.
  const server = await startServer('holdspace-media', {
    ENTRY_PER_MINUTE: '100000',
    EVENTS_PER_SECOND: '1000',
    EVENT_BURST: '5000',
    SOCKETS_PER_PARTICIPANT: '1000',
    MAX_ROOMS: '100000',
    ENDED_ROOM_MINUTES: String(ENDED_ROOM_MS / 60_000),
    ...options.serverEnv,
  });
  try {
    const workerPid = (await server.ask<{ workers: number[] }>('media.pids')).workers[0]!;
    const snapshot = async (): Promise<MemoryFigures & { counts: Counts }> => {
      const memory = await server.ask<NodeJS.MemoryUsage>('memory');
      return {
        heapKb: kb(memory.heapUsed),
        rssKb: kb(memory.rss),
        externalKb: kb(memory.external),
        workerRssKb: kb(processRss(workerPid)),
        counts: await server.ask<Counts>('media.counts'),
      };
    };
    const heapDir = await mkdtemp(join(tmpdir(), 'holdspace-bench-heap-'));
    const heapSnapshot = async (name: string) => {
      const path = await server.ask<string>('heap.snapshot', { path: join(heapDir, `${name}.heapsnapshot`) });
      const summary = await summariseHeapSnapshot(path);
      await rm(path, { force: true });
      return summary;
    };
    // Warm up: one room of each kind opened and closed, so code and pools are loaded before any baseline.
    await closeRoom(await openRoom(server, true));
    await closeRoom(await openRoom(server, false));

    // Part 1: per active room, signalling only, then with media.
    // Ended rooms still loaded would unload in the middle of a measurement: let them go first.
    const settle = () => new Promise((resolve) => setTimeout(resolve, ENDED_ROOM_MS + 3_000));
    const perRoom = async (withMedia: boolean): Promise<MemoryFigures> => {
      await settle();
      const before = await snapshot();
      const rooms: LiveRoom[] = [];
      for (let i = 0; i < roomCount; i++) rooms.push(await openRoom(server, withMedia));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const loaded = await snapshot();
      for (const live of rooms) await closeRoom(live);
      return {
        heapKb: (loaded.heapKb - before.heapKb) / roomCount,
        rssKb: (loaded.rssKb - before.rssKb) / roomCount,
        externalKb: (loaded.externalKb - before.externalKb) / roomCount,
        workerRssKb: (loaded.workerRssKb - before.workerRssKb) / roomCount,
      };
    };
    const signalling = await perRoom(false);
    const media = await perRoom(true);

    // Part 2: the soak. Rooms overlap. Each opens with 9 members; 3 leave (their seats stay theirs),
    // 3 new members join, and the 3 who left come back: 13 with media when the session ends.
    await settle();
    // The snapshot first: writing one leaves the process's RSS higher for good, so both RSS figures come after one.
    const heapBefore = await heapSnapshot('before');
    const baseline = await snapshot();
    const samples: SoakSample[] = [];
    let roomsOpened = 0;
    let joins = 0;
    let leaves = 0;
    const started = performance.now();
    const deadline = started + minutes * 60_000;
    // Samples while rooms are busy, at least three: RSS that keeps climbing under the same load is a leak, RSS that levels off is not.
    const every = Math.min(60_000, (minutes * 60_000) / 4);
    let nextSample = started + every;
    const cycle = async () => {
      while (performance.now() < deadline) {
        const live = await openRoom(server, true, MEMBERS - 3);
        roomsOpened++;
        const leaving = live.room.members.slice(0, 3);
        for (const member of leaving) {
          const socket = live.sockets.get(member.id)!;
          // Leaving is final: the server says farewell (LEFT) and closes the socket; the seat is freed.
          const farewell = new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('leave: no farewell in 10 s')), 10_000);
            socket.once('farewell', () => {
              clearTimeout(timer);
              resolve();
            });
          });
          socket.emit('command', { id: benchCommandId(), type: 'leave' });
          await farewell;
          socket.close();
          live.sockets.delete(member.id);
          leaves++;
        }
        const arriving = [];
        for (let i = 0; i < 3; i++) arriving.push(await live.room.addMember(`Late ${i + 1}`));
        for (const member of arriving) {
          const socket = await connect(server.url, memberAuth(member.token));
          live.sockets.set(member.id, socket);
          await publish(socket);
          await receive(socket, live.capabilities);
          joins++;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await closeRoom(live);
      }
    };
    const sampler = (async () => {
      while (performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(nextSample, deadline) - performance.now())));
        if (performance.now() >= deadline) break;
        nextSample += every;
        samples.push({ minute: Math.round((performance.now() - started) / 6_000) / 10, roomsOpened, ...(await snapshot()) });
      }
    })();
    await Promise.all([...Array.from({ length: concurrent }, cycle), sampler]);
    // What ended rooms hold while they stay loaded, at the end of the soak before they go.
    const retained = await snapshot();
    // Sockets closed, media closed with each session; the last ended rooms unload after the retention.
    await settle();
    const final = await snapshot();
    const heapAfter = await heapSnapshot('after');
    await rm(heapDir, { recursive: true, force: true });
    const jsObjectsKb = kb(heapAfter.jsBytes - heapBefore.jsBytes);
    const compiledCodeKb = kb(heapAfter.codeBytes - heapBefore.codeBytes);
    const grew = grewMost(heapBefore, heapAfter);
    const unloaded = retained.counts.roomsLoaded - final.counts.roomsLoaded;
    const heapPerEndedRoomKb = unloaded > 0 ? (retained.heapKb - final.heapKb) / unloaded : Number.NaN;
    const objectsLeft = final.counts.transports + final.counts.producers + final.counts.consumers;
    const routersKept = final.counts.routers - baseline.counts.routers;
    const whys: string[] = [];
    if (objectsLeft > 0) whys.push(`${objectsLeft} transports, producers or consumers still open`);
    if (routersKept > 0) whys.push(`${routersKept} routers (one per ended room) still open, each with its audio level observer`);
    if (final.counts.roomsLoaded - baseline.counts.roomsLoaded > 0) whys.push(`${final.counts.roomsLoaded - baseline.counts.roomsLoaded} ended rooms still loaded past ENDED_ROOM_MINUTES`);
    if (jsObjectsKb > HEAP_TOLERANCE_KB) whys.push(`JavaScript objects ${jsObjectsKb.toFixed(0)} KB above baseline after GC, most: ${grew.map((g) => `${g.name} +${g.count}`).join(', ')}`);
    const [firstBusy, lastBusy] = [samples[0], samples.at(-1)];
    const rssClimb = firstBusy && lastBusy && firstBusy !== lastBusy ? lastBusy.rssKb / firstBusy.rssKb - 1 : 0;
    if (rssClimb > RSS_CLIMB) whys.push(`RSS under the same load climbed ${(rssClimb * 100).toFixed(0)}% from minute ${firstBusy!.minute} to ${lastBusy!.minute}`);
    return {
      rooms: roomCount,
      media,
      signalling,
      soak: {
        minutes,
        roomsOpened,
        joins,
        leaves,
        baseline,
        final,
        samples,
        heapPerEndedRoomKb,
        retainedRooms: unloaded,
        rssClimbPercent: rssClimb * 100,
        jsObjectsKb,
        compiledCodeKb,
        grew,
        leaked: whys.length > 0,
        why: whys.join('; ') || 'back to baseline',
      },
    };
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const serverEnv = process.env.SOAK_SERVER_ENV ? Object.fromEntries(process.env.SOAK_SERVER_ENV.split(',').map((kv) => kv.split('=') as [string, string])) : {};
  const result = await measureMemorySoak({ rooms: quick ? 4 : 10, soakMinutes: Number(process.env.SOAK_MINUTES ?? (quick ? 1 : 5)), serverEnv });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
