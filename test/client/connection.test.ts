import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { RoomConnection } from '../../client/src/session/connection.js';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot } from '../../shared/protocol/events.js';
import { groupView, selfView } from '../../shared/session/projection.js';
import { TestRoom } from '../../shared/session/fixtures.test-support.js';
import { until } from '../support/holdspace.js';

/**
 * A server that saved a change and died before broadcasting it leaves a client one version behind
 * what its acknowledgement names. The client must notice from the acknowledgement and ask for the
 * room, not wait for the next change to arrive as a version gap.
 */
describe('the client and the versions its acknowledgements name', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  /** A Socket.IO server that answers commands with `ackVersion` and never broadcasts it; snapshots come from `room`. */
  async function serverAhead(room: TestRoom, heldVersion: number, ackVersion: number) {
    const http = createServer();
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
    const syncs: number[] = [];
    const snapshotAt = (version: number): Snapshot => ({
      serverTime: Date.now(),
      group: { ...groupView(room.state), version },
      self: selfView(room.state, room.facilitator, (id) => id),
    });
    io.on('connection', (socket) => {
      socket.emit('snapshot', snapshotAt(heldVersion));
      socket.on('command', (_command, ack) => ack({ ok: true, version: ackVersion }));
      socket.on('sync', (_request, ack) => {
        syncs.push(Date.now());
        ack({ ok: true, ...snapshotAt(ackVersion) });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    closing.push(() => new Promise((resolve) => io.close(() => resolve())));
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, syncs };
  }

  it('asks for the room when an acknowledgement names a version it does not hold, and then holds it', async () => {
    const room = new TestRoom({ members: 2 });
    const server = await serverAhead(room, 7, 8);
    const connection = new RoomConnection(server.url, 'token');
    closing.push(async () => connection.close());
    await until(connection, (s) => s.group?.version === 7);

    const ack = await connection.send({ type: 'floor.mode', mode: 'queue' });
    expect(ack).toEqual({ ok: true, version: 8 });
    await until(connection, (s) => s.group?.version === 8, 3_000);
    expect(server.syncs).toHaveLength(1);
  });

  it('does not ask when the acknowledgement names the version it holds', async () => {
    const room = new TestRoom({ members: 2 });
    const server = await serverAhead(room, 7, 7);
    const connection = new RoomConnection(server.url, 'token');
    closing.push(async () => connection.close());
    await until(connection, (s) => s.group?.version === 7);

    expect(await connection.send({ type: 'hand.raise' })).toEqual({ ok: true, version: 7 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.syncs).toHaveLength(0);
  });
});
