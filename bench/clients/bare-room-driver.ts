// The baseline's client process for the capacity benchmark: the same rooms of 13 sockets on a
// bare Socket.IO server, whose trigger (in the facilitator's place) has the server relay a copy
// of Holdspace's group view to the room at the same steady rate.
import { connect, type RawSocket } from '../support/room-clients.js';

interface DriverTask {
  url: string;
  rooms: number;
  members: number;
  commandsPerSecond: number;
  warmupMs: number;
  measureMs: number;
  /** A group view of a room of this size, as Holdspace broadcasts it. */
  payload: unknown;
}

process.once('message', async (task: DriverTask) => {
  const rooms: { trigger: RawSocket; members: RawSocket[] }[] = [];
  for (let i = 0; i < task.rooms; i++) {
    const name = `bench-${process.pid}-${i}`;
    const trigger = await connect(task.url, { room: name });
    const members = await Promise.all(Array.from({ length: task.members }, () => connect(task.url, { room: name })));
    await trigger.emitWithAck('payload', task.payload);
    rooms.push({ trigger, members });
  }
  process.send!({ type: 'ready' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  const samples: number[] = [];
  const started = performance.now();
  const measureFrom = started + task.warmupMs;
  const stopAt = measureFrom + task.measureMs;
  const interval = 1000 / task.commandsPerSecond;
  await Promise.all(
    rooms.map(async (room, index) => {
      await new Promise((resolve) => setTimeout(resolve, (index / rooms.length) * interval));
      let version = 0;
      let next = performance.now();
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        const expected = ++version;
        const arrived = new Promise<number>((resolve) => {
          let waiting = room.members.length;
          for (const socket of room.members) {
            const listener = (message: { group: { version: number } }) => {
              if (message.group.version < expected) return;
              socket.off('room', listener);
              if (--waiting === 0) resolve(performance.now());
            };
            socket.on('room', listener);
          }
        });
        await room.trigger.emitWithAck('broadcast', expected);
        const t1 = await arrived;
        if (t0 >= measureFrom) samples.push(t1 - t0);
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  process.send!({ type: 'done', samples, errors: 0 });
  rooms.forEach((room) => [room.trigger, ...room.members].forEach((socket) => socket.close()));
  setTimeout(() => process.exit(0), 100);
});
