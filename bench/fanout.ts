// Control-event fan-out: a facilitator's command until the last of 12 members holds the new
// state, side by side with a bare Socket.IO server relaying a message of the same size.
import { fileURLToPath } from 'node:url';
import { arrivals, benchCommandId, connect, openRoom, summarise } from './support/room-clients.js';
import { startServer } from './support/child-server.js';

export interface FanoutResult {
  holdspace: ReturnType<typeof summarise>;
  bare: ReturnType<typeof summarise>;
  payloadBytes: number;
}

export async function measureFanout(options: { members?: number; rounds?: number; block?: number; env?: Record<string, string> } = {}): Promise<FanoutResult> {
  const size = options.members ?? 12;
  const rounds = options.rounds ?? 10;
  const block = options.block ?? 200;
  // The per-socket event budget would refuse a facilitator sending commands back to back: it is not what this measures.
  const holdspaceServer = await startServer('holdspace', { EVENTS_PER_SECOND: '1000', EVENT_BURST: '5000', ...options.env });
  const bareServer = await startServer('bare');
  try {
    const room = await openRoom(holdspaceServer.url, String(holdspaceServer.info.facilitatorKey), size);
    const payloadBytes = JSON.stringify(room.group()).length;
    const bareMembers = await Promise.all(Array.from({ length: size }, () => connect(bareServer.url, { room: 'bench' })));
    const trigger = await connect(bareServer.url, { room: 'bench' });
    await trigger.emitWithAck('payload', room.group());

    let version = room.group().version;
    let turn = 0;
    const holdspaceOnce = async () => {
      const target = room.memberIds[turn++ % size];
      const t0 = performance.now();
      const done = arrivals(room.members, ++version);
      const ack = await room.facilitator.emitWithAck('command', { id: benchCommandId(), type: 'floor.grant', to: target });
      if (!ack.ok || ack.version !== version) throw new Error(`unexpected answer ${JSON.stringify(ack)}`);
      return (await done) - t0;
    };
    let bareVersion = 0;
    const bareOnce = async () => {
      const t0 = performance.now();
      bareVersion++;
      const done = new Promise<number>((resolve) => {
        let waiting = bareMembers.length;
        for (const socket of bareMembers) socket.once('room', () => --waiting === 0 && resolve(performance.now()));
      });
      await trigger.emitWithAck('broadcast', bareVersion);
      return (await done) - t0;
    };

    // Warm both up, then alternate blocks so drift on a shared machine hits both alike.
    for (let i = 0; i < 100; i++) await holdspaceOnce();
    for (let i = 0; i < 100; i++) await bareOnce();
    const holdspace: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < block; i++) holdspace.push(await holdspaceOnce());
      for (let i = 0; i < block; i++) bare.push(await bareOnce());
    }
    room.close();
    [...bareMembers, trigger].forEach((socket) => socket.close());
    return { holdspace: summarise(holdspace), bare: summarise(bare), payloadBytes };
  } finally {
    await holdspaceServer.stop();
    await bareServer.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureFanout();
  console.log(JSON.stringify(result, null, 2));
  console.log(`p50 ratio ${(result.holdspace.p50 / result.bare.p50).toFixed(2)}x, p99 ratio ${(result.holdspace.p99 / result.bare.p99).toFixed(2)}x`);
  process.exit(0);
}
