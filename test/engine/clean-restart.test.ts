import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorView } from '../../shared/session/projection.js';
import { startNode, type NodeProcess } from '../support/cluster.js';
import { seatClusterRoom, type ClusterRoom } from '../support/cluster-session.js';
import { until } from '../support/holdspace.js';

/**
 * One process, no Redis: `npm start` stopped cleanly (SIGTERM) in the middle of a check-in round
 * and started again. Every client reconnects by itself and finds the round where it was.
 */
describe('a clean restart of a single server', () => {
  let node: NodeProcess;
  let room: ClusterRoom;

  beforeAll(async () => {
    node = await startNode({ redisUrl: '', nodeId: 'single' });
  });
  afterAll(async () => {
    room?.everyone.forEach((connection) => connection.close());
    await node?.destroy();
  });

  it('resumes a check-in round for every client, ratings and turns included', async () => {
    room = await seatClusterRoom(node.url, [node.url], ['Ana', 'Ben', 'Chloe']);
    const { facilitator, member, everyone } = room;
    expect(await facilitator.connection.send({ type: 'round.start', round: { prompt: 'How are you arriving?', order: 'seats', moodScale: true } })).toMatchObject({ ok: true });
    expect(await member('Ana').connection.send({ type: 'round.rate', rating: 4 })).toMatchObject({ ok: true });
    expect(await member('Ana').connection.send({ type: 'turn.done' })).toMatchObject({ ok: true });
    await Promise.all(everyone.map((c) => until(c, (s) => s.group?.round?.current === member('Ben').id)));
    const before = facilitator.connection.snapshot.group!;

    await node.stop('SIGTERM');
    expect(existsSync(`${node.dataDir}/live-rooms.json`)).toBe(true);
    await node.start();
    // Read once at start and removed: a crash later cannot bring back this old state.
    expect(existsSync(`${node.dataDir}/live-rooms.json`)).toBe(false);

    for (const connection of everyone) {
      await until(connection, (s) => s.status === 'online' && s.group !== null && s.group.version >= before.version && s.group.seats.every((seat) => seat.presence === 'online'), 15_000);
      expect(connection.snapshot.group!.round).toMatchObject({ id: before.round!.id, current: member('Ben').id, done: [member('Ana').id] });
    }
    expect((facilitator.connection.snapshot.self as FacilitatorView).round?.ratings).toEqual({ [member('Ana').id]: 4 });

    // And the round goes on.
    expect(await member('Ben').connection.send({ type: 'turn.done' })).toMatchObject({ ok: true });
    await Promise.all(everyone.map((c) => until(c, (s) => s.group?.round?.current === member('Chloe').id)));
  }, 90_000);
});
