// A client process for the load benchmark: opens its share of rooms, then each room's
// facilitator sends commands at a steady rate while the members' arrival times are recorded.
import { benchCommandId, openRoom, type BenchRoom } from '../support/room-clients.js';

interface DriverTask {
  url: string;
  facilitatorKey: string;
  rooms: number;
  members: number;
  commandsPerSecond: number;
  warmupMs: number;
  measureMs: number;
}

process.once('message', async (task: DriverTask) => {
  const rooms: BenchRoom[] = [];
  for (let i = 0; i < task.rooms; i++) rooms.push(await openRoom(task.url, task.facilitatorKey, task.members));
  process.send!({ type: 'ready' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  const samples: number[] = [];
  let errors = 0;
  const started = performance.now();
  const measureFrom = started + task.warmupMs;
  const stopAt = measureFrom + task.measureMs;
  const interval = 1000 / task.commandsPerSecond;
  await Promise.all(
    rooms.map(async (room, index) => {
      // Spread the rooms' ticks over the interval so they do not all fire at once.
      await new Promise((resolve) => setTimeout(resolve, (index / rooms.length) * interval));
      let turn = 0;
      let next = performance.now();
      while (performance.now() < stopAt) {
        const target = room.memberIds[turn++ % room.memberIds.length];
        const t0 = performance.now();
        const version = room.group().version + 1;
        const arrived = new Promise<number>((resolve) => {
          let waiting = room.members.length;
          for (const socket of room.members) {
            const listener = (message: { group: { version: number } }) => {
              if (message.group.version < version) return;
              socket.off('room', listener);
              if (--waiting === 0) resolve(performance.now());
            };
            socket.on('room', listener);
          }
        });
        const ack = await room.facilitator.emitWithAck('command', { id: benchCommandId(), type: 'floor.grant', to: target });
        if (!ack.ok) errors++;
        else {
          const t1 = await arrived;
          if (t0 >= measureFrom) samples.push(t1 - t0);
        }
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  process.send!({ type: 'done', samples, errors });
  rooms.forEach((room) => room.close());
  setTimeout(() => process.exit(0), 100);
});
