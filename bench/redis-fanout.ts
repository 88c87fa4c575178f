// Control-event fan-out with REDIS_URL set against the in-memory default, measured in the same
// run: a facilitator's command until the last of 12 members holds the new state. Three setups:
// in memory (one process), Redis with one node, Redis with two nodes (the facilitator on the node
// that does not run the room, members split over both). Starts its own redis-server.
//   npx tsx bench/redis-fanout.ts        (BENCH_QUICK=1 for a short run)
import { fileURLToPath } from 'node:url';
import { startRedis } from '../test/support/redis-server.js';
import { startServer, type ServerHandle } from './support/child-server.js';
import { arrivals, benchCommandId, connect, post, summarise, type RawSocket } from './support/room-clients.js';
import { PROTOCOL_VERSION } from '../shared/protocol/commands.js';

const MEMBERS = 12;
/** The whole run is bounded: past this, it stops and says so. */
const DEADLINE_MS = 240_000;

const secrets = { FACILITATOR_KEY: 'bench-facilitator-key-0123456789', SESSION_SECRET: 'bench-session-secret-0123456789-0123456789' };
const limits = { ENTRY_PER_MINUTE: '100000', EVENTS_PER_SECOND: '1000', EVENT_BURST: '5000', LOG_LEVEL: 'silent' };

export type Latency = ReturnType<typeof summarise>;

export interface RedisFanoutResult {
  memory: Latency;
  /** Redis, one node */
  single: Latency;
  /** Redis, two nodes: the facilitator on the node that does not run the room */
  pair: Latency;
  samples: number;
}

interface Room {
  facilitator: RawSocket;
  members: RawSocket[];
  memberIds: string[];
  version: number;
  close(): void;
}

/** A room created on `createAt` (which then runs it), the facilitator on `facilitatorAt`, members spread over `memberUrls`. */
async function openRoom(createAt: string, facilitatorAt: string, memberUrls: string[], key: string): Promise<Room> {
  const created = await post(`${createAt}/api/rooms`, { title: 'Bench group' }, key);
  const facilitator = await connect(facilitatorAt, { protocol: PROTOCOL_VERSION, token: created.token });
  const room: Room = { facilitator, members: [], memberIds: [], version: 0, close: () => [facilitator, ...room.members].forEach((socket) => socket.close()) };
  facilitator.on('room', (message: { group: { version: number } }) => (room.version = Math.max(room.version, message.group.version)));
  const invite = new URL(created.inviteUrl!).hash.slice(1);
  for (let i = 0; i < MEMBERS; i++) {
    const url = memberUrls[i % memberUrls.length]!;
    const joined = await post(`${url}/api/join`, { invite, name: `Member ${i + 1}` });
    room.memberIds.push(joined.memberId!);
    room.members.push(await connect(url, { protocol: PROTOCOL_VERSION, token: joined.token }));
    const ack = await facilitator.emitWithAck('command', { id: benchCommandId(), type: 'admit', memberId: joined.memberId });
    if (!ack.ok) throw new Error(`admit: ${ack.code}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return room;
}

/** One grant of the floor, from the facilitator's emit to the last member holding that version. */
async function once(room: Room, turn: number): Promise<number> {
  const target = room.memberIds[turn % MEMBERS]!;
  const expected = room.version + 1;
  const t0 = performance.now();
  const done = arrivals(room.members, expected);
  const ack = await room.facilitator.emitWithAck('command', { id: benchCommandId(), type: 'floor.grant', to: target });
  if (!ack.ok || ack.version !== expected) throw new Error(`unexpected answer ${JSON.stringify(ack)} (expected version ${expected})`);
  room.version = expected;
  return (await done) - t0;
}

/** `rounds` blocks of `block` commands per setup, alternated, after `warmup` commands each. */
export async function measureRedisFanout(options: { rounds?: number; block?: number; warmup?: number } = {}): Promise<RedisFanoutResult> {
  const { rounds = 8, block = 150, warmup = 100 } = options;
  // One Redis per Redis setup: every node reads every broadcast in its Redis, so the pair must not
  // wake for the single node's traffic (nor the single node for theirs).
  const [redis, redisForPair] = await Promise.all([startRedis({ appendfsync: 'everysec' }), startRedis({ appendfsync: 'everysec' })]);
  const servers: ServerHandle[] = [];
  try {
    const memory = await startServer('holdspace', { ...limits, ...secrets });
    const single = await startServer('holdspace', { ...limits, ...secrets, REDIS_URL: redis.url, NODE_ID: 'bench-single' });
    const [pairA, pairB] = await Promise.all([
      startServer('holdspace', { ...limits, ...secrets, REDIS_URL: redisForPair.url, NODE_ID: 'bench-pair-a' }),
      startServer('holdspace', { ...limits, ...secrets, REDIS_URL: redisForPair.url, NODE_ID: 'bench-pair-b' }),
    ]);
    servers.push(memory, single, pairA, pairB);

    const setups: { room: Room; samples: number[]; turn: number }[] = [
      { room: await openRoom(memory.url, memory.url, [memory.url], secrets.FACILITATOR_KEY), samples: [], turn: 0 },
      { room: await openRoom(single.url, single.url, [single.url], secrets.FACILITATOR_KEY), samples: [], turn: 0 },
      { room: await openRoom(pairA.url, pairB.url, [pairA.url, pairB.url], secrets.FACILITATOR_KEY), samples: [], turn: 0 },
    ];
    for (const setup of setups) for (let i = 0; i < warmup; i++) await once(setup.room, setup.turn++);
    // Alternate blocks, swapping the order each round, so drift on a shared machine hits every setup alike.
    for (let r = 0; r < rounds; r++) {
      for (const setup of r % 2 === 0 ? setups : [...setups].reverse()) for (let i = 0; i < block; i++) setup.samples.push(await once(setup.room, setup.turn++));
    }
    for (const setup of setups) setup.room.close();
    const [inMemory, redisSingle, redisPair] = setups.map((setup) => summarise(setup.samples)) as [Latency, Latency, Latency];
    return { memory: inMemory, single: redisSingle, pair: redisPair, samples: rounds * block };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all([redis.destroy(), redisForPair.destroy()]);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const guard = setTimeout(() => {
    console.error(`redis-fanout: did not finish within ${DEADLINE_MS / 1000} s; stopping.`);
    process.exit(1);
  }, DEADLINE_MS);
  const result = await measureRedisFanout(quick ? { rounds: 3, block: 50, warmup: 50 } : {});
  clearTimeout(guard);
  const fmt = (value: number) => `${value.toFixed(2)} ms`;
  const rows: [string, Latency][] = [
    ['in memory, 1 process', result.memory],
    ['Redis, 1 node', result.single],
    ['Redis, 2 nodes (forwarded)', result.pair],
  ];
  console.log(`Control-event fan-out: facilitator command until all ${MEMBERS} members hold the new version (${result.samples} samples each)\n`);
  for (const [name, row] of rows) console.log(`  ${name.padEnd(28)} p50 ${fmt(row.p50).padStart(9)}  p99 ${fmt(row.p99).padStart(9)}  mean ${fmt(row.mean).padStart(9)}`);
  console.log('');
  for (const [name, row] of rows.slice(1)) console.log(`  ${name} / in memory: p50 ${(row.p50 / result.memory.p50).toFixed(2)}x, p99 ${(row.p99 / result.memory.p99).toFixed(2)}x`);
  process.exit(0);
}
